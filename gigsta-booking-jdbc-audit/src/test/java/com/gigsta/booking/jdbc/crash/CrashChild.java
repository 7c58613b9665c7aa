package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.Actor;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.jdbc.CountingPayments;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A child process of the crash tests. It starts ahead of its turn: it loads and warms what it will run
 * (on an in-memory trail, and on a throwaway in-memory H2 database for H2), connects to a database
 * server, prints {@code WARM} and waits for its turn, which the parent gives once the previous child is
 * dead: {@code GO run=<n> kill=<point> at=<k>}, or {@code GO run=<n> final=true}. Only then does it touch
 * the run's tables (an H2 file is opened only then, as one process at a time may). It first drains the
 * delivery worker, which recovers whatever the previous, killed child left, and prints
 * {@code RECOVERED <deliveries>}. Then, unless it is the final child, it requests new bookings and takes
 * them along their paths, sweeping the worker after every round, and blocks at the armed kill point until
 * the parent kills it, or prints {@code DONE <deliveries>} if it never reached it. The final child only
 * drains, waits out the leases of the killed children, and drains again.
 *
 * <p>Arguments are {@code key=value}: {@code url}, {@code user}, {@code password}, {@code prefix},
 * {@code bookings} and {@code leaseMillis}.
 */
public final class CrashChild {

  private CrashChild() {}

  /** Runs one child; see the class description. */
  public static void main(String[] args) throws Exception {
    Map<String, String> arguments = arguments(args);
    CrashDatabase database = CrashDatabase.fromArguments(arguments);
    int bookings = Integer.parseInt(arguments.getOrDefault("bookings", "6"));
    Duration lease = Duration.ofMillis(Long.parseLong(arguments.getOrDefault("leaseMillis", "250")));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    KillSwitch killSwitch = new KillSwitch(out);

    warmUp(database);
    HikariDataSource dataSource = null;
    JdbcAuditTrail trail = null;
    try {
      if (!database.isH2()) {
        dataSource = database.pool(4);
        trail = trail(dataSource, database, killSwitch);
      }
      out.println("WARM");
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (go == null || !go.startsWith("GO ")) {
        throw new IllegalStateException("expected GO but read " + go);
      }
      Map<String, String> turn = arguments(go.substring(3).split(" "));
      int run = Integer.parseInt(turn.get("run"));
      boolean last = Boolean.parseBoolean(turn.getOrDefault("final", "false"));
      if (!last) {
        killSwitch.arm(KillSwitch.Point.of(turn.get("kill").charAt(0)), Integer.parseInt(turn.get("at")));
      }
      if (dataSource == null) {
        dataSource = database.pool(4);
        trail = trail(dataSource, database, killSwitch);
      }

      DurableProvider provider = new DurableProvider(dataSource, database, "run-" + run);
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
          .withPaymentHooks(killSwitch.around(provider)).build();
      DeliveryWorker worker = DeliveryWorker.builder(engine)
          .withConsumer(CrashDatabase.CONSUMER, killSwitch.around(new SeenConsumer(dataSource, database)))
          .withLease(lease)
          // A child's own accepts claim their holds before its worker runs, so only holds of killed
          // children are older than this when a worker looks.
          .withHoldGrace(lease)
          .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
          .build();

      int delivered = drain(worker, killSwitch);
      out.println("RECOVERED " + delivered);
      if (last) {
        // Deliveries a killed child claimed are passed over until its lease runs out.
        for (int i = 0; i < 3; i++) {
          Thread.sleep(lease.toMillis() + 50);
          delivered += drain(worker, killSwitch);
        }
      } else {
        Scenario scenario = Scenario.request(engine, "k" + run, bookings,
            change -> killSwitch.reach(KillSwitch.Point.AFTER_PERFORM, change.entry().bookingId() + ":"
                + change.entry().sequence()));
        delivered += drain(worker, killSwitch);
        for (int round = 1; round <= Scenario.ROUNDS; round++) {
          scenario.round(round, change -> killSwitch.reach(KillSwitch.Point.AFTER_PERFORM,
              change.entry().bookingId() + ":" + change.entry().sequence()));
          delivered += drain(worker, killSwitch);
        }
      }
      out.println("DONE " + delivered);
    } finally {
      if (dataSource != null) {
        dataSource.close();
      }
    }
  }

  private static JdbcAuditTrail trail(HikariDataSource dataSource, CrashDatabase database, KillSwitch killSwitch) {
    return JdbcAuditTrail.builder(new CommitPoints(dataSource, killSwitch)).withTableName(database.auditTable())
        .build();
  }

  // Runs the engine, a worker and the scenario once on an in-memory trail, and opens a throwaway in-memory
  // H2 database for H2, so that their classes are loaded before the child's turn.
  private static void warmUp(CrashDatabase database) throws Exception {
    BookingEngine engine = BookingEngine.builder().withPaymentHooks(new CountingPayments().hooks()).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withConsumer("warm", change -> { }).build();
    Scenario scenario = Scenario.request(engine, "warm", 6, change -> { });
    for (int round = 1; round <= Scenario.ROUNDS; round++) {
      scenario.round(round, change -> { });
    }
    worker.drain();
    engine.getAvailableBookingActions("warm-0", Actor.system());
    if (database.isH2()) {
      try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:", "sa", "")) {
        connection.createStatement().execute("CREATE TABLE warm (id BIGINT PRIMARY KEY)");
      }
    }
  }

  // DeliveryWorker.drain(), sweep by sweep, so that the kill switch knows where each sweep starts.
  private static int drain(DeliveryWorker worker, KillSwitch killSwitch) {
    int delivered = 0;
    while (true) {
      killSwitch.newSweep();
      DeliveryWorker.Sweep sweep = worker.runOnce();
      delivered += sweep.delivered();
      if (sweep.isEmpty()) {
        return delivered;
      }
    }
  }

  public static Map<String, String> arguments(String[] args) {
    Map<String, String> arguments = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value but got " + arg);
      }
      arguments.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return arguments;
  }
}
