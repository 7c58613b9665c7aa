package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.PaymentDeclinedException;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.testing.FakeProcessor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's switches over the demo's card processor, which decides everything else. */
class SwitchablePaymentHooksTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T09:00:00Z"), ZoneOffset.UTC);
  private static final Money PRICE = Money.of(8_000, "EUR");
  private static final List<String> CUSTOMERS = List.of("alice", "bob", "dora");

  private final FakeProcessor processor = FakeProcessor.builder().withClock(CLOCK).build();
  private final SwitchablePaymentHooks hooks = new SwitchablePaymentHooks(processor, Set.of("dora"), CUSTOMERS);

  /** The acceptance of the booking's request, as the engine asks for it in the given attempt. */
  private static PaymentRequest accept(String bookingId, String customer, PaymentMoment moment, int attempt) {
    return PaymentRequest.of(moment, bookingId, customer, "gina", "accept_booking", 2, attempt, PRICE);
  }

  private static PaymentRequest refund(String bookingId) {
    return PaymentRequest.of(PaymentMoment.REFUND, bookingId, "alice", "gina", "cancel_booking", 3, 1, PRICE);
  }

  @Test
  void shouldHaveTheProcessorDeclineTheConfiguredCustomersFromTheStart() {
    assertThatThrownBy(() -> hooks.secure(accept("b-1", "dora", PaymentMoment.SECURE, 1)))
        .isInstanceOf(PaymentDeclinedException.class).hasMessageContaining("declined");
    hooks.secure(accept("b-2", "alice", PaymentMoment.SECURE, 1));

    assertThat(processor.ledger("b-1").declines()).isEqualTo(1);
    assertThat(processor.ledger("b-1").authorized()).isZero();
    assertThat(processor.ledger("b-2").authorized()).isEqualTo(8_000);
  }

  @Test
  void shouldDeclineEveryCardWhileSwitchedOnAndOnlyTheConfiguredOnesOnceSwitchedOff() {
    hooks.declineAll(true);
    assertThat(hooks.declinesAll()).isTrue();
    assertThatThrownBy(() -> hooks.secure(accept("b-1", "alice", PaymentMoment.SECURE, 1)))
        .isInstanceOf(PaymentDeclinedException.class);
    assertThatThrownBy(() -> hooks.secure(accept("b-2", "bob", PaymentMoment.SECURE, 1)))
        .isInstanceOf(PaymentDeclinedException.class);

    hooks.declineAll(false);
    // The processor repeats a key's decline; the engine's next attempt after a decline has a key of its own.
    assertThatThrownBy(() -> hooks.secure(accept("b-1", "alice", PaymentMoment.SECURE, 1)))
        .isInstanceOf(PaymentDeclinedException.class);
    hooks.secure(accept("b-1", "alice", PaymentMoment.SECURE, 2));
    assertThatThrownBy(() -> hooks.secure(accept("b-3", "dora", PaymentMoment.SECURE, 1)))
        .isInstanceOf(PaymentDeclinedException.class);

    assertThat(hooks.declinesAll()).isFalse();
    assertThat(processor.ledger("b-1").declines()).isEqualTo(1);
    assertThat(processor.ledger("b-1").authorized()).isEqualTo(8_000);
    assertThat(processor.effectiveCalls()).extracting(call -> call.request().idempotencyKey())
        .containsExactly("b-1:2:accept_booking:secure:2");
  }

  @Test
  void shouldFailRefundsBeforeTheProcessorAndMakeTheSameRefundOnceThatStops() {
    hooks.secure(accept("b-1", "alice", PaymentMoment.SECURE, 1));
    hooks.capture(accept("b-1", "alice", PaymentMoment.CAPTURE, 1));
    hooks.failRefunds(true);

    assertThatThrownBy(() -> hooks.refund(refund("b-1")))
        .isInstanceOf(SwitchablePaymentHooks.RefundsFailingException.class)
        .hasMessageContainingAll("refusing refunds", "b-1:3:cancel_booking:refund:1");
    assertThat(processor.effectiveCalls()).extracting(FakeProcessor.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE);
    assertThat(processor.ledger("b-1").refunded()).isZero();

    hooks.failRefunds(false);
    hooks.refund(refund("b-1"));
    hooks.refund(refund("b-1"));

    assertThat(hooks.failsRefunds()).isFalse();
    assertThat(processor.effectiveCalls()).extracting(FakeProcessor.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE, PaymentMoment.REFUND);
    assertThat(processor.ledger("b-1").refunded()).isEqualTo(8_000);
    assertThat(processor.ledger("b-1").charged()).isZero();
  }
}
