package com.gigsta.booking.jdbc.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.jdbc.ChainVerification;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.jdbc.crash.ChildJvm;
import com.gigsta.booking.jdbc.crash.CrashDatabase;
import com.gigsta.booking.jdbc.crash.DurableProvider;
import com.gigsta.booking.jdbc.crash.Ledger;
import com.gigsta.booking.jdbc.crash.SeenConsumer;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two service instances, child JVMs with four threads each, writing the same bookings through different
 * nodes of the Galera cluster (the first's pool in auto-commit mode, the second's not), while their
 * delivery workers fire due expiries and settle payments with the crash tests' durable provider and
 * consumer. Node 2, the second instance's, is killed with SIGKILL during the first round; that instance
 * fails over to node 3; node 2 is started again and rejoins during the last round. Checked as the other
 * race tests check: one acknowledged winner per contested booking and sequence, its row stored as returned,
 * every loser told with {@link com.gigsta.booking.BookingChangedConcurrentlyException} (the instance on the
 * killed node may also see its node fail), gap-free sequences and intact chains; each due expiry fired
 * once; every settlement made once (none lost, none doubled); and node 2 holds every row once it is back.
 * {@code -Dgigsta.galera.race.bookings} sets the number of bookings (default 1,800).
 */
class GaleraRaceTest {

  private static final int BOOKINGS = Integer.getInteger("gigsta.galera.race.bookings", 1_800);
  private static final int THREADS = 4;
  private static final int ROUNDS = 3;
  private static final int KILLED = 2;

  private record Outcome(int jvm, String bookingId, int round, boolean won, long sequence, String action,
      String occurredAt, String failure) {

    static Outcome parse(String line) {
      String[] p = line.split(" ");
      return new Outcome(Integer.parseInt(p[1]), p[2], Integer.parseInt(p[3]), Boolean.parseBoolean(p[4]),
          Long.parseLong(p[5]), p[6], p[7], p[8]);
    }
  }

