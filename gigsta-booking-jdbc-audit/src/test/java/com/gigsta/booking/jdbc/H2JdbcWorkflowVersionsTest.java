package com.gigsta.booking.jdbc;

/** Runs the workflow version tests on a fresh in-memory H2 database per test. */
class H2JdbcWorkflowVersionsTest extends JdbcWorkflowVersionsTest {

  H2JdbcWorkflowVersionsTest() {
    super(DatabaseExtension.h2());
  }
}
