package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * Wraps what the engine and its workers do, so that a host can time it, count it and trace it (the Spring
 * Boot starter does so with Micrometer): each change, the append inside it, and each delivery a
 * {@link DeliveryWorker} makes. Set it with {@link BookingEngine.Builder#withObserver(BookingObserver)};
 * the default, {@link #NONE}, only runs the work.
 *
 * <p>Each method is handed the work and must run it exactly once, on the calling thread, and return its
 * result or let its exception through unchanged: the observer decides nothing. Implementations must be
 * thread-safe. What they are told is bounded for use as metric tags (workflow versions, action names the
 * workflow knows, roles, consumer names), except the booking ids, which are for traces and logs only.
 */
public interface BookingObserver {

  /** Observes nothing: runs the work and returns. */
  BookingObserver NONE = new BookingObserver() {};

  /**
   * Runs one change: a request, a person's action, a timed rule or a migration, from its planning to its
   * announcement. The work throws the change's refusal ({@link BookingException}) or failure.
   *
   * @param change what is being changed
   * @param work the change itself
   * @return the work's result
   */
  default BookingChange observeChange(Change change, Supplier<BookingChange> work) {
    return work.get();
  }

  /**
   * Runs the append of one change's entry to the audit trail, inside {@link #observeChange}.
   *
   * @param change what is being changed
   * @param work the append
   */
  default void observeAppend(Change change, Runnable work) {
    work.run();
  }

  /**
   * Runs one delivery of one change to one consumer by a {@link DeliveryWorker}: the consumer's call and
   * the bookkeeping of its outcome. The work returns the outcome; a failure of the trail is thrown.
   *
   * @param delivery what is being delivered
   * @param work the delivery
   * @return the work's outcome
   */
  default DeliveryOutcome observeDelivery(DeliveryAttempt delivery, Supplier<DeliveryOutcome> work) {
    return work.get();
  }

  /** What kind of change is observed. */
  enum Kind {
    /** A customer requests a booking. */
    REQUEST,
    /** A person, or a host's job, performs an action. */
    PERFORM,
    /** A {@link DeliveryWorker} takes a timed rule that fell due. */
    TIMED,
    /** A booking is moved to a later workflow version. */
    MIGRATION
  }

  /** What became of one delivery. */
  enum DeliveryOutcome {
    /** The consumer took it and it was marked done. */
    DELIVERED,
    /** The consumer took it, but another worker had marked it done first. */
    ALREADY_DONE,
    /** The consumer failed; it is retried after a backoff. */
    RETRY,
    /** The consumer failed for the last time; it is a dead letter now. */
    DEAD
  }

  /**
   * One change being made. Immutable and thread-safe.
   *
   * @param kind what kind of change
   * @param workflow the workflow version whose rules decide it: the booking's, or for a request the
   *     engine's current version
   * @param actionName the action's name, or {@code "unknown"} when the booking's workflow version has no
   *     such action (so that a caller's typing cannot grow the set of names)
   * @param role the role of whoever acts
   * @param bookingId the booking; for traces and logs, never a metric tag
   * @param dueAt for a timed rule, when it fell due; otherwise {@code null}
   */
  record Change(Kind kind, WorkflowVersion workflow, String actionName, Role role, String bookingId,
      Instant dueAt) {

    /** The action name reported for an action the booking's workflow version does not know. */
    public static final String UNKNOWN_ACTION = "unknown";

    /**
     * Checks that the required parts are present.
     *
     * @param kind what kind of change
     * @param workflow the workflow version
     * @param actionName the action's name
     * @param role the actor's role
     * @param bookingId the booking
     * @param dueAt when a timed rule fell due, or {@code null}
     * @throws NullPointerException if a part other than {@code dueAt} is null
     */
    public Change {
      requireNonNull(kind, "kind");
      requireNonNull(workflow, "workflow");
      requireNonNull(actionName, "actionName");
      requireNonNull(role, "role");
      requireNonNull(bookingId, "bookingId");
    }
  }

  /**
   * One delivery being made. Immutable and thread-safe.
   *
   * @param consumer the consumer's name, e.g. {@link Delivery#SETTLEMENT}
   * @param entry the change delivered
   * @param failedAttempts how many deliveries of it failed before this one
   * @param claimedAt when this worker claimed it, by its clock; {@code claimedAt} minus the entry's
   *     {@code occurredAt} is how far the consumer lags behind the change
   */
  record DeliveryAttempt(String consumer, AuditEntry entry, int failedAttempts, Instant claimedAt) {

    /**
     * Checks that every part is present.
     *
     * @param consumer the consumer's name
     * @param entry the change delivered
     * @param failedAttempts failures before this one
     * @param claimedAt when it was claimed
     * @throws NullPointerException if a part is null
     */
    public DeliveryAttempt {
      requireNonNull(consumer, "consumer");
      requireNonNull(entry, "entry");
      requireNonNull(claimedAt, "claimedAt");
    }
  }
}
