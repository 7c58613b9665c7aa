package com.gigsta.booking.testing;

import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;

/** Runs the audit trail contract on {@link InMemoryAuditTrail}, which keeps every instant to the nanosecond. */
class InMemoryAuditTrailTest extends AuditTrailContract {

  @Override
  protected AuditTrail createTrail(BookingLimits limits) {
    return new InMemoryAuditTrail(limits);
  }
}
