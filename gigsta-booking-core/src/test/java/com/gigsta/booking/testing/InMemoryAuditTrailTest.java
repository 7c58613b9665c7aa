package com.gigsta.booking.testing;

import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;

import com.gigsta.booking.BookingLimits;

/** Runs the audit trail contract on {@link InMemoryAuditTrail}. */
class InMemoryAuditTrailTest extends AuditTrailContract {

  @Override
  protected AuditTrail createTrail(BookingLimits limits) {
    return new InMemoryAuditTrail(limits);
  }
}
