package com.gigsta.booking.examples;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.PaymentDeclinedException;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.testing.FakeProcessor;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * and then cancels a booking in an H2 database file, so that a capture (owed by the acceptance, which
 * charged the card) and a refund (owed by the cancellation) are stored with the changes, and is killed with
 * SIGKILL before any delivery worker runs. The demo then "restarts": a new trail, engine and worker over the
 * same file deliver the capture and the refund, each exactly once, with its change's idempotency key.
 *
 * <p>The payment provider is the demo's {@code FakeProcessor}, in the demo's own JVM, so that it outlives
 * the child as a real provider would: the child reaches it over a pipe (one line per call on its standard
 * output, one line of answer on its standard input), as a service reaches its provider over the network.
 */
public final class CrashAndRecovery {

  /** What the child prints once the cancellation is recorded: the parent kills it on this line. */
  static final String RECORDED = "CANCELLATION RECORDED";

  /** What starts a line in which the child calls the provider. */
  private static final String CALL = "PROVIDER-CALL";

  private static final String BOOKING_ID = "booking-9";
  private static final Money PRICE = Money.of(8_000, "EUR");
  private static final Actor ANNA = Actor.customer("anna");
  private static final Actor GREG = Actor.gigsta("greg");

  private CrashAndRecovery() {}

