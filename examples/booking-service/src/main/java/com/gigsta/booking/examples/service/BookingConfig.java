package com.gigsta.booking.examples.service;

import com.gigsta.booking.Role;
import com.gigsta.booking.testing.FakeProcessor;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the service adds to what gigsta-booking's Spring Boot starter builds. The starter makes the audit
 * trail in the service's database, the engine and the delivery worker, which settles payments (the capture
 * after an acceptance, refunds, payouts), takes timed rules (a request nobody answered expires by itself)
 * and is started and stopped with the application; it takes from here the clock, the card processor's
 * hooks and {@link Notifications}, the {@value Notifications#CONSUMER} consumer and the reminders' sender.
 * Its settings are the {@code gigsta.booking.*} properties in {@code application.properties}.
 */
@Configuration
public class BookingConfig {

  /**
   * The clock the engine records changes with, and the delivery worker decides by when timed rules and
   * reminders fall due. Tests replace it with a {@code @Primary} clock of their own to move time on.
   */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The demo's card processor: the library's fake, which answers like a real one. It reads the service's
   * clock, so holds lapse and idempotency keys are forgotten by the same time the engine records changes
   * with.
   */
  @Bean
  FakeProcessor cardProcessor(Clock clock) {
    return FakeProcessor.builder().withClock(clock).build();
  }

  /** The engine's payment hooks: the card processor's, with the operator's switch to make them fail. */
  @Bean
  SwitchablePaymentHooks paymentHooks(FakeProcessor cardProcessor,
      @Value("${gigsta.payments.declining-customers:dora}") Set<String> decliningCustomers) {
    List<String> customers = DemoUsers.withRole(Role.CUSTOMER).stream().map(DemoUsers.DemoUser::username).toList();
    return new SwitchablePaymentHooks(cardProcessor, decliningCustomers, customers);
  }

  /**
   * The durable consumer {@value Notifications#CONSUMER}, named by this bean's name, and the sender of the
   * workflow's reminders; the starter's worker delivers to it. Those it retries or gives up on are its
   * consumers {@code timers} and {@code reminder.<name>}, with dead letters like any other.
   */
  @Bean(Notifications.CONSUMER)
  Notifications notifications(@Value("${gigsta.notifications.kept:100}") int kept) {
    return new Notifications(kept);
  }

  @Bean
  BookingIndex bookingIndex(JdbcTemplate jdbc) {
    return new BookingIndex(jdbc);
  }
}
