package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.DECLINED;
import static com.gigsta.booking.BookingState.EXPIRED;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.ConcurrencyTest.CountingTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.spi.RecordingPaymentHooks;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Timed rules, taken by a {@link DeliveryWorker} when they fall due. The engine and its workers share one
 * clock that the tests move by hand.
 */
class TimedRulesTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private static final Duration SIX_DAYS = Duration.ofDays(6);

  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final RecordingPaymentHooks payments = new RecordingPaymentHooks();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments)
      .withClock(clock).build();

  @Test
  void shouldExpireAnUnansweredRequestSixDaysAfterItWasMadeNotOneNanosecondBefore() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);

    clock.set(T0.plus(SIX_DAYS).minusNanos(1));
    assertThat(worker.runOnce().isEmpty()).isTrue();
    assertThat(engine.load("b-1").state()).isEqualTo(REQUESTED);

    clock.set(T0.plus(SIX_DAYS));
    DeliveryWorker.Sweep sweep = worker.runOnce();

    assertThat(sweep).as("expired; a request has nothing secured, so nothing is owed")
        .isEqualTo(new DeliveryWorker.Sweep(0, 0, 0, 0, 1));
    assertThat(engine.history("b-1")).hasSize(2).last().satisfies(expired -> {
      assertThat(expired.actionName()).isEqualTo(GigstaWorkflow.EXPIRE_BOOKING);
      assertThat(expired.actor()).isEqualTo(Actor.system());
      assertThat(expired.fromState()).isEqualTo(REQUESTED);
      assertThat(expired.toState()).isEqualTo(EXPIRED);
      assertThat(expired.occurredAt()).isEqualTo(T0.plus(SIX_DAYS));
      assertThat(expired.note()).isEqualTo("Request expired without a response");
      assertThat(expired.reason()).isNull();
    });
    assertThat(payments.requests()).isEmpty();
    clock.advance(Duration.ofDays(1));
    assertThat(worker.drain().isEmpty()).isTrue();
    assertThat(engine.history("b-1")).hasSize(2);
  }

  @Test
  void shouldRetryNotDropAScheduledTimerThatIsNotYetDueByTheDeliveringWorkersClock() {
    // A worker whose clock runs behind claims a timer another worker scheduled when it fell due by its own.
    MutableClock behind = new MutableClock(T0);
    DeliveryWorker late = DeliveryWorker.builder(engine).withClock(behind)
        .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    trail.scheduleDelivery(Delivery.TIMERS, "b-1", 1, T0);

    behind.set(T0.plus(SIX_DAYS).minusSeconds(1));
    DeliveryWorker.Sweep early = late.runOnce();

    assertThat(early.retried()).as("kept for a retry, not marked done").isEqualTo(1);
    assertThat(early.timersFired()).isZero();
    assertThat(engine.load("b-1").state()).isEqualTo(REQUESTED);

    behind.set(T0.plus(SIX_DAYS));
    clock.set(T0.plus(SIX_DAYS));
    late.drain();

    assertThat(engine.load("b-1").state()).isEqualTo(EXPIRED);
    assertThat(engine.history("b-1").get(1).occurredAt()).isEqualTo(T0.plus(SIX_DAYS));
    assertThat(late.deadLetterCount(Delivery.TIMERS)).isZero();
  }

  @Test
  void shouldExpireADayAfterTheScheduledStartWhenThatComesFirstNotOneMicrosecondBefore() {
    MutableClock micros = new MutableClock(T0.plusNanos(123_456_789));
    BookingEngine microsEngine = BookingEngine.builder().withPaymentHooks(payments).withClock(micros)
        .withAuditTrail(new InMemoryAuditTrail(BookingLimits.defaults().withTimes(ChronoUnit.MICROS,
            Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"))))
        .build();
    DeliveryWorker worker = DeliveryWorker.builder(microsEngine).build();
    Instant start = T0.plus(Duration.ofDays(2)).plusNanos(654_321_000);
    microsEngine.requestBooking("soon", CUSTOMER, "g-1", start);
    microsEngine.requestBooking("far", CUSTOMER, "g-1", T0.plus(Duration.ofDays(30)));
    Instant due = start.plus(Duration.ofDays(1));

    micros.set(due.minus(1, ChronoUnit.MICROS));
    assertThat(worker.runOnce().timersFired()).isZero();
    micros.set(due);
    assertThat(worker.runOnce().timersFired()).isEqualTo(1);

    assertThat(microsEngine.load("soon").state()).isEqualTo(EXPIRED);
    assertThat(microsEngine.history("soon").get(1).occurredAt()).isEqualTo(due);
    assertThat(microsEngine.load("far").state()).as("six days after the request comes first").isEqualTo(REQUESTED);
    // Created at T0 truncated to micros.
    micros.set(T0.plusNanos(123_456_000).plus(SIX_DAYS).minus(1, ChronoUnit.MICROS));
    assertThat(worker.runOnce().timersFired()).isZero();
    micros.advance(Duration.ofNanos(1_000));
    assertThat(worker.runOnce().timersFired()).isEqualTo(1);
    assertThat(microsEngine.load("far").state()).isEqualTo(EXPIRED);
  }

  @Test
  void shouldExpireAtOnceARequestWhoseScheduledStartWasMoreThanADayAgo() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", T0.minus(Duration.ofDays(2)));

    assertThat(worker.runOnce().timersFired()).isEqualTo(1);

    assertThat(engine.load("b-1").state()).isEqualTo(EXPIRED);
    assertThat(engine.history("b-1").get(1).occurredAt()).isEqualTo(T0);
  }

  @Test
  void shouldNotExpireARequestTheGigstaAnsweredFirst() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    clock.advance(Duration.ofDays(5));
    engine.perform(booking, GIGSTA, "accept_booking");

    clock.advance(Duration.ofDays(30));

    assertThat(worker.drain().timersFired()).isZero();
    assertThat(engine.load("b-1").state()).isEqualTo(ACCEPTED);
    assertThat(engine.history("b-1")).hasSize(2);
  }

  @Test
  void shouldCountStateEnteredAgainFromAChangeThatKeepsTheState() {
    BookingEngine chat = engineFor(chat(Deadline.after(Duration.ofDays(2), Timepoint.STATE_ENTERED)));
    DeliveryWorker worker = DeliveryWorker.builder(chat).build();
    Booking booking = chat.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    worker.runOnce();
    clock.advance(Duration.ofDays(1));
    chat.perform(booking, CUSTOMER, "send_message");

    clock.set(T0.plus(Duration.ofDays(2)));
    assertThat(worker.runOnce().timersFired()).as("the first count was cancelled").isZero();
    clock.set(T0.plus(Duration.ofDays(3)).minusNanos(1));
    assertThat(worker.runOnce().timersFired()).isZero();
    clock.set(T0.plus(Duration.ofDays(3)));
    assertThat(worker.runOnce().timersFired()).isEqualTo(1);

    assertThat(chat.history("b-1")).extracting(AuditEntry::actionName)
        .containsExactly("request_booking", "send_message", "time_out");
  }

  @Test
  void shouldNotPostponeADeadlineCountedFromCreationWhenAChangeKeepsTheState() {
    BookingEngine chat = engineFor(chat(Deadline.after(Duration.ofDays(2), Timepoint.CREATED)));
    DeliveryWorker worker = DeliveryWorker.builder(chat).build();
    Booking booking = chat.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    clock.advance(Duration.ofDays(1));
    chat.perform(booking, CUSTOMER, "send_message");

    clock.set(T0.plus(Duration.ofDays(2)).minusNanos(1));
    assertThat(worker.runOnce().timersFired()).isZero();
    clock.set(T0.plus(Duration.ofDays(2)));
    assertThat(worker.runOnce().timersFired()).isEqualTo(1);

    assertThat(chat.history("b-1")).extracting(AuditEntry::actionName)
        .containsExactly("request_booking", "send_message", "time_out");
  }

  @Test
  void shouldTakeATimedRuleOfALaterStateCountingFromWhenThatStateWasEntered() {
    BookingState inProgress = BookingState.IN_PROGRESS;
    BookingState completed = BookingState.COMPLETED;
    Workflow service = Workflow.builder("service").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("mark_in_progress").by(Role.GIGSTA).from(ACCEPTED).to(inProgress).label("Start").note("Started").add()
        .action("mark_completed").by(Role.GIGSTA).from(inProgress).to(completed).label("Done").note("Done").add()
        .action("auto_complete").by(Role.SYSTEM).from(inProgress).to(completed)
            .after(Deadline.after(Duration.ofDays(1), Timepoint.STATE_ENTERED)).note("Completed by itself").add()
        .terminalStates(completed).build();
    BookingEngine timed = engineFor(service);
    DeliveryWorker worker = DeliveryWorker.builder(timed).build();
    Booking booking = timed.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    clock.advance(Duration.ofHours(1));
    booking = timed.perform(booking, GIGSTA, "accept_booking").booking();
    clock.set(T0.plus(Duration.ofDays(2)));
    timed.perform(booking, GIGSTA, "mark_in_progress");
    worker.runOnce();

    clock.set(T0.plus(Duration.ofDays(3)).minusNanos(1));
    assertThat(worker.runOnce().timersFired()).isZero();
    clock.set(T0.plus(Duration.ofDays(3)));
    assertThat(worker.runOnce().timersFired()).isEqualTo(1);

    assertThat(timed.history("b-1")).last().satisfies(entry -> {
      assertThat(entry.actionName()).isEqualTo("auto_complete");
      assertThat(entry.fromState()).isEqualTo(inProgress);
      assertThat(entry.toState()).isEqualTo(completed);
      assertThat(entry.occurredAt()).isEqualTo(T0.plus(Duration.ofDays(3)));
    });
  }

  @Test
  void shouldTakeTheTimedRuleDueFirstWhateverOrderTheyWereDeclaredIn() {
    Workflow twoTimers = Workflow.builder("two-timers").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .scheduledStartRequired(true)
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("expire_request").by(Role.SYSTEM).from(REQUESTED).to(EXPIRED)
            .after(Deadline.after(Duration.ofDays(3), Timepoint.CREATED)).note("Expired").add()
        .action("miss_start").by(Role.SYSTEM).from(REQUESTED).to(DECLINED)
            .after(Deadline.after(Duration.ofDays(1), Timepoint.SCHEDULED_START)).note("Start missed").add()
        .terminalStates(ACCEPTED, EXPIRED, DECLINED).build();
    BookingEngine timed = engineFor(twoTimers);
    DeliveryWorker worker = DeliveryWorker.builder(timed).build();
    timed.requestBooking("soon", CUSTOMER, "g-1", T0.plus(Duration.ofDays(1)));
    timed.requestBooking("late", CUSTOMER, "g-1", T0.plus(Duration.ofDays(5)));
    timed.requestBooking("tie", CUSTOMER, "g-1", T0.plus(Duration.ofDays(2)));

    // The first sweep comes long after both rules fell due for every booking.
    clock.advance(Duration.ofDays(10));

    assertThat(worker.runOnce().timersFired()).isEqualTo(3);
    assertThat(timed.history("soon")).last().extracting(AuditEntry::actionName, AuditEntry::toState)
        .containsExactly("miss_start", DECLINED);
    assertThat(timed.history("late")).last().extracting(AuditEntry::actionName, AuditEntry::toState)
        .containsExactly("expire_request", EXPIRED);
    assertThat(timed.history("tie")).as("due at the same time: the first declared").last()
        .extracting(AuditEntry::actionName, AuditEntry::toState).containsExactly("expire_request", EXPIRED);
    assertThat(worker.drain().timersFired()).isZero();
  }

  @Test
  void shouldRetryATimedRuleItsGuardRefusesThenKeepItAsADeadLetterUntilResubmitted() {
    Instant freezeEnds = T0.plus(Duration.ofDays(3));
    BookingEngine guarded = engineFor(Workflow.builder("guarded").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("time_out").by(Role.SYSTEM).from(REQUESTED).to(EXPIRED)
            .after(Deadline.after(Duration.ofDays(1), Timepoint.CREATED)).note("Timed out")
            .guard("after_the_freeze", (booking, actor, now) -> !now.instant().isBefore(freezeEnds)).add()
        .terminalStates(ACCEPTED, EXPIRED).build());
    DeliveryWorker worker = DeliveryWorker.builder(guarded).withMaxAttempts(3)
        .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(15)).build();
    guarded.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.set(T0.plus(Duration.ofDays(1)));

    assertThat(worker.runOnce()).as("refused: scheduled for a retry").isEqualTo(new DeliveryWorker.Sweep(0, 0, 0, 0, 0));
    clock.advance(Duration.ofSeconds(9));
    assertThat(worker.runOnce().isEmpty()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(0, 1, 0, 0, 0));
    clock.advance(Duration.ofSeconds(10));
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(0, 1, 0, 0, 0));
    clock.advance(Duration.ofSeconds(15));
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(0, 0, 1, 0, 0));

    assertThat(worker.deadLetterCount(Delivery.TIMERS)).isEqualTo(1);
    assertThat(worker.deadLetters(Delivery.TIMERS, 10)).singleElement().satisfies(dead -> {
      assertThat(dead.change().bookingId()).isEqualTo("b-1");
      assertThat(dead.change().sequence()).isEqualTo(1);
      assertThat(dead.failedAttempts()).isEqualTo(3);
      assertThat(dead.lastError()).startsWith(GuardRefusedException.class.getName()).contains("after_the_freeze");
    });
    clock.set(freezeEnds);
    assertThat(worker.drain().isEmpty()).as("a dead letter waits for an operator").isTrue();
    assertThat(guarded.load("b-1").state()).isEqualTo(REQUESTED);

    assertThat(worker.resubmit(Delivery.TIMERS, "b-1", 1)).isTrue();
    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(guarded.history("b-1")).extracting(AuditEntry::actionName).containsExactly("request_booking",
        "time_out");
    assertThat(worker.deadLetterCount(Delivery.TIMERS)).isZero();
  }

  @Test
  void shouldDropTheRetryOfATimedRuleWhenTheBookingChangedMeanwhile() {
    BookingEngine guarded = engineFor(Workflow.builder("guarded").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("time_out").by(Role.SYSTEM).from(REQUESTED).to(EXPIRED)
            .after(Deadline.after(Duration.ofDays(1), Timepoint.CREATED)).note("Timed out")
            .guard("never", (booking, actor, now) -> false).add()
        .terminalStates(ACCEPTED, EXPIRED).build());
    DeliveryWorker worker = DeliveryWorker.builder(guarded).withMaxAttempts(2).build();
    Booking booking = guarded.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    clock.set(T0.plus(Duration.ofDays(1)));
    worker.runOnce();
    guarded.perform(booking, GIGSTA, "accept_booking");

    clock.advance(Duration.ofMinutes(1));

    assertThat(worker.drain()).as("taken and dropped").isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(worker.deadLetterCount(Delivery.TIMERS)).isZero();
    assertThat(guarded.history("b-1")).extracting(AuditEntry::actionName)
        .containsExactly("request_booking", "accept_booking");
  }

  @Test
  void shouldRetryATimedRuleWhosePaymentFailedAndTakeItOnceItSucceeds() {
    BookingEngine instant = engineFor(instantBooking());
    DeliveryWorker worker = DeliveryWorker.builder(instant).build();
    instant.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.set(T0.plus(Duration.ofMinutes(10)));
    worker.runOnce();
    payments.declineNext(PaymentMoment.SECURE, 2);
    clock.set(T0.plus(Duration.ofHours(1)));

    assertThat(worker.runOnce().isEmpty()).as("declined once: scheduled for a retry").isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.runOnce()).as("declined again").isEqualTo(new DeliveryWorker.Sweep(0, 1, 0, 0, 0));
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));

    assertThat(instant.history("b-1")).extracting(AuditEntry::actionName)
        .containsExactly("request_booking", "auto_accept");
    assertThat(payments.requests()).extracting(PaymentRequest::idempotencyKey)
        .as("each retry after a decline is a new attempt with a key of its own")
        .containsExactly("b-1:2:auto_accept:secure:1", "b-1:2:auto_accept:secure:2", "b-1:2:auto_accept:secure:3");
    assertThat(payments.effectiveRequests()).hasSize(1);
    clock.advance(Duration.ofDays(1));
    assertThat(worker.drain().isEmpty()).as("nothing left to retry or release").isTrue();
    assertThat(instant.history("b-1")).hasSize(2);
  }

  @Test
  void shouldTryAFailingTimedRuleOnlyOncePerSweepThenWaitForTheBackoff() {
    BookingEngine instant = engineFor(instantBooking());
    DeliveryWorker worker = DeliveryWorker.builder(instant).build();
    instant.requestBooking("b-1", CUSTOMER, "g-1", null);
    payments.declineNext(PaymentMoment.SECURE, 1);
    clock.set(T0.plus(Duration.ofHours(1)));

    worker.runOnce();

    assertThat(payments.requests()).as("one attempt, then a retry after the backoff").hasSize(1);
    assertThat(instant.load("b-1").state()).isEqualTo(REQUESTED);
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(instant.load("b-1").state()).isEqualTo(ACCEPTED);
  }

  @Test
  void shouldFindEveryDueBookingAcrossPagesWhenManyFallDueAtTheSameInstant() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).withBatchSize(2).build();
    for (int i = 0; i < 7; i++) {
      engine.requestBooking("same-" + i, CUSTOMER, "g-1", null);
    }
    worker.runOnce();
    clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 3; i++) {
      engine.requestBooking("next-" + i, CUSTOMER, "g-1", null);
    }
    clock.advance(SIX_DAYS);

    assertThat(worker.runOnce().timersFired()).isEqualTo(10);
    assertThat(trail.findTimerCandidates(REQUESTED, Timepoint.CREATED, null, null, clock.instant(), 100)).isEmpty();
  }

  @Test
  void shouldTakeNoTimedRuleOnAWorkerWithTimersOffAndLeaveItToOneWithTimersOn() {
    DeliveryWorker settling = DeliveryWorker.builder(engine).withTimers(false).build();
    DeliveryWorker timing = DeliveryWorker.builder(engine).withSettlements(false).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.advance(Duration.ofDays(7));

    assertThat(settling.consumers()).containsExactly(DeliveryWorker.SETTLEMENT);
    assertThat(settling.drain().isEmpty()).isTrue();
    assertThat(engine.load("b-1").state()).isEqualTo(REQUESTED);

    assertThat(timing.consumers()).containsExactly(Delivery.TIMERS);
    assertThat(timing.runOnce()).isEqualTo(new DeliveryWorker.Sweep(0, 0, 0, 0, 1));
    assertThat(engine.load("b-1").state()).isEqualTo(EXPIRED);
    assertThat(settling.drain().isEmpty()).as("an expiry owes the other worker nothing").isTrue();
    assertThat(payments.requests()).isEmpty();
  }

  @Test
  void shouldTakeATimerThatFellDueBeforeTheMarkWhenItsChangeWasRecordedLate() {
    // Another instance whose clock is two minutes behind records a request for a start long past, so its
    // expiry is due at once: at a time the worker's mark has already passed.
    MutableClock behind = new MutableClock(T0);
    BookingEngine lagging = BookingEngine.builder().withAuditTrail(trail).withClock(behind).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    clock.set(T0.plus(Duration.ofDays(1)));
    worker.runOnce();
    behind.set(clock.instant().minus(Duration.ofMinutes(2)));
    lagging.requestBooking("late", CUSTOMER, "g-1", T0.minus(Duration.ofDays(7)));
    clock.advance(Duration.ofMinutes(1));

    DeliveryWorker.Sweep sweep = worker.runOnce();

    assertThat(sweep).as("taken as a '%s' delivery", Delivery.TIMERS)
        .isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(engine.history("late")).extracting(AuditEntry::actionName)
        .containsExactly("request_booking", GigstaWorkflow.EXPIRE_BOOKING);
    clock.advance(Duration.ofMinutes(1));
    worker.drain();
    assertThat(engine.history("late")).hasSize(2);
  }

  @Test
  void shouldReadOnlyWhatBecameDueSinceTheLastSweep() {
    CountingTrail counting = new CountingTrail(new InMemoryAuditTrail());
    BookingEngine counted = BookingEngine.builder().withAuditTrail(counting).withClock(clock).build();
    DeliveryWorker worker = DeliveryWorker.builder(counted).build();
    Instant first = T0.plus(Duration.ofDays(1));
    Instant second = first.plus(Duration.ofMinutes(1));
    Instant from = first.minus(TimerSweep.REREAD);
    clock.set(first);
    worker.runOnce();
    counting.timerReads.clear();

    clock.set(second);
    worker.runOnce();

    assertThat(counting.timerReads).containsExactly(
        "REQUESTED by CREATED from " + from.minus(SIX_DAYS) + " to " + second.minus(SIX_DAYS),
        "REQUESTED by SCHEDULED_START from " + from.minus(Duration.ofDays(1)) + " to "
            + second.minus(Duration.ofDays(1)),
        "REQUESTED by STATE_ENTERED from " + from + " to " + second);
  }

  @Test
  void shouldTakeEachTimerOnceWhenTwoWorkersSweepTheSameTrailAsTheClockAdvances() throws Exception {
    BookingEngine shared = BookingEngine.builder().withAuditTrail(trail).withClock(clock).build();
    int bookings = 300;
    Map<String, Instant> dueAt = new HashMap<>();
    List<String> answerable = new ArrayList<>();
    for (int i = 0; i < bookings; i++) {
      Instant created = T0.plus(Duration.ofMinutes(7L * i));
      // Some start soon, some started days ago (due at once), the rest have no start.
      Instant start = i % 3 == 0 ? T0.plus(Duration.ofMinutes(13L * i))
          : i % 5 == 1 ? created.minus(Duration.ofDays(2)) : null;
      String id = "b-" + i;
      clock.set(created);
      shared.requestBooking(id, CUSTOMER, "g-1", start);
      Instant due = created.plus(SIX_DAYS);
      if (start != null && start.plus(Duration.ofDays(1)).isBefore(due)) {
        due = start.plus(Duration.ofDays(1));
      }
      dueAt.put(id, due.isBefore(created) ? created : due);
      if (i % 4 == 0) {
        answerable.add(id);
      }
    }
    int steps = 24 * 9;
    DeliveryWorker first = DeliveryWorker.builder(shared).withBatchSize(7).build();
    DeliveryWorker second = DeliveryWorker.builder(shared).withBatchSize(7).build();
    CyclicBarrier step = new CyclicBarrier(3, () -> clock.advance(Duration.ofHours(1)));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicInteger lostToWorkers = new AtomicInteger();
    try {
      Future<Integer> firedByFirst = pool.submit(() -> sweep(first, step, steps));
      Future<Integer> firedBySecond = pool.submit(() -> sweep(second, step, steps));
      // The GigSta answers some requests in the very hour their expiry falls due, racing the workers.
      Future<Integer> answered = pool.submit(() -> {
        int accepted = 0;
        for (int s = 0; s < steps; s++) {
          step.await();
          Instant now = clock.instant();
          for (String id : answerable) {
            Booking booking = shared.load(id);
            if (booking.state().equals(REQUESTED) && !dueAt.get(id).isAfter(now)) {
              try {
                shared.perform(booking, GIGSTA, "accept_booking");
                accepted++;
              } catch (BookingChangedConcurrentlyException e) {
                lostToWorkers.incrementAndGet();
              }
            }
          }
        }
        return accepted;
      });

      int fired = firedByFirst.get() + firedBySecond.get();
      int accepted = answered.get();
      int expired = 0;
      for (int i = 0; i < bookings; i++) {
        String id = "b-" + i;
        List<AuditEntry> history = shared.history(id);
        assertThat(history).as(id).hasSize(2);
        AuditEntry last = history.get(1);
        if (last.actionName().equals(GigstaWorkflow.EXPIRE_BOOKING)) {
          expired++;
          assertThat(last.occurredAt()).as("%s never expires early", id).isAfterOrEqualTo(dueAt.get(id));
        } else {
          assertThat(last.actionName()).as(id).isEqualTo("accept_booking");
          assertThat(answerable).contains(id);
        }
      }
      System.out.printf("two workers: %d bookings, %d expired (%d by the first worker, %d by the second), "
          + "%d answered first, %d answers lost to a worker%n", bookings, expired, firedByFirst.get(),
          firedBySecond.get(), accepted, lostToWorkers.get());
      assertThat(fired).isEqualTo(expired);
      assertThat(expired + accepted).isEqualTo(bookings);
      assertThat(first.deadLetterCount(Delivery.TIMERS)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  private static int sweep(DeliveryWorker worker, CyclicBarrier step, int steps) throws Exception {
    int fired = 0;
    for (int s = 0; s < steps; s++) {
      step.await();
      fired += worker.runOnce().timersFired();
    }
    return fired;
  }

  private BookingEngine engineFor(Workflow workflow) {
    return BookingEngine.builder().withWorkflow(workflow).withAuditTrail(trail).withPaymentHooks(payments)
        .withClock(clock).build();
  }

  // A request is accepted by itself an hour after it was made, securing payment then, unless declined.
  private static Workflow instantBooking() {
    return Workflow.builder("instant").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("decline_booking").by(Role.GIGSTA).from(REQUESTED).to(DECLINED).label("Decline").note("Declined")
            .add()
        .action("auto_accept").by(Role.SYSTEM).from(REQUESTED).to(ACCEPTED)
            .after(Deadline.after(Duration.ofHours(1), Timepoint.CREATED)).note("Accepted by itself")
            .payment(PaymentMoment.SECURE).add()
        .terminalStates(ACCEPTED, DECLINED).build();
  }

  // The customer may write to the GigSta while a request waits, which keeps it REQUESTED.
  private static Workflow chat(Deadline timeOut) {
    return Workflow.builder("chat").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("send_message").by(Role.CUSTOMER).from(REQUESTED).to(REQUESTED).label("Send message")
            .note("Message sent").add()
        .action("time_out").by(Role.SYSTEM).from(REQUESTED).to(EXPIRED).after(timeOut).note("Timed out").add()
        .terminalStates(ACCEPTED, EXPIRED).build();
  }

  @Test
  void shouldTellHowFarItsTimersWereSwept() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    DeliveryWorker withoutTimers = DeliveryWorker.builder(engine).withTimers(false).build();

    assertThat(worker.timersSweptTo()).as("never swept").isEmpty();
    worker.runOnce();
    clock.advance(Duration.ofMinutes(3));
    assertThat(worker.timersSweptTo()).contains(T0);
    worker.runOnce();
    assertThat(worker.timersSweptTo()).contains(T0.plus(Duration.ofMinutes(3)));
    assertThat(withoutTimers.timersSweptTo()).isEmpty();
  }
}
