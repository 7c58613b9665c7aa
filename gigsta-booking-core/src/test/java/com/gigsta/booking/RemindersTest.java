package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Reminders, scheduled by a {@link DeliveryWorker}'s sweep when they fall due and sent through its
 * {@link ReminderConsumer}. The engine and its workers share one clock that the tests move by hand.
 */
class RemindersTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private static final String CONSUMER = Delivery.REMINDER_PREFIX + GigstaWorkflow.REMIND_GIGSTA_TO_ANSWER;

  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withClock(clock).build();
  private final List<Reminder> sent = new CopyOnWriteArrayList<>();

  @Test
  void shouldRemindTheGigstaOnceADayBeforeTheRequestExpires() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).withReminders(sent::add).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    Instant due = T0.plus(Duration.ofDays(5));

    clock.set(due.minusNanos(1));
    assertThat(worker.runOnce().isEmpty()).isTrue();
    clock.set(due);
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));

    assertThat(worker.consumers()).containsExactly(DeliveryWorker.SETTLEMENT, Delivery.TIMERS, CONSUMER);
    assertThat(sent).singleElement().satisfies(reminder -> {
      assertThat(reminder.reminder()).isEqualTo(Workflow.gigsta().reminders().get(0));
      assertThat(reminder.reminder().name()).isEqualTo(GigstaWorkflow.REMIND_GIGSTA_TO_ANSWER);
      assertThat(reminder.reminder().recipient()).isEqualTo(Role.GIGSTA);
      assertThat(reminder.reminder().note()).isEqualTo("This request expires in 24 hours");
      assertThat(reminder.reminder().consumer()).isEqualTo(CONSUMER);
      assertThat(reminder.booking()).isEqualTo(engine.load("b-1"));
      assertThat(reminder.booking().version()).isEqualTo(1);
      assertThat(reminder.dueAt()).isEqualTo(due);
      assertThat(reminder.idempotencyKey()).isEqualTo("reminder:b-1:1:remind_gigsta_to_answer");
    });
    for (Duration later : List.of(Duration.ofSeconds(1), Duration.ofMinutes(4), Duration.ofHours(1),
        Duration.ofHours(22))) {
      clock.advance(later);
      worker.drain();
    }
    assertThat(sent).as("sweeping again sends nothing again").hasSize(1);
    assertThat(engine.load("b-1").state()).isEqualTo(REQUESTED);
  }

  @Test
  void shouldRemindADayBeforeAnExpiryCountedFromTheScheduledStart() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).withReminders(sent::add).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", T0.plus(Duration.ofDays(3)));

    clock.set(T0.plus(Duration.ofDays(3)).minusNanos(1));
    worker.runOnce();
    assertThat(sent).isEmpty();
    clock.set(T0.plus(Duration.ofDays(3)));
    worker.runOnce();

    assertThat(sent).extracting(Reminder::dueAt).containsExactly(T0.plus(Duration.ofDays(3)));
  }

  @Test
  void shouldRemindAtOnceWhenTheRequestExpiresWithinADayOfBeingMade() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).withReminders(sent::add).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", T0.minus(Duration.ofHours(12)));

    worker.runOnce();

    assertThat(sent).extracting(Reminder::dueAt).containsExactly(T0);
  }

  @Test
  void shouldNotRemindWhenTheGigstaAnsweredBeforeTheReminderFellDue() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).withReminders(sent::add).build();
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    clock.advance(Duration.ofDays(4));
    engine.perform(booking, GIGSTA, "accept_booking");

    clock.advance(Duration.ofDays(10));
    worker.drain();

    assertThat(sent).isEmpty();
    assertThat(engine.load("b-1").state()).isEqualTo(ACCEPTED);
  }

  @Test
  void shouldNotRemindAboutARequestThatExpiredBeforeTheFirstSweep() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).withReminders(sent::add).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.set(T0.plus(Duration.ofDays(7)));

    assertThat(worker.drain().timersFired()).isEqualTo(1);

    assertThat(engine.load("b-1").state()).isEqualTo(BookingState.EXPIRED);
    assertThat(sent).isEmpty();
  }

  @Test
  void shouldDropAScheduledReminderWhenTheBookingChangesBeforeItIsSent() {
    AtomicBoolean up = new AtomicBoolean(false);
    DeliveryWorker worker = DeliveryWorker.builder(engine).withReminders(reminder -> {
      if (!up.get()) {
        throw new IllegalStateException("push service down");
      }
      sent.add(reminder);
    }).build();
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    clock.set(T0.plus(Duration.ofDays(5)));
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(0, 1, 0, 0, 0));
    engine.perform(booking, GIGSTA, "accept_booking");
    up.set(true);

    clock.advance(Duration.ofMinutes(1));
    worker.drain();

    assertThat(sent).as("the booking moved on").isEmpty();
    assertThat(worker.deadLetterCount(CONSUMER)).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(worker.drain().isEmpty()).isTrue();
  }

  @Test
  void shouldRetryAFailingReminderThenKeepItAsADeadLetterOfItsConsumer() {
    AtomicBoolean up = new AtomicBoolean(false);
    DeliveryWorker worker = DeliveryWorker.builder(engine).withMaxAttempts(2)
        .withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1)).withReminders(reminder -> {
          if (!up.get()) {
            throw new IllegalStateException("push service down");
          }
          sent.add(reminder);
        }).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.set(T0.plus(Duration.ofDays(5)));

    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(0, 1, 0, 0, 0));
    clock.advance(Duration.ofMinutes(1));
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(0, 0, 1, 0, 0));

    assertThat(worker.deadLetters(CONSUMER, 10)).singleElement().satisfies(dead -> {
      assertThat(dead.consumer()).isEqualTo(CONSUMER);
      assertThat(dead.change().bookingId()).isEqualTo("b-1");
      assertThat(dead.change().sequence()).isEqualTo(1);
      assertThat(dead.failedAttempts()).isEqualTo(2);
      assertThat(dead.lastError()).isEqualTo("java.lang.IllegalStateException: push service down");
    });
    clock.advance(Duration.ofHours(1));
    assertThat(worker.drain().isEmpty()).as("not scheduled again").isTrue();

    up.set(true);
    assertThat(worker.resubmit(CONSUMER, "b-1", 1)).isTrue();
    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(sent).extracting(Reminder::idempotencyKey).containsExactly("reminder:b-1:1:remind_gigsta_to_answer");
    assertThat(worker.deadLetterCount(CONSUMER)).isZero();
  }

  @Test
  void shouldScheduleNoRemindersOnAWorkerWithoutAReminderConsumer() {
    DeliveryWorker plain = DeliveryWorker.builder(engine).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.set(T0.plus(Duration.ofDays(5)));

    assertThat(plain.runOnce().isEmpty()).isTrue();

    assertThat(plain.consumers()).doesNotContain(CONSUMER);
    assertThatThrownBy(() -> plain.deadLetterCount(CONSUMER)).isInstanceOf(IllegalArgumentException.class);
    assertThat(trail.claimDue(CONSUMER, Instant.MAX, Instant.MAX, 10)).as("nothing scheduled").isEmpty();
    DeliveryWorker reminding = DeliveryWorker.builder(engine).withSettlements(false).withReminders(sent::add).build();
    clock.advance(Duration.ofHours(1));
    reminding.runOnce();
    assertThat(sent).as("a reminding worker started later finds it").extracting(Reminder::dueAt)
        .containsExactly(T0.plus(Duration.ofDays(5)));
  }

  @Test
  void shouldScheduleNoRemindersOnAWorkerWithTimersOff() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).withTimers(false).withReminders(sent::add).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.set(T0.plus(Duration.ofDays(5)));

    assertThat(worker.drain().isEmpty()).isTrue();

    assertThat(worker.consumers()).containsExactly(DeliveryWorker.SETTLEMENT, CONSUMER);
    assertThat(sent).isEmpty();
  }

  @Test
  void shouldSendAReminderOnceWhenTwoWorkersSweep() {
    DeliveryWorker first = DeliveryWorker.builder(engine).withReminders(sent::add).build();
    DeliveryWorker second = DeliveryWorker.builder(engine).withReminders(sent::add).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    clock.set(T0.plus(Duration.ofDays(5)));

    first.runOnce();
    second.runOnce();
    clock.advance(Duration.ofMinutes(1));
    second.runOnce();
    first.runOnce();

    assertThat(sent).hasSize(1);
  }
}
