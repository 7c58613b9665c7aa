package com.gigsta.booking.spring;

import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Adds the schema scripts of gigsta-booking to the application's Flyway migrations, when Flyway is on the
 * class path and enabled ({@code spring.flyway.enabled}), unless {@code gigsta.booking.flyway.enabled=false}.
 */
@AutoConfiguration(before = FlywayAutoConfiguration.class)
@ConditionalOnClass(Flyway.class)
@ConditionalOnProperty(prefix = "spring.flyway", name = "enabled", matchIfMissing = true)
public class GigstaBookingFlywayAutoConfiguration {

  /** Creates the auto-configuration; Spring does. */
  public GigstaBookingFlywayAutoConfiguration() {}

  /**
   * Adds {@code classpath:db/gigsta-booking/<database>} to the locations Flyway migrates.
   *
   * @return the customizer
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "gigsta.booking.flyway", name = "enabled", matchIfMissing = true)
  public GigstaBookingFlywayLocations gigstaBookingFlywayLocations() {
    return new GigstaBookingFlywayLocations();
  }
}
