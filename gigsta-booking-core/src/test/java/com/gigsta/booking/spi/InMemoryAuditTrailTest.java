package com.gigsta.booking.spi;

import com.gigsta.booking.BookingLimits;

/** Runs the audit trail contract on {@link InMemoryAuditTrail}. */
class InMemoryAuditTrailTest extends AuditTrailContract {

  @Override
  protected AuditTrail createTrail(BookingLimits limits) {
    return new InMemoryAuditTrail(limits);
  }
}
