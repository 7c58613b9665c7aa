package com.gigsta.booking.jdbc;

import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.PaymentDeclinedException;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment provider for these tests that counts the calls made to it: every call, and the calls that
 * took effect. Like a real provider it answers a key it has seen with the first answer: a repeat of an
 * accepted key takes no effect again, and a repeat of a declined key is declined again. It can be told
 * to decline the cards of a customer until fixed, and to fail the next calls as an outage would.
 * Thread-safe.
 *
 * <p>Its methods are named as those of the testing module's {@code FakeProcessor}, which tests that need
 * holds and a ledger use; these tests only count calls.
 */
public final class CountingPayments {

  /** One call: what was asked for, with which request. */
  public record Call(PaymentMoment moment, PaymentRequest request) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Call> effective = new CopyOnWriteArrayList<>();
  private final Set<String> acceptedKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> declinedKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> declinedCustomers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failures = new AtomicInteger();
  private final PaymentHooks hooks = new PaymentHooks() {
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
  };

  /** A provider that accepts every card until told otherwise. */
  public CountingPayments() {}

  /** Returns the hooks to give the engine. */
  public PaymentHooks hooks() {
    return hooks;
  }

  /** Declines every secure call for this customer's card, until {@link #fixCard(String)}. */
  public CountingPayments declineCardsOf(String customerId) {
    declinedCustomers.add(customerId);
    return this;
  }

  /** Accepts this customer's card again; a key declined before stays declined. */
  public CountingPayments fixCard(String customerId) {
    declinedCustomers.remove(customerId);
    return this;
  }

  /** Fails the next {@code count} calls, whatever they are, as an outage would: the outcome is unknown. */
  public CountingPayments failNext(int count) {
    failures.addAndGet(count);
    return this;
  }

  /** Returns every call made, failed and repeated ones included, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Returns the calls that took effect: accepted, and not a repeat of a key accepted before. */
  public List<Call> effectiveCalls() {
    return List.copyOf(effective);
  }

  /** Returns the calls that took effect at one moment. */
  public List<Call> effectiveCalls(PaymentMoment moment) {
    return effective.stream().filter(call -> call.moment() == moment).toList();
  }

  private void call(PaymentMoment moment, PaymentRequest request) {
    Call call = new Call(moment, request);
    calls.add(call);
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("provider unavailable (simulated) for " + request.idempotencyKey());
    }
    String key = request.idempotencyKey();
    if (declinedKeys.contains(key)
        || (moment == PaymentMoment.SECURE && !acceptedKeys.contains(key)
            && declinedCustomers.contains(request.customerId()))) {
      declinedKeys.add(key);
      throw new PaymentDeclinedException("card declined (simulated) for " + key);
    }
    if (acceptedKeys.add(key)) {
      effective.add(call);
    }
  }
}
