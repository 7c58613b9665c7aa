package com.gigsta.booking.jdbc;

/** Runs the workflow version tests on the PostgreSQL test server, one table per test. */
class PostgresJdbcWorkflowVersionsTest extends JdbcWorkflowVersionsTest {

  PostgresJdbcWorkflowVersionsTest() {
    super(DatabaseExtension.postgresql());
  }
}
