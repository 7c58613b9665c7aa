package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.spi.RecordingPaymentHooks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeliveryWorkerTest {

  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final RecordingPaymentHooks payments = new RecordingPaymentHooks();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments)
      .withClock(clock).build();

  @Test
  void shouldDeliverEveryChangeToEveryConsumerOnceWithItsKey() {
    List<String> emails = new CopyOnWriteArrayList<>();
    List<String> pushes = new CopyOnWriteArrayList<>();
    DeliveryWorker worker = DeliveryWorker.builder(engine)
        .withConsumer("emails", change -> emails.add(change.bookingId() + ":" + change.sequence()))
        .withConsumer("push", change -> pushes.add(change.entry().actionName()))
        .build();
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    booking = engine.perform(booking, GIGSTA, "accept_booking").booking();
    engine.perform(booking, CUSTOMER, "cancel_booking");

    DeliveryWorker.Sweep sweep = worker.drain();

    assertThat(worker.consumers()).containsExactly(DeliveryWorker.SETTLEMENT, "emails", "push", Delivery.TIMERS);
    assertThat(emails).containsExactly("b-1:1", "b-1:2", "b-1:3");
    assertThat(pushes).containsExactly("request_booking", "accept_booking", "cancel_booking");
    assertThat(payments.effectiveRequests()).extracting(PaymentRequest::idempotencyKey)
        .containsExactly("b-1:2:accept_booking:secure:1", "b-1:2:accept_booking:capture:1",
            "b-1:3:cancel_booking:refund:1");
    assertThat(sweep).isEqualTo(new DeliveryWorker.Sweep(8, 0, 0, 0, 0));
    assertThat(worker.drain().isEmpty()).isTrue();
  }

  @Test
  void shouldOweNothingToAConsumerForChangesRecordedBeforeItWasRegistered() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    List<String> seen = new CopyOnWriteArrayList<>();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withConsumer("late", change -> seen.add(change.bookingId()))
        .build();
    engine.requestBooking("b-2", CUSTOMER, "g-1", null);

    worker.drain();

    assertThat(seen).containsExactly("b-2");
  }

  @Test
  void shouldRetryWithDoublingBackoffThenKeepADeadLetterUntilResubmitted() {
    AtomicInteger calls = new AtomicInteger();
    List<String> delivered = new CopyOnWriteArrayList<>();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withSettlements(false)
        .withMaxAttempts(3).withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(15))
        .withConsumer("emails", change -> {
          if (calls.incrementAndGet() <= 3) {
            throw new IllegalStateException("mail server down");
          }
          delivered.add(change.bookingId());
        }).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);

    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(0, 1, 0, 0, 0));
    clock.advance(Duration.ofSeconds(9));
    assertThat(worker.drain().isEmpty()).as("not due before the first backoff").isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(0, 1, 0, 0, 0));
    clock.advance(Duration.ofSeconds(14));
    assertThat(worker.drain().isEmpty()).as("the second wait is doubled, capped at 15 s").isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(0, 0, 1, 0, 0));

    assertThat(worker.deadLetterCount("emails")).isEqualTo(1);
    assertThat(worker.deadLetters("emails", 10)).singleElement().satisfies(dead -> {
      assertThat(dead.change().bookingId()).isEqualTo("b-1");
      assertThat(dead.failedAttempts()).isEqualTo(3);
      assertThat(dead.lastError()).isEqualTo("java.lang.IllegalStateException: mail server down");
    });
    clock.advance(Duration.ofDays(1));
    assertThat(worker.drain().isEmpty()).as("a dead letter is never retried by itself").isTrue();

    assertThat(worker.resubmit("emails", "b-1", 1)).isTrue();
    assertThat(worker.resubmit("emails", "b-1", 1)).as("no longer a dead letter").isFalse();
    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(delivered).containsExactly("b-1");
    assertThat(worker.deadLetterCount("emails")).isZero();
  }

  @Test
  void shouldPassOverDeliveriesAnotherWorkerClaimedUntilItsLeaseRunsOut() {
    List<String> first = new CopyOnWriteArrayList<>();
    DeliveryWorker slow = DeliveryWorker.builder(engine).withSettlements(false).withLease(Duration.ofSeconds(30))
        .withConsumer("emails", change -> {
          throw new IllegalStateException("never reached");
        }).build();
    DeliveryWorker other = DeliveryWorker.builder(engine).withSettlements(false)
        .withConsumer("emails", change -> first.add(change.bookingId())).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    // The slow worker claims and dies before delivering: its claim is the lease, nothing else.
    assertThat(trail.claimDue("emails", clock.instant(), clock.instant().plusSeconds(30), 10)).hasSize(1);

    assertThat(other.drain().isEmpty()).isTrue();
    clock.advance(Duration.ofSeconds(30));
    assertThat(other.drain()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(first).containsExactly("b-1");
    assertThat(slow.consumers()).containsExactly("emails", Delivery.TIMERS);
  }

  @Test
  void shouldRecordDoneOnceWhenTwoWorkersDeliverTheSameSettlement() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    engine.perform(booking, GIGSTA, "accept_booking");
    List<Delivery> claimedByFirst = trail.claimDue(DeliveryWorker.SETTLEMENT, clock.instant(), clock.instant(), 10);
    clock.advance(Duration.ofSeconds(1));
    List<Delivery> claimedBySecond = trail.claimDue(DeliveryWorker.SETTLEMENT, clock.instant(), clock.instant(), 10);

    assertThat(claimedByFirst).hasSize(1);
    assertThat(claimedBySecond).hasSize(1);
    assertThat(trail.markDelivered(claimedBySecond.get(0))).isTrue();
    assertThat(trail.markDelivered(claimedByFirst.get(0))).isFalse();
    trail.markFailed(claimedByFirst.get(0), "late failure", null);
    assertThat(trail.deadLetterCount(DeliveryWorker.SETTLEMENT)).as("done stays done").isZero();
  }

  @Test
  void shouldNotAnnounceOrSettleAnythingForAnEngineWithoutPaymentHooks() {
    BookingEngine free = BookingEngine.builder().withAuditTrail(trail).withClock(clock).build();
    Booking booking = free.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    free.perform(free.perform(booking, GIGSTA, "accept_booking").booking(), CUSTOMER, "cancel_booking");

    assertThat(trail.changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::paymentMoment)
        .containsOnly(PaymentMoment.NONE);
    assertThat(DeliveryWorker.builder(free).build().drain().isEmpty()).isTrue();
  }

  @Test
  void shouldRefuseMisconfiguration() {
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withConsumer(DeliveryWorker.SETTLEMENT, change -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("settlement");
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withConsumer("Emails", change -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Emails'");
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withConsumer("a", change -> { })
        .withConsumer("a", change -> { })).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withSettlements(false).withTimers(false).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs at least one consumer");
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withConsumer(Delivery.TIMERS, change -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("'timers' is reserved for timers and reminders");
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withConsumer("reminder.emails", change -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'reminder.emails' is reserved for timers and reminders");
    assertThatThrownBy(() -> trail.registerConsumer(Delivery.TIMERS)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'timers' is the name of a scheduled consumer");
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withReminders(null))
        .isInstanceOf(NullPointerException.class).hasMessage("reminders is required but was null");
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withMaxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).build().deadLetterCount("emails"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'emails'");
    assertThatThrownBy(() -> DeliveryWorker.builder(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void shouldSweepOnItsOwnThreadUntilClosed() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (DeliveryWorker worker = DeliveryWorker.builder(engine).withConsumer("emails",
        change -> seen.add(change.bookingId())).build()) {
      worker.start(Duration.ofMillis(10));
      engine.requestBooking("b-1", CUSTOMER, "g-1", null);
      for (int i = 0; i < 500 && seen.isEmpty(); i++) {
        Thread.sleep(10);
      }
      assertThatThrownBy(() -> worker.start(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class);
    }
    assertThat(seen).containsExactly("b-1");
  }

  @Test
  void shouldReadCursorsBackFromTheirTextOnly() {
    ChangeCursor cursor = ChangeCursor.afterPosition(42);

    assertThat(ChangeCursor.parse(cursor.toString())).isEqualTo(cursor);
    assertThat(ChangeCursor.parse(ChangeCursor.start().toString())).isEqualTo(ChangeCursor.start());
    for (String bad : List.of("", "42", "feed:", "feed:-1", "feed:x", "feed:99999999999999999999", "FEED:1")) {
      assertThatThrownBy(() -> ChangeCursor.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ChangeCursor.afterPosition(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
