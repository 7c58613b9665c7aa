package com.gigsta.booking.spi;

/**
 * The host's payment provider, called at the payment moments of the workflow. Implementations must be
 * thread-safe and idempotent per {@link PaymentRequest#idempotencyKey()}: a call repeated with a key
 * already seen must return the first call's result and change nothing.
 *
 * <p>{@link #secure} is called by the engine before the change is recorded: throwing refuses the action
 * and nothing is written. If the change then cannot be recorded (someone else changed the booking first),
 * the engine calls {@link #release} with a request for the same change, unless the trail shows the same
 * action recorded at that sequence by another request, whose payment the shared idempotency key made the
 * same. {@link #release}, {@link #refund} and {@link #capture} for a recorded change are called by a
 * {@code DeliveryWorker}, at least once and always with the same key: what a change
 * owes is stored with it, and a call that throws is retried with backoff until it succeeds or becomes a
 * dead letter.
 */
public interface PaymentHooks {

  /**
   * Secures (authorizes) the customer's payment; throw any exception to refuse.
   *
   * @param request the payment to secure, with its idempotency key
   */
  void secure(PaymentRequest request);

  /**
   * Releases whatever was secured for the booking.
   *
   * @param request the payment to release, with its idempotency key
   */
  void release(PaymentRequest request);

  /**
   * Refunds what the customer paid.
   *
   * @param request the payment to refund, with its idempotency key
   */
  void refund(PaymentRequest request);

  /**
   * Captures the secured payment and pays the GigSta out.
   *
   * @param request the payment to capture, with its idempotency key
   */
  void capture(PaymentRequest request);

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
}
