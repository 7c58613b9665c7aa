package com.gigsta.booking.internal;

/**
 * Remembers, by identity, strings that recently passed one check, so that the same instance is not
 * checked again. Thread-safe without locks.
 *
 * <p>A change copies its booking's ids, and its rule's action name and note, into an entry and a new
 * snapshot, each of which checks them on construction; without this, one change checks the same few
 * strings up to three times. Strings are immutable, so an instance that passed once passes forever, and
 * only instances that passed are ever stored. Slots are plain array elements written without
 * synchronization: a reader may see an older string or none (and then checks again), but never a string
 * that did not pass, because no such string is ever written.
 */
final class CheckedStrings {

  private static final int SLOTS = 1024;
  // Longer strings are checked every time rather than kept alive here.
  private static final int LONGEST_REMEMBERED = 256;

  private final String[] slots = new String[SLOTS];

  /** Returns true if this very instance passed the check recently. */
  boolean contains(String value) {
    return slots[value.hashCode() & (SLOTS - 1)] == value;
  }

  /** Remembers an instance that passed the check. */
  void add(String value) {
    if (value.length() <= LONGEST_REMEMBERED) {
      slots[value.hashCode() & (SLOTS - 1)] = value;
    }
  }
}
