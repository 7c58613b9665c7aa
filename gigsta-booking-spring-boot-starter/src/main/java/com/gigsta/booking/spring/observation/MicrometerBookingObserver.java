package com.gigsta.booking.spring.observation;

import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.BookingObserver;
import com.gigsta.booking.ErrorCode;
import com.gigsta.booking.spi.AuditTrail;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link BookingObserver} that makes a Micrometer {@link Observation} of each change, append and delivery,
 * so that the application's observation handlers turn them into timers (with metrics) and spans (with
 * tracing), and records the lag of deliveries and of timed rules on a {@link MeterRegistry} when there is
 * one. Thread-safe.
 *
 * <p>Observations and their low-cardinality tags (all bounded: workflow names and versions, action names
 * the workflow knows, roles, consumer names, outcomes and error codes):
 * <ul>
 *   <li>{@value #CHANGE}: {@code kind}, {@code workflow}, {@code version}, {@code action}, {@code role},
 *       {@code outcome} ({@code success}, {@code refused}, {@code failed}) and {@code code} (the
 *       {@link com.gigsta.booking.ErrorCode} of a refusal or failure, else {@code none});
 *   <li>{@value #APPEND}: {@code kind}, {@code workflow}, {@code version}, {@code action}, {@code outcome},
 *       {@code code};
 *   <li>{@value #DELIVERY}: {@code consumer} and {@code outcome} ({@code delivered}, {@code already_done},
 *       {@code retry}, {@code dead}, {@code failed}).
 * </ul>
 * The booking's id is a high-cardinality key value ({@code booking.id}), which handlers put on spans but
 * never on metrics. Timers, when a registry is given: {@value #DELIVERY_LAG} by {@code consumer}, from a
 * change to its delivery's claim (not for the scheduled consumers {@code timers} and {@code reminder.*},
 * which are due later on purpose), and {@value #TIMER_LAG} by {@code workflow}, {@code version} and
 * {@code action}, from a timed rule's due time to the start of its change.
 */
public final class MicrometerBookingObserver implements BookingObserver {

  /** The observation of each change. */
  public static final String CHANGE = "gigsta.booking.change";
  /** The observation of each append to the audit trail. */
  public static final String APPEND = "gigsta.booking.append";
  /** The observation of each delivery by a worker. */
  public static final String DELIVERY = "gigsta.booking.delivery";
  /** The timer of how long after its change a delivery was claimed. */
  public static final String DELIVERY_LAG = "gigsta.booking.delivery.lag";
  /** The timer of how long after its due time a timed rule was taken. */
  public static final String TIMER_LAG = "gigsta.booking.timer.lag";

  private static final String NONE = "none";

  private final ObservationRegistry observations;
  private final MeterRegistry meters;
  private final Clock clock;

  /**
   * Creates the observer.
   *
   * @param observations where observations are made
   * @param meters where the lag timers are recorded, or {@code null} for none
   * @param clock the clock the engine's workers run by, to measure a timed rule's lag
   * @throws NullPointerException if the registry of observations or the clock is null
   */
  public MicrometerBookingObserver(ObservationRegistry observations, MeterRegistry meters, Clock clock) {
    this.observations = Objects.requireNonNull(observations, "observations");
    this.meters = meters;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public BookingChange observeChange(Change change, Supplier<BookingChange> work) {
    if (change.dueAt() != null && meters != null) {
      Timer.builder(TIMER_LAG)
          .description("How long after it fell due a timed rule was taken")
          .tag("workflow", change.workflow().name())
          .tag("version", Integer.toString(change.workflow().number()))
          .tag("action", change.actionName())
          .register(meters)
          .record(positive(Duration.between(change.dueAt(), clock.instant())));
    }
    Observation observation = changeObservation(CHANGE, change).start();
    try {
      BookingChange result = observation.scoped(work);
      observation.lowCardinalityKeyValue("outcome", "success").lowCardinalityKeyValue("code", NONE);
      return result;
    } catch (RuntimeException | Error e) {
      fail(observation, e);
      throw e;
    } finally {
      observation.stop();
    }
  }

  @Override
  public void observeAppend(Change change, Runnable work) {
    Observation observation = changeObservation(APPEND, change).start();
    try {
      observation.scoped(work);
      observation.lowCardinalityKeyValue("outcome", "success").lowCardinalityKeyValue("code", NONE);
    } catch (RuntimeException | Error e) {
      fail(observation, e);
      throw e;
    } finally {
      observation.stop();
    }
  }

  @Override
  public DeliveryOutcome observeDelivery(DeliveryAttempt delivery, Supplier<DeliveryOutcome> work) {
    if (meters != null && !AuditTrail.isScheduledConsumer(delivery.consumer())) {
      Timer.builder(DELIVERY_LAG)
          .description("How long after its change a delivery was claimed")
          .tag("consumer", delivery.consumer())
          .register(meters)
          .record(positive(Duration.between(delivery.entry().occurredAt(), delivery.claimedAt())));
    }
    Observation observation = Observation.createNotStarted(DELIVERY, observations)
        .contextualName("gigsta-booking deliver to " + delivery.consumer())
        .lowCardinalityKeyValue("consumer", delivery.consumer())
        .highCardinalityKeyValue("booking.id", delivery.entry().bookingId())
        .highCardinalityKeyValue("failed.attempts", Integer.toString(delivery.failedAttempts()))
        .start();
    try {
      DeliveryOutcome outcome = observation.scoped(work);
      observation.lowCardinalityKeyValue("outcome", outcome.name().toLowerCase(Locale.ROOT));
      return outcome;
    } catch (RuntimeException | Error e) {
      observation.lowCardinalityKeyValue("outcome", "failed");
      observation.error(e);
      throw e;
    } finally {
      observation.stop();
    }
  }

  private Observation changeObservation(String name, Change change) {
    return Observation.createNotStarted(name, observations)
        .contextualName("gigsta-booking " + change.actionName())
        .lowCardinalityKeyValue("kind", change.kind().name().toLowerCase(Locale.ROOT))
        .lowCardinalityKeyValue("workflow", change.workflow().name())
        .lowCardinalityKeyValue("version", Integer.toString(change.workflow().number()))
        .lowCardinalityKeyValue("action", change.actionName())
        .lowCardinalityKeyValue("role", change.role().name())
        .highCardinalityKeyValue("booking.id", change.bookingId());
  }

  // A refusal is the engine saying no (a BookingException other than a storage failure); anything else failed.
  private static void fail(Observation observation, Throwable failure) {
    String outcome = "failed";
    String code = NONE;
    if (failure instanceof BookingException refusal) {
      code = refusal.code().name();
      outcome = refusal.code() == ErrorCode.STORAGE_FAILURE ? "failed" : "refused";
    }
    observation.lowCardinalityKeyValue("outcome", outcome).lowCardinalityKeyValue("code", code);
    observation.error(failure);
  }

  private static Duration positive(Duration lag) {
    return lag.isNegative() ? Duration.ZERO : lag;
  }
}
