package com.gigsta.booking.testing;

import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;

/**
 * Runs the audit trail contract on {@link InMemoryAuditTrail} given a database's limits, the JDBC trail's
 * microseconds from the year 1000 to 9999, so that the cases a trail keeping every instant to the
 * nanosecond never gets (times finer than its precision, times outside its range) run here too.
 */
class InMemoryAuditTrailInMicrosecondsTest extends AuditTrailContract {

  @Override
  protected AuditTrail createTrail(BookingLimits limits) {
    BookingLimits micros = DeclaringTrail.MICROS_FROM_1000_TO_9999;
    return new InMemoryAuditTrail(limits.withTimes(micros.timePrecision(), micros.earliestTime(),
        micros.latestTime()));
  }
}
