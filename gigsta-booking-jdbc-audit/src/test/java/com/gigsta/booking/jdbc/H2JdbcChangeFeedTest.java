package com.gigsta.booking.jdbc;

/** Runs the change feed and delivery tests on a fresh in-memory H2 database per test. */
class H2JdbcChangeFeedTest extends JdbcChangeFeedTest {

  H2JdbcChangeFeedTest() {
    super(DatabaseExtension.h2());
  }
}
