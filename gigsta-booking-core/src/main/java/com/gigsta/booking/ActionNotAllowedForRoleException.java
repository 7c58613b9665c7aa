package com.gigsta.booking;

import java.util.List;

/** Thrown when the action can be taken from the booking's state, but not by the actor's role. */
public class ActionNotAllowedForRoleException extends BookingException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the message lists what the actor may do instead.
   *
   * @param actionName the action refused
   * @param actor who tried to take it
   * @param booking the booking acted on
   * @param available the actions this actor may take on the booking now
   */
  public ActionNotAllowedForRoleException(String actionName, Actor actor, Booking booking,
      List<BookingAction> available) {
    super(ErrorCode.NOT_ALLOWED_FOR_ROLE,
        describe(actionName, actor, booking.id(), booking.state()) + " refused: role " + actor.role()
            + " may not take this action in " + booking.state() + "; available to this actor now: "
            + ActionNotAllowedInStateException.names(available),
        booking.id(), booking.state(), actionName, actor, null);
  }
}
