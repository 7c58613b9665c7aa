package com.gigsta.booking.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentFailedException;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentDeclinedException;
import com.gigsta.booking.testing.FakeProcessor.Call;
import com.gigsta.booking.testing.FakeProcessor.Effect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default workflow's acceptance, which charges the customer, against a processor that declines a
 * card and then loses an answer: a decline refuses the acceptance and the next try is a new attempt with
 * a new key; an answer lost on the way back makes the next try repeat the same key, which the processor
 * answers with the hold it already made, so the customer is charged once.
 */
class DeclineThenRetryTest {

  private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private static final Money PRICE = Money.of(12_550, "EUR");

  private final TestClock clock = new TestClock(T0);
  private final FakeProcessor fake = FakeProcessor.builder().withClock(clock).build();
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withWorkflow(Workflow.gigsta())
      .withPaymentHooks(fake.hooks()).withClock(clock).build();
  private final DeliveryWorker worker = DeliveryWorker.builder(engine).build();

  private Booking request() {
    return engine.requestBooking("b-1", CUSTOMER, "g-1", T0.plus(Duration.ofDays(3)), PRICE).booking();
  }

  private PaymentFailedException acceptFails(Booking booking) {
    PaymentFailedException failed = catchThrowableOfType(PaymentFailedException.class,
        () -> engine.perform(booking, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING));
    assertThat(failed).as("accept_booking is refused").isNotNull();
    assertThat(failed.moment()).isEqualTo(PaymentMoment.SECURE);
    return failed;
  }

  private void assertUnchanged(Booking requested) {
    assertThat(engine.load("b-1")).isEqualTo(requested);
    assertThat(engine.history("b-1")).hasSize(1);
  }

  private List<Call> calls(Effect effect) {
    return fake.effectiveCalls().stream().filter(call -> call.effect() == effect).toList();
  }

  @Test
  void shouldRefuseAcceptanceWhileTheCardDeclinesAndChargeOnceItIsFixed() {
    Booking requested = request();
    fake.declineCardsOf("c-1");

    PaymentFailedException first = acceptFails(requested);

    assertThat(first.declined()).isTrue();
    assertThat(first.getCause()).isInstanceOf(PaymentDeclinedException.class);
    assertThat(first.idempotencyKey()).isEqualTo("b-1:2:accept_booking:secure:1");
    assertUnchanged(requested);

    clock.advance(Duration.ofMinutes(10));
    PaymentFailedException second = acceptFails(requested);

    assertThat(second.declined()).as("still declined").isTrue();
    assertThat(second.idempotencyKey()).as("a new attempt with a key of its own")
        .isEqualTo("b-1:2:accept_booking:secure:2").isNotEqualTo(first.idempotencyKey());
    assertUnchanged(requested);

    fake.fixCard("c-1");
    clock.advance(Duration.ofMinutes(10));
    BookingChange accepted = engine.perform(requested, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING);

    assertThat(accepted.booking().state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(calls(Effect.AUTHORIZED)).singleElement().satisfies(call -> {
      assertThat(call.request().attempt()).isEqualTo(3);
      assertThat(call.request().idempotencyKey()).isEqualTo("b-1:2:accept_booking:secure:3");
    });
    assertThat(fake.ledger("b-1").declines()).isEqualTo(2);
    assertThat(fake.ledger("b-1").captured()).as("captured by the worker, not yet").isZero();

    DeliveryWorker.Sweep sweep = worker.drain();

    assertThat(sweep.delivered()).isEqualTo(1);
    assertThat(fake.ledger("b-1").captured()).isEqualTo(PRICE.amountMinor());
    assertThat(fake.ledger("b-1").authorized()).isZero();
    assertThat(calls(Effect.CAPTURED)).singleElement()
        .satisfies(call -> assertThat(call.request().idempotencyKey()).isEqualTo("b-1:2:accept_booking:capture:1"));
    assertThat(worker.deadLetterCount(DeliveryWorker.SETTLEMENT)).isZero();
    System.out.println("decline then retry: " + fake.ledger("b-1").declines() + " declines, "
        + fake.effectiveCalls().size() + " effective calls");
  }

  @Test
  void shouldRepeatTheSameKeyAfterALostAnswerAndChargeOnce() {
    Booking requested = request();
    fake.loseNextAnswers(1);

    PaymentFailedException lost = acceptFails(requested);

    assertThat(lost.declined()).as("the outcome is unknown").isFalse();
    assertThat(lost.getCause()).isInstanceOf(ProcessorUnavailableException.class);
    assertUnchanged(requested);
    assertThat(fake.ledger("b-1").authorized()).as("the processor did secure it").isEqualTo(PRICE.amountMinor());

    clock.advance(Duration.ofSeconds(30));
    BookingChange accepted = engine.perform(requested, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING);
    worker.drain();

    assertThat(accepted.booking().state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(calls(Effect.AUTHORIZED)).as("the retry was answered by the replay").singleElement()
        .satisfies(call -> assertThat(call.request().idempotencyKey()).isEqualTo(lost.idempotencyKey()));
    assertThat(calls(Effect.CAPTURED)).hasSize(1);
    assertThat(fake.ledger("b-1").captured()).isEqualTo(PRICE.amountMinor());
    assertThat(fake.ledger("b-1").authorized()).isZero();
    assertThat(fake.ledger("b-1").released()).isZero();

    clock.advance(Duration.ofHours(1));
    worker.drain();

    assertThat(fake.ledger("b-1").released()).as("the claimed hold is never released as abandoned").isZero();
    assertThat(fake.effectiveCalls()).hasSize(2);
  }

  @Test
  void shouldCaptureOnceWhenTheCapturesAnswerIsLost() {
    BookingChange accepted = engine.perform(request(), GIGSTA, GigstaWorkflow.ACCEPT_BOOKING);
    fake.loseNextAnswers(1);

    DeliveryWorker.Sweep lost = worker.drain();
    clock.advance(Duration.ofMinutes(1));
    DeliveryWorker.Sweep retried = worker.drain();

    assertThat(accepted.booking().state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(lost.retried()).isEqualTo(1);
    assertThat(retried.delivered()).isEqualTo(1);
    assertThat(calls(Effect.CAPTURED)).hasSize(1);
    assertThat(fake.ledger("b-1").captured()).isEqualTo(PRICE.amountMinor());
  }
}
