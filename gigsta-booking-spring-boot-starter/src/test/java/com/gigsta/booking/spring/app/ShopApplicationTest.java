package com.gigsta.booking.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.testing.FakeProcessor;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A new Spring Boot application with the starter, an H2 DataSource and Flyway gets a working engine and
 * worker: the worker it starts settles an acceptance and expires a request nobody answered.
 */
class ShopApplicationTest {

  @Test
  void shouldRunTheEngineAndWorkerWithOnlyTheStarterADataSourceAndFlyway() {
    MovableClock clock = new MovableClock();
    ShopApplication.nextClock = clock;
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class).properties(
        "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
        "gigsta.booking.scheduling.poll-interval=50ms").run()) {
      assertThat(context.getBean(Flyway.class).info().applied()).hasSize(5);
      BookingEngine engine = context.getBean(BookingEngine.class);
      FakeProcessor processor = context.getBean(FakeProcessor.class);

      Booking booking = engine.requestBooking("paid-1", Actor.customer("anna"), "greg",
          clock.instant().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS), Money.of(8000, "EUR")).booking();
      engine.perform(booking, Actor.gigsta("greg"), "accept_booking");
      await().atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(processor.ledger("paid-1").captured()).isEqualTo(8000));

      engine.requestBooking("unanswered-1", Actor.customer("anna"), "greg", null);
      clock.advance(Duration.ofDays(7));
      await().atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(engine.load("unanswered-1").state()).isEqualTo(BookingState.EXPIRED));
      assertThat(engine.history("unanswered-1")).extracting(entry -> entry.actionName())
          .containsExactly("request_booking", "expire_booking");
    }
  }
}
