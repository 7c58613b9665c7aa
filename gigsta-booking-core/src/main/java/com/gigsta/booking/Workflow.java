package com.gigsta.booking;

import com.gigsta.booking.internal.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A booking workflow as data: its states, its creation rule and its table of rules. Immutable and
 * thread-safe.
 *
 * <p>The engine's available-actions query, its execution of actions, the StatefulJ state machine and
 * the Mermaid diagram are all read from this one table, so they cannot disagree. {@link #gigsta()} is
 * the default GigSta workflow; {@link #builder(String)} defines others and validates them.
 */
public final class Workflow {

  private final String name;
  private final BookingState initialState;
  private final List<BookingState> states;
  private final Set<BookingState> terminalStates;
  private final WorkflowRule creation;
  private final List<WorkflowRule> rules;

  private Workflow(Builder builder, List<BookingState> states) {
    this.name = builder.name;
    this.initialState = builder.initialState;
    this.states = List.copyOf(states);
    this.terminalStates = Collections.unmodifiableSet(new LinkedHashSet<>(builder.terminalStates));
    this.creation = builder.creation;
    this.rules = List.copyOf(builder.rules);
  }

  /** Returns the default GigSta workflow, as defined in {@link GigstaWorkflow}. */
  public static Workflow gigsta() {
    return GigstaWorkflow.WORKFLOW;
  }

  /** Returns a builder for a workflow with the given name; not thread-safe. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns the workflow's name. */
  public String name() {
    return name;
  }

  /** Returns the state every booking starts in. */
  public BookingState initialState() {
    return initialState;
  }

  /** Returns every state, the initial one first, then in the order the rules mention them. */
  public List<BookingState> states() {
    return states;
  }

  /** Returns the states no action leaves. */
  public Set<BookingState> terminalStates() {
    return terminalStates;
  }

  /** Returns the rule that creates a booking in the initial state. */
  public WorkflowRule creation() {
    return creation;
  }

  /** Returns every rule except the creation rule, in the order they were defined. */
  public List<WorkflowRule> rules() {
    return rules;
  }

  /**
   * Returns the workflow as a Mermaid {@code stateDiagram-v2}: one arrow per rule, labelled with the
   * action and the role that takes it.
   */
  public String toMermaid() {
    StringBuilder out = new StringBuilder("stateDiagram-v2\n");
    out.append("    [*] --> ").append(initialState).append(": ").append(creation.actionName())
        .append(" (").append(creation.role()).append(")\n");
    for (WorkflowRule rule : rules) {
      out.append("    ").append(rule.from()).append(" --> ").append(rule.to()).append(": ")
          .append(rule.actionName()).append(" (").append(rule.role()).append(")\n");
    }
    for (BookingState terminal : terminalStates) {
      out.append("    ").append(terminal).append(" --> [*]\n");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "Workflow[" + name + ", " + states.size() + " states, " + rules.size() + " rules]";
  }

  /**
   * Defines a workflow; {@link #build()} validates it as a whole. Not thread-safe.
   *
   * <pre>{@code
   * Workflow workflow = Workflow.builder("tutoring")
   *     .initialState(REQUESTED)
   *     .creation("request_booking", "Booking requested by customer")
   *     .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED)
   *         .label("Accept booking").note("Booking accepted").payment(PaymentMoment.SECURE).add()
   *     .terminalStates(ACCEPTED)
   *     .build();
   * }</pre>
   */
  public static final class Builder {

    private final String name;
    private BookingState initialState;
    private WorkflowRule creation;
    private final List<WorkflowRule> rules = new ArrayList<>();
    private final List<BookingState> terminalStates = new ArrayList<>();

    private Builder(String name) {
      this.name = Checks.identifier(name, "workflow name");
    }

    /** Sets the state every booking starts in. */
    public Builder initialState(BookingState state) {
      this.initialState = Checks.notNull(state, "initial state");
      return this;
    }

    /** Declares states no action may leave. */
    public Builder terminalStates(BookingState... states) {
      for (BookingState state : Checks.notNull(states, "terminal states")) {
        terminalStates.add(Checks.notNull(state, "terminal state"));
      }
      return this;
    }

    /**
     * Defines how bookings are created: by a customer, with this action name and audit note, in the
     * initial state.
     */
    public Builder creation(String actionName, String note) {
      if (initialState == null) {
        throw new InvalidWorkflowException("workflow '" + name + "': set initialState before creation");
      }
      this.creation = new WorkflowRule(null, Role.CUSTOMER, new BookingAction(actionName, null, note, false),
          initialState, PaymentMoment.NONE, null, null);
      return this;
    }

    /** Starts a rule for the named action; finish it with {@link RuleBuilder#add()}. */
    public RuleBuilder action(String actionName) {
      return new RuleBuilder(this, Checks.actionName(actionName));
    }

    /**
     * Validates and returns the workflow.
     *
     * @throws InvalidWorkflowException listing every problem: missing parts, duplicate (state, action,
     *     role) rules, rules out of terminal states, unreachable states, dead ends that are not
     *     terminal, and actions for people without a button label
     */
    public Workflow build() {
      List<String> problems = new ArrayList<>();
      if (initialState == null) {
        problems.add("no initial state");
      }
      if (creation == null) {
        problems.add("no creation rule");
      }
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
      if (!problems.isEmpty()) {
        throw new InvalidWorkflowException("workflow '" + name + "' is invalid: " + String.join("; ", problems));
      }
      return new Workflow(this, states);
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
          rules.stream().filter(rule -> rule.from() == state).forEach(rule -> queue.add(rule.to()));
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
    private String guardName;
    private Guard guard;

    private RuleBuilder(Builder parent, String actionName) {
      this.parent = parent;
      this.actionName = actionName;
    }

    /** Sets the role that may take the action. */
    public RuleBuilder by(Role role) {
      this.role = Checks.notNull(role, "role");
      return this;
    }

    /** Sets the states the action may be taken from; one rule is added per state. */
    public RuleBuilder from(BookingState... states) {
      this.from = Arrays.asList(Checks.notNull(states, "from states").clone());
      from.forEach(state -> Checks.notNull(state, "from state"));
      return this;
    }

    /** Sets the state the booking moves to. */
    public RuleBuilder to(BookingState state) {
      this.to = Checks.notNull(state, "to state");
      return this;
    }

    /** Sets the button label shown to people; required unless only {@link Role#SYSTEM} takes the action. */
    public RuleBuilder label(String label) {
      this.label = label;
      return this;
    }

    /** Sets the note written to the audit trail. */
    public RuleBuilder note(String note) {
      this.note = note;
      return this;
    }

    /** Marks the action as destructive, so the UI confirms it. */
    public RuleBuilder critical(boolean critical) {
      this.critical = critical;
      return this;
    }

    /** Sets what happens to the payment; default {@link PaymentMoment#NONE}. */
    public RuleBuilder payment(PaymentMoment payment) {
      this.payment = Checks.notNull(payment, "payment");
      return this;
    }

    /** Adds a guard, evaluated identically when listing actions and when performing them. */
    public RuleBuilder guard(String name, Guard guard) {
      this.guardName = Checks.identifier(name, "guard name");
      this.guard = Checks.notNull(guard, "guard");
      return this;
    }

    /** Adds the rule (one per source state) and returns the workflow builder. */
    public Builder add() {
      if (role == null || from.isEmpty() || to == null || note == null) {
        throw new InvalidWorkflowException("workflow '" + parent.name + "': action " + actionName
            + " needs by(role), from(state…), to(state) and note(text)");
      }
      BookingAction action = new BookingAction(actionName, label, note, critical);
      for (BookingState state : from) {
        parent.rules.add(new WorkflowRule(state, role, action, to, payment, guardName, guard));
      }
      return parent;
    }
  }
}
