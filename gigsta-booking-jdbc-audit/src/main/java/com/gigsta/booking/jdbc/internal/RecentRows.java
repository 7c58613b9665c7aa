package com.gigsta.booking.jdbc.internal;

import static com.gigsta.booking.internal.Preconditions.requireArgument;

import com.gigsta.booking.AuditEntry;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest committed row this process wrote, or read outside a host's transaction, for recently used
 * bookings, so that an append continuing such a row need not read it (again). Bounded to a fixed number of slots, one row per slot, a later row
 * displacing any earlier one in its slot; thread-safe without locks.
 *
 * <p>Safe because rows are immutable: a remembered row is still the booking's row at its sequence, and
 * it is handed out only to the entry with the next sequence. If another writer has stored that next
 * sequence meanwhile, the primary key refuses the insert exactly as it would after a fresh read.
 * Only committed rows may be remembered; a row of the host's transaction may still be rolled back.
 */
public final class RecentRows {

  private final AtomicReferenceArray<StoredRow> slots;
  private final int mask;

  /**
   * Creates an empty memory of {@code slots} rows.
   *
   * @param slots a power of two, at least 1
   */
  public RecentRows(int slots) {
    requireArgument(slots >= 1 && Integer.bitCount(slots) == 1, "slots must be a power of two but was %d", slots);
    this.slots = new AtomicReferenceArray<>(slots);
    this.mask = slots - 1;
  }

  /**
   * Remembers a row known to be committed.
   *
   * @param row the row, displacing whatever its slot held
   */
  public void remember(StoredRow row) {
    slots.set(slot(row.entry().bookingId()), row);
  }

  /**
   * Returns the remembered row that {@code entry} would directly follow: the same booking at sequence
   * {@code entry.sequence() - 1}; otherwise {@code null}, and the caller reads the latest row.
   *
   * @param entry the entry about to be appended
   * @return the row it directly follows, or {@code null} if none is remembered
   */
  public StoredRow predecessorOf(AuditEntry entry) {
    StoredRow row = slots.get(slot(entry.bookingId()));
    if (row != null && row.entry().sequence() == entry.sequence() - 1
        && row.entry().bookingId().equals(entry.bookingId())) {
      return row;
    }
    return null;
  }

  private int slot(String bookingId) {
    int hash = bookingId.hashCode();
    return (hash ^ (hash >>> 16)) & mask;
  }
}
