package com.gigsta.booking.jdbc;

import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A child process of the cross-process race tests: loads the bookings once, says READY, waits for GO
 * on its standard input and then for a common start time, then performs conflicting actions on those snapshots from several threads and prints one
 * {@code OUTCOME} line per attempt.
 *
 * <p>Arguments: JDBC URL, user, password, table, worker number, threads, start time (epoch millis),
 * round, then the booking ids.
 */
public final class RaceWorker {

  private RaceWorker() {}

  /** Runs one worker; see the class description for the arguments. */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2].equals("-") ? "" : args[2];
    String table = args[3];
    int worker = Integer.parseInt(args[4]);
    int threads = Integer.parseInt(args[5]);
    long startAt = Long.parseLong(args[6]);
    int round = Integer.parseInt(args[7]);
    List<String> bookingIds = List.of(args).subList(8, args.length);

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(threads + 1);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(table).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
      List<Booking> snapshots = new ArrayList<>();
      for (String id : bookingIds) {
        snapshots.add(engine.load(id));
      }
      // Every worker holds its snapshots before any of them acts, so each booking is contested by all.
      out.println("READY");
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (!"GO".equals(go)) {
        throw new IllegalStateException("expected GO but read " + go);
      }
      long wait = startAt - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<Race.Outcome>>> slices = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int slice = t;
        slices.add(pool.submit(() -> {
          List<Race.Outcome> outcomes = new ArrayList<>();
          for (int i = slice; i < snapshots.size(); i += threads) {
            Booking snapshot = snapshots.get(i);
            if (Race.attemptFor(snapshot, 0) != null) {
              outcomes.add(Race.contend(engine, snapshot, round, worker + i));
            }
          }
          return outcomes;
        }));
      }
      for (Future<List<Race.Outcome>> slice : slices) {
        for (Race.Outcome outcome : slice.get()) {
          out.println(outcome.line());
        }
      }
      pool.shutdown();
    }
    out.println("DONE");
  }
}
