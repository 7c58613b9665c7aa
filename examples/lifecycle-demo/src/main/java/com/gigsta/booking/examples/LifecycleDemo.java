package com.gigsta.booking.examples;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;
import static com.gigsta.booking.BookingState.REQUESTED;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.MigrationResult;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentFailedException;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Reminder;
import com.gigsta.booking.Role;
import com.gigsta.booking.UnknownWorkflowVersionException;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowMigration;
import com.gigsta.booking.WorkflowReminder;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.jdbc.ChainVerification;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.testing.FakeProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Walks bookings through the main lifecycles and prints, at every step, the actions each person may
 * take as the JSON a UI would receive, with what each would charge, refund or pay out, then the audit trail
 * as stored in an embedded H2 database and the check of its hash chain. Besides the happy paths it shows
 * the refusals: a declined card, actions nobody offered, and an action chosen on a screen that showed an
 * older version of the booking.
 *
 * <p>The payment provider is a {@code FakeProcessor}, which answers like a card processor: it keeps holds,
 * replays an idempotency key's first result, and refuses to refund more than it captured. The default
 * workflow charges at acceptance: {@code perform} authorizes the price before it records the acceptance
 * (a decline refuses it), and records with the change what it owes afterwards (the capture, a refund, a
 * payout) without calling anybody for it; a {@link DeliveryWorker} over the same trail delivers that. The
 * demo runs the worker after every change that owes something, shows a refund whose answer the provider
 * lost, and crashes: {@link CrashAndRecovery} kills a process that has just recorded an acceptance and a
 * cancellation, and the capture and the refund are made, once each, after the restart. Last it prints
 * every booking's ledger at the provider.
 *
 * <p>The same worker takes the workflow's timed rules and sends its reminders when they fall due. The
 * demo's clock is moved forward by hand, so a request nobody answers is seen to get its reminder to the
 * GigSta and then to expire by itself, with nobody calling anything but the worker.
 *
 * <p>After the crash, version 2 of the workflow ({@link DisputesWorkflow}, which adds a state
 * {@code DISPUTED}) is deployed next to version 1 over the same trail: a booking made before the deploy
 * stays pinned to version 1 and is offered version 1's actions, one made after gets version 2's, until an
 * operator migrates the version 1 bookings and the older one is offered the new action too.
 */
public final class LifecycleDemo {

  private static final Actor ANNA = Actor.customer("anna");
  private static final Actor GREG = Actor.gigsta("greg");
  private static final Actor STRANGER = Actor.customer("mallory");
  private static final Actor OLGA = Actor.operator("olga");

  /** What a booking costs unless a scene says otherwise. */
  private static final Money PRICE = Money.of(8_000, "EUR");

  private final ObjectMapper json = new ObjectMapper();
  private final DemoClock clock = new DemoClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final FakeProcessor provider = FakeProcessor.builder().withClock(clock).build();
  private final AuditTrail trail;
  // The engine and worker of the deployed service: version 1 of the workflow until scene 11 deploys version 2.
  private BookingEngine engine;
  private DeliveryWorker worker;

  LifecycleDemo(AuditTrail trail) {
    this.trail = trail;
    deploy(Workflow.gigsta());
  }

