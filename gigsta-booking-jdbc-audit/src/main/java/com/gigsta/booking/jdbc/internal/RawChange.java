package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.AuditEntryCorruptedException;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.PaymentMoment;

/**
 * One placed change as the database returned it: its feed position and payment moment from the change
 * table, and its audit row as stored. Immutable.
 *
 * @param position the change's feed position
 * @param bookingId the change row's booking
 * @param sequence the change row's sequence
 * @param paymentMoment the stored payment moment's name
 * @param row the audit row, or {@code null} if it is missing
 */
public record RawChange(long position, String bookingId, long sequence, String paymentMoment, RawRow row) {

  /**
   * Returns the change as the feed hands it on.
   *
   * @return the change, with the cursor just after its position
   * @throws AuditEntryCorruptedException naming the booking and sequence if the audit row is missing or
   *     cannot be read as an entry, or the payment moment is unknown
   */
  public FeedChange toFeedChange() {
    if (row == null) {
      throw new AuditEntryCorruptedException(bookingId, sequence, "its change is at feed position " + position
          + " but its audit row is missing; verify(bookingId) reports the gap", null);
    }
    PaymentMoment moment;
    try {
      moment = PaymentMoment.valueOf(String.valueOf(paymentMoment));
    } catch (IllegalArgumentException e) {
      throw new AuditEntryCorruptedException(bookingId, sequence, "its change row names the unknown payment "
          + "moment '" + paymentMoment + "'", e);
    }
    return new FeedChange(ChangeCursor.afterPosition(position), row.toStoredRow().entry(), moment);
  }
}
