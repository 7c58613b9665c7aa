package com.gigsta.booking;

/** Thrown when no booking has the given id in the audit trail. */
public class BookingNotFoundException extends BookingException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for an unknown booking id.
   *
   * @param bookingId the id no booking has
   */
  public BookingNotFoundException(String bookingId) {
    super(ErrorCode.BOOKING_NOT_FOUND, "no booking with id '" + bookingId + "'", bookingId, null, null, null, null);
  }
}
