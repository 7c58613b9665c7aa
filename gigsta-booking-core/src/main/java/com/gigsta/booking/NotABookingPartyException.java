package com.gigsta.booking;

/**
 * Thrown when a customer or GigSta acts on a booking that is not theirs. This refusal comes before every
 * other, and its message names neither the booking's state nor its parties, so it tells a stranger no
 * more than that the action was refused; map it like an unknown booking (404). {@link #state()} still
 * holds the state, for the host's logs.
 */
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
        "'" + actionName + "' by " + actor + " on booking '" + booking.id() + "' refused: " + actor
            + " is not this booking's " + (actor.role() == Role.CUSTOMER ? "customer" : "GigSta"),
        booking.id(), booking.state(), actionName, actor, null);
  }
}
