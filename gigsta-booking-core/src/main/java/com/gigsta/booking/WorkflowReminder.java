package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * A reminder the workflow sends by itself: while a booking is in {@code state}, once {@code deadline}
 * has passed, {@code recipient} is reminded with {@code note}. It changes nothing on the booking and is
 * cancelled by any change the booking records before it is delivered. A {@link DeliveryWorker} built
 * with {@link DeliveryWorker.Builder#withReminders(ReminderConsumer) a reminder consumer} delivers it.
 * Immutable and thread-safe.
 *
 * @param name the reminder's name, unique in its workflow
 * @param state the state it belongs to
 * @param recipient who is reminded: the booking's customer, its GigSta, or operators
 * @param note the text of the reminder
 * @param deadline when it is due
 */
public record WorkflowReminder(String name, BookingState state, Role recipient, String note, Deadline deadline) {

  /**
   * Checks that every part is present.
   *
   * @param name the reminder's name
   * @param state the state it belongs to
   * @param recipient who is reminded
   * @param note the text
   * @param deadline when it is due
   * @throws NullPointerException if a part is null
   */
  public WorkflowReminder {
    requireNonNull(name, "name");
    requireNonNull(state, "state");
    requireNonNull(recipient, "recipient");
    requireNonNull(note, "note");
    requireNonNull(deadline, "deadline");
  }

  /**
   * Returns the name of the durable consumer its deliveries are recorded under: {@code reminder.} and the
   * reminder's name, as used with {@link DeliveryWorker#deadLetters(String, int)}.
   *
   * @return the consumer's name
   */
  public String consumer() {
    return Delivery.REMINDER_PREFIX + name;
  }
}
