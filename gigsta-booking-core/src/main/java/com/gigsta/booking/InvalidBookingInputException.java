package com.gigsta.booking;

/** Thrown when an argument is missing, blank, too long or malformed; nothing was written. */
public class InvalidBookingInputException extends BookingException {

  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the argument or field at fault, e.g. {@code "reason"}
   * @param message what is wrong, including the bad value's length or offending character
   */
  public InvalidBookingInputException(String field, String message) {
    super(ErrorCode.INVALID_INPUT, message, null, null, null, null, null);
    this.field = field;
  }

  /**
   * Returns the argument or field at fault.
   *
   * @return the argument or field at fault, e.g. {@code "reason"}
   */
  public String field() {
    return field;
  }
}
