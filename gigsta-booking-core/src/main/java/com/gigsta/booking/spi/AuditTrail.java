package com.gigsta.booking.spi;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.WorkflowMigration;
import com.gigsta.booking.WorkflowVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *       same customer, GigSta, price and workflow version (a migration entry,
 *       {@link com.gigsta.booking.WorkflowMigration#ACTION_NAME}, alone may carry another). Otherwise, and when another writer takes the sequence first, it throws
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
 *
 * <p><b>Timers.</b> Due timed rules and reminders are found from the entries themselves
 * ({@link #findTimerCandidates}); the trail keeps only how far each timer was swept and, as scheduled
 * deliveries, the timers to retry and the reminders owed.
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
   * entry, its place in the feed and its deliveries are stored together or not at all. With a moment that
   * {@link PaymentMoment#securesBeforeRecording() secures before recording} the same write claims the
   * change's hold ({@link #recordHold}), whichever attempt it is.
   *
   * @param entry the entry to record
   * @param paymentMoment what the change owes: the engine passes its rule's moment, or
   *     {@link PaymentMoment#NONE} when it has no payment hooks
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry, or, with a moment that secures, if the change has no
   *     {@link HoldStatus#HELD held} hold to claim (never recorded, declined, released, or given up by the
   *     settlement worker as abandoned)
   */
  void append(AuditEntry entry, PaymentMoment paymentMoment);

  /**
   * Returns which attempt the next secure call for a change is, and what became of it so far: the
   * attempt whose hold is {@link HoldStatus#CLAIMED claimed} (the change is recorded; a late double
   * submit learns so without calling the provider), still {@link HoldStatus#HELD held} (a double submit,
   * or a retry after an unknown outcome, repeats it) or {@link HoldStatus#ABANDONED abandoned} (its
   * release by the settlement worker is not done yet; the engine starts no new attempt until it is, since
   * the late release of an earlier attempt would cancel the booking's payment); otherwise, with no
   * status, one more than the change's last attempt that was declined or released, or 1 if there was
   * none.
   *
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @param actionName the change's action
   * @return the attempt
   * @throws NullPointerException if a name is null
   */
  PaymentAttempt paymentAttempt(String bookingId, long sequence, String actionName);

  /**
   * One attempt at securing payment for a change, as {@link #paymentAttempt} finds it.
   *
   * @param number the attempt, from 1
   * @param status what became of its hold so far: {@link HoldStatus#CLAIMED}, {@link HoldStatus#HELD},
   *     {@link HoldStatus#ABANDONED}, or {@code null} for an attempt not made yet
   */
  record PaymentAttempt(int number, HoldStatus status) {

    /**
     * Checks the parts.
     *
     * @param number the attempt, from 1
     * @param status {@code null}, {@link HoldStatus#CLAIMED}, {@link HoldStatus#HELD} or
     *     {@link HoldStatus#ABANDONED}
     * @throws IllegalArgumentException if the number is below 1 or the status is another
     */
    public PaymentAttempt {
      requireArgument(number >= 1, "an attempt is numbered from 1 but was %d", number);
      requireArgument(status == null || status == HoldStatus.CLAIMED || status == HoldStatus.HELD
          || status == HoldStatus.ABANDONED, "the attempt to make next is new, claimed, held or abandoned, not %s",
          status);
    }
  }

  /**
   * Records, durably and before the provider is called, that payment is about to be secured for a change
   * (one attempt of it), as {@link HoldStatus#HELD}; recording the same attempt again, whatever became of
   * it, changes nothing. The change's append claims the hold in the same atomic write
   * ({@link HoldStatus#CLAIMED}, kept, so a late repeat of the attempt cannot record it as held again); a hold never claimed is released by the
   * settlement worker ({@link #claimAbandonedHolds}). Outside any host transaction: the record must
   * survive the host rolling back.
   *
   * @param secure the {@link PaymentMoment#SECURE} request about to be sent
   * @param recordedAt when, by the engine's clock
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the request is not for {@link PaymentMoment#SECURE}
   */
  void recordHold(PaymentRequest secure, Instant recordedAt);

  /**
   * Records that the provider declined this attempt: its hold becomes {@link HoldStatus#DECLINED} and is
   * kept, so that {@link #paymentAttempt} gives the next attempt a new key. Does nothing unless the hold
   * is {@link HoldStatus#HELD}.
   *
   * @param secure the declined attempt's {@link PaymentMoment#SECURE} request
   * @throws NullPointerException if the request is null
   */
  void markHoldDeclined(PaymentRequest secure);

  /**
   * Returns holds to release: those recorded before {@code recordedBefore} and never claimed by their
   * change's append, which from now on can no longer claim them ({@link HoldStatus#ABANDONED}), and
   * those returned before whose release was not marked done. Oldest first, at most {@code limit}.
   *
   * @param recordedBefore holds recorded at or after this are left alone
   * @param limit the most to return, from 1 to 10,000
   * @return the {@link PaymentMoment#SECURE} requests whose payments to release
   * @throws NullPointerException if the time is null
   * @throws IllegalArgumentException if the limit is out of range
   */
  List<PaymentRequest> claimAbandonedHolds(Instant recordedBefore, int limit);

  /**
   * Records that a hold's payment was released, or needs none: it was never claimed because its change
   * could not be recorded and the engine released it at once, or the worker released it as abandoned, or
   * the change was recorded by another request with the same key. The hold becomes
   * {@link HoldStatus#RELEASED} and is kept, so that its attempt is never made again. Does nothing for a
   * hold already claimed, declined or released.
   *
   * @param secure the hold's {@link PaymentMoment#SECURE} request
   * @throws NullPointerException if the request is null
   */
  void markHoldReleased(PaymentRequest secure);

  /** What became of one attempt to secure payment for a change; see {@link #recordHold}. */
  enum HoldStatus {
    /** Recorded before the provider was called; the change's append may claim it. */
    HELD,
    /** Claimed by the change's append: the change is recorded and owns the payment. */
    CLAIMED,
    /** The provider declined; the next attempt gets a new key. */
    DECLINED,
    /** Never claimed within the grace period; the settlement worker is releasing it. */
    ABANDONED,
    /** Released, or known to need no release; never attempted again. */
    RELEASED
  }

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
   * Returns the workflow versions the stored bookings are pinned to, by each booking's latest entry, with
   * how many bookings each: what an engine must host to act on every stored booking. Reads every
   * booking's latest entry, so it is a start-up or operator's query, not one for each request.
   *
   * @param unpinnedAs the version under which to count bookings whose latest entry has no workflow
   *     version (recorded before bookings were pinned)
   * @return the bookings per version, in name and version order; empty for an empty trail
   * @throws NullPointerException if {@code unpinnedAs} is null
   */
  Map<WorkflowVersion, Long> workflowVersionsInUse(WorkflowVersion unpinnedAs);

  /**
   * Returns the latest entries of bookings pinned to {@code version}, in booking-id order, those with an
   * id greater than {@code afterBookingId}, at most {@code limit}: the pages of a migration. A booking
   * that a migration moved to another version is no longer returned, so a migration that stopped half-way
   * is resumed by reading from the start again.
   *
   * @param version the version sought
   * @param unpinnedAs the version that bookings whose latest entry has no workflow version are read as
   * @param afterBookingId only bookings with a greater id, or {@code null} for all
   * @param limit the most entries to return, from 1 to 10,000
   * @return the latest entries, in booking-id order
   * @throws NullPointerException if {@code version} or {@code unpinnedAs} is null
   * @throws IllegalArgumentException if the limit is out of range
   */
  List<AuditEntry> findPinnedTo(WorkflowVersion version, WorkflowVersion unpinnedAs, String afterBookingId,
      int limit);

  /**
   * Returns bookings whose current state is {@code state} and whose {@code timepoint} lies from
   * {@code from} to {@code to}, both inclusive, in order of that timepoint and then of booking id, at most
   * {@code limit}: the candidates of a timer sweep. Each comes with its latest entry and its creation
   * time. A booking without the timepoint (no scheduled start) is never returned for it.
   *
   * <p>To read on after a full page, pass the last candidate's timepoint as {@code from} and its booking id
   * as {@code afterBookingId}: candidates at exactly {@code from} are then returned only with a greater
   * booking id. Bounds outside the times the trail stores are allowed.
   *
   * <p>Bookings that left {@code state} long ago must not make this slower: implementations serve it
   * from an index on the timepoint within the state, so a sweep that reads only what became due since
   * its last run costs the same whatever the trail's size.
   *
   * @param state the current state sought
   * @param timepoint which timepoint the bounds apply to
   * @param from the earliest timepoint value, inclusive, or {@code null} for no lower bound
   * @param afterBookingId with {@code from}: of the bookings at exactly {@code from}, only those with a
   *     greater id; {@code null} for all of them
   * @param to the latest timepoint value, inclusive
   * @param limit the most candidates to return, from 1 to 10,000
   * @return the candidates, in timepoint and booking-id order
   * @throws NullPointerException if the state, timepoint or {@code to} is null
   * @throws IllegalArgumentException if the limit is out of range, or {@code afterBookingId} is given
   *     without {@code from}
   */
  List<BookingTimes> findTimerCandidates(BookingState state, Timepoint timepoint, Instant from,
      String afterBookingId, Instant to, int limit);

  /**
   * Returns how far the named timer was swept: every booking whose timer fell due before that instant was
   * seen by a sweep. Empty for a timer never swept.
   *
   * @param timer the timer's key, 1 to 64 characters
   * @return the instant, or empty
   * @throws NullPointerException if the key is null
   * @throws IllegalArgumentException if the key is empty or longer than 64 characters
   */
  Optional<Instant> timerSweptTo(String timer);

  /**
   * Records that the named timer was swept to {@code sweptTo}, durably; a mark is only ever moved
   * forward, so a slower sweep finishing later leaves a later mark as it is.
   *
   * @param timer the timer's key, 1 to 64 characters
   * @param sweptTo the instant swept to
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the key is empty or longer than 64 characters
   */
  void advanceTimerSweep(String timer, Instant sweptTo);

  /**
   * Makes a delivery of the recorded change ({@code bookingId}, {@code sequence}) owed to a scheduled
   * consumer, due at {@code dueAt}, unless the consumer already has one of that change (pending, done or
   * dead): a timer's retry ({@link Delivery#TIMERS}) or a reminder ({@link Delivery#REMINDER_PREFIX}).
   * Places the change in the feed first if it has no position yet. Scheduled consumers are never
   * registered and are owed nothing else.
   *
   * @param consumer a scheduled consumer's name ({@link #isScheduledConsumer(String)})
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @param dueAt when it may first be claimed
   * @return true if this call created the delivery
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the consumer is not a scheduled one, or no such change is recorded
   */
  boolean scheduleDelivery(String consumer, String bookingId, long sequence, Instant dueAt);

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
   *     {@code '_'}, not {@link Delivery#SETTLEMENT} nor a {@link #isScheduledConsumer scheduled} one
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
   * @param consumer a registered consumer, {@link Delivery#SETTLEMENT} or a
   *     {@link #isScheduledConsumer scheduled} one
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
   * @param consumer a registered consumer, {@link Delivery#SETTLEMENT} or a scheduled one
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
   * Returns whether the consumer is owed only what {@link #scheduleDelivery} schedules: {@link Delivery#TIMERS}
   * and the reminders' consumers, named {@link Delivery#REMINDER_PREFIX} and the reminder's name. Such
   * consumers need no registration, and {@link #registerConsumer} refuses their names.
   *
   * @param consumer the name
   * @return true for a scheduled consumer
   * @throws NullPointerException if the name is null
   */
  static boolean isScheduledConsumer(String consumer) {
    requireNonNull(consumer, "consumer");
    return consumer.equals(Delivery.TIMERS) || consumer.startsWith(Delivery.REMINDER_PREFIX);
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
    } else if (!Objects.equals(latest.price(), entry.price())) {
      conflict = "the entry carries another price (" + entry.price() + ") than the booking's (" + latest.price() + ")";
    } else if (!Objects.equals(latest.workflowVersion(), entry.workflowVersion())
        && !entry.actionName().equals(WorkflowMigration.ACTION_NAME)) {
      conflict = "the entry is pinned to workflow " + entry.workflowVersion() + ", not the booking's "
          + latest.workflowVersion() + ", and only a migration moves a booking to another version";
    }
    if (conflict != null) {
      throw new BookingChangedConcurrentlyException(entry.bookingId(), entry.fromState(), entry.actionName(),
          entry.actor(), entry.sequence(), conflict, null);
    }
  }
}
