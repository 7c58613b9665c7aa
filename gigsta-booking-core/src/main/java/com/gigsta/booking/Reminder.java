package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.time.Instant;

/**
 * One reminder due for one booking, handed to a {@link ReminderConsumer}. The booking had not changed
 * since {@link #dueAt()} when the worker checked just before the call. Immutable and thread-safe.
 *
 * @param reminder the workflow's reminder: name, recipient and note
 * @param booking the booking at the version the reminder belongs to
 * @param dueAt when the reminder fell due
 */
public record Reminder(WorkflowReminder reminder, Booking booking, Instant dueAt) {

  /**
   * Checks that every part is present.
   *
   * @param reminder the workflow's reminder
   * @param booking the booking
   * @param dueAt when it fell due
   * @throws NullPointerException if a part is null
   */
  public Reminder {
    requireNonNull(reminder, "reminder");
    requireNonNull(booking, "booking");
    requireNonNull(dueAt, "dueAt");
  }

  /**
   * Returns the key that is the same for every delivery of this reminder, and differs for any other:
   * {@code reminder:<booking id>:<version>:<name>}.
   *
   * @return the idempotency key
   */
  public String idempotencyKey() {
    return "reminder:" + booking.id() + ":" + booking.version() + ":" + reminder.name();
  }
}
