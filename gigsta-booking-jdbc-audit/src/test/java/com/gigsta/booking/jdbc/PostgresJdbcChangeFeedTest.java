package com.gigsta.booking.jdbc;

/** Runs the change feed and delivery tests on the PostgreSQL test server, one set of tables per test. */
class PostgresJdbcChangeFeedTest extends JdbcChangeFeedTest {

  PostgresJdbcChangeFeedTest() {
    super(DatabaseExtension.postgresql());
  }
}
