package com.gigsta.booking;

import java.util.Set;

/** Thrown when the action name is not part of the engine's workflow at all. */
public class UnknownActionException extends BookingException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for an action the workflow does not define.
   *
   * @param actionName the name the workflow does not define
   * @param actor who tried to take it
   * @param booking the booking acted on
   * @param known the action names the workflow defines
   */
  public UnknownActionException(String actionName, Actor actor, Booking booking, Set<String> known) {
    super(ErrorCode.UNKNOWN_ACTION,
        describe(actionName, actor, booking.id(), booking.state()) + " refused: the workflow has no action '"
            + actionName + "'; it knows " + known,
        booking.id(), booking.state(), actionName, actor, null);
  }
}
