package com.gigsta.booking.spi;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where bookings' histories are stored: append-only, one entry per change, and the only source of a
 * booking's current state. Implementations must be thread-safe, and safe across processes where they
 * are shared by several.
 *
 * <p>The contract every implementation meets (checked by
 * {@code com.gigsta.booking.testing.AuditTrailContract} in the {@code gigsta-booking-testing} artifact):
 * <ul>
 *   <li>{@link #append} records the entry only if it continues the booking's latest entry: sequence 1
 *       for a booking that has none, otherwise the next sequence, from the latest entry's state, with the
 *       same customer and GigSta. Otherwise, and when another writer takes the sequence first, it throws
 *       {@link BookingChangedConcurrentlyException} and records nothing.</li>
 *   <li>Entries with ids or texts over the trail's {@link com.gigsta.booking.BookingLimits} are refused
 *       with {@link com.gigsta.booking.InvalidBookingInputException} before anything is stored.</li>
 *   <li>Entries read back are equal to those appended, {@code occurredAt} included.</li>
 *   <li>Storage failures are thrown as {@link com.gigsta.booking.AuditTrailException}; nothing is
 *       half-written.</li>
 * </ul>
 */
public interface AuditTrail {

  /**
   * Returns what this trail can store exactly: id and text lengths, time precision and range. The engine
   * refuses anything else before it writes or calls the payment provider, and {@link #append} refuses it
   * too. Every string that passes the engine's content rules (well-formed UTF-16 without control
   * characters other than tab, line feed and carriage return in texts) within these lengths must be
   * stored and read back exactly.
   *
   * @return the limits of what this trail stores exactly
   */
  BookingLimits limits();

  /**
   * Records the entry at its sequence, atomically.
   *
   * @param entry the entry to record
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry
   */
  void append(AuditEntry entry);

  /**
   * Returns the booking's entries in sequence order; empty if the booking is unknown.
   *
   * @param bookingId the booking
   * @return its entries, creation first
   */
  List<AuditEntry> history(String bookingId);

  /**
   * Returns the booking's latest entry, which holds its current state and version.
   *
   * @param bookingId the booking
   * @return its latest entry, or empty if the booking is unknown
   */
  Optional<AuditEntry> latest(String bookingId);

  /**
   * Returns the latest entries of bookings whose current state is {@code state} and whose latest change
   * happened at or after {@code changedFrom} and before {@code changedBefore}, oldest change first, at
   * most {@code limit}. Used by scheduled jobs such as expiring unanswered requests.
   *
   * <p>The lower bound lets a job that runs regularly look only at what became due since its last run:
   * entries are never removed, so without it the bookings that long ago left {@code state} are passed
   * over again on every call.
   *
   * @param state the current state sought
   * @param changedFrom the earliest latest change to include, or {@code null} for no lower bound
   * @param changedBefore the latest change must be strictly before this
   * @param limit the most entries to return, at least 0
   * @return the bookings' latest entries, oldest change first
   */
  List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom, Instant changedBefore,
      int limit);

  /**
   * Returns the latest entries of bookings whose current state is {@code state} and whose latest change
   * happened before {@code changedBefore}, however long ago; see
   * {@link #findInStateChangedBetween(BookingState, Instant, Instant, int)}.
   *
   * @param state the current state sought
   * @param changedBefore the latest change must be strictly before this
   * @param limit the most entries to return, at least 0
   * @return the bookings' latest entries, oldest change first
   */
  default List<AuditEntry> findInStateChangedBefore(BookingState state, Instant changedBefore, int limit) {
    return findInStateChangedBetween(state, null, changedBefore, limit);
  }

  /**
   * Checks that {@code entry} may follow {@code latest}, the booking's latest stored entry, for use by
   * implementations inside their atomic append.
   *
   * @param latest the booking's latest entry, or {@code null} if it has none
   * @param entry the entry to append
   * @throws BookingChangedConcurrentlyException naming what does not fit
   */
  static void requireContinuation(AuditEntry latest, AuditEntry entry) {
    String conflict = null;
    if (latest == null) {
      if (entry.sequence() != 1) {
        conflict = "it has no entries, so sequence " + entry.sequence() + " cannot follow";
      }
    } else if (entry.sequence() <= latest.sequence()) {
      conflict = "sequence " + entry.sequence() + " is already taken; the booking is at version "
          + latest.sequence() + " in state " + latest.toState();
    } else if (entry.sequence() != latest.sequence() + 1) {
      conflict = "sequence " + entry.sequence() + " would leave a gap after version " + latest.sequence();
    } else if (!latest.toState().equals(entry.fromState())) {
      conflict = "the booking is in state " + latest.toState() + ", not " + entry.fromState();
    } else if (!latest.customerId().equals(entry.customerId()) || !latest.gigstaId().equals(entry.gigstaId())) {
      conflict = "the entry names other parties than the booking's";
    }
    if (conflict != null) {
      throw new BookingChangedConcurrentlyException(entry.bookingId(), entry.fromState(), entry.actionName(),
          entry.actor(), entry.sequence(), conflict, null);
    }
  }
}
