package com.gigsta.booking.jdbc.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Several workers on two JVMs: the parent records bookings that owe settlements and changes owed to the
 * durable consumer, then two child JVMs drain the same trail at once, each with two threads sharing one
 * worker. Every delivery must be marked done exactly once (the sum of what the workers report as
 * delivered equals the number of delivery rows, all DONE), every settlement must reach the provider
 * under one key, and every change the consumer; once with leases longer than any delivery, once with
 * leases that run out while workers deliver. One subclass per database server, PostgreSQL and MariaDB:
 * an embedded H2 file is one process's database (H2's AUTO_SERVER mode, which lets a second process in,
 * failed inside H2 with a NullPointerException under this load), and H2 is covered by the crash test.
 * {@code -Dgigsta.crash.workers.bookings} sets the number of bookings (default 300).
 */
abstract class SeveralWorkersTest {

  private static final int BOOKINGS = Integer.getInteger("gigsta.crash.workers.bookings", 300);
  private static final int JVMS = 2;
  private static final int THREADS = 2;

  /** The database for a run with this prefix; other processes must be able to open it at once. */
  protected abstract CrashDatabase database(String prefix) throws Exception;

  @Test
  void shouldMarkEachDeliveryDoneOnceWhenWorkersOnTwoJvmsDrainTheSameTrail() throws Exception {
    drainOnTwoJvms(30_000, "30 s leases");
  }

  /**
   * Leases of a millisecond run out while the deliveries are being made, so workers claim what others
   * are delivering: the provider's keys must absorb the repeats and each delivery must still be marked
   * done by exactly one worker.
   */
  @Test
  void shouldMarkEachDeliveryDoneOnceWhenLeasesRunOutWhileDelivering() throws Exception {
    drainOnTwoJvms(1, "1 ms leases");
  }

  private void drainOnTwoJvms(long leaseMillis, String leases) throws Exception {
    String prefix = "workers_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    CrashDatabase database = database(prefix);
    database.recreate();
    Path log = Path.of("target", "crash", database.label() + "-" + prefix + ".log");
    int[][] perThread = new int[JVMS][THREADS];
    int[] retried = new int[JVMS];
    int[] dead = new int[JVMS];
    int[] settlementCalls = new int[JVMS];
    int[] consumerCalls = new int[JVMS];
    Ledger ledger;
    double seconds;
    try (HikariDataSource dataSource = database.pool(4); Connection keeper = dataSource.getConnection()) {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
          .withPaymentHooks(new DurableProvider(dataSource, database, "parent")).build();
      Scenario scenario = Scenario.request(engine, "w", BOOKINGS, change -> { });
      for (int round = 1; round <= Scenario.ROUNDS; round++) {
        scenario.round(round, change -> { });
      }

      List<ChildJvm> children = new ArrayList<>();
      try {
        for (int jvm = 0; jvm < JVMS; jvm++) {
          List<String> arguments = new ArrayList<>(database.childArguments());
          arguments.addAll(List.of("jvm=" + jvm, "threads=" + THREADS, "leaseMillis=" + leaseMillis, "batch=10"));
          children.add(ChildJvm.start(WorkerChild.class, arguments, log));
        }
        for (ChildJvm child : children) {
          assertThat(child.nextLine(120)).as("child %d started; see %s", child.pid(), log).isEqualTo("READY");
        }
        long startAt = System.currentTimeMillis() + 300;
        for (ChildJvm child : children) {
          child.send("GO " + startAt);
        }
        long started = System.nanoTime();
        for (ChildJvm child : children) {
          boolean done = false;
          for (String line = child.nextLine(300); line != null; line = child.nextLine(300)) {
            String[] p = line.split(" ");
            switch (p[0]) {
              case "THREAD" -> {
                int jvm = Integer.parseInt(p[1]);
                perThread[jvm][Integer.parseInt(p[2])] = Integer.parseInt(p[3]);
                retried[jvm] += Integer.parseInt(p[4]);
                dead[jvm] += Integer.parseInt(p[5]);
              }
              case "CALLS" -> {
                settlementCalls[Integer.parseInt(p[1])] = Integer.parseInt(p[2]);
                consumerCalls[Integer.parseInt(p[1])] = Integer.parseInt(p[3]);
              }
              case "DONE" -> done = true;
              default -> { }
            }
          }
          assertThat(child.exitValue(60)).as("the exit value of child %d; see %s", child.pid(), log).isZero();
          assertThat(done).as("child %d finished; see %s", child.pid(), log).isTrue();
        }
        seconds = (System.nanoTime() - started) / 1e9;
      } finally {
        children.forEach(ChildJvm::close);
      }
      ledger = Ledger.read(keeper, database);
    }

    StringBuilder jvms = new StringBuilder();
    int delivered = 0;
    int alreadyDone = 0;
    for (int jvm = 0; jvm < JVMS; jvm++) {
      int mine = 0;
      StringBuilder threads = new StringBuilder();
      for (int t = 0; t < THREADS; t++) {
        mine += perThread[jvm][t];
        threads.append(t == 0 ? "" : "+").append(perThread[jvm][t]);
      }
      int calls = settlementCalls[jvm] + consumerCalls[jvm];
      int already = calls - mine - retried[jvm] - dead[jvm];
      delivered += mine;
      alreadyDone += already;
      jvms.append(String.format("JVM %d delivered %d (threads %s; %d settlements and %d changes handed over), "
          + "%d already done, %d retried, %d dead; ", jvm + 1, mine, threads, settlementCalls[jvm], consumerCalls[jvm],
          already, retried[jvm], dead[jvm]));
    }
    int rows = ledger.doneDeliveries + ledger.pendingDeliveries + ledger.deadDeliveries;
    System.out.printf("%s, %d JVMs x %d workers, %s: %d bookings; %s; %stotal %d marked done by the workers, %d already "
            + "done, of %d delivery rows (%d DONE); %s; drained in %.1f s%n",
        database.label(), JVMS, THREADS, leases, BOOKINGS, ledger.summary(), jvms, delivered, alreadyDone, rows,
        ledger.doneDeliveries, ledger.details(), seconds);

    assertThat(ledger.lost).as("settlements lost:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.doubled).as("settlements doubled:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.unseen).as("changes the consumer never saw:\n%s", ledger.shownAnomalies()).isZero();
    assertThat(ledger.anomalies).as("anomalies:\n%s", ledger.shownAnomalies()).isEmpty();
    assertThat(ledger.doneDeliveries).as("delivery rows done").isEqualTo(rows);
    assertThat(delivered).as("deliveries marked done by the workers, once each").isEqualTo(rows);
    assertThat(rows).isEqualTo(ledger.owed + ledger.changes);
    for (int jvm = 0; jvm < JVMS; jvm++) {
      // With short leases one JVM may find everything it handed over marked done by the other first.
      assertThat(settlementCalls[jvm] + consumerCalls[jvm]).as("JVM %d took part", jvm + 1).isPositive();
    }
    CrashTest.tearDown(database);
  }
}
