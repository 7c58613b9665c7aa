package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Payment hooks that behave like a card processor without moving money: an authorization (hold) per
 * booking that is later released, refunded or captured. Thread-safe.
 *
 * <p>Idempotency keys are honoured the way processors do: a call whose key already succeeded returns the
 * same operation and changes nothing. A declined call is not remembered, so once the card works again the
 * same action goes through with the same key. Cards decline for the customers configured as declining,
 * and for everyone while an operator has switched {@link #declineAll(boolean)} on.
 *
 * <p>Releases, refunds and captures are called by the service's {@link com.gigsta.booking.DeliveryWorker},
 * not by the request that recorded the change. While an operator has switched {@link #failRefunds(boolean)}
 * on, every refund fails as if the processor were down, so the worker retries it and, after its last
 * attempt, keeps it as a dead letter for the operator to resubmit.
 */
public final class FakeCardProcessor implements PaymentHooks {

  /** The amount held for every booking, in cents; the demo has no prices. */
  static final long HOLD_CENTS = 8_000;

  private final Set<String> decliningCustomers;
  private final Clock clock;
  private final AtomicBoolean declineAll = new AtomicBoolean();
  private final AtomicBoolean failRefunds = new AtomicBoolean();
  private final AtomicLong nextId = new AtomicLong(1);
  private final ConcurrentHashMap<String, Operation> byKey = new ConcurrentHashMap<>();
  private final List<Operation> ledger = new CopyOnWriteArrayList<>();

  /**
   * Creates a processor.
   *
   * @param decliningCustomers the customers whose card is always declined
   * @param clock when operations happen
   */
  public FakeCardProcessor(Set<String> decliningCustomers, Clock clock) {
    this.decliningCustomers = Set.copyOf(decliningCustomers);
    this.clock = clock;
  }

  /** One operation that took effect. */
  public record Operation(
      @JsonProperty("id") String id,
      @JsonProperty("idempotency_key") String idempotencyKey,
      @JsonProperty("booking_id") String bookingId,
      @JsonProperty("customer_id") String customerId,
      @JsonProperty("moment") PaymentMoment moment,
      @JsonProperty("amount_cents") long amountCents,
      @JsonProperty("at") String at) {}

  /** Thrown when the card is declined; its message is what the processor says to the customer. */
  public static final class CardDeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CardDeclinedException(String message) {
      super(message);
    }
  }

  /** Thrown for every refund while refunds are switched to fail: the processor is "down" for them. */
  public static final class ProcessorUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProcessorUnavailableException(String message) {
      super(message);
    }
  }

  /** Makes every refund fail, or stops doing so. */
  public void failRefunds(boolean fail) {
    failRefunds.set(fail);
  }

  /** Returns whether every refund fails now. */
  public boolean failsRefunds() {
    return failRefunds.get();
  }

  /** Makes every card decline, or stops doing so. */
  public void declineAll(boolean decline) {
    declineAll.set(decline);
  }

  /** Returns whether every card declines now. */
  public boolean declinesAll() {
    return declineAll.get();
  }

  /** Returns the customers whose card always declines. */
  public Set<String> decliningCustomers() {
    return decliningCustomers;
  }

  /** Returns every operation that took effect, oldest first. */
  public List<Operation> ledger() {
    return List.copyOf(ledger);
  }

  @Override
  public void secure(PaymentRequest request) {
    apply(request, () -> {
      if (declineAll.get() || decliningCustomers.contains(request.customerId())) {
        throw new CardDeclinedException("the card of " + DemoUsers.displayName(request.customerId())
            + " was declined by the issuer; the booking stays requested, try again after updating the card");
      }
      return HOLD_CENTS;
    });
  }

  @Override
  public void release(PaymentRequest request) {
    apply(request, () -> held(request.bookingId()));
  }

  @Override
  public void refund(PaymentRequest request) {
    if (failRefunds.get()) {
      // Checked before the key: a failed call is not remembered, so the same key goes through once
      // refunds work again.
      throw new ProcessorUnavailableException("the card processor is refusing refunds (an operator switched "
          + "refund failures on); refund " + request.idempotencyKey() + " not made");
    }
    apply(request, () -> held(request.bookingId()));
  }

  @Override
  public void capture(PaymentRequest request) {
    apply(request, () -> held(request.bookingId()));
  }

  private interface Amount {
    long compute();
  }

  private void apply(PaymentRequest request, Amount amount) {
    // computeIfAbsent runs at most once per key even when two instances of the same call race, and an
    // exception thrown inside leaves no mapping behind: exactly the "declines are not remembered" rule.
    byKey.computeIfAbsent(request.idempotencyKey(), key -> {
      Operation operation = new Operation("op_" + nextId.getAndIncrement(), key, request.bookingId(),
          request.customerId(), request.moment(), amount.compute(), clock.instant().toString());
      ledger.add(operation);
      return operation;
    });
  }

  /** What is still held for the booking: the secured amount, unless it was already settled. */
  private long held(String bookingId) {
    long held = 0;
    for (Operation operation : ledger) {
      if (operation.bookingId().equals(bookingId)) {
        held = operation.moment() == PaymentMoment.SECURE ? operation.amountCents() : 0;
      }
    }
    return held;
  }
}
