package com.gigsta.booking;

/**
 * Told about every change after it has been recorded, e.g. to send emails or push notifications.
 * Implementations must be thread-safe: the engine calls them from whichever thread made the change.
 *
 * <p>A listener that throws does not undo the change; the engine logs the failure and calls the next
 * listener.
 */
@FunctionalInterface
public interface BookingListener {

  /**
   * Called once per recorded change, creation included, after the audit entry is stored.
   *
   * @param change the booking after the change and the entry recorded
   */
  void onChange(BookingChange change);
}
