package com.gigsta.booking.jdbc;

/** Runs the money and payment-attempt tests on the PostgreSQL test server, one table per test. */
class PostgresJdbcMoneyTest extends JdbcMoneyTest {

  PostgresJdbcMoneyTest() {
    super(DatabaseExtension.postgresql());
  }
}
