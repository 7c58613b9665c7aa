package com.gigsta.booking.examples.service;

import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.testing.FakeProcessor;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The payment hooks the service's engine calls: those of the demo's card processor, a
 * {@link FakeProcessor}, with the two switches the operator page offers. Thread-safe.
 *
 * <p>The fake decides everything a card processor decides: idempotency keys, declines, holds, and what
 * may be captured, refunded or paid out. This class only turns the switches into what the fake does:
 * <ul>
 *   <li>the customers configured as declining have their cards declined by the fake from the start
 *       ({@link FakeProcessor#declineCardsOf(String)}); {@link #declineAll(boolean) declining every card}
 *       does the same for every demo customer, and switching it off fixes every card but theirs;</li>
 *   <li>while {@link #failRefunds(boolean) refunds fail}, every refund throws
 *       {@link RefundsFailingException} before it reaches the fake, as during an outage: nothing happens at
 *       the processor and nothing is remembered there, so the same refund, with the same key, goes through
 *       once refunds work again. The service's delivery worker retries it meanwhile and then keeps it as a
 *       dead letter for the operator to resubmit.</li>
 * </ul>
 */
public final class SwitchablePaymentHooks implements PaymentHooks {

  private final FakeProcessor processor;
  private final PaymentHooks hooks;
  private final Set<String> decliningCustomers;
  private final List<String> customers;
  private final AtomicBoolean failRefunds = new AtomicBoolean();
  // Guarded by this: switching it and the cards it declines or fixes happen together.
  private boolean declineAll;

  /** Thrown for every refund while refunds are switched to fail: the processor is "down" for them. */
  public static final class RefundsFailingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefundsFailingException(String message) {
      super(message);
    }
  }

  /**
   * Wraps the processor's hooks and declines the cards of the declining customers.
   *
   * @param processor the demo's card processor
   * @param decliningCustomers the customers whose card is always declined
   * @param customers every customer whose card "decline every card" declines
   */
  public SwitchablePaymentHooks(FakeProcessor processor, Set<String> decliningCustomers,
      Collection<String> customers) {
    this.processor = processor;
    this.hooks = processor.hooks();
    this.decliningCustomers = Set.copyOf(decliningCustomers);
    this.customers = List.copyOf(customers);
    this.decliningCustomers.forEach(processor::declineCardsOf);
  }

  /** Returns the card processor behind these hooks, for its ledgers. */
  public FakeProcessor processor() {
    return processor;
  }

  /** Makes every refund fail before it reaches the processor, or stops doing so. */
  public void failRefunds(boolean fail) {
    failRefunds.set(fail);
  }

  /** Returns whether every refund fails now. */
  public boolean failsRefunds() {
    return failRefunds.get();
  }

  /**
   * Makes the processor decline every customer's card, or stops doing so for every card but those of the
   * customers configured as declining.
   */
  public synchronized void declineAll(boolean decline) {
    declineAll = decline;
    for (String customer : customers) {
      if (decline || decliningCustomers.contains(customer)) {
        processor.declineCardsOf(customer);
      } else {
        processor.fixCard(customer);
      }
    }
  }

  /** Returns whether every card declines now. */
  public synchronized boolean declinesAll() {
    return declineAll;
  }

  /** Returns the customers whose card always declines. */
  public Set<String> decliningCustomers() {
    return decliningCustomers;
  }

  @Override
  public void secure(PaymentRequest request) {
    hooks.secure(request);
  }

  @Override
  public void release(PaymentRequest request) {
    hooks.release(request);
  }

  @Override
  public void refund(PaymentRequest request) {
    if (failRefunds.get()) {
      throw new RefundsFailingException("the card processor is refusing refunds (an operator switched refund "
          + "failures on); refund " + request.idempotencyKey() + " not made");
    }
    hooks.refund(request);
  }

  @Override
  public void capture(PaymentRequest request) {
    hooks.capture(request);
  }

  @Override
  public void payout(PaymentRequest request) {
    hooks.payout(request);
  }
}
