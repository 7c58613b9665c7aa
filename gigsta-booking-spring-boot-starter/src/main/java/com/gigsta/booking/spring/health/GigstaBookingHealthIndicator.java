package com.gigsta.booking.spring.health;

import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.AuditTrail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The health of gigsta-booking, {@code gigstaBooking} in the actuator's health endpoint. Thread-safe; each
 * call queries the database.
 *
 * <ul>
 *   <li>{@code DOWN} when the audit trail's database does not answer or a table or column of the schema
 *       scripts is missing (detail {@code error}), or when the timers' sweep lags behind the clock by more
 *       than the threshold: then no worker anywhere takes timed rules, and requests nobody answers never
 *       expire;
 *   <li>otherwise {@code UP}, with the details {@code table}, {@code deadLetters} (per consumer),
 *       {@code timersSweptTo} and {@code timersBehind}. Dead letters leave the health {@code UP}: they wait
 *       for an operator, and taking the instance out of service would not deliver them; alert on the
 *       gauge {@code gigsta.booking.dead.letters} instead.
 * </ul>
 */
public final class GigstaBookingHealthIndicator implements HealthIndicator {

  private final AuditTrail trail;
  private final DeliveryWorker worker;
  private final Duration timersOverdueThreshold;
  private final Clock clock;

  /**
   * Creates the indicator.
   *
   * @param trail the audit trail; a {@link JdbcAuditTrail} has its schema checked
   * @param worker the worker whose consumers and timers to report
   * @param timersOverdueThreshold how far the timers' sweep may lag behind the clock and be healthy
   * @param clock the clock the worker runs by
   * @throws NullPointerException if an argument is null
   */
  public GigstaBookingHealthIndicator(AuditTrail trail, DeliveryWorker worker, Duration timersOverdueThreshold,
      Clock clock) {
    this.trail = Objects.requireNonNull(trail, "trail");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.timersOverdueThreshold = Objects.requireNonNull(timersOverdueThreshold, "timersOverdueThreshold");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up();
    try {
      if (trail instanceof JdbcAuditTrail jdbc) {
        jdbc.checkSchema();
        health.withDetail("table", jdbc.tableName());
      }
      Map<String, Long> deadLetters = new LinkedHashMap<>();
      for (String consumer : worker.consumers()) {
        deadLetters.put(consumer, worker.deadLetterCount(consumer));
      }
      health.withDetail("deadLetters", deadLetters);
      Instant sweptTo = worker.timersSweptTo().orElse(null);
      if (sweptTo != null) {
        Duration behind = Duration.between(sweptTo, clock.instant());
        behind = behind.isNegative() ? Duration.ZERO : behind;
        health.withDetail("timersSweptTo", sweptTo.toString()).withDetail("timersBehind", behind.toString());
        if (behind.compareTo(timersOverdueThreshold) > 0) {
          health.down().withDetail("timersOverdue", "no worker swept the timers for " + behind
              + ", more than the threshold " + timersOverdueThreshold);
        }
      }
    } catch (RuntimeException e) {
      return health.down(e).build();
    }
    return health.build();
  }
}
