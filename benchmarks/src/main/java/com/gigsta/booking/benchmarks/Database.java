package com.gigsta.booking.benchmarks;

import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The databases the database groups run on, with how to reach them, how to lay out the benchmark tables
 * and how to bulk-load them. Immutable and thread-safe.
 *
 * <p>Both tables are dropped and created again by every trial: {@value #AUDIT_TABLE} by
 * {@link JdbcAuditTrail} itself, {@value #RAW_TABLE} from the module's own schema script for the same
 * database, so the raw peer writes a table of exactly the same shape (columns, primary key, index).
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

  /** Drops both benchmark tables, creates them again and returns a trail on the audit table. */
  JdbcAuditTrail resetTables(HikariDataSource pool) {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + AUDIT_TABLE);
      statement.execute("DROP TABLE IF EXISTS " + RAW_TABLE);
      for (String sql : schemaStatements()) {
        statement.execute(sql.replace(SCRIPT_TABLE, RAW_TABLE));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not reset the benchmark tables on " + this + " at " + url, e);
    }
    return JdbcAuditTrail.builder(pool).withTableName(AUDIT_TABLE).withCreateTableIfMissing(true).build();
  }

  /**
   * Fills the audit table with {@code rows} rows, four per booking like the happy path, in one
   * {@code INSERT ... SELECT} over a generated series, then refreshes the planner's statistics (and on
   * PostgreSQL forces a checkpoint).
   */
  void bulkLoad(HikariDataSource pool, int rows) {
    String concat = this == MARIADB ? "CONCAT('bulk-', FLOOR(g / 4))" : "'bulk-' || CAST(FLOOR(g / 4) AS VARCHAR(20))";
    String hash = "'" + "0".repeat(64) + "'";
    String sql = "INSERT INTO " + AUDIT_TABLE + " (" + Rows.COLUMNS + ") SELECT " + concat + ", MOD(g, 4) + 1,"
        + " CASE MOD(g, 4) WHEN 0 THEN 'request_booking' WHEN 1 THEN 'accept_booking'"
        + " WHEN 2 THEN 'mark_in_progress' ELSE 'mark_completed' END,"
        + " CASE MOD(g, 4) WHEN 0 THEN 'CUSTOMER' ELSE 'GIGSTA' END,"
        + " CASE MOD(g, 4) WHEN 0 THEN 'customer-1' ELSE 'gigsta-1' END, 'customer-1', 'gigsta-1',"
        + " CASE MOD(g, 4) WHEN 0 THEN NULL WHEN 1 THEN 'REQUESTED' WHEN 2 THEN 'ACCEPTED' ELSE 'IN_PROGRESS' END,"
        + " CASE MOD(g, 4) WHEN 0 THEN 'REQUESTED' WHEN 1 THEN 'ACCEPTED' WHEN 2 THEN 'IN_PROGRESS'"
        + " ELSE 'COMPLETED' END,"
        + " TIMESTAMP '2026-01-01 00:00:00', 'Loaded for the scale benchmark', NULL, NULL, " + hash + ", " + hash
        + " FROM " + series(0, rows - 1);
    load(pool, AUDIT_TABLE, sql, rows + " rows");
  }

  /**
   * Adds {@code count} requested bookings to {@code table}, one creation row each as the engine writes
   * it, with the ids {@code prefix + n} for n from {@code first}, in one {@code INSERT ... SELECT} over a
   * generated series; then refreshes the statistics as {@link #bulkLoad} does. The rows' hashes are
   * placeholders: nothing reads them but the next row, which chains to them.
   */
  void loadRequested(HikariDataSource pool, String table, String prefix, long first, long count) {
    String id = this == MARIADB ? "CONCAT(" + literal(prefix) + ", g)"
        : literal(prefix) + " || CAST(g AS VARCHAR(20))";
    String sql = "INSERT INTO " + table + " (" + Rows.COLUMNS + ") SELECT " + id + ", 1, "
        + literal(GigstaMachine.WORKFLOW.creation().actionName()) + ", 'CUSTOMER', "
        + literal(GigstaMachine.CUSTOMER_ID) + ", " + literal(GigstaMachine.CUSTOMER_ID) + ", "
        + literal(GigstaMachine.GIGSTA_ID) + ", NULL, " + literal(GigstaMachine.WORKFLOW.initialState().name())
        + ", TIMESTAMP '2026-01-01 00:00:00', " + literal(GigstaMachine.WORKFLOW.creation().action().note())
        + ", NULL, NULL, " + literal("0".repeat(64)) + ", " + literal("0123456789abcdef".repeat(4))
        + " FROM " + series(first, first + count - 1);
    load(pool, table, sql, count + " requested bookings");
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

  private void load(HikariDataSource pool, String table, String sql, String what) {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      switch (this) {
        case H2 -> statement.execute("ANALYZE TABLE " + table);
        case POSTGRESQL -> {
          statement.execute("VACUUM ANALYZE " + table);
          // Writes the load's dirty pages now, so the checkpoint it would trigger later does not compete
          // with the measured commits for the disk.
          statement.execute("CHECKPOINT");
        }
        case MARIADB -> statement.execute("ANALYZE TABLE " + table);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not load " + what + " into " + table + " on " + this, e);
    }
  }

  private List<String> schemaStatements() {
    String resource = "db/migration/gigsta-booking/" + name().toLowerCase(Locale.ROOT)
        + "/V1__gigsta_booking_audit.sql";
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
