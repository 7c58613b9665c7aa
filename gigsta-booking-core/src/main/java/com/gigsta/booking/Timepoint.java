package com.gigsta.booking;

/**
 * A moment in a booking's life that a {@link Deadline} counts from. Every value is read from the audit
 * trail: nothing else is stored to compute a deadline.
 */
public enum Timepoint {

  /**
   * When the booking's latest change was recorded, i.e. when it entered its current state. An action
   * that keeps the state records a change too, and so restarts the count.
   */
  STATE_ENTERED,

  /** When the booking was requested: the time of its first entry. */
  CREATED,

  /**
   * When the service is scheduled to start, as given to
   * {@link BookingEngine#requestBooking(String, Actor, String, java.time.Instant)}; optional unless the
   * workflow {@link Workflow.Builder#scheduledStartRequired(boolean) requires it}.
   */
  SCHEDULED_START
}
