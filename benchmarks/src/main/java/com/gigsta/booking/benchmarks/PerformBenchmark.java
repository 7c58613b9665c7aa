package com.gigsta.booking.benchmarks;

import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.WorkflowRule;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * One change performed by booking id and expected version on the database, the read of the booking
 * included, run with 1 and with 8 threads: what a host does when a request names a booking and the
 * version its sender saw.
 *
 * <p>Ours: {@link BookingEngine#perform(String, long, com.gigsta.booking.Actor, String, String)} with
 * {@code JdbcAuditTrail} and no payment provider: the engine loads the booking (the trail reads its latest
 * row), refuses it if its version is not the expected one, and appends the change (the trail checks and
 * hashes the row, and inserts it and its change row, owing nothing, in one short transaction: auto-commit
 * off, two INSERTs, COMMIT, auto-commit back on). The raw peer: on one connection of the same pool, one
 * SELECT of the booking's latest row, read column by column, the same version check, and the next row
 * built from it with its change row, in the same statements as ours' append, into tables of the same
 * shape.
 *
 * <p>Each invocation takes one requested booking through accept, start and complete, three changes, and
 * the score is per change. The bookings are bulk-loaded, one creation row and its change row each, into
 * the tables the measured method writes, before the first iteration and again before any iteration that
 * could run out of them. So the first change of each booking acts on a row this process did not write,
 * as a host's request often does. The engine's load reads the booking's latest row and the trail
 * remembers the committed row it has just read or written, so its append reads nothing more: ours reads
 * once per change, as the raw peer does. With several threads the average time per operation is per thread, so the ratio of the
 * two times is the ratio of their throughputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PerformBenchmark {

  private static final String PREFIX = "perform-";
  private static final WorkflowRule[] STEPS = steps();

  /** The database: {@code postgresql}, {@code mariadb} or {@code h2}. */
  @Param({"postgresql", "mariadb", "h2"})
  public String db;

  private Database database;
  private HikariDataSource pool;
  private BookingEngine engine;
  // The table the measured method reads and writes; only that one is loaded.
  private String table;
  private long loaded;
  private final AtomicLong taken = new AtomicLong();

  /** Creates the pool and both tables afresh, and an engine on the audit table. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    database = Database.named(db);
    pool = database.pool(params.getThreads());
    engine = BookingEngine.builder().withAuditTrail(database.resetTables(pool)).build();
    table = params.getBenchmark().endsWith(".raw") ? Database.RAW_TABLE : Database.AUDIT_TABLE;
    loaded = 0;
    taken.set(0);
  }

  /**
   * Loads more requested bookings when those left might not last the coming iteration at a rate several
   * times what the append group measured (all threads together, at most about 5,300 commits a second on
   * PostgreSQL and MariaDB, about 100,000 on H2). Running out would fail the run; loading more than needed
   * costs well under a second of set-up.
   */
  @Setup(Level.Iteration)
  public void loadBookings(IterationParams iteration) {
    long changesPerSecond = database == Database.H2 ? 400_000 : 20_000;
    long needed = changesPerSecond * iteration.getTime().convertTo(TimeUnit.MILLISECONDS) / 1000 / STEPS.length + 1;
    if (loaded - taken.get() < needed) {
      database.loadRequested(pool, table, PREFIX, loaded, needed);
      loaded += needed;
    }
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: three changes of a requested booking, each by id and expected version through the engine. */
  @Benchmark
  @OperationsPerInvocation(3)
  public Booking ours() {
    String bookingId = nextBooking();
    Booking booking = null;
    for (int i = 0; i < STEPS.length; i++) {
      booking = engine.perform(bookingId, i + 1, GigstaMachine.GIGSTA, STEPS[i].actionName(), null).booking();
    }
    return booking;
  }

  /**
   * Raw JDBC: three times the SELECT of the latest row, the version check and the INSERTs of the next row
   * and its change row in one transaction.
   */
  @Benchmark
  @OperationsPerInvocation(3)
  public long raw() throws SQLException {
    String bookingId = nextBooking();
    long version = 0;
    for (int i = 0; i < STEPS.length; i++) {
      version = Rows.rawPerform(pool, Database.RAW_TABLE, bookingId, i + 1, STEPS[i]);
    }
    return version;
  }

  private String nextBooking() {
    long n = taken.getAndIncrement();
    if (n >= loaded) {
      throw new IllegalStateException("all " + loaded + " loaded bookings are taken; the rate assumed in"
          + " loadBookings is too low");
    }
    return PREFIX + n;
  }

  // The happy path's changes after the request, as the workflow's rules state them for the GigSta.
  private static WorkflowRule[] steps() {
    List<WorkflowRule> path = GigstaMachine.path(GigstaMachine.HAPPY_PATH);
    return path.subList(1, path.size()).toArray(new WorkflowRule[0]);
  }
}
