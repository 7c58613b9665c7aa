package com.gigsta.booking.benchmarks;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The history of one booking with {@value Rows#HISTORY_LENGTH} entries: ours through
 * {@link BookingEngine#history(String)} on {@link JdbcAuditTrail}, the raw peer as one SELECT of the same
 * rows of the same table, read column by column, on the same pool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HistoryBenchmark {

  static final String BOOKING_ID = "history-booking";

  /** The database: {@code h2}, {@code postgresql} or {@code mariadb}. */
  @Param({"h2", "postgresql", "mariadb"})
  public String db;

  private HikariDataSource pool;
  private BookingEngine engine;

  /** Creates the tables and writes the booking's history, then checks both read it whole. */
  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    Database database = Database.named(db);
    pool = database.pool(1);
    JdbcAuditTrail trail = database.resetTables(pool);
    Rows.writeLongHistory(trail, BOOKING_ID);
    engine = BookingEngine.builder().withAuditTrail(trail).build();
    if (ours().size() != Rows.HISTORY_LENGTH || raw().size() != Rows.HISTORY_LENGTH) {
      throw new IllegalStateException("the history of " + BOOKING_ID + " does not have "
          + Rows.HISTORY_LENGTH + " entries on " + database);
    }
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: the engine's history. */
  @Benchmark
  public List<AuditEntry> ours() {
    return engine.history(BOOKING_ID);
  }

  /** Raw JDBC: one SELECT of the same rows. */
  @Benchmark
  public List<Rows.RawRow> raw() throws SQLException {
    return Rows.rawHistory(pool, Database.AUDIT_TABLE, BOOKING_ID);
  }
}
