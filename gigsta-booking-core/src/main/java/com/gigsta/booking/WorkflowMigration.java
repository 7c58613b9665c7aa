package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How bookings pinned to one version of a workflow move to a later version: for each state of the old
 * version, the state of the new one, or that bookings in it stay pinned to the old version. Immutable and
 * thread-safe; made by {@link #between(Workflow, Workflow)} and performed by
 * {@link BookingEngine#migrate(String, WorkflowMigration, Actor, String)} for one booking or
 * {@link BookingEngine#migrateAll(WorkflowMigration, Actor, String)} for all of them.
 *
 * <pre>{@code
 * WorkflowMigration toDisputes = WorkflowMigration.between(v1, v2)
 *     .map(ACCEPTED, ACCEPTED)
 *     .stay(REQUESTED, IN_PROGRESS)
 *     .build();
 * }</pre>
 *
 * <p>Moving a booking is an audit entry of its own, {@link #ACTION_NAME}, by an operator or the system,
 * with the reason given: its from and to states are the booking's states in the two versions, its note
 * names both versions, and from then on the booking's entries carry the new version. It moves no money and
 * runs no transition of either version. Bookings in a terminal state stay pinned unless mapped, and a
 * migration never ends or reopens a booking: terminal states map only to terminal states.
 *
 * <p>The migration entry is the booking's latest, so the later version's deadlines that count from
 * {@link Timepoint#STATE_ENTERED} count from the migration: the booking entered its state of that version
 * then. Deadlines from {@link Timepoint#CREATED} and {@link Timepoint#SCHEDULED_START} are unaffected.
 */
public final class WorkflowMigration {

  /** The action name of every migration entry; no workflow rule may use it. */
  public static final String ACTION_NAME = "migrate_workflow";

  private final Workflow from;
  private final Workflow to;
  private final Map<BookingState, BookingState> targets;

  private WorkflowMigration(Builder builder) {
    this.from = builder.from;
    this.to = builder.to;
    this.targets = Collections.unmodifiableMap(new LinkedHashMap<>(builder.targets));
  }

  /**
   * Returns a builder for a migration from one version of a workflow to a later one; not thread-safe.
   *
   * @param from the version bookings are pinned to now
   * @param to the version to move them to
   * @return a builder with no state mapped yet
   * @throws NullPointerException if a version is null
   */
  public static Builder between(Workflow from, Workflow to) {
    return new Builder(requireNonNull(from, "from"), requireNonNull(to, "to"));
  }

  /**
   * Returns the version bookings move from.
   *
   * @return the earlier version
   */
  public Workflow from() {
    return from;
  }

  /**
   * Returns the version bookings move to.
   *
   * @return the later version
   */
  public Workflow to() {
    return to;
  }

  /**
   * Returns the state of the later version that a booking in this state of the earlier one moves to.
   *
   * @param state a state of the earlier version
   * @return the state to move to, or empty when bookings in this state stay pinned
   * @throws NullPointerException if the state is null
   */
  public Optional<BookingState> target(BookingState state) {
    return Optional.ofNullable(targets.get(requireNonNull(state, "state")));
  }

  // The note of a migration entry: both versions and both states, so the history reads without the code.
  String note(BookingState fromState, BookingState toState) {
    return "Moved from workflow " + from.workflowVersion() + " (" + fromState + ") to " + to.workflowVersion()
        + " (" + toState + ")";
  }

  /**
   * Returns the mapping, one state per line.
   *
   * @return e.g. {@code gigsta v1 -> gigsta v2: ACCEPTED -> ACCEPTED, REQUESTED stays}
   */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (BookingState state : from.states()) {
      BookingState target = targets.get(state);
      parts.add(target == null ? state + " stays" : state + " -> " + target);
    }
    return from.workflowVersion() + " -> " + to.workflowVersion() + ": " + String.join(", ", parts);
  }

  /** Declares a {@link WorkflowMigration}; not thread-safe. */
  public static final class Builder {
    private final Workflow from;
    private final Workflow to;
    private final Map<BookingState, BookingState> targets = new LinkedHashMap<>();
    private final Set<BookingState> staying = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    private Builder(Workflow from, Workflow to) {
      this.from = from;
      this.to = to;
    }

    /**
     * Moves bookings in {@code state} of the earlier version to {@code target} of the later one.
     *
     * @param state a state of the earlier version
     * @param target a state of the later version
     * @return this builder
     * @throws NullPointerException if a state is null
     */
    public Builder map(BookingState state, BookingState target) {
      requireNonNull(state, "state");
      requireNonNull(target, "target");
      BookingState earlier = targets.putIfAbsent(state, target);
      if (earlier != null && !earlier.equals(target)) {
        problems.add(state + " is mapped to both " + earlier + " and " + target);
      }
      return this;
    }

    /**
     * Keeps bookings in these states of the earlier version pinned to it.
     *
     * @param states states of the earlier version
     * @return this builder
     * @throws NullPointerException if a state is null
     */
    public Builder stay(BookingState... states) {
      for (BookingState state : requireNonNull(states, "states")) {
        staying.add(requireNonNull(state, "state"));
      }
      return this;
    }

    /**
     * Returns the migration, after checking that it moves every booking into a state the later version
     * knows and says what happens to every non-terminal state of the earlier one.
     *
     * @return the migration
     * @throws InvalidWorkflowException naming every problem: versions of different workflows, a later
     *     version that is not later, a state either version does not have, a state both mapped and
     *     staying, a non-terminal state neither mapped nor staying, or a mapping that would end or reopen
     *     a booking
     */
    public WorkflowMigration build() {
      List<String> found = new ArrayList<>(problems);
      if (!from.name().equals(to.name())) {
        found.add("it moves bookings between two workflows, " + from.name() + " and " + to.name()
            + "; a migration moves them between versions of one");
      } else if (to.version() <= from.version()) {
        found.add("version " + to.version() + " is not later than version " + from.version());
      }
      for (Map.Entry<BookingState, BookingState> mapping : targets.entrySet()) {
        BookingState state = mapping.getKey();
        BookingState target = mapping.getValue();
        if (!from.states().contains(state)) {
          found.add(state + " is not a state of " + from.workflowVersion());
        }
        if (!to.states().contains(target)) {
          found.add(state + " is mapped to " + target + ", which is not a state of " + to.workflowVersion());
        } else if (from.terminalStates().contains(state) != to.terminalStates().contains(target)) {
          found.add(state + " -> " + target + " would " + (from.terminalStates().contains(state) ? "reopen" : "end")
              + " bookings; a migration maps terminal states only to terminal states");
        }
        if (staying.contains(state)) {
          found.add(state + " is both mapped and staying");
        }
      }
      for (BookingState state : staying) {
        if (!from.states().contains(state)) {
          found.add(state + " stays, but is not a state of " + from.workflowVersion());
        }
      }
      for (BookingState state : from.states()) {
        if (!from.terminalStates().contains(state) && !targets.containsKey(state) && !staying.contains(state)) {
          found.add(state + " is neither mapped nor declared to stay");
        }
      }
      if (!found.isEmpty()) {
        throw new InvalidWorkflowException("migration from " + from.workflowVersion() + " to "
            + to.workflowVersion() + " is invalid: " + String.join("; ", found));
      }
      return new WorkflowMigration(this);
    }
  }
}