  /**
   * The child process: records a request, an acceptance (which has the provider authorize the price, over
   * the pipe) and a cancellation, prints {@link #RECORDED} and waits to be killed. It runs no delivery
   * worker.
   *
   * @param args the JDBC URL of the database file
   */
  public static void main(String[] args) throws Exception {
    JdbcDataSource dataSource = dataSource(args[0]);
    JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withCreateTableIfMissing(true).build();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
        .withPaymentHooks(new PipedProvider(System.out,
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))))
        .build();

    Booking booking = engine.requestBooking(BOOKING_ID, ANNA, GREG.id(), null, PRICE).booking();
    booking = engine.perform(booking, GREG, "accept_booking").booking();
    System.out.printf("%s accepted %s: %s authorized; the capture it owes is stored with the change%n", GREG,
        BOOKING_ID, PRICE);
    BookingChange cancelled = engine.perform(booking, ANNA, "cancel_booking", "Found a date closer to home");
    System.out.printf("%s cancelled it: version %d, %s; the refund of %s it owes is stored with the change%n", ANNA,
        cancelled.booking().version(), cancelled.booking().state(), cancelled.entry().amount());
    System.out.printf("%s; no delivery worker has run in this process%n", RECORDED);
    System.out.flush();
    // The parent kills this process now. Should it not, leave by ourselves rather than linger.
    Thread.sleep(Duration.ofSeconds(60).toMillis());
    System.exit(1);
  }

  /**
   * The parent's side: starts the child, answers its calls to the provider, kills it on its
   * {@link #RECORDED} line, restarts over the same database file and runs a delivery worker twice.
   *
   * @param provider the demo's payment provider, which the child calls too
   */
  static void run(FakeProcessor provider) throws Exception {
    Path directory = Files.createTempDirectory("gigsta-crash-demo-");
    try {
      // WRITE_DELAY=0: H2 writes every commit to the file before the commit returns, as PostgreSQL does, so
      // a process killed right after a commit loses nothing it committed.
      String url = "jdbc:h2:file:" + directory.resolve("bookings") + ";WRITE_DELAY=0";
      System.out.printf("An H2 database file in %s; the payment provider lives in this JVM, and outlives the "
          + "child%n", directory);

      long pid = crashChild(url, provider);
      restart(url, provider, pid);
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static long crashChild(String url, FakeProcessor provider) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashAndRecovery.class.getName(), url)
        .redirectErrorStream(true);
    Process child = builder.start();
    System.out.printf("%nStarted a child JVM (pid %d): it requests %s at %s, Greg accepts, Anna cancels%n",
        child.pid(), BOOKING_ID, PRICE);
    PaymentHooks hooks = new PrintingProvider(provider.hooks(), " for child " + child.pid());
    boolean recorded = false;
    try (BufferedReader output = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer answers = child.outputWriter(StandardCharsets.UTF_8)) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        if (line.startsWith(CALL + "\t")) {
          answers.write(answer(hooks, line) + "\n");
          answers.flush();
          continue;
        }
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
    System.out.printf("Killed it with SIGKILL (exit %d): no shutdown hook, no worker; neither the capture nor the "
        + "refund was made%n", child.exitValue());
    System.out.printf("  %s%n", LifecycleDemo.ledgerLine(provider.ledger(BOOKING_ID)));
    return child.pid();
  }

  private static void restart(String url, FakeProcessor provider, long pid) throws Exception {
    System.out.printf("%nRestart: a new trail, engine and delivery worker over the same database file%n");
    JdbcDataSource dataSource = dataSource(url);
    try {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).build();
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
          .withPaymentHooks(new PrintingProvider(provider.hooks())).build();
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

      List<PaymentRequest> calls = provider.effectiveCalls().stream().map(FakeProcessor.Call::request)
          .filter(request -> request.bookingId().equals(BOOKING_ID)).toList();
      System.out.printf("The provider's calls for %s (SECURE from the killed child %d, the others from the restarted "
          + "worker):%n", BOOKING_ID, pid);
      for (PaymentRequest call : calls) {
        System.out.printf("  %-7s %s%n", call.moment(), call.idempotencyKey());
      }
      String captureKey = BOOKING_ID + ":2:accept_booking:capture:1";
      String refundKey = BOOKING_ID + ":3:cancel_booking:refund:1";
      List<String> keys = calls.stream().map(PaymentRequest::idempotencyKey).toList();
      if (!keys.equals(List.of(BOOKING_ID + ":2:accept_booking:secure:1", captureKey, refundKey))
          || !second.isEmpty()) {
        throw new IllegalStateException("expected the child's secure, then one capture with key " + captureKey
            + " and one refund with key " + refundKey + ", and nothing on the second run, but the provider took "
            + keys + " and the second run " + second);
      }
      System.out.printf("Capture calls: 1, with the acceptance's key; refund calls: 1, with the cancellation's key; "
          + "nothing was lost, nothing was paid twice%n  %s%n", LifecycleDemo.ledgerLine(provider.ledger(BOOKING_ID)));
    } finally {
      // Close the database so that its files can be deleted.
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException e) {
        System.out.printf("could not shut the demo database down: %s%n", e.getMessage());
      }
    }
  }

  /** Makes the call a child's line describes and returns the line of answer the child waits for. */
  private static String answer(PaymentHooks hooks, String line) {
    PaymentRequest request = PipedProvider.decode(line);
    try {
      switch (request.moment()) {
        case SECURE -> hooks.secure(request);
        case CAPTURE -> hooks.capture(request);
        case RELEASE -> hooks.release(request);
        case REFUND -> hooks.refund(request);
        case PAYOUT -> hooks.payout(request);
        default -> throw new IllegalArgumentException("no call is made for " + request.moment());
      }
      return "OK";
    } catch (PaymentDeclinedException e) {
      return "DECLINED\t" + oneLine(e.getMessage());
    } catch (RuntimeException e) {
      return "FAILED\t" + oneLine(e.getMessage());
    }
  }

  private static String oneLine(String text) {
    return String.valueOf(text).replace('\n', ' ').replace('\t', ' ');
  }

  private static JdbcDataSource dataSource(String url) {
    JdbcDataSource dataSource = new JdbcDataSource();
    // Kept open between connections; the child's is closed by its death, the parent's by SHUTDOWN.
    dataSource.setURL(url + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  /**
   * The child's payment hooks: each call is one line on the child's standard output, answered by the parent
   * with one line on its standard input: {@code OK}, {@code DECLINED<tab>why} (thrown as
   * {@link PaymentDeclinedException}) or {@code FAILED<tab>why} (an unknown outcome). Thread-safe: one call
   * at a time.
   */
  private static final class PipedProvider implements PaymentHooks {
    private final PrintStream out;
    private final BufferedReader in;

    PipedProvider(PrintStream out, BufferedReader in) {
      this.out = out;
      this.in = in;
    }

    @Override
    public void secure(PaymentRequest request) {
      call(request);
    }

    @Override
    public void release(PaymentRequest request) {
      call(request);
    }

    @Override
    public void refund(PaymentRequest request) {
      call(request);
    }

    @Override
    public void capture(PaymentRequest request) {
      call(request);
    }

    @Override
    public void payout(PaymentRequest request) {
      call(request);
    }

    private synchronized void call(PaymentRequest request) {
      Money amount = request.amount();
      out.println(String.join("\t", CALL, request.moment().name(), request.bookingId(), request.customerId(),
          request.gigstaId(), request.actionName(), Long.toString(request.sequence()),
          Integer.toString(request.attempt()), amount == null ? "-" : Long.toString(amount.amountMinor()),
          amount == null ? "-" : amount.currencyCode()));
      out.flush();
      String answer;
      try {
        answer = in.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("the provider did not answer " + request.idempotencyKey(), e);
      }
      if (answer == null) {
        throw new IllegalStateException("the provider hung up before answering " + request.idempotencyKey());
      }
      if (answer.startsWith("DECLINED\t")) {
        throw new PaymentDeclinedException(answer.substring("DECLINED\t".length()));
      }
      if (!answer.equals("OK")) {
        throw new IllegalStateException("the provider answered " + request.idempotencyKey() + " with " + answer);
      }
    }

    /** Reads back the request a line of {@link #call} describes; its key is derived as the child's was. */
    static PaymentRequest decode(String line) {
      String[] parts = line.split("\t", -1);
      Money amount = parts[8].equals("-") ? null : Money.of(Long.parseLong(parts[8]), parts[9]);
      return PaymentRequest.of(PaymentMoment.valueOf(parts[1]), parts[2], parts[3], parts[4], parts[5],
          Long.parseLong(parts[6]), Integer.parseInt(parts[7]), amount);
    }
  }
}
