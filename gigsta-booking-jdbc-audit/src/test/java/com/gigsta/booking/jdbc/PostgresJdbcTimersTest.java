package com.gigsta.booking.jdbc;

/** Runs the timer tests on the PostgreSQL test server, one set of tables per test. */
class PostgresJdbcTimersTest extends JdbcTimersTest {

  PostgresJdbcTimersTest() {
    super(DatabaseExtension.postgresql());
  }
}
