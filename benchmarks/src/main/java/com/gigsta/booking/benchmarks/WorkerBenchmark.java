package com.gigsta.booking.benchmarks;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.WorkflowRule;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The settlement worker's throughput: settlements delivered to a payment provider that does nothing,
 * against the rate of single-row INSERTs committed by auto-commit, on one thread.
 *
 * <p>Ours: {@link DeliveryWorker#runOnce()} of a worker with batches of {@value #BATCH} over
 * {@code JdbcAuditTrail}, with {@value #BATCH} settlements due every time: the sweep for abandoned holds
 * (one short transaction that finds none), the check for changes to place in the feed (none), the claim
 * (one short transaction: SELECT ... FOR UPDATE SKIP LOCKED of the due deliveries, one UPDATE of their due
 * times), one read of their changes with their audit rows, then for each delivery the provider's capture
 * and one UPDATE marking it done, committed by auto-commit. The score is per settlement delivered; the
 * invocation fails if a sweep delivers fewer than {@value #BATCH}. The raw peer: one single-row INSERT into
 * a table of the same shape as the audit table, committed by auto-commit, through the same HikariCP pool.
 *
 * <p>Before every iteration of ours, enough owed settlements are bulk-loaded for it (see
 * {@link Database#loadBookings}): bookings requested and accepted, with their change rows placed in the
 * feed, the acceptances' captures owed to the settlement consumer, pending and due, as the trail's sequencer
 * leaves them. So the measured sweeps find everything placed and only deliver; placing costs one batched
 * UPDATE per change and one batched INSERT per delivery in transactions of a thousand changes, outside
 * the measured time here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WorkerBenchmark {

  /** The deliveries one sweep claims. */
  static final int BATCH = 100;

  private static final String PREFIX = "owed-";
  private static final List<WorkflowRule> PATH = GigstaMachine.path(GigstaMachine.SETTLEMENT_PATH);

  /** The database: {@code postgresql}, {@code mariadb} or {@code h2}. */
  @Param({"postgresql", "mariadb", "h2"})
  public String db;

  private Database database;
  private HikariDataSource pool;
  private DeliveryWorker worker;
  // Whether the measured method is ours, which needs owed settlements loaded.
  private boolean loads;
  private long loaded;
  private long delivered;
  private LoadPacing pacing;

  /** Creates the pool, the tables afresh, an engine with a payment provider doing nothing and its worker. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    database = Database.named(db);
    pool = database.pool(params.getThreads());
    BookingEngine engine = BookingEngine.builder().withAuditTrail(database.resetTables(pool))
        .withPaymentHooks(NoOpPaymentHooks.INSTANCE).build();
    worker = DeliveryWorker.builder(engine).withBatchSize(BATCH).build();
    loads = params.getBenchmark().endsWith(".ours");
    loaded = 0;
    delivered = 0;
    pacing = new LoadPacing(database == Database.H2 ? 50_000 : 20_000);
  }

  /**
   * Loads more owed settlements when those left might not last the coming iteration, at twice the fastest
   * rate measured so far or at least at an assumed rate several times what a commit per delivery allows
   * (PostgreSQL and MariaDB commit at most about 7,000 times a second here, H2 about 16,000). Running out
   * fails the run; loading more than needed costs a second or two of set-up on PostgreSQL and MariaDB. On
   * H2 it also slows every claim: H2 locks every pending delivery before it applies the claim's limit.
   */
  @Setup(Level.Iteration)
  public void loadSettlements(IterationParams iteration) {
    if (!loads) {
      return;
    }
    long needed = pacing.needed(iteration, BATCH);
    long owed = loaded - delivered;
    if (owed < needed) {
      database.loadBookings(pool, Database.AUDIT_TABLE, PREFIX, loaded, needed - owed, PATH, "PENDING");
      loaded += needed - owed;
    }
    pacing.start(delivered);
  }

  /** Notes the rate of the iteration just measured, for the next load. */
  @TearDown(Level.Iteration)
  public void noteRate() {
    if (loads) {
      pacing.end(delivered);
    }
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: one sweep of the worker, delivering {@value #BATCH} settlements. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public DeliveryWorker.Sweep ours() {
    DeliveryWorker.Sweep sweep = worker.runOnce();
    if (sweep.delivered() != BATCH) {
      throw new IllegalStateException("a sweep delivered " + sweep + " instead of " + BATCH + " settlements; "
          + (loaded - delivered) + " of the " + loaded + " loaded were owed; the rate assumed in "
          + "loadSettlements is too low");
    }
    delivered += BATCH;
    return sweep;
  }

  /** Raw JDBC: one single-row INSERT, committed by auto-commit. */
  @Benchmark
  public int rawInsert(AppendBenchmark.Ids ids) throws SQLException {
    return Rows.rawInsert(pool, Database.RAW_TABLE, ids.next());
  }
}
