package com.gigsta.booking.spi;

/**
 * The host's payment provider, called at the payment moments of the workflow. Implementations must be
 * thread-safe and idempotent per {@link PaymentRequest#idempotencyKey()}: a call repeated with a key
 * already seen must return the first call's result (a decline too) and change nothing.
 *
 * <p>A booking has one payment at the provider (in Stripe, one PaymentIntent): {@link #secure} authorizes
 * it, and every later call names the same booking. {@link #secure} is called by the engine before the
 * change is recorded: throwing {@link PaymentDeclinedException} says the provider refused (the next
 * attempt gets a new key); any other exception says the outcome is unknown (the next attempt repeats the
 * key). Either refuses the action and nothing is written. If the change then cannot be recorded, the
 * engine reads what the trail holds at its sequence. Another action there: the change lost a race, and
 * the engine calls {@link #release} with a request for the same change. The same action: another request
 * (a double submit) recorded it with the same idempotency key, so the payment is the same and is kept.
 * Nothing there (the storage failed, or the winner of a race is still committing): a double submit may
 * still be recording it with the same key, so the engine calls nothing; the payment stays held for a
 * retry of the action, which repeats the key, and a {@code DeliveryWorker} releases it once its hold
 * grace has passed, unless a change claimed it. {@link #capture}, {@link #release}, {@link #refund} and
 * {@link #payout} for a recorded change are called by a {@code DeliveryWorker}, at least once and always
 * with the same key: what a change owes is stored with it, and a call that throws is retried with backoff
 * until it succeeds or becomes a dead letter.
 */
public interface PaymentHooks {

  /**
   * Secures (authorizes) the customer's payment; throw {@link PaymentDeclinedException} if the provider
   * declined, any other exception if the outcome is not known.
   *
   * @param request the payment to secure, with its idempotency key, attempt and amount
   */
  void secure(PaymentRequest request);

  /**
   * Releases the booking's secured, uncaptured payment (cancels the hold).
   *
   * @param request the payment to release, with its idempotency key
   */
  void release(PaymentRequest request);

  /**
   * Refunds the customer, out of what was captured.
   *
   * @param request the refund, with its idempotency key and the amount to give back
   */
  void refund(PaymentRequest request);

  /**
   * Captures the secured payment: the customer is charged.
   *
   * @param request the payment to capture, with its idempotency key and the amount to capture
   */
  void capture(PaymentRequest request);

  /**
   * Pays the GigSta out of the booking's captured payment.
   *
   * @param request the payout, with its idempotency key and the amount to pay
   */
  void payout(PaymentRequest request);

  /**
   * Returns hooks that accept every call and do nothing, for hosts that take no payments.
   *
   * @return the same do-nothing hooks on every call
   */
  static PaymentHooks none() {
    return NoPaymentHooks.INSTANCE;
  }
}

/** Accepts every call and does nothing. */
enum NoPaymentHooks implements PaymentHooks {
  INSTANCE;

  @Override
  public void secure(PaymentRequest request) {}

  @Override
  public void release(PaymentRequest request) {}

  @Override
  public void refund(PaymentRequest request) {}

  @Override
  public void capture(PaymentRequest request) {}

  @Override
  public void payout(PaymentRequest request) {}
}
