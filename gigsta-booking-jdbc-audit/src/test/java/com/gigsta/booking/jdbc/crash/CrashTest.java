package com.gigsta.booking.jdbc.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Kills child JVMs with SIGKILL at chosen points of recording and delivering changes, again and again on
 * one trail, and then checks in the database that nothing owed was lost or doubled: every release,
 * refund and capture the recorded changes owe reached the durable provider exactly once, and every
 * change reached the durable consumer at least once; also that every change a child had recorded
 * (perform had returned) when it was killed is in the trail. One subclass per database.
 *
 * <p>Each child first drains the worker, recovering what the previous child left, then does new work
 * and blocks at its kill point; the parent reads the announcement, kills it with
 * {@link Process#destroyForcibly()} (SIGKILL on Linux) and checks that the exit value is 137 (128 + 9).
 * The kill points cycle through {@link KillSwitch.Point}, each at a random occurrence within the child's
 * work; a child that finishes without reaching its point is not counted as a kill. Each child is started
 * while the previous one runs and given its turn once that one is dead, so only one child at a time
 * works on the trail. After the last kill a final child only drains. {@code -Dgigsta.crash.kills} sets
 * the number of kills (default 100), {@code -Dgigsta.crash.seed} the random seed (printed), and
 * {@code -Dgigsta.crash.keep=true} keeps the tables of a passing run.
 */
abstract class CrashTest {

  private static final int KILLS = Integer.getInteger("gigsta.crash.kills", 100);
  private static final int BOOKINGS_PER_CHILD = 6;
  // Longer than any one delivery, short enough that the leases of a killed child run out while the
  // children after it work; the final child waits them out.
  private static final long LEASE_MILLIS = 250;

  /** The database for a run with this prefix. */
  protected abstract CrashDatabase database(String prefix) throws Exception;

  /**
   * What the children did: the kills by point (and, at the commit points, by the trail's transaction),
   * the changes they had recorded when killed, what their first drains recovered and how long after its
   * turn began each child had done it.
   */
  private static final class Tally {
    final Map<String, Integer> kills = new TreeMap<>();
    // The changes children announced as recorded (perform had returned) when they were killed.
    final List<String> recordedBeforeKills = new ArrayList<>();
    int recoveredDeliveries;
    long recoveredMillis;
    int recoveries;

    String killsByPoint() {
      StringBuilder text = new StringBuilder();
      kills.forEach((point, count) -> text.append(text.length() == 0 ? "" : ", ").append(point).append(' ')
          .append(count));
      return text.toString();
    }
  }

  @Test
  void shouldNeitherLoseNorDoubleASettlementWhenWorkersAreKilled() throws Exception {
    String prefix = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    CrashDatabase database = database(prefix);
    database.recreate();
    long seed = Long.getLong("gigsta.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path log = Path.of("target", "crash", database.label() + "-" + prefix + ".log");
    List<String> arguments = new ArrayList<>(database.childArguments());
    arguments.addAll(List.of("bookings=" + BOOKINGS_PER_CHILD, "leaseMillis=" + LEASE_MILLIS));
    KillSwitch.Point[] points = KillSwitch.Point.values();
    int kills = 0;
    int children = 0;
    Tally tally = new Tally();
    long started = System.nanoTime();
    // Each child is started while the one before it runs, and given its turn once that one is dead.
    ChildJvm next = ChildJvm.start(CrashChild.class, arguments, log);
    try {
      while (kills < KILLS) {
        if (children >= 3 * KILLS + 10) {
          fail("only " + kills + " of " + children + " children reached their kill point");
        }
        KillSwitch.Point point = points[kills % points.length];
        int at = 1 + random.nextInt(point.maxAt);
        children++;
        try (ChildJvm child = next) {
          release(child, "run=" + children + " kill=" + point.code + " at=" + at);
          next = ChildJvm.start(CrashChild.class, arguments, log);
          if (runToTheEnd(child, point, tally)) {
            kills++;
          }
        }
      }
    } catch (Throwable e) {
      next.close();
      throw e;
    }
    double killSeconds = (System.nanoTime() - started) / 1e9;
    long finalStarted = System.nanoTime();
    try (ChildJvm last = next) {
      release(last, "run=" + (children + 1) + " final=true");
      assertThat(runToTheEnd(last, null, tally)).as("the final child was killed").isFalse();
    }
    double finalSeconds = (System.nanoTime() - finalStarted) / 1e9;

    Ledger ledger;
    try (HikariDataSource dataSource = database.pool(2); Connection connection = dataSource.getConnection()) {
      ledger = Ledger.read(connection, database);
    }
    ledger.checkSurvived(tally.recordedBeforeKills);
    System.out.printf("%s: %d kills, %s | kills by point %s, each child's exit value %d (SIGKILL); %d children, "
            + "%d deliveries recovered by the next child; %s; seed %d; %d kills in %.1f s (a child recovered %d ms "
            + "after its turn began, on average), final drain %.1f s%n",
        database.label(), kills, ledger.summary(), tally.killsByPoint(), ChildJvm.KILLED_BY_SIGKILL, children + 1,
        tally.recoveredDeliveries, ledger.details(), seed, kills, killSeconds,
        tally.recoveredMillis / Math.max(1, tally.recoveries), finalSeconds);

    assertThat(ledger.lost).as("settlements lost:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.doubled).as("settlements doubled:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.unseen).as("changes the consumer never saw:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.holdsNotReleased).as("payments secured for changes never recorded and not released:\n%s",
        ledger.shownAnomalies()).isZero();
    assertThat(ledger.anomalies).as("anomalies:\n%s", ledger.shownAnomalies()).isEmpty();
    assertThat(ledger.owed).isPositive();
    tearDown(database);
  }

  /** Waits until the child is warm, then gives it its turn. */
  private static void release(ChildJvm child, String turn) throws Exception {
    assertThat(child.nextLine(120)).as("child %d warmed up; see %s", child.pid(), child.log()).isEqualTo("WARM");
    child.send("GO " + turn);
    child.markTurn();
  }

  /**
   * Runs the child to its kill point and kills it there, or to its end; returns whether it was killed.
   * Checks that the announcing process is the child, and that SIGKILL ended it.
   */
  private static boolean runToTheEnd(ChildJvm child, KillSwitch.Point point, Tally tally) throws Exception {
    for (String line = child.nextLine(120); line != null; line = child.nextLine(120)) {
      if (line.startsWith("RECOVERED ")) {
        tally.recoveredDeliveries += Integer.parseInt(line.substring("RECOVERED ".length()));
        tally.recoveredMillis += child.millisSinceTurn();
        tally.recoveries++;
      } else if (line.startsWith("KILLPOINT ")) {
        String[] parts = line.split(" ", 4);
        assertThat(point).as("a child armed with nothing announced %s", line).isNotNull();
        assertThat(parts[1]).isEqualTo(String.valueOf(point.code));
        assertThat(Long.parseLong(parts[2])).as("the announcing process").isEqualTo(child.pid());
        assertThat(child.kill()).as("the exit value of child %d after SIGKILL", child.pid())
            .isEqualTo(ChildJvm.KILLED_BY_SIGKILL);
        boolean commit = point == KillSwitch.Point.BEFORE_COMMIT || point == KillSwitch.Point.AFTER_COMMIT;
        tally.kills.merge(point.code + (commit ? "/" + parts[3] : ""), 1, Integer::sum);
        if (point == KillSwitch.Point.AFTER_PERFORM) {
          tally.recordedBeforeKills.add(parts[3]);
        }
        return true;
      } else if (line.startsWith("DONE ")) {
        assertThat(child.exitValue(60)).as("the exit value of child %d; see %s", child.pid(), child.log()).isZero();
        return false;
      }
    }
    fail("child " + child.pid() + " ended with exit value " + child.exitValue(60) + " before DONE; see "
        + child.log());
    return false;
  }

  /**
   * Drops the run's tables; only after a passing run, so that a failing one can be inspected, and not
   * with {@code -Dgigsta.crash.keep=true}.
   */
  static void tearDown(CrashDatabase database) throws Exception {
    if (Boolean.getBoolean("gigsta.crash.keep")) {
      System.out.println("kept the tables " + database.prefix() + "_* on " + database.url());
      return;
    }
    try (HikariDataSource dataSource = database.pool(1); Connection connection = dataSource.getConnection()) {
      database.dropAll(connection);
    }
  }
}
