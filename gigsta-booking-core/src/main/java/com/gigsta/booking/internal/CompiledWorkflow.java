package com.gigsta.booking.internal;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowRule;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow's rules laid out for constant-time lookups by state, role and action. Immutable and
 * thread-safe.
 *
 * <p>For each state and role the list of actions is built once, so listing the actions of an unguarded
 * state allocates nothing: it is one array read and a party check.
 */
public final class CompiledWorkflow {

  private static final int ROLES = Role.values().length;

  private final Workflow workflow;
  private final Node[] nodes;
  // One slot per (state index, role): the prebuilt list where no guard applies, null where guards must run
  // or the state is not this workflow's. The hot path reads one array element instead of going through
  // the state's node, which measured about 1.5x the bare lookup.
  private final List<BookingAction>[] unguarded;
  private final Set<String> actionNames;

  /** Lays out the given workflow. */
  public CompiledWorkflow(Workflow workflow) {
    this.workflow = workflow;
    int size = stateSlots(workflow);
    this.nodes = new Node[size];
    this.unguarded = newListArray(size * ROLES);
    Set<String> names = new LinkedHashSet<>();
    for (BookingState state : workflow.states()) {
      List<WorkflowRule> leaving = workflow.rules().stream().filter(rule -> rule.from() == state).toList();
      Node node = new Node(leaving);
      nodes[state.index()] = node;
      for (int r = 0; r < ROLES; r++) {
        WorkflowRule[] rules = node.rules[r];
        boolean guarded = Arrays.stream(rules).anyMatch(rule -> rule.guard() != null);
        unguarded[state.index() * ROLES + r] =
            guarded ? null : Arrays.stream(rules).map(WorkflowRule::action).toList();
      }
      leaving.forEach(rule -> names.add(rule.actionName()));
    }
    this.actionNames = Collections.unmodifiableSet(names);
  }

  /**
   * Returns the length of an array indexed by {@link BookingState#index()} that holds every state of the
   * workflow; indices are dense across all states ever named in this JVM, so it can exceed the state count.
   */
  static int stateSlots(Workflow workflow) {
    return workflow.states().stream().mapToInt(BookingState::index).max().orElse(0) + 1;
  }

  /** Returns the workflow this was compiled from. */
  public Workflow workflow() {
    return workflow;
  }

  /** Returns true if any rule of the workflow has this action name. */
  public boolean knows(String actionName) {
    return actionNames.contains(actionName);
  }

  /** Returns every action name of the workflow except creation. */
  public Set<String> actionNames() {
    return actionNames;
  }

  /**
   * Returns the actions the actor may take on the booking now, in table order. Customers and GigStas
   * see only their own bookings' actions; operators and the system see what the workflow grants their
   * role.
   */
  public List<BookingAction> available(Booking booking, Actor actor, Clock clock) {
    int slot = booking.state().index() * ROLES + actor.role().ordinal();
    List<BookingAction> actions = slot < unguarded.length ? unguarded[slot] : null;
    if (actions != null) {
      return booking.admits(actor) ? actions : List.of();
    }
    // No prebuilt list: the state is not this workflow's, or a guard must be asked.
    Node node = node(booking.state());
    if (node == null || !booking.admits(actor)) {
      return List.of();
    }
    int r = actor.role().ordinal();
    List<BookingAction> allowed = new ArrayList<>(node.rules[r].length);
    for (WorkflowRule rule : node.rules[r]) {
      if (rule.guard() == null || rule.guard().allows(booking, actor, clock)) {
        allowed.add(rule.action());
      }
    }
    return List.copyOf(allowed);
  }

  /** Returns the rule for this state, action and role, or {@code null} if there is none. */
  public WorkflowRule rule(BookingState state, String actionName, Role role) {
    Node node = node(state);
    if (node == null) {
      return null;
    }
    WorkflowRule[] byRole = node.byAction.get(actionName);
    return byRole == null ? null : byRole[role.ordinal()];
  }

  /** Returns true if some role may take the action from this state. */
  public boolean leaves(BookingState state, String actionName) {
    Node node = node(state);
    return node != null && node.byAction.containsKey(actionName);
  }

  // Generic arrays cannot be created without a raw type; the array never leaves this class.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<BookingAction>[] newListArray(int length) {
    return new List[length];
  }

  private Node node(BookingState state) {
    int index = state.index();
    return index < nodes.length ? nodes[index] : null;
  }

  /** The rules leaving one state, indexed by role and by action. */
  private static final class Node {
    final WorkflowRule[][] rules = new WorkflowRule[ROLES][];
    final Map<String, WorkflowRule[]> byAction = new HashMap<>();

    Node(List<WorkflowRule> leaving) {
      for (Role role : Role.values()) {
        int r = role.ordinal();
        rules[r] = leaving.stream().filter(rule -> rule.role() == role).toArray(WorkflowRule[]::new);
      }
      for (WorkflowRule rule : leaving) {
        byAction.computeIfAbsent(rule.actionName(), name -> new WorkflowRule[ROLES])[rule.role().ordinal()] = rule;
      }
    }
  }
}
