package com.gigsta.booking.jdbc;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.util.OptionalLong;

/**
 * The outcome of checking one booking's hash chain with {@link JdbcAuditTrail#verify(String)}. Immutable
 * and thread-safe.
 *
 * <p>The chain shows rows changed or removed without recomputing every later hash, and rows removed from
 * the middle of a history. It cannot show that the latest rows (or a whole history) were removed, nor a
 * history rewritten from some row onward with recomputed hashes: compare {@link #lastRowHash()} with a
 * copy kept outside the database for that.
 *
 * @param bookingId the booking checked
 * @param intact whether every row checked out
 * @param firstBrokenSequence the first sequence found altered or missing; empty when intact
 * @param entriesChecked how many rows were read
 * @param problem what is wrong at {@code firstBrokenSequence}, or {@code null} when intact
 * @param lastRowHash the stored hash of the latest row, or {@code null} for an unknown booking
 */
public record ChainVerification(String bookingId, boolean intact, OptionalLong firstBrokenSequence,
    int entriesChecked, String problem, String lastRowHash) {

  /**
   * Checks that a broken chain names where and why, and an intact one does neither.
   *
   * @param bookingId the booking checked
   * @param intact whether every row checked out
   * @param firstBrokenSequence the first sequence found altered or missing; empty when intact
   * @param entriesChecked how many rows were read
   * @param problem what is wrong at {@code firstBrokenSequence}, or {@code null} when intact
   * @param lastRowHash the stored hash of the latest row, or {@code null} for an unknown booking
   * @throws NullPointerException if the booking id or {@code firstBrokenSequence} is null
   * @throws IllegalArgumentException if an intact outcome names a broken sequence or problem, or a broken
   *     one lacks either
   */
  public ChainVerification {
    requireNonNull(bookingId, "bookingId");
    requireNonNull(firstBrokenSequence, "firstBrokenSequence");
    requireArgument(intact != firstBrokenSequence.isPresent() && intact == (problem == null),
        "an intact chain has no broken sequence or problem, a broken one has both, but intact was %s, "
            + "firstBrokenSequence %s and problem %s", intact, firstBrokenSequence, problem);
  }
}
