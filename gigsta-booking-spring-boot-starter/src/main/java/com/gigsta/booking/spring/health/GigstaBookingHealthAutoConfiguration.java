package com.gigsta.booking.spring.health;

import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spring.GigstaBookingAutoConfiguration;
import com.gigsta.booking.spring.GigstaBookingProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the health indicator {@code gigstaBooking} when Actuator is on the class path; off with
 * {@code management.health.gigsta-booking.enabled=false}.
 */
@AutoConfiguration(after = GigstaBookingAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnEnabledHealthIndicator("gigsta-booking")
public class GigstaBookingHealthAutoConfiguration {

  /** Creates the auto-configuration; Spring does. */
  public GigstaBookingHealthAutoConfiguration() {}

  /**
   * The indicator, named {@code gigstaBooking} after the bean.
   *
   * @param trail the audit trail
   * @param worker the delivery worker
   * @param properties the threshold of overdue timers
   * @param clock the application's clock, if any
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "gigstaBookingHealthIndicator")
  @ConditionalOnBean({AuditTrail.class, DeliveryWorker.class})
  public GigstaBookingHealthIndicator gigstaBookingHealthIndicator(AuditTrail trail, DeliveryWorker worker,
      GigstaBookingProperties properties, ObjectProvider<Clock> clock) {
    return new GigstaBookingHealthIndicator(trail, worker, properties.health().timersOverdueThreshold(),
        clock.getIfAvailable(Clock::systemUTC));
  }
}
