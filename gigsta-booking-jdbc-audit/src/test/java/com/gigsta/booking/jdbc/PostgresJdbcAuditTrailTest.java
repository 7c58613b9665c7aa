package com.gigsta.booking.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;

/** Runs the contract and the JDBC tests on the PostgreSQL test server, one table per test. */
class PostgresJdbcAuditTrailTest extends JdbcAuditTrailTest {

  PostgresJdbcAuditTrailTest() {
    super(DatabaseExtension.postgresql());
  }

  @Override
  protected HookedDataSource.Hook killSession() {
    return victim -> {
      long pid = sessionId(victim, "SELECT pg_backend_pid()");
      // The timeout makes pg_terminate_backend wait until the backend has exited.
      try (Connection admin = db.dataSource().getConnection();
          PreparedStatement terminate = admin.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
        terminate.setInt(1, Math.toIntExact(pid));
        try (ResultSet rows = terminate.executeQuery()) {
          rows.next();
          if (!rows.getBoolean(1)) {
            throw new IllegalStateException("backend " + pid + " was not terminated");
          }
        }
      }
    };
  }

  @Override
  protected String oddSessionTimeZone() {
    return "SET TIME ZONE 'America/St_Johns'";
  }

  @Override
  protected DataSource dataSourceWithOnly(String privileges) {
    // Trust authentication on 127.0.0.1 lets any existing role connect without a password.
    String role = "u_" + db.tableName();
    db.execute("CREATE ROLE " + role + " LOGIN", "GRANT " + privileges + " ON " + db.tableName() + " TO " + role);
    feedPrivileges().forEach((table, granted) -> db.execute("GRANT " + granted + " ON " + table + " TO " + role));
    db.onCleanup("DROP ROLE IF EXISTS " + role);
    db.onCleanup("DROP OWNED BY " + role);
    return db.dataSourceAs(role, "", null);
  }
}
