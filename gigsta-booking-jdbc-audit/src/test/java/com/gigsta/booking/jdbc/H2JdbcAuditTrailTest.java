package com.gigsta.booking.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;

/** Runs the contract and the JDBC tests on a fresh in-memory H2 database per test. */
class H2JdbcAuditTrailTest extends JdbcAuditTrailTest {

  H2JdbcAuditTrailTest() {
    super(DatabaseExtension.h2());
  }

  @Override
  protected HookedDataSource.Hook killSession() {
    return victim -> {
      long session = sessionId(victim, "SELECT SESSION_ID()");
      try (Connection admin = db.dataSource().getConnection();
          PreparedStatement abort = admin.prepareStatement("SELECT ABORT_SESSION(?)")) {
        abort.setLong(1, session);
        abort.execute();
      }
    };
  }

  @Override
  protected DataSource unpooledDataSource() {
    // The pool would not recognise H2's "database closed" state as fatal and would hand the killed
    // connection back for the re-check, so sessions come straight from the driver here.
    JdbcDataSource direct = new JdbcDataSource();
    direct.setURL(db.url());
    direct.setUser(db.user());
    direct.setPassword(db.password());
    return direct;
  }

  @Override
  protected String oddSessionTimeZone() {
    return "SET TIME ZONE 'Asia/Kathmandu'";
  }

  @Override
  protected DataSource dataSourceWithOnly(String privileges) {
    String user = "u_" + db.tableName();
    db.execute("CREATE USER " + user + " PASSWORD 'secret'", "GRANT " + privileges + " ON " + db.tableName() + " TO " + user);
    feedPrivileges().forEach((table, granted) -> db.execute("GRANT " + granted + " ON " + table + " TO " + user));
    db.onCleanup("DROP USER IF EXISTS " + user);
    return db.dataSourceAs(user, "secret", null);
  }

  @Override
  protected SharedDatabase sharedDatabase() {
    // Other processes cannot open this JVM's in-memory database: serve a file database over TCP instead.
    Path dir = Path.of("target", "h2-races", UUID.randomUUID().toString());
    try {
      Files.createDirectories(dir);
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      Server server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", dir.toString(),
          "-ifNotExists").start();
      String url = "jdbc:h2:tcp://localhost:" + port + "/./races";
      db.onCleanup(() -> {
        server.stop();
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      });
      DataSource dataSource = db.dataSourceFor(url, "sa", "");
      return new SharedDatabase(url, "sa", "", db.tableName(), dataSource);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("could not serve an H2 database to other processes", e);
    }
  }
}
