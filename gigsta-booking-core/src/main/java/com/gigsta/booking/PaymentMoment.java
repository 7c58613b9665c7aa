package com.gigsta.booking;

/** What happens to the customer's payment when a rule's action is taken. */
public enum PaymentMoment {
  /** Nothing is charged or released. */
  NONE,
  /** Payment must be secured (authorized) before the change is recorded; a failure refuses the action. */
  SECURE,
  /** Whatever was secured is released after the change is recorded, by the settlement worker. */
  RELEASE,
  /** What was paid is refunded after the change is recorded, by the settlement worker. */
  REFUND,
  /** The secured payment is captured and paid out after the change is recorded, by the settlement worker. */
  CAPTURE;

  /**
   * Returns whether the moment is a settlement the provider is owed once the change is recorded.
   *
   * @return true for {@link #RELEASE}, {@link #REFUND} and {@link #CAPTURE}
   */
  public boolean settlesAfterRecording() {
    return this == RELEASE || this == REFUND || this == CAPTURE;
  }
}
