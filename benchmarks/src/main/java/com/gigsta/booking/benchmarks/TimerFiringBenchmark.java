package com.gigsta.booking.benchmarks;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.WorkflowRule;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * The timer sweep's throughput: unanswered requests expired by the worker, against the rate of single-row
 * INSERTs committed by auto-commit, on one thread.
 *
 * <p>Ours: {@link DeliveryWorker#runOnce()} of a worker with timers on, settlements off and batches of
 * {@value #BATCH}, over {@code JdbcAuditTrail} and an engine without a payment provider (so an expiry owes
 * nothing), with {@value #BATCH} expiries due every time: the read of the timer's mark; the reads of the
 * expiry's terms (see {@link TimerQueryBenchmark}), the creation's twice as its first page is full, which
 * find the {@value #BATCH} requests that fell due since the mark after passing over those the sweeps before
 * expired in the 5 minutes before it; for each of them the engine's expiry as the system (the trail reads
 * the request's latest row, then inserts the audit row and its change row in one short transaction); the
 * mark moved forward; then the worker's deliveries to the timers' consumer, which place the new changes in
 * the feed and find nothing due. The score is per expiry; the invocation fails if a sweep expires fewer
 * than {@value #BATCH}. The raw peer: one single-row INSERT into a table of the same shape as the audit
 * table, committed by auto-commit, through the same HikariCP pool.
 *
 * <p>Before every iteration of ours, enough open requests are bulk-loaded for it (see
 * {@link Database#insertBookings}): one creation row each with its change row placed in the feed, made
 * one {@link #SPACING} apart and so falling due one {@code SPACING} apart. The engine and the worker share
 * a clock that stands still during a sweep; before each sweep it is set just after the deadlines of the
 * next {@value #BATCH} requests, so every sweep finds those that fell due since the previous sweep's mark
 * and reads again, as every sweep does, those of the 5 minutes before the mark, which the sweeps before
 * expired.
 * Before the first, one sweep over the empty tables sets the mark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TimerFiringBenchmark {

  /** The worker's batch, and the expiries due every sweep. */
  static final int BATCH = 100;
  /** The time between two requests' creations, and so between their deadlines. */
  static final Duration SPACING = Duration.ofSeconds(1);

  private static final String PREFIX = "open-";
  private static final List<WorkflowRule> PATH = GigstaMachine.path(List.of());
  private static final Instant FIRST_CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Database.Times TIMES = new Database.Times(FIRST_CREATED, SPACING, Duration.ZERO, null);
  // Requests made within the window of the state's entry's read would be read, not due, by every sweep, so
  // no more are open than were made in the 5 days from the next one due: all at least a day before the clock.
  private static final long MOST_AHEAD = GigstaWorkflow.EXPIRES_AFTER_REQUEST.minusDays(1).dividedBy(SPACING);

  /** The database: {@code postgresql}, {@code mariadb} or {@code h2}. */
  @Param({"postgresql", "mariadb", "h2"})
  public String db;

  private Database database;
  private HikariDataSource pool;
  private SettableClock clock;
  private DeliveryWorker worker;
  // Whether the measured method is ours, which needs open requests loaded.
  private boolean loads;
  private long loaded;
  private long expired;
  private LoadPacing pacing;

  /**
   * Creates the pool, the tables afresh, an engine without a payment provider on a clock of the
   * benchmark's own, and its worker with timers only; for ours, one sweep over the empty tables sets the
   * timer's mark just before the first request's deadline.
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    GigstaMachine.expiry();
    database = Database.named(db);
    pool = database.pool(params.getThreads());
    clock = new SettableClock(dueAt(0).minus(SPACING));
    BookingEngine engine = BookingEngine.builder().withAuditTrail(database.resetTables(pool)).withClock(clock)
        .build();
    worker = DeliveryWorker.builder(engine).withSettlements(false).withBatchSize(BATCH).build();
    loads = params.getBenchmark().endsWith(".ours");
    loaded = 0;
    expired = 0;
    pacing = new LoadPacing(database == Database.H2 ? 50_000 : 10_000);
    if (loads) {
      worker.runOnce();
    }
  }

  /**
   * Loads more open requests when those left might not last the coming iteration, at twice the fastest
   * rate measured so far or at least at an assumed rate several times what a commit per expiry allows (each
   * expiry is an append, one commit). Running out fails the run.
   */
  @Setup(Level.Iteration)
  public void loadRequests(IterationParams iteration) {
    if (!loads) {
      return;
    }
    long needed = Math.min(MOST_AHEAD, pacing.needed(iteration, BATCH));
    long open = loaded - expired;
    if (open < needed) {
      database.insertBookings(pool, Database.AUDIT_TABLE, PREFIX, loaded, needed - open, PATH, null, TIMES);
      database.refreshStatistics(pool, Database.AUDIT_TABLE);
      loaded += needed - open;
    }
    pacing.start(expired);
  }

  /** Notes the rate of the iteration just measured, for the next load. */
  @TearDown(Level.Iteration)
  public void noteRate() {
    if (loads) {
      pacing.end(expired);
    }
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: one sweep of the worker, half a spacing after the deadlines of the next {@value #BATCH} requests. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public DeliveryWorker.Sweep ours() {
    clock.set(dueAt(expired + BATCH - 1).plus(SPACING.dividedBy(2)));
    DeliveryWorker.Sweep sweep = worker.runOnce();
    if (sweep.timersFired() != BATCH) {
      throw new IllegalStateException("a sweep expired " + sweep + " instead of " + BATCH + " requests; "
          + (loaded - expired) + " of the " + loaded + " loaded were open; the rate assumed in loadRequests"
          + " is too low");
    }
    expired += BATCH;
    return sweep;
  }

  /** Raw JDBC: one single-row INSERT, committed by auto-commit. */
  @Benchmark
  public int rawInsert(AppendBenchmark.Ids ids) throws SQLException {
    return Rows.rawInsert(pool, Database.RAW_TABLE, ids.next());
  }

  // When loaded request n expires: 6 days after its creation.
  private static Instant dueAt(long n) {
    return FIRST_CREATED.plus(SPACING.multipliedBy(n)).plus(GigstaWorkflow.EXPIRES_AFTER_REQUEST);
  }

  /** A clock that stands where it was last set; set by the benchmark's thread between sweeps. */
  private static final class SettableClock extends Clock {
    private volatile Instant instant;

    SettableClock(Instant instant) {
      this.instant = instant;
    }

    void set(Instant next) {
      instant = next;
    }

    @Override
    public Instant instant() {
      return instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      if (!zone.equals(ZoneOffset.UTC)) {
        throw new UnsupportedOperationException("this clock keeps UTC only");
      }
      return this;
    }
  }
}
