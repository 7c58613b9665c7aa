package com.gigsta.booking.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.Role;
import com.gigsta.booking.WorkflowVersion;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that rows hash as they always have, whether written as entries or read back as stored: rows
 * without money or a workflow version in the first format, rows with money but no version in the
 * second, rows with a version in the third.
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
  private static final WorkflowVersion GIGSTA_V2 = WorkflowVersion.of("gigsta", 2);
  private static final AuditEntry PINNED_FIRST = new AuditEntry("b-versioned", 1, "request_booking", Role.CUSTOMER,
      "c-1", "c-1", "g-1", null, BookingState.REQUESTED, Instant.parse("2026-05-01T10:00:00.123456Z"),
      "Booking requested by customer", null, null, null, null, null, GIGSTA_V2);
  private static final AuditEntry PINNED_SECOND = new AuditEntry("b-versioned", 2, "cancel_booking", Role.CUSTOMER,
      "c-1", "c-1", "g-1", BookingState.REQUESTED, BookingState.CANCELLED_BY_CUSTOMER,
      Instant.parse("2026-05-02T10:00:00Z"), "Booking cancelled by customer", "Plans changed",
      Instant.parse("2026-06-01T18:30:00Z"), Money.of(8_000, "EUR"), Money.of(6_000, "EUR"), Money.of(2_000, "EUR"),
      WorkflowVersion.of("gigsta-events_2", 12));
  // Computed by the workflow version format's first implementation; rows stored with a version carry these.
  private static final String PINNED_FIRST_HASH = "3dc9f9b20541e509b063eea279bbf29b2fa63a7061bf98aa5b286cb1e7ec1596";
  private static final String PINNED_SECOND_HASH = "8a27cf87d8f018aaca04a039e38c91717e1a8295973292a34580606e48187355";

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
            row.scheduledStart(), null, null, null, null, null, null, row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), null, row.toState(), row.occurredAt(), row.note(), row.reason(), row.scheduledStart(),
            null, null, null, null, null, null, row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), null, row.note(), row.reason(), row.scheduledStart(),
            null, null, null, null, null, null, row.prevHash(), row.rowHash()),
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), "", row.reason(), row.scheduledStart(),
            null, null, null, null, null, null, row.prevHash(), row.rowHash()),
        // A note that swallows the reason must not hash like the note and reason apart.
        new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(), row.customerId(),
            row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), row.note() + row.reason(), null,
            row.scheduledStart(), null, null, null, null, null, null, row.prevHash(), row.rowHash()),
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

  @Test
  void shouldHashAnEntryWithAWorkflowVersionExactlyAsRowsWithOneAreStored() {
    assertThat(RowHasher.hash(PINNED_FIRST, RowHasher.GENESIS)).isEqualTo(PINNED_FIRST_HASH);
    assertThat(RowHasher.hash(PINNED_SECOND, PINNED_FIRST_HASH)).isEqualTo(PINNED_SECOND_HASH);
    assertThat(RowHasher.hash(raw(PINNED_FIRST, RowHasher.GENESIS))).isEqualTo(PINNED_FIRST_HASH);
    assertThat(RowHasher.hash(raw(PINNED_SECOND, PINNED_FIRST_HASH))).isEqualTo(PINNED_SECOND_HASH);
  }

  @Test
  void shouldHashAVersionAsTheSecondFormatsFieldsFollowedByTheWorkflowsNameAndNumber() {
    // The encoding written out by hand: the third format's tag, the fields of the second (the money
    // fields absent when null), then the name and the number, then the previous hash.
    assertThat(RowHasher.hash(PINNED_FIRST, RowHasher.GENESIS)).isEqualTo(byHand("gigsta-booking-audit-row/3",
        "b-versioned", "1", "request_booking", "CUSTOMER", "c-1", "c-1", "g-1", null, "REQUESTED",
        "1777629600123456", "Booking requested by customer", null, null, null, null, null, null, "gigsta", "2",
        RowHasher.GENESIS));
    assertThat(RowHasher.hash(PINNED_SECOND, PINNED_FIRST_HASH)).isEqualTo(byHand("gigsta-booking-audit-row/3",
        "b-versioned", "2", "cancel_booking", "CUSTOMER", "c-1", "c-1", "g-1", "REQUESTED", "CANCELLED_BY_CUSTOMER",
        "1777716000000000", "Booking cancelled by customer", "Plans changed", "1780338600000000", "8000", "EUR",
        "6000", "2000", "gigsta-events_2", "12", PINNED_FIRST_HASH));
  }

  @Test
  void shouldHashAnEntryWithAWorkflowVersionApartFromTheSameEntryWithout() {
    AuditEntry unpinned = new AuditEntry(PINNED_SECOND.bookingId(), 2, PINNED_SECOND.actionName(),
        PINNED_SECOND.actorRole(), PINNED_SECOND.actorId(), PINNED_SECOND.customerId(), PINNED_SECOND.gigstaId(),
        PINNED_SECOND.fromState(), PINNED_SECOND.toState(), PINNED_SECOND.occurredAt(), PINNED_SECOND.note(),
        PINNED_SECOND.reason(), PINNED_SECOND.scheduledStart(), PINNED_SECOND.price(), PINNED_SECOND.amount(),
        PINNED_SECOND.fee());

    assertThat(RowHasher.hash(unpinned, PINNED_FIRST_HASH)).isNotEqualTo(PINNED_SECOND_HASH)
        .isEqualTo(RowHasher.hash(raw(unpinned, PINNED_FIRST_HASH)));
  }

  @Test
  void shouldHashEveryChangeOfAStoredWorkflowColumnDifferently() {
    RawRow row = raw(PINNED_SECOND, PINNED_FIRST_HASH);
    String hash = RowHasher.hash(row);
    RawRow unpinned = raw(SECOND, FIRST_HASH);
    RawRow[] edited = {
        withVersion(row, null, null),
        withVersion(row, "gigsta-events_2", 11),
        withVersion(row, "gigsta-events_3", 12),
        withVersion(row, null, 12),
        withVersion(row, "gigsta-events_2", null),
        // The name and the number run together must not hash like them apart.
        withVersion(row, "gigsta-events_21", 2),
        // The money removed, the version kept.
        withMoney(row, null, null, null, null)};

    for (RawRow each : edited) {
      assertThat(RowHasher.hash(each)).as("%s", each).isNotEqualTo(hash);
    }
    // A version put on a row that had none, or half of one.
    for (RawRow each : List.of(withVersion(unpinned, "gigsta", 1), withVersion(unpinned, "gigsta", null),
        withVersion(unpinned, null, 1))) {
      assertThat(RowHasher.hash(each)).as("%s", each).isNotEqualTo(SECOND_HASH);
    }
  }

  private static RawRow withVersion(RawRow row, String workflowName, Integer workflowVersion) {
    return new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(),
        row.customerId(), row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), row.note(), row.reason(),
        row.scheduledStart(), row.priceMinor(), row.priceCurrency(), row.amountMinor(), row.feeMinor(), workflowName,
        workflowVersion, row.prevHash(), row.rowHash());
  }

  // Each field as a presence byte, then, when present, its UTF-8 length in four bytes and its bytes.
  private static String byHand(String... fields) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String field : fields) {
        if (field == null) {
          digest.update((byte) 0);
        } else {
          byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
          digest.update((byte) 1);
          digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
          digest.update(bytes);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RawRow withMoney(RawRow row, Long priceMinor, String priceCurrency, Long amountMinor,
      Long feeMinor) {
    return new RawRow(row.bookingId(), row.sequence(), row.actionName(), row.actorRole(), row.actorId(),
        row.customerId(), row.gigstaId(), row.fromState(), row.toState(), row.occurredAt(), row.note(), row.reason(),
        row.scheduledStart(), priceMinor, priceCurrency, amountMinor, feeMinor, row.workflowName(),
        row.workflowVersion(), row.prevHash(), row.rowHash());
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
        entry.fee() == null ? null : entry.fee().amountMinor(),
        entry.workflowVersion() == null ? null : entry.workflowVersion().name(),
        entry.workflowVersion() == null ? null : entry.workflowVersion().number(), prevHash, null);
  }

  private static LocalDateTime utc(Instant instant) {
    return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
