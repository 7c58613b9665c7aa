package com.gigsta.booking;

/**
 * Thrown when an audit trail's storage fails, e.g. the database is unreachable or refuses writes. The
 * change was not recorded. Storage modules subclass it to keep their own detail, such as the SQL state.
 */
public class AuditTrailException extends BookingException {

  private static final long serialVersionUID = 1L;

  private final String operation;

  /**
   * Creates the exception.
   *
   * @param operation what the trail was doing, e.g. {@code "append"} or {@code "history"}
   * @param bookingId the booking concerned, or {@code null} for queries across bookings
   * @param message what failed
   * @param cause the storage's own exception
   */
  public AuditTrailException(String operation, String bookingId, String message, Throwable cause) {
    super(ErrorCode.STORAGE_FAILURE,
        "audit trail " + operation + (bookingId == null ? "" : " for booking '" + bookingId + "'") + " failed: "
            + message,
        bookingId, null, null, null, cause);
    this.operation = operation;
  }

  /**
   * Returns what the trail was doing when it failed.
   *
   * @return what the trail was doing, e.g. {@code "append"}
   */
  public String operation() {
    return operation;
  }
}
