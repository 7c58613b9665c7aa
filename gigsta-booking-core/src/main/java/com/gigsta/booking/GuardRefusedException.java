package com.gigsta.booking;

/** Thrown when a guard on the workflow rule refuses the action. */
public class GuardRefusedException extends BookingException {

  private static final long serialVersionUID = 1L;

  private final String guardName;

  /**
   * Creates the exception naming the guard that refused.
   *
   * @param actionName the action refused
   * @param actor who tried to take it
   * @param booking the booking acted on
   * @param guardName the name of the guard that refused
   */
  public GuardRefusedException(String actionName, Actor actor, Booking booking, String guardName) {
    super(ErrorCode.GUARD_REFUSED,
        describe(actionName, actor, booking.id(), booking.state()) + " refused by guard '" + guardName + "'",
        booking.id(), booking.state(), actionName, actor, null);
    this.guardName = guardName;
  }

  /**
   * Returns the name the guard was declared with.
   *
   * @return the refusing guard's name
   */
  public String guardName() {
    return guardName;
  }
}
