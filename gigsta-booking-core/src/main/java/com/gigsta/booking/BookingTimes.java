package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.time.Instant;

/**
 * The {@link Timepoint}s of a booking as its audit trail records them: its latest entry, which holds
 * when it entered its current state and its scheduled start, and the time of its first entry. Immutable
 * and thread-safe.
 *
 * @param latest the booking's latest entry
 * @param createdAt when its first entry was recorded
 */
public record BookingTimes(AuditEntry latest, Instant createdAt) {

  /**
   * Checks the parts.
   *
   * @param latest the booking's latest entry
   * @param createdAt when its first entry was recorded
   * @throws NullPointerException if either is null
   */
  public BookingTimes {
    requireNonNull(latest, "latest");
    requireNonNull(createdAt, "createdAt");
  }

  /**
   * Returns the timepoint's value for this booking.
   *
   * @param timepoint which timepoint
   * @return its instant, or {@code null} for {@link Timepoint#SCHEDULED_START} of a booking not scheduled
   */
  public Instant at(Timepoint timepoint) {
    return switch (requireNonNull(timepoint, "timepoint")) {
      case STATE_ENTERED -> latest.occurredAt();
      case CREATED -> createdAt;
      case SCHEDULED_START -> latest.scheduledStart();
    };
  }
}
