package com.gigsta.booking.examples;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The lifecycle demo's crash scene. A child JVM, started from this class's {@link #main(String[])}, accepts
 * and then cancels a booking in an H2 database file, so that a refund is owed, and is killed with SIGKILL
 * before any delivery worker runs. The demo then "restarts": a new trail, engine and worker over the same
 * file deliver the refund, exactly once, with the change's idempotency key.
 *
 * <p>The payment provider is a log file beside the database that both processes append their calls to,
 * so it outlives them both, as a real provider would.
 */
public final class CrashAndRecovery {

  /** What the child prints once the cancellation is recorded: the parent kills it on this line. */
  static final String RECORDED = "CANCELLATION RECORDED";

  private static final String BOOKING_ID = "booking-9";
  private static final Actor ANNA = Actor.customer("anna");
  private static final Actor GREG = Actor.gigsta("greg");

  private CrashAndRecovery() {}

  /**
   * The child process: records a request, an acceptance and a cancellation, prints {@link #RECORDED} and
   * waits to be killed. It runs no delivery worker.
   *
   * @param args the JDBC URL of the database file and the path of the provider's log
   */
  public static void main(String[] args) throws Exception {
    JdbcDataSource dataSource = dataSource(args[0]);
    JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withCreateTableIfMissing(true).build();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
        .withPaymentHooks(new LoggedProvider(Path.of(args[1]))).build();

    Booking booking = engine.requestBooking(BOOKING_ID, ANNA, GREG.id(), null).booking();
    booking = engine.perform(booking, GREG, "accept_booking").booking();
    System.out.printf("%s accepted %s, its payment secured%n", GREG, BOOKING_ID);
    BookingChange cancelled = engine.perform(booking, ANNA, "cancel_booking", "Found a date closer to home");
    System.out.printf("%s cancelled it: version %d, %s; the refund it owes is stored with the change%n", ANNA,
        cancelled.booking().version(), cancelled.booking().state());
    System.out.printf("%s; no delivery worker has run in this process%n", RECORDED);
    System.out.flush();
    // The parent kills this process now. Should it not, leave by ourselves rather than linger.
    Thread.sleep(Duration.ofSeconds(60).toMillis());
    System.exit(1);
  }

  /**
   * The parent's side: starts the child, kills it on its {@link #RECORDED} line, restarts over the same
   * database file and runs a delivery worker twice.
   */
  static void run() throws Exception {
    Path directory = Files.createTempDirectory("gigsta-crash-demo-");
    try {
      // WRITE_DELAY=0: H2 writes every commit to the file before the commit returns, as PostgreSQL does, so
      // a process killed right after a commit loses nothing it committed.
      String url = "jdbc:h2:file:" + directory.resolve("bookings") + ";WRITE_DELAY=0";
      Path providerLog = directory.resolve("provider.log");
      Files.createFile(providerLog);
      System.out.printf("An H2 database file in %s, and a payment provider that logs every call to a file%n",
          directory);

      long pid = crashChild(url, providerLog);
      restart(url, providerLog, pid);
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static long crashChild(String url, Path providerLog) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashAndRecovery.class.getName(), url,
        providerLog.toString())
        .redirectErrorStream(true);
    Process child = builder.start();
    System.out.printf("%nStarted a child JVM (pid %d): it requests %s, Greg accepts, Anna cancels%n", child.pid(),
        BOOKING_ID);
    boolean recorded = false;
    try (BufferedReader output = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        System.out.printf("  [child %d] %s%n", child.pid(), line);
        if (line.startsWith(RECORDED)) {
          recorded = true;
          child.destroyForcibly();
          break;
        }
      }
    } finally {
      child.destroyForcibly();
    }
    if (!child.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the child JVM " + child.pid() + " did not die");
    }
    if (!recorded) {
      throw new IllegalStateException("the child JVM ended (exit " + child.exitValue() + ") before recording the "
          + "cancellation; see its output above");
    }
    System.out.printf("Killed it with SIGKILL (exit %d): no shutdown hook, no worker, the refund not made%n",
        child.exitValue());
    System.out.printf("Provider log now:%n");
    printLog(providerLog);
    return child.pid();
  }

  private static void restart(String url, Path providerLog, long pid) throws Exception {
    System.out.printf("%nRestart: a new trail, engine and delivery worker over the same database file%n");
    JdbcDataSource dataSource = dataSource(url);
    try {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
          .withPaymentHooks(new LoggedProvider(providerLog)).build();
      Booking booking = engine.load(BOOKING_ID);
      System.out.printf("  %s is %s (version %d), as the killed process left it%n", BOOKING_ID, booking.state(),
          booking.version());
      DeliveryWorker worker = DeliveryWorker.builder(engine).build();

      DeliveryWorker.Sweep first = worker.drain();
      System.out.printf("  worker run 1: delivered %d, to retry %d, dead letters %d%n", first.delivered(),
          first.retried(), first.deadLettered());
      DeliveryWorker.Sweep second = worker.drain();
      System.out.printf("  worker run 2: delivered %d%s%n", second.delivered(),
          second.isEmpty() ? ": nothing was owed any more" : "");

      List<String> calls = Files.readAllLines(providerLog, StandardCharsets.UTF_8);
      System.out.printf("Provider log after the restart (SECURE from the killed child %d, REFUND from the restarted "
          + "worker):%n", pid);
      printLog(providerLog);
      String refundKey = BOOKING_ID + ":3:cancel_booking:refund";
      long refunds = calls.stream().filter(call -> call.startsWith("REFUND")).count();
      if (refunds != 1 || !calls.get(calls.size() - 1).endsWith(refundKey) || !second.isEmpty()) {
        throw new IllegalStateException("expected exactly one refund call, with key " + refundKey
            + ", and nothing on the second run, but the provider saw " + calls + " and the second run " + second);
      }
      System.out.printf("Refund calls: 1, with the cancellation's idempotency key; nothing was lost, nothing was "
          + "paid twice%n");
    } finally {
      // Close the database so that its files can be deleted.
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException e) {
        System.out.printf("could not shut the demo database down: %s%n", e.getMessage());
      }
    }
  }

  private static JdbcDataSource dataSource(String url) {
    JdbcDataSource dataSource = new JdbcDataSource();
    // Kept open between connections; the child's is closed by its death, the parent's by SHUTDOWN.
    dataSource.setURL(url + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  private static void printLog(Path log) throws IOException {
    List<String> calls = Files.readAllLines(log, StandardCharsets.UTF_8);
    if (calls.isEmpty()) {
      System.out.printf("  (no calls)%n");
    }
    for (String call : calls) {
      System.out.printf("  %s%n", call);
    }
  }

  /** A payment provider that accepts every call and appends it to a log file, which outlives the process. */
  private record LoggedProvider(Path log) implements PaymentHooks {

    @Override
    public void secure(PaymentRequest request) {
      append(request);
    }

    @Override
    public void release(PaymentRequest request) {
      append(request);
    }

    @Override
    public void refund(PaymentRequest request) {
      append(request);
    }

    @Override
    public void capture(PaymentRequest request) {
      append(request);
    }

    private void append(PaymentRequest request) {
      try {
        Files.writeString(log, String.format("%-7s %s%n", request.moment(), request.idempotencyKey()),
            StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
