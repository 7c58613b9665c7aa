package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * One change owed to one durable consumer of a {@code DeliveryWorker}: due, or, after too many failures, a dead letter. Immutable and
 * thread-safe.
 *
 * @param consumer the consumer's name; {@link #SETTLEMENT} for the payment provider
 * @param change the change to deliver
 * @param failedAttempts how many deliveries failed so far
 * @param lastError the last failure's message, or {@code null} if none failed
 */
public record Delivery(String consumer, FeedChange change, int failedAttempts, String lastError) {

  /**
   * The name of the built-in consumer that delivers settlements to the payment provider; every trail
   * registers it.
   */
  public static final String SETTLEMENT = "settlement";

  /**
   * The name under which timed transitions are retried: one that failed when it fell due is recorded as a
   * delivery to this consumer, retried with backoff, and becomes a dead letter after too many failures.
   */
  public static final String TIMERS = "timers";

  /**
   * The start of the consumer names of reminders: {@code reminder.} and the reminder's name
   * ({@link WorkflowReminder#consumer()}).
   */
  public static final String REMINDER_PREFIX = "reminder.";

  /**
   * Checks the parts.
   *
   * @param consumer the consumer's name
   * @param change the change to deliver
   * @param failedAttempts failures so far, at least 0
   * @param lastError the last failure's message, or {@code null}
   * @throws NullPointerException if the consumer or change is null
   * @throws IllegalArgumentException if {@code failedAttempts} is negative
   */
  public Delivery {
    requireNonNull(consumer, "consumer");
    requireNonNull(change, "change");
    requireArgument(failedAttempts >= 0, "failedAttempts must not be negative but was %d", failedAttempts);
  }
}
