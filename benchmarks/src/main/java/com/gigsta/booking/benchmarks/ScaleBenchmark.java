package com.gigsta.booking.benchmarks;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.SplittableRandom;
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
 * Append, history and a read of the change feed with {@code rows} rows already in the audit table,
 * compared with itself across table sizes: all three must stay flat as the tables grow, since the first
 * two are primary-key lookups of one booking and the third an index range of the feed.
 *
 * <p>The tables are bulk-loaded with one {@code INSERT ... SELECT} each over a generated series: four
 * audit rows per booking (the happy path), one change row per audit row placed in the feed (positions 1
 * to {@code rows}, in booking and sequence order, owing what the rules owe with a payment provider), the
 * settlement delivery of each capture marked done, and the feed head at {@code rows}; then the planner's
 * statistics are refreshed. The tables are then as a trail with a payment provider leaves them once the
 * feed was read and every settlement delivered.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScaleBenchmark {

  /** How many changes one read of the feed asks for. */
  static final int FEED_PAGE = 100;
  /** How far behind the feed's head the consumer of {@link #feed()} reads. */
  static final int FEED_FOLLOWING = 10_000;

  /** The database: {@code h2}, {@code postgresql} or {@code mariadb}. */
  @Param({"h2", "postgresql", "mariadb"})
  public String db;

  /** How many rows the audit table holds before measuring, and so how many changes the feed holds. */
  @Param({"10000", "100000", "1000000"})
  public int rows;

  private HikariDataSource pool;
  private BookingEngine engine;
  private JdbcAuditTrail trail;
  private String prefix;
  private long next;
  // Fixed, so every run reads the same positions.
  private SplittableRandom random;

  /** Creates and fills the tables, writes the booking whose history is read, and checks the feed reads. */
  @Setup(Level.Trial)
  public void setUp() {
    Database database = Database.named(db);
    pool = database.pool(1);
    trail = database.resetTables(pool);
    database.bulkLoad(pool, rows);
    Rows.writeLongHistory(trail, HistoryBenchmark.BOOKING_ID);
    engine = BookingEngine.builder().withAuditTrail(trail).build();
    prefix = "scale-" + Long.toString(System.nanoTime(), 36) + "-";
    random = new SplittableRandom(13);
    // The first read also places the history's changes, after the loaded ones.
    for (long position : new long[] {0, rows - FEED_PAGE}) {
      ChangePage page = trail.changesSince(ChangeCursor.afterPosition(position), FEED_PAGE);
      if (page.changes().size() != FEED_PAGE || page.changes().get(0).cursor().position() != position + 1) {
        throw new IllegalStateException("the feed on " + database + " does not read " + FEED_PAGE
            + " changes after position " + position + ": " + page.changes().size());
      }
    }
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

  /**
   * Ours: one page of {@value #FEED_PAGE} changes of the feed after a cursor at a random position among
   * the latest {@value #FEED_FOLLOWING} changes, as a consumer following the feed reads on from where it
   * stopped: the trail's check for changes to place (none), then the page, each change with its audit
   * row, read as entries. At 10k rows the window is the whole feed, so both sizes read the same number
   * of distinct rows and the ratio shows what the feed's size adds.
   */
  @Benchmark
  public ChangePage feed() {
    long first = Math.max(0, rows - FEED_FOLLOWING);
    return trail.changesSince(ChangeCursor.afterPosition(first + random.nextLong(rows - first - FEED_PAGE + 1)),
        FEED_PAGE);
  }

  /**
   * Diagnostic, no target: the same page after a cursor anywhere in the feed, as a consumer catching up
   * from far behind. At 1M rows the rows read are mostly not in the database's cache.
   */
  @Benchmark
  public ChangePage diagnoseFeedAnywhere() {
    return trail.changesSince(ChangeCursor.afterPosition(random.nextLong(rows - FEED_PAGE + 1)), FEED_PAGE);
  }
}
