package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Money;
import com.gigsta.booking.WorkflowVersion;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Computes a row's SHA-256 hash from its canonical content and the previous row's hash. Stateless and
 * thread-safe.
 *
 * <p>Each field is written as a presence byte, then for present fields its UTF-8 length as four bytes
 * and its bytes, so no two different rows share an encoding (a note ending in what looks like a reason
 * cannot imitate another row). The role and the states are written as their names and the sequence in
 * decimal. Instants are written as whole microseconds since the epoch in decimal, which is exactly what
 * the table stores. The leading format tag lets a later format coexist with this one.
 *
 * <p>Three formats coexist, told apart by that tag, so that no row ever changes format and every stored
 * hash still checks out:
 * <ul>
 *   <li>{@code gigsta-booking-audit-row/1}, a row without money and without a workflow version (every
 *       row written before the fourth schema script, and the rows of unpinned bookings without a price):
 *       the fields above, then the previous hash, exactly as such rows always were;</li>
 *   <li>{@code gigsta-booking-audit-row/2}, a row with money but without a workflow version (the rows of
 *       bookings with a price recorded before bookings were pinned, which keep no version until they
 *       are migrated): the same fields, then the price in minor units, its currency code, and the
 *       amount and fee in minor units (each in decimal, absent when null), then the previous hash;</li>
 *   <li>{@code gigsta-booking-audit-row/3}, a row with a workflow version (every row of a booking
 *       pinned to one, from the fifth schema script on): the fields of the second format, its four
 *       money fields absent when null as there, then the workflow's name and the version's number in
 *       decimal, then the previous hash.</li>
 * </ul>
 * A row read back is hashed in the third format whenever either workflow column holds a value, else in
 * the second whenever any money column does, else in the first; so a version or money added to an old
 * row by hand, or removed from a new one, changes its hash like any other edit.
 *
 * <p>An entry about to be written ({@link #hash(AuditEntry, String)}) and a row read back as stored
 * ({@link #hash(RawRow)}) go through the same encoding, so a row hashes the same either way until one
 * of its columns is changed, whatever the change: the raw form needs no valid role, state or text.
 */
public final class RowHasher {

  /** The previous hash of every booking's first row. */
  public static final String GENESIS = "0".repeat(64);

  private static final String FORMAT = "gigsta-booking-audit-row/1";
  private static final String MONEY_FORMAT = "gigsta-booking-audit-row/2";
  private static final String VERSION_FORMAT = "gigsta-booking-audit-row/3";
  private static final HexFormat HEX = HexFormat.of();
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int NANOS_PER_MICRO = 1_000;
  // Seconds within which seconds * 1,000,000 fits a long: about 292,000 years either side of 1970.
  private static final long LONG_SAFE_SECONDS = Long.MAX_VALUE / MICROS_PER_SECOND - 1;

  private RowHasher() {}

  /**
   * Returns the hash of the row to insert.
   *
   * @param entry the entry the row holds
   * @param prevHash the previous row's hash, or {@link #GENESIS} for a first row
   * @return the lowercase hex SHA-256 of the entry chained to {@code prevHash}
   */
  public static String hash(AuditEntry entry, String prevHash) {
    String fromState = entry.fromState() == null ? null : entry.fromState().name();
    Money price = entry.price();
    WorkflowVersion version = entry.workflowVersion();
    if (version != null) {
      return digest(VERSION_FORMAT, entry.bookingId(), Long.toString(entry.sequence()), entry.actionName(),
          entry.actorRole().name(), entry.actorId(), entry.customerId(), entry.gigstaId(), fromState,
          entry.toState().name(), micros(entry.occurredAt()), entry.note(), entry.reason(),
          micros(entry.scheduledStart()), price == null ? null : Long.toString(price.amountMinor()),
          price == null ? null : price.currencyCode(), minor(entry.amount()), minor(entry.fee()), version.name(),
          Integer.toString(version.number()), prevHash);
    }
    if (price == null) {
      // An entry without a price moves no money: it has no amount or fee either.
      return digest(FORMAT, entry.bookingId(), Long.toString(entry.sequence()), entry.actionName(),
          entry.actorRole().name(), entry.actorId(), entry.customerId(), entry.gigstaId(), fromState,
          entry.toState().name(), micros(entry.occurredAt()), entry.note(), entry.reason(),
          micros(entry.scheduledStart()), prevHash);
    }
    return digest(MONEY_FORMAT, entry.bookingId(), Long.toString(entry.sequence()), entry.actionName(),
        entry.actorRole().name(), entry.actorId(), entry.customerId(), entry.gigstaId(), fromState,
        entry.toState().name(), micros(entry.occurredAt()), entry.note(), entry.reason(),
        micros(entry.scheduledStart()), Long.toString(price.amountMinor()), price.currencyCode(),
        minor(entry.amount()), minor(entry.fee()), prevHash);
  }

  /**
   * Returns the hash of a row read back, from its values as stored.
   *
   * @param row the row, whatever its values
   * @return the lowercase hex SHA-256 of the row's values chained to its stored previous hash; equal to
   *     its stored {@link RawRow#rowHash()} exactly when none of its columns was changed
   */
  public static String hash(RawRow row) {
    if (row.hasWorkflowVersion()) {
      return digest(VERSION_FORMAT, row.bookingId(), Long.toString(row.sequence()), row.actionName(),
          row.actorRole(), row.actorId(), row.customerId(), row.gigstaId(), row.fromState(), row.toState(),
          micros(row.occurredAt()), row.note(), row.reason(), micros(row.scheduledStart()),
          decimal(row.priceMinor()), row.priceCurrency(), decimal(row.amountMinor()), decimal(row.feeMinor()),
          row.workflowName(), row.workflowVersion() == null ? null : Integer.toString(row.workflowVersion()),
          row.prevHash());
    }
    if (!row.hasMoney()) {
      return digest(FORMAT, row.bookingId(), Long.toString(row.sequence()), row.actionName(), row.actorRole(),
          row.actorId(), row.customerId(), row.gigstaId(), row.fromState(), row.toState(), micros(row.occurredAt()),
          row.note(), row.reason(), micros(row.scheduledStart()), row.prevHash());
    }
    return digest(MONEY_FORMAT, row.bookingId(), Long.toString(row.sequence()), row.actionName(), row.actorRole(),
        row.actorId(), row.customerId(), row.gigstaId(), row.fromState(), row.toState(), micros(row.occurredAt()),
        row.note(), row.reason(), micros(row.scheduledStart()), decimal(row.priceMinor()), row.priceCurrency(),
        decimal(row.amountMinor()), decimal(row.feeMinor()), row.prevHash());
  }

  private static String minor(Money money) {
    return money == null ? null : Long.toString(money.amountMinor());
  }

  private static String decimal(Long minor) {
    return minor == null ? null : Long.toString(minor);
  }

  private static String digest(String format, String... fields) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    field(digest, format);
    for (String field : fields) {
      field(digest, field);
    }
    return HEX.formatHex(digest.digest());
  }

  private static String micros(LocalDateTime utc) {
    return utc == null ? null : micros(utc.toInstant(ZoneOffset.UTC));
  }

  /*
   * Exact for every instant, without ChronoUnit.MICROS.between, which overflows more than 292 years from
   * 1970 and so could not hash the years 1000 or 9999 that the table holds. For whole microseconds this
   * is the same decimal that between() gave. A time with sub-microsecond digits, which no column of the
   * schema holds, gets them after a point, so it can never hash like the microsecond it lies in.
   */
  static String micros(Instant instant) {
    if (instant == null) {
      return null;
    }
    long seconds = instant.getEpochSecond();
    int nanos = instant.getNano();
    String whole;
    if (seconds > -LONG_SAFE_SECONDS && seconds < LONG_SAFE_SECONDS) {
      whole = Long.toString(seconds * MICROS_PER_SECOND + nanos / NANOS_PER_MICRO);
    } else {
      whole = BigInteger.valueOf(seconds).multiply(BigInteger.valueOf(MICROS_PER_SECOND))
          .add(BigInteger.valueOf(nanos / NANOS_PER_MICRO)).toString();
    }
    int subMicro = nanos % NANOS_PER_MICRO;
    return subMicro == 0 ? whole : whole + "." + String.format(Locale.ROOT, "%03d", subMicro);
  }

  private static void field(MessageDigest digest, String value) {
    if (value == null) {
      digest.update((byte) 0);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) 1);
    digest.update(new byte[] {
        (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length});
    digest.update(bytes);
  }
}
