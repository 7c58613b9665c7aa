package com.gigsta.booking.spring.observation;

import com.gigsta.booking.BookingObserver;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.spring.GigstaBookingAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Observes the engine and its worker with Micrometer: a {@link MicrometerBookingObserver} when the
 * application has an {@link ObservationRegistry} (Actuator makes one), and the worker's gauges
 * ({@link DeliveryWorkerMetrics}) when it has a {@link MeterRegistry}. The engine takes the observer when it is
 * built, so this runs after the engine's auto-configuration only to see the worker. Off with
 * {@code gigsta.booking.observation.enabled=false}.
 */
@AutoConfiguration(after = GigstaBookingAutoConfiguration.class, afterName = {
    "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({ObservationRegistry.class, MeterRegistry.class})
@ConditionalOnProperty(prefix = "gigsta.booking.observation", name = "enabled", matchIfMissing = true)
public class GigstaBookingObservationAutoConfiguration {

  /** Creates the auto-configuration; Spring does. */
  public GigstaBookingObservationAutoConfiguration() {}

  /**
   * The observer the engine is built with.
   *
   * @param observations the application's observation registry
   * @param meters the application's meter registry, if any, for the lag timers
   * @param clock the application's clock, if any
   * @return the observer
   */
  @Bean
  @ConditionalOnMissingBean(BookingObserver.class)
  @ConditionalOnBean(ObservationRegistry.class)
  public MicrometerBookingObserver gigstaBookingObserver(ObservationRegistry observations,
      ObjectProvider<MeterRegistry> meters, ObjectProvider<Clock> clock) {
    return new MicrometerBookingObserver(observations, meters.getIfAvailable(), clock.getIfAvailable(Clock::systemUTC));
  }

  /**
   * The worker's gauges, which the application's metrics bind to its meter registry.
   *
   * @param worker the worker
   * @param clock the application's clock, if any
   * @return the gauges' binder
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({DeliveryWorker.class, MeterRegistry.class})
  public DeliveryWorkerMetrics gigstaBookingDeliveryWorkerMetrics(DeliveryWorker worker, ObjectProvider<Clock> clock) {
    return new DeliveryWorkerMetrics(worker, clock.getIfAvailable(Clock::systemUTC));
  }
}
