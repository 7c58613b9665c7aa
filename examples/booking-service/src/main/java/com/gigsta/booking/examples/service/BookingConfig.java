package com.gigsta.booking.examples.service;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import java.time.Clock;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the booking engine to the service's database, clock and card processor. */
@Configuration
public class BookingConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  JdbcAuditTrail auditTrail(DataSource dataSource,
      @Value("${gigsta.audit.table:booking_audit}") String table,
      @Value("${gigsta.audit.create-table:true}") boolean createTable) {
    // Creating the table on start keeps the demo a one-command affair; a production service runs the
    // module's schema script with its migrations and sets gigsta.audit.create-table=false.
    return JdbcAuditTrail.builder(dataSource)
        .withTableName(table)
        .withCreateTableIfMissing(createTable)
        .build();
  }

  @Bean
  FakeCardProcessor cardProcessor(
      @Value("${gigsta.payments.declining-customers:dora}") Set<String> decliningCustomers, Clock clock) {
    return new FakeCardProcessor(decliningCustomers, clock);
  }

  @Bean
  BookingEngine bookingEngine(JdbcAuditTrail auditTrail, FakeCardProcessor cardProcessor, Clock clock) {
    return BookingEngine.builder()
        .withAuditTrail(auditTrail)
        .withPaymentHooks(cardProcessor)
        .withClock(clock)
        .build();
  }

  @Bean
  BookingIndex bookingIndex(JdbcTemplate jdbc) {
    return new BookingIndex(jdbc);
  }
}
