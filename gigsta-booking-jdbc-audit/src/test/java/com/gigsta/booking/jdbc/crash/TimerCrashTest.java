package com.gigsta.booking.jdbc.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Timed transitions under real failures: two child JVMs, each a {@link TimerChild} with two threads
 * sharing one worker, sweep the same trail while a shared clock ({@link FileClock}) jumps forward 6 hours at
 * a time, and the parent kills one of them with SIGKILL in the middle of a sweep now and then and starts a
 * new one. Between jumps the parent requests bookings (some scheduled to start soon, some with a start
 * already past, some with none) and answers some requests that are not yet due, which cancels their
 * expiry. After the last jump the clock moves past every deadline and the children sweep once more.
 *
 * <p>Then every request is checked against a model of the GigSta expiry written out here (6 days after
 * the request or 1 day after its scheduled start, whichever is first, never before the request itself):
 * each unanswered request was expired exactly once (one entry in the trail, announced by one process),
 * none before its deadline, none was missed, no answered request expired; and the settlements and
 * changes the expiries owe reached the provider and the consumer, as the crash test checks them. The
 * counts are printed as {@code N due, N fired, 0 early, 0 missed, 0 twice}. One subclass per database.
 * {@code -Dgigsta.timers.steps} sets the number of clock jumps (default 40) and {@code -Dgigsta.crash.seed}
 * the random seed (printed).
 */
abstract class TimerCrashTest {

  private static final int STEPS = Integer.getInteger("gigsta.timers.steps", 40);
  private static final int REQUESTS_PER_STEP = 6;
  private static final int ANSWERS_PER_STEP = 2;
  private static final int JVMS = 2;
  private static final int THREADS = 2;
  private static final double KILL_CHANCE = 0.4;
  private static final Duration JUMP = Duration.ofHours(6);
  private static final Instant START = Instant.parse("2031-03-01T08:00:00Z");

  /** The database for a run with this prefix; several processes must be able to open it at once. */
  protected abstract CrashDatabase database(String prefix) throws Exception;

