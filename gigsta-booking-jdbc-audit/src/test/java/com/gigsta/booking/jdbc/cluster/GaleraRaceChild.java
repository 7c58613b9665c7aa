package com.gigsta.booking.jdbc.cluster;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.jdbc.crash.CrashDatabase;
import com.gigsta.booking.jdbc.crash.DurableProvider;
import com.gigsta.booking.jdbc.crash.SeenConsumer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child process of the Galera race: a service instance writing to one node (failing over to the others
 * in order), with the durable provider and consumer of the crash tests and a delivery worker that sweeps
 * timers and settles all along. For {@code LOAD <round>} it loads every booking and prints
 * {@code LOADED <round> <open bookings>}; for {@code GO <round> <epoch millis>} it waits for that time,
 * performs conflicting actions on the snapshots from several threads, prints one {@code OUTCOME} line per
 * attempt and {@code DONE <round>}. Every expiry its worker records is printed as {@code FIRED}. On end of
 * input it stops and prints {@code EXIT}. JVM 0's pool is in auto-commit mode, JVM 1's is not.
 *
 * <p>Arguments: JDBC URL, user, password ({@code -} for none), prefix, JVM number, threads, bookings.
 */
public final class GaleraRaceChild {

  private static final ThreadLocal<Boolean> CONTENDING = ThreadLocal.withInitial(() -> false);

  private GaleraRaceChild() {}

  /** Runs one instance; see the class description. */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2].equals("-") ? "" : args[2];
    CrashDatabase database = new CrashDatabase(url, user, password, args[3]);
    int jvm = Integer.parseInt(args[4]);
    int threads = Integer.parseInt(args[5]);
    int bookings = Integer.parseInt(args[6]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(2 * threads + 4);
    // The first instance's pool hands out connections in auto-commit mode, the second's without: the README
    // supports both.
    config.setAutoCommit(jvm == 0);
    config.setConnectionTimeout(30_000);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
          .withPaymentHooks(new DurableProvider(dataSource, database, "jvm-" + jvm))
          .onChange(change -> {
            AuditEntry entry = change.entry();
            if (!CONTENDING.get() && entry.actionName().equals(GigstaWorkflow.EXPIRE_BOOKING)) {
              out.println("FIRED " + entry.bookingId() + " " + entry.sequence() + " " + entry.occurredAtIso());
            }
          })
          .build();
      DeliveryWorker worker = DeliveryWorker.builder(engine)
          .withConsumer(CrashDatabase.CONSUMER, new SeenConsumer(dataSource, database))
          .withLease(Duration.ofSeconds(5))
          .withBatchSize(20)
          .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
          .build();
      AtomicBoolean stop = new AtomicBoolean();
      Thread sweeper = new Thread(() -> {
        while (!stop.get()) {
          try {
            worker.drain();
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // A node went away under the worker: the next sweep runs on the node failed over to.
            System.err.println("sweep failed: " + e);
          }
        }
      }, "sweeper");
      sweeper.start();

      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Booking> snapshots = new ArrayList<>();
      out.println("READY");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] p = line.split(" ");
        int round = Integer.parseInt(p[1]);
        if (p[0].equals("LOAD")) {
          snapshots = load(engine, pool, threads, bookings);
          out.println("LOADED " + round + " " + snapshots.size());
        } else if (p[0].equals("GO")) {
          long wait = Long.parseLong(p[2]) - System.currentTimeMillis();
          if (wait > 0) {
            Thread.sleep(wait);
          }
          List<Booking> open = snapshots;
          List<Future<List<String>>> slices = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            int slice = t;
            slices.add(pool.submit(() -> {
              List<String> outcomes = new ArrayList<>();
              for (int i = slice; i < open.size(); i += threads) {
                outcomes.add(contend(engine, open.get(i), round, jvm + i, jvm));
              }
              return outcomes;
            }));
          }
          for (Future<List<String>> slice : slices) {
            for (String outcome : slice.get()) {
              out.println(outcome);
            }
          }
          out.println("DONE " + round);
        }
      }
      stop.set(true);
      sweeper.interrupt();
      sweeper.join();
      pool.shutdown();
    }
    out.println("EXIT");
  }

  private static List<Booking> load(BookingEngine engine, ExecutorService pool, int threads, int bookings)
      throws Exception {
    List<Future<List<Booking>>> slices = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int slice = t;
      slices.add(pool.submit(() -> {
        List<Booking> found = new ArrayList<>();
        for (int i = slice; i < bookings; i += threads) {
          for (int attempt = 1; ; attempt++) {
            try {
              Booking booking = engine.load("g-" + i);
              if (attempt(booking, 0) != null) {
                found.add(booking);
              }
              break;
            } catch (RuntimeException e) {
              if (attempt == 5) {
                throw e;
              }
            }
          }
        }
        return found;
      }));
    }
    List<Booking> all = new ArrayList<>();
    for (Future<List<Booking>> slice : slices) {
      all.addAll(slice.get());
    }
    Collections.shuffle(all);
    return all;
  }

  private record Attempt(Actor actor, String action) {}

  // The k-th of the conflicting actions the workflow allows from the snapshot's state, as the other race
  // tests choose them.
  private static Attempt attempt(Booking booking, int k) {
    List<Attempt> choices;
    if (booking.state().equals(BookingState.REQUESTED)) {
      choices = List.of(new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.ACCEPT_BOOKING),
          new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.DECLINE_BOOKING),
          new Attempt(Actor.customer(booking.customerId()), GigstaWorkflow.CANCEL_BOOKING),
          new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.ACCEPT_BOOKING));
    } else if (booking.state().equals(BookingState.ACCEPTED)) {
      choices = List.of(new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.MARK_IN_PROGRESS),
          new Attempt(Actor.customer(booking.customerId()), GigstaWorkflow.CANCEL_BOOKING),
          new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.CANCEL_BOOKING));
    } else {
      return null;
    }
    return choices.get(Math.floorMod(k, choices.size()));
  }

  // OUTCOME <jvm> <booking> <round> <won> <sequence> <action> <occurred at> <failure>
  private static String contend(BookingEngine engine, Booking snapshot, int round, int k, int jvm) {
    Attempt attempt = attempt(snapshot, k);
    String head = "OUTCOME " + jvm + " " + snapshot.id() + " " + round + " ";
    CONTENDING.set(true);
    try {
      BookingChange change = engine.perform(snapshot, attempt.actor(), attempt.action());
      AuditEntry entry = change.entry();
      return head + "true " + entry.sequence() + " " + entry.actionName() + " " + entry.occurredAtIso() + " -";
    } catch (BookingChangedConcurrentlyException e) {
      return head + "false " + (snapshot.version() + 1) + " " + attempt.action() + " - "
          + e.getClass().getSimpleName();
    } catch (RuntimeException e) {
      System.err.println(snapshot.id() + " round " + round + ": " + e);
      return head + "false " + (snapshot.version() + 1) + " " + attempt.action() + " - "
          + e.getClass().getSimpleName();
    } finally {
      CONTENDING.set(false);
    }
  }
}
