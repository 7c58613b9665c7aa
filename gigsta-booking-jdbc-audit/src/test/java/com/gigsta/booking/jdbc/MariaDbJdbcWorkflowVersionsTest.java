package com.gigsta.booking.jdbc;

/** Runs the workflow version tests on the MariaDB test server, one table per test. */
class MariaDbJdbcWorkflowVersionsTest extends JdbcWorkflowVersionsTest {

  MariaDbJdbcWorkflowVersionsTest() {
    super(DatabaseExtension.mariadb());
  }
}
