package com.gigsta.booking.jdbc;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.InvalidWorkflowException;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowMigration;
import com.gigsta.booking.WorkflowVersion;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Workflow evolutions deployed while bookings are in flight, on the JDBC trail (H2): after every
 * deployment and every migration, each booking's hash chain verifies, its state is one its pinned version
 * knows, and each action it is listed performs under that version while an action it is not listed is
 * refused. The in-memory property in the core draws the evolutions more widely; this one proves the same
 * on stored rows.
 */
class H2WorkflowEvolutionPropertyTest {

  private static final AtomicLong RUNS = new AtomicLong();
  private static final AtomicLong BOOKINGS = new AtomicLong();
  private static final AtomicLong DEPLOYMENTS = new AtomicLong();
  private static final AtomicLong MIGRATED = new AtomicLong();
  private static final AtomicLong VERIFIED = new AtomicLong();
  private static final AtomicLong DATABASES = new AtomicLong();

  @Property(tries = 40)
  void storedBookingsStayVerifiableAndFollowTheirPinnedVersion(@ForAll long seed,
      @ForAll @IntRange(min = 10, max = 40) int steps) throws Exception {
    Random random = new Random(seed);
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:evolution-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withCreateTableIfMissing(true).build();
    Clock clock = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);
    Map<WorkflowVersion, Workflow> deployed = new LinkedHashMap<>();
    deployed.put(Workflow.gigsta().workflowVersion(), Workflow.gigsta());
    BookingEngine engine = engine(trail, clock, deployed);
    List<String> bookings = new ArrayList<>();
    try {
      for (int step = 0; step < steps; step++) {
        switch (random.nextInt(6)) {
          case 0, 1 -> {
            String id = "b-" + bookings.size();
            engine.requestBooking(id, Actor.customer("c-" + random.nextInt(3)), "g-" + random.nextInt(2), null);
            bookings.add(id);
            BOOKINGS.incrementAndGet();
          }
          case 2, 3 -> {
            if (!bookings.isEmpty()) {
              act(engine, bookings.get(random.nextInt(bookings.size())), random);
            }
          }
          case 4 -> {
            Workflow next = evolve(last(deployed), random);
            if (next != null) {
              deployed.put(next.workflowVersion(), next);
              engine = engine(trail, clock, deployed);
              DEPLOYMENTS.incrementAndGet();
              check(engine, trail, bookings, deployed);
            }
          }
          default -> {
            if (deployed.size() > 1) {
              List<Workflow> versions = new ArrayList<>(deployed.values());
              Workflow from = versions.get(random.nextInt(versions.size() - 1));
              MIGRATED.addAndGet(engine.migrateAll(byName(from, last(deployed)), Actor.system(), "evolution")
                  .migrated());
              check(engine, trail, bookings, deployed);
            }
          }
        }
      }
      check(engine, trail, bookings, deployed);
    } finally {
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      }
    }
    RUNS.incrementAndGet();
  }

  @AfterContainer
  static void printCounts() {
    System.out.printf("JDBC evolution property (H2): %d runs, %d bookings, %d deployments, %d bookings migrated, "
        + "%d chains verified%n", RUNS.get(), BOOKINGS.get(), DEPLOYMENTS.get(), MIGRATED.get(), VERIFIED.get());
  }

  private static BookingEngine engine(JdbcAuditTrail trail, Clock clock, Map<WorkflowVersion, Workflow> deployed) {
    List<Workflow> versions = new ArrayList<>(deployed.values());
    Workflow current = versions.remove(versions.size() - 1);
    return BookingEngine.builder().withWorkflow(current).withEarlierVersions(versions.toArray(Workflow[]::new))
        .withAuditTrail(trail).withClock(clock).build();
  }

  private static Workflow last(Map<WorkflowVersion, Workflow> deployed) {
    return new ArrayList<>(deployed.values()).get(deployed.size() - 1);
  }

  // One random party or operator tries one action: a listed one performs, an unlisted one is refused.
  private static void act(BookingEngine engine, String bookingId, Random random) {
    Booking booking = engine.load(bookingId);
    Actor actor = switch (random.nextInt(3)) {
      case 0 -> Actor.customer(booking.customerId());
      case 1 -> Actor.gigsta(booking.gigstaId());
      default -> Actor.operator("ops");
    };
    List<String> listed = engine.getAvailableBookingActions(booking, actor).stream()
        .map(BookingAction::actionName).toList();
    Set<String> known = engine.workflows().stream().flatMap(version -> version.rules().stream())
        .map(rule -> rule.actionName()).collect(Collectors.toSet());
    List<String> candidates = new ArrayList<>(random.nextBoolean() && !listed.isEmpty() ? listed : known);
    String action = candidates.get(random.nextInt(candidates.size()));
    boolean performed;
    try {
      engine.perform(booking, actor, action, null);
      performed = true;
    } catch (BookingException e) {
      performed = false;
    }
    assertThat(performed).as("%s by %s on %s: listed %s", action, actor, booking, listed)
        .isEqualTo(listed.contains(action));
  }

  // The next version: one state more, a label changed, or a state added earlier dropped again.
  private static Workflow evolve(Workflow current, Random random) {
    int next = current.version() + 1;
    Workflow.Builder builder = current.toBuilder().version(next);
    List<BookingState> added = current.states().stream().filter(state -> state.name().startsWith("HELD_"))
        .toList();
    switch (random.nextInt(3)) {
      case 0 -> {
        BookingState held = BookingState.of("HELD_" + next);
        builder.action("hold_" + next).by(Role.CUSTOMER).from(ACCEPTED).to(held).label("Hold").note("Held").add()
            .action("release_" + next).by(Role.OPERATOR).from(held).to(COMPLETED).label("Release")
            .note("Released").add();
      }
      case 1 -> builder.removeRule(BookingState.REQUESTED, "accept_booking", Role.GIGSTA)
          .action("accept_booking").by(Role.GIGSTA).from(BookingState.REQUESTED).to(ACCEPTED)
          .label("Accept v" + next).note("Booking accepted by GigSta").add();
      default -> {
        if (added.isEmpty()) {
          return null;
        }
        builder.removeState(added.get(random.nextInt(added.size())));
      }
    }
    try {
      return builder.build();
    } catch (InvalidWorkflowException e) {
      return null;
    }
  }

  // Every non-terminal state moves to the state of the same name if the later version has it, else stays.
  private static WorkflowMigration byName(Workflow from, Workflow to) {
    WorkflowMigration.Builder migration = WorkflowMigration.between(from, to);
    for (BookingState state : from.states()) {
      boolean terminal = from.terminalStates().contains(state);
      if (to.states().contains(state) && terminal == to.terminalStates().contains(state)) {
        migration.map(state, state);
      } else if (!terminal) {
        migration.stay(state);
      }
    }
    return migration.build();
  }

  private static void check(BookingEngine engine, JdbcAuditTrail trail, List<String> bookings,
      Map<WorkflowVersion, Workflow> deployed) {
    for (String bookingId : bookings) {
      assertThat(trail.verify(bookingId).intact()).as("chain of %s", bookingId).isTrue();
      VERIFIED.incrementAndGet();
      AuditEntry latest = trail.latest(bookingId).orElseThrow();
      Workflow pinned = deployed.get(latest.workflowVersion());
      assertThat(pinned).as("%s is pinned to a deployed version", bookingId).isNotNull();
      assertThat(pinned.states()).as("states of %s", pinned.workflowVersion()).contains(latest.toState());
      Set<String> rules = pinned.rules().stream().filter(rule -> rule.from().equals(latest.toState()))
          .map(rule -> rule.actionName()).collect(Collectors.toSet());
      for (Actor actor : List.of(Actor.customer(latest.customerId()), Actor.gigsta(latest.gigstaId()),
          Actor.operator("ops"))) {
        assertThat(engine.getAvailableBookingActions(bookingId, actor)).extracting(BookingAction::actionName)
            .allMatch(rules::contains);
      }
    }
  }
}
