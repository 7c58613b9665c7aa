package com.gigsta.booking;

import java.time.Clock;

/**
 * An extra condition on a workflow rule, evaluated the same way when listing actions and when
 * performing one. Implementations must be pure and thread-safe: no I/O, same answer for the same
 * inputs and clock.
 */
@FunctionalInterface
public interface Guard {

  /**
   * Returns true when the actor may take the rule's action on this booking now.
   *
   * @param booking the booking as the caller sees it
   * @param actor who wants to act
   * @param clock the engine's clock; read the time from it, never from the system
   * @return true to allow the action; false refuses it and leaves it unlisted
   */
  boolean allows(Booking booking, Actor actor, Clock clock);
}
