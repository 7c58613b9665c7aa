package com.gigsta.booking.spi;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
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
  private final ConcurrentHashMap<String, History> histories = new ConcurrentHashMap<>();

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
    History history;
    if (entry.sequence() == 1) {
      history = histories.putIfAbsent(entry.bookingId(), new History(entry));
      if (history == null) {
        return;
      }
    } else {
      history = histories.get(entry.bookingId());
      if (history == null) {
        AuditTrail.requireContinuation(null, entry); // always throws: a later sequence with nothing before it
      }
    }
    // Written out here rather than as a method of History: this is the deepest point of perform's calls,
    // and one level less keeps the compare-and-set within the JIT's inlining depth.
    AuditEntry[] current;
    AuditEntry[] next;
    do {
      current = history.entries;
      // Refuses the entry unless it continues the latest one; a second creation always fails here.
      AuditTrail.requireContinuation(current[current.length - 1], entry);
      next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = entry;
    } while (!History.ENTRIES.compareAndSet(history, current, next));
  }

  @Override
  public List<AuditEntry> history(String bookingId) {
    History history = histories.get(bookingId);
    return history == null ? List.of() : history.entries();
  }

  @Override
  public Optional<AuditEntry> latest(String bookingId) {
    History history = histories.get(bookingId);
    return history == null ? Optional.empty() : Optional.of(history.latest());
  }

  @Override
  public List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom, Instant changedBefore,
      int limit) {
    return histories.values().stream()
        .map(History::latest)
        .filter(latest -> latest.toState() == state && latest.occurredAt().isBefore(changedBefore)
            && (changedFrom == null || !latest.occurredAt().isBefore(changedFrom)))
        .sorted(Comparator.comparing(AuditEntry::occurredAt).thenComparing(AuditEntry::bookingId))
        .limit(limit)
        .toList();
  }

  /**
   * One booking's entries as an array that is never changed once published: an append publishes a
   * longer copy with a compare-and-set, so readers take no lock and two appends of the same sequence
   * cannot both succeed.
   */
  private static final class History {
    private static final VarHandle ENTRIES;

    static {
      try {
        ENTRIES = MethodHandles.lookup().findVarHandle(History.class, "entries", AuditEntry[].class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile AuditEntry[] entries;

    History(AuditEntry creation) {
      entries = new AuditEntry[] {creation};
    }

    AuditEntry latest() {
      AuditEntry[] current = entries;
      return current[current.length - 1];
    }

    List<AuditEntry> entries() {
      return Collections.unmodifiableList(Arrays.asList(entries));
    }
  }
}
