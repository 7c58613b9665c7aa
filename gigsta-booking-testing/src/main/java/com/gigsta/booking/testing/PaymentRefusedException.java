package com.gigsta.booking.testing;

/**
 * Thrown by a {@link FakeProcessor}'s hooks when the processor refuses a call because of the state of the
 * booking's payment: a capture of a hold that lapsed or of no hold at all, a capture above the hold, a
 * release of a payment already captured, a refund above what is left of the captured amount, a payout
 * above what is left after refunds and earlier payouts, or money in another currency than the booking's
 * earlier calls. The refusal is not remembered under the call's idempotency key, so the same call made
 * again after the payment's state changed may succeed. Immutable and thread-safe.
 */
public class PaymentRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why the call was refused, naming its idempotency key
   */
  public PaymentRefusedException(String message) {
    super(message);
  }
}
