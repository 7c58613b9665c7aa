package com.gigsta.booking;

/**
 * A durable consumer of recorded changes, e.g. one that sends emails or push messages, run by a
 * {@code DeliveryWorker}. Implementations must be thread-safe: several workers, in one process or many,
 * may deliver at the same time.
 *
 * <p>Delivery is at least once: after a crash or a lost acknowledgement the same change comes again, so
 * deduplicate on {@link FeedChange#bookingId()} and {@link FeedChange#sequence()} where a repeat matters.
 */
@FunctionalInterface
public interface ChangeConsumer {

  /**
   * Handles one change; returning normally marks it delivered, throwing anything schedules a retry.
   *
   * @param change the change
   * @throws Exception to have the delivery retried later, or dead-lettered after the last attempt
   */
  void deliver(FeedChange change) throws Exception;
}
