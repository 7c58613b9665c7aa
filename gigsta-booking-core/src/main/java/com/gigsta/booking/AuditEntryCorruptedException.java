package com.gigsta.booking;

/**
 * Thrown when a stored audit entry cannot be read back as an entry, for example because a row was edited
 * by hand: an unknown role, an empty note, a state or action name of the wrong form. The stored data is
 * at fault, not the caller; nothing is repaired or guessed. Use the trail's own verification (for the JDBC
 * trail, {@code JdbcAuditTrail.verify}) to find what changed.
 */
public class AuditEntryCorruptedException extends AuditTrailException {

  private static final long serialVersionUID = 1L;

  private final long sequence;

  /**
   * Creates the exception.
   *
   * @param bookingId the booking whose entry is unreadable
   * @param sequence the sequence of the unreadable entry, as stored
   * @param detail what is wrong with it
   * @param cause the failure that reading it raised, or {@code null}
   */
  public AuditEntryCorruptedException(String bookingId, long sequence, String detail, Throwable cause) {
    super("read", bookingId, "the stored entry at sequence " + sequence + " is corrupted: " + detail, cause);
    this.sequence = sequence;
  }

  /**
   * Returns the sequence of the unreadable entry, as stored.
   *
   * @return the unreadable entry's sequence, as stored
   */
  public long sequence() {
    return sequence;
  }
}
