package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * One recorded change as its trail's feed hands it on: the audit entry, what it owes the payment provider,
 * and the cursor just after it. Immutable and thread-safe.
 *
 * <p>Delivery is at least once, so a consumer deduplicates on {@link #bookingId()} and
 * {@link #sequence()}, which name the change uniquely and never change.
 *
 * @param cursor the feed cursor just after this change
 * @param entry the audit entry of the change
 * @param paymentMoment what the change owes the payment provider: {@link PaymentMoment#CHARGE} (its
 *     capture), {@link PaymentMoment#RELEASE}, {@link PaymentMoment#REFUND}, {@link PaymentMoment#CAPTURE}
 *     or {@link PaymentMoment#PAYOUT} for a settlement the settlement worker delivers,
 *     {@link PaymentMoment#SECURE} for a change whose payment was secured before it was recorded,
 *     {@link PaymentMoment#NONE} otherwise (also for every change of an engine without payment hooks)
 */
public record FeedChange(ChangeCursor cursor, AuditEntry entry, PaymentMoment paymentMoment) {

  /**
   * Checks that every part is present.
   *
   * @param cursor the cursor after the change
   * @param entry the audit entry
   * @param paymentMoment what the change owes
   * @throws NullPointerException if a part is null
   */
  public FeedChange {
    requireNonNull(cursor, "cursor");
    requireNonNull(entry, "entry");
    requireNonNull(paymentMoment, "paymentMoment");
  }

  /**
   * Returns the booking changed; with {@link #sequence()} the change's unique key.
   *
   * @return the entry's booking id
   */
  public String bookingId() {
    return entry.bookingId();
  }

  /**
   * Returns the change's sequence within its booking; with {@link #bookingId()} the change's unique key.
   *
   * @return the entry's sequence
   */
  public long sequence() {
    return entry.sequence();
  }

  /**
   * Returns whether the change owes the payment provider a capture, release, refund or payout.
   *
   * @return true for every moment that {@link PaymentMoment#settlesAfterRecording() settles after
   *     recording}
   */
  public boolean owesSettlement() {
    return paymentMoment.settlesAfterRecording();
  }
}
