package com.gigsta.booking;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workflow laid out for lookups by state, role and action, and the one place that decides whether an
 * actor may take an action on a booking and where it leads. Listing and performing both ask it, so an
 * action is listed exactly when performing it would be allowed. Each version of a workflow an engine hosts
 * is compiled once, with its own StatefulJ machine. Immutable and thread-safe.
 */
final class CompiledWorkflow {

  private final Workflow workflow;
  private final StatefulJMachine machine;
  // The trail's precision, to which the time of an action's figures is truncated as its entry's time is.
  private final BookingLimits limits;
  private final Map<BookingState, Node> nodes = new HashMap<>();
  private final Set<String> actionNames;
  private final Map<BookingState, List<WorkflowRule>> timedRules = new HashMap<>();

  CompiledWorkflow(Workflow workflow, BookingLimits limits) {
    this.workflow = workflow;
    this.machine = new StatefulJMachine(workflow);
    this.limits = limits;
    Set<String> names = new LinkedHashSet<>();
    for (BookingState state : workflow.states()) {
      List<WorkflowRule> leaving = workflow.rules().stream().filter(rule -> rule.from().equals(state)).toList();
      nodes.put(state, new Node(leaving));
      leaving.forEach(rule -> names.add(rule.actionName()));
      timedRules.put(state, leaving.stream().filter(WorkflowRule::isTimed).toList());
    }
    this.actionNames = Collections.unmodifiableSet(names);
  }

  Workflow workflow() {
    return workflow;
  }

  WorkflowVersion version() {
    return workflow.workflowVersion();
  }

  /** Runs the decided rule's transition on this version's StatefulJ machine; see {@link StatefulJMachine}. */
  BookingState move(BookingState from, WorkflowRule rule) {
    return machine.move(from, rule);
  }

  /**
   * Returns the creation rule if the actor may create a booking with the GigSta.
   *
   * @throws InvalidBookingInputException if the actor's role is not the creation rule's, the actor would
   *     book themself where the workflow does not allow it, or the workflow requires a scheduled start and
   *     none was given
   */
  WorkflowRule decideCreation(Actor customer, String gigstaId, Instant scheduledStart) {
    WorkflowRule creation = workflow.creation();
    if (customer.role() != creation.role()) {
      throw new InvalidBookingInputException("customer", "only a " + creation.role()
          + " may request a booking but the actor was " + customer);
    }
    if (!workflow.selfBookingAllowed() && customer.id().equals(gigstaId)) {
      throw new InvalidBookingInputException("gigstaId",
          "a customer cannot book themself: customer and GigSta are both '" + gigstaId + "'");
    }
    if (workflow.scheduledStartRequired() && scheduledStart == null) {
      throw new InvalidBookingInputException("scheduledStart",
          "workflow '" + workflow.name() + "' requires every booking to have a scheduled start");
    }
    return creation;
  }

  /**
   * Refuses a customer or GigSta who is not this booking's, before anything else about the booking (its
   * version, its state, which actions it has) can show in a refusal.
   *
   * @throws NotABookingPartyException if the actor is a customer or GigSta of another booking
   */
  void requireParty(Booking booking, Actor actor, String actionName) {
    if (!booking.admits(actor)) {
      throw new NotABookingPartyException(actionName, actor, booking);
    }
  }

  /**
   * Returns the rule by which the actor takes the action on the booking now, or throws the refusal, checked
   * in the documented order: not a party, unknown action, not allowed for the role, not allowed in the
   * state, guard refused.
   */
  WorkflowRule decide(Booking booking, Actor actor, String actionName, Clock clock) {
    requireParty(booking, actor, actionName);
    Node node = nodes.get(booking.state());
    WorkflowRule rule = node == null ? null : node.rule(actionName, actor.role());
    if (rule == null) {
      throw refusal(booking, actor, actionName, clock);
    }
    if (rule.guard() != null && !rule.guard().allows(booking, actor, clock)) {
      throw new GuardRefusedException(actionName, actor, booking, rule.guardName());
    }
    return rule;
  }