  /**
   * Starts the service with {@code current} for new bookings and {@code earlier} for the bookings still
   * pinned to them: a new engine and worker over the demo's trail, with the demo's provider and clock.
   */
  private void deploy(Workflow current, Workflow... earlier) {
    this.engine = BookingEngine.builder().withAuditTrail(trail)
        .withWorkflow(current)
        .withEarlierVersions(earlier)
        .withPaymentHooks(new PrintingProvider(provider.hooks()))
        .withClock(clock)
        .onChange(change -> System.out.printf("  [listener] %s is now %s%n", change.booking().id(),
            change.booking().state()))
        .build();
    // Settlements, timed rules and reminders. It reads the demo's clock, so a failed delivery is retried once
    // the demo moves the clock past its backoff, and a timer falls due once the demo moves it past the deadline.
    this.worker = DeliveryWorker.builder(engine).withBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5))
        .withReminders(LifecycleDemo::printReminder)
        .build();
  }

  /** Runs every lifecycle against a durable audit trail in an embedded H2 database. */
  public static void main(String[] args) throws Exception {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:gigsta-demo;DB_CLOSE_DELAY=-1");
    JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).withCreateTableIfMissing(true).build();
    new LifecycleDemo(trail).run();

    System.out.printf("%n=== Tamper evidence ===%n");
    for (String id : List.of("booking-1", "booking-2", "booking-3", "booking-4", "booking-5", "booking-6",
        "booking-7", "booking-8", "booking-10", "booking-11")) {
      ChainVerification check = trail.verify(id);
      System.out.printf("verify(%s): %s, entries checked: %d%n", id, check.intact() ? "intact" : "BROKEN at "
          + check.firstBrokenSequence().getAsLong() + ": " + check.problem(), check.entriesChecked());
    }
  }

  void run() throws Exception {
    title("1. Requested, accepted (the card is charged), in progress, completed (the GigSta is paid)");
    Booking booking = request("booking-1");
    System.out.printf("%nNothing is secured while the request waits. Accepting authorizes %s before the acceptance "
        + "is recorded, and the worker captures it right after:%n", PRICE);
    booking = act(booking, GREG, "accept_booking", null);
    booking = act(booking, GREG, "mark_in_progress", null);
    act(booking, GREG, "mark_completed", null);

    title("2. Declined by the GigSta: no money moves");
    act(request("booking-2"), GREG, "decline_booking", "Fully booked that week");

    title("3. Cancelled by the customer less than 24 hours before the start: half back");
    booking = act(request("booking-3", PRICE, clock.instant().plus(Duration.ofHours(20))), GREG, "accept_booking",
        null);
    clock.advance(Duration.ofHours(1));
    BookingAction cancel = engine.getAvailableBookingActions(booking, ANNA).stream()
        .filter(action -> action.actionName().equals("cancel_booking")).findFirst().orElseThrow();
    Duration notice = Duration.between(clock.instant(), booking.scheduledStart());
    System.out.printf("%nAt %s, %d h %d min before the start, Anna's screen lists what cancelling would do before "
        + "she confirms:%n  %s%n  refund %s, fee %s%n", clock.instant(), notice.toHours(), notice.toMinutesPart(),
        json.writeValueAsString(cancel), cancel.refund(), cancel.fee());
    booking = act(booking, ANNA, "cancel_booking", "Found a date closer to home");
    AuditEntry cancellation = engine.history(booking.id()).get(2);
    System.out.printf("  recorded with the change: amount %s, fee %s (the figures listed, by the same code and "
        + "clock)%n", cancellation.amount(), cancellation.fee());

    title("4. Cancelled by the GigSta after acceptance, a booking priced in yen: everything back");
    booking = act(request("booking-4", Money.of(9_800, "JPY"), clock.instant().plus(Duration.ofDays(7))), GREG,
        "accept_booking", null);
    act(booking, GREG, "cancel_booking", "Van broke down");

    title("5. Expired by itself: nobody answers the request, and no money moves");
    Booking unanswered = request("booking-5");
    showTimers(unanswered);
    clock.advance(Duration.ofDays(4));
    System.out.printf("%nNobody answers. The clock moves 4 days on, to %s: nothing is due yet%n", clock.instant());
    sweep();
    clock.advance(Duration.ofDays(1));
    System.out.printf("%nAnother day, to %s: the reminder is due%n", clock.instant());
    sweep();
    clock.advance(Duration.ofDays(1));
    System.out.printf("%nAnother day, to %s: the request is due to expire; nobody calls anything but the worker%n",
        clock.instant());
    sweep();
    showActions(engine.load(unanswered.id()));
    System.out.printf("  nothing was secured while the request waited, so the expiry owes nothing: the provider "
        + "never heard of %s (%d calls)%n", unanswered.id(), callsFor(unanswered.id()));
    System.out.printf("%nThe worker runs again: nothing is left. The expiry was taken once and the reminder sent once;%n"
        + "the requests of scenes 1 to 4 were answered within minutes, which cancelled their timers%n");
    sweep();

    title("6. The card is declined: the booking stays REQUESTED; accepted once the card is fixed, with a new key");
    booking = request("booking-6");
    provider.declineCardsOf(ANNA.id());
    System.out.printf("%n(Anna's card is declined from now on)%n");
    act(booking, GREG, "accept_booking", null);
    showActions(engine.load(booking.id()));
    provider.fixCard(ANNA.id());
    System.out.printf("%nAnna fixes her card. Greg accepts again: a new payment attempt, so a new idempotency key, "
        + "which the provider answers afresh instead of replaying the decline%n");
    act(engine.load(booking.id()), GREG, "accept_booking", null);

    title("7. Refusals the UI never offers, but the engine enforces anyway");
    Booking completed = engine.load("booking-1");
    act(completed, ANNA, "cancel_booking", null);
    act(engine.load("booking-6"), STRANGER, "cancel_booking", null);
    act(engine.load("booking-6"), ANNA, "mark_in_progress", null);
    act(engine.load("booking-6"), GREG, "approve_booking", null);

    title("8. A decision made on an out-of-date screen");
    // A host that keeps no snapshot sends the booking id and the version the person's screen showed.
    Booking onAnnasScreen = request("booking-7");
    act(onAnnasScreen, GREG, "accept_booking", null);
    // Anna chose "cancel" while the request was open, when cancelling cost nothing. Greg has accepted since,
    // so cancelling now means a refund: her click on version 1 is refused, not applied to ACCEPTED.
    Booking reloaded = actOnVersion(onAnnasScreen, ANNA, "cancel_booking", "Found a date closer to home");
    actOnVersion(reloaded, ANNA, "cancel_booking", "Found a date closer to home");

    title("9. The provider's answer to a refund is lost: the worker repeats it, and it is made once");
    booking = act(request("booking-8"), GREG, "accept_booking", null);
    provider.loseNextAnswers(1);
    System.out.printf("%n(the provider will make the next call but its answer will be lost on the way back)%n");
    act(booking, ANNA, "cancel_booking", "Plans changed");
    clock.advance(Duration.ofSeconds(10));
    System.out.printf("%n10 seconds later, the backoff has passed: the same refund, with the same key, gets the "
        + "provider's first answer%n");
    sweep();
    System.out.printf("  %s%n", ledgerLine(provider.ledger("booking-8")));

    title("10. Crash and recovery: a process dies after recording an acceptance and a cancellation");
    CrashAndRecovery.run(provider);

    title("11. Workflow versions: DISPUTED added to the live workflow; bookings keep their version until migrated");
    workflowVersions();

    title("Audit trail of booking-1, read back from H2");
    for (AuditEntry entry : engine.history("booking-1")) {
      System.out.println(json.writeValueAsString(entry));
    }
    title("The provider's ledger per booking");
    for (int i = 1; i <= 11; i++) {
      System.out.println(ledgerLine(provider.ledger("booking-" + i)));
    }
    System.out.printf("%d calls took effect at the provider; a decline, a call that never reached it and the replay "
        + "of a key it already answered take none%n", provider.effectiveCalls().size());
  }

  /**
   * Scene 11: version 2 of the workflow ({@link DisputesWorkflow}) deployed next to version 1 over the same
   * trail. A booking accepted before the deploy and one accepted after it are offered different actions in
   * the same state; an operator migrates the version 1 bookings, and the older booking is offered the new
   * action too. Last, its customer reports a problem and the operator refunds her in full.
   */
  void workflowVersions() throws Exception {
    Workflow v1 = engine.workflow();
    System.out.printf("%nThe service runs %s: every booking is created under it and pinned to it%n",
        v1.workflowVersion());
    Booking pinnedToV1 = act(request("booking-10"), GREG, "accept_booking", null);

    Workflow v2 = DisputesWorkflow.V2;
    System.out.printf("%n%s adds a state for disputes; v2.changesFrom(v1):%n", v2.workflowVersion());
    v2.changesFrom(v1).toString().lines().forEach(line -> System.out.printf("  %s%n", line));

    System.out.printf("%nThe service is deployed with %s, over the same trail. Its start-up check:%n",
        v2.workflowVersion());
    BookingEngine v2Alone = BookingEngine.builder().withAuditTrail(trail).withWorkflow(v2).withClock(clock).build();
    System.out.printf("  workflowVersionsInUse() = %s%n", v2Alone.workflowVersionsInUse());
    System.out.printf("  an engine given %s alone: missingWorkflowVersions() = %s, so it must not start; asked "
        + "about %s anyway:%n", v2.workflowVersion(), v2Alone.missingWorkflowVersions(), pinnedToV1.id());
    try {
      v2Alone.getAvailableBookingActions(pinnedToV1.id(), ANNA);
    } catch (UnknownWorkflowVersionException e) {
      System.out.printf("  refused, %s: %s%n", e.code(), e.getMessage());
    }
    deploy(v2, v1);
    System.out.printf("  the engine deployed, withWorkflow(v2).withEarlierVersions(v1): missingWorkflowVersions() "
        + "= %s%n", engine.missingWorkflowVersions());

    System.out.printf("%nNew bookings are created under %s:%n", engine.workflow().workflowVersion());
    act(request("booking-11"), GREG, "accept_booking", null);

    System.out.printf("%nBoth are ACCEPTED, and offered different actions in the same state: each booking follows "
        + "the version it is pinned to%n");
    for (String id : List.of("booking-10", "booking-11")) {
      Booking booking = engine.load(id);
      System.out.printf("  %s, %s, %s: %s %s%n", id, booking.state(), booking.workflowVersion(), ANNA,
          json.writeValueAsString(engine.getAvailableBookingActions(booking, ANNA)));
    }

    WorkflowMigration toV2 = WorkflowMigration.between(v1, v2)
        .map(ACCEPTED, ACCEPTED)
        .map(IN_PROGRESS, IN_PROGRESS)
        .stay(REQUESTED)
        .build();
    String reason = "Disputes are open to bookings already accepted";
    clock.advance(Duration.ofMinutes(30));
    System.out.printf("%n%s migrates every booking pinned to %s (%s)%n  %s%n", OLGA, v1.workflowVersion(), reason,
        toV2);
    MigrationResult migrated = engine.migrateAll(toV2, OLGA, reason);
    System.out.printf("  migrateAll: %s%n", migrated);
    System.out.printf("%nRun again, as after a crash part-way or on a second instance, it finds nothing left to "
        + "move:%n");
    System.out.printf("  migrateAll: %s%n", engine.migrateAll(toV2, OLGA, reason));

    System.out.printf("%nThe history of %s, each entry with the version it is pinned to:%n", pinnedToV1.id());
    for (AuditEntry entry : engine.history(pinnedToV1.id())) {
      System.out.printf("  %-9s %s%n", entry.workflowVersion(), json.writeValueAsString(entry));
    }
    System.out.printf("%n%s now follows %s and is offered open_dispute:%n", pinnedToV1.id(), v2.workflowVersion());
    Booking migratedBooking = engine.load(pinnedToV1.id());
    showActions(migratedBooking);

    System.out.printf("%nAnna reports a problem; Olga, the operator, resolves it for her, and the whole price comes "
        + "back%n");
    Booking disputed = act(migratedBooking, ANNA, DisputesWorkflow.OPEN_DISPUTE, "Greg did not turn up");
    act(disputed, OLGA, DisputesWorkflow.RESOLVE_FOR_CUSTOMER, "Greg confirmed he could not come");
    System.out.printf("  %s%n", ledgerLine(provider.ledger(pinnedToV1.id())));
  }

  /** One booking's ledger at the provider, as one line. */
  static String ledgerLine(FakeProcessor.Ledger ledger) {
    if (ledger.currency() == null) {
      return String.format("%-10s no call reached the provider: nothing authorized, captured, refunded or paid out",
          ledger.bookingId());
    }
    return String.format("%-10s authorized %9s, captured %9s, refunded %9s, paid out %9s, charged %9s%s",
        ledger.bookingId(), money(ledger.authorized(), ledger), money(ledger.captured(), ledger),
        money(ledger.refunded(), ledger), money(ledger.paidOut(), ledger), money(ledger.charged(), ledger),
        ledger.declines() == 0 ? "" : ", " + ledger.declines() + (ledger.declines() == 1 ? " decline" : " declines"));
  }

  private static Money money(long amountMinor, FakeProcessor.Ledger ledger) {
    return new Money(amountMinor, ledger.currency());
  }

  private long callsFor(String bookingId) {
    return provider.effectiveCalls().stream().filter(call -> call.request().bookingId().equals(bookingId)).count();
  }

  private Booking request(String id) throws Exception {
    return request(id, PRICE, clock.instant().plus(Duration.ofDays(7)));
  }

  private Booking request(String id, Money price, Instant start) throws Exception {
    Booking booking = engine.requestBooking(id, ANNA, GREG.id(), start, price).booking();
    System.out.printf("%n%s requests %s from %s at %s, to start at %s%n", ANNA, id, GREG, price, start);
    showActions(booking);
    return booking;
  }

  private Booking act(Booking booking, Actor actor, String action, String reason) throws Exception {
    clock.advance(Duration.ofMinutes(30));
    System.out.printf("%n%s performs %s%s%n", actor, action, reason == null ? "" : " (\"" + reason + "\")");
    try {
      BookingChange change = engine.perform(booking, actor, action, reason);
      showActions(change.booking());
      deliver(change.entry());
      return change.booking();
    } catch (PaymentFailedException e) {
      System.out.printf("  refused, %s, %s: %s%n", e.code(), e.declined()
          ? "declined (the next attempt gets a new key)" : "outcome unknown (the next attempt repeats the key)",
          e.getMessage());
      return booking;
    } catch (BookingException e) {
      System.out.printf("  refused, %s: %s%n", e.code(), e.getMessage());
      return booking;
    }
  }

  /**
   * Acts as a request carrying only the booking id and the version the person saw would, and returns what
   * the person sees next: the booking after the change, or reloaded after a refusal.
   */
  private Booking actOnVersion(Booking seen, Actor actor, String action, String reason) throws Exception {
    clock.advance(Duration.ofMinutes(30));
    System.out.printf("%n%s performs %s on %s as seen at version %d%s%n", actor, action, seen.id(), seen.version(),
        reason == null ? "" : " (\"" + reason + "\")");
    try {
      BookingChange change = engine.perform(seen.id(), seen.version(), actor, action, reason);
      showActions(change.booking());
      deliver(change.entry());
      return change.booking();
    } catch (BookingException e) {
      System.out.printf("  refused, %s: %s%n", e.code(), e.getMessage());
      Booking reloaded = engine.load(seen.id());
      showActions(reloaded);
      return reloaded;
    }
  }

  /**
   * If the recorded change owes the provider a capture, release, refund or payout, says so and runs the
   * delivery worker, which makes the call: perform itself never does.
   */
  private void deliver(AuditEntry entry) {
    PaymentMoment owed = workflowOf(entry).rules().stream()
        .filter(rule -> entry.fromState() != null && entry.fromState().equals(rule.from())
            && rule.role() == entry.actorRole() && rule.actionName().equals(entry.actionName()))
        .map(WorkflowRule::payment).findFirst().orElse(PaymentMoment.NONE);
    if (!owed.settlesAfterRecording()) {
      return;
    }
    String what = switch (owed) {
      case CHARGE, CAPTURE -> "the capture of";
      case RELEASE -> "the release of";
      case REFUND -> "a refund of";
      case PAYOUT -> "a payout to the GigSta of";
      case NONE, SECURE -> throw new IllegalStateException(owed + " settles nothing after recording");
    };
    System.out.printf("  owes %s %s%s, stored with the change; perform called nobody for it. The delivery worker "
        + "runs:%n", what, entry.amount(), entry.fee() == null ? "" : " (the fee kept: " + entry.fee() + ")");
    sweep();
  }

  /** The hosted version whose rules the entry followed: the one it is pinned to. */
  private Workflow workflowOf(AuditEntry entry) {
    WorkflowVersion pinned = entry.workflowVersion();
    return engine.workflows().stream().filter(workflow -> workflow.workflowVersion().equals(pinned)).findFirst()
        .orElseThrow(() -> new IllegalStateException(entry.bookingId() + " is pinned to " + pinned
            + ", which the engine does not host"));
  }

  private void sweep() {
    DeliveryWorker.Sweep sweep = worker.drain();
    System.out.printf("  [worker] delivered %d, to retry %d, dead letters %d%s%n", sweep.delivered(), sweep.retried(),
        sweep.deadLettered(), sweep.timersFired() == 0 ? "" : ", timed actions taken " + sweep.timersFired());
  }

  /** Prints when the workflow's timed rules and reminders of the booking's state fall due for it. */
  private void showTimers(Booking booking) {
    List<AuditEntry> history = engine.history(booking.id());
    BookingTimes times = new BookingTimes(history.get(history.size() - 1), history.get(0).occurredAt());
    for (WorkflowRule rule : engine.workflow().timedRules()) {
      if (rule.from().equals(booking.state())) {
        System.out.printf("  %s by %s falls due at %s: %s%n", rule.actionName(), rule.role(),
            rule.deadline().dueAt(times).map(Object::toString).orElse("never"), rule.deadline());
      }
    }
    for (WorkflowReminder reminder : engine.workflow().reminders()) {
      if (reminder.state().equals(booking.state())) {
        System.out.printf("  reminder %s to %s falls due at %s: %s%n", reminder.name(), reminder.recipient(),
            reminder.deadline().dueAt(times).map(Object::toString).orElse("never"), reminder.deadline());
      }
    }
  }

  /** The demo's reminder consumer: a real one would send an email or a push message. */
  private static void printReminder(Reminder reminder) {
    WorkflowReminder what = reminder.reminder();
    Booking booking = reminder.booking();
    String to = switch (what.recipient()) {
      case CUSTOMER -> booking.customerId();
      case GIGSTA -> booking.gigstaId();
      default -> what.recipient().name().toLowerCase(Locale.ROOT) + "s";
    };
    System.out.printf("  [reminder] to %s about %s (%s, version %d): \"%s\" (due %s, key %s)%n", to, booking.id(),
        booking.state(), booking.version(), what.note(), reminder.dueAt(), reminder.idempotencyKey());
  }

  /**
   * Prints what each person may do on the booking: its customer, its GigSta, a stranger and the system, and
   * an operator too once a hosted version gives operators actions.
   */
  private void showActions(Booking booking) throws Exception {
    System.out.printf("  %s is %s (version %d)%n", booking.id(), booking.state(), booking.version());
    List<Actor> actors = new ArrayList<>(List.of(ANNA, GREG, STRANGER, Actor.system()));
    if (engine.workflows().stream().flatMap(workflow -> workflow.rules().stream())
        .anyMatch(rule -> rule.role() == Role.OPERATOR)) {
      actors.add(OLGA);
    }
    for (Actor actor : actors) {
      System.out.printf("  %-16s %s%n", actor, json.writeValueAsString(engine.getAvailableBookingActions(booking, actor)));
    }
  }

  private void title(String text) {
    System.out.printf("%n=== %s ===%n", text);
  }

  /** A clock the demo moves forward by hand, so expiry can be shown without waiting. */
  private static final class DemoClock extends Clock {
    private Instant now;

    DemoClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
