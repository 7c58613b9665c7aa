package com.gigsta.booking.jdbc;

/** Runs the money and payment-attempt tests on a fresh in-memory H2 database per test. */
class H2JdbcMoneyTest extends JdbcMoneyTest {

  H2JdbcMoneyTest() {
    super(DatabaseExtension.h2());
  }
}
