package com.gigsta.booking.benchmarks;

import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The append of one transition to the database, run with 1 and with 8 threads.
 *
 * <p>Ours: {@link BookingEngine#perform} with {@code JdbcAuditTrail}, taking each new booking through
 * the happy path (four appends per invocation, each on a connection of its own in auto-commit mode: the
 * latest row is read, unless the trail remembers the row it wrote just before, the entry is checked and
 * hashed, and the row inserted); the score is per append.
 * The raw peer: one single-row INSERT of the same columns into a table of the same shape, committed by
 * auto-commit, through the same HikariCP pool. With several threads the average time per operation is
 * per thread, so the ratio of the two times is the ratio of their throughputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AppendBenchmark {

  /** The database: {@code h2}, {@code postgresql} or {@code mariadb}. */
  @Param({"h2", "postgresql", "mariadb"})
  public String db;

  private HikariDataSource pool;
  private BookingEngine engine;

  /** Each thread's own booking ids, so that threads never contend for a booking. */
  @State(Scope.Thread)
  public static class Ids {
    private String prefix;
    private long next;

    /** Takes a prefix unique to this thread and trial. */
    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      prefix = "t" + thread.getThreadIndex() + "-" + Long.toString(System.nanoTime(), 36) + "-";
    }

    String next() {
      return prefix + next++;
    }
  }

  /** Creates the pool and both tables afresh. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    Database database = Database.named(db);
    pool = database.pool(params.getThreads());
    engine = BookingEngine.builder().withAuditTrail(database.resetTables(pool)).build();
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: four changes of a new booking, each appended and committed through the trail. */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking ours(Ids ids) {
    return Rows.happyPath(engine, ids.next());
  }

  /**
   * Diagnostic: in plain JDBC, the statements ours sends (auto-commit off, SELECT the latest row, INSERT,
   * COMMIT, auto-commit on). Runs in the full pass only; not a peer and has no target.
   */
  @Benchmark
  public int diagnoseSelectInsertInTransaction(Ids ids) throws SQLException {
    return Rows.rawSelectThenInsert(pool, Database.RAW_TABLE, ids.next(), true);
  }

  /**
   * Diagnostic: the same SELECT and INSERT, each committed on its own by auto-commit. Runs in the full
   * pass only; not a peer and has no target.
   */
  @Benchmark
  public int diagnoseSelectInsert(Ids ids) throws SQLException {
    return Rows.rawSelectThenInsert(pool, Database.RAW_TABLE, ids.next(), false);
  }

  /** Raw JDBC: one single-row INSERT, committed. */
  @Benchmark
  public int rawInsert(Ids ids) throws SQLException {
    return Rows.rawInsert(pool, Database.RAW_TABLE, ids.next());
  }
}
