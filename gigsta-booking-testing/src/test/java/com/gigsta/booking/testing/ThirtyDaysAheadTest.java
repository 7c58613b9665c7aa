package com.gigsta.booking.testing;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.testing.FakeProcessor.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A booking made 30 days ahead, far longer than a card hold lives. The default workflow charges at
 * acceptance, so nothing waits on a hold and the GigSta is paid in full at completion. The older policy,
 * to secure at acceptance and capture at completion, is caught by the fake processor: by the start the
 * hold has lapsed, the capture is refused, and the settlement ends as a dead letter with nothing charged.
 */
class ThirtyDaysAheadTest {

  private static final Instant T0 = Instant.parse("2026-07-01T12:00:00Z");
  private static final Instant START = T0.plus(Duration.ofDays(30));
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private static final Money PRICE = Money.of(8000, "EUR");

  /** Secure at acceptance, capture at completion: the policy the default workflow replaced. */
  private static final Workflow SECURE_THEN_CAPTURE = Workflow.builder("secure_then_capture")
      .initialState(REQUESTED)
      .creation(GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "Booking requested by customer")
      .action(GigstaWorkflow.ACCEPT_BOOKING).by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED)
          .label("Accept booking").note("Booking accepted by GigSta").payment(PaymentMoment.SECURE).add()
      .action(GigstaWorkflow.MARK_IN_PROGRESS).by(Role.GIGSTA).from(ACCEPTED).to(IN_PROGRESS)
          .label("Mark as in progress").note("Booking marked as in progress").add()
      .action(GigstaWorkflow.MARK_COMPLETED).by(Role.GIGSTA).from(IN_PROGRESS).to(COMPLETED)
          .label("Mark as completed").note("Booking marked as completed").payment(PaymentMoment.CAPTURE).add()
      .terminalStates(COMPLETED)
      .build();

  private final TestClock clock = new TestClock(T0);
  private final FakeProcessor fake = FakeProcessor.builder().withClock(clock).build();

  private BookingEngine engine(Workflow workflow) {
    return BookingEngine.builder().withAuditTrail(new InMemoryAuditTrail()).withWorkflow(workflow)
        .withPaymentHooks(fake.hooks()).withClock(clock).build();
  }

  /** Requests, accepts at once, waits for the start, starts and completes; the worker runs between steps. */
  private Booking runToCompletion(BookingEngine engine, DeliveryWorker worker) {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", START, PRICE).booking();
    worker.drain();
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING).booking();
    worker.drain();
    clock.set(START);
    worker.drain();
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.MARK_IN_PROGRESS).booking();
    worker.drain();
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.MARK_COMPLETED).booking();
    worker.drain();
    return booking;
  }

  @Test
  void shouldChargeAtAcceptanceAndPayTheGigstaInFullThirtyDaysLater() {
    BookingEngine engine = engine(Workflow.gigsta());
    DeliveryWorker worker = DeliveryWorker.builder(engine).withTimers(true).build();

    Booking completed = runToCompletion(engine, worker);

    assertThat(completed.state()).isEqualTo(COMPLETED);
    assertThat(fake.ledger("b-1"))
        .isEqualTo(new Ledger("b-1", Currency.getInstance("EUR"), 0, 8000, 0, 8000, 0, 0, 0));
    assertThat(fake.ledger("b-1").lapsedCaptureRefusals()).isZero();
    assertThat(worker.deadLetterCount(DeliveryWorker.SETTLEMENT)).isZero();
    assertThat(worker.deadLetterCount(Delivery.TIMERS)).isZero();
    System.out.println("thirty days ahead, charged at acceptance: " + fake.effectiveCalls().size()
        + " effective calls, ledger " + fake.ledger("b-1"));
  }

  @Test
  void shouldCatchTheLapsedHoldOfTheSecureThenCapturePolicy() {
    BookingEngine engine = engine(SECURE_THEN_CAPTURE);
    DeliveryWorker worker = DeliveryWorker.builder(engine).withTimers(true).withMaxAttempts(5).build();

    Booking completed = runToCompletion(engine, worker);
    int rounds = 0;
    while (worker.deadLetterCount(DeliveryWorker.SETTLEMENT) == 0 && rounds < 20) {
      clock.advance(Duration.ofMinutes(15));
      worker.drain();
      rounds++;
    }

    assertThat(completed.state()).isEqualTo(COMPLETED);
    Ledger ledger = fake.ledger("b-1");
    assertThat(ledger.captured()).as("nothing was charged").isZero();
    assertThat(ledger.authorized()).as("the hold lapsed").isZero();
    assertThat(ledger.lapsedCaptureRefusals()).as("every try of the capture was refused").isEqualTo(5);
    List<Delivery> dead = worker.deadLetters(DeliveryWorker.SETTLEMENT, 10);
    assertThat(dead).singleElement().satisfies(delivery -> {
      assertThat(delivery.change().entry().actionName()).isEqualTo(GigstaWorkflow.MARK_COMPLETED);
      assertThat(delivery.lastError()).contains(PaymentRefusedException.class.getName()).contains("lapsed at "
          + T0.plus(Duration.ofDays(7)));
    });
    System.out.println("thirty days ahead, secured then captured: " + ledger.lapsedCaptureRefusals()
        + " captures refused as lapsed, " + dead.size() + " dead letter");
  }
}
