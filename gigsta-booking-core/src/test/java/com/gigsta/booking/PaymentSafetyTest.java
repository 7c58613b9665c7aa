package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.spi.RecordingPaymentHooks;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PaymentSafetyTest {

  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");

  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final RecordingPaymentHooks payments = new RecordingPaymentHooks();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments)
      .build();

  @Test
  void shouldSecurePaymentWithADeterministicKeyAndStripeStyleMetadata() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null, Money.of(8000, "EUR")).booking();

    engine.perform(booking, GIGSTA, "accept_booking");

    assertThat(payments.requests()).singleElement().satisfies(request -> {
      assertThat(request.moment()).isEqualTo(PaymentMoment.SECURE);
      assertThat(request.idempotencyKey()).isEqualTo("b-1:2:accept_booking:secure:1");
      assertThat(request.attempt()).isEqualTo(1);
      assertThat(request.amount()).isEqualTo(Money.of(8000, "EUR"));
      assertThat(request.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("booking_id", "b-1",
          "action_name", "accept_booking", "sequence", "2", "payment_moment", "secure", "attempt", "1"));
      assertThat(request.customerId()).isEqualTo("c-1");
      assertThat(request.gigstaId()).isEqualTo("g-1");
    });
  }

  @Test
  void shouldCaptureAChargeAfterItIsRecordedWithTheSameAmount() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null, Money.of(8000, "EUR")).booking();
    engine.perform(booking, GIGSTA, "accept_booking");

    DeliveryWorker.builder(engine).build().drain();

    assertThat(payments.effectiveRequests()).extracting(PaymentRequest::idempotencyKey, PaymentRequest::amount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("b-1:2:accept_booking:secure:1", Money.of(8000, "EUR")),
            org.assertj.core.groups.Tuple.tuple("b-1:2:accept_booking:capture:1", Money.of(8000, "EUR")));
  }

  @Test
  void shouldSecurePaymentBeforeTheAcceptanceIsRecorded() {
    List<Integer> historyAtSecure = new CopyOnWriteArrayList<>();
    BookingEngine watching = BookingEngine.builder().withAuditTrail(trail)
        .withPaymentHooks(new ForwardingHooks(payments) {
          @Override
          public void secure(PaymentRequest request) {
            historyAtSecure.add(trail.history(request.bookingId()).size());
            super.secure(request);
          }
        }).build();
    Booking booking = watching.requestBooking("b-1", CUSTOMER, "g-1", null).booking();

    watching.perform(booking, GIGSTA, "accept_booking");

    assertThat(historyAtSecure).containsExactly(1);
    assertThat(trail.history("b-1")).hasSize(2);
  }

  @Test
  void shouldLeaveTheBookingRequestedWhenPaymentIsDeclined() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    payments.declineNext(PaymentMoment.SECURE, 1);

    PaymentFailedException e = catchThrowableOfType(PaymentFailedException.class,
        () -> engine.perform(booking, GIGSTA, "accept_booking"));

    assertThat(e.code()).isEqualTo(ErrorCode.PAYMENT_FAILED);
    assertThat(e.moment()).isEqualTo(PaymentMoment.SECURE);
    assertThat(e.idempotencyKey()).isEqualTo("b-1:2:accept_booking:secure:1");
    assertThat(e.declined()).isTrue();
    assertThat(e.getMessage()).contains("b-1", "accept_booking", "GIGSTA:g-1", "REQUESTED", "was declined",
        "card declined");
    assertThat(engine.load("b-1")).isEqualTo(booking);
    assertThat(trail.history("b-1")).hasSize(1);
    assertThat(payments.effectiveRequests()).isEmpty();
  }

  @Test
  void shouldTryAgainWithANewKeyAfterADecline() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    payments.declineNext(PaymentMoment.SECURE, 2);
    catchThrowableOfType(PaymentFailedException.class, () -> engine.perform(booking, GIGSTA, "accept_booking"));
    catchThrowableOfType(PaymentFailedException.class, () -> engine.perform(booking, GIGSTA, "accept_booking"));

    engine.perform(booking, GIGSTA, "accept_booking");

    assertThat(payments.requests()).extracting(PaymentRequest::idempotencyKey).containsExactly(
        "b-1:2:accept_booking:secure:1", "b-1:2:accept_booking:secure:2", "b-1:2:accept_booking:secure:3");
    assertThat(payments.effectiveRequests()).hasSize(1);
    assertThat(trail.claimAbandonedHolds(java.time.Instant.MAX, 10)).isEmpty();
  }

  @Test
  void shouldRepeatTheSameKeyAfterAFailureWhoseOutcomeIsUnknown() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    BookingEngine timingOut = BookingEngine.builder().withAuditTrail(trail)
        .withPaymentHooks(new ForwardingHooks(payments) {
          @Override
          public void secure(PaymentRequest request) {
            super.secure(request);
            throw new IllegalStateException("read timed out");
          }
        }).build();
    PaymentFailedException unknown = catchThrowableOfType(PaymentFailedException.class,
        () -> timingOut.perform(booking, GIGSTA, "accept_booking"));

    engine.perform(booking, GIGSTA, "accept_booking");

    assertThat(unknown.declined()).isFalse();
    assertThat(payments.requests()).extracting(PaymentRequest::idempotencyKey)
        .containsExactly("b-1:2:accept_booking:secure:1", "b-1:2:accept_booking:secure:1");
    assertThat(payments.effectiveRequests()).hasSize(1);
    assertThat(trail.claimAbandonedHolds(java.time.Instant.MAX, 10)).isEmpty();
  }

  @Test
  void shouldReleaseTheSecuredPaymentWhenTheAcceptanceLosesTheRace() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    // The customer's cancellation lands between securing the payment and recording the acceptance.
    BookingEngine racing = BookingEngine.builder().withAuditTrail(trail)
        .withPaymentHooks(new ForwardingHooks(payments) {
          @Override
          public void secure(PaymentRequest request) {
            super.secure(request);
            engine.perform(booking, CUSTOMER, "cancel_booking", "changed my mind");
          }
        }).build();

    BookingChangedConcurrentlyException e = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> racing.perform(booking, GIGSTA, "accept_booking"));

    assertThat(e.bookingId()).isEqualTo("b-1");
    assertThat(engine.load("b-1").state()).isEqualTo(BookingState.CANCELLED_BY_CUSTOMER);
    // The losing acceptance's payment is released at once; the cancellation of a request moves no money.
    assertThat(payments.effectiveRequests()).extracting(PaymentRequest::idempotencyKey).containsExactly(
        "b-1:2:accept_booking:secure:1", "b-1:2:accept_booking:release:1");
    DeliveryWorker.builder(engine).build().drain();
    assertThat(payments.effectiveRequests()).extracting(PaymentRequest::idempotencyKey).containsExactly(
        "b-1:2:accept_booking:secure:1", "b-1:2:accept_booking:release:1");
    assertThat(trail.claimAbandonedHolds(java.time.Instant.MAX, 10)).isEmpty();
  }

  @Test
  void shouldKeepThePaymentWhenTheSameAcceptanceWonTheRace() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    // A double submit: the first request records the acceptance while the second is securing payment.
    BookingEngine doubleSubmit = BookingEngine.builder().withAuditTrail(trail)
        .withPaymentHooks(new ForwardingHooks(payments) {
          @Override
          public void secure(PaymentRequest request) {
            super.secure(request);
            engine.perform(booking, GIGSTA, "accept_booking");
          }
        }).build();

    catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> doubleSubmit.perform(booking, GIGSTA, "accept_booking"));

    assertThat(engine.load("b-1").state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(payments.effectiveRequests()).extracting(PaymentRequest::idempotencyKey)
        .containsExactly("b-1:2:accept_booking:secure:1");
    assertThat(trail.claimAbandonedHolds(java.time.Instant.MAX, 10)).isEmpty();
  }

  @Test
  void shouldTellALateDoubleSubmitThatTheChangeIsRecordedWithoutCallingTheProvider() {
    ConcurrencyTest.CountingTrail racing = new ConcurrencyTest.CountingTrail(trail);
    BookingEngine late = BookingEngine.builder().withAuditTrail(racing).withPaymentHooks(payments).build();
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    // The late request read version 1; the first one records the acceptance before it asks for its attempt.
    racing.beforePaymentAttempt = () -> engine.perform("b-1", GIGSTA, "accept_booking", null);

    BookingChangedConcurrentlyException e = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> late.perform("b-1", GIGSTA, "accept_booking", null));

    assertThat(e.getMessage()).contains("was recorded at sequence 2 by another request");
    assertThat(payments.requests()).extracting(PaymentRequest::idempotencyKey)
        .as("only the first request's call").containsExactly("b-1:2:accept_booking:secure:1");
    assertThat(trail.claimAbandonedHolds(java.time.Instant.MAX, 10)).as("nothing left to release").isEmpty();
    assertThat(engine.load("b-1").state()).isEqualTo(BookingState.ACCEPTED);
  }

  @Test
  void shouldLeaveRefundsReleasesAndCapturesToTheWorkerWhichMakesThemAfterTheChangeIsRecorded() {
    List<String> seen = new CopyOnWriteArrayList<>();
    BookingEngine watching = BookingEngine.builder().withAuditTrail(trail)
        .withPaymentHooks(new ForwardingHooks(payments) {
          @Override
          public void release(PaymentRequest request) {
            seen.add("release at history " + trail.history(request.bookingId()).size());
          }

          @Override
          public void refund(PaymentRequest request) {
            seen.add("refund at history " + trail.history(request.bookingId()).size());
          }

          @Override
          public void capture(PaymentRequest request) {
            seen.add("capture at history " + trail.history(request.bookingId()).size());
          }

          @Override
          public void payout(PaymentRequest request) {
            seen.add("payout at history " + trail.history(request.bookingId()).size());
          }
        }).build();

    Booking declined = watching.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    watching.perform(declined, GIGSTA, "decline_booking");
    Booking refunded = watching.perform(watching.requestBooking("b-2", CUSTOMER, "g-1", null).booking(), GIGSTA,
        "accept_booking").booking();
    watching.perform(refunded, GIGSTA, "cancel_booking");
    Booking completed = watching.perform(watching.requestBooking("b-3", CUSTOMER, "g-1", null).booking(), GIGSTA,
        "accept_booking").booking();
    completed = watching.perform(completed, GIGSTA, "mark_in_progress").booking();
    watching.perform(completed, GIGSTA, "mark_completed");
    assertThat(seen).isEmpty();

    DeliveryWorker.Sweep sweep = DeliveryWorker.builder(watching).build().drain();

    // b-1's decline moves no money; b-2 is charged and refunded, b-3 charged and paid out.
    assertThat(seen).containsExactly("capture at history 3", "refund at history 3", "capture at history 4",
        "payout at history 4");
    assertThat(sweep.delivered()).isEqualTo(4);
  }

  @Test
  void shouldKeepTheChangeWhenItsSettlementFailsAndRetryItWithTheSameKey() {
    BookingEngineTest.MutableClock clock = new BookingEngineTest.MutableClock(java.time.Instant.parse("2026-03-01T10:00:00Z"));
    BookingEngine timed = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments).withClock(clock)
        .build();
    DeliveryWorker worker = DeliveryWorker.builder(timed).build();
    Booking booking = timed.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    booking = timed.perform(booking, GIGSTA, "accept_booking").booking();
    payments.declineNext(PaymentMoment.REFUND, 1);

    BookingChange cancelled = timed.perform(booking, CUSTOMER, "cancel_booking");
    DeliveryWorker.Sweep failed = worker.drain();

    assertThat(cancelled.booking().state()).isEqualTo(BookingState.CANCELLED_BY_CUSTOMER);
    assertThat(timed.load("b-1").state()).isEqualTo(BookingState.CANCELLED_BY_CUSTOMER);
    // The acceptance's capture is delivered; the refund fails and waits for its backoff.
    assertThat(failed).isEqualTo(new DeliveryWorker.Sweep(1, 1, 0, 0, 0));
    assertThat(payments.effectiveRequests(PaymentMoment.REFUND)).isEmpty();

    clock.advance(java.time.Duration.ofSeconds(1));
    assertThat(worker.drain()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(payments.requests()).filteredOn(request -> request.moment() == PaymentMoment.REFUND)
        .extracting(PaymentRequest::idempotencyKey)
        .containsExactly("b-1:3:cancel_booking:refund:1", "b-1:3:cancel_booking:refund:1");
    assertThat(payments.effectiveRequests(PaymentMoment.REFUND)).hasSize(1);
  }

  @Test
  void shouldRefuseASnapshotAlreadyBehindTheTrailBeforeCallingTheProvider() {
    Booking requested = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    engine.perform(requested, CUSTOMER, "cancel_booking", "Changed my mind");

    BookingChangedConcurrentlyException stale = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> engine.perform(requested, GIGSTA, "accept_booking"));

    assertThat(stale).isNotNull();
    assertThat(stale.bookingId()).isEqualTo("b-1");
    assertThat(payments.requests()).isEmpty();
    assertThat(trail.history("b-1")).hasSize(2);
  }

  @Test
  void shouldRefuseAnOutdatedExpectedVersionBeforeCallingTheProvider() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);

    BookingChangedConcurrentlyException outdated = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> engine.perform("b-1", 2, GIGSTA, "accept_booking", null));

    assertThat(outdated.getMessage()).contains("it is at version 1, not 2");
    assertThat(payments.requests()).isEmpty();
    assertThat(engine.perform("b-1", 1, GIGSTA, "accept_booking", null).booking().version()).isEqualTo(2);
    assertThat(payments.effectiveRequests(PaymentMoment.SECURE)).hasSize(1);
  }
}
