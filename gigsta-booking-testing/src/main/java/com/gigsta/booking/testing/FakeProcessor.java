package com.gigsta.booking.testing;

import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.PaymentDeclinedException;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A card processor in memory that answers the engine's {@link PaymentHooks} as a real one such as Stripe
 * does: it remembers idempotency keys for a limited time, keeps holds that lapse, and refuses what the
 * state of a booking's payment does not allow. Tests give {@link #hooks()} to the engine, make cards
 * decline and the processor fail, and then read what happened to each booking's money from its
 * {@link #ledger(String) ledger} and the {@link #effectiveCalls() calls that took effect}. Every time is
 * read from the clock given to the {@link Builder}.
 *
 * <p><b>Failures before the processor.</b> {@link #failNext(int)} makes the next calls fail before they
 * reach the processor: they throw {@link ProcessorUnavailableException}, nothing happens and nothing is
 * remembered, like a request that timed out before it was sent. {@link #loseNextAnswers(int)} makes the
 * next calls that reach the processor run and be remembered as usual, whatever their answer, and then
 * throw {@link ProcessorUnavailableException} instead of that answer, like a response lost on its way
 * back.
 *
 * <p><b>Idempotency keys.</b> Each call's {@link PaymentRequest#idempotencyKey() key} is remembered with
 * its request and its first result, success or decline, for the replay window (24 hours by default, as
 * Stripe keeps keys): while the window that began with the first call lasts, a call with the same key
 * <ul>
 *   <li>whose request equals the first one ({@link PaymentRequest#equals}, every component) gets the first
 *       result again, a success or the same decline, and changes nothing; a decline is repeated even after
 *       {@link #fixCard(String)};</li>
 *   <li>whose request differs throws {@link IdempotencyKeyReusedException}, which names the key and both
 *       requests; nothing happens and nothing is remembered.</li>
 * </ul>
 * From the end of the window on the key is forgotten and a call with it runs anew, as a new call, and is
 * remembered from then. A refusal because of the state of the payment ({@link PaymentRefusedException})
 * is not remembered: the fake treats it as a request refused before it ran, for which Stripe saves no
 * result, so the same call made again once the payment's state changed may succeed.
 *
 * <p><b>One payment per booking.</b> Every call names a booking, and the booking's calls act on its one
 * payment, as every call on a Stripe PaymentIntent names that intent:
 * <ul>
 *   <li><b>secure</b> (authorize; a PaymentIntent confirmed with manual capture): if the cards of the
 *       request's customer are declined ({@link #declineCardsOf(String)}), throws
 *       {@link PaymentDeclinedException}, and the decline is remembered and counted. Otherwise a new hold
 *       of the request's amount is authorized now and lapses at now plus the hold lapse (7 days by
 *       default, how long card networks keep most online authorizations).</li>
 *   <li><b>capture</b>: captures a live hold (one neither captured, released nor lapsed) secured for the
 *       same change (booking, sequence and action, any attempt), or else the booking's oldest live hold.
 *       If the booking has no live hold but one that lapsed, the capture is refused and counted in
 *       {@link Ledger#lapsedCaptureRefusals()}, as Stripe refuses to capture an expired authorization;
 *       with no hold at all it is refused too. The amount must be at most the hold's. The hold is then
 *       captured, and the captured total grows by the amount.</li>
 *   <li><b>release</b> (a PaymentIntent cancelled): releases every live hold secured by the same attempt
 *       (booking, sequence, action and attempt), normally one; if there is none, every live hold of the
 *       booking. If the booking has no live hold but money was captured, the release is refused: a
 *       captured payment is refunded, not released. If it has neither, the release succeeds and changes
 *       nothing: it is the release of a secure call that never reached the processor, or of a hold that
 *       lapsed by itself.</li>
 *   <li><b>refund</b>: the amount must be at most what was captured less what was refunded; the refunded
 *       total grows by it.</li>
 *   <li><b>payout</b> (a transfer to the GigSta's account): the amount must be at most what was captured
 *       less what was refunded and paid out; the paid-out total grows by it.</li>
 * </ul>
 * Every call with money must be in the currency of the booking's earlier calls with money, or it is
 * refused. A booking without a price makes requests without an amount: the fake then knows no amount,
 * keeps holds without one, and its ledger counts calls instead of minor units (each hold, capture,
 * refund and payout counts 1, and a capture takes the whole hold); a booking's calls must all carry an
 * amount or all none, or they are refused.
 *
 * <p>Thread-safe: one lock guards all its state, and each call runs under it, so concurrent calls are
 * answered one after the other. Hooks may be called from any number of engines and workers.
 */
public final class FakeProcessor {

  private final Object lock = new Object();
  private final Clock clock;
  private final Duration holdLapse;
  private final Duration replayWindow;
  private final PaymentHooks hooks = new Hooks();
  // Guarded by lock.
  private final Set<String> declinedCustomers = new HashSet<>();
  private int callsToFail;
  private int answersToLose;
  private final Map<String, Remembered> remembered = new HashMap<>();
  private final Map<String, Payment> payments = new LinkedHashMap<>();
  private final List<Call> effectiveCalls = new ArrayList<>();

  private FakeProcessor(Builder builder) {
    this.clock = builder.clock;
    this.holdLapse = builder.holdLapse;
    this.replayWindow = builder.replayWindow;
  }

  /**
   * Returns a builder with the UTC system clock, holds that lapse after 7 days and keys remembered for
   * 24 hours.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the hooks to give the engine: each of their calls is answered by this processor as the class
   * description says. The same hooks on every call; thread-safe.
   *
   * @return the hooks over this processor
   */
  public PaymentHooks hooks() {
    return hooks;
  }

  /**
   * Makes every secure call paying for this customer, from now on until {@link #fixCard(String)}, be
   * declined. Calls already remembered keep their result.
   *
   * @param customerId the customer whose cards are declined
   * @throws NullPointerException if the id is null
   */
  public void declineCardsOf(String customerId) {
    Objects.requireNonNull(customerId, "customerId");
    synchronized (lock) {
      declinedCustomers.add(customerId);
    }
  }

  /**
   * Undoes {@link #declineCardsOf(String)}: new secure calls for this customer are authorized again. A
   * decline remembered under a key is still repeated for that key while the replay window lasts.
   *
   * @param customerId the customer whose card now works
   * @throws NullPointerException if the id is null
   */
  public void fixCard(String customerId) {
    Objects.requireNonNull(customerId, "customerId");
    synchronized (lock) {
      declinedCustomers.remove(customerId);
    }
  }

  /**
   * Makes the next {@code calls} calls, of any kind, fail before they reach the processor: each throws
   * {@link ProcessorUnavailableException}, and nothing happens and nothing is remembered. Replaces the
   * count set before; 0 ends such an outage. These calls do not count towards
   * {@link #loseNextAnswers(int)}.
   *
   * @param calls how many calls fail, 0 or more
   * @throws IllegalArgumentException if the count is negative
   */
  public void failNext(int calls) {
    requireCount(calls);
    synchronized (lock) {
      callsToFail = calls;
    }
  }

  /**
   * Makes the next {@code calls} calls that reach the processor lose their answer: each is carried out
   * and remembered as usual (its effect, decline or refusal stands) and then throws
   * {@link ProcessorUnavailableException} instead of its answer. Replaces the count set before; 0 ends
   * such an outage.
   *
   * @param calls how many answers are lost, 0 or more
   * @throws IllegalArgumentException if the count is negative
   */
  public void loseNextAnswers(int calls) {
    requireCount(calls);
    synchronized (lock) {
      answersToLose = calls;
    }
  }

  /**
   * Returns the booking's ledger now: its live holds by this processor's clock, and its totals. A booking
   * no call has reached yet has an empty ledger: no currency and every figure 0.
   *
   * @param bookingId the booking
   * @return the booking's ledger, a snapshot
   * @throws NullPointerException if the id is null
   */
  public Ledger ledger(String bookingId) {
    Objects.requireNonNull(bookingId, "bookingId");
    synchronized (lock) {
      Payment payment = payments.get(bookingId);
      return payment == null ? new Ledger(bookingId, null, 0, 0, 0, 0, 0, 0, 0) : payment.ledger(clock.instant());
    }
  }

  /**
   * Returns the ledger of every booking a call has reached, in the order the bookings were first seen.
   *
   * @return a copy, by booking id; later calls do not change it
   */
  public Map<String, Ledger> ledgers() {
    synchronized (lock) {
      Instant now = clock.instant();
      Map<String, Ledger> copy = new LinkedHashMap<>();
      payments.forEach((bookingId, payment) -> copy.put(bookingId, payment.ledger(now)));
      return copy;
    }
  }

  /**
   * Returns the calls that took effect, in the order they were made: each call that succeeded when it
   * was carried out, the release that found nothing to release included. Not listed: replays of a
   * remembered key, declines (counted in {@link Ledger#declines()}), refusals, reused keys and calls
   * that failed before reaching the processor. A call whose answer was lost is listed.
   *
   * @return a copy; later calls do not change it
   */
  public List<Call> effectiveCalls() {
    synchronized (lock) {
      return List.copyOf(effectiveCalls);
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "FakeProcessor[" + payments.size() + " bookings, " + effectiveCalls.size() + " effective calls]";
    }
  }

  // ---- one call ----

  private void call(PaymentMoment moment, PaymentRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.moment() != moment) {
      throw new IllegalArgumentException("a " + moment + " call needs a " + moment + " request, not " + request);
    }
    RuntimeException answer;
    synchronized (lock) {
      if (callsToFail > 0) {
        callsToFail--;
        throw new ProcessorUnavailableException("the " + moment + " call with key " + request.idempotencyKey()
            + " did not reach the processor");
      }
      answer = answer(request, clock.instant());
      if (answersToLose > 0) {
        answersToLose--;
        throw new ProcessorUnavailableException("the processor's answer to the " + moment + " call with key "
            + request.idempotencyKey() + " was lost");
      }
    }
    if (answer != null) {
      throw answer;
    }
  }

  // Returns null for a success, else the exception that answers the call. Guarded by lock.
  private RuntimeException answer(PaymentRequest request, Instant now) {
    String key = request.idempotencyKey();
    Remembered first = remembered.get(key);
    if (first != null && now.isBefore(first.at().plus(replayWindow))) {
      if (!first.request().equals(request)) {
        return new IdempotencyKeyReusedException(key, first.request(), request);
      }
      return first.declineMessage() == null ? null : new PaymentDeclinedException(first.declineMessage());
    }
    remembered.remove(key);
    Payment payment = payments.computeIfAbsent(request.bookingId(), Payment::new);
    String mismatch = payment.moneyMismatch(request.amount());
    if (mismatch != null) {
      return refused(request, mismatch);
    }
    payment.takeMoney(request.amount());
    return switch (request.moment()) {
      case SECURE -> secure(payment, request, now);
      case CAPTURE -> capture(payment, request, now);
      case RELEASE -> release(payment, request, now);
      case REFUND -> refund(payment, request, now);
      case PAYOUT -> payout(payment, request, now);
      default -> throw new IllegalStateException("a payment request is never for " + request.moment());
    };
  }

  private RuntimeException secure(Payment payment, PaymentRequest request, Instant now) {
    if (declinedCustomers.contains(request.customerId())) {
      String message = "card_declined: the card of customer " + request.customerId() + " was declined (key "
          + request.idempotencyKey() + ")";
      payment.declines++;
      remembered.put(request.idempotencyKey(), new Remembered(request, now, message));
      return new PaymentDeclinedException(message);
    }
    long units = units(request.amount());
    payment.holds.add(new Hold(request, units, now.plus(holdLapse)));
    return succeeded(request, now, Effect.AUTHORIZED, units);
  }

  private RuntimeException capture(Payment payment, PaymentRequest request, Instant now) {
    Hold hold = null;
    for (Hold candidate : payment.holds) {
      if (candidate.isLive(now) && candidate.secure.sequence() == request.sequence()
          && candidate.secure.actionName().equals(request.actionName())) {
        hold = candidate;
        break;
      }
    }
    if (hold == null) {
      hold = payment.holds.stream().filter(candidate -> candidate.isLive(now)).findFirst().orElse(null);
    }
    if (hold == null) {
      Hold lapsed = payment.holds.stream().filter(candidate -> candidate.isLapsed(now)).findFirst().orElse(null);
      if (lapsed != null) {
        payment.lapsedCaptureRefusals++;
        return refused(request, "the hold secured with key " + lapsed.secure.idempotencyKey() + " lapsed at "
            + lapsed.lapsesAt + ", before this capture at " + now);
      }
      return refused(request, "booking " + request.bookingId() + " has no hold to capture");
    }
    long units = units(request.amount());
    if (units > hold.units) {
      return refused(request, "the capture of " + units + " is more than the hold of " + hold.units
          + " secured with key " + hold.secure.idempotencyKey());
    }
    hold.status = HoldStatus.CAPTURED;
    payment.captured += units;
    return succeeded(request, now, Effect.CAPTURED, units);
  }

  private RuntimeException release(Payment payment, PaymentRequest request, Instant now) {
    List<Hold> live = payment.holds.stream().filter(hold -> hold.isLive(now)).toList();
    List<Hold> sameAttempt = live.stream().filter(hold -> hold.secure.sequence() == request.sequence()
        && hold.secure.actionName().equals(request.actionName()) && hold.secure.attempt() == request.attempt())
        .toList();
    List<Hold> releasing = sameAttempt.isEmpty() ? live : sameAttempt;
    if (releasing.isEmpty()) {
      if (payment.captured > 0) {
        return refused(request, "booking " + request.bookingId() + " has no live hold, and its payment was "
            + "captured: a captured payment is refunded, not released");
      }
      return succeeded(request, now, Effect.NOTHING_TO_RELEASE, 0);
    }
    long units = 0;
    for (Hold hold : releasing) {
      hold.status = HoldStatus.RELEASED;
      units += hold.units;
    }
    payment.released += units;
    return succeeded(request, now, Effect.RELEASED, units);
  }

  private RuntimeException refund(Payment payment, PaymentRequest request, Instant now) {
    long units = units(request.amount());
    long refundable = payment.captured - payment.refunded;
    if (units > refundable) {
      return refused(request, "the refund of " + units + " is more than the " + refundable
          + " captured and not yet refunded");
    }
    payment.refunded += units;
    return succeeded(request, now, Effect.REFUNDED, units);
  }

  private RuntimeException payout(Payment payment, PaymentRequest request, Instant now) {
    long units = units(request.amount());
    long payable = payment.captured - payment.refunded - payment.paidOut;
    if (units > payable) {
      return refused(request, "the payout of " + units + " is more than the " + payable
          + " captured and neither refunded nor paid out");
    }
    payment.paidOut += units;
    return succeeded(request, now, Effect.PAID_OUT, units);
  }

  private RuntimeException succeeded(PaymentRequest request, Instant now, Effect effect, long units) {
    remembered.put(request.idempotencyKey(), new Remembered(request, now, null));
    effectiveCalls.add(new Call(now, request, effect, units));
    return null;
  }

  private static RuntimeException refused(PaymentRequest request, String why) {
    return new PaymentRefusedException(request.moment() + " with key " + request.idempotencyKey()
        + " refused: " + why);
  }

  // The money a request moves, in minor units, or 1 for a request without an amount.
  private static long units(Money amount) {
    return amount == null ? 1 : amount.amountMinor();
  }

  private static void requireCount(int calls) {
    if (calls < 0) {
      throw new IllegalArgumentException("a number of calls is 0 or more but was " + calls);
    }
  }

  /** What happened to the money in a call that took effect. */
  public enum Effect {
    /** A secure call authorized a new hold of its amount. */
    AUTHORIZED,
    /** A capture call captured (part of) a hold. */
    CAPTURED,
    /** A release call released one or more live holds. */
    RELEASED,
    /** A release call succeeded without anything to release: no live hold and nothing captured. */
    NOTHING_TO_RELEASE,
    /** A refund call gave its amount back out of what was captured. */
    REFUNDED,
    /** A payout call paid its amount to the GigSta out of what was captured. */
    PAID_OUT
  }

  /**
   * One call that took effect, as {@link #effectiveCalls()} lists it. Immutable and thread-safe.
   *
   * @param at when it was carried out, by the processor's clock
   * @param request the request, with its moment, booking, change, attempt and key
   * @param effect what it did
   * @param amount the money it moved in minor units (for a release, the total of the holds released; 0
   *     when nothing was released); for a booking without a price, the number of holds or calls it
   *     counted, 1 or more for a release of several holds
   */
  public record Call(Instant at, PaymentRequest request, Effect effect, long amount) {

    /**
     * Checks the parts.
     *
     * @param at when it was carried out
     * @param request the request
     * @param effect what it did
     * @param amount the money moved, 0 or more
     * @throws NullPointerException if a part is null
     * @throws IllegalArgumentException if the amount is negative
     */
    public Call {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(effect, "effect");
      if (amount < 0) {
        throw new IllegalArgumentException("an amount is 0 or more but was " + amount);
      }
    }

    /**
     * Returns the kind of call.
     *
     * @return the request's moment: SECURE, CAPTURE, RELEASE, REFUND or PAYOUT
     */
    public PaymentMoment moment() {
      return request.moment();
    }
  }

  /**
   * One booking's payment at the processor, as {@link #ledger(String)} reads it at one time. Amounts are
   * exact, in minor units of {@link #currency()}; for a booking whose requests carry no amount (a booking
   * without a price) they count holds and calls instead. Immutable and thread-safe.
   *
   * @param bookingId the booking
   * @param currency the currency of its calls with money, or {@code null} when no call with an amount
   *     reached the processor
   * @param authorized the total of its live holds: authorized, neither captured nor released, and not
   *     lapsed by the processor's clock
   * @param captured the total captured
   * @param refunded the total refunded, at most {@code captured}
   * @param paidOut the total paid out to the GigSta, at most {@code captured - refunded}
   * @param released the total of the holds released
   * @param declines how many secure calls were declined when carried out (replays of a decline are not
   *     counted again)
   * @param lapsedCaptureRefusals how many capture calls were refused because the hold had lapsed
   */
  public record Ledger(String bookingId, Currency currency, long authorized, long captured, long refunded,
      long paidOut, long released, int declines, int lapsedCaptureRefusals) {

    /**
     * Checks the parts.
     *
     * @param bookingId the booking
     * @param currency the currency, or {@code null}
     * @param authorized live holds' total
     * @param captured captured total
     * @param refunded refunded total
     * @param paidOut paid-out total
     * @param released released total
     * @param declines declined secure calls
     * @param lapsedCaptureRefusals captures refused as lapsed
     * @throws NullPointerException if the booking id is null
     */
    public Ledger {
      Objects.requireNonNull(bookingId, "bookingId");
    }

    /**
     * Returns what the customer was charged and not given back.
     *
     * @return {@code captured - refunded}
     */
    public long charged() {
      return captured - refunded;
    }
  }

  /**
   * Configures a {@link FakeProcessor}; not thread-safe. {@link #build()} may be called again for
   * another processor with the same settings.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration holdLapse = Duration.ofDays(7);
    private Duration replayWindow = Duration.ofHours(24);

    private Builder() {}

    /**
     * Sets the clock for hold lapses and replay windows; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock, usually the one the engine and the worker read
     * @return this builder
     * @throws NullPointerException if the clock is null
     */
    public Builder withClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how long after its authorization a hold lapses; default 7 days.
     *
     * @param holdLapse positive
     * @return this builder
     * @throws NullPointerException if the duration is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder withHoldLapse(Duration holdLapse) {
      this.holdLapse = requirePositive(holdLapse, "holdLapse");
      return this;
    }

    /**
     * Sets how long after its first call a key is remembered; default 24 hours.
     *
     * @param replayWindow positive
     * @return this builder
     * @throws NullPointerException if the duration is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder withReplayWindow(Duration replayWindow) {
      this.replayWindow = requirePositive(replayWindow, "replayWindow");
      return this;
    }

    /**
     * Returns a new processor with no bookings, no declined cards and no outage.
     *
     * @return the processor
     */
    public FakeProcessor build() {
      return new FakeProcessor(this);
    }

    private static Duration requirePositive(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + duration);
      }
      return duration;
    }
  }

  /** The hooks the engine calls; each call is one call to the processor. */
  private final class Hooks implements PaymentHooks {

    @Override
    public void secure(PaymentRequest request) {
      call(PaymentMoment.SECURE, request);
    }

    @Override
    public void release(PaymentRequest request) {
      call(PaymentMoment.RELEASE, request);
    }

    @Override
    public void refund(PaymentRequest request) {
      call(PaymentMoment.REFUND, request);
    }

    @Override
    public void capture(PaymentRequest request) {
      call(PaymentMoment.CAPTURE, request);
    }

    @Override
    public void payout(PaymentRequest request) {
      call(PaymentMoment.PAYOUT, request);
    }

    @Override
    public String toString() {
      return "hooks of " + FakeProcessor.this;
    }
  }

  /** A key's first request and result: a success, or the decline with this message. */
  private record Remembered(PaymentRequest request, Instant at, String declineMessage) {}

  private enum HoldStatus { OPEN, CAPTURED, RELEASED }

  /** One authorization; guarded by the processor's lock. */
  private static final class Hold {
    final PaymentRequest secure;
    final long units;
    final Instant lapsesAt;
    HoldStatus status = HoldStatus.OPEN;

    Hold(PaymentRequest secure, long units, Instant lapsesAt) {
      this.secure = secure;
      this.units = units;
      this.lapsesAt = lapsesAt;
    }

    boolean isLive(Instant now) {
      return status == HoldStatus.OPEN && now.isBefore(lapsesAt);
    }

    boolean isLapsed(Instant now) {
      return status == HoldStatus.OPEN && !now.isBefore(lapsesAt);
    }
  }

  /** One booking's payment; guarded by the processor's lock. */
  private static final class Payment {
    final String bookingId;
    // Whether the booking's calls carry amounts: null until the first call, then fixed.
    Boolean priced;
    Currency currency;
    final List<Hold> holds = new ArrayList<>();
    long captured;
    long refunded;
    long paidOut;
    long released;
    int declines;
    int lapsedCaptureRefusals;

    Payment(String bookingId) {
      this.bookingId = bookingId;
    }

    // Why a call with this amount does not fit the booking's earlier calls, or null if it does.
    String moneyMismatch(Money amount) {
      if (priced == null) {
        return null;
      }
      if (priced != (amount != null)) {
        return priced ? "booking " + bookingId + " is paid in " + currency + " but the call has no amount"
            : "booking " + bookingId + "'s earlier calls had no amount but this one has " + amount;
      }
      if (amount != null && !amount.currency().equals(currency)) {
        return "booking " + bookingId + " is paid in " + currency + ", not in " + amount.currencyCode();
      }
      return null;
    }

    // The first call that reaches the processor decides whether the booking's calls carry amounts, and in
    // which currency.
    void takeMoney(Money amount) {
      if (priced == null) {
        priced = amount != null;
        currency = amount == null ? null : amount.currency();
      }
    }

    Ledger ledger(Instant now) {
      long authorized = holds.stream().filter(hold -> hold.isLive(now)).mapToLong(hold -> hold.units).sum();
      return new Ledger(bookingId, currency, authorized, captured, refunded, paidOut, released, declines,
          lapsedCaptureRefusals);
    }
  }
}
