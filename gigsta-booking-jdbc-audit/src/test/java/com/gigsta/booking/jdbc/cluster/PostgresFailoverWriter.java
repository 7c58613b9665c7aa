package com.gigsta.booking.jdbc.cluster;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.BookingNotFoundException;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Role;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.jdbc.crash.CrashChild;
import com.gigsta.booking.jdbc.crash.CrashDatabase;
import com.gigsta.booking.jdbc.crash.DurableProvider;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A writer process of the failover test: several threads, each taking bookings of its own along the
 * paths of the default workflow through the multi-host URL, across the failover. It prints {@code READY},
 * waits for {@code GO} and announces, as each happens:
 * <ul>
 *   <li>{@code ACK <booking>:<sequence>} once {@code perform} (or {@code requestBooking}) returned: the
 *       change is acknowledged and must be on the new primary;
 *   <li>{@code AMBIGUOUS <booking>:<sequence> landed|not-landed} when the append's commit failed, so the
 *       trail decided by looking the row up: {@code landed} if the call returned, {@code not-landed} if it
 *       threw and a later read of the booking confirms the row is not there;
 *   <li>{@code RETRY <booking>:<sequence> <exception>} for every failure (the outage, a payment the
 *       provider could not answer), after which the thread reloads the booking and tries again;
 *   <li>{@code UNKNOWN}, {@code WRONG} (a failure whose row is stored after all) and {@code RAW} (an
 *       exception outside the library's hierarchy) as anomalies;
 * </ul>
 * and {@code DONE} at the end. Bookings on the expiry path start so that they expire about two seconds
 * after their request, and are left to the timers; the others have no start, so
 * they fall due only days later.
 *
 * <p>Arguments are {@code key=value}: {@code url}, {@code user}, {@code password}, {@code prefix},
 * {@code writer}, {@code threads} and {@code bookings} (per thread).
 */
public final class PostgresFailoverWriter {

  /** Bookings whose index modulo the number of paths is this one are left to expire. */
  static final int EXPIRY_PATH = 5;
  private static final long GIVE_UP_MILLIS = 60_000;

  private record Step(String actor, String action) {}

  // As the crash tests' scenario: every kind of settlement, and three paths that move no money.
  private static final List<List<Step>> PATHS = List.of(
      List.of(new Step("gigsta", GigstaWorkflow.ACCEPT_BOOKING), new Step("gigsta", GigstaWorkflow.MARK_IN_PROGRESS),
          new Step("gigsta", GigstaWorkflow.MARK_COMPLETED)),
      List.of(new Step("gigsta", GigstaWorkflow.ACCEPT_BOOKING), new Step("customer", GigstaWorkflow.CANCEL_BOOKING)),
      List.of(new Step("gigsta", GigstaWorkflow.DECLINE_BOOKING)),
      List.of(new Step("customer", GigstaWorkflow.CANCEL_BOOKING)),
      List.of(new Step("gigsta", GigstaWorkflow.ACCEPT_BOOKING), new Step("gigsta", GigstaWorkflow.CANCEL_BOOKING)),
      List.of());

  private final BookingEngine engine;
  private final PostgresCommitWatch watch;
  private final PrintStream out;

  private PostgresFailoverWriter(BookingEngine engine, PostgresCommitWatch watch, PrintStream out) {
    this.engine = engine;
    this.watch = watch;
    this.out = out;
  }

  /** Runs one writer process; see the class description. */
  public static void main(String[] args) throws Exception {
    Map<String, String> arguments = CrashChild.arguments(args);
    CrashDatabase database = CrashDatabase.fromArguments(arguments);
    String writer = arguments.get("writer");
    int threads = Integer.parseInt(arguments.getOrDefault("threads", "4"));
    int bookings = Integer.parseInt(arguments.getOrDefault("bookings", "30"));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (HikariDataSource dataSource = database.pool(2 * threads)) {
      PostgresCommitWatch watch = new PostgresCommitWatch(dataSource);
      JdbcAuditTrail trail = JdbcAuditTrail.builder(watch.dataSource()).withTableName(database.auditTable()).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
          .withPaymentHooks(new DurableProvider(dataSource, database, "writer-" + writer))
          .withClock(PostgresFailoverWorker.runClock()).build();
      PostgresFailoverWriter self = new PostgresFailoverWriter(engine, watch, out);
      out.println("READY");
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (go == null || !go.equals("GO")) {
        throw new IllegalStateException("expected GO but read " + go);
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String thread = "f" + writer + "t" + t;
        running.add(pool.submit(() -> {
          for (int i = 0; i < bookings; i++) {
            self.take(thread + "-" + i, PATHS.get(i % PATHS.size()));
          }
          return null;
        }));
      }
      for (Future<?> each : running) {
        each.get();
      }
      pool.shutdown();
    }
    out.println("DONE");
  }

  // Requests the booking and takes it along its path, as far as the timers let it.
  private void take(String id, List<Step> path) throws InterruptedException {
    Actor customer = Actor.customer("c-" + id);
    // Only a booking left to the timers starts soon enough to expire during the run.
    Instant start = path.isEmpty() ? PostgresFailoverWorker.runClock().instant().truncatedTo(ChronoUnit.SECONDS)
        .minus(GigstaWorkflow.EXPIRES_AFTER_START).plusSeconds(2) : null;
    Booking booking = act(id, 1, null, current -> engine.requestBooking(id, customer, "g-" + id, start));
    for (Step step : path) {
      if (booking == null || engine.workflow().terminalStates().contains(booking.state())) {
        return;
      }
      Actor actor = step.actor().equals("customer") ? customer : Actor.gigsta("g-" + id);
      booking = act(id, booking.version() + 1, booking, current -> engine.perform(current, actor, step.action()));
    }
  }

  /*
   * Makes one engine call, from the snapshot, until it returns; returns the booking after it, or null when
   * the timers took the sequence first (the booking expired). After every failure the booking is read
   * again: the failed call said nothing was recorded, so its sequence must not hold a change of the
   * booking's parties (only this thread acts for them), and the call is made again from what was read.
   */
  private Booking act(String id, long sequence, Booking snapshot, Function<Booking, BookingChange> call)
      throws InterruptedException {
    String key = id + ":" + sequence;
    long started = System.currentTimeMillis();
    Booking current = snapshot;
    for (int round = 1; ; round++) {
      watch.reset();
      RuntimeException failure;
      try {
        BookingChange change = call.apply(current);
        if (watch.failedCommit() != null) {
          out.println("AMBIGUOUS " + key + " landed");
        }
        out.println("ACK " + key);
        return change.booking();
      } catch (BookingException e) {
        failure = e;
        if (e.getMessage() != null && e.getMessage().contains("outcome is unknown")) {
          out.println("UNKNOWN " + key + " " + oneLine(e));
        }
      } catch (RuntimeException e) {
        failure = e;
        out.println("RAW " + key + " " + oneLine(e));
      }
      boolean commitFailed = watch.failedCommit() != null;
      out.println("RETRY " + key + " " + failure.getClass().getSimpleName());
      Booking now = reload(id, started);
      AuditEntry atSequence = now == null || now.version() < sequence ? null : entryAt(id, sequence, started);
      if (atSequence != null && atSequence.actorRole() != Role.SYSTEM) {
        out.println("WRONG " + key + " " + atSequence.actionName() + " is stored after " + oneLine(failure));
        return now;
      }
      if (commitFailed) {
        out.println("AMBIGUOUS " + key + " not-landed");
      }
      if (atSequence != null) {
        return null;
      }
      if (System.currentTimeMillis() - started > GIVE_UP_MILLIS) {
        throw new IllegalStateException("gave up on " + key + " after " + round + " attempts", failure);
      }
      Thread.sleep(Math.min(500, 20L * round));
      current = now;
    }
  }

  // The booking as the new primary has it, or null if it was never recorded; waits out the outage.
  private Booking reload(String id, long started) throws InterruptedException {
    for (int round = 1; ; round++) {
      try {
        return engine.load(id);
      } catch (BookingNotFoundException e) {
        return null;
      } catch (BookingException e) {
        if (System.currentTimeMillis() - started > GIVE_UP_MILLIS) {
          throw e;
        }
        Thread.sleep(Math.min(500, 20L * round));
      }
    }
  }

  private AuditEntry entryAt(String id, long sequence, long started) throws InterruptedException {
    for (int round = 1; ; round++) {
      try {
        return engine.history(id).stream().filter(entry -> entry.sequence() == sequence).findFirst().orElse(null);
      } catch (BookingException e) {
        if (System.currentTimeMillis() - started > GIVE_UP_MILLIS) {
          throw e;
        }
        Thread.sleep(Math.min(500, 20L * round));
      }
    }
  }

  private static String oneLine(Throwable e) {
    return (e.getClass().getSimpleName() + ": " + e.getMessage()).replace('\n', ' ');
  }
}
