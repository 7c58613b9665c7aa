package com.gigsta.booking;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.gigsta.booking.internal.Checks;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named state a booking can be in. Immutable and thread-safe; one instance exists per name, so states
 * compare by identity as well as by {@link #equals(Object)}.
 *
 * <p>The default GigSta states are constants here; custom workflows declare more with {@link #of(String)}.
 * Each state carries a small dense index so the engine can find a state's actions with an array read
 * instead of a hash lookup.
 */
public final class BookingState implements Comparable<BookingState> {

  private static final ConcurrentMap<String, BookingState> INTERNED = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

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
  private final int index;

  private BookingState(String name, int index) {
    this.name = name;
    this.index = index;
  }

  /**
   * Returns the state with this name, creating it on first use.
   *
   * @param name upper-case letters, digits and underscores, starting with a letter, at most 64 characters
   * @throws InvalidBookingInputException if the name does not have that form
   */
  @JsonCreator
  public static BookingState of(String name) {
    BookingState existing = INTERNED.get(name == null ? "" : name);
    if (existing != null) {
      return existing;
    }
    Checks.stateName(name);
    return INTERNED.computeIfAbsent(name, n -> new BookingState(n, NEXT_INDEX.getAndIncrement()));
  }

  /** Returns the state's name, as written in the audit trail and in JSON. */
  @JsonValue
  public String name() {
    return name;
  }

  /**
   * Returns this state's dense index, unique among all states in this JVM; used for table lookups.
   *
   * @return a number from 0 upwards, stable for the life of the JVM only
   */
  public int index() {
    return index;
  }

  @Override
  public int compareTo(BookingState other) {
    return name.compareTo(other.name);
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return index;
  }

  @Override
  public String toString() {
    return name;
  }
}
