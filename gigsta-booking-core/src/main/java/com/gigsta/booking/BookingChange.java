package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * The result of a recorded change: the booking after it and the audit entry written. Immutable and
 * thread-safe.
 *
 * <p>What the change owes the payment provider is not settled yet when this is returned: it was stored
 * with the change, and a {@code DeliveryWorker} delivers it.
 *
 * @param booking the snapshot after the change; its version is the entry's sequence
 * @param entry the audit entry that records the change
 */
public record BookingChange(Booking booking, AuditEntry entry) {

  /**
   * Checks that every part is present.
   *
   * @param booking the snapshot after the change
   * @param entry the audit entry recorded
   * @throws NullPointerException if a part is null
   */
  public BookingChange {
    requireNonNull(booking, "booking");
    requireNonNull(entry, "entry");
  }
}
