package com.gigsta.booking;

/**
 * Thrown when the payment provider refuses or fails to secure payment: nothing was recorded and the
 * booking is unchanged. {@link #declined()} tells the two apart: after a decline, performing the action
 * again (once the customer fixed their card) is a new attempt with a new idempotency key; after any other
 * failure the outcome is unknown, and performing it again repeats the same attempt and key, so the
 * provider answers with what really happened. Also attached, as a suppressed exception, when releasing a payment secured for a
 * change that could not be recorded failed. Settlements of recorded changes never throw this: a
 * {@code DeliveryWorker} retries them.
 */
public class PaymentFailedException extends BookingException {

  private static final long serialVersionUID = 1L;

  private final PaymentMoment moment;
  private final String idempotencyKey;
  private final boolean declined;

  /**
   * Creates the exception for a failed payment call whose outcome is unknown.
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
    this(actionName, actor, booking, moment, idempotencyKey, false, cause);
  }

  /**
   * Creates the exception for a payment call that failed or was declined.
   *
   * @param actionName the action the payment was for
   * @param actor who took it
   * @param booking the booking: before the change if it was not recorded, after it if it was
   * @param moment the payment moment that failed
   * @param idempotencyKey the key of the failed call
   * @param declined true if the provider answered and refused, false if the outcome is unknown
   * @param cause the provider's failure, or {@code null}
   */
  public PaymentFailedException(String actionName, Actor actor, Booking booking, PaymentMoment moment,
      String idempotencyKey, boolean declined, Throwable cause) {
    super(ErrorCode.PAYMENT_FAILED,
        describe(actionName, actor, booking.id(), booking.state()) + ": payment " + moment
            + (declined ? " was declined" : " failed") + " (key " + idempotencyKey + "): "
            + (cause == null ? "no detail" : cause.getMessage()),
        booking.id(), booking.state(), actionName, actor, cause);
    this.moment = moment;
    this.idempotencyKey = idempotencyKey;
    this.declined = declined;
  }

  /**
   * Returns whether the provider answered and refused, as opposed to failing with an unknown outcome.
   *
   * @return true after a decline: the next attempt gets a new key
   */
  public boolean declined() {
    return declined;
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
   * Returns the idempotency key of the failed call.
   *
   * @return the key of the attempt that failed
   */
  public String idempotencyKey() {
    return idempotencyKey;
  }
}
