package com.gigsta.booking;

import com.gigsta.booking.internal.Checks;

/**
 * One row of a workflow's table: in state {@code from}, a {@code role} may take {@code action} and the
 * booking moves to {@code to}, with the given payment moment and optional guard. Immutable and
 * thread-safe if the guard is.
 *
 * @param from the state the action is taken from, or {@code null} for the creation rule
 * @param role who may take it; customers and GigStas only on their own bookings
 * @param action the action's name and the metadata shown to people
 * @param to the state the booking moves to
 * @param payment what happens to the payment
 * @param guardName the guard's name for messages, or {@code null} when there is no guard
 * @param guard an extra condition, or {@code null}
 */
public record WorkflowRule(BookingState from, Role role, BookingAction action, BookingState to,
    PaymentMoment payment, String guardName, Guard guard) {

  /** Checks that the required parts are present and that a guard comes with its name. */
  public WorkflowRule {
    Checks.notNull(role, "role");
    Checks.notNull(action, "action");
    Checks.notNull(to, "to");
    Checks.notNull(payment, "payment");
    if ((guard == null) != (guardName == null)) {
      throw new InvalidBookingInputException("guard", "a guard and its name go together but got guardName="
          + guardName + ", guard=" + guard);
    }
  }

  /** Returns the action's name. */
  public String actionName() {
    return action.actionName();
  }

  /** Returns true for the rule that creates bookings. */
  public boolean isCreation() {
    return from == null;
  }
}
