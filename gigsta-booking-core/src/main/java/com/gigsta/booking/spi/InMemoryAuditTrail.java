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
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.WorkflowVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An audit trail held in this JVM's memory, for tests, demos and single-instance hosts that keep
 * history elsewhere. Thread-safe; entries, the feed and deliveries are lost when the JVM stops.
 *
 * <p>It stores what its {@link BookingLimits} allow: by default ({@link BookingLimits#defaults()}) any
 * instant to the nanosecond. Give it a database's limits, such as the JDBC trail's microseconds and
 * years 1000 to 9999, to have tests refuse and truncate exactly as production will.
 *
 * <p>Writes (appends, holds and delivery bookkeeping) take one lock, so a change, its feed position, its
 * deliveries and the claim of its hold appear together; {@link #history} and {@link #latest} take none.
 */
public final class InMemoryAuditTrail implements AuditTrail {

  private final BookingLimits limits;
  // Each booking's entries as an array never changed once published: an append replaces it with a longer
  // copy, so readers take no lock.
  private final ConcurrentHashMap<String, AuditEntry[]> histories = new ConcurrentHashMap<>();
  // Guarded by this: the feed in position order (position = index + 1), as the entries and what each owes,
  // and each consumer's deliveries. A change's FeedChange is made only when it is read or owed to a
  // consumer: measured on the in-memory transition path, making one per append was a visible part of it.
  private AuditEntry[] feedEntries = new AuditEntry[64];
  private PaymentMoment[] feedMoments = new PaymentMoment[64];
  private int feedSize;
  private final Map<String, TreeMap<Long, DeliveryState>> deliveries = new LinkedHashMap<>();
  // Guarded by this: whether a consumer other than the settlement one was registered.
  private boolean othersRegistered;
  private final ConcurrentHashMap<String, Instant> sweptTo = new ConcurrentHashMap<>();
  // Guarded by this: every hold by change, one per attempt, kept whatever became of it so that no attempt
  // is made twice.
  private final Map<String, List<Hold>> holdsByChange = new HashMap<>();
  // Guarded by this: the holds held or abandoned, the only ones a sweep looks at, in the order recorded.
  private final Map<String, Hold> pendingHolds = new LinkedHashMap<>();

  /** Creates an empty trail with the default limits. */
  public InMemoryAuditTrail() {
    this(BookingLimits.defaults());
  }

  /**
   * Creates an empty trail that stores only what the given limits allow.
   *
   * @param limits what the trail stores; anything beyond them is refused
   */
  public InMemoryAuditTrail(BookingLimits limits) {
    this.limits = requireNonNull(limits, "limits");
    deliveries.put(Delivery.SETTLEMENT, new TreeMap<>());
  }

  @Override
  public BookingLimits limits() {
    return limits;
  }

  @Override
  public synchronized void append(AuditEntry entry, PaymentMoment paymentMoment) {
    requireNonNull(entry, "entry");
    requireNonNull(paymentMoment, "paymentMoment");
    limits.check(entry);
    AuditEntry[] current = histories.get(entry.bookingId());
    AuditTrail.requireContinuation(current == null ? null : current[current.length - 1], entry);
    if (paymentMoment.securesBeforeRecording()) {
      String change = changeKey(entry.bookingId(), entry.sequence(), entry.actionName());
      Hold hold = heldHold(change);
      if (hold == null) {
        throw new BookingChangedConcurrentlyException(entry.bookingId(), entry.fromState(), entry.actionName(),
            entry.actor(), entry.sequence(), "it has no payment hold to claim: none was recorded, or the last "
            + "was declined or given up as abandoned", null);
      }
      hold.status = HoldStatus.CLAIMED;
      pendingHolds.remove(hold.secure.idempotencyKey());
    }
    AuditEntry[] longer = current == null ? new AuditEntry[1] : Arrays.copyOf(current, current.length + 1);
    longer[longer.length - 1] = entry;
    histories.put(entry.bookingId(), longer);
    if (feedSize == feedEntries.length) {
      feedEntries = Arrays.copyOf(feedEntries, feedSize * 2);
      feedMoments = Arrays.copyOf(feedMoments, feedSize * 2);
    }
    feedEntries[feedSize] = entry;
    feedMoments[feedSize] = paymentMoment;
    feedSize++;
    // Every trail owes the settlement consumer; other consumers are owed only once registered.
    if (paymentMoment.settlesAfterRecording() || othersRegistered) {
      FeedChange change = feedChange(feedSize);
      for (Map.Entry<String, TreeMap<Long, DeliveryState>> consumer : deliveries.entrySet()) {
        if (AuditTrail.isScheduledConsumer(consumer.getKey())) {
          continue;
        }
        if (!consumer.getKey().equals(Delivery.SETTLEMENT) || change.owesSettlement()) {
          consumer.getValue().put(change.cursor().position(), new DeliveryState(change));
        }
      }
    }
  }

  @Override
  public synchronized void recordHold(PaymentRequest secure, Instant recordedAt) {
    requireNonNull(secure, "secure");
    requireNonNull(recordedAt, "recordedAt");
    requireArgument(secure.moment() == PaymentMoment.SECURE, "a hold is recorded for a SECURE request, not %s",
        secure.moment());
    List<Hold> attempts = holdsByChange.computeIfAbsent(
        changeKey(secure.bookingId(), secure.sequence(), secure.actionName()), change -> new ArrayList<>());
    if (attempts.stream().noneMatch(hold -> hold.secure.attempt() == secure.attempt())) {
      Hold hold = new Hold(secure, recordedAt);
      attempts.add(hold);
      pendingHolds.put(secure.idempotencyKey(), hold);
    }
  }

  @Override
  public synchronized PaymentAttempt paymentAttempt(String bookingId, long sequence, String actionName) {
    requireNonNull(bookingId, "bookingId");
    requireNonNull(actionName, "actionName");
    List<Hold> attempts = holdsByChange.getOrDefault(changeKey(bookingId, sequence, actionName), List.of());
    int last = 0;
    for (Hold hold : attempts) {
      if (hold.status == HoldStatus.CLAIMED || hold.status == HoldStatus.HELD
          || hold.status == HoldStatus.ABANDONED) {
        return new PaymentAttempt(hold.secure.attempt(), hold.status);
      }
      last = Math.max(last, hold.secure.attempt());
    }
    return new PaymentAttempt(last + 1, null);
  }

  @Override
  public synchronized void markHoldDeclined(PaymentRequest secure) {
    requireNonNull(secure, "secure");
    Hold hold = pendingHolds.get(secure.idempotencyKey());
    if (hold != null && hold.status == HoldStatus.HELD) {
      hold.status = HoldStatus.DECLINED;
      pendingHolds.remove(secure.idempotencyKey());
    }
  }

  private Hold heldHold(String change) {
    for (Hold hold : holdsByChange.getOrDefault(change, List.of())) {
      if (hold.status == HoldStatus.HELD) {
        return hold;
      }
    }
    return null;
  }

  private static String changeKey(String bookingId, long sequence, String actionName) {
    // Sequence and action name contain no line feed, so the key reads back unambiguously from the right.
    return bookingId + "\n" + sequence + "\n" + actionName;
  }

  @Override
  public synchronized List<PaymentRequest> claimAbandonedHolds(Instant recordedBefore, int limit) {
    requireNonNull(recordedBefore, "recordedBefore");
    AuditTrail.requireBatchLimit(limit);
    List<PaymentRequest> abandoned = new ArrayList<>();
    for (Hold hold : pendingHolds.values()) {
      if (abandoned.size() == limit) {
        break;
      }
      if (hold.status == HoldStatus.ABANDONED
          || hold.status == HoldStatus.HELD && hold.recordedAt.isBefore(recordedBefore)) {
        hold.status = HoldStatus.ABANDONED;
        abandoned.add(hold.secure);
      }
    }
    return abandoned;
  }

  @Override
  public synchronized void markHoldReleased(PaymentRequest secure) {
    requireNonNull(secure, "secure");
    Hold hold = pendingHolds.remove(secure.idempotencyKey());
    if (hold != null) {
      hold.status = HoldStatus.RELEASED;
    }
  }

  @Override
  public List<AuditEntry> history(String bookingId) {
    requireNonNull(bookingId, "bookingId");
    AuditEntry[] entries = histories.get(bookingId);
    return entries == null ? List.of() : List.of(entries);
  }

  @Override
  public Optional<AuditEntry> latest(String bookingId) {
    requireNonNull(bookingId, "bookingId");
    AuditEntry[] entries = histories.get(bookingId);
    return entries == null ? Optional.empty() : Optional.of(entries[entries.length - 1]);
  }

  @Override
  public Map<WorkflowVersion, Long> workflowVersionsInUse(WorkflowVersion unpinnedAs) {
    requireNonNull(unpinnedAs, "unpinnedAs");
    Map<WorkflowVersion, Long> counts = new TreeMap<>(
        Comparator.comparing(WorkflowVersion::name).thenComparingInt(WorkflowVersion::number));
    for (AuditEntry[] entries : histories.values()) {
      WorkflowVersion pinned = entries[entries.length - 1].workflowVersion();
      counts.merge(pinned == null ? unpinnedAs : pinned, 1L, Long::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  @Override
  public List<AuditEntry> findPinnedTo(WorkflowVersion version, WorkflowVersion unpinnedAs, String afterBookingId,
      int limit) {
    requireNonNull(version, "version");
    requireNonNull(unpinnedAs, "unpinnedAs");
    AuditTrail.requireBatchLimit(limit);
    return histories.values().stream()
        .map(entries -> entries[entries.length - 1])
        .filter(latest -> version.equals(Objects.requireNonNullElse(latest.workflowVersion(), unpinnedAs)))
        .filter(latest -> afterBookingId == null || latest.bookingId().compareTo(afterBookingId) > 0)
        .sorted(Comparator.comparing(AuditEntry::bookingId))
        .limit(limit)
        .toList();
  }

  @Override
  public List<BookingTimes> findTimerCandidates(BookingState state, Timepoint timepoint, Instant from,
      String afterBookingId, Instant to, int limit) {
    requireNonNull(state, "state");
    requireNonNull(timepoint, "timepoint");
    requireNonNull(to, "to");
    AuditTrail.requireBatchLimit(limit);
    requireArgument(afterBookingId == null || from != null, "afterBookingId needs from");
    Comparator<BookingTimes> order = Comparator.comparing((BookingTimes times) -> times.at(timepoint))
        .thenComparing(times -> times.latest().bookingId());
    return histories.values().stream()
        .filter(entries -> entries[entries.length - 1].toState().equals(state))
        .map(entries -> new BookingTimes(entries[entries.length - 1], entries[0].occurredAt()))
        .filter(times -> {
          Instant value = times.at(timepoint);
          if (value == null || value.isAfter(to)) {
            return false;
          }
          int sinceFrom = from == null ? 1 : value.compareTo(from);
          return sinceFrom > 0
              || (sinceFrom == 0 && (afterBookingId == null || times.latest().bookingId().compareTo(afterBookingId) > 0));
        })
        .sorted(order)
        .limit(limit)
        .toList();
  }

  @Override
  public Optional<Instant> timerSweptTo(String timer) {
    return Optional.ofNullable(sweptTo.get(requireTimerKey(timer)));
  }

  @Override
  public void advanceTimerSweep(String timer, Instant to) {
    requireNonNull(to, "sweptTo");
    sweptTo.merge(requireTimerKey(timer), to, (old, proposed) -> proposed.isAfter(old) ? proposed : old);
  }

  private static String requireTimerKey(String timer) {
    requireNonNull(timer, "timer");
    requireArgument(!timer.isEmpty() && timer.length() <= 64, "a timer key is 1 to 64 characters but was '%s'",
        timer);
    return timer;
  }

  @Override
  public synchronized boolean scheduleDelivery(String consumer, String bookingId, long sequence, Instant dueAt) {
    requireArgument(AuditTrail.isScheduledConsumer(consumer), "'%s' is not a scheduled consumer", consumer);
    AuditTrail.requireConsumerName(consumer);
    requireNonNull(bookingId, "bookingId");
    requireNonNull(dueAt, "dueAt");
    // Scheduled deliveries are rare (failed timers, reminders), so the change is looked for from the end.
    int position = feedSize;
    while (position > 0 && !(feedEntries[position - 1].sequence() == sequence
        && feedEntries[position - 1].bookingId().equals(bookingId))) {
      position--;
    }
    requireArgument(position > 0, "no change %s:%d is recorded", bookingId, sequence);
    TreeMap<Long, DeliveryState> states = deliveries.computeIfAbsent(consumer, name -> new TreeMap<>());
    if (states.containsKey((long) position)) {
      return false;
    }
    DeliveryState state = new DeliveryState(feedChange(position));
    state.dueAt = dueAt;
    states.put((long) position, state);
    return true;
  }

  @Override
  public synchronized ChangePage changesSince(ChangeCursor after, int limit) {
    requireNonNull(after, "after");
    AuditTrail.requireBatchLimit(limit);
    int from = (int) Math.min(after.position(), feedSize);
    List<FeedChange> changes = new ArrayList<>();
    for (int position = from + 1; position <= Math.min(feedSize, from + limit); position++) {
      changes.add(feedChange(position));
    }
    return new ChangePage(changes, changes.isEmpty() ? after : changes.get(changes.size() - 1).cursor());
  }

  @Override
  public synchronized void registerConsumer(String consumer) {
    AuditTrail.requireConsumerName(consumer);
    requireArgument(!Delivery.SETTLEMENT.equals(consumer), "'%s' is the built-in settlement consumer",
        consumer);
    requireArgument(!AuditTrail.isScheduledConsumer(consumer), "'%s' is the name of a scheduled consumer",
        consumer);
    deliveries.putIfAbsent(consumer, new TreeMap<>());
    othersRegistered = true;
  }

  @Override
  public synchronized List<Delivery> claimDue(String consumer, Instant now, Instant leaseUntil, int limit) {
    requireNonNull(now, "now");
    requireNonNull(leaseUntil, "leaseUntil");
    AuditTrail.requireBatchLimit(limit);
    List<Delivery> claimed = new ArrayList<>();
    for (DeliveryState state : registered(consumer).values()) {
      if (claimed.size() == limit) {
        break;
      }
      if (state.status == Status.PENDING && !state.dueAt.isAfter(now)) {
        state.dueAt = leaseUntil;
        claimed.add(state.toDelivery(consumer));
      }
    }
    return claimed;
  }

  @Override
  public synchronized boolean markDelivered(Delivery delivery) {
    DeliveryState state = stateOf(delivery);
    if (state == null || state.status == Status.DONE) {
      return false;
    }
    state.status = Status.DONE;
    return true;
  }

  @Override
  public synchronized void markFailed(Delivery delivery, String error, Instant retryAt) {
    requireNonNull(error, "error");
    DeliveryState state = stateOf(delivery);
    if (state == null || state.status == Status.DONE) {
      return;
    }
    state.failedAttempts = delivery.failedAttempts() + 1;
    state.lastError = error.length() <= limits.maxTextLength() ? error : error.substring(0, limits.maxTextLength());
    if (retryAt == null) {
      state.status = Status.DEAD;
    } else {
      state.dueAt = retryAt;
    }
  }

  @Override
  public synchronized List<Delivery> deadLetters(String consumer, int limit) {
    AuditTrail.requireBatchLimit(limit);
    return registered(consumer).values().stream().filter(state -> state.status == Status.DEAD).limit(limit)
        .map(state -> state.toDelivery(consumer)).toList();
  }

  @Override
  public synchronized long deadLetterCount(String consumer) {
    requireNonNull(consumer, "consumer");
    TreeMap<Long, DeliveryState> states = deliveries.get(consumer);
    return states == null ? 0 : states.values().stream().filter(state -> state.status == Status.DEAD).count();
  }

  @Override
  public synchronized boolean resubmit(String consumer, String bookingId, long sequence, Instant now) {
    requireNonNull(consumer, "consumer");
    requireNonNull(bookingId, "bookingId");
    requireNonNull(now, "now");
    TreeMap<Long, DeliveryState> states = deliveries.get(consumer);
    if (states == null) {
      return false;
    }
    for (DeliveryState state : states.values()) {
      if (state.status == Status.DEAD && state.change.sequence() == sequence
          && state.change.bookingId().equals(bookingId)) {
        state.status = Status.PENDING;
        state.failedAttempts = 0;
        state.dueAt = now;
        return true;
      }
    }
    return false;
  }

  private FeedChange feedChange(int position) {
    return new FeedChange(ChangeCursor.afterPosition(position), feedEntries[position - 1], feedMoments[position - 1]);
  }

  private TreeMap<Long, DeliveryState> registered(String consumer) {
    requireNonNull(consumer, "consumer");
    TreeMap<Long, DeliveryState> states = AuditTrail.isScheduledConsumer(consumer)
        ? deliveries.computeIfAbsent(consumer, name -> new TreeMap<>()) : deliveries.get(consumer);
    requireArgument(states != null, "consumer '%s' is not registered", consumer);
    return states;
  }

  private DeliveryState stateOf(Delivery delivery) {
    requireNonNull(delivery, "delivery");
    TreeMap<Long, DeliveryState> states = deliveries.get(delivery.consumer());
    return states == null ? null : states.get(delivery.change().cursor().position());
  }

  private enum Status { PENDING, DONE, DEAD }

  /** A hold recorded before securing; guarded by the trail's lock. */
  private static final class Hold {
    final PaymentRequest secure;
    final Instant recordedAt;
    HoldStatus status = HoldStatus.HELD;

    Hold(PaymentRequest secure, Instant recordedAt) {
      this.secure = secure;
      this.recordedAt = recordedAt;
    }
  }

  /** One consumer's delivery of one change; guarded by the trail's lock. */
  private static final class DeliveryState {
    final FeedChange change;
    Status status = Status.PENDING;
    int failedAttempts;
    String lastError;
    Instant dueAt = Instant.MIN;

    DeliveryState(FeedChange change) {
      this.change = change;
    }

    Delivery toDelivery(String consumer) {
      return new Delivery(consumer, change, failedAttempts, lastError);
    }
  }
}
