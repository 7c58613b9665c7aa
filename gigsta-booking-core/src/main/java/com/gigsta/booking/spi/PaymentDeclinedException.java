package com.gigsta.booking.spi;

/**
 * Thrown by {@link PaymentHooks#secure} when the provider answered and refused: the card was declined,
 * nothing was secured. The engine then records the attempt as declined, so the next {@code perform} of the
 * same change is a new attempt with a new idempotency key, which the provider does not answer with this
 * decline again. Any other exception from {@code secure} means the outcome is not known (the call may
 * have succeeded), and the next {@code perform} repeats the same attempt with the same key.
 */
public class PaymentDeclinedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message why the provider refused, e.g. its decline code
   */
  public PaymentDeclinedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the provider client's own exception as the cause.
   *
   * @param message why the provider refused
   * @param cause the provider client's exception
   */
  public PaymentDeclinedException(String message, Throwable cause) {
    super(message, cause);
  }
}
