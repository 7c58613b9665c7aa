package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.ChangeConsumer;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's durable consumer {@value #CONSUMER}: tells the other party of every recorded change what
 * happened, the way an email or push sender would, except that it only logs the message and keeps the
 * last ones for the page. The {@link com.gigsta.booking.DeliveryWorker} delivers every change to it at
 * least once, also after a restart; a change delivered again while its messages are still kept is
 * recognised by its booking and sequence and not told twice. Thread-safe.
 */
public final class Notifications implements ChangeConsumer {

  /** The consumer's durable name. */
  public static final String CONSUMER = "notifications";

  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  private final int capacity;
  // Newest first; guarded by itself.
  private final Deque<Notification> kept = new ArrayDeque<>();

  /**
   * Creates the consumer.
   *
   * @param capacity how many messages to keep for the page
   */
  public Notifications(int capacity) {
    this.capacity = capacity;
  }

  /** One message to one person about one change. */
  public record Notification(
      @JsonProperty("to") String to,
      @JsonProperty("booking_id") String bookingId,
      @JsonProperty("sequence") long sequence,
      @JsonProperty("action_name") String actionName,
      @JsonProperty("text") String text,
      @JsonProperty("at") String at) {}

  @Override
  public void deliver(FeedChange change) {
    AuditEntry entry = change.entry();
    List<Notification> messages = new ArrayList<>();
    for (String party : List.of(entry.customerId(), entry.gigstaId())) {
      if (!isActor(entry, party)) {
        messages.add(new Notification(party, entry.bookingId(), entry.sequence(), entry.actionName(), text(entry),
            entry.occurredAtIso()));
      }
    }
    synchronized (kept) {
      if (kept.stream().anyMatch(old -> old.bookingId().equals(entry.bookingId())
          && old.sequence() == entry.sequence())) {
        // Delivered before (a worker died or lost its lease before marking it done): told already.
        return;
      }
      for (Notification message : messages) {
        LOG.info("notify {}: {} (booking {})", message.to(), message.text(), message.bookingId());
        kept.addFirst(message);
      }
      while (kept.size() > capacity) {
        kept.removeLast();
      }
    }
  }

  /**
   * Returns the kept messages for the actor, newest first: their own, or every one for an operator.
   *
   * @param actor who asks
   * @return the messages
   */
  public List<Notification> of(Actor actor) {
    synchronized (kept) {
      return kept.stream().filter(message -> actor.role() == Role.OPERATOR || message.to().equals(actor.id()))
          .toList();
    }
  }

  private static boolean isActor(AuditEntry entry, String party) {
    return entry.actorId().equals(party) && entry.actorRole() != Role.SYSTEM;
  }

  private static String text(AuditEntry entry) {
    String who = entry.actorRole() == Role.SYSTEM ? "" : " (" + DemoUsers.displayName(entry.actorId()) + ")";
    return entry.note() + who + (entry.reason() == null ? "" : ": \u201c" + entry.reason() + "\u201d");
  }
}
