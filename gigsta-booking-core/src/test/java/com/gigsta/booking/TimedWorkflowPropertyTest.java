package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.DECLINED;
import static com.gigsta.booking.BookingState.EXPIRED;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random timed rules, reminders and deadlines, checked against a model written out independently here:
 * which workflows {@link Workflow.Builder#build()} accepts and what it says about the others, when
 * {@link Deadline#dueAt} falls, and that a {@link DeliveryWorker} takes a timed rule exactly then.
 */
class TimedWorkflowPropertyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final long TEN_DAYS = Duration.ofDays(10).toNanos();
  private static final BookingState DISPUTED = BookingState.of("DISPUTED");
  private static final AtomicLong WORKFLOWS = new AtomicLong();
  private static final AtomicLong REFUSED = new AtomicLong();
  private static final AtomicLong SWEPT = new AtomicLong();

  // ---- the model ----

  /** A deadline as plain data, for the model to evaluate and {@link #deadline()} to build. */
  sealed interface Node permits After, Before, Earliest, Latest {
    Deadline deadline();
  }

  record After(Duration duration, Timepoint timepoint) implements Node {
    @Override
    public Deadline deadline() {
      return Deadline.after(duration, timepoint);
    }
  }

  record Before(Duration duration, Node of) implements Node {
    @Override
    public Deadline deadline() {
      return Deadline.before(duration, of.deadline());
    }
  }

  record Earliest(List<Node> parts) implements Node {
    @Override
    public Deadline deadline() {
      return Deadline.earliestOf(parts.get(0).deadline(), rest(parts));
    }
  }

  record Latest(List<Node> parts) implements Node {
    @Override
    public Deadline deadline() {
      return Deadline.latestOf(parts.get(0).deadline(), rest(parts));
    }
  }

  private static Deadline[] rest(List<Node> parts) {
    return parts.subList(1, parts.size()).stream().map(Node::deadline).toArray(Deadline[]::new);
  }

  /** When the deadline falls, as written; null when every part it needs is a scheduled start there is not. */
  static Instant falls(Node node, Instant entered, Instant created, Instant start) {
    if (node instanceof After after) {
      Instant from = after.timepoint() == Timepoint.STATE_ENTERED ? entered
          : after.timepoint() == Timepoint.CREATED ? created : start;
      return from == null ? null : from.plus(after.duration());
    }
    if (node instanceof Before before) {
      Instant of = falls(before.of(), entered, created, start);
      return of == null ? null : of.minus(before.duration());
    }
    boolean earliest = node instanceof Earliest;
    List<Node> parts = earliest ? ((Earliest) node).parts() : ((Latest) node).parts();
    Instant chosen = null;
    for (Node part : parts) {
      Instant falls = falls(part, entered, created, start);
      if (falls != null && (chosen == null || (earliest ? falls.isBefore(chosen) : falls.isAfter(chosen)))) {
        chosen = falls;
      }
    }
    return chosen;
  }

  /** When a timer with this deadline is due: when it falls, but not before the state was entered. */
  static Instant due(Node node, Instant entered, Instant created, Instant start) {
    Instant falls = falls(node, entered, created, start);
    return falls == null ? null : falls.isBefore(entered) ? entered : falls;
  }

  /** Every duration in the tree, parents before their parts. */
  static void durations(Node node, List<Node> withDuration) {
    if (node instanceof After) {
      withDuration.add(node);
    } else if (node instanceof Before before) {
      withDuration.add(node);
      durations(before.of(), withDuration);
    } else {
      (node instanceof Earliest earliest ? earliest.parts() : ((Latest) node).parts())
          .forEach(part -> durations(part, withDuration));
    }
  }

  static Duration durationOf(Node node) {
    return node instanceof After after ? after.duration() : ((Before) node).duration();
  }

  // ---- generators ----

  Arbitrary<Node> nodes(Arbitrary<Duration> durations, int depth) {
    Arbitrary<Timepoint> timepoints = Arbitraries.of(Timepoint.class);
    Arbitrary<Node> after = Combinators.combine(durations, timepoints).as(After::new);
    if (depth == 0) {
      return after;
    }
    Arbitrary<List<Node>> parts = nodes(durations, depth - 1).list().ofMinSize(1).ofMaxSize(3);
    return Arbitraries.frequencyOf(
        Tuple.of(4, after),
        Tuple.of(1, Combinators.combine(durations, nodes(durations, depth - 1)).as(Before::new)),
        Tuple.of(2, parts.map(Earliest::new)),
        Tuple.of(2, parts.map(Latest::new)));
  }

  Arbitrary<Duration> anyDurations() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(1, 240).map(Duration::ofHours)),
        Tuple.of(3, Arbitraries.longs().between(-TEN_DAYS, TEN_DAYS).map(Duration::ofNanos)),
        Tuple.of(1, Arbitraries.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(-1))));
  }

  // Mostly positive, so that whole workflows are often valid; now and then zero or negative.
  Arbitrary<Duration> mostlyPositiveDurations() {
    return Arbitraries.frequencyOf(
        Tuple.of(30, positiveDurations()),
        Tuple.of(1, Arbitraries.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(-1))));
  }

  Arbitrary<Duration> positiveDurations() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(1, 240).map(Duration::ofHours)),
        Tuple.of(1, Arbitraries.longs().between(1, TEN_DAYS).map(Duration::ofNanos)));
  }

  Arbitrary<Instant> around(Instant instant) {
    return Arbitraries.longs().between(-3 * TEN_DAYS, 3 * TEN_DAYS).map(instant::plusNanos);
  }

  record TimedSpec(BookingState from, BookingState to, Role role, Node deadline) {}

  record ReminderSpec(String name, BookingState state, Role recipient, Node deadline) {}

  @Provide
  Arbitrary<List<TimedSpec>> timedRules() {
    Arbitrary<Role> roles = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(Role.SYSTEM)),
        Tuple.of(1, Arbitraries.of(Role.class)));
    return Combinators.combine(Arbitraries.of(REQUESTED, ACCEPTED), Arbitraries.of(ACCEPTED, DECLINED, COMPLETED),
        roles, nodes(mostlyPositiveDurations(), 2)).as(TimedSpec::new).list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<ReminderSpec>> reminders() {
    Arbitrary<String> names = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("nudge", "remind_gigsta", "a", "r2", "x".repeat(55))),
        Tuple.of(1, Arbitraries.of("Nudge", "2nudge", "nudge-now", "", "x".repeat(56))));
    Arbitrary<BookingState> states = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of(REQUESTED, ACCEPTED, COMPLETED)), Tuple.of(1, Arbitraries.just(DISPUTED)));
    Arbitrary<Role> recipients = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of(Role.CUSTOMER, Role.GIGSTA, Role.OPERATOR)),
        Tuple.of(1, Arbitraries.just(Role.SYSTEM)));
    return Combinators.combine(names, states, recipients, nodes(mostlyPositiveDurations(), 2))
        .as(ReminderSpec::new).list().ofMaxSize(3);
  }

  // ---- build accepts exactly the valid workflows ----

  @Property(tries = 200)
  void buildAcceptsExactlyTheValidTimedRulesAndRemindersAndNamesEveryProblem(
      @ForAll("timedRules") List<TimedSpec> timed, @ForAll("reminders") List<ReminderSpec> reminders,
      @ForAll boolean scheduledStartRequired) {
    WORKFLOWS.incrementAndGet();
    Workflow.Builder builder = Workflow.builder("random").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .scheduledStartRequired(scheduledStartRequired)
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("decline_booking").by(Role.GIGSTA).from(REQUESTED).to(DECLINED).label("Decline").note("Declined")
            .add()
        .action("mark_completed").by(Role.GIGSTA).from(ACCEPTED).to(COMPLETED).label("Done").note("Done").add()
        .terminalStates(DECLINED, COMPLETED);
    List<String> expected = new ArrayList<>();
    Set<String> outcomes = new HashSet<>();
    for (int i = 0; i < timed.size(); i++) {
      TimedSpec rule = timed.get(i);
      String action = "timer_" + i;
      builder.action(action).by(rule.role()).from(rule.from()).to(rule.to()).label("Timer").note("Timer")
          .after(rule.deadline().deadline()).add();
      String what = "timed rule " + action + " from " + rule.from();
      if (rule.role() != Role.SYSTEM) {
        expected.add(what + " is taken by the system when due, so it must be by SYSTEM, not " + rule.role());
      }
      if (!outcomes.add(rule.from() + " to " + rule.to())) {
        expected.add("more than one timed rule from " + rule.from() + " to " + rule.to() + "; at most one may be");
      }
      expectDeadlineProblems(what, rule.deadline(), scheduledStartRequired, expected);
    }
    Set<String> named = new HashSet<>();
    for (ReminderSpec reminder : reminders) {
      builder.reminder(reminder.name()).in(reminder.state()).to(reminder.recipient())
          .at(reminder.deadline().deadline()).note("Reminder").add();
      String what = "reminder " + reminder.name() + " in " + reminder.state();
      if (!isReminderName(reminder.name())) {
        expected.add(what + ": its name must be a-z, digits and '_', starting with a letter, at most 55 characters");
      }
      if (reminder.state().equals(DISPUTED)) {
        expected.add(what + ": DISPUTED is not a state of the workflow");
      }
      if (reminder.recipient() == Role.SYSTEM) {
        expected.add(what + ": reminders go to people, not to SYSTEM");
      }
      if (!named.add(reminder.name())) {
        expected.add("more than one reminder named " + reminder.name() + "; its deliveries are recorded under reminder."
            + reminder.name() + ", so the name must be unique in the workflow");
      }
      expectDeadlineProblems(what, reminder.deadline(), scheduledStartRequired, expected);
    }

    if (expected.isEmpty()) {
      Workflow workflow = builder.build();
      assertThat(workflow.timedRules()).extracting(WorkflowRule::deadline)
          .containsExactlyElementsOf(timed.stream().map(rule -> rule.deadline().deadline()).toList());
      assertThat(workflow.reminders()).hasSameSizeAs(reminders);
    } else {
      REFUSED.incrementAndGet();
      InvalidWorkflowException refused = catchThrowableOfType(InvalidWorkflowException.class, builder::build);
      assertThat(refused).as("refused: %s", expected).isNotNull();
      assertListsExactly(refused.getMessage(), expected);
    }
  }

  private static void expectDeadlineProblems(String what, Node deadline, boolean scheduledStartRequired,
      List<String> expected) {
    List<Node> withDuration = new ArrayList<>();
    durations(deadline, withDuration);
    for (Node node : withDuration) {
      Duration duration = durationOf(node);
      if (duration.isZero() || duration.isNegative()) {
        expected.add(what + ": durations must be positive but " + node.deadline() + " has " + duration);
      }
    }
    if (!scheduledStartRequired && falls(deadline, T0, T0, null) == null) {
      expected.add(what + ": " + deadline.deadline() + " counts only from the scheduled start, which a booking may "
          + "not have; combine it with CREATED or STATE_ENTERED, or declare scheduledStartRequired(true)");
    }
  }

  private static boolean isReminderName(String name) {
    if (name.isEmpty() || name.length() > 55 || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
      return false;
    }
    return name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }

  // The message lists exactly these problems, each once per time expected, in any order.
  private static void assertListsExactly(String message, List<String> problems) {
    String prefix = "workflow 'random' is invalid: ";
    assertThat(message).startsWith(prefix);
    String rest = message.substring(prefix.length());
    List<String> longestFirst = problems.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String problem : longestFirst) {
      int at = rest.indexOf(problem);
      assertThat(at).as("'%s' in: %s", problem, message).isNotNegative();
      rest = rest.substring(0, at) + "#" + rest.substring(at + problem.length());
    }
    assertThat(rest).as("nothing else in: %s", message).isEqualTo(String.join("; ", problems.stream()
        .map(problem -> "#").toList()));
  }

  // ---- Deadline.dueAt equals the model ----

  @Property(tries = 300)
  void dueAtFallsWhereTheModelSays(@ForAll("anyDeadlines") Node deadline, @ForAll("instants") Instant entered,
      @ForAll("backs") Duration sinceCreated, @ForAll("starts") Instant start) {
    Instant created = entered.minus(sinceCreated);

    assertThat(deadline.deadline().dueAt(DeadlineTest.times(entered, created, start)))
        .as("%s", deadline.deadline()).isEqualTo(Optional.ofNullable(due(deadline, entered, created, start)));
  }

  @Provide
  Arbitrary<Node> anyDeadlines() {
    return nodes(anyDurations(), 3);
  }

  @Provide
  Arbitrary<Instant> instants() {
    return around(T0);
  }

  @Provide
  Arbitrary<Duration> backs() {
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Duration.ZERO)),
        Tuple.of(3, Arbitraries.longs().between(0, TEN_DAYS).map(Duration::ofNanos)));
  }

  @Provide
  Arbitrary<Instant> starts() {
    return around(T0).injectNull(0.3);
  }

  // ---- a worker takes a timed rule exactly when the model says ----

  @Property(tries = 200)
  void aWorkerTakesATimedRuleAtTheModelsDueTimeAndNotANanosecondBefore(
      @ForAll("positiveDeadlines") Node deadline, @ForAll("startsFromNow") Instant start,
      @ForAll("touches") Duration touchedAfter, @ForAll boolean sweptAtCreation) {
    Assume.that(start != null || falls(deadline, T0, T0, null) != null);
    SWEPT.incrementAndGet();
    Workflow workflow = Workflow.builder("random-timer").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .scheduledStartRequired(start != null)
        .action("send_message").by(Role.CUSTOMER).from(REQUESTED).to(REQUESTED).label("Send").note("Sent").add()
        .action("time_out").by(Role.SYSTEM).from(REQUESTED).to(EXPIRED).after(deadline.deadline()).note("Timed out")
            .add()
        .terminalStates(EXPIRED).build();
    MutableClock clock = new MutableClock(T0);
    BookingEngine engine = BookingEngine.builder().withWorkflow(workflow).withAuditTrail(new InMemoryAuditTrail())
        .withClock(clock).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    Booking booking = engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", start).booking();
    if (sweptAtCreation) {
      worker.runOnce();
      if (!due(deadline, T0, T0, start).isAfter(T0)) {
        assertTimedOutAt(engine, T0);
        return;
      }
    }
    Instant entered = T0;
    if (!touchedAfter.isNegative()) {
      entered = T0.plus(touchedAfter);
      clock.set(entered);
      engine.perform(booking, Actor.customer("c-1"), "send_message");
    }
    Instant due = due(deadline, entered, T0, start);

    clock.set(due.minusNanos(1));
    worker.runOnce();
    assertThat(engine.load("b-1").state()).as("before %s", due).isEqualTo(REQUESTED);
    clock.set(due);
    worker.runOnce();
    assertTimedOutAt(engine, due);
  }

  private static void assertTimedOutAt(BookingEngine engine, Instant due) {
    List<AuditEntry> history = engine.history("b-1");
    assertThat(history).last().satisfies(entry -> {
      assertThat(entry.actionName()).isEqualTo("time_out");
      assertThat(entry.occurredAt()).isEqualTo(due);
    });
    assertThat(history).filteredOn(entry -> entry.actionName().equals("time_out")).hasSize(1);
  }

  @Provide
  Arbitrary<Node> positiveDeadlines() {
    return nodes(positiveDurations(), 2);
  }

  @Provide
  Arbitrary<Instant> startsFromNow() {
    return around(T0).injectNull(0.4);
  }

  @Provide
  Arbitrary<Duration> touches() {
    // Negative: the booking is not touched.
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(Duration.ofNanos(-1))),
        Tuple.of(1, Arbitraries.just(Duration.ZERO)),
        Tuple.of(2, Arbitraries.longs().between(1, TEN_DAYS / 2).map(Duration::ofNanos)));
  }

  @AfterContainer
  static void printCounts() {
    System.out.printf("timed workflows: %d built (%d refused), %d timers swept%n", WORKFLOWS.get(), REFUSED.get(),
        SWEPT.get());
  }
}
