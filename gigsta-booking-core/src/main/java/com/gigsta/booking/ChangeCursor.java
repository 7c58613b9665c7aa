package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * A place in a trail's change feed: {@link com.gigsta.booking.spi.AuditTrail#changesSince} returns the
 * changes after it and the cursor to pass next. Immutable and thread-safe.
 *
 * <p>Consumers treat a cursor as opaque: store {@link #toString()} and restore it with
 * {@link #parse(String)}. A cursor stays valid for as long as the trail's changes are kept: feed
 * positions are never reused or renumbered. Only trail implementations read {@link #position()}.
 */
public final class ChangeCursor implements Comparable<ChangeCursor> {

  private static final String PREFIX = "feed:";
  private static final ChangeCursor START = new ChangeCursor(0);

  private final long position;

  private ChangeCursor(long position) {
    this.position = position;
  }

  /**
   * Returns the cursor before the first change a trail's feed holds.
   *
   * @return the cursor at the start of the feed
   */
  public static ChangeCursor start() {
    return START;
  }

  /**
   * Returns the cursor just after the change at the given feed position; for trail implementations.
   *
   * @param position a feed position, 0 for the start
   * @return the cursor after that position
   * @throws IllegalArgumentException if the position is negative
   */
  public static ChangeCursor afterPosition(long position) {
    requireArgument(position >= 0, "a feed position must not be negative but was %d", position);
    return position == 0 ? START : new ChangeCursor(position);
  }

  /**
   * Reads a cursor from what {@link #toString()} returned.
   *
   * @param text a cursor's text form
   * @return the cursor
   * @throws IllegalArgumentException if the text is not a cursor's text form
   * @throws NullPointerException if the text is null
   */
  public static ChangeCursor parse(String text) {
    requireNonNull(text, "text");
    long position = -1;
    if (text.startsWith(PREFIX) && text.length() > PREFIX.length() && text.length() <= PREFIX.length() + 19
        && text.substring(PREFIX.length()).chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        position = Long.parseLong(text.substring(PREFIX.length()));
      } catch (NumberFormatException e) {
        position = -1;
      }
    }
    requireArgument(position >= 0, "'%s' is not a change cursor", text);
    return afterPosition(position);
  }

  /**
   * Returns the feed position of the last change before this cursor, 0 at the start; for trail
   * implementations.
   *
   * @return the position the next change must exceed
   */
  public long position() {
    return position;
  }

  @Override
  public int compareTo(ChangeCursor other) {
    return Long.compare(position, other.position);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChangeCursor cursor && cursor.position == position;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(position);
  }

  /** Returns the text form that {@link #parse(String)} reads back. */
  @Override
  public String toString() {
    return PREFIX + position;
  }
}
