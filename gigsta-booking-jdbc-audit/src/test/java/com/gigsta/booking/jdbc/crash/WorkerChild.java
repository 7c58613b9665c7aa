package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.ChangeConsumer;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process of the worker test: one {@link DeliveryWorker} over the run's trail, drained by
 * several threads at once. It prints {@code READY}, waits for {@code GO <epoch millis>} on its standard
 * input and for that time, lets each thread run {@link DeliveryWorker#drain()}, then prints one
 * {@code THREAD} line per thread, one {@code CALLS} line and {@code DONE}.
 *
 * <p>Arguments are {@code key=value}: {@code url}, {@code user}, {@code password}, {@code prefix},
 * {@code jvm}, {@code threads}, {@code leaseMillis} and {@code batch}.
 */
public final class WorkerChild {

  private WorkerChild() {}

  /** Runs one worker process; see the class description. */
  public static void main(String[] args) throws Exception {
    Map<String, String> arguments = CrashChild.arguments(args);
    CrashDatabase database = CrashDatabase.fromArguments(arguments);
    String jvm = arguments.get("jvm");
    int threads = Integer.parseInt(arguments.getOrDefault("threads", "2"));
    Duration lease = Duration.ofMillis(Long.parseLong(arguments.getOrDefault("leaseMillis", "30000")));
    int batch = Integer.parseInt(arguments.getOrDefault("batch", "10"));

    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    AtomicInteger settlementCalls = new AtomicInteger();
    AtomicInteger consumerCalls = new AtomicInteger();
    try (HikariDataSource dataSource = database.pool(2 * threads + 2)) {
      JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withTableName(database.auditTable()).build();
      PaymentHooks provider = counting(new DurableProvider(dataSource, database, "jvm-" + jvm), settlementCalls);
      BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(provider).build();
      ChangeConsumer seen = new SeenConsumer(dataSource, database);
      DeliveryWorker worker = DeliveryWorker.builder(engine)
          .withConsumer(CrashDatabase.CONSUMER, change -> {
            consumerCalls.incrementAndGet();
            seen.deliver(change);
          })
          .withLease(lease)
          .withBatchSize(batch)
          .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
          .build();

      out.println("READY");
      String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (go == null || !go.startsWith("GO ")) {
        throw new IllegalStateException("expected GO but read " + go);
      }
      long wait = Long.parseLong(go.substring(3)) - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<DeliveryWorker.Sweep>> drains = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        drains.add(pool.submit(worker::drain));
      }
      for (int t = 0; t < threads; t++) {
        DeliveryWorker.Sweep sweep = drains.get(t).get();
        out.println("THREAD " + jvm + " " + t + " " + sweep.delivered() + " " + sweep.retried() + " "
            + sweep.deadLettered());
      }
      pool.shutdown();
      out.println("CALLS " + jvm + " " + settlementCalls.get() + " " + consumerCalls.get());
    }
    out.println("DONE");
  }

  // Counts the settlement calls the worker makes; securing is the parent's.
  private static PaymentHooks counting(PaymentHooks provider, AtomicInteger calls) {
    return new PaymentHooks() {
      @Override
      public void secure(PaymentRequest request) {
        provider.secure(request);
      }

      @Override
      public void release(PaymentRequest request) {
        calls.incrementAndGet();
        provider.release(request);
      }

      @Override
      public void refund(PaymentRequest request) {
        calls.incrementAndGet();
        provider.refund(request);
      }

      @Override
      public void capture(PaymentRequest request) {
        calls.incrementAndGet();
        provider.capture(request);
      }

      @Override
      public void payout(PaymentRequest request) {
        calls.incrementAndGet();
        provider.payout(request);
      }
    };
  }
}
