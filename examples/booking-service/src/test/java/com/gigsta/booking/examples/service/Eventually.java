package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for what the delivery worker, which runs on its own thread, does a moment after a request; never
 * asserts how long that took.
 */
final class Eventually {

  /** How long to wait before failing. */
  static final long PATIENCE_SECONDS = 60;

  private Eventually() {}

  /** Asks until the answer is what is expected; fails after {@link #PATIENCE_SECONDS} with the last answer. */
  static <T> T eventually(String what, Supplier<T> ask, Predicate<T> expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    T answer = ask.get();
    while (!expected.test(answer)) {
      if (System.nanoTime() - deadline > 0) {
        fail("still waiting for " + what + " after " + PATIENCE_SECONDS + " s; last answer: " + answer);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
      answer = ask.get();
    }
    return answer;
  }
}
