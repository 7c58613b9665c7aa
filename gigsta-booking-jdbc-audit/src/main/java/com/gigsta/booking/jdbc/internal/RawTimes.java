package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.AuditEntryCorruptedException;
import com.gigsta.booking.BookingTimes;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A booking's latest audit row and the time of its first, exactly as the database returned them, nothing
 * checked or converted: a candidate of a timer sweep. Immutable.
 *
 * @param latest the booking's latest row
 * @param createdAt the first row's occurred_at, UTC, or {@code null} if the first row is missing
 */
public record RawTimes(RawRow latest, LocalDateTime createdAt) {

  /**
   * Returns the booking's times.
   *
   * @param latestRow {@link #latest()} read as a stored row ({@link RawRow#toStoredRow()})
   * @return the latest entry and the creation time
   * @throws AuditEntryCorruptedException naming the booking and the stored sequence if the latest row
   *     cannot be read as an entry, or naming sequence 1 if the first row is missing or its time is not one
   *     the table can hold
   */
  public BookingTimes toBookingTimes(StoredRow latestRow) {
    AuditEntry entry = latestRow.entry();
    if (createdAt == null) {
      throw new AuditEntryCorruptedException(entry.bookingId(), 1, "its first row is missing or has no time; "
          + "verify(bookingId) reports the gap", null);
    }
    Instant created = createdAt.toInstant(ZoneOffset.UTC);
    try {
      AuditTable.STORABLE.checkTime(created, "occurred_at");
    } catch (RuntimeException e) {
      throw new AuditEntryCorruptedException(entry.bookingId(), 1, "its first row's time cannot be read ("
          + e.getMessage() + "); verify(bookingId) reports which row no longer matches its hash", e);
    }
    return new BookingTimes(entry, created);
  }
}
