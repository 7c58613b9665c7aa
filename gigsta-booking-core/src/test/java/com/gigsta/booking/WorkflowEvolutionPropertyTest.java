package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.WorkflowEvolutions.Change;
import com.gigsta.booking.WorkflowEvolutions.Evolution;
import com.gigsta.booking.WorkflowEvolutions.MigrationPlan;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.RecordingPaymentHooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.assertj.core.description.Description;
import org.assertj.core.description.TextDescription;

/**
 * Random workflow evolutions (a state added, a state dropped, a rule retargeted, a label changed, a guard
 * added) deployed while random bookings are in flight, with migrations between the versions. After every
 * step, for every booking: it is in a state of the version it is pinned to, it is listed exactly that
 * version's actions for each actor, and its history is intact; for the step's own action, it performs if
 * and only if it was listed just before.
 */
class WorkflowEvolutionPropertyTest {

  private static final Instant T0 = Instant.parse("2026-03-02T06:00:00Z");
  private static final List<String> CUSTOMERS = List.of("c-1", "c-2", "c-3");
  private static final List<String> GIGSTAS = List.of("g-1", "g-2");
  private static final Actor STRANGE_CUSTOMER = Actor.customer("c-9");
  private static final Actor STRANGE_GIGSTA = Actor.gigsta("g-9");
  private static final Actor OPERATOR = Actor.operator("ops-1");
  private static final BookingState NOWHERE = BookingState.of("NOWHERE");

  private static final AtomicLong RUNS = new AtomicLong();
  private static final AtomicLong BOOKINGS = new AtomicLong();
  private static final AtomicLong DEPLOYMENTS = new AtomicLong();
  // Migration entries recorded: bookings moved to a later version.
  private static final AtomicLong MIGRATIONS = new AtomicLong();
  private static final AtomicLong PERFORMED = new AtomicLong();
  private static final AtomicLong REFUSED = new AtomicLong();

  // ---- steps ----

  sealed interface Step permits Create, Perform, Deploy, Migrate, Advance {}

  /** A customer of the pool requests a GigSta of the pool, with or without a price. */
  record Create(int customer, int gigsta, boolean priced) implements Step {}

  /**
   * An actor acts on a booking: {@code actor} 0-2 its customer, 3-5 its GigSta, 6 another customer, 7
   * another GigSta, 8 an operator, 9 the system. The action, by {@code mode}: 0 any action any version
   * knows, or the creation and migration names; 1 any action out of the booking's state in its version,
   * whoever takes it; 2 one listed for the actor, if there is one; 3 one listed that does not end the
   * booking, taken by another actor if the picked one has none. Modes 1-3 pick among the bookings not ended
   * yet, if there are any. An {@code olderEngine} acts through an engine deployed before the newest one.
   */
  record Perform(int booking, int actor, int action, int mode, boolean olderEngine) implements Step {}

  /** The next version, made from the current one with one change, goes live on a new engine. */
  record Deploy(Change change, int a, int b, int c) implements Step {}

  enum MigrationKind { VALID, UNKNOWN_TARGET, UNMAPPED_STATE, REOPENS, ENDS, NOT_LATER }

  /**
   * A migration from a hosted version to a later one, of every booking or of one, by an operator or the
   * system ({@code actor} 0 and 1 are the booking's customer and GigSta, refused); or an invalid one, which
   * {@link WorkflowMigration.Builder#build()} must refuse.
   */
  record Migrate(MigrationKind kind, int from, int to, int mask, boolean all, int booking, int actor)
      implements Step {}

  /** The clock moves on, which the guard on mornings reads. */
  record Advance(int hours) implements Step {}

