package com.gigsta.booking.jdbc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.BookingState;
import com.gigsta.booking.jdbc.ChainVerification;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.jdbc.crash.ChildJvm;
import com.gigsta.booking.jdbc.crash.CrashDatabase;
import com.gigsta.booking.jdbc.crash.Ledger;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The trail on a PostgreSQL primary with a synchronous standby ({@code .ci/pg-standby}), failed over in
 * the middle of a run: writer JVMs take bookings along every path of the default workflow through the
 * JDBC multi-host URL with {@code targetServerType=primary}, and a worker JVM settles with a durable
 * provider, delivers to a durable consumer and fires the expiry timers, all at once. Once a share of the
 * writes is acknowledged, replication is paused so that the commits in flight wait for the standby, the
 * primary is killed with SIGKILL while they wait, and the standby promoted: once with the standby's WAL
 * receiver paused (the commits reached the standby, so they land though no writer heard so), once with
 * the primary's WAL sender paused (they never left the primary, so they are lost with it, and no writer
 * was told otherwise). Everyone carries on through the outage. Then, on the new primary:
 * <ul>
 *   <li>every change whose {@code perform} returned before, during or after the failover is there;
 *   <li>every commit whose answer was lost was decided by the trail's key lookup, as landed (the call
 *       returned) or not landed (the call threw, and the booking read afterwards has no such change):
 *       never an unknown outcome, a failure whose change is stored after all, or a raw exception;
 *   <li>every booking's hash chain is intact, and every booking left to the timers expired;
 *   <li>the durable ledger holds every settlement owed exactly once (none lost, none doubled), every
 *       change given to the consumer, every delivery done, every payment secured for an unrecorded change
 *       released.
 * </ul>
 * One line of counts is printed per run. {@code -Dgigsta.failover.bookings} sets the bookings per writer thread
 * (default 36).
 */
class PostgresFailoverTest {

  private static final int WRITERS = 2;
  private static final int THREADS = 4;
  private static final int BOOKINGS = Integer.getInteger("gigsta.failover.bookings", 36);
  // The primary dies once this share of the run's changes is acknowledged.
  private static final double KILL_AT = 0.4;
  // How long commits wait for the paused standby before the primary dies.
  private static final long PAUSE_MILLIS = 300;

  /** What the children announced. */
  private static final class Announced {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> landed = ConcurrentHashMap.newKeySet();
    final Set<String> notLanded = ConcurrentHashMap.newKeySet();
    final Set<String> bookings = ConcurrentHashMap.newKeySet();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger acknowledgedAfterKill = new AtomicInteger();
    final ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
    volatile boolean killed;
    volatile String swept;
  }

  /** Where the commits in flight wait when the primary dies. */
  private enum Pause {
    /** In the standby's socket: they reach the new primary, though no writer heard so. */
    RECEIVER("standby received the lost answers"),
    /** On the primary, unsent: they are lost with it, and no writer heard so either. */
    SENDER("standby never received them");

    final String label;

    Pause(String label) {
      this.label = label;
    }
  }

  @Test
  void shouldFindTheCommitsWhoseAnswerWasLostWhenTheStandbyHadReceivedThem() throws Exception {
    Announced announced = failOver(Pause.RECEIVER);
    assertThat(announced.landed).as("commits whose answer was lost, found landed").isNotEmpty();
  }

  @Test
  void shouldReportNothingRecordedForCommitsTheStandbyNeverReceived() throws Exception {
    Announced announced = failOver(Pause.SENDER);
    assertThat(announced.notLanded).as("commits whose answer was lost, found not landed").isNotEmpty();
  }

