package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.util.List;

/**
 * A run of consecutive changes from a trail's feed and the cursor to read on from. Immutable and
 * thread-safe.
 *
 * @param changes the changes, in feed order; empty when nothing new was recorded
 * @param next the cursor to pass to the next call: after the last change returned, or the cursor given
 *     when none was
 */
public record ChangePage(List<FeedChange> changes, ChangeCursor next) {

  /**
   * Copies the list so the page stays immutable.
   *
   * @param changes the changes, in feed order
   * @param next the cursor to read on from
   * @throws NullPointerException if a part is null
   */
  public ChangePage {
    changes = List.copyOf(requireNonNull(changes, "changes"));
    requireNonNull(next, "next");
  }
}
