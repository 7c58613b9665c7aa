package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Computes a row's SHA-256 hash from its canonical content and the previous row's hash. Stateless and
 * thread-safe.
 *
 * <p>Each field is written as a presence byte, then for present fields its UTF-8 length as four bytes
 * and its bytes, so no two different rows share an encoding (a note ending in what looks like a reason
 * cannot imitate another row). Instants are written as microseconds since the epoch, which is exactly
 * what the table stores. The leading format tag lets a later format coexist with this one.
 */
public final class RowHasher {

  /** The previous hash of every booking's first row. */
  public static final String GENESIS = "0".repeat(64);

  private static final String FORMAT = "gigsta-booking-audit-row/1";
  private static final HexFormat HEX = HexFormat.of();

  private RowHasher() {}

  /** Returns the lowercase hex SHA-256 of the entry chained to {@code prevHash}. */
  public static String hash(AuditEntry entry, String prevHash) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    field(digest, FORMAT);
    field(digest, entry.bookingId());
    field(digest, Long.toString(entry.sequence()));
    field(digest, entry.actionName());
    field(digest, entry.actorRole().name());
    field(digest, entry.actorId());
    field(digest, entry.customerId());
    field(digest, entry.gigstaId());
    field(digest, entry.fromState() == null ? null : entry.fromState().name());
    field(digest, entry.toState().name());
    field(digest, micros(entry.occurredAt()));
    field(digest, entry.note());
    field(digest, entry.reason());
    field(digest, micros(entry.scheduledStart()));
    field(digest, prevHash);
    return HEX.formatHex(digest.digest());
  }

  private static String micros(Instant instant) {
    return instant == null ? null : Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
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
