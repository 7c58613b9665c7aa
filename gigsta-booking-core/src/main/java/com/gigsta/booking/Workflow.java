package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * A booking workflow as data: its states, who creates bookings, its table of rules (some of them timed,
 * firing by themselves at a {@link Deadline}), its reminders, and whether a customer may book themself.
 * Immutable and thread-safe.
 *
 * <p>Every rule of the workflow is here and nowhere else: the engine's available-actions query, its
 * execution of actions, the StatefulJ state machine and the Mermaid diagram are all read from this one
 * table, so they cannot disagree. {@link #gigsta()} is the default GigSta workflow;
 * {@link #builder(String)} defines others and validates them.
 */
public final class Workflow {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  // A reminder's consumer name is "reminder." and this name, at most 64 characters in all.
  private static final Pattern REMINDER_NAME = Pattern.compile("[a-z][a-z0-9_]{0,54}");

  private final String name;
  private final int version;
  private final WorkflowVersion workflowVersion;
  private final BookingState initialState;
  private final List<BookingState> states;
  private final Set<BookingState> terminalStates;
  private final WorkflowRule creation;
  private final List<WorkflowRule> rules;
  private final List<WorkflowReminder> reminders;
  private final boolean selfBookingAllowed;
  private final boolean scheduledStartRequired;

  private Workflow(Builder builder, List<BookingState> states, WorkflowRule creation) {
    this.name = builder.name;
    this.version = builder.version;
    this.workflowVersion = new WorkflowVersion(builder.name, builder.version);
    this.initialState = builder.initialState;
    this.states = List.copyOf(states);
    this.terminalStates = Collections.unmodifiableSet(new LinkedHashSet<>(builder.terminalStates));
    this.creation = creation;
    this.rules = List.copyOf(builder.rules);
    this.reminders = List.copyOf(builder.reminders);
    this.selfBookingAllowed = builder.selfBookingAllowed;
    this.scheduledStartRequired = builder.scheduledStartRequired;
  }

  /**
   * Returns the default GigSta workflow, as defined in {@link GigstaWorkflow}.
   *
   * @return the GigSta workflow, the same instance on every call
   */
  public static Workflow gigsta() {
    return GigstaWorkflow.WORKFLOW;
  }

  /**
   * Returns a builder for a workflow with the given name; not thread-safe.
   *
   * @param name lower-case letters, digits, '_' and '-', starting with a letter, at most 64 characters
   * @return a new builder with nothing declared yet
   * @throws IllegalArgumentException if the name does not have that form
   */
  public static Builder builder(String name) {
    requireNonNull(name, "workflow name");
    requireArgument(NAME.matcher(name).matches(), "workflow name must be a-z, digits, '_' and '-', starting with a "
        + "letter, at most 64 characters, but was '%s'", name);
    return new Builder(name);
  }

  // Whether the text has the form of a workflow name; WorkflowVersion checks names with it.
  static boolean isName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * Returns the workflow's name.
   *
   * @return the name given to {@link #builder(String)}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the workflow's version, as declared with {@link Builder#version(int)}.
   *
   * @return the version, from 1
   */
  public int version() {
    return version;
  }

  /**
   * Returns this workflow's name and version, which every booking created under it is pinned to.
   *
   * @return the name and version
   */
  public WorkflowVersion workflowVersion() {
    return workflowVersion;
  }

  /**
   * Returns a builder that declares everything this workflow declares (name, version, states, creation,
   * rules, reminders and flags): the start of its next version. Change what differs, give it a higher
   * {@link Builder#version(int)}, and build it; this workflow is not changed.
   *
   * <pre>{@code
   * Workflow v2 = Workflow.gigsta().toBuilder().version(2)
   *     .action("open_dispute").by(Role.CUSTOMER).from(BookingState.ACCEPTED).to(DISPUTED)
   *         .label("Report a problem").note("Customer opened a dispute").add()
   *     ...
   *     .build();
   * }</pre>
   *
   * @return a new builder holding this workflow's declarations
   */
  public Builder toBuilder() {
    Builder builder = new Builder(name);
    builder.version = version;
    builder.initialState = initialState;
    builder.terminalStates.addAll(terminalStates);
    builder.creationAction = creation.actionName();
    builder.creationRole = creation.role();
    builder.creationNote = creation.action().note();
    builder.rules.addAll(rules);
    builder.reminders.addAll(reminders);
    builder.selfBookingAllowed = selfBookingAllowed;
    builder.scheduledStartRequired = scheduledStartRequired;
    return builder;
  }

  /**
   * Returns what changed from an earlier version of this workflow to this one: the states and rules
   * added and removed, the rules that lead elsewhere now, and the rules changed otherwise. A rule is the
   * same rule in both when it has the same source state, action and role.
   *
   * @param earlier the version to compare with, usually the one before
   * @return the changes, empty when the two declare the same states and rules
   * @throws NullPointerException if {@code earlier} is null
   */
  public WorkflowChanges changesFrom(Workflow earlier) {
    return WorkflowChanges.between(requireNonNull(earlier, "earlier"), this);
  }

  /**
   * Returns the state every booking starts in.
   *
   * @return the initial state
   */
  public BookingState initialState() {
    return initialState;
  }

  /**
   * Returns every state, the initial one first, then in the order the rules mention them.
   *
   * @return every state, unmodifiable
   */
  public List<BookingState> states() {
    return states;
  }

  /**
   * Returns the states no action leaves.
   *
   * @return the terminal states in the order declared, unmodifiable
   */
  public Set<BookingState> terminalStates() {
    return terminalStates;
  }

  /**
   * Returns the rule that creates a booking in the initial state.
   *
   * @return the creation rule, which has no source state
   */
  public WorkflowRule creation() {
    return creation;
  }

  /**
   * Returns every rule except the creation rule, in the order they were defined.
   *
   * @return the rules, unmodifiable
   */
  public List<WorkflowRule> rules() {
    return rules;
  }

  /**
   * Returns the timed rules, which {@link Role#SYSTEM} takes by itself once their deadline has passed, in
   * the order they were defined.
   *
   * @return the rules with a {@link WorkflowRule#deadline()}, unmodifiable
   */
  public List<WorkflowRule> timedRules() {
    return rules.stream().filter(WorkflowRule::isTimed).toList();
  }

  /**
   * Returns the reminders, in the order they were defined.
   *
   * @return the reminders, unmodifiable
   */
  public List<WorkflowReminder> reminders() {
    return reminders;
  }

  /**
   * Returns whether every booking must be requested with a scheduled start; false unless declared with
   * {@link Builder#scheduledStartRequired(boolean)}.
   *
   * @return true if a scheduled start is required
   */
  public boolean scheduledStartRequired() {
    return scheduledStartRequired;
  }

  /**
   * Returns whether a customer may request a booking from themself (the same id as customer and GigSta);
   * false unless declared with {@link Builder#selfBookingAllowed(boolean)}.
   *
   * @return true if a customer may book themself
   */
  public boolean selfBookingAllowed() {
    return selfBookingAllowed;
  }

  /**
   * Returns the workflow as a Mermaid {@code stateDiagram-v2}: one arrow per rule, labelled with the
   * action, the role that takes it, its payment moment unless it has none, and for a timed rule its
   * deadline; one note per reminder.
   *
   * @return the diagram's source: the {@code stateDiagram-v2} header, then one line per arrow
   */
  public String toMermaid() {
    StringBuilder out = new StringBuilder("stateDiagram-v2\n");
    out.append("    [*] --> ").append(initialState).append(": ").append(creation.actionName())
        .append(" (").append(creation.role()).append(")\n");
    for (WorkflowRule rule : rules) {
      out.append("    ").append(rule.from()).append(" --> ").append(rule.to()).append(": ")
          .append(rule.actionName()).append(" (").append(rule.role());
      if (rule.payment() != PaymentMoment.NONE) {
        out.append(", ").append(rule.payment().name().toLowerCase(Locale.ROOT));
      }
      if (rule.isTimed()) {
        out.append(", ").append(rule.deadline());
      }
      out.append(")\n");
    }
    for (WorkflowReminder reminder : reminders) {
      out.append("    note right of ").append(reminder.state()).append(": ").append(reminder.name()).append(" to ")
          .append(reminder.recipient()).append(", ").append(reminder.deadline()).append("\n");
    }
    for (BookingState terminal : terminalStates) {
      out.append("    ").append(terminal).append(" --> [*]\n");
    }
    return out.toString();
  }
  /**
   * Returns the workflow as Markdown tables, the form the README documents workflows in: one row per rule
   * (action, role, source and target state, button label, whether it is critical, payment moment and
   * refund policy, and whether people take it or it fires by itself at its deadline), then one row per
   * reminder. Generate the table of each version with it, so documentation cannot drift from the code.
   *
   * @return two Markdown tables, rules then reminders, each line ending with a line feed
   */
  public String toRuleTable() {
    StringBuilder table = new StringBuilder()
        .append("| action_name | who | from | to | button_label | is_critical | payment | when |\n")
        .append("|---|---|---|---|---|---|---|---|\n")
        .append("| ").append(creation.actionName()).append(" | ").append(creation.role())
        .append(" | (creation) | ").append(creation.to()).append(" | | | none | on request |\n");
    for (WorkflowRule rule : rules) {
      String label = rule.action().buttonLabel() == null ? "(not shown to people)" : rule.action().buttonLabel();
      String payment = switch (rule.payment()) {
        case SECURE -> "secure, before recording";
        case CHARGE -> "charge: secured before recording, captured right after";
        case REFUND -> "refund, " + rule.refundPolicy();
        default -> rule.payment().name().toLowerCase(Locale.ROOT);
      };
      table.append("| ").append(rule.actionName()).append(" | ").append(rule.role()).append(" | ")
          .append(rule.from()).append(" | ").append(rule.to()).append(" | ").append(label).append(" | ")
          .append(rule.action().isCritical()).append(" | ").append(payment).append(" | ")
          .append(rule.isTimed() ? "by itself, " + rule.deadline() : "on request").append(" |\n");
    }
    table.append("\n| reminder | to | in | when | note |\n").append("|---|---|---|---|---|\n");
    for (WorkflowReminder reminder : reminders) {
      table.append("| ").append(reminder.name()).append(" | ").append(reminder.recipient()).append(" | ")
          .append(reminder.state()).append(" | ").append(reminder.deadline()).append(" | ").append(reminder.note())
          .append(" |\n");
    }
    return table.toString();
  }


  @Override
  public String toString() {
    return "Workflow[" + name + " v" + version + ", " + states.size() + " states, " + rules.size() + " rules]";
  }

  /**
   * Defines a workflow; {@link #build()} validates it as a whole. Not thread-safe.
   *
   * <pre>{@code
   * Workflow workflow = Workflow.builder("tutoring")
   *     .initialState(REQUESTED)
   *     .creation("request_booking", Role.CUSTOMER, "Booking requested by customer")
   *     .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED)
   *         .label("Accept booking").note("Booking accepted").payment(PaymentMoment.SECURE).add()
   *     .terminalStates(ACCEPTED)
   *     .build();
   * }</pre>
   */
  public static final class Builder {

    private final String name;
    private int version = 1;
    private BookingState initialState;
    private final List<WorkflowRule> rules = new ArrayList<>();
    // Problems found while adding rules (a malformed name or note), reported by build() with the rest.
    private final List<String> ruleProblems = new ArrayList<>();
    private final List<BookingState> terminalStates = new ArrayList<>();
    private String creationAction;
    private Role creationRole;
    private String creationNote;
    private final List<WorkflowReminder> reminders = new ArrayList<>();
    private boolean selfBookingAllowed;
    private boolean scheduledStartRequired;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the workflow's version; default 1. Give each deployed change of a workflow a higher version.
     *
     * @param version from 1
     * @return this builder
     * @throws IllegalArgumentException if the version is below 1
     */
    public Builder version(int version) {
      requireArgument(version >= 1, "a workflow version is at least 1 but was %d", version);
      this.version = version;
      return this;
    }

    /**
     * Sets the state every booking starts in.
     *
     * @param state the initial state
     * @return this builder
     */
    public Builder initialState(BookingState state) {
      this.initialState = requireNonNull(state, "initial state");
      return this;
    }

    /**
     * Removes the rule by which this role takes this action from this state, if one was declared: to
     * retarget a rule, remove it and declare it again.
     *
     * @param from the rule's source state
     * @param actionName the rule's action
     * @param role the rule's role
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder removeRule(BookingState from, String actionName, Role role) {
      requireNonNull(from, "from");
      requireNonNull(actionName, "actionName");
      requireNonNull(role, "role");
      rules.removeIf(rule -> rule.from().equals(from) && rule.actionName().equals(actionName) && rule.role() == role);
      return this;
    }

    /**
     * Removes a state: every rule into or out of it, its reminders, and its place among the terminal
     * states. {@link #build()} then reports any state left without a way in or out.
     *
     * @param state the state to remove; not the initial state
     * @return this builder
     * @throws NullPointerException if the state is null
     * @throws IllegalArgumentException if the state is the initial state
     */
    public Builder removeState(BookingState state) {
      requireNonNull(state, "state");
      requireArgument(!state.equals(initialState), "the initial state %s cannot be removed", state);
      rules.removeIf(rule -> rule.from().equals(state) || rule.to().equals(state));
      reminders.removeIf(reminder -> reminder.state().equals(state));
      terminalStates.remove(state);
      return this;
    }

    /**
     * Declares states no action may leave.
     *
     * @param states the terminal states, added to those declared before
     * @return this builder
     */
    public Builder terminalStates(BookingState... states) {
      for (BookingState state : requireNonNull(states, "terminal states")) {
        terminalStates.add(requireNonNull(state, "terminal state"));
      }
      return this;
    }

    /**
     * Declares how bookings are created: with this action name and audit note, by this role, in the
     * initial state. The actor who creates a booking becomes its customer, so the role must be
     * {@link Role#CUSTOMER}; {@link #build()} refuses any other.
     *
     * @param actionName the creation action's name
     * @param role the role that creates bookings; must be {@link Role#CUSTOMER}
     * @param note the note of every creation entry
     * @return this builder
     */
    public Builder creation(String actionName, Role role, String note) {
      this.creationAction = requireNonNull(actionName, "creation action name");
      this.creationRole = requireNonNull(role, "creation role");
      this.creationNote = requireNonNull(note, "creation note");
      return this;
    }

    /**
     * Declares whether every booking must be requested with a scheduled start; default false. A deadline
     * that counts only from {@link Timepoint#SCHEDULED_START} needs it.
     *
     * @param required true to refuse requests without a scheduled start
     * @return this builder
     */
    public Builder scheduledStartRequired(boolean required) {
      this.scheduledStartRequired = required;
      return this;
    }

    /**
     * Starts a reminder; finish it with {@link ReminderBuilder#add()}.
     *
     * @param name the reminder's name: lower-case letters, digits and '_', starting with a letter, at most
     *     55 characters
     * @return a builder for the reminder, which {@link ReminderBuilder#add()} adds to this builder
     */
    public ReminderBuilder reminder(String name) {
      return new ReminderBuilder(this, requireNonNull(name, "reminder name"));
    }

    /**
     * Declares whether a customer may request a booking from themself, i.e. with their own id as the
     * GigSta's; default false.
     *
     * @param allowed true to let a customer book themself
     * @return this builder
     */
    public Builder selfBookingAllowed(boolean allowed) {
      this.selfBookingAllowed = allowed;
      return this;
    }

    /**
     * Starts a rule for the named action; finish it with {@link RuleBuilder#add()}.
     *
     * @param actionName the action's name, lower_snake_case
     * @return a builder for the rule, which {@link RuleBuilder#add()} adds to this builder
     */
    public RuleBuilder action(String actionName) {
      return new RuleBuilder(this, requireNonNull(actionName, "action name"));
    }

    /**
     * Validates and returns the workflow.
     *
     * @return the validated workflow
     * @throws InvalidWorkflowException listing every problem: missing parts, names or notes of the wrong
     *     form, a creation role other than CUSTOMER, duplicate (state, action, role) rules, rules out of
     *     terminal states, unreachable states, dead ends that are not terminal, actions for people
     *     without a button label; for timed rules and reminders: a role other than SYSTEM taking a timed
     *     rule, a duration that is not positive, two timed rules from one state to the same state, two
     *     reminders of one name, a reminder of a state not in the workflow or to SYSTEM, and a
     *     deadline that some booking would not have (one counting only from an optional scheduled start)
     */
    public Workflow build() {
      List<String> problems = new ArrayList<>();
      if (initialState == null) {
        problems.add("no initial state");
      }
      WorkflowRule creation = null;
      if (creationAction == null) {
        problems.add("no creation rule");
      } else if (creationRole != Role.CUSTOMER) {
        problems.add("bookings are created by their customer, so the creation role must be CUSTOMER, not "
            + creationRole);
      } else if (initialState != null) {
        try {
          creation = new WorkflowRule(null, creationRole,
              new BookingAction(creationAction, null, creationNote, false), initialState, PaymentMoment.NONE,
              null, null, null);
        } catch (InvalidBookingInputException e) {
          problems.add("creation: " + e.getMessage());
        }
      }
      if (WorkflowMigration.ACTION_NAME.equals(creationAction)) {
        problems.add(creationAction + " is the name of the entries that migrate bookings between versions; the "
            + "creation may not take it");
      }
      problems.addAll(ruleProblems);
      if (initialState != null && terminalStates.contains(initialState)) {
        problems.add("the initial state " + initialState + " is terminal");
      }
      Set<String> seen = new HashSet<>();
      Set<BookingState> withExits = new HashSet<>();
      List<BookingState> states = new ArrayList<>();
      if (initialState != null) {
        states.add(initialState);
      }
      for (WorkflowRule rule : rules) {
        String key = rule.from() + "/" + rule.actionName() + "/" + rule.role();
        if (!seen.add(key)) {
          problems.add("duplicate rule: " + rule.actionName() + " by " + rule.role() + " from " + rule.from());
        }
        if (terminalStates.contains(rule.from())) {
          problems.add(rule.actionName() + " leaves terminal state " + rule.from());
        }
        if (rule.role() != Role.SYSTEM && rule.action().buttonLabel() == null) {
          problems.add(rule.actionName() + " by " + rule.role() + " from " + rule.from()
              + " has no button label, but people take it");
        }
        if (rule.actionName().equals(WorkflowMigration.ACTION_NAME)) {
          problems.add(rule.actionName() + " is the name of the entries that migrate bookings between versions; "
              + "no rule may take it");
        }
        withExits.add(rule.from());
        addOnce(states, rule.from());
        addOnce(states, rule.to());
      }
      for (BookingState terminal : terminalStates) {
        addOnce(states, terminal);
      }
      Set<BookingState> reachable = reachableFrom(initialState);
      for (BookingState state : states) {
        if (!reachable.contains(state)) {
          problems.add("state " + state + " is unreachable from " + initialState);
        }
        if (!withExits.contains(state) && !terminalStates.contains(state)) {
          problems.add("state " + state + " has no actions but is not declared terminal");
        }
      }
      checkTimedRules(problems);
      checkReminders(states, problems);
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException("workflow '" + name + "' is invalid: " + String.join("; ", problems));
      }
      return new Workflow(this, states, creation);
    }

    private void checkTimedRules(List<String> problems) {
      Set<String> outcomes = new HashSet<>();
      for (WorkflowRule rule : rules) {
        if (!rule.isTimed()) {
          continue;
        }
        String what = "timed rule " + rule.actionName() + " from " + rule.from();
        if (rule.role() != Role.SYSTEM) {
          problems.add(what + " is taken by the system when due, so it must be by SYSTEM, not " + rule.role());
        }
        if (!outcomes.add(rule.from() + "/" + rule.to())) {
          problems.add("more than one timed rule from " + rule.from() + " to " + rule.to() + "; at most one may be");
        }
        checkDeadline(what, rule.deadline(), problems);
      }
    }

    private void checkReminders(List<BookingState> states, List<String> problems) {
      Set<String> seen = new HashSet<>();
      for (WorkflowReminder reminder : reminders) {
        String what = "reminder " + reminder.name() + " in " + reminder.state();
        if (!REMINDER_NAME.matcher(reminder.name()).matches()) {
          problems.add(what + ": its name must be a-z, digits and '_', starting with a letter, at most 55 "
              + "characters");
        }
        if (!states.contains(reminder.state())) {
          problems.add(what + ": " + reminder.state() + " is not a state of the workflow");
        }
        if (reminder.recipient() == Role.SYSTEM) {
          problems.add(what + ": reminders go to people, not to SYSTEM");
        }
        if (!seen.add(reminder.name())) {
          problems.add("more than one reminder named " + reminder.name() + "; its deliveries are recorded under "
              + reminder.consumer() + ", so the name must be unique in the workflow");
        }
        checkDeadline(what, reminder.deadline(), problems);
      }
    }

    private void checkDeadline(String what, Deadline deadline, List<String> problems) {
      List<String> durations = new ArrayList<>();
      deadline.collectDurationProblems(durations);
      durations.forEach(problem -> problems.add(what + ": " + problem));
      if (!deadline.alwaysDue(scheduledStartRequired)) {
        problems.add(what + ": " + deadline + " counts only from the scheduled start, which a booking may not "
            + "have; combine it with CREATED or STATE_ENTERED, or declare scheduledStartRequired(true)");
      }
    }

    private Set<BookingState> reachableFrom(BookingState start) {
      Set<BookingState> reached = new HashSet<>();
      if (start == null) {
        return reached;
      }
      Deque<BookingState> queue = new ArrayDeque<>(List.of(start));
      while (!queue.isEmpty()) {
        BookingState state = queue.poll();
        if (reached.add(state)) {
          rules.stream().filter(rule -> rule.from().equals(state)).forEach(rule -> queue.add(rule.to()));
        }
      }
      return reached;
    }

    private static void addOnce(List<BookingState> states, BookingState state) {
      if (!states.contains(state)) {
        states.add(state);
      }
    }
  }

  /** Defines one rule, or one per source state when several are given. Not thread-safe. */
  public static final class RuleBuilder {

    private final Builder parent;
    private final String actionName;
    private Role role;
    private List<BookingState> from = List.of();
    private BookingState to;
    private String label;
    private String note;
    private boolean critical;
    private PaymentMoment payment = PaymentMoment.NONE;
    private RefundPolicy refundPolicy;
    private String guardName;
    private Guard guard;
    private Deadline deadline;

    private RuleBuilder(Builder parent, String actionName) {
      this.parent = parent;
      this.actionName = actionName;
    }

    /**
     * Sets the role that may take the action.
     *
     * @param role the role that may take the action
     * @return this builder
     */
    public RuleBuilder by(Role role) {
      this.role = requireNonNull(role, "role");
      return this;
    }

    /**
     * Sets the states the action may be taken from; one rule is added per state.
     *
     * @param states the source states, replacing any set before
     * @return this builder
     */
    public RuleBuilder from(BookingState... states) {
      this.from = Arrays.asList(requireNonNull(states, "from states").clone());
      from.forEach(state -> requireNonNull(state, "from state"));
      return this;
    }

    /**
     * Sets the state the booking moves to.
     *
     * @param state the target state
     * @return this builder
     */
    public RuleBuilder to(BookingState state) {
      this.to = requireNonNull(state, "to state");
      return this;
    }

    /**
     * Sets the button label shown to people; required unless only {@link Role#SYSTEM} takes the action.
     *
     * @param label the button label, or {@code null} if only {@link Role#SYSTEM} takes the action
     * @return this builder
     */
    public RuleBuilder label(String label) {
      this.label = label;
      return this;
    }

    /**
     * Sets the note written to the audit trail.
     *
     * @param note the audit note; required
     * @return this builder
     */
    public RuleBuilder note(String note) {
      this.note = note;
      return this;
    }

    /**
     * Marks the action as destructive, so the UI confirms it.
     *
     * @param critical true if the UI must confirm the action
     * @return this builder
     */
    public RuleBuilder critical(boolean critical) {
      this.critical = critical;
      return this;
    }

    /**
     * Sets what happens to the payment; default {@link PaymentMoment#NONE}.
     *
     * @param payment the payment moment
     * @return this builder
     */
    public RuleBuilder payment(PaymentMoment payment) {
      this.payment = requireNonNull(payment, "payment");
      return this;
    }

    /**
     * Sets how much a refunding rule gives back; default {@link RefundPolicy#full()}. Only for a rule
     * whose payment moment is {@link PaymentMoment#REFUND}; {@link Builder#build()} refuses it on any
     * other.
     *
     * @param refundPolicy the policy, evaluated with the engine's clock when the action is listed and when
     *     it is performed
     * @return this builder
     */
    public RuleBuilder refund(RefundPolicy refundPolicy) {
      this.refundPolicy = requireNonNull(refundPolicy, "refundPolicy");
      return this;
    }

    /**
     * Adds a guard, evaluated identically when listing actions and when performing them.
     *
     * @param name the guard's name for refusals, in the same form as a workflow name
     * @param guard the condition
     * @return this builder
     */
    public RuleBuilder guard(String name, Guard guard) {
      this.guardName = requireNonNull(name, "guard name");
      this.guard = requireNonNull(guard, "guard");
      requireArgument(NAME.matcher(name).matches(), "guard name must be a-z, digits, '_' and '-', starting with "
          + "a letter, at most 64 characters, but was '%s'", name);
      return this;
    }

    /**
     * Makes the rule timed: a {@link DeliveryWorker} takes it by itself, as {@link Role#SYSTEM}, once the
     * deadline has passed for a booking still in the source state. Any change the booking records first
     * cancels it; {@link Timepoint#STATE_ENTERED} then counts from that change. {@link Builder#build()} requires
     * the role to be SYSTEM, positive durations, and at most one timed rule per source and target state.
     *
     * @param deadline when the rule fires
     * @return this builder
     */
    public RuleBuilder after(Deadline deadline) {
      this.deadline = requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * Adds the rule (one per source state) and returns the workflow builder.
     *
     * @return the workflow builder, to declare more or build
     */
    public Builder add() {
      if (role == null || from.isEmpty() || to == null || note == null) {
        throw new InvalidWorkflowException("workflow '" + parent.name + "': action " + actionName
            + " needs by(role), from(state…), to(state) and note(text)");
      }
      if (refundPolicy != null && payment != PaymentMoment.REFUND) {
        parent.ruleProblems.add(actionName + ": a refund policy is only for a REFUND rule, not a " + payment + " one");
        return parent;
      }
      BookingAction action;
      try {
        action = new BookingAction(actionName, label, note, critical);
      } catch (InvalidBookingInputException e) {
        parent.ruleProblems.add(actionName + ": " + e.getMessage());
        return parent;
      }
      for (BookingState state : from) {
        // Without a policy of its own, a rule gets the record's default (a refunding rule refunds in full).
        parent.rules.add(refundPolicy == null
            ? new WorkflowRule(state, role, action, to, payment, guardName, guard, deadline)
            : new WorkflowRule(state, role, action, to, payment, guardName, guard, deadline, refundPolicy));
      }
      return parent;
    }
  }

  /** Defines one reminder. Not thread-safe. */
  public static final class ReminderBuilder {

    private final Builder parent;
    private final String name;
    private BookingState state;
    private Role recipient;
    private String note;
    private Deadline deadline;

    private ReminderBuilder(Builder parent, String name) {
      this.parent = parent;
      this.name = name;
    }

    /**
     * Sets the state the reminder belongs to; the booking leaving it, or recording any other change in it,
     * cancels the reminder.
     *
     * @param state the state
     * @return this builder
     */
    public ReminderBuilder in(BookingState state) {
      this.state = requireNonNull(state, "state");
      return this;
    }

    /**
     * Sets who is reminded.
     *
     * @param recipient the booking's {@link Role#CUSTOMER}, its {@link Role#GIGSTA}, or {@link Role#OPERATOR}s
     * @return this builder
     */
    public ReminderBuilder to(Role recipient) {
      this.recipient = requireNonNull(recipient, "recipient");
      return this;
    }

    /**
     * Sets when the reminder is due.
     *
     * @param deadline the deadline
     * @return this builder
     */
    public ReminderBuilder at(Deadline deadline) {
      this.deadline = requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * Sets the reminder's text.
     *
     * @param note the text, in the form of an audit note
     * @return this builder
     */
    public ReminderBuilder note(String note) {
      this.note = requireNonNull(note, "note");
      return this;
    }

    /**
     * Adds the reminder and returns the workflow builder.
     *
     * @return the workflow builder, to declare more or build
     * @throws InvalidWorkflowException if the state, recipient, deadline or note is missing
     */
    public Builder add() {
      if (state == null || recipient == null || deadline == null || note == null) {
        throw new InvalidWorkflowException("workflow '" + parent.name + "': reminder " + name
            + " needs in(state), to(role), at(deadline) and note(text)");
      }
      try {
        Inputs.text(note, "reminder note");
      } catch (InvalidBookingInputException e) {
        parent.ruleProblems.add("reminder " + name + ": " + e.getMessage());
        return parent;
      }
      parent.reminders.add(new WorkflowReminder(name, state, recipient, note, deadline));
      return parent;
    }
  }
}
