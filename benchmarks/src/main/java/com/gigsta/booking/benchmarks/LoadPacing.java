package com.gigsta.booking.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.IterationParams;

/**
 * How much a worker benchmark loads before each iteration so that the iteration cannot run out of work:
 * enough for the iteration's time at twice the fastest rate measured so far, or at an assumed rate when
 * that is higher, plus one batch. Not thread-safe: JMH calls its setups and teardowns from one thread.
 */
final class LoadPacing {

  private final double assumedRate;
  // The fastest rate an iteration has worked at so far, per second, and how the current one started.
  private double fastest;
  private long iterationStart;
  private long doneAtStart;

  /**
   * Paces loads at first at the assumed rate.
   *
   * @param assumedRate items per second, several times what the benchmark can do
   */
  LoadPacing(double assumedRate) {
    this.assumedRate = assumedRate;
  }

  /** Returns how many items must be waiting for the coming iteration. */
  long needed(IterationParams iteration, int batch) {
    double rate = Math.max(assumedRate, 2 * fastest);
    return (long) (rate * iteration.getTime().convertTo(TimeUnit.MILLISECONDS) / 1000) + batch;
  }

  /** Notes that an iteration starts with {@code done} items done so far. */
  void start(long done) {
    doneAtStart = done;
    iterationStart = System.nanoTime();
  }

  /** Notes that the iteration ended with {@code done} items done so far. */
  void end(long done) {
    double seconds = (System.nanoTime() - iterationStart) / 1e9;
    fastest = Math.max(fastest, (done - doneAtStart) / seconds);
  }
}
