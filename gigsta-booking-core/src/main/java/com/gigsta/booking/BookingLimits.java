package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What an audit trail can store exactly: the longest ids and texts, and the precision and range of
 * times. Immutable and thread-safe.
 *
 * <p>Every {@link com.gigsta.booking.spi.AuditTrail} declares its limits ({@code AuditTrail.limits()}).
 * The engine reads them from its trail and refuses, with {@link InvalidBookingInputException} and before
 * anything is written or any payment is secured, a value the trail could not keep exactly; a trail
 * refuses the same values in its own {@code append}. Nothing is ever shortened or rounded to fit, with
 * one exception: the engine's own clock readings are truncated to {@link #timePrecision()} by
 * {@link #truncate(Instant)}, the one place that happens.
 *
 * <p>Lengths count UTF-16 code units, as {@link String#length()} does: a character outside the Basic
 * Multilingual Plane, such as an emoji, counts as two. A string within a length in code units is within
 * it in code points too, so every database column of that width holds it.
 *
 * @param maxIdLength the longest booking, customer, GigSta or actor id, in UTF-16 code units
 * @param maxTextLength the longest note or reason, in UTF-16 code units
 * @param timePrecision the finest unit of time the trail keeps, from {@link ChronoUnit#NANOS} to
 *     {@link ChronoUnit#SECONDS}
 * @param earliestTime the earliest time the trail can store
 * @param latestTime the latest time the trail can store, inclusive
 */
public record BookingLimits(int maxIdLength, int maxTextLength, ChronoUnit timePrecision, Instant earliestTime,
    Instant latestTime) {

  /** The default longest id: 128 UTF-16 code units. */
  public static final int DEFAULT_MAX_ID_LENGTH = 128;
  /** The default longest note or reason: 2,000 UTF-16 code units. */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 2_000;

  private static final BookingLimits DEFAULTS = new BookingLimits(DEFAULT_MAX_ID_LENGTH, DEFAULT_MAX_TEXT_LENGTH);

  /**
   * Checks that the lengths are at least 1, the precision is between nanoseconds and seconds, and the
   * range is not empty.
   *
   * @param maxIdLength the longest id, at least 1
   * @param maxTextLength the longest note or reason, at least 1
   * @param timePrecision the finest unit of time kept
   * @param earliestTime the earliest time kept
   * @param latestTime the latest time kept, inclusive
   * @throws IllegalArgumentException if a length, the precision or the range is out of bounds
   * @throws NullPointerException if the precision or a bound is null
   */
  public BookingLimits {
    requireArgument(maxIdLength >= 1, "maxIdLength must be at least 1 but was %d", maxIdLength);
    requireArgument(maxTextLength >= 1, "maxTextLength must be at least 1 but was %d", maxTextLength);
    requireNonNull(timePrecision, "timePrecision");
    requireNonNull(earliestTime, "earliestTime");
    requireNonNull(latestTime, "latestTime");
    requireArgument(timePrecision.compareTo(ChronoUnit.NANOS) >= 0
        && timePrecision.compareTo(ChronoUnit.SECONDS) <= 0,
        "timePrecision must be from NANOS to SECONDS but was %s", timePrecision);
    requireArgument(!latestTime.isBefore(earliestTime),
        "latestTime must not be before earliestTime but the range was %s to %s", earliestTime, latestTime);
  }

  /**
   * Creates limits with the given lengths that keep any {@link Instant} exactly, to the nanosecond.
   *
   * @param maxIdLength the longest id, at least 1
   * @param maxTextLength the longest note or reason, at least 1
   * @throws IllegalArgumentException if a length is below 1
   */
  public BookingLimits(int maxIdLength, int maxTextLength) {
    this(maxIdLength, maxTextLength, ChronoUnit.NANOS, Instant.MIN, Instant.MAX);
  }

  /**
   * Returns ids of 128 code units, notes and reasons of 2,000, and any instant to the nanosecond.
   *
   * @return the default limits, the same instance on every call
   */
  public static BookingLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Returns these lengths with another time precision and range.
   *
   * @param precision the finest unit of time kept
   * @param earliest the earliest time kept
   * @param latest the latest time kept, inclusive
   * @return new limits with these lengths and the given times
   * @throws IllegalArgumentException if the precision or range is out of bounds
   */
  public BookingLimits withTimes(ChronoUnit precision, Instant earliest, Instant latest) {
    return new BookingLimits(maxIdLength, maxTextLength, precision, earliest, latest);
  }

  /**
   * Returns these times with other lengths.
   *
   * @param maxIdLength the longest id, at least 1
   * @param maxTextLength the longest note or reason, at least 1
   * @return new limits with these times and the given lengths
   */
  public BookingLimits withLengths(int maxIdLength, int maxTextLength) {
    return new BookingLimits(maxIdLength, maxTextLength, timePrecision, earliestTime, latestTime);
  }

  /**
   * Returns the instant cut down to {@link #timePrecision()}; the engine applies it to its clock.
   *
   * @param instant the time to cut down
   * @return the instant with everything finer than the precision dropped
   */
  public Instant truncate(Instant instant) {
    return instant.truncatedTo(timePrecision);
  }

  /**
   * Checks an entry's ids, texts and times against these limits.
   *
   * @param entry the entry to check
   * @throws InvalidBookingInputException naming the first value the trail could not store exactly
   */
  public void check(AuditEntry entry) {
    // The entry checked its ids' content when it was made; only their lengths are the trail's business.
    checkLength(entry.bookingId(), "booking id", maxIdLength);
    checkLength(entry.actorId(), "actor id", maxIdLength);
    checkLength(entry.customerId(), "customer id", maxIdLength);
    checkLength(entry.gigstaId(), "gigsta id", maxIdLength);
    checkText(entry.note(), "note");
    if (entry.reason() != null) {
      checkText(entry.reason(), "reason");
    }
    checkTime(entry.occurredAt(), "occurredAt");
    if (entry.scheduledStart() != null) {
      checkTime(entry.scheduledStart(), "scheduledStart");
    }
  }

  /**
   * Checks that an id can be stored and looked up exactly: the content rules for ids (not blank, no
   * control characters, no white space at either end, well-formed UTF-16) and {@link #maxIdLength()}.
   * Trails call it on the ids they are asked to look up, so that no malformed id ever reaches the storage,
   * where it could be changed on the way (a driver turns an unpaired surrogate into {@code ?}) and find
   * another booking.
   *
   * @param id the id to check
   * @param what the id's name for the message, e.g. {@code "booking id"}
   * @throws InvalidBookingInputException if the id breaks a content rule or is too long; {@code what}
   *     names it in the message
   * @throws NullPointerException if the id is null
   */
  public void checkId(String id, String what) {
    Inputs.id(id, what);
    checkLength(id, what, maxIdLength);
  }

  /**
   * Checks one note's or reason's length; {@code what} names it in the message.
   *
   * @param text the note or reason to check
   * @param what its name for the message
   * @throws InvalidBookingInputException if it is longer than {@link #maxTextLength()}
   */
  public void checkText(String text, String what) {
    checkLength(text, what, maxTextLength);
  }

  /**
   * Checks that the trail keeps the instant exactly: no finer than {@link #timePrecision()}, and within
   * {@link #earliestTime()} and {@link #latestTime()}.
   *
   * @param instant the time to check
   * @param what its name for the message
   * @throws InvalidBookingInputException if it does not
   */
  public void checkTime(Instant instant, String what) {
    if (!truncate(instant).equals(instant)) {
      throw new InvalidBookingInputException(what, String.format(
          "%s must be a whole number of %s to be stored exactly but was %s", what,
          timePrecision.name().toLowerCase(java.util.Locale.ROOT), instant));
    }
    if (instant.isBefore(earliestTime) || instant.isAfter(latestTime)) {
      throw new InvalidBookingInputException(what, String.format(
          "%s must be from %s to %s to be stored but was %s", what, earliestTime, latestTime, instant));
    }
  }

  private static void checkLength(String value, String what, int maxLength) {
    if (value.length() > maxLength) {
      throw new InvalidBookingInputException(what, String.format(
          "%s must be at most %,d characters (UTF-16 code units) but was %,d", what, maxLength, value.length()));
    }
  }
}
