package com.gigsta.booking;

import java.time.Instant;

/**
 * The money one rule moves for one booking at one time: the amount, and for a refund the fee kept. The
 * one place these figures are computed; listing an action and performing it both ask
 * {@link #of(WorkflowRule, Booking, Instant)}, so the consequence shown is the one recorded.
 *
 * @param amount the amount the rule's payment moment moves, or {@code null} for none
 * @param fee what a refund keeps back, or {@code null} unless the rule refunds
 */
record PaymentTerms(Money amount, Money fee) {

  static final PaymentTerms NONE = new PaymentTerms(null, null);

  /**
   * Returns what the rule moves for the booking at {@code at}: nothing for a booking without a price or a
   * rule without a payment moment; the refund policy's share and the rest as the fee for a refund; the
   * price for every other moment.
   */
  static PaymentTerms of(WorkflowRule rule, Booking booking, Instant at) {
    Money price = booking.price();
    if (price == null || rule.payment() == PaymentMoment.NONE) {
      return NONE;
    }
    if (rule.payment() == PaymentMoment.REFUND) {
      Money refund = rule.refundPolicy().refundOf(price, booking, at);
      return new PaymentTerms(refund, price.minus(refund));
    }
    return new PaymentTerms(price, null);
  }
}
