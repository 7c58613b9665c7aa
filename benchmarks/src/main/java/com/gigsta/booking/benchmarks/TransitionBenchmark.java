package com.gigsta.booking.benchmarks;

import com.github.oxo42.stateless4j.StateMachineConfig;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Role;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.statefulj.fsm.FSM;
import org.statefulj.fsm.TooBusyException;
import org.statefulj.fsm.model.Action;
import org.statefulj.fsm.model.StateActionPair;
import org.statefulj.fsm.model.impl.StateActionPairImpl;
import org.statefulj.fsm.model.impl.StateImpl;
import org.statefulj.persistence.memory.MemoryPersisterImpl;

/**
 * One transition in memory. Each invocation takes a new booking through the whole happy path, four
 * transitions (request, accept, start, complete), and the score is per transition.
 *
 * <p>Ours is the full {@link BookingEngine#perform} (and {@code requestBooking} for the creation):
 * argument checks, the rule lookup, the audit entry, the StatefulJ machine, the append to an
 * {@link InMemoryAuditTrail} and the resulting snapshot. The in-memory trail keeps every entry, so the
 * engine and its trail are replaced every {@value #BOOKINGS_PER_TRAIL} bookings to keep the heap from
 * growing through the run; that costs about one engine build per {@value #BOOKINGS_PER_TRAIL} invocations.
 *
 * <p>The peers run the same table: raw StatefulJ {@code FSM.onEvent} with its reflective
 * {@link MemoryPersisterImpl} on an entity with a state field, and stateless4j {@code fire} on a machine
 * whose state lives in the same kind of entity, with one guard per rule checking the role. Neither
 * records anything, so neither is what ours is judged against. The {@link #floor()} is: raw StatefulJ
 * plus, per transition, one clock read and a five-field entry stored in a thread-safe map, with nothing
 * checked, the least any library on StatefulJ that records its changes must do. A diagnostic measures
 * raw StatefulJ with the clock read alone.
 *
 * <p>{@link #oursOnMillionBookingTrail} is ours again with {@value #LARGE_TRAIL_BOOKINGS} bookings
 * already in the in-memory trail ({@link LargeTrail}); the runner measures it in a run of its own, with
 * short iterations, and compares it with {@link #ours()}, whose trail never holds more than
 * {@value #BOOKINGS_PER_TRAIL}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransitionBenchmark {

  static final int BOOKINGS_PER_TRAIL = 8192;
  static final int LARGE_TRAIL_BOOKINGS = 1_000_000;
  private static final String NOT_CREATED = "[*]";
  private static final String[] CYCLE = {GigstaWorkflow.REQUEST_BOOKING, GigstaWorkflow.ACCEPT_BOOKING,
      GigstaWorkflow.MARK_IN_PROGRESS, GigstaWorkflow.MARK_COMPLETED};

  /** A booking as the peers keep it: an id, its parties and a state field. */
  public static final class Entity {
    final String id;
    Role actingRole;
    @org.statefulj.persistence.annotations.State
    String state;

    Entity(String id) {
      this.id = id;
    }
  }

  private static final Clock SYSTEM_CLOCK = Clock.systemUTC();
  private static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final String[] ids = new String[BOOKINGS_PER_TRAIL];
  private int created = BOOKINGS_PER_TRAIL;
  private BookingEngine engine;
  private BookingEngine fixedClockEngine;

  private FSM<Entity> statefulj;
  private ConcurrentHashMap<String, FloorEntry[]> floorTrail = new ConcurrentHashMap<>();
  private StateMachineConfig<String, String> stateless4jConfig;
  private Entity firing;

  /** Builds every machine and checks each one ends the cycle in COMPLETED. */
  @Setup(Level.Trial)
  public void setUp() throws TooBusyException {
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "booking-" + i;
    }
    fixedClockEngine = BookingEngine.builder().withClock(FIXED_CLOCK).build();
    expectCompleted("ours with a fixed clock", happyPath(fixedClockEngine, "setup-check").state().name());
    statefulj = statefulj();
    stateless4jConfig = stateless4jConfig();
    expectCompleted("ours", ours().state().name());
    expectCompleted("statefulj", statefuljOnEvent().state);
    expectCompleted("stateless4j", stateless4jFire().state);
  }

  /** Ours: requestBooking, then perform three times, each recorded in the in-memory trail. */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking ours() {
    if (poolWraps()) {
      engine = BookingEngine.builder().withAuditTrail(new InMemoryAuditTrail()).build();
    }
    return happyPath(engine, nextId());
  }

  /**
   * Ours as {@link #ours()}, on an in-memory trail that held {@value #LARGE_TRAIL_BOOKINGS} bookings when
   * the iteration began and keeps every booking this adds.
   */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking oursOnMillionBookingTrail(LargeTrail trail) {
    return happyPath(trail.engine, trail.nextId());
  }

  /**
   * An in-memory trail with {@value #LARGE_TRAIL_BOOKINGS} requested bookings in it, and an engine on it.
   * Not thread-safe; one per benchmark thread.
   *
   * <p>An in-memory trail only grows, and ours adds hundreds of thousands of bookings a second, so a
   * trail filled once per trial would hold millions more by the end of it and outgrow the heap. The
   * bookings' entries are therefore made once per trial, through an engine, and every iteration starts on
   * a new trail with exactly those entries appended again; the old trail is collected before the
   * iteration starts, so its collection is not measured. The runner's iterations of this benchmark are
   * short (0.3 s), so a trail holds between 1.0 and about 1.4 million bookings while it is measured.
   *
   * <p>The refill's time is not measured, but JMH's {@code gc} profiler counts what it allocates (about
   * 155 MB) as the iteration's, which adds about 100 bytes to each of the iteration's 1–2 million
   * operations: this benchmark's bytes per operation are not comparable with ours' on the small trail.
   */
  @State(Scope.Thread)
  public static class LargeTrail {

    // Ours takes well over 200 ns per four transitions; sizing the new bookings' ids by that bound leaves
    // a margin of several times, and the cap keeps the ids within the heap if the iterations are longer.
    private static final long MIN_NANOS_PER_INVOCATION = 200;
    private static final int MAX_NEW_BOOKINGS = 4_000_000;

    private AuditEntry[] loaded;
    private String[] newIds;
    private int created;
    BookingEngine engine;

    /** Requests the bookings through an engine and keeps their entries; makes the new bookings' ids. */
    @Setup(Level.Trial)
    public void requestBookings(BenchmarkParams params) {
      BookingEngine requesting = BookingEngine.builder().withAuditTrail(new InMemoryAuditTrail()).build();
      loaded = new AuditEntry[LARGE_TRAIL_BOOKINGS];
      for (int i = 0; i < loaded.length; i++) {
        loaded[i] = requesting.requestBooking("loaded-" + i, GigstaMachine.CUSTOMER, GigstaMachine.GIGSTA_ID, null)
            .entry();
      }
      long longest = Math.max(params.getWarmup().getTime().convertTo(TimeUnit.NANOSECONDS),
          params.getMeasurement().getTime().convertTo(TimeUnit.NANOSECONDS));
      newIds = new String[(int) Math.min(MAX_NEW_BOOKINGS, longest / MIN_NANOS_PER_INVOCATION + 1)];
      for (int i = 0; i < newIds.length; i++) {
        newIds[i] = "booking-" + i;
      }
    }

    /** Drops the last iteration's trail and engine, and fills a new trail with the requested bookings. */
    @Setup(Level.Iteration)
    public void fillTrail() {
      engine = null;
      InMemoryAuditTrail trail = new InMemoryAuditTrail();
      for (AuditEntry entry : loaded) {
        trail.append(entry);
      }
      engine = BookingEngine.builder().withAuditTrail(trail).build();
      created = 0;
      // The previous trail, hundreds of MB, is garbage now; collecting it here keeps that collection out
      // of the measured iteration, where it would be an artefact of refilling: a host never drops its trail.
      System.gc();
    }

    String nextId() {
      if (created == newIds.length) {
        throw new IllegalStateException("more than " + newIds.length + " bookings in one iteration: the"
            + " iterations are too long for the ids made, or ours got faster than "
            + MIN_NANOS_PER_INVOCATION + " ns per happy path");
      }
      return newIds[created++];
    }
  }

  /**
   * Diagnostic, no target: ours with a clock that always returns the same instant, to show how much of
   * ours is reading the system clock, which the peers never do.
   */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking diagnoseFixedClock() {
    if (poolWraps()) {
      fixedClockEngine = BookingEngine.builder().withAuditTrail(new InMemoryAuditTrail()).withClock(FIXED_CLOCK)
          .build();
    }
    return happyPath(fixedClockEngine, nextId());
  }

  private static Booking happyPath(BookingEngine engine, String id) {
    Booking booking = engine.requestBooking(id, GigstaMachine.CUSTOMER, GigstaMachine.GIGSTA_ID, null).booking();
    booking = engine.perform(booking, GigstaMachine.GIGSTA, GigstaWorkflow.ACCEPT_BOOKING).booking();
    booking = engine.perform(booking, GigstaMachine.GIGSTA, GigstaWorkflow.MARK_IN_PROGRESS).booking();
    return engine.perform(booking, GigstaMachine.GIGSTA, GigstaWorkflow.MARK_COMPLETED).booking();
  }

  /** Raw StatefulJ: {@code FSM.onEvent} four times with the memory persister. */
  @Benchmark
  @OperationsPerInvocation(4)
  public Entity statefuljOnEvent() throws TooBusyException {
    Entity entity = createdByStatefulj();
    statefulj.onEvent(entity, CYCLE[1]);
    statefulj.onEvent(entity, CYCLE[2]);
    statefulj.onEvent(entity, CYCLE[3]);
    return entity;
  }

  /** stateless4j: a machine over the entity's state, then {@code fire} four times. */
  @Benchmark
  @OperationsPerInvocation(4)
  public Entity stateless4jFire() {
    Entity entity = new Entity(nextId());
    entity.state = NOT_CREATED;
    firing = entity;
    com.github.oxo42.stateless4j.StateMachine<String, String> machine =
        new com.github.oxo42.stateless4j.StateMachine<>(NOT_CREATED, () -> entity.state,
            state -> entity.state = state, stateless4jConfig);
    entity.actingRole = Role.CUSTOMER;
    machine.fire(CYCLE[0]);
    entity.actingRole = Role.GIGSTA;
    machine.fire(CYCLE[1]);
    machine.fire(CYCLE[2]);
    machine.fire(CYCLE[3]);
    return entity;
  }

  /**
   * Diagnostic, no target: raw StatefulJ plus one read of the system clock per transition, the least any
   * library that timestamps its changes adds to it.
   */
  @Benchmark
  @OperationsPerInvocation(4)
  public Instant diagnoseStatefuljWithClock() throws TooBusyException {
    Entity entity = createdByStatefulj();
    Instant last = SYSTEM_CLOCK.instant();
    for (int i = 1; i < CYCLE.length; i++) {
      statefulj.onEvent(entity, CYCLE[i]);
      last = SYSTEM_CLOCK.instant();
    }
    return last;
  }

  /**
   * The floor ours is judged against: raw StatefulJ plus, per transition, a clock read and a five-field
   * entry appended to a thread-safe map of each booking's entries, with nothing checked, no snapshot
   * returned and the map replaced as often as ours' trail: the least that recording each change in memory
   * on StatefulJ can cost.
   */
  @Benchmark
  @OperationsPerInvocation(4)
  public Entity floor() throws TooBusyException {
    if (poolWraps()) {
      floorTrail = new ConcurrentHashMap<>();
    }
    Entity entity = createdByStatefulj();
    FloorEntry[] entries = {new FloorEntry(entity.id, 1, CYCLE[0], entity.state, SYSTEM_CLOCK.instant())};
    if (floorTrail.putIfAbsent(entity.id, entries) != null) {
      throw new IllegalStateException("booking " + entity.id + " stored twice");
    }
    for (int i = 1; i < CYCLE.length; i++) {
      statefulj.onEvent(entity, CYCLE[i]);
      FloorEntry[] current = floorTrail.get(entity.id);
      FloorEntry[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = new FloorEntry(entity.id, i + 1, CYCLE[i], entity.state, SYSTEM_CLOCK.instant());
      if (!floorTrail.replace(entity.id, current, next)) {
        throw new IllegalStateException("booking " + entity.id + " changed concurrently");
      }
    }
    return entity;
  }

  /** A new booking requested through raw StatefulJ, with the GigSta to act next. */
  private Entity createdByStatefulj() throws TooBusyException {
    Entity entity = new Entity(nextId());
    entity.actingRole = Role.CUSTOMER;
    statefulj.onEvent(entity, CYCLE[0]);
    entity.actingRole = Role.GIGSTA;
    return entity;
  }

  /** The least an audit entry can hold: which booking, which change, what it did, and when. */
  record FloorEntry(String bookingId, long sequence, String actionName, String toState, Instant occurredAt) {}

  // Every benchmark takes its ids from the same pool, so that none pays for string building the others do
  // not. A store that keeps bookings must be replaced when the pool wraps, before the next id is taken.
  private boolean poolWraps() {
    return created == BOOKINGS_PER_TRAIL;
  }

  private String nextId() {
    if (poolWraps()) {
      created = 0;
    }
    return ids[created++];
  }

  /** All rules, creation first, for building the peers. */
  private static List<WorkflowRule> allRules() {
    List<WorkflowRule> rules = new ArrayList<>();
    rules.add(GigstaMachine.WORKFLOW.creation());
    rules.addAll(GigstaMachine.rules());
    return rules;
  }

  private static String name(BookingState state) {
    return state == null ? NOT_CREATED : state.name();
  }

  private static FSM<Entity> statefulj() {
    Map<String, StateImpl<Entity>> states = new HashMap<>();
    states.put(NOT_CREATED, new StateImpl<>(NOT_CREATED));
    for (BookingState state : GigstaMachine.WORKFLOW.states()) {
      states.put(state.name(), new StateImpl<>(state.name(), GigstaMachine.WORKFLOW.terminalStates().contains(state)));
    }
    Action<Entity> noAction = (entity, event, args) -> { };
    // One event may lead to different states by role (cancel_booking), so each (state, event) picks by role.
    Map<String, Map<String, Map<Role, StateActionPair<Entity>>>> byStateEvent = new HashMap<>();
    for (WorkflowRule rule : allRules()) {
      byStateEvent.computeIfAbsent(name(rule.from()), s -> new HashMap<>())
          .computeIfAbsent(rule.actionName(), e -> new EnumMap<>(Role.class))
          .put(rule.role(), new StateActionPairImpl<>(states.get(rule.to().name()), noAction));
    }
    byStateEvent.forEach((state, byEvent) -> byEvent.forEach((event, byRole) ->
        states.get(state).addTransition(event, (entity, e, args) -> byRole.get(entity.actingRole))));
    List<org.statefulj.fsm.model.State<Entity>> all = new ArrayList<>(states.values());
    MemoryPersisterImpl<Entity> persister = new MemoryPersisterImpl<>(all, states.get(NOT_CREATED));
    return new FSM<>("gigsta", persister);
  }

  private StateMachineConfig<String, String> stateless4jConfig() {
    StateMachineConfig<String, String> config = new StateMachineConfig<>();
    for (WorkflowRule rule : allRules()) {
      Role role = rule.role();
      config.configure(name(rule.from())).permitIf(rule.actionName(), rule.to().name(),
          () -> firing.actingRole == role);
    }
    for (BookingState state : GigstaMachine.WORKFLOW.terminalStates()) {
      config.configure(state.name());
    }
    return config;
  }

  private static void expectCompleted(String who, String state) {
    if (!BookingState.COMPLETED.name().equals(state)) {
      throw new IllegalStateException(who + " ended the happy path in " + state + ", not COMPLETED");
    }
  }
}
