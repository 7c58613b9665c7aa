package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Where one crash run keeps everything: the database, and the names of the audit table (and through it
 * the trail's feed tables), the fake provider's tables and the consumer's table. Every name starts with
 * the run's prefix, so runs on a shared server never meet. Immutable.
 *
 * @param url the JDBC URL a child process can open
 * @param user the user
 * @param password the password, possibly empty
 * @param prefix the run's prefix, e.g. {@code crash_1a2b3c4d}
 */
public record CrashDatabase(String url, String user, String password, String prefix) {

  /** The durable consumer every child registers and delivers to. */
  public static final String CONSUMER = "crash.seen";

  /** Returns the database's name for the printed lines. */
  public String label() {
    if (url.startsWith("jdbc:h2:")) {
      return "H2";
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return "PostgreSQL";
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return "MariaDB";
    }
    throw new IllegalArgumentException("unknown database " + url);
  }

  boolean isH2() {
    return label().equals("H2");
  }

  boolean isMariaDb() {
    return label().equals("MariaDB");
  }

  public String auditTable() {
    return prefix + "_audit";
  }

  String changeTable() {
    return auditTable() + "_change";
  }

  String deliveryTable() {
    return auditTable() + "_delivery";
  }

  String providerKeyTable() {
    return prefix + "_provider_key";
  }

  String providerCallTable() {
    return prefix + "_provider_call";
  }

  String seenTable() {
    return prefix + "_consumer_seen";
  }

  /** Every table of the run, those that may refer to others first. */
  List<String> allTables() {
    String audit = auditTable();
    return List.of(seenTable(), providerCallTable(), providerKeyTable(), audit + "_timer_sweep", audit + "_hold",
        audit + "_delivery", audit + "_consumer", audit + "_feed_head", audit + "_change", audit);
  }

  /** Returns a small pool; the caller closes it. */
  public HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(30_000);
    config.setPoolName("crash-" + label());
    return new HikariDataSource(config);
  }

  /**
   * Drops what an earlier run of the same prefix left, then creates the trail's tables, registers the
   * durable consumer before any change (so that every change is owed to it) and creates the test's tables.
   */
  public void recreate() throws SQLException {
    try (HikariDataSource dataSource = pool(2)) {
      try (Connection connection = dataSource.getConnection()) {
        dropAll(connection);
      }
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(auditTable())
          .withCreateTableIfMissing(true).build();
      trail.registerConsumer(CONSUMER);
      try (Connection connection = dataSource.getConnection()) {
        createTestTables(connection);
      }
    }
  }

  /** Drops every table of the run that exists. */
  public void dropAll(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String table : allTables()) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  /** Creates the provider's and the consumer's tables. */
  public void createTestTables(Connection connection) throws SQLException {
    String suffix = isMariaDb() ? " ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" : "";
    try (Statement statement = connection.createStatement()) {
      // The provider's own truth: one row per idempotency key, written with the call that first used it.
      statement.execute("CREATE TABLE " + providerKeyTable() + " ("
          + "idempotency_key VARCHAR(400) NOT NULL PRIMARY KEY, "
          + "moment VARCHAR(16) NOT NULL, booking_id VARCHAR(128) NOT NULL, sequence BIGINT NOT NULL, "
          + "action_name VARCHAR(64) NOT NULL, customer_id VARCHAR(128) NOT NULL, gigsta_id VARCHAR(128) NOT NULL, "
          + "result VARCHAR(64) NOT NULL, caller VARCHAR(64) NOT NULL, created_micros BIGINT NOT NULL)" + suffix);
      // Every call, whatever its outcome: NEW (took effect), REPEAT (key seen, first result) or REFUSED.
      statement.execute("CREATE TABLE " + providerCallTable() + " ("
          + "id VARCHAR(36) NOT NULL PRIMARY KEY, idempotency_key VARCHAR(400) NOT NULL, "
          + "moment VARCHAR(16) NOT NULL, booking_id VARCHAR(128) NOT NULL, sequence BIGINT NOT NULL, "
          + "outcome VARCHAR(8) NOT NULL, result VARCHAR(64), caller VARCHAR(64) NOT NULL, "
          + "called_micros BIGINT NOT NULL)" + suffix);
      // What the durable consumer was given: once per change, counting repeats, and whether a repeat came
      // with another feed position than the first delivery.
      statement.execute("CREATE TABLE " + seenTable() + " ("
          + "booking_id VARCHAR(128) NOT NULL, sequence BIGINT NOT NULL, times INT NOT NULL, "
          + "feed_position BIGINT NOT NULL, moved INT NOT NULL, PRIMARY KEY (booking_id, sequence))" + suffix);
    }
  }

  /** The arguments that tell a child process this database. */
  public List<String> childArguments() {
    return List.of("url=" + url, "user=" + user, "password=" + password, "prefix=" + prefix);
  }

  /** Reads the database back from a child's arguments. */
  public static CrashDatabase fromArguments(Map<String, String> arguments) {
    return new CrashDatabase(arguments.get("url"), arguments.get("user"), arguments.get("password"),
        arguments.get("prefix"));
  }
}
