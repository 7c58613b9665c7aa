package com.gigsta.booking.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.BookingListener;
import com.gigsta.booking.BookingObserver;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.ChangeConsumer;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.Money;
import com.gigsta.booking.ReminderConsumer;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spring.health.GigstaBookingHealthAutoConfiguration;
import com.gigsta.booking.spring.health.GigstaBookingHealthIndicator;
import com.gigsta.booking.spring.observation.DeliveryWorkerMetrics;
import com.gigsta.booking.spring.observation.GigstaBookingObservationAutoConfiguration;
import com.gigsta.booking.spring.observation.MicrometerBookingObserver;
import com.gigsta.booking.testing.FakeProcessor;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class GigstaBookingAutoConfigurationTest {

  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  // Each run gets its own embedded H2 database (spring.datasource.generate-unique-name is on by default).
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
          GigstaBookingAutoConfiguration.class, GigstaBookingFlywayAutoConfiguration.class,
          GigstaBookingObservationAutoConfiguration.class, GigstaBookingHealthAutoConfiguration.class))
      .withPropertyValues("spring.flyway.enabled=false", "gigsta.booking.create-table=true");

  private final ApplicationContextRunner metricsRunner = runner.withConfiguration(AutoConfigurations.of(
      ObservationAutoConfiguration.class, MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
      SimpleMetricsExportAutoConfiguration.class));

  @Test
  void shouldBuildTrailEngineWorkerAndLifecycleFromTheDataSource() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(JdbcAuditTrail.class).hasSingleBean(BookingEngine.class)
          .hasSingleBean(DeliveryWorker.class).hasSingleBean(DeliveryWorkerLifecycle.class);
      assertThat(context.getBean(JdbcAuditTrail.class).tableName()).isEqualTo(JdbcAuditTrail.DEFAULT_TABLE_NAME);
      assertThat(context.getBean(DeliveryWorkerLifecycle.class).isRunning()).isTrue();
      BookingEngine engine = context.getBean(BookingEngine.class);
      assertThat(engine.workflow()).isEqualTo(Workflow.gigsta());
      assertThat(context.getBean(DeliveryWorker.class).consumers()).containsExactly(DeliveryWorker.SETTLEMENT,
          Delivery.TIMERS);
    });
  }

  @Test
  void shouldConfigureNothingWithoutADataSource() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GigstaBookingAutoConfiguration.class,
        GigstaBookingObservationAutoConfiguration.class, GigstaBookingHealthAutoConfiguration.class)).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(AuditTrail.class).doesNotHaveBean(BookingEngine.class)
          .doesNotHaveBean(DeliveryWorker.class).doesNotHaveBean(DeliveryWorkerLifecycle.class);
    });
  }

  @Test
  void shouldNameTheTableFromItsProperty() {
    runner.withPropertyValues("gigsta.booking.table-name=shop_audit").run(context ->
        assertThat(context.getBean(JdbcAuditTrail.class).tableName()).isEqualTo("shop_audit"));
  }

  @Test
  void shouldRefuseToStartWhenTheTablesAreMissingAndNotToBeCreated() {
    runner.withPropertyValues("gigsta.booking.create-table=false").run(context ->
        assertThat(context).getFailure().hasStackTraceContaining("withCreateTableIfMissing(true)"));
  }

  @Test
  void shouldBackOffFromTheApplicationsAuditTrail() {
    InMemoryAuditTrail own = new InMemoryAuditTrail();
    runner.withBean(AuditTrail.class, () -> own).run(context -> {
      assertThat(context).doesNotHaveBean(JdbcAuditTrail.class).hasSingleBean(AuditTrail.class);
      context.getBean(BookingEngine.class).requestBooking("b-own", Actor.customer("anna"), "greg", null);
      assertThat(own.history("b-own")).hasSize(1);
    });
  }

  @Test
  void shouldBackOffFromTheApplicationsEngineWorkerAndLifecycle() {
    runner.withUserConfiguration(OwnEngine.class).run(context -> {
      assertThat(context.getBean(BookingEngine.class)).isSameAs(context.getBean(OwnEngine.class).engine);
      assertThat(context.getBean(DeliveryWorker.class).consumers()).containsExactly("own");
      assertThat(context.getBean(DeliveryWorkerLifecycle.class)).isSameAs(context.getBean(OwnEngine.class).lifecycle);
    });
  }

  @Test
  void shouldBuildTheWorkerButNeverStartItWhenSchedulingIsOff() {
    MutableClock clock = new MutableClock(START);
    runner.withBean(Clock.class, () -> clock).withPropertyValues("gigsta.booking.scheduling.enabled=false",
        "gigsta.booking.scheduling.poll-interval=20ms").run(context -> {
          assertThat(context).hasSingleBean(DeliveryWorker.class).doesNotHaveBean(DeliveryWorkerLifecycle.class);
          BookingEngine engine = context.getBean(BookingEngine.class);
          engine.requestBooking("b-idle", Actor.customer("anna"), "greg", null);
          clock.advance(Duration.ofDays(7));
          // Nothing sweeps: a request past its expiry stays requested until the worker is run by hand.
          Thread.sleep(300);
          assertThat(engine.load("b-idle").state()).isEqualTo(BookingState.REQUESTED);
          assertThat(context.getBean(DeliveryWorker.class).drain().timersFired()).isEqualTo(1);
          assertThat(engine.load("b-idle").state()).isEqualTo(BookingState.EXPIRED);
        });
  }

  @Test
  void shouldLetTheSweepUnderWayFinishBeforeTheDataSourceCloses() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch delivering = new CountDownLatch(1);
    HikariDataSource pool = new HikariDataSource() {
      @Override
      public void close() {
        events.add("pool closed");
        super.close();
      }
    };
    pool.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID());
    ConfigurableApplicationContext[] started = new ConfigurableApplicationContext[1];
    runner.withBean(DataSource.class, () -> pool).withBean("slow", ChangeConsumer.class, () -> change -> {
      delivering.countDown();
      Thread.sleep(300);
      events.add("delivered");
    }).withPropertyValues("gigsta.booking.scheduling.poll-interval=20ms").run(context -> {
      started[0] = context;
      context.getBean(BookingEngine.class).requestBooking(Actor.customer("anna"), "greg");
      assertThat(delivering.await(30, TimeUnit.SECONDS)).isTrue();
    });

    assertThat(started[0].isActive()).isFalse();
    assertThat(events).containsExactly("delivered", "pool closed");
  }

  @Test
  void shouldTakeTheApplicationsPaymentHooksClockAndListeners() {
    FakeProcessor processor = FakeProcessor.builder().build();
    List<BookingChange> heard = new CopyOnWriteArrayList<>();
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    runner.withBean(PaymentHooks.class, processor::hooks).withBean(Clock.class, () -> clock)
        .withBean(BookingListener.class, () -> heard::add)
        .withPropertyValues("gigsta.booking.scheduling.enabled=false").run(context -> {
          BookingEngine engine = context.getBean(BookingEngine.class);
          Booking booking = engine.requestBooking("b-1", Actor.customer("anna"), "greg", START.plus(Duration.ofDays(3)),
              Money.of(8000, "EUR")).booking();
          engine.perform(booking, Actor.gigsta("greg"), "accept_booking");
          context.getBean(DeliveryWorker.class).drain();

          assertThat(heard).extracting(change -> change.booking().state())
              .containsExactly(BookingState.REQUESTED, BookingState.ACCEPTED);
          assertThat(heard.get(0).entry().occurredAt()).isEqualTo(START);
          assertThat(processor.ledger("b-1").captured()).isEqualTo(8000);
        });
  }

  @Test
  void shouldRunTheHighestWorkflowBeanWithTheOthersAsEarlierVersions() {
    Workflow v2 = Workflow.gigsta().toBuilder().version(2).build();
    Workflow v3 = Workflow.gigsta().toBuilder().version(3).build();
    runner.withBean("v3", Workflow.class, () -> v3).withBean("v1", Workflow.class, Workflow::gigsta)
        .withBean("v2", Workflow.class, () -> v2).run(context -> {
          BookingEngine engine = context.getBean(BookingEngine.class);
          assertThat(engine.workflow()).isSameAs(v3);
          assertThat(engine.workflows()).containsExactly(Workflow.gigsta(), v2, v3);
        });
  }

  @Test
  void shouldRefuseToStartWhenStoredBookingsUseAWorkflowVersionNotDefined() {
    String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    Workflow v2 = Workflow.gigsta().toBuilder().version(2).build();
    ApplicationContextRunner onUrl = runner.withPropertyValues("spring.datasource.url=" + url,
        "gigsta.booking.scheduling.enabled=false");
    onUrl.withBean("v1", Workflow.class, Workflow::gigsta).withBean("v2", Workflow.class, () -> v2).run(context ->
        context.getBean(BookingEngine.class).requestBooking("b-2", Actor.customer("anna"), "greg", null));

    onUrl.run(context -> assertThat(context).getFailure().rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stored bookings are pinned to workflow versions this application does not define")
        .hasMessageContaining("gigsta v2"));
  }

  @Test
  void shouldDeliverToChangeConsumerBeansByNameAndRemindThroughTheReminderBean() {
    runner.withBean("emails", ChangeConsumer.class, () -> change -> { })
        .withBean(ReminderConsumer.class, () -> reminder -> { }).run(context ->
            assertThat(context.getBean(DeliveryWorker.class).consumers()).containsExactly(DeliveryWorker.SETTLEMENT,
                "emails", Delivery.TIMERS, "reminder.remind_gigsta_to_answer"));
  }

  @Test
  void shouldRefuseAChangeConsumerBeanWhoseNameIsNoConsumerName() {
    runner.withBean("emailSender", ChangeConsumer.class, () -> change -> { }).run(context ->
        assertThat(context).getFailure().hasStackTraceContaining("ChangeConsumer bean 'emailSender'"));
  }

  @Test
  void shouldTakeDeliverySettingsFromProperties() {
    runner.withBean("flaky", ChangeConsumer.class, () -> change -> {
      throw new IllegalStateException("down");
    }).withPropertyValues("gigsta.booking.scheduling.enabled=false", "gigsta.booking.delivery.max-attempts=1")
        .run(context -> {
          context.getBean(BookingEngine.class).requestBooking(Actor.customer("anna"), "greg");
          DeliveryWorker worker = context.getBean(DeliveryWorker.class);
          assertThat(worker.drain().deadLettered()).isEqualTo(1);
          assertThat(worker.deadLetterCount("flaky")).isEqualTo(1);
        });
  }

  @Test
  void shouldRefuseANonPositivePollInterval() {
    runner.withPropertyValues("gigsta.booking.scheduling.poll-interval=0s").run(context ->
        assertThat(context).getFailure().hasRootCauseMessage(
            "gigsta.booking.scheduling.poll-interval must be positive but was PT0S"));
  }

  @Test
  void shouldAddTheSchemaLocationToFlywayAndMigrateBeforeTheTrailIsBuilt() {
    runner.withPropertyValues("spring.flyway.enabled=true", "gigsta.booking.create-table=false").run(context -> {
      assertThat(context).hasSingleBean(GigstaBookingFlywayLocations.class).hasSingleBean(JdbcAuditTrail.class);
      assertThat(context.getBean(Flyway.class).getConfiguration().getLocations()).extracting(Location::getDescriptor)
          .containsExactlyInAnyOrder("classpath:db/migration", "classpath:db/gigsta-booking/h2");
      assertThat(context.getBean(Flyway.class).info().applied()).hasSize(5);
    });
  }

  @Test
  void shouldLeaveFlywayAloneWhenTurnedOff() {
    runner.withPropertyValues("spring.flyway.enabled=true", "gigsta.booking.flyway.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(GigstaBookingFlywayLocations.class);
      assertThat(context.getBean(Flyway.class).getConfiguration().getLocations()).extracting(Location::getDescriptor)
          .containsExactly("classpath:db/migration");
    });
  }

  @Test
  void shouldAddNoLocationWhenFlywayIsDisabledOrAbsent() {
    runner.run(context -> assertThat(context).doesNotHaveBean(GigstaBookingFlywayLocations.class));
    runner.withClassLoader(new FilteredClassLoader(Flyway.class)).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(GigstaBookingFlywayLocations.class)
            .hasSingleBean(BookingEngine.class));
  }

  @Test
  void shouldNotObserveWithoutAnObservationRegistry() {
    runner.run(context -> assertThat(context).doesNotHaveBean(BookingObserver.class)
        .doesNotHaveBean(DeliveryWorkerMetrics.class));
  }

  @Test
  void shouldNotObserveWithoutMicrometerOrWhenTurnedOff() {
    metricsRunner.withPropertyValues("gigsta.booking.observation.enabled=false").run(context ->
        assertThat(context).hasSingleBean(ObservationRegistry.class).doesNotHaveBean(BookingObserver.class));
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .withBean(ObservationRegistry.class, ObservationRegistry::create).run(context ->
            assertThat(context).hasNotFailed().doesNotHaveBean(BookingObserver.class));
  }

  @Test
  void shouldBackOffFromTheApplicationsObserver() {
    List<BookingObserver.Change> observed = new CopyOnWriteArrayList<>();
    BookingObserver own = new BookingObserver() {
      @Override
      public BookingChange observeChange(Change change, Supplier<BookingChange> work) {
        observed.add(change);
        return work.get();
      }
    };
    metricsRunner.withBean(BookingObserver.class, () -> own).run(context -> {
      assertThat(context).doesNotHaveBean(MicrometerBookingObserver.class);
      context.getBean(BookingEngine.class).requestBooking("b-seen", Actor.customer("anna"), "greg", null);
      assertThat(observed).extracting(BookingObserver.Change::bookingId).containsExactly("b-seen");
    });
  }

  @Test
  void shouldObserveChangesRefusalsAppendsAndDeliveriesWithBoundedTags() {
    FakeProcessor processor = FakeProcessor.builder().build();
    metricsRunner.withBean(PaymentHooks.class, processor::hooks)
        .withPropertyValues("gigsta.booking.scheduling.enabled=false").run(context -> {
          assertThat(context).hasSingleBean(MicrometerBookingObserver.class);
          BookingEngine engine = context.getBean(BookingEngine.class);
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          Booking booking = engine.requestBooking("b-3", Actor.customer("anna"), "greg",
              START.plus(Duration.ofDays(300)), Money.of(8000, "EUR")).booking();
          BookingException refusal = null;
          try {
            engine.perform(booking, Actor.customer("anna"), "accept_booking");
          } catch (BookingException e) {
            refusal = e;
          }
          assertThat(refusal).isNotNull();
          engine.perform(booking, Actor.gigsta("greg"), "accept_booking");
          context.getBean(DeliveryWorker.class).drain();

          assertThat(timer(meters, MicrometerBookingObserver.CHANGE, "kind", "request", "action", "request_booking",
              "role", "CUSTOMER", "workflow", "gigsta", "version", "1", "outcome", "success", "code", "none").count())
              .isEqualTo(1);
          assertThat(timer(meters, MicrometerBookingObserver.CHANGE, "action", "accept_booking", "role", "CUSTOMER",
              "outcome", "refused", "code", refusal.code().name()).count()).isEqualTo(1);
          assertThat(timer(meters, MicrometerBookingObserver.CHANGE, "action", "accept_booking", "role", "GIGSTA",
              "outcome", "success").count()).isEqualTo(1);
          assertThat(timer(meters, MicrometerBookingObserver.APPEND, "action", "accept_booking", "outcome", "success")
              .count()).isEqualTo(1);
          assertThat(timer(meters, MicrometerBookingObserver.DELIVERY, "consumer", "settlement", "outcome", "delivered")
              .count()).isEqualTo(1);
          assertThat(timer(meters, MicrometerBookingObserver.DELIVERY_LAG, "consumer", "settlement").count())
              .isEqualTo(1);
          assertThat(meters.get(DeliveryWorkerMetrics.DEAD_LETTERS).tag("consumer", "settlement").gauge().value())
              .isZero();
          // No meter carries a booking's or a person's id.
          assertThat(meters.getMeters()).flatExtracting(meter -> meter.getId().getTags())
              .noneMatch(tag -> tag.getValue().contains("b-3") || tag.getValue().contains("anna")
                  || tag.getValue().contains("greg"));
        });
  }

  @Test
  void shouldReportTheTrailDeadLettersAndTimersInTheHealth() {
    MutableClock clock = new MutableClock(START);
    runner.withBean(Clock.class, () -> clock).withBean("flaky", ChangeConsumer.class, () -> change -> {
      throw new IllegalStateException("down");
    }).withPropertyValues("gigsta.booking.scheduling.enabled=false", "gigsta.booking.delivery.max-attempts=1",
        "gigsta.booking.health.timers-overdue-threshold=5m").run(context -> {
          HealthIndicator indicator = context.getBean("gigstaBookingHealthIndicator", HealthIndicator.class);
          context.getBean(BookingEngine.class).requestBooking(Actor.customer("anna"), "greg");
          context.getBean(DeliveryWorker.class).drain();

          Health health = indicator.health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("table", JdbcAuditTrail.DEFAULT_TABLE_NAME)
              .containsEntry("deadLetters", Map.of("settlement", 0L, "flaky", 1L, "timers", 0L))
              .containsEntry("timersSweptTo", START.toString()).containsEntry("timersBehind", "PT0S");

          clock.advance(Duration.ofMinutes(6));
          health = indicator.health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat(health.getDetails()).containsEntry("timersBehind", "PT6M").containsKey("timersOverdue");

          context.getBean(DeliveryWorker.class).drain();
          assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

          try (Connection connection = context.getBean(DataSource.class).getConnection();
              Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + JdbcAuditTrail.DEFAULT_TABLE_NAME + "_timer_sweep");
          }
          health = indicator.health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat((String) health.getDetails().get("error")).contains("_timer_sweep is missing");
        });
  }

  @Test
  void shouldBackOffFromTheApplicationsHealthIndicatorGaugesAndFlywayCustomizer() {
    HealthIndicator own = () -> Health.outOfService().build();
    GigstaBookingFlywayLocations ownLocations = new GigstaBookingFlywayLocations();
    metricsRunner.withBean("gigstaBookingHealthIndicator", HealthIndicator.class, () -> own)
        .withBean(DeliveryWorkerMetrics.class, () -> new DeliveryWorkerMetrics(
            DeliveryWorker.builder(BookingEngine.builder().build()).build(), Clock.systemUTC()))
        .withBean(GigstaBookingFlywayLocations.class, () -> ownLocations)
        .withPropertyValues("spring.flyway.enabled=true").run(context -> {
          assertThat(context.getBean("gigstaBookingHealthIndicator")).isSameAs(own);
          assertThat(context).hasSingleBean(DeliveryWorkerMetrics.class)
              .doesNotHaveBean("gigstaBookingDeliveryWorkerMetrics");
          assertThat(context.getBean(GigstaBookingFlywayLocations.class)).isSameAs(ownLocations);
        });
  }

  @Test
  void shouldContributeNoHealthWithoutActuatorOrWhenTurnedOff() {
    runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(GigstaBookingHealthIndicator.class));
    runner.withPropertyValues("management.health.gigsta-booking.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(GigstaBookingHealthIndicator.class));
  }

  private static Timer timer(MeterRegistry meters, String name, String... tags) {
    return meters.get(name).tags(tags).timer();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnEngine {
    final BookingEngine engine = BookingEngine.builder().build();

    @Bean
    BookingEngine engine() {
      return engine;
    }

    @Bean
    DeliveryWorker worker(BookingEngine engine) {
      return DeliveryWorker.builder(engine).withSettlements(false).withTimers(false).withConsumer("own", change -> { })
          .build();
    }

    DeliveryWorkerLifecycle lifecycle;

    @Bean
    DeliveryWorkerLifecycle lifecycle(DeliveryWorker worker) {
      lifecycle = new DeliveryWorkerLifecycle(worker, Duration.ofSeconds(1));
      return lifecycle;
    }
  }
}
