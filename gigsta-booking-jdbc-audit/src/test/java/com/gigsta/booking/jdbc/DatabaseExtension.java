package com.gigsta.booking.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test its own audit table: a fresh {@code jdbc:h2:mem:<uuid>} database for H2, a table with a
 * random name on the shared PostgreSQL or MariaDB test database, and drops what the test created, the
 * change feed's and the timers' tables named after the audit table included.
 *
 * <p>Public for the tests of other packages, such as the crash tests; it is test code, so the JUnit types
 * it shows are not part of the module's API.
 *
 * <p>Servers are found through {@code GIGSTA_PG_URL}, {@code GIGSTA_PG_USER}, {@code GIGSTA_PG_PASSWORD},
 * {@code GIGSTA_MARIADB_URL}, {@code GIGSTA_MARIADB_USER} and {@code GIGSTA_MARIADB_PASSWORD}, defaulting to
 * the local test servers. An unreachable server skips its tests with a printed reason, or fails them
 * when {@code GIGSTA_DB_REQUIRED=true}.
 */
@SuppressWarnings("exports")
public final class DatabaseExtension implements BeforeEachCallback, AfterEachCallback {

  /** The databases tests run on. */
  public enum Kind {
    /** Embedded H2. */
    H2,
    /** PostgreSQL server. */
    POSTGRESQL,
    /** MariaDB server. */
    MARIADB
  }

  private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("GIGSTA_DB_REQUIRED"));
  private static final Map<Kind, String> UNREACHABLE = new ConcurrentHashMap<>();

  private final Kind kind;
  private final String url;
  private final String user;
  private final String password;
  private String testUrl;
  private String tableName;
  private HikariDataSource dataSource;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<String> cleanup = new ArrayList<>();

  private DatabaseExtension(Kind kind, String url, String user, String password) {
    this.kind = kind;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Returns the extension for fresh in-memory H2 databases. */
  public static DatabaseExtension h2() {
    return new DatabaseExtension(Kind.H2, null, "sa", "");
  }

  /** Returns the extension for the PostgreSQL test server. */
  public static DatabaseExtension postgresql() {
    return new DatabaseExtension(Kind.POSTGRESQL, env("GIGSTA_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
        env("GIGSTA_PG_USER", "postgres"), env("GIGSTA_PG_PASSWORD", ""));
  }

  /** Returns the extension for the MariaDB test server. */
  public static DatabaseExtension mariadb() {
    return new DatabaseExtension(Kind.MARIADB, env("GIGSTA_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"),
        env("GIGSTA_MARIADB_USER", "root"), env("GIGSTA_MARIADB_PASSWORD", ""));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (kind != Kind.H2) {
      requireReachable();
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    testUrl = kind == Kind.H2 ? "jdbc:h2:mem:" + id + ";DB_CLOSE_DELAY=-1" : url;
    tableName = "audit_" + id.substring(0, 16);
    dataSource = pool(testUrl, user, password, 24, null);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (dataSource == null) {
      return;
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    closeables.clear();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      for (int i = cleanup.size() - 1; i >= 0; i--) {
        statement.execute(cleanup.get(i));
      }
      for (String table : feedTables(tableName)) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
      statement.execute("DROP TABLE IF EXISTS " + tableName);
    } finally {
      cleanup.clear();
      dataSource.close();
      dataSource = null;
    }
    if (kind == Kind.H2) {
      try (Connection connection = DriverManager.getConnection(testUrl, user, password);
          Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      }
    }
  }

  private void requireReachable() {
    String reason = UNREACHABLE.computeIfAbsent(kind, k -> {
      DriverManager.setLoginTimeout(5);
      try (Connection connection = DriverManager.getConnection(url, user, password)) {
        return connection.isValid(5) ? "" : "the connection was not valid";
      } catch (SQLException e) {
        return e.getMessage();
      }
    });
    if (!reason.isEmpty()) {
      String message = kind + " at " + url + " as " + user + " is unreachable (" + reason + ")";
      if (REQUIRED) {
        throw new IllegalStateException(message + " and GIGSTA_DB_REQUIRED=true");
      }
      System.out.println("SKIPPED: " + message + "; set GIGSTA_DB_REQUIRED=true to fail instead");
      Assumptions.abort(message);
    }
  }

  /** Returns a pool of up to {@code size} connections, closed with the extension unless it is the main one. */
  HikariDataSource pool(String jdbcUrl, String username, String secret, int size, String initSql) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(username);
    config.setPassword(secret);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(30_000);
    config.setPoolName(kind + "-" + username);
    if (initSql != null) {
      config.setConnectionInitSql(initSql);
    }
    return new HikariDataSource(config);
  }

  /** Returns the database this extension connects to. */
  public Kind kind() {
    return kind;
  }

  /** Returns this test's pooled data source, as the admin user. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Returns this test's JDBC URL. */
  public String url() {
    return testUrl;
  }

  /** Returns the admin user. */
  public String user() {
    return user;
  }

  /** Returns the admin user's password. */
  public String password() {
    return password;
  }

  /** Returns the names of the change feed's and the timers' tables beside the audit table, deliveries first. */
  public static List<String> feedTables(String auditTable) {
    return List.of(auditTable + "_timer_sweep", auditTable + "_hold", auditTable + "_delivery",
        auditTable + "_consumer", auditTable + "_feed_head", auditTable + "_change");
  }

  /** Returns this test's audit table name. */
  public String tableName() {
    return tableName;
  }

  /** Returns a builder for this test's table that creates it if missing. */
  public JdbcAuditTrail.Builder builder() {
    return JdbcAuditTrail.builder(dataSource).withTableName(tableName).withCreateTableIfMissing(true);
  }

  /** Returns a data source for the same database as another user, closed after the test. */
  public DataSource dataSourceAs(String username, String secret, String initSql) {
    // Only an admin may repeat H2's DB_CLOSE_DELAY setting; the database is open already anyway.
    String otherUrl = kind == Kind.H2 ? testUrl.substring(0, testUrl.indexOf(';')) : testUrl;
    HikariDataSource other = pool(otherUrl, username, secret, 8, initSql);
    closeables.add(other);
    return other;
  }

  /** Returns a data source for another database URL, closed after the test. */
  public DataSource dataSourceFor(String jdbcUrl, String username, String secret) {
    HikariDataSource other = pool(jdbcUrl, username, secret, 8, null);
    closeables.add(other);
    return other;
  }

  /** Runs statements as the admin user. */
  public void execute(String... sql) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + String.join("; ", sql), e);
    }
  }

  /** Registers a statement to run after the test, before the audit table is dropped; last registered first. */
  public void onCleanup(String sql) {
    cleanup.add(sql);
  }

  /** Registers a resource to close after the test. */
  public void onCleanup(AutoCloseable closeable) {
    closeables.add(closeable);
  }
}
