package com.gigsta.booking.spring;

import com.gigsta.booking.jdbc.JdbcAuditTrail;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code gigsta.booking.*} settings of the auto-configured audit trail, engine and delivery worker.
 * Immutable and thread-safe.
 *
 * @param tableName The audit table; the other tables are named after it. The schema scripts create
 *     gigsta_booking_audit: another name needs scripts of your own
 * @param createTable Whether the trail creates its missing tables and columns at start-up; for tests and
 *     quick starts. Applications that migrate with Flyway or Liquibase leave it off
 * @param scheduling When and whether the delivery worker runs
 * @param delivery How the delivery worker retries and claims
 * @param flyway The schema location added to the application's Flyway migrations
 * @param observation The Micrometer observation of changes, appends and deliveries
 * @param health The actuator health indicator
 */
@ConfigurationProperties("gigsta.booking")
public record GigstaBookingProperties(
    @DefaultValue(JdbcAuditTrail.DEFAULT_TABLE_NAME) String tableName,
    @DefaultValue("false") boolean createTable,
    @DefaultValue Scheduling scheduling,
    @DefaultValue Delivery delivery,
    @DefaultValue Flyway flyway,
    @DefaultValue Observation observation,
    @DefaultValue Health health) {

  /**
   * Checks that every part is present.
   *
   * @param tableName The audit table
   * @param createTable Whether to create missing tables
   * @param scheduling The worker's scheduling
   * @param delivery The worker's retries and claims
   * @param flyway The Flyway location
   * @param observation The observation switch
   * @param health The health indicator's settings
   * @throws NullPointerException if a part is null
   */
  public GigstaBookingProperties {
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(scheduling, "scheduling");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(flyway, "flyway");
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(health, "health");
  }

  /**
   * When and whether the delivery worker sweeps.
   *
   * @param enabled Whether the worker is started with the application; when off it is built (so dead
   *     letters can be read and resubmitted) but never sweeps, and another instance must
   * @param pollInterval How long the worker waits after a sweep that found nothing to do
   */
  public record Scheduling(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration pollInterval) {

    /**
     * Checks the interval.
     *
     * @param enabled Whether the worker starts
     * @param pollInterval The wait after an idle sweep
     * @throws IllegalArgumentException if the interval is not positive
     */
    public Scheduling {
      requirePositive(pollInterval, "gigsta.booking.scheduling.poll-interval");
    }
  }

  /**
   * How the delivery worker retries, claims and gives up.
   *
   * @param maxAttempts How many failed attempts make a delivery a dead letter
   * @param initialBackoff The wait after a delivery's first failure, doubled after each further one
   * @param maxBackoff The longest wait between two attempts
   * @param batchSize How many deliveries per consumer one sweep claims, from 1 to 10,000
   * @param lease How long a claimed delivery is passed over by other workers; longer than the slowest
   *     consumer call
   * @param holdGrace How long after it was recorded an unclaimed payment hold counts as abandoned and is
   *     released; longer than the payment provider's slowest answer
   */
  public record Delivery(
      @DefaultValue("10") int maxAttempts,
      @DefaultValue("1s") Duration initialBackoff,
      @DefaultValue("15m") Duration maxBackoff,
      @DefaultValue("100") int batchSize,
      @DefaultValue("60s") Duration lease,
      @DefaultValue("5m") Duration holdGrace) {

    /**
     * Checks the durations; the worker's builder checks the rest with the same rules.
     *
     * @param maxAttempts Failed attempts before a dead letter
     * @param initialBackoff The first wait
     * @param maxBackoff The longest wait
     * @param batchSize Deliveries per consumer and sweep
     * @param lease The claim's length
     * @param holdGrace The abandoned holds' grace
     * @throws IllegalArgumentException if a duration is not positive
     */
    public Delivery {
      requirePositive(initialBackoff, "gigsta.booking.delivery.initial-backoff");
      requirePositive(maxBackoff, "gigsta.booking.delivery.max-backoff");
      requirePositive(lease, "gigsta.booking.delivery.lease");
      requirePositive(holdGrace, "gigsta.booking.delivery.hold-grace");
    }
  }

  /**
   * The schema location added to the application's Flyway migrations.
   *
   * @param enabled Whether the database's folder of schema scripts (classpath:db/gigsta-booking/ then h2,
   *     postgresql or mariadb) is added to spring.flyway.locations when Flyway runs; turn it off when the
   *     application's own migrations carry copies of the scripts, or Liquibase creates the tables
   */
  public record Flyway(@DefaultValue("true") boolean enabled) {}

  /**
   * The Micrometer observation of the engine and its worker.
   *
   * @param enabled Whether changes, appends and deliveries are observed when the application has an
   *     ObservationRegistry
   */
  public record Observation(@DefaultValue("true") boolean enabled) {}

  /**
   * The actuator health indicator {@code gigstaBooking}.
   *
   * @param timersOverdueThreshold How far the timers' sweep may lag behind the clock before the health is
   *     DOWN: beyond it no worker is taking timed rules
   */
  public record Health(@DefaultValue("5m") Duration timersOverdueThreshold) {

    /**
     * Checks the threshold.
     *
     * @param timersOverdueThreshold The longest lag that is healthy
     * @throws IllegalArgumentException if it is not positive
     */
    public Health {
      requirePositive(timersOverdueThreshold, "gigsta.booking.health.timers-overdue-threshold");
    }
  }

  private static void requirePositive(Duration duration, String property) {
    Objects.requireNonNull(duration, property);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(property + " must be positive but was " + duration);
    }
  }
}
