package com.gigsta.booking.examples.service;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.Role;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.testing.FakeProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires the booking engine to the service's database, clock and card processor, and the delivery worker
 * that settles payments (the capture after an acceptance, refunds, payouts) and notifies people after
 * each change, expires requests nobody answered and reminds GigStas before that.
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

  @Bean
  JdbcAuditTrail auditTrail(DataSource dataSource,
      @Value("${gigsta.audit.table:booking_audit}") String table,
      @Value("${gigsta.audit.create-table:true}") boolean createTable) {
    // Creating the tables on start keeps the demo a one-command affair; a production service runs the
    // module's schema scripts with its migrations and sets gigsta.audit.create-table=false.
    return JdbcAuditTrail.builder(dataSource)
        .withTableName(table)
        .withCreateTableIfMissing(createTable)
        .build();
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

  @Bean
  SwitchablePaymentHooks paymentHooks(FakeProcessor cardProcessor,
      @Value("${gigsta.payments.declining-customers:dora}") Set<String> decliningCustomers) {
    List<String> customers = DemoUsers.withRole(Role.CUSTOMER).stream().map(DemoUsers.DemoUser::username).toList();
    return new SwitchablePaymentHooks(cardProcessor, decliningCustomers, customers);
  }

  @Bean
  BookingEngine bookingEngine(JdbcAuditTrail auditTrail, SwitchablePaymentHooks paymentHooks, Clock clock) {
    BookingEngine engine = BookingEngine.builder()
        .withAuditTrail(auditTrail)
        .withPaymentHooks(paymentHooks)
        .withClock(clock)
        .build();
    // Refuse to start rather than refuse every request on bookings of a workflow version not deployed here.
    Map<WorkflowVersion, Long> missing = engine.missingWorkflowVersions();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("stored bookings are pinned to workflow versions this service was not "
          + "given (bookings per version): " + missing);
    }
    return engine;
  }

  @Bean
  Notifications notifications(@Value("${gigsta.notifications.kept:100}") int kept) {
    return new Notifications(kept);
  }

  /**
   * Delivers what each recorded change owes: the capture, refund or payout to the card processor, and
   * the change to the {@value Notifications#CONSUMER} consumer. It also takes the workflow's timed rules
   * when they fall due (a request nobody answered expires by itself) and hands its reminders to
   * {@link Notifications}; those it retries or gives up on are its consumers {@code timers} and
   * {@code reminder.<name>}, with dead letters like any other. Started and stopped with the application by
   * {@link #deliveryWorkerRunner}.
   */
  @Bean
  DeliveryWorker deliveryWorker(BookingEngine engine, Notifications notifications,
      @Value("${gigsta.delivery.max-attempts:10}") int maxAttempts,
      @Value("${gigsta.delivery.initial-backoff:1s}") Duration initialBackoff,
      @Value("${gigsta.delivery.max-backoff:15m}") Duration maxBackoff) {
    return DeliveryWorker.builder(engine)
        .withConsumer(Notifications.CONSUMER, notifications)
        .withTimers(true)
        .withReminders(notifications)
        .withMaxAttempts(maxAttempts)
        .withBackoff(initialBackoff, maxBackoff)
        .build();
  }

  @Bean
  SmartLifecycle deliveryWorkerRunner(DeliveryWorker worker,
      @Value("${gigsta.delivery.poll-interval:1s}") Duration pollInterval) {
    return new DeliveryWorkerRunner(worker, pollInterval);
  }

  @Bean
  BookingIndex bookingIndex(JdbcTemplate jdbc) {
    return new BookingIndex(jdbc);
  }

  /**
   * Starts the worker's thread once the application has started, and stops it, waiting for the sweep
   * under way, on shutdown: before the database's connection pool is closed. What is owed when it stops
   * stays stored and is delivered after the next start (with a database that outlives the process).
   */
  static final class DeliveryWorkerRunner implements SmartLifecycle {
    private final DeliveryWorker worker;
    private final Duration pollInterval;
    private volatile boolean running;
    private boolean stopped;

    DeliveryWorkerRunner(DeliveryWorker worker, Duration pollInterval) {
      this.worker = worker;
      this.pollInterval = pollInterval;
    }

    @Override
    public synchronized void start() {
      if (running) {
        return;
      }
      if (stopped) {
        throw new IllegalStateException("a delivery worker's thread starts only once; restart the application");
      }
      worker.start(pollInterval);
      running = true;
    }

    @Override
    public synchronized void stop() {
      worker.close();
      running = false;
      stopped = true;
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
