package com.gigsta.booking.examples;

import com.gigsta.booking.spi.PaymentDeclinedException;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;

/**
 * The demos' view of their payment provider: prints each call, with its amount and idempotency key, and
 * hands it to the provider's hooks; prints and rethrows what the provider answered instead of success.
 * Thread-safe if the hooks are.
 *
 * @param hooks the provider's hooks, a {@code FakeProcessor}'s in the demos
 * @param caller who makes the calls, printed with each: empty, or e.g. {@code " for child 4711"}
 */
record PrintingProvider(PaymentHooks hooks, String caller) implements PaymentHooks {

  /** Prints the calls the engine and worker of this process make. */
  PrintingProvider(PaymentHooks hooks) {
    this(hooks, "");
  }

  @Override
  public void secure(PaymentRequest request) {
    call(request, () -> hooks.secure(request));
  }

  @Override
  public void release(PaymentRequest request) {
    call(request, () -> hooks.release(request));
  }

  @Override
  public void refund(PaymentRequest request) {
    call(request, () -> hooks.refund(request));
  }

  @Override
  public void capture(PaymentRequest request) {
    call(request, () -> hooks.capture(request));
  }

  @Override
  public void payout(PaymentRequest request) {
    call(request, () -> hooks.payout(request));
  }

  private void call(PaymentRequest request, Runnable call) {
    String what = String.format("  [provider%s] %-7s %10s  %s", caller, request.moment(),
        request.amount() == null ? "" : request.amount(), request.idempotencyKey());
    try {
      call.run();
      System.out.printf("%s: done%n", what);
    } catch (PaymentDeclinedException e) {
      System.out.printf("%s: DECLINED (%s)%n", what, e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      System.out.printf("%s: FAILED (%s)%n", what, e.getMessage());
      throw e;
    }
  }
}
