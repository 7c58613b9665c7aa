package com.gigsta.booking.benchmarks;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Append and history latency with {@code rows} rows already in the audit table, compared with itself
 * across table sizes: both must stay flat as the table grows, since each is a primary-key lookup of one
 * booking. The table is bulk-loaded with one {@code INSERT ... SELECT} over a generated series (four
 * rows per booking), then the planner's statistics are refreshed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScaleBenchmark {

  /** The database: {@code h2}, {@code postgresql} or {@code mariadb}. */
  @Param({"h2", "postgresql", "mariadb"})
  public String db;

  /** How many rows the table holds before measuring. */
  @Param({"10000", "100000", "1000000"})
  public int rows;

  private HikariDataSource pool;
  private BookingEngine engine;
  private String prefix;
  private long next;

  /** Creates and fills the table, and writes the booking whose history is read. */
  @Setup(Level.Trial)
  public void setUp() {
    Database database = Database.named(db);
    pool = database.pool(1);
    JdbcAuditTrail trail = database.resetTables(pool);
    database.bulkLoad(pool, rows);
    Rows.writeLongHistory(trail, HistoryBenchmark.BOOKING_ID);
    engine = BookingEngine.builder().withAuditTrail(trail).build();
    prefix = "scale-" + Long.toString(System.nanoTime(), 36) + "-";
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: four changes of a new booking, each appended and committed through the trail. */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking append() {
    return Rows.happyPath(engine, prefix + next++);
  }

  /** Ours: the history of a booking with {@value Rows#HISTORY_LENGTH} entries. */
  @Benchmark
  public List<AuditEntry> history() {
    return engine.history(HistoryBenchmark.BOOKING_ID);
  }
}
