package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.ChangeConsumer;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.Reminder;
import com.gigsta.booking.ReminderConsumer;
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
 * recognised by its booking and sequence and not told twice.
 *
 * <p>It also sends the workflow's reminders, such as the one that tells a GigSta a request expires in 24
 * hours, the same way: one message to the reminder's recipient, kept with the others, its action name
 * being the reminder's name. The worker delivers each reminder at least once too; a repeat is recognised
 * by its booking, version and name. Thread-safe.
 */
public final class Notifications implements ChangeConsumer, ReminderConsumer {

  /** The consumer's durable name. */
  public static final String CONSUMER = "notifications";

  /** Who a reminder meant for operators is addressed to. */
  static final String OPERATORS = "operators";

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
    keep(entry.bookingId(), entry.sequence(), entry.actionName(), messages);
  }

  /**
   * Sends a reminder to its recipient: the booking's customer or GigSta, or every operator (who see every
   * message anyway).
   */
  @Override
  public void remind(Reminder reminder) {
    Booking booking = reminder.booking();
    String name = reminder.reminder().name();
    String to = switch (reminder.reminder().recipient()) {
      case CUSTOMER -> booking.customerId();
      case GIGSTA -> booking.gigstaId();
      default -> OPERATORS;
    };
    keep(booking.id(), booking.version(), name, List.of(new Notification(to, booking.id(), booking.version(), name,
        reminder.reminder().note(), reminder.dueAt().toString())));
  }

  // A change and the reminders sent at its version share booking and sequence; the action name tells them apart.
  private void keep(String bookingId, long sequence, String actionName, List<Notification> messages) {
    synchronized (kept) {
      if (kept.stream().anyMatch(old -> old.bookingId().equals(bookingId) && old.sequence() == sequence
          && old.actionName().equals(actionName))) {
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
