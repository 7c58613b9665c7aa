package com.gigsta.booking.testing;

/**
 * Thrown by a {@link FakeProcessor}'s hooks when the processor cannot be reached or its answer is lost:
 * the caller cannot tell whether the call took effect. Set up with {@link FakeProcessor#failNext(int)}
 * (the call never reached the processor, and nothing happened) or {@link FakeProcessor#loseNextAnswers(int)}
 * (the call was carried out and remembered, and only the answer was lost). Not a
 * {@link com.gigsta.booking.spi.PaymentDeclinedException}, so the engine treats it as an unknown outcome
 * and repeats the same idempotency key. Immutable and thread-safe.
 */
public class ProcessorUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the call's idempotency key
   */
  public ProcessorUnavailableException(String message) {
    super(message);
  }
}
