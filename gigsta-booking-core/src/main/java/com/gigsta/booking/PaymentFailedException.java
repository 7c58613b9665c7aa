package com.gigsta.booking;

/**
 * Thrown when the payment provider refuses or fails to secure payment: nothing was recorded and the
 * booking is unchanged. Also attached, as a suppressed exception, when releasing a payment secured for a
 * change that could not be recorded failed. Settlements of recorded changes never throw this: a
 * {@code DeliveryWorker} retries them.
 */
public class PaymentFailedException extends BookingException {

  private static final long serialVersionUID = 1L;

  private final PaymentMoment moment;
  private final String idempotencyKey;

  /**
   * Creates the exception for a failed payment call.
   *
   * @param actionName the action the payment was for
   * @param actor who took it
   * @param booking the booking: before the change if it was not recorded, after it if it was
   * @param moment the payment moment that failed
   * @param idempotencyKey the key of the failed call
   * @param cause the provider's failure, or {@code null}
   */
  public PaymentFailedException(String actionName, Actor actor, Booking booking, PaymentMoment moment,
      String idempotencyKey, Throwable cause) {
    super(ErrorCode.PAYMENT_FAILED,
        describe(actionName, actor, booking.id(), booking.state()) + ": payment " + moment + " failed (key "
            + idempotencyKey + "): " + (cause == null ? "no detail" : cause.getMessage()),
        booking.id(), booking.state(), actionName, actor, cause);
    this.moment = moment;
    this.idempotencyKey = idempotencyKey;
  }

  /**
   * Returns the payment moment that failed.
   *
   * @return the moment that failed
   */
  public PaymentMoment moment() {
    return moment;
  }

  /**
   * Returns the idempotency key of the failed call; retry with the same key.
   *
   * @return the key to retry the call with
   */
  public String idempotencyKey() {
    return idempotencyKey;
  }
}
