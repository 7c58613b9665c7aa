package com.gigsta.booking;

import com.gigsta.booking.internal.Checks;
import java.time.Instant;

/**
 * The largest ids and texts the engine and the audit trails accept. Immutable and thread-safe.
 *
 * <p>Both the engine and every {@link com.gigsta.booking.spi.AuditTrail} check entries against their
 * limits before writing, so an oversized value is refused with the same
 * {@link InvalidBookingInputException} wherever it is caught and nothing is written.
 *
 * @param maxIdLength the longest booking, customer, GigSta or actor id, in characters
 * @param maxTextLength the longest note or reason, in characters
 */
public record BookingLimits(int maxIdLength, int maxTextLength) {

  /** The default longest id: 128 characters. */
  public static final int DEFAULT_MAX_ID_LENGTH = 128;
  /** The default longest note or reason: 2,000 characters. */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 2_000;

  private static final long EARLIEST_SECOND = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
  private static final long LATEST_SECOND = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

  private static final BookingLimits DEFAULTS =
      new BookingLimits(DEFAULT_MAX_ID_LENGTH, DEFAULT_MAX_TEXT_LENGTH);

  /** Checks that both limits are at least 1. */
  public BookingLimits {
    if (maxIdLength < 1 || maxTextLength < 1) {
      throw new InvalidBookingInputException("limits", String.format(
          "limits must be at least 1 but were maxIdLength=%d, maxTextLength=%d", maxIdLength, maxTextLength));
    }
  }

  /** Returns the default limits: ids of 128 characters, notes and reasons of 2,000. */
  public static BookingLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Checks an entry's ids and texts against these limits.
   *
   * @throws InvalidBookingInputException naming the first value that is too long
   */
  public void check(AuditEntry entry) {
    checkId(entry.bookingId(), "booking id");
    checkId(entry.actorId(), "actor id");
    checkId(entry.customerId(), "customer id");
    checkId(entry.gigstaId(), "gigsta id");
    checkText(entry.note(), "note");
    if (entry.reason() != null) {
      checkText(entry.reason(), "reason");
    }
    checkInstant(entry.occurredAt(), "occurredAt");
    if (entry.scheduledStart() != null) {
      checkInstant(entry.scheduledStart(), "scheduledStart");
    }
  }

  /**
   * Checks that an instant can be stored exactly by every trail: microsecond precision (what PostgreSQL
   * and MariaDB keep) and a year from 1000 to 9999 (MariaDB's range).
   */
  public void checkInstant(Instant instant, String what) {
    Checks.notNull(instant, what);
    if (instant.getNano() % 1_000 != 0) {
      throw new InvalidBookingInputException(what, what + " must have at most microsecond precision but was "
          + instant);
    }
    if (instant.getEpochSecond() < EARLIEST_SECOND || instant.getEpochSecond() >= LATEST_SECOND) {
      throw new InvalidBookingInputException(what, what + " must be in the years 1000 to 9999 (UTC) but was "
          + instant);
    }
  }

  /** Checks one id against {@link #maxIdLength()}; {@code what} names it in the message. */
  public void checkId(String id, String what) {
    Checks.maxLength(id, what, maxIdLength);
  }

  /** Checks one note or reason against {@link #maxTextLength()}; {@code what} names it in the message. */
  public void checkText(String text, String what) {
    Checks.maxLength(text, what, maxTextLength);
  }
}
