package com.gigsta.booking.jdbc;

/** Runs the change feed and delivery tests on the MariaDB test server, one set of tables per test. */
class MariaDbJdbcChangeFeedTest extends JdbcChangeFeedTest {

  MariaDbJdbcChangeFeedTest() {
    super(DatabaseExtension.mariadb());
  }
}
