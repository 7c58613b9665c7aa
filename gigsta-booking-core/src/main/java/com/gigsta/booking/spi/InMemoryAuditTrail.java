package com.gigsta.booking.spi;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An audit trail held in this JVM's memory, for tests, demos and single-instance hosts that keep
 * history elsewhere. Thread-safe; entries are lost when the JVM stops.
 *
 * <p>It stores what its {@link BookingLimits} allow: by default ({@link BookingLimits#defaults()}) any
 * instant to the nanosecond. Give it a database's limits, such as the JDBC trail's microseconds and
 * years 1000 to 9999, to have tests refuse and truncate exactly as production will.
 */
public final class InMemoryAuditTrail implements AuditTrail {

  private final BookingLimits limits;
  // Each booking's entries as an array never changed once published: an append replaces it with a longer
  // copy, so readers take no lock.
  private final ConcurrentHashMap<String, AuditEntry[]> histories = new ConcurrentHashMap<>();

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
  }

  @Override
  public BookingLimits limits() {
    return limits;
  }

  @Override
  public void append(AuditEntry entry) {
    requireNonNull(entry, "entry");
    limits.check(entry);
    if (entry.sequence() == 1 && histories.putIfAbsent(entry.bookingId(), new AuditEntry[] {entry}) == null) {
      return;
    }
    AuditEntry[] current = histories.get(entry.bookingId());
    // Compare-and-set: a longer copy replaces the array only if no other append replaced it first; the
    // loser reads the new latest entry, which its entry no longer continues, and is refused.
    while (true) {
      AuditTrail.requireContinuation(current == null ? null : current[current.length - 1], entry);
      AuditEntry[] longer = Arrays.copyOf(current, current.length + 1);
      longer[current.length] = entry;
      if (histories.replace(entry.bookingId(), current, longer)) {
        return;
      }
      current = histories.get(entry.bookingId());
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
  public List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom, Instant changedBefore,
      int limit) {
    requireNonNull(state, "state");
    requireNonNull(changedBefore, "changedBefore");
    requireArgument(limit >= 0, "limit must not be negative but was %d", limit);
    return histories.values().stream()
        .map(entries -> entries[entries.length - 1])
        .filter(latest -> latest.toState().equals(state) && latest.occurredAt().isBefore(changedBefore)
            && (changedFrom == null || !latest.occurredAt().isBefore(changedFrom)))
        .sorted(Comparator.comparing(AuditEntry::occurredAt).thenComparing(AuditEntry::bookingId))
        .limit(limit)
        .toList();
  }
}
