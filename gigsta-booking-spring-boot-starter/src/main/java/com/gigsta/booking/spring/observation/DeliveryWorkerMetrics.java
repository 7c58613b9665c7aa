package com.gigsta.booking.spring.observation;

import com.gigsta.booking.DeliveryWorker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Gauges of a {@link DeliveryWorker}, read from the audit trail when the registry is read:
 * {@value #DEAD_LETTERS} by {@code consumer}, and {@value #TIMERS_BEHIND}, how far the timers' sweep lags
 * behind the clock (NaN until the timers were first swept). Each read queries the database, once per
 * consumer. Thread-safe.
 */
public final class DeliveryWorkerMetrics implements MeterBinder {

  /** The gauge of dead letters per consumer. */
  public static final String DEAD_LETTERS = "gigsta.booking.dead.letters";
  /** The gauge of how far the timers' sweep lags behind the clock. */
  public static final String TIMERS_BEHIND = "gigsta.booking.timers.behind";

  private final DeliveryWorker worker;
  private final Clock clock;

  /**
   * Creates the gauges' binder.
   *
   * @param worker the worker whose consumers and timers to read
   * @param clock the clock the worker runs by
   * @throws NullPointerException if an argument is null
   */
  public DeliveryWorkerMetrics(DeliveryWorker worker, Clock clock) {
    this.worker = Objects.requireNonNull(worker, "worker");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String consumer : worker.consumers()) {
      Gauge.builder(DEAD_LETTERS, worker, w -> w.deadLetterCount(consumer))
          .description("Deliveries that failed their last attempt and wait for an operator")
          .tag("consumer", consumer)
          .strongReference(true)
          .register(registry);
    }
    TimeGauge.builder(TIMERS_BEHIND, this, TimeUnit.SECONDS, DeliveryWorkerMetrics::timersBehindSeconds)
        .description("How far the sweep of timed rules and reminders lags behind the clock")
        .strongReference(true)
        .register(registry);
  }

  private double timersBehindSeconds() {
    Instant sweptTo = worker.timersSweptTo().orElse(null);
    if (sweptTo == null) {
      return Double.NaN;
    }
    return Math.max(0, Duration.between(sweptTo, clock.instant()).toMillis()) / 1000.0;
  }
}
