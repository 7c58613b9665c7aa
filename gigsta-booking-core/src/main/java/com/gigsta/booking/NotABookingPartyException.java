package com.gigsta.booking;

/** Thrown when a customer or GigSta acts on a booking that is not theirs. */
public class NotABookingPartyException extends BookingException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the message does not reveal who the booking's parties are.
   *
   * @param actionName the action refused
   * @param actor the customer or GigSta who is not a party of the booking
   * @param booking the booking acted on
   */
  public NotABookingPartyException(String actionName, Actor actor, Booking booking) {
    super(ErrorCode.NOT_A_PARTY,
        describe(actionName, actor, booking.id(), booking.state()) + " refused: " + actor
            + " is not this booking's " + (actor.role() == Role.CUSTOMER ? "customer" : "GigSta"),
        booking.id(), booking.state(), actionName, actor, null);
  }
}
