package com.gigsta.booking;

/**
 * What happens to the customer's payment when a rule's action is taken. Calls made before the change is
 * recorded ({@link #SECURE}, and the authorization of {@link #CHARGE}) can refuse the action; everything
 * after the change is recorded is owed with it and delivered by the settlement worker, at least once.
 */
public enum PaymentMoment {
  /** Nothing is charged or released. */
  NONE,
  /**
   * Payment is secured (a hold on the card, authorized but not captured) before the change is recorded; a
   * decline refuses the action. A hold lapses at the card network after about 7 days, so a workflow that
   * secures must capture or release within that time.
   */
  SECURE,
  /**
   * Payment is secured before the change is recorded, as with {@link #SECURE}, and captured right after
   * it by the settlement worker: the customer is charged when the change is made, and no hold waits for a
   * later step.
   */
  CHARGE,
  /** Whatever was secured is released after the change is recorded, by the settlement worker. */
  RELEASE,
  /** What was captured is refunded, in full or as the rule's refund policy says, by the settlement worker. */
  REFUND,
  /** The secured payment is captured after the change is recorded, by the settlement worker. */
  CAPTURE,
  /** The GigSta is paid the booking's price, out of what was captured, by the settlement worker. */
  PAYOUT;

  /**
   * Returns whether payment is secured before the change is recorded, so that a decline refuses it.
   *
   * @return true for {@link #SECURE} and {@link #CHARGE}
   */
  public boolean securesBeforeRecording() {
    return this == SECURE || this == CHARGE;
  }

  /**
   * Returns whether the moment is a settlement the provider is owed once the change is recorded.
   *
   * @return true for {@link #CHARGE} (its capture), {@link #RELEASE}, {@link #REFUND}, {@link #CAPTURE}
   *     and {@link #PAYOUT}
   */
  public boolean settlesAfterRecording() {
    return this != NONE && this != SECURE;
  }
}
