package com.gigsta.booking;

import java.util.List;

/** Thrown when the action exists but cannot be taken from the booking's current state by anyone. */
public class ActionNotAllowedInStateException extends BookingException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the message lists what the actor may do instead.
   *
   * @param actionName the action refused
   * @param actor who tried to take it
   * @param booking the booking acted on
   * @param available the actions this actor may take on the booking now
   */
  public ActionNotAllowedInStateException(String actionName, Actor actor, Booking booking,
      List<BookingAction> available) {
    super(ErrorCode.NOT_ALLOWED_IN_STATE,
        describe(actionName, actor, booking.id(), booking.state()) + " refused: the action is not possible in "
            + booking.state() + "; available to this actor now: " + names(available),
        booking.id(), booking.state(), actionName, actor, null);
  }

  static List<String> names(List<BookingAction> actions) {
    return actions.stream().map(BookingAction::actionName).toList();
  }
}
