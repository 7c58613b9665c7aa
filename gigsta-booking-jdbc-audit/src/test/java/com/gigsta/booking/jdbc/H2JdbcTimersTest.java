package com.gigsta.booking.jdbc;

/** Runs the timer tests on a fresh in-memory H2 database per test. */
class H2JdbcTimersTest extends JdbcTimersTest {

  H2JdbcTimersTest() {
    super(DatabaseExtension.h2());
  }
}
