package com.gigsta.booking;

/**
 * Sends a workflow's reminders, e.g. as email or push messages; given to
 * {@link DeliveryWorker.Builder#withReminders(ReminderConsumer)}. Called at least once per reminder, and
 * again only when a worker died or lost its lease before recording it sent: deduplicate on
 * {@link Reminder#idempotencyKey()}. A call that throws is retried with backoff and, after the worker's
 * maximum attempts, becomes a dead letter of {@link WorkflowReminder#consumer()}. Called from the
 * worker's threads, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface ReminderConsumer {

  /**
   * Sends one reminder.
   *
   * @param reminder the reminder, with the booking as it was when the reminder fell due
   * @throws Exception if it could not be sent; it is retried
   */
  void remind(Reminder reminder) throws Exception;
}
