package com.gigsta.booking;

/**
 * The root of every exception this library throws. Unchecked; each subclass names one kind of failure
 * and carries what was refused: the booking, its state, the action and the actor, where they are known.
 *
 * <p>Catch this type to handle everything; switch on {@link #code()} to map failures, e.g. to HTTP
 * statuses.
 */
public abstract class BookingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String bookingId;
  private final transient BookingState state;
  private final String actionName;
  private final transient Actor actor;

  /**
   * Creates an exception; every context argument may be {@code null} where it does not apply.
   *
   * @param code the kind of failure
   * @param message what happened and what the caller can do about it
   * @param bookingId the booking concerned
   * @param state the booking's state when the failure happened
   * @param actionName the action attempted
   * @param actor who attempted it
   * @param cause the underlying failure
   */
  protected BookingException(ErrorCode code, String message, String bookingId, BookingState state,
      String actionName, Actor actor, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.bookingId = bookingId;
    this.state = state;
    this.actionName = actionName;
    this.actor = actor;
  }

  /**
   * Returns the machine-readable kind of failure.
   *
   * @return the kind of failure
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Returns the id of the booking concerned, or {@code null} if none was known.
   *
   * @return the booking's id, or {@code null}
   */
  public String bookingId() {
    return bookingId;
  }

  /**
   * Returns the booking's state when the failure happened, or {@code null} if not known.
   *
   * @return the booking's state, or {@code null}
   */
  public BookingState state() {
    return state;
  }

  /**
   * Returns the action attempted, or {@code null} if none.
   *
   * @return the action's name, or {@code null}
   */
  public String actionName() {
    return actionName;
  }

  /**
   * Returns who attempted it, or {@code null} if not known.
   *
   * @return who attempted the action, or {@code null}
   */
  public Actor actor() {
    return actor;
  }

  /** Formats the common prefix of refusal messages: who tried what on which booking in which state. */
  static String describe(String actionName, Actor actor, String bookingId, BookingState state) {
    return "'" + actionName + "' by " + actor + " on booking '" + bookingId + "' in state " + state;
  }
}
