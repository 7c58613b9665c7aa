package com.gigsta.booking;

import java.util.Optional;

/**
 * The result of a recorded change: the booking after it and the audit entry written. Immutable and
 * thread-safe.
 *
 * @param booking the snapshot after the change; its version is the entry's sequence
 * @param entry the audit entry that records the change
 * @param settlementFailure the failure of a refund, release or capture that ran after the change was
 *     recorded, if one failed; the change stands, and the host retries the settlement with the same
 *     idempotency key
 */
public record BookingChange(
    Booking booking, AuditEntry entry, Optional<PaymentFailedException> settlementFailure) {

  /**
   * Checks that every part is present.
   *
   * @param booking the snapshot after the change
   * @param entry the audit entry recorded
   * @param settlementFailure the failed settlement, or empty
   */
  public BookingChange {
    if (booking == null || entry == null || settlementFailure == null) {
      throw new NullPointerException("booking, entry and settlementFailure are required");
    }
  }
}
