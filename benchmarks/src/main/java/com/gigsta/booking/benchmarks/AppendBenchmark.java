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
 * The append of one change with its change row, run with 1 and with 8 threads.
 *
 * <p>Ours: {@link BookingEngine#requestBooking} then {@link BookingEngine#perform} of {@code
 * decline_booking} with {@code JdbcAuditTrail} and a payment provider that does nothing but is not
 * {@link com.gigsta.booking.spi.PaymentHooks#none()}. What a change owes is a column of its change row, so
 * the append is the same whether it owes a settlement or not (since the default workflow's decline moves no
 * money it owes none; neither change secures payment, so no hold is recorded). Each
 * of the two appends per invocation is one short transaction on a connection of its own: auto-commit off,
 * INSERT of the audit row (checked and hashed first; the creation continues nothing and the decline
 * continues the row the trail remembers writing, so neither reads), INSERT of its change row, COMMIT,
 * auto-commit back on. The score is per append.
 *
 * <p>The raw peer: exactly those statements for the same two rows, into tables of the same shape, through
 * the same HikariCP pool. With several threads the average time per operation is per thread, so the ratio
 * of the two times is the ratio of their throughputs. The diagnostic (full pass only) is the previous
 * peer: one single-row INSERT committed by auto-commit.
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
    engine = BookingEngine.builder().withAuditTrail(database.resetTables(pool))
        .withPaymentHooks(NoOpPaymentHooks.INSTANCE).build();
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: a new booking requested and declined, two changes, each appended and committed by the trail. */
  @Benchmark
  @OperationsPerInvocation(2)
  public Booking ours(Ids ids) {
    return Rows.requestAndDecline(engine, ids.next());
  }

  /** Raw JDBC: the same two rows, each INSERTed with its change row in a transaction of its own. */
  @Benchmark
  @OperationsPerInvocation(2)
  public int raw(Ids ids) throws SQLException {
    return Rows.rawRequestAndDecline(pool, Database.RAW_TABLE, ids.next());
  }

  /**
   * Diagnostic: one single-row INSERT committed by auto-commit, the peer before appends wrote a change
   * row. Runs in the full pass only; not a peer and has no target.
   */
  @Benchmark
  public int diagnoseSingleInsert(Ids ids) throws SQLException {
    return Rows.rawInsert(pool, Database.RAW_TABLE, ids.next());
  }
}
