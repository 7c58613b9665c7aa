package com.gigsta.booking.spi;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.PaymentMoment;
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
 *   <li>Every recorded change enters the change feed ({@link #changesSince}) and owes each registered
 *       consumer one delivery, atomically with its entry: a change is never recorded without them, and
 *       they never exist for a change that was not recorded.</li>
 * </ul>
 *
 * <p><b>The feed.</b> Changes get feed positions in one total order that respects each booking's
 * sequence, and a position is never given to a change after a reader has read past it, even when
 * writers commit in another order than they started. Positions may be given some time after the change
 * is recorded (when the feed is next read), never before.
 *
 * <p><b>Deliveries.</b> Each change owes one delivery to each consumer registered when it enters the feed;
 * the built-in consumer {@link Delivery#SETTLEMENT} is always registered and is
 * owed only the changes whose payment moment settles after recording
 * ({@link PaymentMoment#settlesAfterRecording()}). A delivery is pending until marked delivered, or,
 * after its last failure, dead; dead letters stay until resubmitted.
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
   * Records the entry at its sequence, with what the change owes the payment provider, atomically: the
   * entry, its place in the feed and its deliveries are stored together or not at all. With
   * {@link PaymentMoment#SECURE} the same write claims the change's hold ({@link #recordHold}).
   *
   * @param entry the entry to record
   * @param paymentMoment what the change owes: the engine passes its rule's moment, or
   *     {@link PaymentMoment#NONE} when it has no payment hooks
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry, or, with {@link PaymentMoment#SECURE}, if the change's hold is not
   *     there to claim (never recorded, or given up by the settlement worker as abandoned)
   */
  void append(AuditEntry entry, PaymentMoment paymentMoment);

  /**
   * Records, durably and before the provider is called, that payment is about to be secured for a change;
   * recording the same request again changes nothing. The change's append with
   * {@link PaymentMoment#SECURE} claims the hold in the same atomic write; a hold never claimed is
   * released by the settlement worker ({@link #claimAbandonedHolds}). Outside any host transaction: the
   * record must survive the host rolling back.
   *
   * @param secure the {@link PaymentMoment#SECURE} request about to be sent
   * @param recordedAt when, by the engine's clock
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the request is not for {@link PaymentMoment#SECURE}
   */
  void recordHold(PaymentRequest secure, Instant recordedAt);

  /**
   * Returns holds to release: those recorded before {@code recordedBefore} and never claimed by their
   * change's append, which from now on can no longer claim them, and those returned before whose
   * release was not marked done. Oldest first, at most {@code limit}.
   *
   * @param recordedBefore holds recorded at or after this are left alone
   * @param limit the most to return, from 1 to 10,000
   * @return the {@link PaymentMoment#SECURE} requests whose payments to release
   * @throws NullPointerException if the time is null
   * @throws IllegalArgumentException if the limit is out of range
   */
  List<PaymentRequest> claimAbandonedHolds(Instant recordedBefore, int limit);

  /**
   * Forgets a hold whose payment was released, or that was never claimed because its change could not
   * be recorded and the engine released it at once.
   *
   * @param secure the hold's {@link PaymentMoment#SECURE} request
   * @throws NullPointerException if the request is null
   */
  void markHoldReleased(PaymentRequest secure);

  /**
   * Records the entry of a change that owes the payment provider nothing; the same as
   * {@code append(entry, PaymentMoment.NONE)}.
   *
   * @param entry the entry to record
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry
   */
  default void append(AuditEntry entry) {
    append(entry, PaymentMoment.NONE);
  }

  /**
   * Returns whether appends on the calling thread go into a transaction the host commits later, so that
   * the change may still be rolled back when {@link #append} returns. The engine then announces nothing
   * itself: the workers deliver the change once it is committed. Default {@code false}.
   *
   * @return whether the calling thread's appends are not committed yet when they return
   */
  default boolean inHostTransaction() {
    return false;
  }

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
   * Returns up to {@code limit} changes after the cursor, in feed order, and the cursor to read on from.
   * Reads of the same cursor return the same changes, plus any that reached the feed since: none is ever
   * placed before a cursor already handed out.
   *
   * @param after the cursor to read after; {@link ChangeCursor#start()} for the first change
   * @param limit the most changes to return, from 1 to 10,000
   * @return the changes and the next cursor
   * @throws NullPointerException if the cursor is null
   * @throws IllegalArgumentException if the limit is out of range
   */
  ChangePage changesSince(ChangeCursor after, int limit);

  /**
   * Registers a durable consumer, which is owed a delivery of every change that enters the feed from now
   * on; registering a consumer again changes nothing.
   *
   * @param consumer the name: 1 to 64 lowercase letters, digits, {@code '.'}, {@code '-'} or
   *     {@code '_'}, not {@link Delivery#SETTLEMENT}
   * @throws NullPointerException if the name is null
   * @throws IllegalArgumentException if the name is malformed or reserved
   */
  void registerConsumer(String consumer);

  /**
   * Returns the consumer's pending deliveries that are due at {@code now}, in feed order, at most
   * {@code limit}, and makes them not due until {@code leaseUntil}, so that other workers pass them over
   * while this one delivers. A new delivery is due at any {@code now}; one that failed is due from the
   * retry time given to {@link #markFailed}. Nothing is locked after this method returns; a worker that dies simply lets
   * the lease run out.
   *
   * @param consumer a registered consumer, or {@link Delivery#SETTLEMENT}
   * @param now the time that deliveries must be due by
   * @param leaseUntil when the returned deliveries become due again unless marked first
   * @param limit the most deliveries to return, from 1 to 10,000
   * @return the claimed deliveries, oldest change first
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the consumer is not registered or the limit is out of range
   */
  List<Delivery> claimDue(String consumer, Instant now, Instant leaseUntil, int limit);

  /**
   * Marks a pending delivery done, durably.
   *
   * @param delivery a delivery from {@link #claimDue}
   * @return true if this call marked it; false if it was marked done before (by another worker)
   * @throws NullPointerException if the delivery is null
   */
  boolean markDelivered(Delivery delivery);

  /**
   * Records a failed attempt of a pending delivery: its failed attempts become
   * {@code delivery.failedAttempts() + 1} and its last error {@code error}; it is due again at
   * {@code retryAt}, or, if that is {@code null}, it becomes a dead letter. A delivery marked done
   * meanwhile stays done.
   *
   * @param delivery a delivery from {@link #claimDue}
   * @param error what went wrong, shortened to the trail's text limit if longer
   * @param retryAt when to try again, or {@code null} to make it a dead letter
   * @throws NullPointerException if the delivery or error is null
   */
  void markFailed(Delivery delivery, String error, Instant retryAt);

  /**
   * Returns the consumer's dead letters, oldest change first, at most {@code limit}.
   *
   * @param consumer a registered consumer, or {@link Delivery#SETTLEMENT}
   * @param limit the most to return, from 1 to 10,000
   * @return the dead letters
   * @throws NullPointerException if the consumer is null
   * @throws IllegalArgumentException if the limit is out of range
   */
  List<Delivery> deadLetters(String consumer, int limit);

  /**
   * Counts the consumer's dead letters.
   *
   * @param consumer a consumer's name
   * @return how many of its deliveries are dead letters
   * @throws NullPointerException if the consumer is null
   */
  long deadLetterCount(String consumer);

  /**
   * Makes a dead letter pending again, due at {@code now}, with its failed attempts reset to 0.
   *
   * @param consumer the consumer
   * @param bookingId the booking of the change
   * @param sequence the change's sequence
   * @param now when it becomes due
   * @return true if a dead letter was resubmitted; false if there was none for that change
   * @throws NullPointerException if an argument is null
   */
  boolean resubmit(String consumer, String bookingId, long sequence, Instant now);

  /**
   * Checks a consumer's name for use by implementations: 1 to 64 lowercase ASCII letters, digits,
   * {@code '.'}, {@code '-'} or {@code '_'}.
   *
   * @param consumer the name
   * @return the name
   * @throws NullPointerException if the name is null
   * @throws IllegalArgumentException if it is malformed
   */
  static String requireConsumerName(String consumer) {
    requireNonNull(consumer, "consumer");
    requireArgument(!consumer.isEmpty() && consumer.length() <= 64 && consumer.chars().allMatch(
        c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'),
        "a consumer name is 1 to 64 of a-z, 0-9, '.', '-' and '_' but was '%s'", consumer);
    return consumer;
  }

  /**
   * Checks a batch limit for use by implementations: from 1 to 10,000.
   *
   * @param limit the limit
   * @return the limit
   * @throws IllegalArgumentException if it is out of range
   */
  static int requireBatchLimit(int limit) {
    requireArgument(limit >= 1 && limit <= 10_000, "limit must be from 1 to 10,000 but was %d", limit);
    return limit;
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
