package com.gigsta.booking.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.Role;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Checks that rows hash as they always have, whether written as entries or read back as stored: rows
 * without money in the first format, rows with money in the second.
 */
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
  private static final AuditEntry PRICED_FIRST = new AuditEntry("b-priced", 1, "request_booking", Role.CUSTOMER,
      "c-1", "c-1", "g-1", null, BookingState.REQUESTED, Instant.parse("2026-05-01T10:00:00.123456Z"),
      "Booking requested by customer", null, Instant.parse("2026-06-01T18:30:00Z"), Money.of(8_000, "EUR"), null,
      null);
  private static final AuditEntry PRICED_SECOND = new AuditEntry("b-priced", 2, "cancel_booking", Role.CUSTOMER,
      "c-1", "c-1", "g-1", BookingState.REQUESTED, BookingState.CANCELLED_BY_CUSTOMER,
      Instant.parse("2026-05-02T10:00:00Z"), "Booking cancelled by customer", null,
      Instant.parse("2026-06-01T18:30:00Z"), Money.of(8_000, "EUR"), Money.of(6_000, "EUR"), Money.of(2_000, "EUR"));
  // Computed by the money format's first implementation; rows stored with money carry these hashes.
  private static final String PRICED_FIRST_HASH = "91e8cf666dee52b1a443d822e75e852738d03920af4cd8f6e9bbc439477f52aa";
  private static final String PRICED_SECOND_HASH = "e42e1169afdf00d3c8016276d0bae472072cd6d03fa15460a15aedcf7483dd3b";

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
            row.scheduledStart(), null, null, null, null, row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), null, row.toState(), row.occurredAt(), row.note(), row.reason(), row.scheduledStart(),
            null, null, null, null, row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), null, row.note(), row.reason(), row.scheduledStart(),
            null, null, null, null, row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), "", row.reason(), row.scheduledStart(),
            null, null, null, null, row.prevHash(), row.rowHash()),
        // A note that swallows the reason must not hash like the note and reason apart.
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), row.note() + row.reason(), null,
            row.scheduledStart(), null, null, null, null, row.prevHash(), row.rowHash()),
        // Money put on a row that had none.
        withMoney(row, 0L, "EUR", null, null),
        withMoney(row, null, null, 0L, null)};

    for (RawRow each : edited) {
      assertThat(RowHasher.hash(each)).as("%s", each).isNotEqualTo(hash);
    }
  }

  @Test
  void shouldHashAnEntryWithMoneyExactlyAsRowsWithMoneyAreStored() {
    assertThat(RowHasher.hash(PRICED_SECOND, PRICED_FIRST_HASH)).isEqualTo(PRICED_SECOND_HASH);
    assertThat(RowHasher.hash(raw(PRICED_SECOND, PRICED_FIRST_HASH))).isEqualTo(PRICED_SECOND_HASH);
    assertThat(RowHasher.hash(raw(PRICED_FIRST, RowHasher.GENESIS))).isEqualTo(PRICED_FIRST_HASH)
        .isEqualTo(RowHasher.hash(PRICED_FIRST, RowHasher.GENESIS));
  }

  @Test
  void shouldHashAnEntryWithAPriceApartFromTheSameEntryWithout() {
    AuditEntry unpriced = new AuditEntry(PRICED_FIRST.bookingId(), 1, PRICED_FIRST.actionName(),
        PRICED_FIRST.actorRole(), PRICED_FIRST.actorId(), PRICED_FIRST.customerId(), PRICED_FIRST.gigstaId(), null,
        PRICED_FIRST.toState(), PRICED_FIRST.occurredAt(), PRICED_FIRST.note(), null, null);

    assertThat(RowHasher.hash(unpriced, RowHasher.GENESIS)).isNotEqualTo(PRICED_FIRST_HASH);
  }

  @Test
  void shouldHashEveryChangeOfAStoredMoneyColumnDifferently() {
    RawRow row = raw(PRICED_SECOND, PRICED_FIRST_HASH);
    String hash = RowHasher.hash(row);
    RawRow[] edited = {
        withMoney(row, null, null, null, null),
        withMoney(row, 8_001L, row.priceCurrency(), row.amountMinor(), row.feeMinor()),
        withMoney(row, row.priceMinor(), "USD", row.amountMinor(), row.feeMinor()),
        withMoney(row, row.priceMinor(), null, row.amountMinor(), row.feeMinor()),
        withMoney(row, row.priceMinor(), row.priceCurrency(), 6_001L, row.feeMinor()),
        withMoney(row, row.priceMinor(), row.priceCurrency(), row.amountMinor(), null),
        withMoney(row, row.priceMinor(), row.priceCurrency(), row.amountMinor(), 0L),
        // The amount and the fee swapped.
        withMoney(row, row.priceMinor(), row.priceCurrency(), row.feeMinor(), row.amountMinor())};

    for (RawRow each : edited) {
      assertThat(RowHasher.hash(each)).as("%s", each).isNotEqualTo(hash);
    }
  }

  private static RawRow withMoney(RawRow row, Long priceMinor, String priceCurrency, Long amountMinor,
      Long feeMinor) {
    return new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(),
        row.customerId(), row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), row.note(), row.reason(),
        row.scheduledStart(), priceMinor, priceCurrency, amountMinor, feeMinor, row.prevHash(), row.rowHash());
  }

  private static String exactMicros(Instant instant) {
    return new BigDecimal(instant.getEpochSecond()).movePointRight(6)
        .add(BigDecimal.valueOf(instant.getNano()).movePointLeft(3)).stripTrailingZeros().toPlainString();
  }

  private static RawRow raw(AuditEntry entry, String prevHash) {
    Money price = entry.price();
    return new RawRow(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole().name(),
        entry.actorId(), entry.customerId(), entry.gigstaId(),
        entry.fromState() == null ? null : entry.fromState().name(), entry.toState().name(),
        utc(entry.occurredAt()), entry.note(), entry.reason(), utc(entry.scheduledStart()),
        price == null ? null : price.amountMinor(), price == null ? null : price.currencyCode(),
        entry.amount() == null ? null : entry.amount().amountMinor(),
        entry.fee() == null ? null : entry.fee().amountMinor(), prevHash, null);
  }

  private static LocalDateTime utc(Instant instant) {
    return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