  /**
   * Returns the actions the actor may take on the booking now, in table order, each with the money it
   * would move now, by the clock truncated to the trail's precision as the time of a change's entry is.
   * Operators and the system see what the workflow grants their role; customers and GigStas are checked to
   * be the booking's own ({@link Booking#admits}) by the caller.
   */
  List<BookingAction> available(Booking booking, Actor actor, Clock clock) {
    // The caller has checked the party: the engine before it looks the version up, decide() before it refuses.
    Node node = nodes.get(booking.state());
    if (node == null) {
      return List.of();
    }
    List<BookingAction> unguarded = node.unguarded.get(actor.role());
    if (unguarded != null && booking.price() == null) {
      return unguarded;
    }
    // Read only here, for guards and figures: a state without guards of a booking without a price is listed
    // from the table alone, as often as the UI asks.
    Instant now = limits.truncate(clock.instant());
    List<BookingAction> allowed = new ArrayList<>();
    for (WorkflowRule rule : node.byRole.get(actor.role())) {
      if (rule.guard() == null || rule.guard().allows(booking, actor, clock)) {
        allowed.add(rule.action().withTerms(rule.payment(), PaymentTerms.of(rule, booking, now)));
      }
    }
    return List.copyOf(allowed);
  }

  /** Returns whether this version has an action of this name, from any state. */
  boolean knows(String actionName) {
    return actionNames.contains(actionName);
  }

  /** Returns whether any rule out of the state is timed. */
  boolean hasTimedRules(BookingState state) {
    return !timedRules.getOrDefault(state, List.of()).isEmpty();
  }

  /**
   * Returns the timed rule that fires for a booking with these times at {@code now}: of its state's timed
   * rules that are due, the one due first, the first declared on a tie; empty when none is due. The timer
   * sweep and the retry of a failed timer both ask this, so they fire the same rule.
   */
  Optional<WorkflowRule> dueTimedRule(BookingTimes times, Instant now) {
    WorkflowRule first = null;
    Instant firstDue = null;
    for (WorkflowRule rule : timedRules.getOrDefault(times.latest().toState(), List.of())) {
      Instant due = rule.deadline().dueAt(times).orElse(null);
      if (due != null && !due.isAfter(now) && (firstDue == null || due.isBefore(firstDue))) {
        first = rule;
        firstDue = due;
      }
    }
    return Optional.ofNullable(first);
  }

  private BookingException refusal(Booking booking, Actor actor, String actionName, Clock clock) {
    if (!actionNames.contains(actionName)) {
      // Every name the workflow knows is well-formed, so only an unknown name needs its form checked, to
      // tell a malformed argument from a well-formed name of no action.
      Inputs.actionName(actionName);
      return new UnknownActionException(actionName, actor, booking, actionNames);
    }
    List<BookingAction> instead = available(booking, actor, clock);
    Node node = nodes.get(booking.state());
    if (node != null && node.byAction.containsKey(actionName)) {
      return new ActionNotAllowedForRoleException(actionName, actor, booking, instead);
    }
    return new ActionNotAllowedInStateException(actionName, actor, booking, instead);
  }

  /** The rules leaving one state, by role and by action, and the action lists that need no guard. */
  private static final class Node {
    final Map<Role, List<WorkflowRule>> byRole = new EnumMap<>(Role.class);
    final Map<String, Map<Role, WorkflowRule>> byAction = new HashMap<>();
    // Per role, the list to hand out as it is when none of the role's rules has a guard; absent otherwise.
    final Map<Role, List<BookingAction>> unguarded = new EnumMap<>(Role.class);

    Node(List<WorkflowRule> leaving) {
      for (Role role : Role.values()) {
        List<WorkflowRule> rules = leaving.stream().filter(rule -> rule.role() == role).toList();
        byRole.put(role, rules);
        if (rules.stream().allMatch(rule -> rule.guard() == null)) {
          unguarded.put(role, rules.stream().map(WorkflowRule::action).toList());
        }
      }
      for (WorkflowRule rule : leaving) {
        byAction.computeIfAbsent(rule.actionName(), name -> new EnumMap<>(Role.class)).put(rule.role(), rule);
      }
    }

    WorkflowRule rule(String actionName, Role role) {
      Map<Role, WorkflowRule> byRoleOfAction = byAction.get(actionName);
      return byRoleOfAction == null ? null : byRoleOfAction.get(role);
    }
  }
}
