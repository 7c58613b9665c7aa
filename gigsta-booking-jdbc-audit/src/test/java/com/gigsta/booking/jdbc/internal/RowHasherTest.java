package com.gigsta.booking.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Role;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Checks that rows hash as they always have, whether written as entries or read back as stored. */
class RowHasherTest {

  private static final AuditEntry FIRST = new AuditEntry("b-pinned", 1, "request_booking", Role.CUSTOMER, "c-1",
      "c-1", "g-1", null, BookingState.REQUESTED, Instant.parse("1969-12-31T23:59:59.999999Z"),
      "Booking requested by customer", null, null);
  private static final AuditEntry SECOND = new AuditEntry("b-pinned", 2, "decline_booking", Role.GIGSTA, "g-1",
      "c-1", "g-1", BookingState.REQUESTED, BookingState.DECLINED, Instant.parse("2026-05-01T10:00:00.123456Z"),
      "Booking declined by GigSta", "Plans changed \u2014 sorry! \uD83D\uDE05 e\u0301 \u05E9\u05DC\u05D5\u05DD",
      Instant.parse("2026-06-01T18:30:00.000001Z"));
  // Computed by the format's first implementation; rows already stored carry these hashes.
  private static final String FIRST_HASH = "ebc7c98adf60aa33f8258e281e352faf79844ef5e9c64ef9ae96c52b19a613f7";
  private static final String SECOND_HASH = "210fa235951ae36414e6f95f7ec6a012aa2d216d9e6da80699db7af1b732f9f9";

  @Test
  void shouldHashEntriesExactlyAsRowsAlreadyStoredWereHashed() {
    assertThat(RowHasher.hash(FIRST, RowHasher.GENESIS)).isEqualTo(FIRST_HASH);
    assertThat(RowHasher.hash(SECOND, FIRST_HASH)).isEqualTo(SECOND_HASH);
  }

  @Test
  void shouldHashARowReadBackAsStoredExactlyLikeTheEntryItHolds() {
    assertThat(RowHasher.hash(raw(FIRST, RowHasher.GENESIS))).isEqualTo(FIRST_HASH);
    assertThat(RowHasher.hash(raw(SECOND, FIRST_HASH))).isEqualTo(SECOND_HASH);
  }

  @Test
  void shouldHashTheEarliestAndLatestTimesTheTableHoldsAlikeEitherWay() {
    AuditEntry extremes = new AuditEntry("b-extremes", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1",
        null, BookingState.REQUESTED, AuditTable.EARLIEST, "note", null, AuditTable.LATEST);

    assertThat(RowHasher.hash(raw(extremes, RowHasher.GENESIS)))
        .isEqualTo(RowHasher.hash(extremes, RowHasher.GENESIS));
    assertThat(RowHasher.micros(AuditTable.EARLIEST)).isEqualTo("-30610224000000000");
    assertThat(RowHasher.micros(AuditTable.LATEST)).isEqualTo("253402300799999999");
  }

  @Test
  void shouldWriteTimesBeyondALongOfMicrosecondsAndSubMicrosecondDigitsWithoutLosingThem() {
    // What PostgreSQL's 'infinity' and '-infinity' read back as.
    Instant max = LocalDateTime.MAX.toInstant(ZoneOffset.UTC);
    Instant min = LocalDateTime.MIN.toInstant(ZoneOffset.UTC);

    assertThat(RowHasher.micros(max)).isEqualTo(exactMicros(max)).isEqualTo("31556889832780799999999.999");
    assertThat(RowHasher.micros(min)).isEqualTo(exactMicros(min)).isEqualTo("-31557014135596800000000");
    assertThat(RowHasher.micros(Instant.parse("2026-05-01T10:00:00.123456001Z")))
        .isNotEqualTo(RowHasher.micros(Instant.parse("2026-05-01T10:00:00.123456Z")))
        .endsWith(".001");
  }

  @Test
  void shouldHashEveryChangeOfAStoredColumnDifferently() {
    RawRow row = raw(SECOND, FIRST_HASH);
    String hash = RowHasher.hash(row);
    RawRow[] edited = {
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), "KING", row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), row.note(), row.reason(),
            row.scheduledStart(), row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), null, row.toState(), row.occurredAt(), row.note(), row.reason(), row.scheduledStart(),
            row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), null, row.note(), row.reason(), row.scheduledStart(),
            row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), "", row.reason(), row.scheduledStart(),
            row.prevHash(), row.rowHash()),
        // A note that swallows the reason must not hash like the note and reason apart.
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), row.note() + row.reason(), null,
            row.scheduledStart(), row.prevHash(), row.rowHash())};

    for (RawRow each : edited) {
      assertThat(RowHasher.hash(each)).as("%s", each).isNotEqualTo(hash);
    }
  }

  private static String exactMicros(Instant instant) {
    return new BigDecimal(instant.getEpochSecond()).movePointRight(6)
        .add(BigDecimal.valueOf(instant.getNano()).movePointLeft(3)).stripTrailingZeros().toPlainString();
  }

  private static RawRow raw(AuditEntry entry, String prevHash) {
    return new RawRow(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole().name(),
        entry.actorId(), entry.customerId(), entry.gigstaId(),
        entry.fromState() == null ? null : entry.fromState().name(), entry.toState().name(),
        utc(entry.occurredAt()), entry.note(), entry.reason(), utc(entry.scheduledStart()), prevHash, null);
  }

  private static LocalDateTime utc(Instant instant) {
    return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