  @Test
  void shouldKeepOneWinnerPerSequenceAndEverySettlementWhenInstancesWriteThroughTwoNodesAndOneIsKilled()
      throws Exception {
    GaleraCluster cluster = GaleraCluster.require();
    String prefix = "galera_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    CrashDatabase database = new CrashDatabase(cluster.url(1), cluster.user, cluster.password, prefix);
    Path log = Path.of("target", "galera", prefix + ".log");
    List<Outcome> outcomes = new ArrayList<>();
    Map<String, String> fired = new HashMap<>();
    int firedTwice = 0;
    int due = BOOKINGS / 4;
    try (HikariDataSource node1 = database.pool(12)) {
      database.recreate();
      // A quarter of the requests were made long enough ago to be due for expiry: the workers race the
      // instances for them.
      BookingEngine past = engine(node1, database, Clock.offset(Clock.systemUTC(), Duration.ofDays(-10)));
      BookingEngine now = engine(node1, database, Clock.systemUTC());
      ExecutorService creators = Executors.newFixedThreadPool(8);
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < BOOKINGS; i++) {
        int n = i;
        created.add(creators.submit(() -> (n < due ? past : now).requestBooking("g-" + n,
            Actor.customer("c-" + n), "gs-" + n, null)));
      }
      for (Future<?> each : created) {
        each.get();
      }
      creators.shutdown();

      List<ChildJvm> children = new ArrayList<>();
      // What went wrong killing or starting node 2, on the threads that do it.
      AtomicReference<Exception> nodeFailure = new AtomicReference<>();
      long started = System.nanoTime();
      Thread rejoin = null;
      try {
        for (int jvm = 0; jvm < 2; jvm++) {
          children.add(ChildJvm.start(GaleraRaceChild.class, List.of(cluster.failoverUrl(jvm + 1), cluster.user,
              cluster.password.isEmpty() ? "-" : cluster.password, prefix, Integer.toString(jvm),
              Integer.toString(THREADS), Integer.toString(BOOKINGS)), log));
        }
        for (ChildJvm child : children) {
          assertThat(child.nextLine(120)).as("child %d started; see %s", child.pid(), log).isEqualTo("READY");
        }
        Thread killer = null;
        for (int round = 1; round <= ROUNDS; round++) {
          int open = 0;
          for (ChildJvm child : children) {
            child.send("LOAD " + round);
          }
          for (ChildJvm child : children) {
            String loaded = awaitLine(child, "LOADED", fired);
            open += Integer.parseInt(loaded.split(" ")[2]);
          }
          if (open == 0) {
            break;
          }
          long startAt = System.currentTimeMillis() + 200;
          for (ChildJvm child : children) {
            child.send("GO " + round + " " + startAt);
          }
          if (round == 1) {
            killer = new Thread(() -> {
              try {
                Thread.sleep(700);
                cluster.killNode(KILLED);
              } catch (Exception e) {
                nodeFailure.set(e);
              }
            });
            killer.start();
          }
          if (round == ROUNDS) {
            killer.join();
            rejoin = new Thread(() -> {
              try {
                cluster.startNode(KILLED);
              } catch (Exception e) {
                nodeFailure.set(e);
              }
            });
            rejoin.start();
          }
          for (ChildJvm child : children) {
            for (String line = child.nextLine(300); !line.startsWith("DONE"); line = child.nextLine(300)) {
              if (line.startsWith("OUTCOME")) {
                outcomes.add(Outcome.parse(line));
              } else if (line.startsWith("FIRED")) {
                firedTwice += fired.put(line.split(" ")[1], line) == null ? 0 : 1;
              }
            }
          }
          if (round == 1) {
            killer.join();
          }
        }
        for (ChildJvm child : children) {
          child.closeInput();
          for (String line = child.nextLine(120); line != null && !line.equals("EXIT"); line = child.nextLine(120)) {
            if (line.startsWith("FIRED")) {
              firedTwice += fired.put(line.split(" ")[1], line) == null ? 0 : 1;
            }
          }
          assertThat(child.exitValue(60)).as("the exit value of child %d; see %s", child.pid(), log).isZero();
        }
      } finally {
        children.forEach(ChildJvm::close);
        if (rejoin != null) {
          rejoin.join();
        } else {
          cluster.startNode(KILLED);
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(nodeFailure.get()).as("killing and starting node %d", KILLED).isNull();

      // What is left owed (holds of changes never recorded included) is settled here, as a worker of a
      // surviving instance would.
      BookingEngine settler = engine(node1, database, Clock.systemUTC());
      DeliveryWorker worker = DeliveryWorker.builder(settler)
          .withConsumer(CrashDatabase.CONSUMER, new SeenConsumer(node1, database))
          .withHoldGrace(Duration.ofMillis(1)).withLease(Duration.ofSeconds(5)).build();
      for (int i = 0; i < 20; i++) {
        DeliveryWorker.Sweep sweep = worker.drain();
        if (sweep.delivered() + sweep.retried() + sweep.releasedHolds() + sweep.timersFired() == 0) {
          break;
        }
      }

      JdbcAuditTrail trail = JdbcAuditTrail.builder(node1).withTableName(database.auditTable()).build();
      List<String> anomalies = new ArrayList<>();
      Map<String, Map<Integer, List<Outcome>>> byBooking = new TreeMap<>();
      for (Outcome outcome : outcomes) {
        byBooking.computeIfAbsent(outcome.bookingId(), id -> new TreeMap<>())
            .computeIfAbsent(outcome.round(), r -> new ArrayList<>()).add(outcome);
      }
      int contested = 0;
      int winners = 0;
      // Changes each instance recorded in the rounds after the kill: the one on the killed node failed over.
      int[] winnersAfterKill = new int[2];
      int losers = 0;
      int failed = 0;
      int stillRequested = 0;
      for (int i = 0; i < BOOKINGS; i++) {
        String id = "g-" + i;
        List<AuditEntry> history = trail.history(id);
        ChainVerification chain = trail.verify(id);
        if (!chain.intact()) {
          anomalies.add(id + ": chain broken: " + chain.problem());
        }
        for (int s = 0; s < history.size(); s++) {
          if (history.get(s).sequence() != s + 1) {
            anomalies.add(id + ": sequence " + history.get(s).sequence() + " at position " + (s + 1));
          }
        }
        long expiries = history.stream().filter(e -> e.actionName().equals(GigstaWorkflow.EXPIRE_BOOKING)).count();
        if (expiries > 1) {
          anomalies.add(id + ": expired " + expiries + " times");
        }
        if (i < due && history.get(history.size() - 1).toState().equals(BookingState.REQUESTED)) {
          stillRequested++;
          anomalies.add(id + ": due for expiry but still requested");
        }
        String firedLine = fired.get(id);
        if (firedLine != null) {
          long sequence = Long.parseLong(firedLine.split(" ")[2]);
          if (sequence > history.size() || !history.get((int) sequence - 1).actionName()
              .equals(GigstaWorkflow.EXPIRE_BOOKING)) {
            anomalies.add(id + ": the expiry announced at sequence " + sequence + " is not stored");
          }
        }
        int acknowledged = 0;
        int unknown = 0;
        for (var round : byBooking.getOrDefault(id, Map.of()).entrySet()) {
          List<Outcome> contenders = round.getValue();
          if (contenders.size() > 1) {
            contested++;
          }
          List<Outcome> won = contenders.stream().filter(Outcome::won).toList();
          winners += won.size();
          acknowledged += won.size();
          if (won.size() > 1) {
            anomalies.add(id + " round " + round.getKey() + ": " + won.size() + " winners");
          }
          for (Outcome outcome : contenders) {
            if (outcome.won()) {
              winnersAfterKill[outcome.jvm()] += outcome.round() > 1 ? 1 : 0;
              AuditEntry stored = outcome.sequence() <= history.size()
                  ? history.get((int) outcome.sequence() - 1) : null;
              if (stored == null || !stored.actionName().equals(outcome.action())
                  || !stored.occurredAtIso().equals(outcome.occurredAt())) {
                anomalies.add(id + ": an acknowledged change is not stored as returned: " + outcome);
              }
            } else if (outcome.failure().equals("BookingChangedConcurrentlyException")) {
              losers++;
            } else if (outcome.jvm() == KILLED - 1) {
              // The instance's node died under it: its attempt may or may not have been recorded.
              failed++;
              unknown++;
            } else {
              anomalies.add(id + " round " + round.getKey() + ": a loser on a surviving node got "
                  + outcome.failure());
            }
          }
        }
        int expected = 1 + acknowledged + (int) expiries;
        if (history.size() < expected || history.size() > expected + unknown) {
          anomalies.add(id + ": " + history.size() + " rows but " + acknowledged + " acknowledged changes, "
              + expiries + " expiries and " + unknown + " unknown outcomes");
        }
      }

      long onNode1 = count(node1, database.auditTable());
      long onNode2;
      try (HikariDataSource node2 = cluster.pool(cluster.url(KILLED), 2, true)) {
        onNode2 = count(node2, database.auditTable());
      }
      Ledger ledger;
      try (Connection connection = node1.getConnection()) {
        ledger = Ledger.read(connection, database);
      }
      System.out.printf("galera race: %d bookings, 2 JVMs x %d threads on nodes 1 and 2 (pools with auto-commit on "
              + "and off), node %d killed in round 1 "
              + "and rejoined in round %d; %d contested pairs, %d winners, %d losers, %d failed with their node, "
              + "%d expiries fired (%d twice), %d due still requested; after the kill %d changes recorded through "
              + "node 1 and %d by the instance that failed over; %s; %s; audit rows %d on node 1, %d on node %d "
              + "after rejoining; %d anomalies, lost %d, doubled %d, in %.1f s%n", BOOKINGS, THREADS, KILLED,
          ROUNDS, contested, winners, losers, failed, fired.size(), firedTwice, stillRequested, winnersAfterKill[0],
          winnersAfterKill[1], ledger.summary(),
          ledger.details(), onNode1, onNode2, KILLED, anomalies.size() + ledger.anomalies.size(), ledger.lost,
          ledger.doubled, seconds);

      assertThat(anomalies).as("anomalies").isEmpty();
      assertThat(firedTwice).as("expiries announced twice").isZero();
      assertThat(ledger.lost).as("settlements lost:\n%s", ledger.shownAnomalies()).isZero();
      assertThat(ledger.doubled).as("settlements doubled:\n%s", ledger.shownAnomalies()).isZero();
      assertThat(ledger.unseen).as("changes the consumer never saw:\n%s", ledger.shownAnomalies()).isZero();
      assertThat(ledger.anomalies).as("ledger anomalies").isEmpty();
      assertThat(onNode2).as("rows on the rejoined node").isEqualTo(onNode1);
      assertThat(contested).as("contested (booking, sequence) pairs").isGreaterThanOrEqualTo(
          BOOKINGS >= 1_800 ? 2_000 : 1);
      assertThat(fired).as("expiries fired by the workers").isNotEmpty();
      assertThat(winnersAfterKill[0]).as("changes recorded through node 1 after the kill").isPositive();
      assertThat(winnersAfterKill[1]).as("changes recorded after the kill by the instance that failed over")
          .isPositive();
      try (Connection connection = node1.getConnection()) {
        database.dropAll(connection);
      }
    }
  }

  private static BookingEngine engine(HikariDataSource dataSource, CrashDatabase database, Clock clock) {
    JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
    return BookingEngine.builder().withAuditTrail(trail).withClock(clock)
        .withPaymentHooks(new DurableProvider(dataSource, database, "parent")).build();
  }

  // Reads the next line that starts with the word, noting expiries announced meanwhile.
  private static String awaitLine(ChildJvm child, String word, Map<String, String> fired) throws Exception {
    for (String line = child.nextLine(300); ; line = child.nextLine(300)) {
      if (line == null) {
        throw new IllegalStateException("child " + child.pid() + " ended before " + word);
      }
      if (line.startsWith(word)) {
        return line;
      }
      if (line.startsWith("FIRED")) {
        fired.putIfAbsent(line.split(" ")[1], line);
      }
    }
  }

  // A causal count, so that a node that has just rejoined answers only once it has caught up.
  private static long count(HikariDataSource dataSource, String table) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SET STATEMENT wsrep_sync_wait = 1 FOR SELECT COUNT(*) FROM "
            + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
