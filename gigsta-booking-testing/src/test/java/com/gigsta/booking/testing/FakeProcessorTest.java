package com.gigsta.booking.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.PaymentDeclinedException;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.testing.FakeProcessor.Call;
import com.gigsta.booking.testing.FakeProcessor.Effect;
import com.gigsta.booking.testing.FakeProcessor.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link FakeProcessor}, called directly through its hooks with requests as the engine and
 * the delivery worker make them: replays and their window, reused keys, declines, hold lapses, the
 * refusals of captures, releases, refunds and payouts, and the two kinds of outage.
 */
class FakeProcessorTest {

  private static final Instant T0 = Instant.parse("2026-05-04T09:00:00Z");
  private static final Duration ONE_NANO = Duration.ofNanos(1);
  private static final Money PRICE = Money.of(8000, "EUR");

  private final TestClock clock = new TestClock(T0);
  private final FakeProcessor fake = FakeProcessor.builder().withClock(clock).build();
  private final PaymentHooks hooks = fake.hooks();

  // ---- requests as the engine makes them ----

  private static PaymentRequest secure(int attempt) {
    return PaymentRequest.of(PaymentMoment.SECURE, "b-1", "c-1", "g-1", "accept_booking", 2, attempt, PRICE);
  }

  private static PaymentRequest capture() {
    return PaymentRequest.of(PaymentMoment.CAPTURE, "b-1", "c-1", "g-1", "accept_booking", 2, 1, PRICE);
  }

  private static PaymentRequest refund(long sequence, long minor) {
    return PaymentRequest.of(PaymentMoment.REFUND, "b-1", "c-1", "g-1", "cancel_booking", sequence, 1,
        Money.of(minor, "EUR"));
  }

  private static PaymentRequest payout(long sequence, long minor) {
    return PaymentRequest.of(PaymentMoment.PAYOUT, "b-1", "c-1", "g-1", "mark_completed", sequence, 1,
        Money.of(minor, "EUR"));
  }

  private static PaymentRequest release(int attempt) {
    return secure(attempt).withMoment(PaymentMoment.RELEASE);
  }

  private Ledger ledger() {
    return fake.ledger("b-1");
  }

  private List<Effect> effects() {
    return fake.effectiveCalls().stream().map(Call::effect).toList();
  }

  // ---- secure and capture ----

  @Test
  void shouldAuthorizeAHoldAndCaptureIt() {
    hooks.secure(secure(1));

    assertThat(ledger()).isEqualTo(new Ledger("b-1", Currency.getInstance("EUR"), 8000, 0, 0, 0, 0, 0, 0));

    clock.advance(Duration.ofSeconds(3));
    hooks.capture(capture());

    assertThat(ledger()).isEqualTo(new Ledger("b-1", Currency.getInstance("EUR"), 0, 8000, 0, 0, 0, 0, 0));
    assertThat(ledger().charged()).isEqualTo(8000);
    assertThat(fake.effectiveCalls()).containsExactly(new Call(T0, secure(1), Effect.AUTHORIZED, 8000),
        new Call(T0.plusSeconds(3), capture(), Effect.CAPTURED, 8000));
    assertThat(fake.effectiveCalls().get(1).moment()).isEqualTo(PaymentMoment.CAPTURE);
  }

  @Test
  void shouldCaptureTheHoldOfTheSameChangeBeforeTheBookingsOldest() {
    hooks.secure(secure(1));
    PaymentRequest later = PaymentRequest.of(PaymentMoment.SECURE, "b-1", "c-1", "g-1", "top_up", 3, 1,
        Money.of(500, "EUR"));
    hooks.secure(later);

    hooks.capture(PaymentRequest.of(PaymentMoment.CAPTURE, "b-1", "c-1", "g-1", "top_up", 3, 1,
        Money.of(500, "EUR")));

    assertThat(ledger().captured()).isEqualTo(500);
    assertThat(ledger().authorized()).as("the older hold of 8000 is still live").isEqualTo(8000);
  }

  @Test
  void shouldCaptureTheBookingsOldestLiveHoldForAnotherChange() {
    hooks.secure(secure(1));

    hooks.capture(PaymentRequest.of(PaymentMoment.CAPTURE, "b-1", "c-1", "g-1", "mark_completed", 4, 1, PRICE));

    assertThat(ledger().captured()).isEqualTo(8000);
    assertThat(ledger().authorized()).isZero();
  }

