package com.gigsta.booking.benchmarks;

import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingObserver;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.spring.observation.MicrometerBookingObserver;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What the Spring Boot starter's observation costs: the perform group's change (by booking id and expected
 * version on the database, the read of the booking included) with the engine's observer off, and with the
 * starter's {@link MicrometerBookingObserver} on, making an observation of each change and of its append,
 * which Micrometer's {@link DefaultMeterObservationHandler} turns into timers in a
 * {@link SimpleMeterRegistry}: what an application with Actuator and no tracing gets. Each invocation takes
 * one requested booking through accept, start and complete, three changes; the score is per change. The
 * bookings are bulk-loaded as in the perform group.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ObservationBenchmark {

  private static final String PREFIX = "observed-";
  private static final WorkflowRule[] STEPS = steps();

  /** The database: {@code postgresql}, {@code mariadb} or {@code h2}. */
  @Param({"postgresql"})
  public String db;

  private Database database;
  private HikariDataSource pool;
  private BookingEngine engine;
  private long loaded;
  private final AtomicLong taken = new AtomicLong();

  /** Creates the pool and the tables afresh, and an engine observed or not, as the method measured. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    database = Database.named(db);
    pool = database.pool(params.getThreads());
    BookingObserver observer = BookingObserver.NONE;
    if (params.getBenchmark().endsWith(".observed")) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      ObservationRegistry observations = ObservationRegistry.create();
      observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
      observer = new MicrometerBookingObserver(observations, meters, Clock.systemUTC());
    }
    engine = BookingEngine.builder().withAuditTrail(database.resetTables(pool)).withObserver(observer).build();
    loaded = 0;
    taken.set(0);
  }

  /** Loads more requested bookings when those left might not last the coming iteration; as the perform group. */
  @Setup(Level.Iteration)
  public void loadBookings(IterationParams iteration) {
    long changesPerSecond = database == Database.H2 ? 400_000 : 20_000;
    long needed = changesPerSecond * iteration.getTime().convertTo(TimeUnit.MILLISECONDS) / 1000 / STEPS.length + 1;
    if (loaded - taken.get() < needed) {
      database.loadRequested(pool, Database.AUDIT_TABLE, PREFIX, loaded, needed);
      loaded += needed;
    }
  }

  /** Closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /** Three changes of a requested booking through an engine without an observer. */
  @Benchmark
  @OperationsPerInvocation(3)
  public Booking unobserved() {
    return performSteps();
  }

  /** The same three changes through an engine observed by the starter's observer. */
  @Benchmark
  @OperationsPerInvocation(3)
  public Booking observed() {
    return performSteps();
  }

  private Booking performSteps() {
    long n = taken.getAndIncrement();
    if (n >= loaded) {
      throw new IllegalStateException("all " + loaded + " loaded bookings are taken; the rate assumed in"
          + " loadBookings is too low");
    }
    String bookingId = PREFIX + n;
    Booking booking = null;
    for (int i = 0; i < STEPS.length; i++) {
      booking = engine.perform(bookingId, i + 1, GigstaMachine.GIGSTA, STEPS[i].actionName(), null).booking();
    }
    return booking;
  }

  // The happy path's changes after the request, as the workflow's rules state them for the GigSta.
  private static WorkflowRule[] steps() {
    List<WorkflowRule> path = GigstaMachine.path(GigstaMachine.HAPPY_PATH);
    return path.subList(1, path.size()).toArray(new WorkflowRule[0]);
  }
}
