package com.gigsta.booking.jdbc;

/** Runs the timer tests on the MariaDB test server, one set of tables per test. */
class MariaDbJdbcTimersTest extends JdbcTimersTest {

  MariaDbJdbcTimersTest() {
    super(DatabaseExtension.mariadb());
  }
}
