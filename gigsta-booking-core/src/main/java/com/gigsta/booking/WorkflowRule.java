package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * One row of a workflow's table: in state {@code from}, a {@code role} may take {@code action} and the
 * booking moves to {@code to}, with the given payment moment and optional guard. A timed rule has a
 * {@code deadline}: it is taken by {@link Role#SYSTEM} by itself once the deadline has passed, by a
 * {@link DeliveryWorker}. Immutable and thread-safe if the guard is.
 *
 * @param from the state the action is taken from, or {@code null} for the creation rule
 * @param role who may take it; customers and GigStas only on their own bookings
 * @param action the action's name and the metadata shown to people
 * @param to the state the booking moves to
 * @param payment what happens to the payment
 * @param guardName the guard's name for messages, or {@code null} when there is no guard
 * @param guard an extra condition, or {@code null}
 * @param deadline when the rule fires by itself, or {@code null} for a rule only taken on request
 * @param refundPolicy how much a {@link PaymentMoment#REFUND} gives back; {@link RefundPolicy#full()} for
 *     such a rule declared without one, {@code null} for every other moment
 */
public record WorkflowRule(BookingState from, Role role, BookingAction action, BookingState to,
    PaymentMoment payment, String guardName, Guard guard, Deadline deadline, RefundPolicy refundPolicy) {

  /**
   * Makes a rule without a refund policy of its own: a refunding rule gives everything back.
   *
   * @param from the source state, or {@code null} for the creation rule
   * @param role who may take the action
   * @param action the action and its metadata
   * @param to the target state
   * @param payment what happens to the payment
   * @param guardName the guard's name, or {@code null}
   * @param guard the guard, or {@code null}
   * @param deadline when the rule fires by itself, or {@code null}
   */
  public WorkflowRule(BookingState from, Role role, BookingAction action, BookingState to, PaymentMoment payment,
      String guardName, Guard guard, Deadline deadline) {
    this(from, role, action, to, payment, guardName, guard, deadline,
        payment == PaymentMoment.REFUND ? RefundPolicy.full() : null);
  }

  /**
   * Checks that the required parts are present and that a guard comes with its name.
   *
   * @param from the source state, or {@code null} for the creation rule
   * @param role who may take the action
   * @param action the action and its metadata
   * @param to the target state
   * @param payment what happens to the payment
   * @param guardName the guard's name, or {@code null}
   * @param guard the guard, or {@code null}
   * @param deadline when the rule fires by itself, or {@code null}
   * @param refundPolicy the refund policy of a refunding rule, {@code null} otherwise
   * @throws NullPointerException if the role, action, target or payment moment is null, or a refunding
   *     rule has no refund policy
   * @throws IllegalArgumentException if only one of guard and guard name is given, or a rule that does not
   *     refund has a refund policy
   */
  public WorkflowRule {
    requireNonNull(role, "role");
    requireNonNull(action, "action");
    requireNonNull(to, "to");
    requireNonNull(payment, "payment");
    requireArgument((guard == null) == (guardName == null),
        "a guard and its name go together but got guardName=%s, guard=%s", guardName, guard);
    if (payment == PaymentMoment.REFUND) {
      requireNonNull(refundPolicy, "refundPolicy");
    } else {
      requireArgument(refundPolicy == null, "only a REFUND rule has a refund policy, not a %s rule", payment);
    }
  }

  /**
   * Returns the action's name.
   *
   * @return the name of {@link #action()}
   */
  public String actionName() {
    return action.actionName();
  }

  /**
   * Returns true for a rule that fires by itself once its {@link #deadline()} has passed.
   *
   * @return true when the rule has a deadline
   */
  public boolean isTimed() {
    return deadline != null;
  }

  /**
   * Returns true for the rule that creates bookings.
   *
   * @return true when the rule has no source state
   */
  public boolean isCreation() {
    return from == null;
  }
}
