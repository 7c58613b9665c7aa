package com.gigsta.booking.benchmarks;

import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;

/**
 * A payment provider that accepts every call and does nothing, but is not {@link PaymentHooks#none()}: an
 * engine built with it records what each change owes (a capture, release, refund or payout) and secures payment
 * where the workflow says so, as it does with a real provider, so the benchmarks measure the durable
 * settlement path and not the provider. Stateless and thread-safe.
 */
enum NoOpPaymentHooks implements PaymentHooks {
  INSTANCE;

  @Override
  public void secure(PaymentRequest request) {}

  @Override
  public void release(PaymentRequest request) {}

  @Override
  public void refund(PaymentRequest request) {}

  @Override
  public void capture(PaymentRequest request) {}

  @Override
  public void payout(PaymentRequest request) {}
}
