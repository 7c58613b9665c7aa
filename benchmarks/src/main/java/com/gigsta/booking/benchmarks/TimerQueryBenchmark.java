package com.gigsta.booking.benchmarks;

import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.AuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
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
 * The reads of one sweep of the expiry timer with {@code bookings} bookings in the tables, compared with
 * itself across sizes: it must stay flat as the tables grow, since each read is a range of one index
 * bounded by the sweep's window.
 *
 * <p>The measured operation is what one sweep of {@code expire_booking} asks the trail in the steady state,
 * with its mark one minute old: one {@link AuditTrail#findTimerCandidates} per term of
 * {@link GigstaWorkflow#EXPIRY}, each for requests whose timepoint lies from the term's offset before
 * {@link #REREAD} before the mark, up to the offset before now, at most {@value #LIMIT}: made 6 days
 * before, scheduled to start 1 day before, and, as for every timer (none falls due before its state was
 * entered), entered with no offset. The score is per sweep, three reads.
 *
 * <p>The tables are bulk-loaded with one {@code INSERT ... SELECT} per table and kind of booking over a
 * generated series (see {@link Database#insertBookings}), then the planner's statistics are refreshed.
 * Nearly all bookings were requested and answered long ago: three in four accepted, started and completed,
 * one in four declined, with scheduled starts spread evenly over the two years before now, each 30 days
 * after its request; their changes placed in the feed and their settlements delivered. Then the same 1,000
 * open requests in both sizes: 940 made in the last 6 days and not due, 470 of them with a scheduled start
 * weeks ahead; {@value #EXPIRING} made just over 6 days ago, within the sweep's window, so due by their
 * creation; {@value #STARTING} whose scheduled start was just over a day ago, within the window, so due by
 * it; and {@value #NEW} made within the last minutes, found by the entry's read but not due. Both sizes
 * therefore find the same {@value #EXPIRING}, {@value #STARTING} and {@value #NEW} candidates, one page
 * each; at 1M the scheduled starts' read also passes over the few answered requests whose start lies in
 * the window (about six), each checked against the primary key for a successor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TimerQueryBenchmark {

  /** How many candidates one read asks for: the worker's default batch. */
  static final int LIMIT = 100;
  /** The open requests due by their creation, all within the sweep's window. */
  static final int EXPIRING = 30;
  /** The open requests due by their scheduled start, all within the sweep's window. */
  static final int STARTING = 20;
  /** The open requests made within the window of the state's entry, not due. */
  static final int NEW = 10;
  /** The open requests of either size, due or not. */
  static final int OPEN = 1_000;

  /** When the sweep runs. */
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  /** Where the previous sweep left the timer's mark. */
  static final Instant MARK = NOW.minus(Duration.ofMinutes(1));
  /** How far behind its mark a sweep reads again: the core's timer sweep's re-read. */
  static final Duration REREAD = Duration.ofMinutes(5);

  // The terms of the expiry's deadline, as the sweep reads them: each timepoint and its offset.
  private static final List<Term> TERMS = List.of(
      new Term(Timepoint.CREATED, GigstaWorkflow.EXPIRES_AFTER_REQUEST, "expiring-", EXPIRING),
      new Term(Timepoint.SCHEDULED_START, GigstaWorkflow.EXPIRES_AFTER_START, "starting-", STARTING),
      new Term(Timepoint.STATE_ENTERED, Duration.ZERO, "new-", NEW));
  private static final Duration HISTORY = Duration.ofDays(730);
  private static final Duration LEAD = Duration.ofDays(30);
  private static final Duration HOUR = Duration.ofHours(1);

  /** The database: {@code h2}, {@code postgresql} or {@code mariadb}. */
  @Param({"h2", "postgresql", "mariadb"})
  public String db;

  /** How many bookings the tables hold, {@value #OPEN} of them open requests. */
  @Param({"10000", "1000000"})
  public int bookings;

  private HikariDataSource pool;
  private JdbcAuditTrail trail;

  /**
   * Creates and fills the tables, checks that each read finds exactly the open requests it should, and
   * prints the plan the database chose for each.
   */
  @Setup(Level.Trial)
  public void setUp() {
    WorkflowRule expiry = GigstaMachine.expiry();
    if (expiry.from() != BookingState.REQUESTED) {
      throw new IllegalStateException("the expiry is a timed rule out of " + expiry.from() + ", not REQUESTED");
    }
    Database database = Database.named(db);
    pool = database.pool(1);
    trail = database.resetTables(pool);
    load(database);
    for (Term term : TERMS) {
      List<BookingTimes> found = read(trail, term);
      if (found.size() != term.expected()
          || !found.stream().allMatch(times -> times.latest().bookingId().startsWith(term.prefix()))) {
        throw new IllegalStateException("the read of " + term.timepoint() + " on " + database + " found "
            + found.stream().map(times -> times.latest().bookingId()).toList() + " instead of the " + term.expected()
            + " requests named " + term.prefix() + "*");
      }
    }
    ExplainingDataSource explaining = new ExplainingDataSource(pool, sql -> sql.contains(" NOT EXISTS "));
    JdbcAuditTrail explained = JdbcAuditTrail.builder(explaining).withTableName(Database.AUDIT_TABLE).build();
    for (Term term : TERMS) {
      read(explained, term);
      for (String plan : explaining.takePlans()) {
        System.out.println("Plan on " + database + " with " + bookings + " bookings, " + term.timepoint() + ":");
        System.out.println(plan);
      }
    }
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Ours: the three reads of one sweep of the expiry timer; returns how many candidates they found. */
  @Benchmark
  public int dueTimers() {
    int found = 0;
    for (Term term : TERMS) {
      found += read(trail, term).size();
    }
    return found;
  }

  private static List<BookingTimes> read(AuditTrail trail, Term term) {
    return trail.findTimerCandidates(BookingState.REQUESTED, term.timepoint(),
        MARK.minus(REREAD).minus(term.offset()), null, NOW.minus(term.offset()), LIMIT);
  }

  // The answered bookings, then the open requests, each kind in one load; statistics refreshed once.
  private void load(Database database) {
    List<WorkflowRule> request = GigstaMachine.path(List.of());
    List<WorkflowRule> completion = GigstaMachine.path(GigstaMachine.HAPPY_PATH);
    List<WorkflowRule> decline = GigstaMachine.path(GigstaMachine.DECLINE_PATH);
    long answered = bookings - OPEN;
    long completed = answered * 3 / 4;
    long declined = answered - completed;
    // Scheduled starts from HISTORY before now to an hour before, each LEAD after its request.
    Instant firstRequest = NOW.minus(HISTORY).minus(LEAD);
    Duration span = HISTORY.minus(HOUR);
    insert(database, "old-completed-", completed, completion, "DONE",
        new Database.Times(firstRequest, span.dividedBy(completed), HOUR, LEAD));
    insert(database, "old-declined-", declined, decline, "DONE",
        new Database.Times(firstRequest.plus(Duration.ofMinutes(30)), span.dividedBy(declined), HOUR, LEAD));
    // 940 waiting, made from 6 days less 30 minutes ago, one every 9 minutes, every other one with a start
    // 20 days after its request.
    Instant waitingFrom = NOW.minus(GigstaWorkflow.EXPIRES_AFTER_REQUEST).plus(Duration.ofMinutes(30));
    int waiting = OPEN - EXPIRING - STARTING - NEW;
    insert(database, "waiting-", waiting / 2, request, null,
        new Database.Times(waitingFrom, Duration.ofMinutes(18), Duration.ZERO, null));
    insert(database, "waiting-scheduled-", waiting - waiting / 2, request, null,
        new Database.Times(waitingFrom.plus(Duration.ofMinutes(9)), Duration.ofMinutes(18), Duration.ZERO,
            Duration.ofDays(20)));
    // Each kind spread evenly over the 6 minutes of its read's window, none at its bounds.
    Duration window = Duration.between(MARK.minus(REREAD), NOW);
    Instant expiringFrom = MARK.minus(REREAD).minus(GigstaWorkflow.EXPIRES_AFTER_REQUEST);
    insert(database, "expiring-", EXPIRING, request, null, new Database.Times(
        expiringFrom.plus(window.dividedBy(2 * EXPIRING)), window.dividedBy(EXPIRING), Duration.ZERO, null));
    Duration startLead = Duration.ofDays(3);
    Instant startingFrom = MARK.minus(REREAD).minus(GigstaWorkflow.EXPIRES_AFTER_START).minus(startLead);
    insert(database, "starting-", STARTING, request, null, new Database.Times(
        startingFrom.plus(window.dividedBy(2 * STARTING)), window.dividedBy(STARTING), Duration.ZERO, startLead));
    insert(database, "new-", NEW, request, null, new Database.Times(
        MARK.minus(REREAD).plus(window.dividedBy(2 * NEW)), window.dividedBy(NEW), Duration.ZERO,
        Duration.ofDays(2)));
    database.refreshStatistics(pool, Database.AUDIT_TABLE);
  }

  private void insert(Database database, String prefix, long count, List<WorkflowRule> path, String settlements,
      Database.Times times) {
    database.insertBookings(pool, Database.AUDIT_TABLE, prefix, 0, count, path, settlements, times);
  }

  /** One term of the deadline, with the open requests its read must find: {@code expected} named {@code prefix*}. */
  private record Term(Timepoint timepoint, Duration offset, String prefix, int expected) {}
}
