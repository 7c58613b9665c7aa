package com.gigsta.booking.benchmarks;

import com.github.oxo42.stateless4j.StateMachineConfig;
import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Role;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.WorkflowVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.configurers.StateConfigurer;
import org.springframework.statemachine.config.configurers.ExternalTransitionConfigurer;
import org.springframework.statemachine.config.builders.StateMachineTransitionConfigurer;
import org.springframework.statemachine.support.DefaultStateMachineContext;
import org.springframework.statemachine.transition.Transition;

/**
 * The actions a person may take on one loaded booking, rotating through every live state and five
 * actors (the booking's customer and GigSta, an operator, the system and a stranger).
 *
 * <p>Every implementation answers the same question from the same workflow table, and {@link #setUp()}
 * checks that they all give the same answer before anything is measured. The peers are written the way
 * a host would use them for this question, as cheaply as their APIs allow:
 * <ul>
 *   <li>{@code limit}: the answers precomputed once, found by one hash lookup by state and an array
 *       read by role, plus the party check, which no implementation can skip.</li>
 *   <li>stateless4j: a machine restored to the booking's state over a shared configuration, and
 *       {@code getPermittedTriggers()}, with one guard per rule checking role and party.</li>
 *   <li>Spring Statemachine: one machine reset to the booking's state, or one machine built for the
 *       booking; then the transitions out of the current state whose event belongs to the actor's
 *       role.</li>
 * </ul>
 * A diagnostic without a target, {@code diagnoseLimitWithVersionLookup}, is the limit with the lookup the
 * engine makes first since bookings are pinned to workflow versions: the booking's version in a hash map
 * of the hosted versions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AvailableActionsBenchmark {

  /** A Spring Statemachine event: the action as taken by one role, since targets depend on the role. */
  record RoleAction(Role role, String actionName) {}

  private Booking[] bookings;
  private Actor[] actors;
  private int next;

  private BookingEngine engine;
  // The baseline, and why it is the one: a state is known by its name only (no index to read an array
  // with), so the least any code can do to answer from a precomputed table is find the state's row by its
  // name's hash, read the role's slot, and check the party. That is what a host would write by hand
  // without the engine; the engine has to do at least the same, so the target is a multiple of this.
  private Map<BookingState, List<BookingAction>[]> limit;
  // The limit's table under the one workflow version the bookings are pinned to, in a map of the hosted
  // versions of the kind the engine keeps, for the diagnostic of what finding the booking's version costs.
  private Map<WorkflowVersion, Map<BookingState, List<BookingAction>[]>> limitByVersion;

  private StateMachineConfig<BookingState, String> stateless4jConfig;
  // The booking and actor the stateless4j guards look at; set before each query.
  private Booking guardBooking;
  private Actor guardActor;

  private StateMachine<BookingState, RoleAction> springMachine;

  /** Builds every implementation and checks that they agree on every (booking, actor) pair. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    engine = BookingEngine.builder().build();
    List<Booking> live = GigstaMachine.liveBookings(engine);
    List<Booking> pairBookings = new ArrayList<>();
    List<Actor> pairActors = new ArrayList<>();
    for (Booking booking : live) {
      for (Actor actor : GigstaMachine.ACTORS) {
        pairBookings.add(booking);
        pairActors.add(actor);
      }
    }
    bookings = pairBookings.toArray(Booking[]::new);
    actors = pairActors.toArray(Actor[]::new);
    limit = precomputed();
    Map<WorkflowVersion, Map<BookingState, List<BookingAction>[]>> hosted = new LinkedHashMap<>();
    hosted.put(GigstaMachine.WORKFLOW.workflowVersion(), limit);
    limitByVersion = Collections.unmodifiableMap(hosted);
    stateless4jConfig = stateless4jConfig();
    springMachine = springMachine(GigstaMachine.WORKFLOW.initialState());
    springMachine.startReactively().block();
    checkAgreement();
  }

  /** Ours: the engine's query. */
  @Benchmark
  public List<BookingAction> ours() {
    int i = advance();
    return engine.getAvailableBookingActions(bookings[i], actors[i]);
  }

  /** The limit: one precomputed list per state and role, found by state then role, and the party check. */
  @Benchmark
  public List<BookingAction> limit() {
    int i = advance();
    return limitFor(bookings[i], actors[i]);
  }

  /**
   * Diagnostic, no target: the limit, after finding the booking's workflow version in a hash map of the
   * hosted versions, as the engine does first since bookings are pinned to versions; with one version.
   */
  @Benchmark
  public List<BookingAction> diagnoseLimitWithVersionLookup() {
    int i = advance();
    return limitWithVersionFor(bookings[i], actors[i]);
  }

  /** stateless4j: a machine restored to the booking's state, then its permitted triggers. */
  @Benchmark
  public List<String> stateless4j() {
    int i = advance();
    return stateless4jFor(bookings[i], actors[i]);
  }

  /** Spring Statemachine: one machine reset to the booking's state, then the transitions out of it. */
  @Benchmark
  public List<String> springReset() {
    int i = advance();
    return springResetFor(bookings[i], actors[i]);
  }

  /** Spring Statemachine: a machine built and started for the booking, then the transitions out of it. */
  @Benchmark
  public List<String> springBuildPerBooking() throws Exception {
    int i = advance();
    return springBuildFor(bookings[i], actors[i]);
  }

  private int advance() {
    int i = next;
    next = i + 1 == bookings.length ? 0 : i + 1;
    return i;
  }

  private List<BookingAction> limitFor(Booking booking, Actor actor) {
    if (!booking.admits(actor)) {
      return List.of();
    }
    return limit.get(booking.state())[actor.role().ordinal()];
  }

  private List<BookingAction> limitWithVersionFor(Booking booking, Actor actor) {
    if (!booking.admits(actor)) {
      return List.of();
    }
    return limitByVersion.get(booking.workflowVersion()).get(booking.state())[actor.role().ordinal()];
  }

  private List<String> stateless4jFor(Booking booking, Actor actor) {
    guardBooking = booking;
    guardActor = actor;
    return new com.github.oxo42.stateless4j.StateMachine<>(booking.state(), stateless4jConfig)
        .getPermittedTriggers();
  }

  private List<String> springResetFor(Booking booking, Actor actor) {
    springMachine.stopReactively().block();
    springMachine.getStateMachineAccessor().doWithAllRegions(access -> access
        .resetStateMachineReactively(new DefaultStateMachineContext<>(booking.state(), null, null, null))
        .block());
    springMachine.startReactively().block();
    return springTransitions(springMachine, booking, actor);
  }

  private List<String> springBuildFor(Booking booking, Actor actor) throws Exception {
    StateMachine<BookingState, RoleAction> machine = springMachine(booking.state());
    machine.startReactively().block();
    return springTransitions(machine, booking, actor);
  }

  private static List<String> springTransitions(StateMachine<BookingState, RoleAction> machine, Booking booking,
      Actor actor) {
    List<String> names = new ArrayList<>();
    if (!booking.admits(actor)) {
      return names;
    }
    BookingState current = machine.getState().getId();
    for (Transition<BookingState, RoleAction> transition : machine.getTransitions()) {
      RoleAction event = transition.getTrigger().getEvent();
      if (transition.getSource().getId().equals(current) && event.role() == actor.role()) {
        names.add(event.actionName());
      }
    }
    return names;
  }

  // Generic arrays cannot be created without a raw type; the arrays never leave this class.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<BookingState, List<BookingAction>[]> precomputed() {
    Map<BookingState, List<BookingAction>[]> table = new HashMap<>();
    for (BookingState state : GigstaMachine.WORKFLOW.states()) {
      List<BookingAction>[] byRole = new List[Role.values().length];
      for (Role role : Role.values()) {
        byRole[role.ordinal()] = GigstaMachine.rules().stream()
            .filter(rule -> rule.from().equals(state) && rule.role() == role).map(WorkflowRule::action).toList();
      }
      table.put(state, byRole);
    }
    return table;
  }

  private StateMachineConfig<BookingState, String> stateless4jConfig() {
    StateMachineConfig<BookingState, String> config = new StateMachineConfig<>();
    for (WorkflowRule rule : GigstaMachine.rules()) {
      Role role = rule.role();
      config.configure(rule.from()).permitIf(rule.actionName(), rule.to(),
          () -> guardActor.role() == role && guardBooking.admits(guardActor));
    }
    for (BookingState state : GigstaMachine.WORKFLOW.terminalStates()) {
      config.configure(state);
    }
    return config;
  }

  /** Builds a Spring machine for the GigSta workflow starting in {@code initial}; not started. */
  static StateMachine<BookingState, RoleAction> springMachine(BookingState initial) throws Exception {
    StateMachineBuilder.Builder<BookingState, RoleAction> builder = StateMachineBuilder.builder();
    builder.configureConfiguration().withConfiguration().autoStartup(false);
    StateConfigurer<BookingState, RoleAction> states = builder.configureStates().withStates().initial(initial);
    for (BookingState state : GigstaMachine.WORKFLOW.states()) {
      states.state(state);
    }
    for (BookingState state : GigstaMachine.WORKFLOW.terminalStates()) {
      states.end(state);
    }
    StateMachineTransitionConfigurer<BookingState, RoleAction> transitions = builder.configureTransitions();
    for (WorkflowRule rule : GigstaMachine.rules()) {
      ExternalTransitionConfigurer<BookingState, RoleAction> external = transitions.withExternal();
      external.source(rule.from()).target(rule.to()).event(new RoleAction(rule.role(), rule.actionName()));
    }
    return builder.build();
  }

  private void checkAgreement() throws Exception {
    for (int i = 0; i < bookings.length; i++) {
      Booking booking = bookings[i];
      Actor actor = actors[i];
      Set<String> expected = names(engine.getAvailableBookingActions(booking, actor));
      check("limit", booking, actor, expected, names(limitFor(booking, actor)));
      check("limit with the version lookup", booking, actor, expected, names(limitWithVersionFor(booking, actor)));
      check("stateless4j", booking, actor, expected, new TreeSet<>(stateless4jFor(booking, actor)));
      check("springReset", booking, actor, expected, new TreeSet<>(springResetFor(booking, actor)));
      check("springBuildPerBooking", booking, actor, expected, new TreeSet<>(springBuildFor(booking, actor)));
    }
  }

  private static Set<String> names(List<BookingAction> actions) {
    Set<String> names = new TreeSet<>();
    actions.forEach(action -> names.add(action.actionName()));
    return names;
  }

  private static void check(String peer, Booking booking, Actor actor, Set<String> expected, Set<String> actual) {
    if (!expected.equals(new HashSet<>(actual))) {
      throw new IllegalStateException(peer + " lists " + actual + " for " + actor + " on a booking in "
          + booking.state() + " but the engine lists " + expected);
    }
  }
}
