package com.gigsta.booking.benchmarks;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.util.ArrayList;
import java.util.List;
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

/**
 * What hosting several versions of a workflow costs: the available actions and one in-memory transition,
 * with an engine hosting one version against an engine hosting three, measured in the same run.
 *
 * <p>The three versions are those of {@link GigstaMachine#VERSIONS}: the default workflow, a second with a
 * {@code DISPUTED} state and its three actions, and a third that relabels one action of the second. Both
 * engines create bookings under the third, so the one-version engine runs exactly the rules the
 * three-version engine runs for its current bookings. The bookings of each benchmark are
 * <ul>
 *   <li>pinned to the current version ({@code …OneVersion} and {@code …ThreeVersions}): the same
 *       work but for the engine's lookup of the booking's version among one or among three;</li>
 *   <li>spread evenly over the three versions ({@code …ThreeVersionsSpread}), as after two deploys without
 *       a migration: each booking is listed or moved by its own version's compiled rules, so three
 *       versions' tables are in use instead of one.</li>
 * </ul>
 *
 * <p>The available actions rotate through the same 45 (booking, actor) pairs in every variant: one booking
 * in each live state of the happy path (REQUESTED, ACCEPTED, IN_PROGRESS) for each of three versions (the
 * current one three times over, or one each), asked by {@link GigstaMachine#ACTORS}. The bookings have no
 * price and the versions no guard, so every answer is a list computed when the engine was built, as in
 * {@link AvailableActionsBenchmark}; {@link #setUp()} checks that each engine gives every pair the answer
 * of the version the booking is pinned to.
 *
 * <p>The transition is {@link TransitionBenchmark}'s {@code ours}: per invocation, a new booking requested
 * and taken through acceptance, start and completion, scored per transition. A booking is created under the
 * current version, so the spread variant requests its bookings of the two earlier versions through an
 * engine whose current version that is, over the same trail, and the three-version engine performs every
 * transition after the request. Trails and engines are replaced every
 * {@value TransitionBenchmark#BOOKINGS_PER_TRAIL} bookings, as in {@link TransitionBenchmark}, by the
 * measured method itself: building an engine that hosts three versions takes about three times as long as
 * building one that hosts one, and the spread variant also builds its two requesting engines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WorkflowVersionsBenchmark {

  private static final Workflow CURRENT = GigstaMachine.VERSIONS.get(GigstaMachine.VERSIONS.size() - 1);
  private static final List<Workflow> EARLIER = GigstaMachine.VERSIONS.subList(0, GigstaMachine.VERSIONS.size() - 1);

  private Booking[] oneVersionBookings;
  private Booking[] currentBookings;
  private Booking[] spreadBookings;
  private Actor[] actors;
  private int next;

  private BookingEngine oneVersionEngine;
  private BookingEngine threeVersionsEngine;

  // The transitions' engines, replaced with their trail whenever the id pool wraps.
  private final String[] ids = new String[TransitionBenchmark.BOOKINGS_PER_TRAIL];
  private int created = TransitionBenchmark.BOOKINGS_PER_TRAIL;
  private BookingEngine transitionEngine;
  // For the spread variant: the engine that requests bookings under each version, by version index.
  private final BookingEngine[] requesting = new BookingEngine[GigstaMachine.VERSIONS.size()];
  private int nextVersion;

  /** Makes the bookings of the available actions and checks every engine's answers. */
  @Setup(Level.Trial)
  public void setUp() {
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "booking-" + i;
    }
    AuditTrail trail = new InMemoryAuditTrail();
    oneVersionEngine = oneVersion(new InMemoryAuditTrail());
    threeVersionsEngine = threeVersions(trail);
    List<Booking> one = new ArrayList<>();
    List<Booking> current = new ArrayList<>();
    List<Booking> spread = new ArrayList<>();
    for (int v = 0; v < GigstaMachine.VERSIONS.size(); v++) {
      one.addAll(GigstaMachine.liveBookings(oneVersionEngine, "one-" + v + "-"));
      current.addAll(GigstaMachine.liveBookings(threeVersionsEngine, "current-" + v + "-"));
      BookingEngine creating = v == GigstaMachine.VERSIONS.size() - 1 ? threeVersionsEngine
          : BookingEngine.builder().withAuditTrail(trail).withWorkflow(GigstaMachine.VERSIONS.get(v)).build();
      spread.addAll(GigstaMachine.liveBookings(creating, "spread-" + v + "-"));
    }
    List<Actor> pairActors = new ArrayList<>();
    oneVersionBookings = pairs(one, pairActors);
    currentBookings = pairs(current, new ArrayList<>());
    spreadBookings = pairs(spread, new ArrayList<>());
    actors = pairActors.toArray(Actor[]::new);
    checkAnswers();
    // Each transition builds its engines when the pool wraps, so each check starts with a wrap, and so does
    // the measured method (one per fork).
    created = ids.length;
    expectCompleted("the one-version engine", transitionOneVersion());
    created = ids.length;
    expectCompleted("the three-version engine", transitionThreeVersions());
    created = ids.length;
    for (int i = 0; i < GigstaMachine.VERSIONS.size(); i++) {
      expectCompleted("the three-version engine on spread bookings", transitionThreeVersionsSpread());
    }
    created = ids.length;
    nextVersion = 0;
  }

  /** The available actions, one version hosted: the engine's query on bookings pinned to it. */
  @Benchmark
  public List<BookingAction> availableOneVersion() {
    int i = advance();
    return oneVersionEngine.getAvailableBookingActions(oneVersionBookings[i], actors[i]);
  }

  /** The available actions, three versions hosted, on bookings pinned to the current one. */
  @Benchmark
  public List<BookingAction> availableThreeVersions() {
    int i = advance();
    return threeVersionsEngine.getAvailableBookingActions(currentBookings[i], actors[i]);
  }

  /** The available actions, three versions hosted, on bookings spread evenly over them. */
  @Benchmark
  public List<BookingAction> availableThreeVersionsSpread() {
    int i = advance();
    return threeVersionsEngine.getAvailableBookingActions(spreadBookings[i], actors[i]);
  }

  /** One transition, one version hosted: a booking requested, accepted, started and completed. */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking transitionOneVersion() {
    if (poolWraps()) {
      transitionEngine = oneVersion(new InMemoryAuditTrail());
    }
    String id = nextId();
    return GigstaMachine.happyPathAfterRequest(transitionEngine, transitionEngine.requestBooking(id,
        GigstaMachine.CUSTOMER, GigstaMachine.GIGSTA_ID, null).booking());
  }

  /** One transition, three versions hosted, on a booking pinned to the current one. */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking transitionThreeVersions() {
    if (poolWraps()) {
      transitionEngine = threeVersions(new InMemoryAuditTrail());
    }
    String id = nextId();
    return GigstaMachine.happyPathAfterRequest(transitionEngine, transitionEngine.requestBooking(id,
        GigstaMachine.CUSTOMER, GigstaMachine.GIGSTA_ID, null).booking());
  }

  /**
   * One transition, three versions hosted, on bookings pinned to each version in turn: requested through
   * that version's requesting engine, then moved by the three-version engine.
   */
  @Benchmark
  @OperationsPerInvocation(4)
  public Booking transitionThreeVersionsSpread() {
    if (poolWraps()) {
      AuditTrail trail = new InMemoryAuditTrail();
      transitionEngine = threeVersions(trail);
      for (int v = 0; v < EARLIER.size(); v++) {
        requesting[v] = BookingEngine.builder().withAuditTrail(trail).withWorkflow(EARLIER.get(v)).build();
      }
      requesting[EARLIER.size()] = transitionEngine;
    }
    String id = nextId();
    int v = nextVersion;
    nextVersion = v + 1 == requesting.length ? 0 : v + 1;
    return GigstaMachine.happyPathAfterRequest(transitionEngine, requesting[v].requestBooking(id,
        GigstaMachine.CUSTOMER, GigstaMachine.GIGSTA_ID, null).booking());
  }

  private static BookingEngine oneVersion(AuditTrail trail) {
    return BookingEngine.builder().withAuditTrail(trail).withWorkflow(CURRENT).build();
  }

  private static BookingEngine threeVersions(AuditTrail trail) {
    return BookingEngine.builder().withAuditTrail(trail).withWorkflow(CURRENT)
        .withEarlierVersions(EARLIER.toArray(Workflow[]::new)).build();
  }

  private int advance() {
    int i = next;
    next = i + 1 == actors.length ? 0 : i + 1;
    return i;
  }

  private boolean poolWraps() {
    return created == ids.length;
  }

  private String nextId() {
    if (poolWraps()) {
      created = 0;
    }
    return ids[created++];
  }

  /** Each booking once per actor, in the order of the actors; the actors go to {@code pairActors}. */
  private static Booking[] pairs(List<Booking> bookings, List<Actor> pairActors) {
    List<Booking> pairBookings = new ArrayList<>();
    for (Booking booking : bookings) {
      for (Actor actor : GigstaMachine.ACTORS) {
        pairBookings.add(booking);
        pairActors.add(actor);
      }
    }
    return pairBookings.toArray(Booking[]::new);
  }

  /**
   * Checks that every booking is pinned to the version its variant says, and that both engines answer each
   * pair as an engine hosting only the booking's version does.
   */
  private void checkAnswers() {
    for (int i = 0; i < actors.length; i++) {
      int version = i / (actors.length / GigstaMachine.VERSIONS.size());
      expectPinned(oneVersionBookings[i], CURRENT);
      expectPinned(currentBookings[i], CURRENT);
      expectPinned(spreadBookings[i], GigstaMachine.VERSIONS.get(version));
      List<String> current = names(oneVersionEngine.getAvailableBookingActions(oneVersionBookings[i], actors[i]));
      check("three versions, current bookings", currentBookings[i], actors[i], current,
          names(threeVersionsEngine.getAvailableBookingActions(currentBookings[i], actors[i])));
      BookingEngine alone = BookingEngine.builder().withWorkflow(GigstaMachine.VERSIONS.get(version)).build();
      List<String> expected = names(alone.getAvailableBookingActions(spreadBookings[i], actors[i]));
      check("three versions, spread bookings", spreadBookings[i], actors[i], expected,
          names(threeVersionsEngine.getAvailableBookingActions(spreadBookings[i], actors[i])));
    }
  }

  private static void expectPinned(Booking booking, Workflow workflow) {
    WorkflowVersion expected = workflow.workflowVersion();
    if (!expected.equals(booking.workflowVersion())) {
      throw new IllegalStateException(booking.id() + " is pinned to " + booking.workflowVersion() + ", not "
          + expected);
    }
  }

  private static List<String> names(List<BookingAction> actions) {
    return actions.stream().map(BookingAction::actionName).toList();
  }

  private static void check(String variant, Booking booking, Actor actor, List<String> expected,
      List<String> actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(variant + ": " + actor + " is offered " + actual + " on " + booking.id()
          + " (" + booking.workflowVersion() + ", " + booking.state() + ") but its version offers " + expected);
    }
  }

  private static void expectCompleted(String who, Booking booking) {
    if (!BookingState.COMPLETED.equals(booking.state())) {
      throw new IllegalStateException(who + " ended the happy path in " + booking.state() + ", not COMPLETED");
    }
  }
}
