package com.gigsta.booking.spi;

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
 */
public final class InMemoryAuditTrail implements AuditTrail {

  private final BookingLimits limits;
  // Each booking's history is an immutable array replaced on append, so readers never lock.
  private final ConcurrentHashMap<String, AuditEntry[]> histories = new ConcurrentHashMap<>();

  /** Creates an empty trail with the default limits. */
  public InMemoryAuditTrail() {
    this(BookingLimits.defaults());
  }

  /** Creates an empty trail that refuses entries over the given limits. */
  public InMemoryAuditTrail(BookingLimits limits) {
    this.limits = limits;
  }

  @Override
  public void append(AuditEntry entry) {
    limits.check(entry);
    histories.compute(entry.bookingId(), (id, history) -> {
      AuditTrail.requireContinuation(history == null ? null : history[history.length - 1], entry);
      AuditEntry[] next = history == null ? new AuditEntry[1] : Arrays.copyOf(history, history.length + 1);
      next[next.length - 1] = entry;
      return next;
    });
  }

  @Override
  public List<AuditEntry> history(String bookingId) {
    AuditEntry[] history = histories.get(bookingId);
    return history == null ? List.of() : List.of(history);
  }

  @Override
  public Optional<AuditEntry> latest(String bookingId) {
    AuditEntry[] history = histories.get(bookingId);
    return history == null ? Optional.empty() : Optional.of(history[history.length - 1]);
  }

  @Override
  public List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom, Instant changedBefore,
      int limit) {
    return histories.values().stream()
        .map(history -> history[history.length - 1])
        .filter(latest -> latest.toState() == state && latest.occurredAt().isBefore(changedBefore)
            && (changedFrom == null || !latest.occurredAt().isBefore(changedFrom)))
        .sorted(Comparator.comparing(AuditEntry::occurredAt).thenComparing(AuditEntry::bookingId))
        .limit(limit)
        .toList();
  }
}
