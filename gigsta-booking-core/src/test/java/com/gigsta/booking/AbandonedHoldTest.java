package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.spi.RecordingPaymentHooks;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Payments secured for changes that were never recorded. The process "dies" here by an {@link Error}
 * from the provider after it secured the payment, which the engine does not catch; the crash tests of the
 * JDBC module kill real processes at the same point.
 */
class AbandonedHoldTest {

  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final RecordingPaymentHooks payments = new RecordingPaymentHooks();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments)
      .withClock(clock).build();
  private final DeliveryWorker worker = DeliveryWorker.builder(engine).withHoldGrace(Duration.ofMinutes(5)).build();

  @Test
  void shouldReleaseAPaymentSecuredForAChangeThatWasNeverRecordedOnceItsGraceHasPassed() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    dieAfterSecuring(booking);

    clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    assertThat(worker.drain().isEmpty()).as("within the grace the append may still come").isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(0, 0, 0, 1, 0));

    assertThat(payments.effectiveRequests()).extracting(PaymentRequest::idempotencyKey)
        .containsExactly("b-1:2:accept_booking:secure:1", "b-1:2:accept_booking:release:1");
    assertThat(worker.drain().isEmpty()).as("released once").isTrue();
    assertThat(engine.load("b-1").state()).isEqualTo(BookingState.REQUESTED);
  }

  @Test
  void shouldNotReleaseThePaymentOfARecordedChange() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    engine.perform(booking, GIGSTA, "accept_booking");

    clock.advance(Duration.ofDays(1));

    assertThat(worker.drain()).as("the acceptance's capture, and no release")
        .isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(payments.effectiveRequests(PaymentMoment.RELEASE)).isEmpty();
  }

  @Test
  void shouldForgetTheHoldOfADeclinedPaymentWithoutReleasingAnything() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    payments.declineNext(PaymentMoment.SECURE, 1);
    assertThatThrownBy(() -> engine.perform(booking, GIGSTA, "accept_booking"))
        .isInstanceOf(PaymentFailedException.class);

    clock.advance(Duration.ofDays(1));

    assertThat(worker.drain().isEmpty()).isTrue();
    assertThat(payments.requests()).extracting(PaymentRequest::moment).containsExactly(PaymentMoment.SECURE);
  }

  @Test
  void shouldRefuseAnAppendThatComesAfterItsHoldWasGivenUp() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    PaymentRequest secure = PaymentRequest.of(PaymentMoment.SECURE,
        engine.perform(engine.requestBooking("b-2", CUSTOMER, "g-1", null).booking(), GIGSTA, "accept_booking")
            .entry());
    assertThat(secure.idempotencyKey()).isEqualTo("b-2:2:accept_booking:secure:1");
    // A slow host: the hold is recorded, then the worker gives it up before the append arrives.
    BookingEngine slow = BookingEngine.builder().withAuditTrail(trail).withClock(clock)
        .withPaymentHooks(securingThen(() -> {
          clock.advance(Duration.ofMinutes(6));
          worker.runOnce();
        })).build();

    assertThatThrownBy(() -> slow.perform(booking, GIGSTA, "accept_booking"))
        .isInstanceOf(BookingChangedConcurrentlyException.class).hasMessageContaining("payment hold");

    assertThat(engine.load("b-1").state()).isEqualTo(BookingState.REQUESTED);
    assertThat(payments.effectiveRequests(PaymentMoment.RELEASE)).extracting(PaymentRequest::idempotencyKey)
        .containsExactly("b-1:2:accept_booking:release:1");
  }

  @Test
  void shouldStartNoNewAttemptWhileTheReleaseOfAnAbandonedOneIsPending() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    java.util.concurrent.atomic.AtomicBoolean outage = new java.util.concurrent.atomic.AtomicBoolean(true);
    BookingEngine duringOutage = BookingEngine.builder().withAuditTrail(trail).withClock(clock)
        .withPaymentHooks(new ForwardingHooks(payments) {
          @Override
          public void secure(PaymentRequest request) {
            if (outage.get()) {
              throw new IllegalStateException("processor unreachable");
            }
            super.secure(request);
          }

          @Override
          public void release(PaymentRequest request) {
            if (outage.get()) {
              throw new IllegalStateException("processor unreachable");
            }
            super.release(request);
          }
        }).build();
    DeliveryWorker outageWorker = DeliveryWorker.builder(duringOutage).withHoldGrace(Duration.ofMinutes(5)).build();
    assertThat(catchDeclined(() -> duringOutage.perform(booking, GIGSTA, "accept_booking"))).isFalse();
    clock.advance(Duration.ofMinutes(6));
    assertThat(outageWorker.runOnce().releasedHolds()).as("its release failed in the outage too").isZero();
    outage.set(false);

    // A new attempt now could be cancelled by the late release of the first one: none starts.
    int callsBefore = payments.requests().size();
    assertThatThrownBy(() -> duringOutage.perform(booking, GIGSTA, "accept_booking"))
        .isInstanceOf(PaymentFailedException.class).hasMessageContaining("being released");
    assertThat(payments.requests()).as("no call reached the provider").hasSize(callsBefore);

    assertThat(outageWorker.runOnce().releasedHolds()).isEqualTo(1);
    duringOutage.perform(booking, GIGSTA, "accept_booking");
    assertThat(payments.effectiveRequests()).extracting(PaymentRequest::idempotencyKey)
        .containsExactly("b-1:2:accept_booking:release:1", "b-1:2:accept_booking:secure:2");
  }

  private static boolean catchDeclined(Runnable perform) {
    try {
      perform.run();
    } catch (PaymentFailedException e) {
      return e.declined();
    }
    throw new AssertionError("expected a PaymentFailedException");
  }

  private void dieAfterSecuring(Booking booking) {
    BookingEngine dying = BookingEngine.builder().withAuditTrail(trail).withClock(clock)
        .withPaymentHooks(securingThen(() -> {
          throw new ProcessDied();
        })).build();
    assertThatThrownBy(() -> dying.perform(booking, GIGSTA, "accept_booking")).isInstanceOf(ProcessDied.class);
  }

  /** Hooks that secure with the recording hooks, then run {@code after}; other moments pass through. */
  private PaymentHooks securingThen(Runnable after) {
    return new ForwardingHooks(payments) {
      @Override
      public void secure(PaymentRequest request) {
        super.secure(request);
        after.run();
      }
    };
  }

  /** Stands for the process dying: an Error, which the engine lets through untouched. */
  private static final class ProcessDied extends Error {
    private static final long serialVersionUID = 1L;
  }
}
