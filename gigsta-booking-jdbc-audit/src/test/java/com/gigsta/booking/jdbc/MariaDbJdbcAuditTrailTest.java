package com.gigsta.booking.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;

/** Runs the contract and the JDBC tests on the MariaDB test server, one table per test. */
class MariaDbJdbcAuditTrailTest extends JdbcAuditTrailTest {

  MariaDbJdbcAuditTrailTest() {
    super(DatabaseExtension.mariadb());
  }

  @Override
  protected HookedDataSource.Hook killSession() {
    return victim -> {
      long id = sessionId(victim, "SELECT CONNECTION_ID()");
      try (Connection admin = db.dataSource().getConnection(); Statement kill = admin.createStatement()) {
        kill.execute("KILL CONNECTION " + id);
        // KILL only flags the thread; wait until the server has let it go.
        for (int i = 0; i < 200; i++) {
          try (ResultSet rows = kill.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id)) {
            rows.next();
            if (rows.getInt(1) == 0) {
              return;
            }
          }
          Thread.sleep(25);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Override
  protected String oddSessionTimeZone() {
    return "SET time_zone = '+05:45'";
  }

  @Override
  protected DataSource dataSourceWithOnly(String privileges) {
    String user = "u_" + db.tableName().substring(6);
    db.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'secret'",
        "GRANT " + privileges + " ON " + db.tableName() + " TO '" + user + "'@'%'");
    feedPrivileges().forEach((table, granted) -> db.execute("GRANT " + granted + " ON " + table + " TO '" + user
        + "'@'%'"));
    db.onCleanup("DROP USER IF EXISTS '" + user + "'@'%'");
    return db.dataSourceAs(user, "secret", null);
  }
}
