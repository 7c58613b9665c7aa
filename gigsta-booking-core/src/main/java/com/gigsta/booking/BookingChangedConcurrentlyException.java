package com.gigsta.booking;

/**
 * Thrown when a change cannot be recorded because the booking moved on: someone else recorded that
 * sequence first, or the snapshot acted on does not match the booking's latest entry. Reload the
 * booking, show the person what changed, and let them decide again; never retry blindly.
 */
public class BookingChangedConcurrentlyException extends BookingException {

  private static final long serialVersionUID = 1L;

  private final long attemptedSequence;

  /**
   * Creates the exception.
   *
   * @param bookingId the booking
   * @param state the state the writer believed the booking was in, or {@code null} for a creation
   * @param actionName the action whose entry could not be recorded
   * @param actor who took it
   * @param attemptedSequence the sequence the entry was to be recorded at
   * @param detail why the entry did not fit, e.g. "sequence 3 is already taken"
   * @param cause the storage failure that revealed the conflict, or {@code null}
   */
  public BookingChangedConcurrentlyException(String bookingId, BookingState state, String actionName,
      Actor actor, long attemptedSequence, String detail, Throwable cause) {
    super(ErrorCode.CONCURRENT_CHANGE,
        "'" + actionName + "' by " + actor + " on booking '" + bookingId + "'"
            + (state == null ? "" : " in state " + state) + " was not recorded: the booking changed meanwhile ("
            + detail + "); reload it and decide again",
        bookingId, state, actionName, actor, cause);
    this.attemptedSequence = attemptedSequence;
  }

  /**
   * Returns the sequence the entry was to be recorded at.
   *
   * @return the sequence the entry was to be recorded at
   */
  public long attemptedSequence() {
    return attemptedSequence;
  }
}
