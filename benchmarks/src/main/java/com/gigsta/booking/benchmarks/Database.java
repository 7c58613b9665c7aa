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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The databases the database groups run on, with how to reach them, how to lay out the benchmark tables
 * and how to bulk-load them. Immutable and thread-safe.
 *
 * <p>Both tables, and the change feed's and the timers' tables named after each, are dropped and created
 * again by every trial: {@value #AUDIT_TABLE} by {@link JdbcAuditTrail} itself, {@value #RAW_TABLE} from the
 * module's own schema scripts (V1 to V3) for the same database, so the raw peer writes tables of exactly the
 * same shape (columns, primary keys, indexes).
 */
enum Database {
  /** H2 2.x, embedded, file-backed in the system's temporary folder. */
  H2("jdbc:h2:file:" + Path.of(System.getProperty("java.io.tmpdir"), "gigsta-benchmarks", "h2").toAbsolutePath(),
      "sa", ""),
  /** PostgreSQL on 127.0.0.1:5432, database {@code test}, user {@code postgres}, trust authentication. */
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
  /** MariaDB on 127.0.0.1:3306, database {@code test}, user {@code root} without password. */
  MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", ""),
  /**
   * The project's three-node MariaDB Galera cluster ({@code .ci/galera start}), through node 1 on
   * 127.0.0.1:3311, database {@code test}, user {@code root} without password; {@code GIGSTA_GALERA_URLS}
   * (the first URL) overrides the URL. Every commit is certified by the cluster, and the trail's decisive
   * reads wait for it ({@code wsrep_sync_wait}); the raw peer's statements are the same INSERTs.
   */
  GALERA(galeraUrl(), "root", "");

  static final String AUDIT_TABLE = "bench_audit";
  static final String RAW_TABLE = "bench_raw";
  private static final String SCRIPT_TABLE = JdbcAuditTrail.DEFAULT_TABLE_NAME;
  private static final String SCRIPT_V1 = "V1__gigsta_booking_audit.sql";
  private static final String SCRIPT_V2 = "V2__gigsta_booking_feed.sql";
  private static final String SCRIPT_V3 = "V3__gigsta_booking_timers.sql";
  // The feed's tables, named after the audit table by the V2 schema script, and the timers' of V3.
  private static final String CHANGE_SUFFIX = "_change";
  private static final String HEAD_SUFFIX = "_feed_head";
  private static final String DELIVERY_SUFFIX = "_delivery";
  private static final List<String> TABLE_SUFFIXES =
      List.of(CHANGE_SUFFIX, HEAD_SUFFIX, "_consumer", DELIVERY_SUFFIX, "_hold", "_timer_sweep");
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  final String url;
  final String user;
  final String password;

  private static String galeraUrl() {
    String urls = System.getenv("GIGSTA_GALERA_URLS");
    return urls == null || urls.isBlank() ? "jdbc:mariadb://127.0.0.1:3311/test" : urls.split(",")[0].trim();
  }

  Database(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  // A Galera node is a MariaDB server: the same SQL and schema scripts.
  private boolean isMariaDb() {
    return this == MARIADB || this == GALERA;
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
   * When the rows of loaded bookings happened. Booking n, numbered as {@link #insertBookings} numbers
   * them, was created at {@code firstCreated + n * every}; its later rows follow {@code rowsEvery} apart;
   * every row of it carries the scheduled start {@code scheduledAfter} after its creation, or none if that
   * is null. Times are whole milliseconds from a first creation in whole seconds.
   *
   * @param firstCreated when booking 0 was created
   * @param every the time between two bookings' creations
   * @param rowsEvery the time between two rows of one booking
   * @param scheduledAfter the scheduled start's distance from the creation, or null for none
   */
  record Times(Instant firstCreated, Duration every, Duration rowsEvery, Duration scheduledAfter) {

    /** Every row at 2026-01-01T00:00:00Z, none with a scheduled start: for the loads whose times no one reads. */
    static final Times FIXED = new Times(Instant.parse("2026-01-01T00:00:00Z"), Duration.ZERO, Duration.ZERO, null);
  }

  /**
   * Drops both benchmark tables and the feed's and timers' tables named after each, creates the raw
   * peer's again from the schema scripts, and returns a trail on the audit table, which creates its own.
   */
  JdbcAuditTrail resetTables(HikariDataSource pool) {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      for (String table : List.of(AUDIT_TABLE, RAW_TABLE)) {
        statement.execute("DROP TABLE IF EXISTS " + table);
        for (String suffix : TABLE_SUFFIXES) {
          statement.execute("DROP TABLE IF EXISTS " + table + suffix);
        }
      }
      for (String script : List.of(SCRIPT_V1, SCRIPT_V2, SCRIPT_V3)) {
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
   * all at 2026-01-01T00:00:00Z and without a scheduled start, then refreshes the planner's statistics;
   * see {@link #insertBookings} and {@link #refreshStatistics}.
   */
  void loadBookings(HikariDataSource pool, String table, String prefix, long first, long count,
      List<WorkflowRule> path, String settlementStatus) {
    insertBookings(pool, table, prefix, first, count, path, settlementStatus, Times.FIXED);
    refreshStatistics(pool, table);
  }

  /**
   * Adds {@code count} bookings to {@code table} with the ids {@code prefix + n} for n from {@code first},
   * each with one audit row per rule of {@code path} (the creation first) as the engine records them, at
   * the {@code times} of booking n, and the feed's rows that go with them, each in one {@code INSERT ...
   * SELECT} over a generated series: one change row per audit row, with the payment moment the rule owes
   * with a payment provider and the next feed positions in booking and sequence order; one delivery to the
   * built-in settlement consumer per change that settles after recording, with the status
   * {@code settlementStatus} ({@code PENDING}, due at once, or {@code DONE}); and the feed head advanced
   * past them. That is what the sequencer leaves (see the V2 schema script) once it has placed the
   * changes, so nothing is left for it to place. The rows' hashes are placeholders: nothing reads them but
   * an append continuing the row, which chains to them.
   */
  void insertBookings(HikariDataSource pool, String table, String prefix, long first, long count,
      List<WorkflowRule> path, String settlementStatus, Times times) {
    int k = path.size();
    long from = first * k;
    long to = (first + count) * k - 1;
    String booking = k == 1 ? "g" : "FLOOR(g / " + k + ")";
    String id = isMariaDb() ? "CONCAT(" + literal(prefix) + ", " + booking + ")"
        : literal(prefix) + " || CAST(" + booking + " AS VARCHAR(20))";
    String sequence = "MOD(g, " + k + ") + 1";
    String created = times.every().isZero() ? "0" : booking + " * " + times.every().toMillis();
    String occurredAt = timeAt(times.firstCreated(), times.rowsEvery().isZero() || k == 1 ? created
        : created + " + MOD(g, " + k + ") * " + times.rowsEvery().toMillis());
    String scheduledStart = times.scheduledAfter() == null ? "NULL"
        : timeAt(times.firstCreated(), created + " + " + times.scheduledAfter().toMillis());
    String audit = "INSERT INTO " + table + " (" + Rows.COLUMNS + ") SELECT " + id + ", " + sequence + ", "
        + byStep(path, rule -> literal(rule.actionName())) + ", "
        + byStep(path, rule -> literal(rule.role().name())) + ", "
        + byStep(path, rule -> literal(actorId(rule.role()))) + ", "
        + literal(GigstaMachine.CUSTOMER_ID) + ", " + literal(GigstaMachine.GIGSTA_ID) + ", "
        + byStep(path, rule -> rule.from() == null ? "NULL" : literal(rule.from().name())) + ", "
        + byStep(path, rule -> literal(rule.to().name())) + ", "
        + occurredAt + ", " + byStep(path, rule -> literal(rule.action().note()))
        + ", NULL, " + scheduledStart + ", " + literal("0".repeat(64)) + ", " + literal("0123456789abcdef".repeat(4))
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
    } catch (SQLException e) {
      throw new IllegalStateException("could not load " + what + " into " + table + " on " + this, e);
    }
  }

  /**
   * Refreshes the planner's statistics of {@code table}, its change rows and its deliveries (on PostgreSQL
   * also vacuums them and forces a checkpoint), as after a bulk load.
   */
  void refreshStatistics(HikariDataSource pool, String table) {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      for (String analyzed : List.of(table, table + CHANGE_SUFFIX, table + DELIVERY_SUFFIX)) {
        switch (this) {
          case H2, MARIADB, GALERA -> statement.execute("ANALYZE TABLE " + analyzed);
          case POSTGRESQL -> statement.execute("VACUUM ANALYZE " + analyzed);
        }
      }
      if (this == POSTGRESQL) {
        // Writes the load's dirty pages now, so the checkpoint it would trigger later does not compete
        // with the measured commits for the disk.
        statement.execute("CHECKPOINT");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not refresh the statistics of " + table + " on " + this, e);
    }
  }

  // The time millis milliseconds (an SQL expression) after base, or base itself for "0".
  private String timeAt(Instant base, String millis) {
    if (base.getNano() != 0) {
      throw new IllegalArgumentException("loaded times start at whole seconds, not at " + base);
    }
    String timestamp = "TIMESTAMP '" + SECONDS.format(LocalDateTime.ofInstant(base, ZoneOffset.UTC)) + "'";
    if (millis.equals("0")) {
      return timestamp;
    }
    return switch (this) {
      case H2 -> "DATEADD(MILLISECOND, " + millis + ", " + timestamp + ")";
      case POSTGRESQL -> "(" + timestamp + " + (" + millis + ") * INTERVAL '1 millisecond')";
      case MARIADB, GALERA -> "TIMESTAMPADD(MICROSECOND, (" + millis + ") * 1000, " + timestamp + ")";
    };
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
      // BIGINT, as the other two give, so that times in milliseconds never overflow.
      case POSTGRESQL -> "generate_series(CAST(" + from + " AS BIGINT), CAST(" + to + " AS BIGINT)) AS s(g)";
      case MARIADB, GALERA -> "(SELECT seq AS g FROM seq_" + from + "_to_" + to + ") s";
    };
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private List<String> schemaStatements(String scriptName) {
    String folder = isMariaDb() ? "mariadb" : name().toLowerCase(Locale.ROOT);
    String resource = "db/gigsta-booking/" + folder + "/" + scriptName;
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