  @Provide
  Arbitrary<List<Step>> runs() {
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 999);
    Arbitrary<Step> create = Combinators.combine(Arbitraries.integers().between(0, CUSTOMERS.size() - 1),
        Arbitraries.integers().between(0, GIGSTAS.size() - 1), Arbitraries.of(true, false)).as(Create::new);
    Arbitrary<Step> perform = Combinators.combine(pick, Arbitraries.integers().between(0, 9), pick,
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 7).map(n -> n == 0))
        .as(Perform::new);
    Arbitrary<Step> deploy = Combinators.combine(Arbitraries.of(Change.class), pick, pick, pick).as(Deploy::new);
    Arbitrary<MigrationKind> kind = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(MigrationKind.VALID)),
        Tuple.of(2, Arbitraries.of(MigrationKind.class)));
    Arbitrary<Step> migrate = Combinators.combine(kind, pick, pick, Arbitraries.integers(),
        Arbitraries.of(true, false), pick, Arbitraries.integers().between(0, 9)).as(Migrate::new);
    Arbitrary<Step> advance = Arbitraries.integers().between(1, 30).map(Advance::new);
    Arbitrary<Step> step = Arbitraries.frequencyOf(Tuple.of(3, create), Tuple.of(9, perform), Tuple.of(2, deploy),
        Tuple.of(2, migrate), Tuple.of(1, advance));
    return step.list().ofMinSize(1).ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void everyBookingIsListedAndPerformedByItsPinnedVersionAcrossDeploymentsAndMigrations(
      @ForAll("runs") List<Step> steps) {
    RUNS.incrementAndGet();
    Run run = new Run();
    run.checkEveryBooking("start");
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      run.apply(step);
      run.checkEveryBooking("after step " + i + ", " + step);
    }
  }

  @AfterContainer
  static void printCounts() {
    System.out.printf("evolution property: %d runs, %d bookings, %d deployments, %d migrations, %d performed, "
        + "%d refused%n", RUNS.get(), BOOKINGS.get(), DEPLOYMENTS.get(), MIGRATIONS.get(), PERFORMED.get(),
        REFUSED.get());
  }

  // ---- one run ----

  /** The system under test and the test's own model of it: which version each booking is pinned to. */
  private static final class Run {
    final MutableClock clock = new MutableClock(T0);
    final InMemoryAuditTrail trail = new InMemoryAuditTrail();
    final RecordingPaymentHooks payments = new RecordingPaymentHooks();
    // Version n at index n - 1; engines.get(n - 1) was deployed with version n and hosts versions 1..n.
    final List<Workflow> deployed = new ArrayList<>(List.of(Workflow.gigsta()));
    final List<BookingEngine> engines = new ArrayList<>();
    // The model: each booking's creation version and the version it is pinned to now.
    final Map<String, WorkflowVersion> createdUnder = new LinkedHashMap<>();
    final Map<String, WorkflowVersion> pinned = new LinkedHashMap<>();

    Run() {
      engines.add(engine(Workflow.gigsta(), List.of()));
    }

    BookingEngine engine(Workflow current, List<Workflow> earlier) {
      return BookingEngine.builder().withWorkflow(current).withEarlierVersions(earlier.toArray(Workflow[]::new))
          .withAuditTrail(trail).withPaymentHooks(payments).withClock(clock).build();
    }

    BookingEngine engine() {
      return engines.get(engines.size() - 1);
    }

    Workflow current() {
      return deployed.get(deployed.size() - 1);
    }

    Workflow workflowOf(WorkflowVersion version) {
      assertThat(version).as("a pinned version").isNotNull();
      assertThat(version.name()).isEqualTo("gigsta");
      assertThat(version.number()).as("%s is deployed", version).isBetween(1, deployed.size());
      return deployed.get(version.number() - 1);
    }

    void apply(Step step) {
      if (step instanceof Create create) {
        create(create);
      } else if (step instanceof Perform perform) {
        perform(perform);
      } else if (step instanceof Deploy deploy) {
        deploy(deploy);
      } else if (step instanceof Migrate migrate) {
        migrate(migrate);
      } else if (step instanceof Advance advance) {
        clock.advance(Duration.ofHours(advance.hours()));
      }
    }

    void create(Create step) {
      String id = "b-" + (createdUnder.size() + 1);
      Money price = step.priced() ? Money.of(12_000, "EUR") : null;
      BookingChange created = engine().requestBooking(id, Actor.customer(CUSTOMERS.get(step.customer())),
          GIGSTAS.get(step.gigsta()), null, price);
      // Pinned to the version deployed last.
      assertThat(created.booking().workflowVersion()).isEqualTo(current().workflowVersion());
      assertThat(created.entry().workflowVersion()).isEqualTo(current().workflowVersion());
      createdUnder.put(id, current().workflowVersion());
      pinned.put(id, current().workflowVersion());
      BOOKINGS.incrementAndGet();
    }

    void perform(Perform step) {
      if (pinned.isEmpty()) {
        return;
      }
      List<String> live = pinned.keySet().stream().filter(id -> !ended(latest(id))).toList();
      String id = WorkflowEvolutions.pick(step.mode() == 0 || live.isEmpty() ? List.copyOf(pinned.keySet()) : live,
          step.booking());
      int engineIndex = step.olderEngine() && engines.size() > 1
          ? Math.floorMod(step.booking(), engines.size() - 1) : engines.size() - 1;
      BookingEngine engine = engines.get(engineIndex);
      Booking booking = latest(id);
      WorkflowVersion version = pinned.get(id);
      Workflow workflow = workflowOf(version);
      Actor actor = actorFor(step, workflow, booking);
      boolean hosted = version.number() <= engineIndex + 1;

      // The listing made just before: the version's actions, or a refusal if the engine lacks the version.
      Throwable listingRefused = null;
      List<String> listed = List.of();
      try {
        listed = names(engine.getAvailableBookingActions(booking, actor));
      } catch (UnknownWorkflowVersionException e) {
        listingRefused = e;
      }
      if (hosted || !booking.admits(actor)) {
        assertThat(listingRefused).as("listing %s for %s", booking, actor).isNull();
        assertThat(listed).isEqualTo(expectedNames(workflow, booking, actor));
      } else {
        assertThat(listingRefused).as("listing %s for %s on an engine without %s", booking, actor, version)
            .isInstanceOf(UnknownWorkflowVersionException.class);
      }

      String action = action(step, workflow, booking, actor, listed);
      Throwable thrown = catchThrowable(() -> engine.perform(id, actor, action, "step"));
      List<AuditEntry> history = trail.history(id);
      if (listed.contains(action)) {
        // Listed, so it performs, by the pinned version's rule, and stays pinned.
        assertThat(thrown).as("%s by %s on %s was listed", action, actor, booking).isNull();
        AuditEntry entry = history.get(history.size() - 1);
        WorkflowRule rule = rule(workflow, booking.state(), action, actor.role()).orElseThrow();
        assertThat(entry.sequence()).isEqualTo(booking.version() + 1);
        assertThat(entry.actionName()).isEqualTo(action);
        assertThat(entry.actor()).isEqualTo(actor);
        assertThat(entry.fromState()).isEqualTo(booking.state());
        assertThat(entry.toState()).isEqualTo(rule.to());
        assertThat(entry.workflowVersion()).isEqualTo(version);
        PERFORMED.incrementAndGet();
      } else {
        // Not listed, so refused with the refusal the version's table calls for, and nothing recorded.
        Class<? extends BookingException> refusal = listingRefused != null
            ? UnknownWorkflowVersionException.class : expectedRefusal(workflow, booking, actor, action);
        assertThat(thrown).as("%s by %s on %s was not listed (%s)", action, actor, booking, listed)
            .isExactlyInstanceOf(refusal);
        assertThat(history).as("a refusal records nothing").hasSize((int) booking.version());
        REFUSED.incrementAndGet();
      }
    }

    String action(Perform step, Workflow workflow, Booking booking, Actor actor, List<String> listed) {
      if (step.mode() >= 2 && !listed.isEmpty()) {
        List<String> going = step.mode() == 3 ? keepsGoing(workflow, booking, actor) : List.of();
        return WorkflowEvolutions.pick(going.isEmpty() ? listed : going, step.action());
      }
      List<String> outOfState = workflow.rules().stream().filter(rule -> rule.from().equals(booking.state()))
          .map(WorkflowRule::actionName).toList();
      return WorkflowEvolutions.pick(step.mode() == 1 && !outOfState.isEmpty() ? outOfState : actionNames(),
          step.action());
    }

    // The picked actor; in mode 3, if it has nothing listed that keeps the booking going, one who has.
    Actor actorFor(Perform step, Workflow workflow, Booking booking) {
      Actor picked = WorkflowEvolutionPropertyTest.actor(booking, step.actor());
      if (step.mode() != 3 || !keepsGoing(workflow, booking, picked).isEmpty()) {
        return picked;
      }
      return actors(booking).stream().filter(actor -> !keepsGoing(workflow, booking, actor).isEmpty()).findFirst()
          .orElse(picked);
    }

    // The actions listed for the actor whose rule does not end the booking.
    List<String> keepsGoing(Workflow workflow, Booking booking, Actor actor) {
      return expectedNames(workflow, booking, actor).stream()
          .filter(name -> !workflow.terminalStates()
              .contains(rule(workflow, booking.state(), name, actor.role()).orElseThrow().to()))
          .toList();
    }

    boolean ended(Booking booking) {
      return workflowOf(pinned.get(booking.id())).terminalStates().contains(booking.state());
    }

    void deploy(Deploy step) {
      Workflow previous = current();
      Evolution evolution = WorkflowEvolutions.evolve(previous, step.change(), step.a(), step.b(), step.c());
      Workflow next = evolution.workflow();
      assertThat(next.workflowVersion()).isEqualTo(WorkflowVersion.of("gigsta", previous.version() + 1));
      assertThat(next.changesFrom(previous).isEmpty()).as("%s changes something", evolution.change()).isFalse();

      List<Workflow> earlier = List.copyOf(deployed);
      deployed.add(next);
      BookingEngine engine = engine(next, earlier);
      engines.add(engine);
      DEPLOYMENTS.incrementAndGet();
      assertThat(engine.workflows()).containsExactlyElementsOf(deployed);
      assertThat(engine.missingWorkflowVersions()).isEmpty();

      // An engine given only the new version refuses the bookings pinned to earlier ones, and says so.
      BookingEngine bare = engine(next, List.of());
      Map<WorkflowVersion, Long> older = new HashMap<>(versionsInUse());
      older.remove(next.workflowVersion());
      assertThat(bare.missingWorkflowVersions()).isEqualTo(older);
      pinned.entrySet().stream().filter(pin -> !pin.getValue().equals(next.workflowVersion())).findFirst()
          .ifPresent(pin -> {
            Booking booking = latest(pin.getKey());
            assertThatThrownBy(() -> bare.getAvailableBookingActions(booking, OPERATOR))
                .isInstanceOf(UnknownWorkflowVersionException.class);
            assertThatThrownBy(() -> bare.perform(booking.id(), OPERATOR, "accept_booking", null))
                .isInstanceOf(UnknownWorkflowVersionException.class);
            assertThat(latest(booking.id())).isEqualTo(booking);
          });
    }

    void migrate(Migrate step) {
      int count = deployed.size();
      if (step.kind() == MigrationKind.NOT_LATER) {
        // To the same version or an earlier one.
        Workflow from = WorkflowEvolutions.pick(deployed, step.from());
        Workflow to = deployed.get(Math.floorMod(step.to(), from.version()));
        MigrationPlan plan = MigrationPlan.byName(from, to, step.mask());
        assertThatThrownBy(() -> plan.builder(from, to).build()).isInstanceOf(InvalidWorkflowException.class);
        return;
      }
      if (count < 2) {
        return;
      }
      Workflow from = deployed.get(Math.floorMod(step.from(), count - 1));
      Workflow to = deployed.get(from.version() + Math.floorMod(step.to(), count - from.version()));
      MigrationPlan plan = MigrationPlan.byName(from, to, step.mask());
      if (step.kind() != MigrationKind.VALID) {
        MigrationPlan spoiled = spoil(plan, step.kind(), from, to, step.booking());
        assertThatThrownBy(() -> spoiled.builder(from, to).build()).as("%s: %s", step.kind(), spoiled)
            .isInstanceOf(InvalidWorkflowException.class);
        return;
      }
      WorkflowMigration migration = plan.builder(from, to).build();
      String reason = "Moving to " + to.workflowVersion();
      if (step.all()) {
        migrateAll(migration, plan, step.actor() % 2 == 0 ? OPERATOR : Actor.system(), reason);
      } else if (!pinned.isEmpty()) {
        migrateOne(migration, plan, WorkflowEvolutions.pick(List.copyOf(pinned.keySet()), step.booking()),
            step.actor(), reason);
      }
    }

    void migrateAll(WorkflowMigration migration, MigrationPlan plan, Actor actor, String reason) {
      WorkflowVersion from = migration.from().workflowVersion();
      Map<String, Booking> moving = new LinkedHashMap<>();
      long staying = 0;
      for (String id : pinned.keySet()) {
        Booking booking = latest(id);
        if (pinned.get(id).equals(from)) {
          if (plan.targets().containsKey(booking.state())) {
            moving.put(id, booking);
          } else {
            staying++;
          }
        }
      }
      MigrationResult result = engine().migrateAll(migration, actor, reason);
      assertThat(result).isEqualTo(new MigrationResult(moving.size(), staying, 0));
      moving.forEach((id, before) -> moved(before, migration, plan, actor, trail.history(id)));
    }

    void migrateOne(WorkflowMigration migration, MigrationPlan plan, String id, int actorPick, String reason) {
      Booking before = latest(id);
      if (actorPick < 2) {
        // Only an operator or the system moves bookings.
        Actor party = actor(before, actorPick == 0 ? 0 : 3);
        assertThatThrownBy(() -> engine().migrate(id, migration, party, reason))
            .isInstanceOf(ActionNotAllowedForRoleException.class);
        return;
      }
      Actor actor = actorPick % 2 == 0 ? OPERATOR : Actor.system();
      boolean expected = pinned.get(id).equals(migration.from().workflowVersion())
          && plan.targets().containsKey(before.state());
      Optional<BookingChange> change = engine().migrate(id, migration, actor, reason);
      assertThat(change.isPresent()).as("%s moved by %s", before, migration).isEqualTo(expected);
      if (change.isPresent()) {
        assertThat(change.get().booking()).isEqualTo(latest(id));
        moved(before, migration, plan, actor, trail.history(id));
      } else {
        assertThat(latest(id)).isEqualTo(before);
      }
    }

    // The booking's last entry is its migration, as planned; the model follows it.
    void moved(Booking before, WorkflowMigration migration, MigrationPlan plan, Actor actor,
        List<AuditEntry> history) {
      AuditEntry entry = history.get(history.size() - 1);
      assertThat(history).hasSize((int) before.version() + 1);
      assertThat(entry.actionName()).isEqualTo(WorkflowMigration.ACTION_NAME);
      assertThat(entry.actor()).isEqualTo(actor);
      assertThat(entry.fromState()).isEqualTo(before.state());
      assertThat(entry.toState()).isEqualTo(plan.targets().get(before.state()));
      assertThat(entry.workflowVersion()).isEqualTo(migration.to().workflowVersion());
      pinned.put(before.id(), migration.to().workflowVersion());
      MIGRATIONS.incrementAndGet();
    }

    MigrationPlan spoil(MigrationPlan plan, MigrationKind kind, Workflow from, Workflow to, int pick) {
      List<BookingState> fromTerminal = List.copyOf(from.terminalStates());
      List<BookingState> toTerminal = List.copyOf(to.terminalStates());
      return switch (kind) {
        case UNMAPPED_STATE -> plan.without(WorkflowEvolutions.pick(WorkflowEvolutions.nonTerminal(from), pick));
        case REOPENS -> fromTerminal.isEmpty() ? plan.mapping(from.initialState(), NOWHERE)
            : plan.mapping(WorkflowEvolutions.pick(fromTerminal, pick), to.initialState());
        case ENDS -> toTerminal.isEmpty() ? plan.mapping(from.initialState(), NOWHERE)
            : plan.mapping(from.initialState(), WorkflowEvolutions.pick(toTerminal, pick));
        default -> plan.mapping(WorkflowEvolutions.pick(from.states(), pick), NOWHERE);
      };
    }

    // ---- the checks after every step ----

    void checkEveryBooking(String when) {
      BookingEngine engine = engine();
      assertThat(engine.workflowVersionsInUse()).as(when).isEqualTo(versionsInUse());
      for (String id : pinned.keySet()) {
        Booking booking = engine.load(id);
        WorkflowVersion version = booking.workflowVersion();
        // Pinned to its creation version until migrated, then to the migration's.
        assertThat(version).as("%s: %s", when, booking).isEqualTo(pinned.get(id));
        Workflow workflow = workflowOf(version);
        assertThat(workflow.states()).as("%s: %s in a state of %s", when, booking, version)
            .contains(booking.state());
        checkHistory(when, trail.history(id), createdUnder.get(id));
        for (Actor actor : actors(booking)) {
          List<BookingAction> listed = engine.getAvailableBookingActions(booking, actor);
          assertThat(names(listed)).as("%s: %s listed for %s", when, booking, actor)
              .isEqualTo(expectedNames(workflow, booking, actor));
          // The labels are the pinned version's too.
          for (BookingAction action : listed) {
            assertThat(action.buttonLabel()).as("%s: %s, label of %s", when, booking, action.actionName())
                .isEqualTo(rule(workflow, booking.state(), action.actionName(), actor.role()).orElseThrow()
                    .action().buttonLabel());
          }
        }
      }
    }

    void checkHistory(String when, List<AuditEntry> history, WorkflowVersion createdUnder) {
      assertThat(history).as(when).isNotEmpty();
      AuditEntry previous = null;
      for (int i = 0; i < history.size(); i++) {
        AuditEntry entry = history.get(i);
        AuditEntry before = previous;
        // Formatted only if an assertion fails.
        Description at = new TextDescription("%s: %s", when, entry);
        assertThat(entry.sequence()).as(at).isEqualTo(i + 1);
        assertThatCode(() -> AuditTrail.requireContinuation(before, entry)).as(at).doesNotThrowAnyException();
        Workflow workflow = workflowOf(entry.workflowVersion());
        if (before == null) {
          assertThat(entry.workflowVersion()).as(at).isEqualTo(createdUnder);
          assertThat(entry.actionName()).as(at).isEqualTo(workflow.creation().actionName());
          assertThat(entry.toState()).as(at).isEqualTo(workflow.initialState());
        } else if (entry.actionName().equals(WorkflowMigration.ACTION_NAME)) {
          // Only to a later version, from a state of the old one to a state of the new one, never ending or
          // reopening the booking.
          Workflow old = workflowOf(before.workflowVersion());
          assertThat(entry.workflowVersion().number()).as(at)
              .isGreaterThan(before.workflowVersion().number());
          assertThat(entry.actorRole()).as(at).isIn(Role.OPERATOR, Role.SYSTEM);
          assertThat(old.states()).as(at).contains(entry.fromState());
          assertThat(workflow.states()).as(at).contains(entry.toState());
          assertThat(workflow.terminalStates().contains(entry.toState())).as(at)
              .isEqualTo(old.terminalStates().contains(entry.fromState()));
        } else {
          // The version changes only at migrations, and every other entry is a rule of its version.
          assertThat(entry.workflowVersion()).as(at).isEqualTo(before.workflowVersion());
          assertThat(rule(workflow, entry.fromState(), entry.actionName(), entry.actorRole()))
              .as(at).hasValueSatisfying(rule -> assertThat(rule.to()).isEqualTo(entry.toState()));
        }
        previous = entry;
      }
    }

    Map<WorkflowVersion, Long> versionsInUse() {
      return pinned.values().stream().collect(Collectors.groupingBy(version -> version, Collectors.counting()));
    }

    Booking latest(String id) {
      return Booking.after(trail.latest(id).orElseThrow());
    }

    // Every action name any deployed version knows, and two no rule may have.
    List<String> actionNames() {
      Set<String> names = new LinkedHashSet<>();
      for (Workflow workflow : deployed) {
        workflow.rules().forEach(rule -> names.add(rule.actionName()));
        names.add(workflow.creation().actionName());
      }
      names.add(WorkflowMigration.ACTION_NAME);
      return List.copyOf(names);
    }

    // What the version's own table allows: the actor's rules out of the state whose guard allows now.
    List<String> expectedNames(Workflow workflow, Booking booking, Actor actor) {
      if (!booking.admits(actor)) {
        return List.of();
      }
      return workflow.rules().stream()
          .filter(rule -> rule.from().equals(booking.state()) && rule.role() == actor.role())
          .filter(rule -> rule.guard() == null || rule.guard().allows(booking, actor, clock))
          .map(WorkflowRule::actionName).toList();
    }
  }

  // ---- the model's answers ----

  static Optional<WorkflowRule> rule(Workflow workflow, BookingState from, String action, Role role) {
    return workflow.rules().stream()
        .filter(rule -> rule.from().equals(from) && rule.actionName().equals(action) && rule.role() == role)
        .findFirst();
  }

  // The refusal of an action not listed, in the documented order of the checks.
  static Class<? extends BookingException> expectedRefusal(Workflow workflow, Booking booking, Actor actor,
      String action) {
    if (!booking.admits(actor)) {
      return NotABookingPartyException.class;
    }
    if (workflow.rules().stream().noneMatch(rule -> rule.actionName().equals(action))) {
      return UnknownActionException.class;
    }
    if (rule(workflow, booking.state(), action, actor.role()).isPresent()) {
      return GuardRefusedException.class;
    }
    boolean fromHere = workflow.rules().stream()
        .anyMatch(rule -> rule.from().equals(booking.state()) && rule.actionName().equals(action));
    return fromHere ? ActionNotAllowedForRoleException.class : ActionNotAllowedInStateException.class;
  }

  static Actor actor(Booking booking, int pick) {
    return switch (pick) {
      case 0, 1, 2 -> Actor.customer(booking.customerId());
      case 3, 4, 5 -> Actor.gigsta(booking.gigstaId());
      case 6 -> STRANGE_CUSTOMER;
      case 7 -> STRANGE_GIGSTA;
      case 8 -> OPERATOR;
      default -> Actor.system();
    };
  }

  static List<Actor> actors(Booking booking) {
    return List.of(Actor.customer(booking.customerId()), Actor.gigsta(booking.gigstaId()), STRANGE_CUSTOMER,
        STRANGE_GIGSTA, OPERATOR, Actor.system());
  }

  static List<String> names(List<BookingAction> actions) {
    return actions.stream().map(BookingAction::actionName).toList();
  }

  // ---- fixed scenarios ----

  private static final BookingState DISPUTED = BookingState.of("DISPUTED");
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");

  /** Version 2 of the GigSta workflow: a customer may dispute an accepted booking, an operator resolves it. */
  private static Workflow withDisputes() {
    return Workflow.gigsta().toBuilder().version(2)
        .action("open_dispute").by(Role.CUSTOMER).from(ACCEPTED).to(DISPUTED)
            .label("Report a problem").note("Customer opened a dispute").add()
        .action("resolve_dispute").by(Role.OPERATOR).from(DISPUTED).to(COMPLETED)
            .label("Resolve dispute").note("Dispute resolved").add()
        .build();
  }

  @Example
  void aBookingKeepsItsVersionsActionsAfterTheNextVersionIsDeployed() {
    InMemoryAuditTrail trail = new InMemoryAuditTrail();
    MutableClock clock = new MutableClock(T0);
    Workflow v1 = Workflow.gigsta();
    Workflow v2 = withDisputes();
    BookingEngine first = BookingEngine.builder().withWorkflow(v1).withAuditTrail(trail).withClock(clock).build();
    first.requestBooking("b-old", CUSTOMER, "g-1", null);
    first.perform("b-old", GIGSTA, "accept_booking", null);

    BookingEngine second = BookingEngine.builder().withWorkflow(v2).withEarlierVersions(v1).withAuditTrail(trail)
        .withClock(clock).build();
    second.requestBooking("b-new", CUSTOMER, "g-1", null);
    second.perform("b-new", GIGSTA, "accept_booking", null);

    assertThat(second.load("b-old").workflowVersion()).isEqualTo(WorkflowVersion.of("gigsta", 1));
    assertThat(second.load("b-new").workflowVersion()).isEqualTo(WorkflowVersion.of("gigsta", 2));
    assertThat(names(second.getAvailableBookingActions("b-old", CUSTOMER))).containsExactly("cancel_booking");
    assertThat(names(second.getAvailableBookingActions("b-new", CUSTOMER)))
        .containsExactly("cancel_booking", "open_dispute");
    // Version 1 has no such action at all; version 2 takes it.
    assertThatThrownBy(() -> second.perform("b-old", CUSTOMER, "open_dispute", null))
        .isInstanceOf(UnknownActionException.class);
    assertThat(second.perform("b-new", CUSTOMER, "open_dispute", null).booking().state()).isEqualTo(DISPUTED);
    assertThat(second.history("b-old")).extracting(AuditEntry::workflowVersion)
        .containsOnly(WorkflowVersion.of("gigsta", 1));
    // The engine of version 1 alone refuses the booking it does not know the rules of.
    assertThatThrownBy(() -> first.getAvailableBookingActions("b-new", CUSTOMER))
        .isInstanceOf(UnknownWorkflowVersionException.class);
    assertThat(first.missingWorkflowVersions()).containsExactly(Map.entry(WorkflowVersion.of("gigsta", 2), 1L));
  }

  @Example
  void aMigratedBookingIsListedAndPerformedByTheLaterVersion() {
    InMemoryAuditTrail trail = new InMemoryAuditTrail();
    Workflow v1 = Workflow.gigsta();
    Workflow v2 = withDisputes();
    BookingEngine first = BookingEngine.builder().withWorkflow(v1).withAuditTrail(trail)
        .withClock(new MutableClock(T0)).build();
    first.requestBooking("b-accepted", CUSTOMER, "g-1", null);
    first.perform("b-accepted", GIGSTA, "accept_booking", null);
    first.requestBooking("b-requested", CUSTOMER, "g-1", null);
    BookingEngine engine = BookingEngine.builder().withWorkflow(v2).withEarlierVersions(v1).withAuditTrail(trail)
        .withClock(new MutableClock(T0)).build();
    WorkflowMigration migration = WorkflowMigration.between(v1, v2).map(ACCEPTED, ACCEPTED)
        .stay(REQUESTED, IN_PROGRESS).build();

    MigrationResult result = engine.migrateAll(migration, OPERATOR, "Disputes go live");

    assertThat(result).isEqualTo(new MigrationResult(1, 1, 0));
    AuditEntry moved = engine.history("b-accepted").get(2);
    assertThat(moved.actionName()).isEqualTo(WorkflowMigration.ACTION_NAME);
    assertThat(moved.fromState()).isEqualTo(ACCEPTED);
    assertThat(moved.toState()).isEqualTo(ACCEPTED);
    assertThat(moved.workflowVersion()).isEqualTo(v2.workflowVersion());
    assertThat(names(engine.getAvailableBookingActions("b-accepted", CUSTOMER)))
        .containsExactly("cancel_booking", "open_dispute");
    assertThat(engine.perform("b-accepted", CUSTOMER, "open_dispute", null).entry().workflowVersion())
        .isEqualTo(v2.workflowVersion());
    // The request stayed: still version 1, whose customer cannot dispute.
    assertThat(engine.load("b-requested").workflowVersion()).isEqualTo(v1.workflowVersion());
    assertThat(engine.migrate("b-requested", migration, OPERATOR, "again")).isEmpty();
    assertThat(engine.migrateAll(migration, OPERATOR, "again")).isEqualTo(new MigrationResult(0, 1, 0));
  }

  @Example
  void aMigrationThatWouldLoseEndOrReopenBookingsIsRefusedWhenBuilt() {
    Workflow v1 = Workflow.gigsta();
    // Disputes, and no IN_PROGRESS: a GigSta completes an accepted booking directly.
    Workflow v3 = withDisputes().toBuilder().version(3).removeState(IN_PROGRESS)
        .action("mark_completed").by(Role.GIGSTA).from(ACCEPTED).to(COMPLETED)
            .label("Mark as completed").note("Booking marked as completed").payment(PaymentMoment.PAYOUT).add()
        .build();

    assertThatThrownBy(() -> WorkflowMigration.between(v1, v3).map(REQUESTED, REQUESTED).map(ACCEPTED, ACCEPTED)
        .map(IN_PROGRESS, IN_PROGRESS).build()).isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("IN_PROGRESS is mapped to IN_PROGRESS, which is not a state of gigsta v3");
    assertThatThrownBy(() -> WorkflowMigration.between(v1, v3).map(REQUESTED, REQUESTED).map(ACCEPTED, ACCEPTED)
        .build()).isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("IN_PROGRESS is neither mapped nor declared to stay");
    assertThatThrownBy(() -> WorkflowMigration.between(v1, v3).map(REQUESTED, REQUESTED).map(ACCEPTED, COMPLETED)
        .stay(IN_PROGRESS).build()).isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("ACCEPTED -> COMPLETED would end bookings");
    assertThatThrownBy(() -> WorkflowMigration.between(v1, v3).map(COMPLETED, ACCEPTED)
        .stay(REQUESTED, ACCEPTED, IN_PROGRESS).build()).isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("COMPLETED -> ACCEPTED would reopen bookings");
    assertThatThrownBy(() -> WorkflowMigration.between(v3, v1).stay(REQUESTED, ACCEPTED, DISPUTED).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("version 1 is not later than version 3");
    // Without those mistakes it builds; IN_PROGRESS stays pinned.
    WorkflowMigration valid = WorkflowMigration.between(v1, v3).map(REQUESTED, REQUESTED).map(ACCEPTED, ACCEPTED)
        .stay(IN_PROGRESS).build();
    assertThat(valid.target(ACCEPTED)).contains(ACCEPTED);
    assertThat(valid.target(IN_PROGRESS)).isEmpty();
  }
}
