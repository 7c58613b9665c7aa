package com.gigsta.booking.spi;

import com.gigsta.booking.PaymentMoment;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Payment hooks for the core's own tests: records every call and can be told to decline. Thread-safe.
 * Hosts test against {@code FakeProcessor} in {@code gigsta-booking-testing}, which also keeps holds,
 * amounts and a ledger.
 *
 * <p>Like a real processor it honours idempotency keys: a call with a key it has already accepted is
 * recorded as a call but not counted again by {@link #effectiveRequests()}.
 */
public final class RecordingPaymentHooks implements PaymentHooks {

  private final List<PaymentRequest> requests = new CopyOnWriteArrayList<>();
  private final List<PaymentRequest> effective = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Boolean> acceptedKeys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PaymentMoment, AtomicInteger> declines = new ConcurrentHashMap<>();

  /** Creates hooks that accept every call until told otherwise. */
  public RecordingPaymentHooks() {}

  /**
   * Makes the next {@code count} calls at the given moment fail with {@link PaymentDeclined}.
   *
   * @param moment the moment whose calls to decline
   * @param count how many calls to decline, added to any still pending
   * @return these hooks
   */
  public RecordingPaymentHooks declineNext(PaymentMoment moment, int count) {
    declines.computeIfAbsent(moment, m -> new AtomicInteger()).addAndGet(count);
    return this;
  }

  /**
   * Returns every call made, declined ones included, in order.
   *
   * @return a copy of the calls made so far
   */
  public List<PaymentRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * Returns the calls that took effect: accepted, and not a repeat of an accepted idempotency key.
   *
   * @return a copy of the effective calls so far, in order
   */
  public List<PaymentRequest> effectiveRequests() {
    return List.copyOf(effective);
  }

  /**
   * Returns the effective calls at one moment.
   *
   * @param moment the moment to select
   * @return the effective calls at that moment, in order
   */
  public List<PaymentRequest> effectiveRequests(PaymentMoment moment) {
    return effective.stream().filter(request -> request.moment() == moment).toList();
  }

  /** Forgets every call and pending decline. */
  public void clear() {
    requests.clear();
    effective.clear();
    acceptedKeys.clear();
    declines.clear();
  }

  @Override
  public void secure(PaymentRequest request) {
    record(PaymentMoment.SECURE, request);
  }

  @Override
  public void release(PaymentRequest request) {
    record(PaymentMoment.RELEASE, request);
  }

  @Override
  public void refund(PaymentRequest request) {
    record(PaymentMoment.REFUND, request);
  }

  @Override
  public void capture(PaymentRequest request) {
    record(PaymentMoment.CAPTURE, request);
  }

  @Override
  public void payout(PaymentRequest request) {
    record(PaymentMoment.PAYOUT, request);
  }

  private void record(PaymentMoment moment, PaymentRequest request) {
    requests.add(request);
    AtomicInteger pending = declines.get(moment);
    if (pending != null && pending.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new PaymentDeclined("card declined (simulated) for " + request.idempotencyKey());
    }
    if (acceptedKeys.putIfAbsent(request.idempotencyKey(), Boolean.TRUE) == null) {
      effective.add(request);
    }
  }

  /** The decline {@link RecordingPaymentHooks} throws when told to. */
  public static final class PaymentDeclined extends PaymentDeclinedException {
    private static final long serialVersionUID = 1L;

    PaymentDeclined(String message) {
      super(message);
    }
  }
}
