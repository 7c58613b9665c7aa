package com.gigsta.booking;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A named state a booking can be in. Immutable and thread-safe; two states are equal when their names
 * are.
 *
 * <p>The default GigSta states are constants here; custom workflows declare more with {@link #of(String)}.
 */
public final class BookingState implements Comparable<BookingState> {

  /** The initial state: the customer asked, the GigSta has not answered. */
  public static final BookingState REQUESTED = of("REQUESTED");
  /** The GigSta accepted and payment is secured. */
  public static final BookingState ACCEPTED = of("ACCEPTED");
  /** The GigSta declined the request. Terminal. */
  public static final BookingState DECLINED = of("DECLINED");
  /** The GigSta has started the service. */
  public static final BookingState IN_PROGRESS = of("IN_PROGRESS");
  /** The service was delivered. Terminal. */
  public static final BookingState COMPLETED = of("COMPLETED");
  /** The customer cancelled. Terminal. */
  public static final BookingState CANCELLED_BY_CUSTOMER = of("CANCELLED_BY_CUSTOMER");
  /** The GigSta cancelled an accepted booking. Terminal. */
  public static final BookingState CANCELLED_BY_GIGSTA = of("CANCELLED_BY_GIGSTA");
  /** Nobody answered the request in time. Terminal. */
  public static final BookingState EXPIRED = of("EXPIRED");

  private final String name;

  private BookingState(String name) {
    this.name = name;
  }

  /**
   * Returns the state with this name.
   *
   * @param name upper-case letters, digits and underscores, starting with a letter, at most 64 characters
   * @return a state equal to every other state of that name
   * @throws InvalidBookingInputException if the name does not have that form
   * @throws NullPointerException if the name is null
   */
  @JsonCreator
  public static BookingState of(String name) {
    return new BookingState(Inputs.stateName(name));
  }

  /**
   * Returns the state's name, as written in the audit trail and in JSON.
   *
   * @return the name, e.g. {@code "REQUESTED"}
   */
  @JsonValue
  public String name() {
    return name;
  }

  @Override
  public int compareTo(BookingState other) {
    return name.compareTo(other.name);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BookingState state && name.equals(state.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
