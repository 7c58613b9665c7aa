package com.gigsta.booking.spring;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingListener;
import com.gigsta.booking.BookingObserver;
import com.gigsta.booking.ChangeConsumer;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.ReminderConsumer;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.PaymentHooks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures gigsta-booking from the application's {@link DataSource}: a {@link JdbcAuditTrail}, one
 * {@link BookingEngine} and one {@link DeliveryWorker}, started and stopped with the context by a
 * {@link DeliveryWorkerLifecycle}. Every bean backs off when the application defines its own of the type.
 *
 * <p>The engine runs the application's {@link Workflow} beans (the highest version is current, the others
 * are its earlier versions) or {@link Workflow#gigsta()} when there is none; the application's
 * {@link PaymentHooks}, {@link Clock} and {@link BookingObserver} beans if any; and every
 * {@link BookingListener} bean, in their order. It refuses to start when stored bookings are pinned to a
 * workflow version it was not given. The worker settles payments, takes timed rules, delivers to every
 * {@link ChangeConsumer} bean under the bean's name, and sends reminders to the {@link ReminderConsumer}
 * bean if there is one.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, afterName = {
    "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
    "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration"})
@EnableConfigurationProperties(GigstaBookingProperties.class)
public class GigstaBookingAutoConfiguration {

  /** Creates the auto-configuration; Spring does. */
  public GigstaBookingAutoConfiguration() {}

  /**
   * The audit trail in the application's database. It depends on the database's initialization (Flyway,
   * Liquibase or {@code spring.sql.init}), so the tables exist when it checks them.
   *
   * @param dataSource the application's data source
   * @param properties the table's settings
   * @return the trail
   */
  @Bean
  @ConditionalOnMissingBean(AuditTrail.class)
  @ConditionalOnSingleCandidate(DataSource.class)
  @DependsOnDatabaseInitialization
  public JdbcAuditTrail gigstaBookingAuditTrail(DataSource dataSource, GigstaBookingProperties properties) {
    return JdbcAuditTrail.builder(dataSource)
        .withTableName(properties.tableName())
        .withCreateTableIfMissing(properties.createTable())
        .build();
  }

  /**
   * The engine.
   *
   * @param auditTrail where changes are recorded
   * @param workflows the application's workflow versions, if any
   * @param paymentHooks the application's payment hooks, if any
   * @param clock the application's clock, if any
   * @param listeners the application's listeners
   * @param observer the observer, if any
   * @return the engine
   * @throws IllegalStateException if stored bookings are pinned to workflow versions the engine was not given
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(AuditTrail.class)
  public BookingEngine gigstaBookingEngine(AuditTrail auditTrail, ObjectProvider<Workflow> workflows,
      ObjectProvider<PaymentHooks> paymentHooks, ObjectProvider<Clock> clock,
      ObjectProvider<BookingListener> listeners, ObjectProvider<BookingObserver> observer) {
    List<Workflow> versions = new ArrayList<>(workflows.orderedStream().toList());
    versions.sort(Comparator.comparingInt(Workflow::version));
    Workflow current = versions.isEmpty() ? Workflow.gigsta() : versions.remove(versions.size() - 1);
    BookingEngine.Builder builder = BookingEngine.builder()
        .withAuditTrail(auditTrail)
        .withWorkflow(current)
        .withEarlierVersions(versions.toArray(Workflow[]::new))
        .withPaymentHooks(paymentHooks.getIfAvailable(PaymentHooks::none))
        .withClock(clock.getIfAvailable(Clock::systemUTC))
        .withObserver(observer.getIfAvailable(() -> BookingObserver.NONE));
    listeners.orderedStream().forEach(builder::onChange);
    BookingEngine engine = builder.build();
    // Refuse to start rather than refuse every request on bookings of a version not deployed here.
    Map<WorkflowVersion, Long> missing = engine.missingWorkflowVersions();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("stored bookings are pinned to workflow versions this application does not "
          + "define (bookings per version): " + missing + "; add a Workflow bean for each, next to the current "
          + current.workflowVersion());
    }
    return engine;
  }

  /**
   * The delivery worker: settlements and timed rules on, a consumer per {@link ChangeConsumer} bean, named
   * by the bean's name, and reminders to the {@link ReminderConsumer} bean if any.
   *
   * @param engine the engine whose trail and payment hooks it uses
   * @param properties the worker's settings
   * @param beans where the consumers are looked up
   * @param reminders the reminder consumer, if any
   * @return the worker, not started
   * @throws IllegalArgumentException if a consumer bean's name is not a valid consumer name
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(BookingEngine.class)
  public DeliveryWorker gigstaBookingDeliveryWorker(BookingEngine engine, GigstaBookingProperties properties,
      ListableBeanFactory beans, ObjectProvider<ReminderConsumer> reminders) {
    GigstaBookingProperties.Delivery delivery = properties.delivery();
    DeliveryWorker.Builder builder = DeliveryWorker.builder(engine)
        .withSettlements(true)
        .withTimers(true)
        .withMaxAttempts(delivery.maxAttempts())
        .withBackoff(delivery.initialBackoff(), delivery.maxBackoff())
        .withBatchSize(delivery.batchSize())
        .withLease(delivery.lease())
        .withHoldGrace(delivery.holdGrace());
    for (Map.Entry<String, ChangeConsumer> consumer : beans.getBeansOfType(ChangeConsumer.class).entrySet()) {
      try {
        builder.withConsumer(consumer.getKey(), consumer.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ChangeConsumer bean '" + consumer.getKey() + "' is delivered to under "
            + "its bean name, which must be a consumer name; name the bean e.g. @Bean(\"emails\"): "
            + e.getMessage(), e);
      }
    }
    reminders.ifAvailable(builder::withReminders);
    return builder.build();
  }

  /**
   * Starts the worker with the context and stops it before the data source closes; absent when
   * {@code gigsta.booking.scheduling.enabled=false}.
   *
   * @param worker the worker
   * @param properties the poll interval
   * @return the lifecycle
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(DeliveryWorker.class)
  @ConditionalOnProperty(prefix = "gigsta.booking.scheduling", name = "enabled", matchIfMissing = true)
  public DeliveryWorkerLifecycle gigstaBookingDeliveryWorkerLifecycle(DeliveryWorker worker,
      GigstaBookingProperties properties) {
    return new DeliveryWorkerLifecycle(worker, properties.scheduling().pollInterval());
  }
}