  private Announced failOver(Pause pause) throws Exception {
    PostgresPair pair = PostgresPair.freshOrSkip();
    String prefix = "failover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    CrashDatabase database = new CrashDatabase(pair.url(), PostgresPair.USER, PostgresPair.PASSWORD, prefix);
    database.recreate();
    Path log = Path.of("target", "cluster", "postgres-" + prefix + ".log");
    int expected = expectedChanges();
    Announced announced = new Announced();
    long killedAt;
    long promotedAt;
    long started = System.nanoTime();
    List<ChildJvm> writers = new ArrayList<>();
    ChildJvm worker = null;
    try {
      for (int w = 0; w < WRITERS; w++) {
        List<String> arguments = new ArrayList<>(database.childArguments());
        arguments.addAll(List.of("writer=" + w, "threads=" + THREADS, "bookings=" + BOOKINGS));
        writers.add(ChildJvm.start(PostgresFailoverWriter.class, arguments, log));
      }
      List<String> workerArguments = new ArrayList<>(database.childArguments());
      workerArguments.add("threads=2");
      worker = ChildJvm.start(PostgresFailoverWorker.class, workerArguments, log);
      List<ChildJvm> all = new ArrayList<>(writers);
      all.add(worker);
      for (ChildJvm child : all) {
        assertThat(child.nextLine(120)).as("child %d started; see %s", child.pid(), log).isEqualTo("READY");
      }
      for (ChildJvm child : all) {
        child.send("GO");
      }
      CountDownLatch writersDone = new CountDownLatch(WRITERS);
      List<Thread> readers = new ArrayList<>();
      for (ChildJvm writer : writers) {
        readers.add(read(writer, announced, writersDone));
      }
      CountDownLatch workerDone = new CountDownLatch(1);
      readers.add(read(worker, announced, workerDone));

      long kill = Math.round(expected * KILL_AT);
      while (announced.acknowledged.size() < kill && writersDone.getCount() > 0) {
        Thread.sleep(5);
      }
      assertThat(writersDone.getCount()).as("writers still running when %d changes were acknowledged", kill)
          .isPositive();
      // Replication stops first, so that the writers' commits wait for it when the primary dies: their
      // answers are lost, and only the trail's key lookup on the new primary can tell whether they landed.
      if (pause == Pause.RECEIVER) {
        pair.pauseReceiver();
      } else {
        pair.pauseSender();
      }
      Thread.sleep(PAUSE_MILLIS);
      pair.killPrimary();
      announced.killed = true;
      killedAt = System.nanoTime();
      if (pause == Pause.RECEIVER) {
        pair.resumeReceiver();
      }
      pair.promote();
      promotedAt = System.nanoTime();

      assertThat(writersDone.await(300, TimeUnit.SECONDS)).as("writers finished; see %s", log).isTrue();
      worker.send("STOP");
      assertThat(workerDone.await(300, TimeUnit.SECONDS)).as("the worker finished; see %s", log).isTrue();
      for (Thread reader : readers) {
        reader.join(TimeUnit.SECONDS.toMillis(60));
      }
      for (ChildJvm child : all) {
        assertThat(child.exitValue(60)).as("the exit value of child %d; see %s", child.pid(), log).isZero();
      }
    } finally {
      writers.forEach(ChildJvm::close);
      if (worker != null) {
        worker.close();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    Ledger ledger;
    Set<String> broken = new TreeSet<>();
    Set<String> notExpired = new TreeSet<>();
    try (HikariDataSource dataSource = database.pool(2); Connection keeper = dataSource.getConnection()) {
      ledger = Ledger.read(keeper, database);
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
      for (String booking : announced.bookings) {
        ChainVerification verification = trail.verify(booking);
        if (!verification.intact()) {
          broken.add(booking + " " + verification);
        }
        int index = Integer.parseInt(booking.substring(booking.lastIndexOf('-') + 1));
        if (index % 6 == PostgresFailoverWriter.EXPIRY_PATH
            && !trail.latest(booking).orElseThrow().toState().equals(BookingState.EXPIRED)) {
          notExpired.add(booking);
        }
      }
    }
    ledger.checkSurvived(announced.acknowledged);
    String[] swept = announced.swept == null ? new String[7] : announced.swept.split(" ");
    System.out.printf("postgres failover (%s): %d acknowledged (%d after the kill), lost %d, %d ambiguous resolved "
            + "(%d landed, %d not landed), unknown 0 of %d anomalies, %d retries through the outage; %d settlements owed, duplicates %d, lost %d; %d timers fired, %d bookings expired as due; "
            + "worker %s delivered, %s retried, %s failed sweeps; %d broken chains; ledger: %s; %s; failover "
            + "%.1f s (kill to promoted), run %.1f s%n",
        pause.label, announced.acknowledged.size(), announced.acknowledgedAfterKill.get(), ledger.recordedLost,
        announced.landed.size() + announced.notLanded.size(), announced.landed.size(), announced.notLanded.size(),
        announced.anomalies.size(), announced.retries.get(), ledger.owed, ledger.doubled, ledger.lost, swept[5] == null
            ? 0 : Integer.parseInt(swept[5]), expiring() - notExpired.size(), swept[1], swept[2], swept[6],
        broken.size(), ledger.summary(), ledger.details(), (promotedAt - killedAt) / 1e9, seconds);

    assertThat(announced.anomalies).as("unknown outcomes, failures stored after all, raw exceptions").isEmpty();
    assertThat(ledger.recordedLost).as("acknowledged changes missing on the new primary:\n%s",
        ledger.shownAnomalies()).isZero();
    assertThat(ledger.lost).as("settlements lost:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.doubled).as("settlements doubled:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.unseen).as("changes the consumer never saw:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.holdsNotReleased).as("payments secured for changes never recorded and not released:\n%s",
        ledger.shownAnomalies()).isZero();
    assertThat(ledger.anomalies).as("anomalies:\n%s", ledger.shownAnomalies()).isEmpty();
    assertThat(broken).as("bookings whose hash chain is broken").isEmpty();
    assertThat(notExpired).as("bookings left to the timers that did not expire").isEmpty();
    assertThat(announced.acknowledged).as("changes acknowledged: every step of every path").hasSize(expected);
    assertThat(announced.acknowledgedAfterKill.get()).as("changes acknowledged after the failover").isPositive();
    assertThat(ledger.owed).isPositive();
    tearDown(database);
    return announced;
  }

  // The changes the writers make when no timer comes first: a request per booking and its path's steps.
  private static int expectedChanges() {
    int[] steps = {3, 2, 1, 1, 2, 0};
    int perThread = 0;
    for (int i = 0; i < BOOKINGS; i++) {
      perThread += 1 + steps[i % steps.length];
    }
    return WRITERS * THREADS * perThread;
  }

  private static int expiring() {
    int perThread = 0;
    for (int i = 0; i < BOOKINGS; i++) {
      perThread += i % 6 == PostgresFailoverWriter.EXPIRY_PATH ? 1 : 0;
    }
    return WRITERS * THREADS * perThread;
  }

  // Reads a child's lines into the announcements on a thread of its own; counts down once it said DONE.
  private static Thread read(ChildJvm child, Announced announced, CountDownLatch done) {
    Thread reader = new Thread(() -> {
      try {
        for (String line = child.nextLine(300); line != null; line = child.nextLine(300)) {
          String[] p = line.split(" ", 3);
          switch (p[0]) {
            case "ACK" -> {
              announced.acknowledged.add(p[1]);
              announced.bookings.add(p[1].substring(0, p[1].lastIndexOf(':')));
              if (announced.killed) {
                announced.acknowledgedAfterKill.incrementAndGet();
              }
            }
            case "AMBIGUOUS" -> (p[2].equals("landed") ? announced.landed : announced.notLanded).add(p[1]);
            case "RETRY" -> announced.retries.incrementAndGet();
            case "SWEPT" -> announced.swept = line;
            case "DONE" -> done.countDown();
            default -> announced.anomalies.add(line);
          }
        }
      } catch (InterruptedException | RuntimeException e) {
        announced.anomalies.add("reading child " + child.pid() + " failed: " + e);
      }
    }, "child-" + child.pid() + "-lines");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  // Only after a passing run, so that a failing one can be inspected on the new primary.
  private static void tearDown(CrashDatabase database) throws Exception {
    try (HikariDataSource dataSource = database.pool(1); Connection connection = dataSource.getConnection()) {
      database.dropAll(connection);
    }
  }
}
