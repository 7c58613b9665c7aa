package com.gigsta.booking;

/**
 * Thrown when the payment provider refuses or fails at a payment moment. For {@link PaymentMoment#SECURE}
 * nothing was recorded and the booking is unchanged; for later moments the change stands and this
 * exception is reported in {@link BookingChange#settlementFailure()} instead of being thrown.
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
