package com.gigsta.booking.internal;

import com.gigsta.booking.BookingState;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.spi.AuditTrail;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.statefulj.fsm.FSM;
import org.statefulj.fsm.Persister;
import org.statefulj.fsm.TooBusyException;
import org.statefulj.fsm.model.Action;
import org.statefulj.fsm.model.State;
import org.statefulj.fsm.model.StateActionPair;
import org.statefulj.fsm.model.Transition;
import org.statefulj.fsm.model.impl.StateActionPairImpl;
import org.statefulj.fsm.model.impl.StateImpl;

/**
 * Runs each change through a StatefulJ {@link FSM} built from the workflow table. Immutable and
 * thread-safe: the machine is built once, and all per-change data lives in the {@link Attempt}.
 *
 * <p>StatefulJ has two habits that could hide a failed change, and both are closed off here:
 * <ul>
 *   <li>{@code onEvent} returns the current state, without error, when the event has no transition.
 *       The driver checks that the machine ended in the rule's target and that the entry was recorded,
 *       and fails loudly otherwise.</li>
 *   <li>On a {@link org.statefulj.fsm.StaleStateException} it re-reads the state and retries, by default
 *       20 times with sleeps, which can turn a lost race into a silent no-op or a long stall. The
 *       persister never throws StatefulJ's retry exceptions: a lost race is the audit trail's
 *       unchecked {@link com.gigsta.booking.BookingChangedConcurrentlyException}, which passes through
 *       {@code onEvent} untouched on the first attempt. Retries are also set to one, so nothing sleeps.</li>
 * </ul>
 */
public final class StatefulJDriver {

  // The pseudo-state bookings are in before they exist; creation is its only transition.
  private static final String NOT_CREATED = "[*]";
  // onEvent takes varargs; passing one empty array saves allocating a new one on every change.
  private static final Object[] NO_ARGS = {};

  private final FSM<Attempt> fsm;
  private final State<Attempt> notCreated;
  // Indexed by BookingState.index(): looked up twice per change, so an array rather than a map.
  private final State<Attempt>[] states;

  /**
   * Builds the machine for the workflow.
   *
   * @param workflow the table the machine is built from
   * @param trail where the persister records each attempt's entry
   * @param afterRecorded what follows a recorded change (settlement); called from the transition's
   *     action, and must not throw
   */
  public StatefulJDriver(Workflow workflow, AuditTrail trail, Consumer<Attempt> afterRecorded) {
    states = newStateArray(CompiledWorkflow.stateSlots(workflow));
    for (BookingState state : workflow.states()) {
      states[state.index()] = new StateImpl<>(state.name(), workflow.terminalStates().contains(state));
    }
    notCreated = new StateImpl<>(NOT_CREATED);
    Action<Attempt> settle = (attempt, event, args) -> afterRecorded.accept(attempt);
    Map<State<Attempt>, Map<String, RoleTransition>> transitions = new HashMap<>();
    addTransition(transitions, workflow.creation(), settle);
    for (WorkflowRule rule : workflow.rules()) {
      addTransition(transitions, rule, settle);
    }
    transitions.forEach((state, byEvent) -> byEvent.forEach(state::addTransition));
    fsm = new FSM<>(workflow.name(), new AttemptPersister(trail), 1, 0);
  }

  /**
   * Drives the attempt's rule through the machine: the persister records the entry, the transition's
   * action settles payment.
   *
   * @throws IllegalStateException if the machine did not end in the rule's target with the entry
   *     recorded; this would be a bug, never a normal outcome
   */
  public void drive(Attempt attempt) {
    State<Attempt> after;
    try {
      after = fsm.onEvent(attempt, attempt.rule().actionName(), NO_ARGS);
    } catch (TooBusyException e) {
      throw new IllegalStateException("StatefulJ gave up on " + attempt, e);
    }
    if (!attempt.isRecorded() || after != state(attempt.rule().to())) {
      throw new IllegalStateException("StatefulJ did not perform " + attempt + ": it ended in "
          + (after == null ? null : after.getName()) + " with the entry "
          + (attempt.isRecorded() ? "recorded" : "not recorded"));
    }
  }

  private void addTransition(Map<State<Attempt>, Map<String, RoleTransition>> transitions, WorkflowRule rule,
      Action<Attempt> settle) {
    State<Attempt> from = rule.isCreation() ? notCreated : state(rule.from());
    transitions.computeIfAbsent(from, state -> new HashMap<>())
        .computeIfAbsent(rule.actionName(), name -> new RoleTransition())
        .add(rule, new StateActionPairImpl<>(state(rule.to()), settle));
  }

  private State<Attempt> stateOf(Attempt attempt) {
    BookingState state = attempt.isRecorded() ? attempt.entry().toState() : attempt.entry().fromState();
    return state == null ? notCreated : state(state);
  }

  // Null for a state the workflow does not have, so that a foreign rule fails the checks loudly rather
  // than with an index error.
  private State<Attempt> state(BookingState state) {
    int index = state.index();
    return index < states.length ? states[index] : null;
  }

  // Generic arrays cannot be created without a raw type; the array never leaves this class.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static State<Attempt>[] newStateArray(int length) {
    return new State[length];
  }

  /**
   * One event may lead to different states depending on who sends it (a customer's cancellation ends in
   * CANCELLED_BY_CUSTOMER, a GigSta's in CANCELLED_BY_GIGSTA): StatefulJ's non-deterministic transition
   * picks the target by the attempt's role.
   */
  private static final class RoleTransition implements Transition<Attempt> {
    private final Map<com.gigsta.booking.Role, StateActionPair<Attempt>> byRole =
        new java.util.EnumMap<>(com.gigsta.booking.Role.class);

    void add(WorkflowRule rule, StateActionPair<Attempt> pair) {
      byRole.put(rule.role(), pair);
    }

    @Override
    public StateActionPair<Attempt> getStateActionPair(Attempt attempt, String event, Object... args) {
      StateActionPair<Attempt> pair = byRole.get(attempt.rule().role());
      if (pair == null) {
        throw new IllegalStateException("no transition for " + attempt);
      }
      return pair;
    }
  }

  /** Reads the state from the attempt and records the entry when the machine moves. */
  private final class AttemptPersister implements Persister<Attempt> {
    // The trail is called here directly rather than through the engine: each level of calls on the way
    // from perform to the trail counts against the JIT's inlining depth, and this path is the deepest.
    private final AuditTrail trail;

    AttemptPersister(AuditTrail trail) {
      this.trail = trail;
    }

    @Override
    public State<Attempt> getCurrent(Attempt attempt) {
      return stateOf(attempt);
    }

    @Override
    public void setCurrent(Attempt attempt, State<Attempt> current, State<Attempt> next) {
      if (current != stateOf(attempt) || next != state(attempt.entry().toState())) {
        throw new IllegalStateException("StatefulJ moved " + attempt + " from " + current.getName() + " to "
            + next.getName() + ", not as the workflow table says");
      }
      trail.append(attempt.entry());
      attempt.markRecorded();
    }

    @Override
    public void setStates(Collection<State<Attempt>> states) {
      // The states are fixed by the workflow when the driver is built.
    }

    @Override
    public void setStartState(State<Attempt> startState) {
      // Bookings start through the creation rule, never from a persister default.
    }
  }
}
