package com.gigsta.booking.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.spring.observation.DeliveryWorkerMetrics;
import com.gigsta.booking.spring.observation.MicrometerBookingObserver;
import com.gigsta.booking.testing.FakeProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The same application on PostgreSQL, in a schema of its own, with Actuator: Flyway creates the tables,
 * the worker settles and expires, and the metrics and the health indicator report it through the real
 * Micrometer registries. Skipped with a printed reason when the server is unreachable, failed instead when
 * {@code GIGSTA_DB_REQUIRED=true}.
 */
class PostgresShopApplicationTest {

  private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("GIGSTA_DB_REQUIRED"));
  private static final String URL = env("GIGSTA_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = env("GIGSTA_PG_USER", "postgres");
  private static final String PASSWORD = env("GIGSTA_PG_PASSWORD", "");

  private final String schema = "starter_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  @BeforeEach
  void createSchema() throws SQLException {
    DriverManager.setLoginTimeout(5);
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      String message = "POSTGRESQL at " + URL + " as " + USER + " is unreachable (" + e.getMessage() + ")";
      if (REQUIRED) {
        throw new IllegalStateException(message + " and GIGSTA_DB_REQUIRED=true", e);
      }
      System.out.println("SKIPPED: " + message + "; set GIGSTA_DB_REQUIRED=true to fail instead");
      Assumptions.abort(message);
    }
  }

  @AfterEach
  void dropSchema() throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void shouldSettleExpireAndReportMetricsAndHealthOnPostgres() throws Exception {
    MovableClock clock = new MovableClock();
    ShopApplication.nextClock = clock;
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class).properties(
        "spring.datasource.url=" + URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
        "spring.datasource.username=" + USER, "spring.datasource.password=" + PASSWORD,
        "gigsta.booking.scheduling.poll-interval=50ms",
        "management.endpoint.health.show-details=always").run()) {
      BookingEngine engine = context.getBean(BookingEngine.class);
      FakeProcessor processor = context.getBean(FakeProcessor.class);
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      assertThat(meters).isInstanceOf(SimpleMeterRegistry.class);

      Booking booking = engine.requestBooking("paid-1", Actor.customer("anna"), "greg",
          clock.instant().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS), Money.of(8000, "EUR")).booking();
      BookingException refusal = null;
      try {
        engine.perform(booking, Actor.gigsta("greg"), "mark_completed");
      } catch (BookingException e) {
        refusal = e;
      }
      assertThat(refusal).isNotNull();
      engine.perform(booking, Actor.gigsta("greg"), "accept_booking");
      await().atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(processor.ledger("paid-1").captured()).isEqualTo(8000));
      engine.requestBooking("unanswered-1", Actor.customer("anna"), "greg", null);
      clock.advance(Duration.ofDays(7));
      await().atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(engine.load("unanswered-1").state()).isEqualTo(BookingState.EXPIRED));

      assertThat(meters.get(MicrometerBookingObserver.CHANGE).tags("action", "accept_booking", "outcome", "success")
          .timer().count()).isEqualTo(1);
      assertThat(meters.get(MicrometerBookingObserver.CHANGE).tags("action", "mark_completed", "outcome", "refused",
          "code", refusal.code().name()).timer().count()).isEqualTo(1);
      assertThat(meters.get(MicrometerBookingObserver.CHANGE).tags("kind", "timed", "action", "expire_booking",
          "role", "SYSTEM").timer().count()).isEqualTo(1);
      assertThat(meters.get(MicrometerBookingObserver.TIMER_LAG).tags("action", "expire_booking").timer().count())
          .isEqualTo(1);
      assertThat(meters.get(MicrometerBookingObserver.APPEND).timers()).isNotEmpty();
      assertThat(meters.get(MicrometerBookingObserver.DELIVERY).tags("consumer", "settlement", "outcome", "delivered")
          .timer().count()).isEqualTo(1);
      assertThat(meters.get(MicrometerBookingObserver.DELIVERY_LAG).tags("consumer", "settlement").timer().count())
          .isEqualTo(1);
      assertThat(meters.get(DeliveryWorkerMetrics.DEAD_LETTERS).tags("consumer", "settlement").gauge().value())
          .isZero();
      assertThat(meters.get(DeliveryWorkerMetrics.TIMERS_BEHIND).timeGauge().value()).isBetween(0.0, 60.0);

      HealthComponent health = context.getBean(HealthEndpoint.class).healthForPath("gigstaBooking");
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      String json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .writerWithDefaultPrettyPrinter().writeValueAsString(health);
      System.out.println("gigstaBooking health: " + json);
      assertThat(json).contains("\"table\" : \"gigsta_booking_audit\"", "\"settlement\" : 0", "\"timersBehind\"");
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
