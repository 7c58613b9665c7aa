package com.gigsta.booking.jdbc.cluster;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.jdbc.crash.CrashChild;
import com.gigsta.booking.jdbc.crash.CrashDatabase;
import com.gigsta.booking.jdbc.crash.DurableProvider;
import com.gigsta.booking.jdbc.crash.SeenConsumer;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker process of the failover test: a {@link DeliveryWorker} that settles with the durable
 * provider and delivers to the durable consumer, and one that takes the timed rules, both on
 * {@link #runClock() the run's clock} and swept by several threads,
 * as started workers do: a sweep that fails is counted and the next one runs. It prints {@code READY},
 * waits for {@code GO}, sweeps until {@code STOP}, then drains until nothing is left (waiting out the
 * leases of deliveries claimed when the primary died, and the hold grace), and prints
 * {@code SWEPT <delivered> <retried> <dead> <released holds> <timers fired> <failed sweeps>} and
 * {@code DONE}.
 *
 * <p>Arguments are {@code key=value}: {@code url}, {@code user}, {@code password}, {@code prefix} and
 * {@code threads}.
 */
public final class PostgresFailoverWorker {

  /** How long a claimed delivery stays with its worker; claims lost with the primary run out after it. */
  static final Duration LEASE = Duration.ofSeconds(2);

  /**
   * How long a payment hold stays unclaimed before the worker releases it: longer than a writer takes to
   * secure and record an acceptance across the failover.
   */
  static final Duration HOLD_GRACE = Duration.ofSeconds(10);

  /** How far ahead of the real clock {@link #runClock() the run's clock} is. */
  static final Duration AHEAD = Duration.ofDays(3);

  private PostgresFailoverWorker() {}

  /**
   * The clock of every process of the run, writers and workers: days ahead of the real one, so that the
   * requests left to the timers can start in the future and still expire during the run. One clock for
   * all, as servers with synchronized clocks have: a request whose commit became visible only after the
   * failover, when a sweep had already moved its timer's mark past its due time, is found by the sweep's
   * re-read of the last minutes before the mark, which allows minutes of skew between the writer's
   * clock and the worker's, not days.
   */
  static Clock runClock() {
    return Clock.offset(Clock.systemUTC(), AHEAD);
  }

  /** Runs the worker process; see the class description. */
  public static void main(String[] args) throws Exception {
    Map<String, String> arguments = CrashChild.arguments(args);
    CrashDatabase database = CrashDatabase.fromArguments(arguments);
    int threads = Integer.parseInt(arguments.getOrDefault("threads", "2"));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (HikariDataSource dataSource = database.pool(2 * threads + 2)) {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
      DurableProvider provider = new DurableProvider(dataSource, database, "worker");
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(provider)
          .withClock(runClock()).build();
      DeliveryWorker settling = DeliveryWorker.builder(engine)
          .withConsumer(CrashDatabase.CONSUMER, new SeenConsumer(dataSource, database))
          .withTimers(false)
          .withLease(LEASE)
          .withHoldGrace(HOLD_GRACE)
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
          .withBatchSize(20)
          .build();
      DeliveryWorker timers = DeliveryWorker.builder(engine).withSettlements(false).withLease(LEASE)
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).withBatchSize(20).build();

      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String go = in.readLine();
      if (go == null || !go.equals("GO")) {
        throw new IllegalStateException("expected GO but read " + go);
      }
      AtomicBoolean stop = new AtomicBoolean();
      Thread stopper = new Thread(() -> {
        try {
          for (String line = in.readLine(); line != null && !line.equals("STOP"); line = in.readLine()) {
            // Nothing else is sent.
          }
        } catch (java.io.IOException e) {
          // The parent is gone: stop as well.
        }
        stop.set(true);
      }, "stopper");
      stopper.setDaemon(true);
      stopper.start();

      Counts counts = new Counts();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(pool.submit(() -> {
          while (!stop.get()) {
            if (sweep(settling, timers, counts)) {
              Thread.sleep(50);
            }
          }
          return null;
        }));
      }
      for (Future<?> each : running) {
        each.get();
      }
      pool.shutdown();
      // What the run left: drained, then again once the leases of claims made before the failover ran out,
      // and once more after the hold grace, so that the holds of acceptances whose appends failed late in
      // the run, left to this worker, are released too.
      for (int round = 0; round < 3; round++) {
        while (!sweep(settling, timers, counts)) {
          // Until a sweep finds nothing.
        }
        Thread.sleep(LEASE.toMillis() + 200);
      }
      Thread.sleep(HOLD_GRACE.toMillis());
      while (!sweep(settling, timers, counts)) {
        // Until a sweep finds nothing.
      }
      out.println("SWEPT " + counts.delivered + " " + counts.retried + " " + counts.dead + " " + counts.released
          + " " + counts.fired + " " + counts.failed);
    }
    out.println("DONE");
  }

  private static final class Counts {
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger dead = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger fired = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
  }

  // One sweep of each worker; returns whether both found nothing. A failed sweep counts as not empty.
  private static boolean sweep(DeliveryWorker settling, DeliveryWorker timers, Counts counts)
      throws InterruptedException {
    boolean empty = true;
    for (DeliveryWorker worker : List.of(settling, timers)) {
      try {
        DeliveryWorker.Sweep sweep = worker.runOnce();
        counts.delivered.addAndGet(sweep.delivered());
        counts.retried.addAndGet(sweep.retried());
        counts.dead.addAndGet(sweep.deadLettered());
        counts.released.addAndGet(sweep.releasedHolds());
        counts.fired.addAndGet(sweep.timersFired());
        empty &= sweep.isEmpty();
      } catch (RuntimeException e) {
        counts.failed.incrementAndGet();
        System.err.println("a sweep failed, sweeping again: " + e);
        Thread.sleep(100);
        empty = false;
      }
    }
    return empty;
  }
}