  @Test
  void shouldFireEachTimedTransitionOnceNeverEarlyAndMissNoneWhenWorkersAreKilled() throws Exception {
    String prefix = "timers_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    CrashDatabase database = database(prefix);
    database.recreate();
    long seed = Long.getLong("gigsta.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path log = Path.of("target", "crash", database.label() + "-" + prefix + ".log");
    Path clockFile = Path.of("target", "crash", prefix + ".clock").toAbsolutePath();
    FileClock.set(clockFile, START);
    List<String> arguments = new ArrayList<>(database.childArguments());
    arguments.addAll(List.of("clock=" + clockFile, "threads=" + THREADS));

    Map<String, Instant> due = new LinkedHashMap<>();
    Set<String> answered = new HashSet<>();
    Map<String, Set<String>> announcedBy = new HashMap<>();
    int kills = 0;
    int sweeps = 0;
    Ledger ledger;
    Map<String, List<AuditEntry>> histories = new HashMap<>();
    try (HikariDataSource dataSource = database.pool(4)) {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withClock(new FileClock(clockFile))
          .withPaymentHooks(new DurableProvider(dataSource, database, "parent")).build();
      List<ChildJvm> children = new ArrayList<>();
      try {
        for (int i = 0; i < JVMS; i++) {
          children.add(ready(ChildJvm.start(TimerChild.class, arguments, log)));
        }
        Instant now = START;
        for (int step = 1; step <= STEPS + 1; step++) {
          if (step <= STEPS) {
            request(engine, now, step, random, due);
            answer(engine, now, random, due, answered);
            now = now.plus(JUMP);
          } else {
            now = now.plus(Duration.ofDays(8));
          }
          FileClock.set(clockFile, now);
          for (ChildJvm child : children) {
            child.send("SWEEP " + step);
          }
          if (step <= STEPS && random.nextDouble() < KILL_CHANCE) {
            int victim = random.nextInt(JVMS);
            Thread.sleep(random.nextInt(120));
            ChildJvm killed = children.get(victim);
            assertThat(killed.kill()).as("the exit value of child %d after SIGKILL", killed.pid())
                .isEqualTo(ChildJvm.KILLED_BY_SIGKILL);
            collect(killed, null, announcedBy);
            killed.close();
            kills++;
            ChildJvm replacement = ready(ChildJvm.start(TimerChild.class, arguments, log));
            children.set(victim, replacement);
            replacement.send("SWEEP " + step);
          }
          for (ChildJvm child : children) {
            collect(child, "SWEPT " + step + " ", announcedBy);
            sweeps++;
          }
        }
        for (ChildJvm child : children) {
          child.closeInput();
          collect(child, "DONE", announcedBy);
          assertThat(child.exitValue(60)).as("the exit value of child %d; see %s", child.pid(), log).isZero();
        }
      } finally {
        children.forEach(ChildJvm::close);
      }
      for (String bookingId : due.keySet()) {
        histories.put(bookingId, trail.history(bookingId));
      }
      try (Connection connection = dataSource.getConnection()) {
        ledger = Ledger.read(connection, database);
      }
    }

    int owed = 0;
    int fired = 0;
    int early = 0;
    int missed = 0;
    int twice = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Instant> booking : due.entrySet()) {
      String id = booking.getKey();
      List<AuditEntry> expiries = histories.get(id).stream()
          .filter(entry -> entry.actionName().equals(GigstaWorkflow.EXPIRE_BOOKING)).toList();
      fired += expiries.size();
      if (!answered.contains(id)) {
        owed++;
        if (expiries.isEmpty()) {
          missed++;
          problems.add(id + " due " + booking.getValue() + " never expired");
        }
      } else if (!expiries.isEmpty()) {
        problems.add(id + " expired although answered");
      }
      for (AuditEntry expiry : expiries) {
        if (expiry.occurredAt().isBefore(booking.getValue())) {
          early++;
          problems.add(id + " expired at " + expiry.occurredAt() + ", before its deadline " + booking.getValue());
        }
        if (!expiry.actor().equals(Actor.system())) {
          problems.add(id + " expired by " + expiry.actor());
        }
      }
      int announcers = announcedBy.getOrDefault(id, Set.of()).size();
      if (expiries.size() > 1 || announcers > 1) {
        twice++;
        problems.add(id + " expired " + expiries.size() + " times, announced by " + announcers + " processes");
      }
    }
    System.out.printf("%s timers: %d due, %d fired, %d early, %d missed, %d twice | %d requests, %d answered "
            + "before their deadline; %d clock jumps of %s, %d sweeps by %d JVMs x %d threads, %d workers killed "
            + "(SIGKILL, exit value %d) mid-sweep and replaced; %d handed to the '%s' consumer (recorded at a sweep's "
            + "mark, or failed); %s; seed %d%n",
        database.label(), owed, fired, early, missed, twice, due.size(), answered.size(), STEPS + 1, JUMP, sweeps,
        JVMS, THREADS, kills, ChildJvm.KILLED_BY_SIGKILL, ledger.timerRetries, Delivery.TIMERS, ledger.summary(),
        seed);

    assertThat(problems).as("timer problems").isEmpty();
    assertThat(fired).isEqualTo(owed);
    assertThat(owed).isPositive();
    assertThat(kills).isPositive();
    assertThat(ledger.lost).as("settlements lost:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.doubled).as("settlements doubled:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.unseen).as("changes the consumer never saw:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.anomalies).as("anomalies:\n%s", ledger.shownAnomalies()).isEmpty();
    CrashTest.tearDown(database);
  }

  /** Requests bookings at {@code now}: some to start soon, some with a start already past, some unscheduled. */
  private static void request(BookingEngine engine, Instant now, int step, Random random, Map<String, Instant> due) {
    for (int i = 0; i < REQUESTS_PER_STEP; i++) {
      String id = "t-" + step + "-" + i;
      Instant scheduledStart = switch (random.nextInt(3)) {
        case 0 -> null;
        case 1 -> now.plus(Duration.ofMinutes(random.nextInt(5 * 24 * 60)));
        default -> now.minus(Duration.ofMinutes(1 + random.nextInt(3 * 24 * 60)));
      };
      engine.requestBooking(id, Actor.customer("c-" + i), "g-" + step, scheduledStart);
      due.put(id, expiryModel(now, scheduledStart));
    }
  }

  /** Accepts requests whose deadline has not come, which cancels their expiry. */
  private static void answer(BookingEngine engine, Instant now, Random random, Map<String, Instant> due,
      Set<String> answered) {
    List<String> open = due.entrySet().stream()
        .filter(booking -> !answered.contains(booking.getKey()) && booking.getValue().isAfter(now))
        .map(Map.Entry::getKey).toList();
    for (int i = 0; i < ANSWERS_PER_STEP && i < open.size(); i++) {
      String id = open.get(random.nextInt(open.size()));
      if (answered.add(id)) {
        engine.perform(id, Actor.gigsta(engine.load(id).gigstaId()), GigstaWorkflow.ACCEPT_BOOKING, null);
      }
    }
  }

  // The GigSta expiry, written out: 6 days after the request or 1 day after the scheduled start, whichever
  // is first, but never before the request itself.
  private static Instant expiryModel(Instant requested, Instant scheduledStart) {
    Instant deadline = requested.plus(Duration.ofDays(6));
    if (scheduledStart != null && scheduledStart.plus(Duration.ofDays(1)).isBefore(deadline)) {
      deadline = scheduledStart.plus(Duration.ofDays(1));
    }
    return deadline.isBefore(requested) ? requested : deadline;
  }

  private static ChildJvm ready(ChildJvm child) throws Exception {
    assertThat(child.nextLine(120)).as("child %d started; see %s", child.pid(), child.log()).isEqualTo("READY");
    return child;
  }

  /**
   * Reads the child's lines up to one starting with {@code until}, or to its end when {@code until} is null,
   * noting which process announced each expiry.
   */
  private static void collect(ChildJvm child, String until, Map<String, Set<String>> announcedBy)
      throws Exception {
    for (String line = child.nextLine(300); line != null; line = child.nextLine(300)) {
      if (line.startsWith("FIRED ")) {
        String[] parts = line.split(" ");
        announcedBy.computeIfAbsent(parts[1], id -> new HashSet<>()).add(parts[4]);
      } else if (until != null && line.startsWith(until)) {
        return;
      }
    }
    assertThat(until).as("child %d ended before '%s'; see %s", child.pid(), until, child.log()).isNull();
  }
}