  @Test
  void shouldRefuseACaptureAboveTheHoldOrWithoutAHold() {
    PaymentRequest tooMuch = PaymentRequest.of(PaymentMoment.CAPTURE, "b-1", "c-1", "g-1", "accept_booking", 2, 1,
        Money.of(8001, "EUR"));

    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.capture(capture()))
        .withMessageContaining("no hold to capture");
    hooks.secure(secure(1));
    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.capture(tooMuch))
        .withMessageContaining("more than the hold of 8000");

    assertThat(ledger().captured()).isZero();
    assertThat(ledger().authorized()).isEqualTo(8000);
    assertThat(ledger().lapsedCaptureRefusals()).as("no hold lapsed").isZero();
  }

  // ---- replays ----

  @Test
  void shouldReplayASuccessForTheReplayWindowWithoutAnotherEffectAndRunItAnewAfter() {
    hooks.secure(secure(1));
    hooks.capture(capture());
    clock.advance(Duration.ofHours(1));
    hooks.refund(refund(3, 3000));

    clock.advance(Duration.ofHours(24).minus(ONE_NANO));
    hooks.refund(refund(3, 3000));

    assertThat(ledger().refunded()).as("replayed 1 ns before the window ends").isEqualTo(3000);
    assertThat(effects()).containsExactly(Effect.AUTHORIZED, Effect.CAPTURED, Effect.REFUNDED);

    clock.advance(ONE_NANO);
    hooks.refund(refund(3, 3000));

    assertThat(ledger().refunded()).as("the key is forgotten 24 h after its first call").isEqualTo(6000);
    assertThat(effects()).containsExactly(Effect.AUTHORIZED, Effect.CAPTURED, Effect.REFUNDED, Effect.REFUNDED);
  }

  @Test
  void shouldReplayADeclineEvenAfterTheCardIsFixedUntilTheWindowEnds() {
    fake.declineCardsOf("c-1");
    PaymentDeclinedException declined = catchThrowableOfType(PaymentDeclinedException.class,
        () -> hooks.secure(secure(1)));
    assertThat(declined).hasMessageContaining("card_declined").hasMessageContaining(secure(1).idempotencyKey());

    fake.fixCard("c-1");
    clock.advance(Duration.ofHours(24).minus(ONE_NANO));

    assertThatExceptionOfType(PaymentDeclinedException.class).isThrownBy(() -> hooks.secure(secure(1)))
        .withMessage(declined.getMessage());
    assertThat(ledger().declines()).as("a replayed decline is not counted again").isEqualTo(1);
    assertThat(ledger().authorized()).isZero();

    clock.advance(ONE_NANO);
    hooks.secure(secure(1));

    assertThat(ledger().authorized()).isEqualTo(8000);
    assertThat(ledger().declines()).isEqualTo(1);
  }

  @Test
  void shouldAuthorizeANewAttemptOnceTheCardIsFixed() {
    fake.declineCardsOf("c-1");
    assertThatExceptionOfType(PaymentDeclinedException.class).isThrownBy(() -> hooks.secure(secure(1)));
    assertThatExceptionOfType(PaymentDeclinedException.class).isThrownBy(() -> hooks.secure(secure(2)));

    fake.fixCard("c-1");
    hooks.secure(secure(3));

    assertThat(ledger().declines()).isEqualTo(2);
    assertThat(ledger().authorized()).isEqualTo(8000);
    assertThat(fake.effectiveCalls()).extracting(Call::request).containsExactly(secure(3));
  }

  @Test
  void shouldDeclineOnlyTheCardsOfTheCustomerNamed() {
    fake.declineCardsOf("c-2");

    hooks.secure(secure(1));

    assertThat(ledger().authorized()).isEqualTo(8000);
    assertThat(ledger().declines()).isZero();
  }

  @Test
  void shouldRefuseAKeyReusedWithOtherParametersAndRememberOnlyTheFirst() {
    PaymentRequest first = secure(1);
    PaymentRequest other = new PaymentRequest(PaymentMoment.SECURE, "b-1", "c-1", "g-1", "accept_booking", 2, 1,
        Money.of(9000, "EUR"), first.idempotencyKey(), first.metadata());
    hooks.secure(first);
    clock.advance(Duration.ofHours(23));

    IdempotencyKeyReusedException reused = catchThrowableOfType(IdempotencyKeyReusedException.class,
        () -> hooks.secure(other));

    assertThat(reused).hasMessageContaining(first.idempotencyKey()).hasMessageContaining(first.toString())
        .hasMessageContaining(other.toString());
    assertThat(reused.idempotencyKey()).isEqualTo(first.idempotencyKey());
    assertThat(reused.first()).isEqualTo(first);
    assertThat(reused.reused()).isEqualTo(other);
    assertThat(ledger().authorized()).isEqualTo(8000);
    hooks.secure(first);
    assertThatExceptionOfType(IdempotencyKeyReusedException.class).isThrownBy(() -> hooks.secure(other));
    assertThat(fake.effectiveCalls()).hasSize(1);
  }

  @Test
  void shouldRefuseAKeyReusedForAnotherKindOfCall() {
    hooks.secure(secure(1));
    PaymentRequest sameKey = new PaymentRequest(PaymentMoment.CAPTURE, "b-1", "c-1", "g-1", "accept_booking", 2,
        1, PRICE, secure(1).idempotencyKey(), secure(1).metadata());

    assertThatExceptionOfType(IdempotencyKeyReusedException.class).isThrownBy(() -> hooks.capture(sameKey));
    assertThat(ledger().captured()).isZero();
  }

  // ---- lapses ----

  @Test
  void shouldLapseAHoldSevenDaysAfterItsAuthorizationByDefault() {
    TestClock otherClock = new TestClock(T0);
    FakeProcessor other = FakeProcessor.builder().withClock(otherClock).build();
    hooks.secure(secure(1));
    other.hooks().secure(secure(1));

    otherClock.advance(Duration.ofDays(7).minus(ONE_NANO));
    other.hooks().capture(capture());
    clock.advance(Duration.ofDays(7).minus(ONE_NANO));
    assertThat(ledger().authorized()).as("live 1 ns before it lapses").isEqualTo(8000);
    clock.advance(ONE_NANO);

    assertThat(ledger().authorized()).as("lapsed").isZero();
    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.capture(capture()))
        .withMessageContaining("lapsed at " + T0.plus(Duration.ofDays(7)));
    assertThat(ledger().lapsedCaptureRefusals()).isEqualTo(1);
    assertThat(ledger().captured()).isZero();
    assertThat(other.ledger("b-1").captured()).isEqualTo(8000);
    assertThat(other.ledger("b-1").lapsedCaptureRefusals()).isZero();
  }

  @Test
  void shouldLapseHoldsAfterTheConfiguredTime() {
    FakeProcessor shortHolds = FakeProcessor.builder().withClock(clock).withHoldLapse(Duration.ofDays(2)).build();
    shortHolds.hooks().secure(secure(1));
    shortHolds.hooks().secure(PaymentRequest.of(PaymentMoment.SECURE, "b-2", "c-1", "g-1", "accept_booking", 2, 1,
        PRICE));

    clock.advance(Duration.ofDays(2).minus(ONE_NANO));
    shortHolds.hooks().capture(capture());
    clock.advance(ONE_NANO);

    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> shortHolds.hooks().capture(
        PaymentRequest.of(PaymentMoment.CAPTURE, "b-2", "c-1", "g-1", "accept_booking", 2, 1, PRICE)))
        .withMessageContaining("lapsed");
    assertThat(shortHolds.ledger("b-1").captured()).isEqualTo(8000);
    assertThat(shortHolds.ledger("b-2").lapsedCaptureRefusals()).isEqualTo(1);
  }

  @Test
  void shouldReleaseNothingOfALapsedHold() {
    hooks.secure(secure(1));
    clock.advance(Duration.ofDays(7));

    hooks.release(release(1));

    assertThat(ledger().released()).isZero();
    assertThat(effects()).containsExactly(Effect.AUTHORIZED, Effect.NOTHING_TO_RELEASE);
  }

  // ---- releases ----

  @Test
  void shouldReleaseTheHoldOfTheSameAttempt() {
    hooks.secure(secure(1));
    PaymentRequest otherChange = PaymentRequest.of(PaymentMoment.SECURE, "b-1", "c-1", "g-1", "top_up", 3, 1,
        Money.of(500, "EUR"));
    hooks.secure(otherChange);

    hooks.release(otherChange.withMoment(PaymentMoment.RELEASE));

    assertThat(ledger().released()).isEqualTo(500);
    assertThat(ledger().authorized()).isEqualTo(8000);
  }

  @Test
  void shouldReleaseEveryLiveHoldWhenNoneIsOfTheSameAttempt() {
    hooks.secure(secure(1));

    hooks.release(release(2));

    assertThat(ledger().released()).isEqualTo(8000);
    assertThat(ledger().authorized()).isZero();
    assertThat(fake.effectiveCalls().get(1)).isEqualTo(new Call(T0, release(2), Effect.RELEASED, 8000));
  }

  @Test
  void shouldSucceedWithoutEffectReleasingABookingWithNothing() {
    hooks.release(release(1));

    assertThat(ledger()).isEqualTo(new Ledger("b-1", Currency.getInstance("EUR"), 0, 0, 0, 0, 0, 0, 0));
    assertThat(effects()).containsExactly(Effect.NOTHING_TO_RELEASE);
  }

  @Test
  void shouldRefuseToReleaseACapturedPayment() {
    hooks.secure(secure(1));
    hooks.capture(capture());

    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.release(release(1)))
        .withMessageContaining("captured");

    assertThat(ledger().released()).isZero();
    assertThat(ledger().captured()).isEqualTo(8000);
  }

  // ---- refunds and payouts ----

  @Test
  void shouldRefuseARefundAboveWhatIsCapturedAndNotYetRefunded() {
    hooks.secure(secure(1));
    hooks.capture(capture());

    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.refund(refund(3, 8001)))
        .withMessageContaining("more than the 8000 captured");
    hooks.refund(refund(4, 5000));
    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.refund(refund(5, 3001)));
    hooks.refund(refund(6, 3000));

    assertThat(ledger().refunded()).isEqualTo(8000);
    assertThat(ledger().charged()).isZero();
  }

  @Test
  void shouldNotRememberARefusalSoTheSameCallSucceedsOnceThePaymentAllowsIt() {
    hooks.secure(secure(1));
    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.refund(refund(3, 4000)));

    hooks.capture(capture());
    hooks.refund(refund(3, 4000));

    assertThat(ledger().refunded()).isEqualTo(4000);
  }

  @Test
  void shouldRefuseAPayoutAboveWhatIsLeftAfterRefundsAndPayouts() {
    hooks.secure(secure(1));
    hooks.capture(capture());
    hooks.refund(refund(3, 3000));

    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.payout(payout(4, 5001)))
        .withMessageContaining("more than the 5000");
    hooks.payout(payout(5, 4000));
    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.payout(payout(6, 1001)));
    hooks.payout(payout(7, 1000));

    assertThat(ledger().paidOut()).isEqualTo(5000);
    assertThat(ledger().charged()).isEqualTo(5000);
  }

  @Test
  void shouldRefuseMoneyInAnotherCurrency() {
    hooks.secure(secure(1));

    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.capture(
        PaymentRequest.of(PaymentMoment.CAPTURE, "b-1", "c-1", "g-1", "accept_booking", 2, 1, Money.of(8000, "USD"))))
        .withMessageContaining("paid in EUR, not in USD");
    assertThat(ledger().captured()).isZero();
  }

  @Test
  void shouldCountCallsForABookingWithoutAPrice() {
    PaymentRequest secure = PaymentRequest.of(PaymentMoment.SECURE, "b-9", "c-1", "g-1", "accept_booking", 2, 1,
        null);
    hooks.secure(secure);
    hooks.capture(PaymentRequest.of(PaymentMoment.CAPTURE, "b-9", "c-1", "g-1", "accept_booking", 2, 1, null));
    hooks.refund(PaymentRequest.of(PaymentMoment.REFUND, "b-9", "c-1", "g-1", "cancel_booking", 3, 1, null));

    assertThat(fake.ledger("b-9")).isEqualTo(new Ledger("b-9", null, 0, 1, 1, 0, 0, 0, 0));
    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.payout(
        PaymentRequest.of(PaymentMoment.PAYOUT, "b-9", "c-1", "g-1", "mark_completed", 4, 1, null)));
    assertThatExceptionOfType(PaymentRefusedException.class).isThrownBy(() -> hooks.refund(
        PaymentRequest.of(PaymentMoment.REFUND, "b-9", "c-1", "g-1", "cancel_booking", 5, 1, PRICE)))
        .withMessageContaining("had no amount");
  }

  // ---- outages ----

  @Test
  void shouldLeaveNothingBehindACallThatFailedBeforeTheProcessor() {
    fake.failNext(2);

    assertThatExceptionOfType(ProcessorUnavailableException.class).isThrownBy(() -> hooks.secure(secure(1)))
        .withMessageContaining("did not reach");
    assertThatExceptionOfType(ProcessorUnavailableException.class).isThrownBy(() -> hooks.release(release(1)));

    assertThat(fake.ledger("b-1")).isEqualTo(new Ledger("b-1", null, 0, 0, 0, 0, 0, 0, 0));
    assertThat(fake.ledgers()).isEmpty();
    assertThat(fake.effectiveCalls()).isEmpty();
    PaymentRequest otherWithSameKey = new PaymentRequest(PaymentMoment.SECURE, "b-1", "c-1", "g-1",
        "accept_booking", 2, 1, Money.of(9000, "EUR"), secure(1).idempotencyKey(), secure(1).metadata());
    hooks.secure(otherWithSameKey);
    assertThat(ledger().authorized()).as("the key was not remembered").isEqualTo(9000);
  }

  @Test
  void shouldCarryOutACallWhoseAnswerIsLostAndReplayIt() {
    fake.loseNextAnswers(1);

    assertThatExceptionOfType(ProcessorUnavailableException.class).isThrownBy(() -> hooks.secure(secure(1)))
        .withMessageContaining("was lost");
    assertThat(ledger().authorized()).as("it took effect").isEqualTo(8000);

    hooks.secure(secure(1));

    assertThat(ledger().authorized()).as("the retry is a replay").isEqualTo(8000);
    assertThat(fake.effectiveCalls()).containsExactly(new Call(T0, secure(1), Effect.AUTHORIZED, 8000));
  }

  @Test
  void shouldRememberADeclineWhoseAnswerIsLost() {
    fake.declineCardsOf("c-1");
    fake.loseNextAnswers(1);

    assertThatExceptionOfType(ProcessorUnavailableException.class).isThrownBy(() -> hooks.secure(secure(1)));
    fake.fixCard("c-1");

    assertThatExceptionOfType(PaymentDeclinedException.class).isThrownBy(() -> hooks.secure(secure(1)));
    assertThat(ledger().declines()).isEqualTo(1);
  }

  @Test
  void shouldEndAnOutageWhenItsCountIsSetToZero() {
    fake.failNext(5);
    fake.failNext(0);
    fake.loseNextAnswers(5);
    fake.loseNextAnswers(0);

    assertThatNoException().isThrownBy(() -> hooks.secure(secure(1)));
  }

  @Test
  void shouldFailBeforeLosingWhenBothOutagesArePending() {
    fake.failNext(1);
    fake.loseNextAnswers(1);

    assertThatExceptionOfType(ProcessorUnavailableException.class).isThrownBy(() -> hooks.secure(secure(1)))
        .withMessageContaining("did not reach");
    assertThatExceptionOfType(ProcessorUnavailableException.class).isThrownBy(() -> hooks.secure(secure(1)))
        .withMessageContaining("was lost");
    hooks.secure(secure(1));

    assertThat(ledger().authorized()).isEqualTo(8000);
  }

  // ---- the rest ----

  @Test
  void shouldAnswerConcurrentCallsWithOneKeyOnce() throws Exception {
    hooks.secure(secure(1));
    hooks.capture(capture());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Void>> refunds = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        refunds.add(() -> {
          hooks.refund(refund(3, 100));
          return null;
        });
      }
      for (Future<Void> done : pool.invokeAll(refunds)) {
        done.get();
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(ledger().refunded()).isEqualTo(100);
    System.out.println("fake processor: 64 concurrent refunds with one key, " + effects().size()
        + " effective calls in all");
  }

  @Test
  void shouldKeepEachBookingsLedgerApartAndListThemInTheOrderSeen() {
    hooks.secure(PaymentRequest.of(PaymentMoment.SECURE, "b-2", "c-1", "g-1", "accept_booking", 2, 1,
        Money.of(500, "JPY")));
    hooks.secure(secure(1));

    assertThat(fake.ledgers()).containsOnlyKeys("b-2", "b-1");
    assertThat(fake.ledgers().keySet()).containsExactly("b-2", "b-1");
    assertThat(fake.ledgers().get("b-2")).isEqualTo(new Ledger("b-2", Currency.getInstance("JPY"), 500, 0, 0, 0, 0,
        0, 0));
    assertThat(fake.ledgers().get("b-1").authorized()).isEqualTo(8000);
  }

  @Test
  void shouldRejectMisuse() {
    assertThatIllegalArgumentException().isThrownBy(() -> FakeProcessor.builder().withHoldLapse(Duration.ZERO));
    assertThatIllegalArgumentException().isThrownBy(
        () -> FakeProcessor.builder().withReplayWindow(Duration.ofHours(-1)));
    assertThatNullPointerException().isThrownBy(() -> FakeProcessor.builder().withClock(null));
    assertThatIllegalArgumentException().isThrownBy(() -> fake.failNext(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> fake.loseNextAnswers(-1));
    assertThatNullPointerException().isThrownBy(() -> hooks.secure(null));
    assertThatIllegalArgumentException().isThrownBy(() -> hooks.capture(secure(1)));
    assertThat(fake.effectiveCalls()).isEmpty();
  }
}
