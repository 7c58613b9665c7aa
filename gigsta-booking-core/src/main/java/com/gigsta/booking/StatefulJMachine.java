package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireState;

import java.util.HashMap;
import java.util.Map;
import org.statefulj.fsm.FSM;
import org.statefulj.fsm.Persister;
import org.statefulj.fsm.TooBusyException;
import org.statefulj.fsm.model.State;
import org.statefulj.fsm.model.StateActionPair;
import org.statefulj.fsm.model.Transition;
import org.statefulj.fsm.model.impl.StateActionPairImpl;
import org.statefulj.fsm.model.impl.StateImpl;

/**
 * Runs each decided change through a StatefulJ {@link FSM} built from the workflow's table. It decides
 * nothing: {@link CompiledWorkflow} has chosen the rule, the machine is handed that rule's transition, and
 * it is asserted once that the machine moved as planned. Immutable and thread-safe: the machine is built
 * once, and each change's state lives in its own {@link Move}.
 *
 * <p>StatefulJ's {@code onEvent} returns the current state, without error, when the state has no
 * transition for the event; the assertion turns that into a loud failure. The machine's persister only
 * moves the {@link Move}; recording the change is the engine's next step.
 */
final class StatefulJMachine {

  // The pseudo-state bookings are in before they exist; creation is its only transition.
  private static final String NOT_CREATED = "[*]";
  // Every transition takes the move the compiled workflow planned; none chooses a target itself.
  private static final Transition<Move> PLANNED = (move, event, args) -> move.planned;

  private final FSM<Move> fsm;
  private final State<Move> notCreated = new StateImpl<>(NOT_CREATED);
  private final Map<BookingState, StateActionPair<Move>> arrivals = new HashMap<>();

  StatefulJMachine(Workflow workflow) {
    for (BookingState state : workflow.states()) {
      State<Move> node = new StateImpl<>(state.name(), workflow.terminalStates().contains(state));
      arrivals.put(state, new StateActionPairImpl<>(node, null));
    }
    addTransition(workflow.creation());
    workflow.rules().forEach(this::addTransition);
    // One attempt and no waiting: the persister below never asks StatefulJ to retry.
    fsm = new FSM<>(workflow.name(), new MovePersister(), 1, 0);
  }

  /**
   * Moves the machine from {@code from} (null for a creation) along the rule and returns the state it
   * reached, the rule's target.
   *
   * @throws IllegalStateException if the machine did not reach the rule's target; a bug, never a normal
   *     outcome
   */
  BookingState move(BookingState from, WorkflowRule rule) {
    StateActionPair<Move> planned = arrivals.get(rule.to());
    Move move = new Move(from == null ? notCreated : arrivals.get(from).getState(), planned);
    State<Move> reached;
    try {
      reached = fsm.onEvent(move, rule.actionName());
    } catch (TooBusyException e) {
      throw new IllegalStateException("StatefulJ gave up on '" + rule.actionName() + "' from " + from, e);
    }
    requireState(reached == planned.getState() && move.current == reached,
        "StatefulJ did not move '%s' by %s from %s to %s as planned: it reached %s", rule.actionName(),
        rule.role(), from, rule.to(), reached == null ? null : reached.getName());
    return rule.to();
  }

  private void addTransition(WorkflowRule rule) {
    State<Move> from = rule.isCreation() ? notCreated : arrivals.get(rule.from()).getState();
    // One event may lead to several targets by role (a customer's and a GigSta's cancellation); the
    // planned move carries the target, so one transition per state and event serves every role.
    if (from.getTransition(rule.actionName()) == null) {
      from.addTransition(rule.actionName(), PLANNED);
    }
  }

  /** One change in flight through the machine; confined to the thread performing it. */
  private static final class Move {
    final StateActionPair<Move> planned;
    State<Move> current;

    Move(State<Move> current, StateActionPair<Move> planned) {
      this.current = current;
      this.planned = planned;
    }
  }

  /** Keeps the machine's state in the move itself; nothing is stored here. */
  private static final class MovePersister implements Persister<Move> {
    @Override
    public State<Move> getCurrent(Move move) {
      return move.current;
    }

    @Override
    public void setCurrent(Move move, State<Move> current, State<Move> next) {
      move.current = next;
    }

    @Override
    public void setStates(java.util.Collection<State<Move>> states) {
      // The states are fixed by the workflow when the machine is built.
    }

    @Override
    public void setStartState(State<Move> startState) {
      // Bookings start through the creation rule, never from a persister default.
    }
  }
}
