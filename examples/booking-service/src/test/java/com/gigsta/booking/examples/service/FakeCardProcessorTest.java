package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FakeCardProcessorTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T09:00:00Z"), ZoneOffset.UTC);

  private static PaymentRequest secure(String customer) {
    AuditEntry accepted = new AuditEntry("b-1", 2, "accept_booking", Role.GIGSTA, "gina", customer, "gina",
        BookingState.REQUESTED, BookingState.ACCEPTED, CLOCK.instant(), "Booking accepted by GigSta", null, null);
    return PaymentRequest.of(PaymentMoment.SECURE, accepted);
  }

  @Test
  void shouldTakeEffectOnceWhenAKeyIsRepeated() {
    FakeCardProcessor processor = new FakeCardProcessor(Set.of(), CLOCK);

    processor.secure(secure("alice"));
    processor.secure(secure("alice"));

    assertThat(processor.ledger()).singleElement()
        .satisfies(operation -> assertThat(operation.amountCents()).isEqualTo(FakeCardProcessor.HOLD_CENTS));
  }

  @Test
  void shouldDeclineConfiguredCustomersAndRememberNothing() {
    FakeCardProcessor processor = new FakeCardProcessor(Set.of("dora"), CLOCK);

    assertThatThrownBy(() -> processor.secure(secure("dora")))
        .isInstanceOf(FakeCardProcessor.CardDeclinedException.class).hasMessageContaining("declined");

    assertThat(processor.ledger()).isEmpty();
  }

  @Test
  void shouldFailRefundsWhileSwitchedAndMakeTheSameOneOnceTheyWorkAgain() {
    FakeCardProcessor processor = new FakeCardProcessor(Set.of(), CLOCK);
    processor.secure(secure("alice"));
    AuditEntry cancelled = new AuditEntry("b-1", 3, "cancel_booking", Role.CUSTOMER, "alice", "alice", "gina",
        BookingState.ACCEPTED, BookingState.CANCELLED_BY_CUSTOMER, CLOCK.instant(), "Booking cancelled by customer",
        null, null);
    PaymentRequest refund = PaymentRequest.of(PaymentMoment.REFUND, cancelled);
    processor.failRefunds(true);

    assertThatThrownBy(() -> processor.refund(refund))
        .isInstanceOf(FakeCardProcessor.ProcessorUnavailableException.class)
        .hasMessageContaining("b-1:3:cancel_booking:refund");
    assertThat(processor.ledger()).extracting(FakeCardProcessor.Operation::moment)
        .containsExactly(PaymentMoment.SECURE);

    processor.failRefunds(false);
    processor.refund(refund);
    processor.refund(refund);

    assertThat(processor.ledger()).extracting(FakeCardProcessor.Operation::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.REFUND);
    assertThat(processor.ledger().get(1).amountCents()).isEqualTo(FakeCardProcessor.HOLD_CENTS);
  }

  @Test
  void shouldAcceptTheSameKeyOnceCardsWorkAgain() {
    FakeCardProcessor processor = new FakeCardProcessor(Set.of(), CLOCK);
    processor.declineAll(true);
    assertThatThrownBy(() -> processor.secure(secure("alice")))
        .isInstanceOf(FakeCardProcessor.CardDeclinedException.class);

    processor.declineAll(false);
    processor.secure(secure("alice"));

    assertThat(processor.ledger()).singleElement()
        .satisfies(operation -> assertThat(operation.idempotencyKey()).isEqualTo("b-1:2:accept_booking:secure"));
  }
}
