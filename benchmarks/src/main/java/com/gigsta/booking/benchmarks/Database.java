package com.gigsta.booking.benchmarks;

import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.Role;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The databases the database groups run on, with how to reach them, how to lay out the benchmark tables
 * and how to bulk-load them. Immutable and thread-safe.
 *
 * <p>Both tables, and the change feed's tables named after each, are dropped and created again by every
 * trial: {@value #AUDIT_TABLE} by {@link JdbcAuditTrail} itself, {@value #RAW_TABLE} from the module's own
 * schema scripts (V1 and V2) for the same database, so the raw peer writes tables of exactly the same shape
 * (columns, primary keys, indexes).
 */
enum Database {
  /** H2 2.x, embedded, file-backed in the system's temporary folder. */
  H2("jdbc:h2:file:" + Path.of(System.getProperty("java.io.tmpdir"), "gigsta-benchmarks", "h2").toAbsolutePath(),
      "sa", ""),
  /** PostgreSQL on 127.0.0.1:5432, database {@code test}, user {@code postgres}, trust authentication. */
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
  /** MariaDB on 127.0.0.1:3306, database {@code test}, user {@code root} without password. */
  MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "");

  static final String AUDIT_TABLE = "bench_audit";
  static final String RAW_TABLE = "bench_raw";
  private static final String SCRIPT_TABLE = JdbcAuditTrail.DEFAULT_TABLE_NAME;
  private static final String SCRIPT_V1 = "V1__gigsta_booking_audit.sql";
  private static final String SCRIPT_V2 = "V2__gigsta_booking_feed.sql";
  // The feed's tables, named after the audit table by the V2 schema script.
  private static final String CHANGE_SUFFIX = "_change";
  private static final String HEAD_SUFFIX = "_feed_head";
  private static final String DELIVERY_SUFFIX = "_delivery";
  private static final List<String> FEED_SUFFIXES =
      List.of(CHANGE_SUFFIX, HEAD_SUFFIX, "_consumer", DELIVERY_SUFFIX, "_hold");

  final String url;
  final String user;
  final String password;

  Database(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Returns the database a {@code db} benchmark parameter names. */
  static Database named(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Returns a HikariCP pool with room for every benchmark thread; the same pool serves ours and the raw peer. */
  HikariDataSource pool(int threads) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(Math.max(2, threads + 1));
    config.setMinimumIdle(Math.max(2, threads + 1));
    config.setPoolName("benchmark-" + name().toLowerCase(Locale.ROOT));
    return new HikariDataSource(config);
  }

  /**
   * Drops both benchmark tables and the feed's tables named after each, creates the raw peer's again from
   * the schema scripts, and returns a trail on the audit table, which creates its own.
   */
  JdbcAuditTrail resetTables(HikariDataSource pool) {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      for (String table : List.of(AUDIT_TABLE, RAW_TABLE)) {
        statement.execute("DROP TABLE IF EXISTS " + table);
        for (String suffix : FEED_SUFFIXES) {
          statement.execute("DROP TABLE IF EXISTS " + table + suffix);
        }
      }
      for (String script : List.of(SCRIPT_V1, SCRIPT_V2)) {
        for (String sql : schemaStatements(script)) {
          statement.execute(sql.replace(SCRIPT_TABLE, RAW_TABLE));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not reset the benchmark tables on " + this + " at " + url, e);
    }
    return JdbcAuditTrail.builder(pool).withTableName(AUDIT_TABLE).withCreateTableIfMissing(true).build();
  }

  /**
   * Fills the audit table with {@code rows} rows, four per booking like the happy path, with their change
   * rows placed in the feed and the settlement deliveries of the captures marked done: the tables as a
   * trail with a payment provider leaves them once the feed was read and every settlement delivered. See
   * {@link #loadBookings}.
   */
  void bulkLoad(HikariDataSource pool, int rows) {
    List<WorkflowRule> path = GigstaMachine.path(GigstaMachine.HAPPY_PATH);
    if (rows % path.size() != 0) {
      throw new IllegalArgumentException(rows + " rows are not whole bookings of " + path.size() + " rows");
    }
    loadBookings(pool, AUDIT_TABLE, "bulk-", 0, rows / path.size(), path, "DONE");
  }

  /**
   * Adds {@code count} requested bookings to {@code table}, one creation row each as the engine writes it,
   * with the ids {@code prefix + n} for n from {@code first}; see {@link #loadBookings}.
   */
  void loadRequested(HikariDataSource pool, String table, String prefix, long first, long count) {
    loadBookings(pool, table, prefix, first, count, GigstaMachine.path(List.of()), null);
  }

  /**
   * Adds {@code count} bookings to {@code table} with the ids {@code prefix + n} for n from {@code first},
   * each with one audit row per rule of {@code path} (the creation first) as the engine records them, and
   * the feed's rows that go with them, each in one {@code INSERT ... SELECT} over a generated series: one
   * change row per audit row, with the payment moment the rule owes with a payment provider and the next
   * feed positions in booking and sequence order; one delivery to the built-in settlement consumer per
   * change that owes a release, refund or capture, with the status {@code settlementStatus} ({@code
   * PENDING}, due at once, or {@code DONE}); and the feed head advanced past them. That is what the
   * sequencer leaves (see the V2 schema script) once it has placed the changes, so nothing is left for it
   * to place. Then refreshes the planner's statistics (and on PostgreSQL vacuums and forces a checkpoint).
   * The rows' hashes are placeholders: nothing reads them but an append continuing the row, which chains
   * to them.
   */
  void loadBookings(HikariDataSource pool, String table, String prefix, long first, long count,
      List<WorkflowRule> path, String settlementStatus) {
    int k = path.size();
    long from = first * k;
    long to = (first + count) * k - 1;
    String id = this == MARIADB ? "CONCAT(" + literal(prefix) + ", " + (k == 1 ? "g" : "FLOOR(g / " + k + ")") + ")"
        : literal(prefix) + " || CAST(" + (k == 1 ? "g" : "FLOOR(g / " + k + ")") + " AS VARCHAR(20))";
    String sequence = "MOD(g, " + k + ") + 1";
    String audit = "INSERT INTO " + table + " (" + Rows.COLUMNS + ") SELECT " + id + ", " + sequence + ", "
        + byStep(path, rule -> literal(rule.actionName())) + ", "
        + byStep(path, rule -> literal(rule.role().name())) + ", "
        + byStep(path, rule -> literal(actorId(rule.role()))) + ", "
        + literal(GigstaMachine.CUSTOMER_ID) + ", " + literal(GigstaMachine.GIGSTA_ID) + ", "
        + byStep(path, rule -> rule.from() == null ? "NULL" : literal(rule.from().name())) + ", "
        + byStep(path, rule -> literal(rule.to().name())) + ", "
        + "TIMESTAMP '2026-01-01 00:00:00', " + byStep(path, rule -> literal(rule.action().note()))
        + ", NULL, NULL, " + literal("0".repeat(64)) + ", " + literal("0123456789abcdef".repeat(4))
        + " FROM " + series(from, to);
    StringBuilder settling = new StringBuilder();
    for (int i = 0; i < k; i++) {
      if (path.get(i).payment().settlesAfterRecording()) {
        settling.append(settling.length() == 0 ? "" : ", ").append(i);
      }
    }
    String what = count + " bookings of " + k + " rows";
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      long head;
      try (ResultSet row = statement.executeQuery("SELECT feed_position FROM " + table + HEAD_SUFFIX
          + " WHERE id = 1")) {
        if (!row.next()) {
          throw new IllegalStateException("the feed head row of " + table + " is missing");
        }
        head = row.getLong(1);
      }
      // Positions head + 1, head + 2 ... in series order, which is booking and sequence order.
      String position = "g + " + (head + 1 - from);
      statement.execute(audit);
      statement.execute("INSERT INTO " + table + CHANGE_SUFFIX + " (booking_id, sequence, payment_moment,"
          + " feed_position) SELECT " + id + ", " + sequence + ", "
          + byStep(path, rule -> literal(rule.payment().name())) + ", " + position + " FROM " + series(from, to));
      if (settlementStatus != null && settling.length() > 0) {
        statement.execute("INSERT INTO " + table + DELIVERY_SUFFIX + " (consumer, feed_position, booking_id,"
            + " sequence, status, failed_attempts, due_at, last_error) SELECT "
            + literal(DeliveryWorker.SETTLEMENT) + ", " + position + ", " + id + ", " + sequence + ", "
            + literal(settlementStatus) + ", 0, TIMESTAMP '1000-01-01 00:00:00', NULL FROM " + series(from, to)
            + " WHERE MOD(g, " + k + ") IN (" + settling + ")");
      }
      statement.execute("UPDATE " + table + HEAD_SUFFIX + " SET feed_position = " + (head + count * k)
          + " WHERE id = 1");
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      for (String analyzed : List.of(table, table + CHANGE_SUFFIX, table + DELIVERY_SUFFIX)) {
        switch (this) {
          case H2, MARIADB -> statement.execute("ANALYZE TABLE " + analyzed);
          case POSTGRESQL -> statement.execute("VACUUM ANALYZE " + analyzed);
        }
      }
      if (this == POSTGRESQL) {
        // Writes the load's dirty pages now, so the checkpoint it would trigger later does not compete
        // with the measured commits for the disk.
        statement.execute("CHECKPOINT");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not load " + what + " into " + table + " on " + this, e);
    }
  }

  // The expression of a column whose value depends on the step: a CASE on the row's place in its booking.
  private static String byStep(List<WorkflowRule> path, Function<WorkflowRule, String> value) {
    List<String> values = path.stream().map(value).toList();
    if (values.stream().distinct().count() == 1) {
      return values.get(0);
    }
    StringBuilder sql = new StringBuilder("CASE MOD(g, " + path.size() + ")");
    for (int i = 0; i < values.size(); i++) {
      sql.append(" WHEN ").append(i).append(" THEN ").append(values.get(i));
    }
    return sql.append(" END").toString();
  }

  private static String actorId(Role role) {
    return switch (role) {
      case CUSTOMER -> GigstaMachine.CUSTOMER_ID;
      case GIGSTA -> GigstaMachine.GIGSTA_ID;
      default -> throw new IllegalArgumentException("the loaded paths have no " + role + " actions");
    };
  }

  private String series(long from, long to) {
    return switch (this) {
      case H2 -> "(SELECT X AS g FROM SYSTEM_RANGE(" + from + ", " + to + ")) s";
      case POSTGRESQL -> "generate_series(" + from + ", " + to + ") AS s(g)";
      case MARIADB -> "(SELECT seq AS g FROM seq_" + from + "_to_" + to + ") s";
    };
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private List<String> schemaStatements(String scriptName) {
    String resource = "db/migration/gigsta-booking/" + name().toLowerCase(Locale.ROOT) + "/" + scriptName;
    String script;
    try (InputStream in = Database.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema script " + resource + " is not on the class path");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder withoutComments = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        withoutComments.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String sql : withoutComments.toString().split(";")) {
      if (!sql.isBlank()) {
        statements.add(sql.strip());
      }
    }
    return statements;
  }
}
