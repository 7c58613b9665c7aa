package com.gigsta.booking;

import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;

/** Passes every call on; tests override the moments they watch. */
class ForwardingHooks implements PaymentHooks {
  private final PaymentHooks delegate;

  ForwardingHooks(PaymentHooks delegate) {
    this.delegate = delegate;
  }

  @Override
  public void secure(PaymentRequest request) {
    delegate.secure(request);
  }

  @Override
  public void release(PaymentRequest request) {
    delegate.release(request);
  }

  @Override
  public void refund(PaymentRequest request) {
    delegate.refund(request);
  }

  @Override
  public void capture(PaymentRequest request) {
    delegate.capture(request);
  }

  @Override
  public void payout(PaymentRequest request) {
    delegate.payout(request);
  }
}
