package com.gigsta.booking.testing;

import com.gigsta.booking.spi.PaymentRequest;
import java.util.Objects;

/**
 * Thrown by a {@link FakeProcessor}'s hooks when a call repeats an idempotency key the processor still
 * remembers, with a request that differs from the first one made with that key (as Stripe answers a key
 * reused with other parameters). Nothing happens and nothing is remembered. Its message names the key and
 * both requests. Immutable and thread-safe.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String idempotencyKey;
  private final transient PaymentRequest first;
  private final transient PaymentRequest reused;

  /**
   * Creates the exception.
   *
   * @param idempotencyKey the key used twice
   * @param first the request first made with it, which the processor remembers
   * @param reused the different request made with it now
   * @throws NullPointerException if an argument is null
   */
  public IdempotencyKeyReusedException(String idempotencyKey, PaymentRequest first, PaymentRequest reused) {
    super("idempotency key '" + Objects.requireNonNull(idempotencyKey, "idempotencyKey")
        + "' was first used for " + Objects.requireNonNull(first, "first") + " and is now reused for "
        + Objects.requireNonNull(reused, "reused"));
    this.idempotencyKey = idempotencyKey;
    this.first = first;
    this.reused = reused;
  }

  /**
   * Returns the key used twice.
   *
   * @return the idempotency key
   */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /**
   * Returns the request first made with the key.
   *
   * @return the remembered request; {@code null} only after the exception was deserialized
   */
  public PaymentRequest first() {
    return first;
  }

  /**
   * Returns the different request made with the key now.
   *
   * @return the refused request; {@code null} only after the exception was deserialized
   */
  public PaymentRequest reused() {
    return reused;
  }
}
