package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A child process of the timer test: one {@link DeliveryWorker} over the run's trail, on the shared
 * {@link FileClock}, swept by several threads at once. It prints {@code READY}; then, for each
 * {@code SWEEP <step>} line on its standard input, lets every thread run {@link DeliveryWorker#drain()}
 * (again after a failed sweep, as a started worker does) and prints {@code SWEPT <step> <timers fired>}; on end of input it prints {@code DONE}. Every expiry
 * this process records is announced as {@code FIRED <booking id> <sequence> <occurred at> <pid>} as soon as
 * it is recorded.
 *
 * <p>Arguments are {@code key=value}: {@code url}, {@code user}, {@code password}, {@code prefix},
 * {@code clock} (the clock file) and {@code threads}.
 */
public final class TimerChild {

  private TimerChild() {}

  /** Runs one worker process; see the class description. */
  public static void main(String[] args) throws Exception {
    Map<String, String> arguments = CrashChild.arguments(args);
    CrashDatabase database = CrashDatabase.fromArguments(arguments);
    FileClock clock = new FileClock(Path.of(arguments.get("clock")));
    int threads = Integer.parseInt(arguments.getOrDefault("threads", "2"));
    long pid = ProcessHandle.current().pid();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (HikariDataSource dataSource = database.pool(2 * threads + 2)) {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withClock(clock)
          .withPaymentHooks(new DurableProvider(dataSource, database, "timer-" + pid))
          .onChange(change -> {
            AuditEntry entry = change.entry();
            if (entry.actionName().equals(GigstaWorkflow.EXPIRE_BOOKING)) {
              out.println("FIRED " + entry.bookingId() + " " + entry.sequence() + " " + entry.occurredAt() + " "
                  + pid);
            }
          })
          .build();
      DeliveryWorker worker = DeliveryWorker.builder(engine)
          .withConsumer(CrashDatabase.CONSUMER, new SeenConsumer(dataSource, database))
          .withLease(Duration.ofSeconds(2))
          .withBatchSize(7)
          .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
          .build();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.startsWith("SWEEP ")) {
          throw new IllegalStateException("expected SWEEP but read " + line);
        }
        List<Future<DeliveryWorker.Sweep>> drains = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          drains.add(pool.submit(() -> drainAsStarted(worker)));
        }
        int fired = 0;
        for (Future<DeliveryWorker.Sweep> drain : drains) {
          fired += drain.get().timersFired();
        }
        out.println("SWEPT " + line.substring("SWEEP ".length()) + " " + fired);
      }
      pool.shutdown();
    }
    out.println("DONE");
  }

  // As a started worker does: a sweep that fails is logged and the next one runs.
  private static DeliveryWorker.Sweep drainAsStarted(DeliveryWorker worker) {
    for (int attempt = 1; ; attempt++) {
      try {
        return worker.drain();
      } catch (RuntimeException e) {
        if (attempt == 5) {
          throw e;
        }
        System.err.println("a sweep failed, sweeping again: " + e);
      }
    }
  }
}
