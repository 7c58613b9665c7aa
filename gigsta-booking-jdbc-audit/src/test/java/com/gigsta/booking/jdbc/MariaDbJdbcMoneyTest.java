package com.gigsta.booking.jdbc;

/** Runs the money and payment-attempt tests on the MariaDB test server, one table per test. */
class MariaDbJdbcMoneyTest extends JdbcMoneyTest {

  MariaDbJdbcMoneyTest() {
    super(DatabaseExtension.mariadb());
  }
}
