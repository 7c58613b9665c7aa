package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.AuditTrail;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Places committed changes in the feed and creates the deliveries they owe. Immutable and thread-safe;
 * any number of sequencers, in any number of processes, may run at once on the same tables.
 *
 * <p>One run is one or more short READ COMMITTED transactions, each of which locks the feed head row,
 * reads up to {@value #BATCH} changes that have no position yet in booking and sequence order, gives them
 * the positions after the head's in that order, inserts one pending delivery per registered consumer and
 * change (to the settlement consumer only for a change that settles after recording: the capture of a
 * charge, a release, refund, capture or payout; never to a scheduled consumer, see
 * {@link AuditTrail#isScheduledConsumer}), advances the head and commits. Only committed
 * changes are visible to it, and positions are given only under the head's lock, in increasing order: a
 * change committed late, for instance by a long host transaction, gets a later position than those
 * already given, so a reader that has read up to some position never misses a change placed after it. A
 * booking's changes are placed in sequence order, since a later one is only ever committed with or after
 * an earlier one.
 */
public final class Sequencer {

  /** The most changes placed in one transaction. */
  public static final int BATCH = 1_000;

  private final ChangeTable changes;
  private final FeedHead head;
  private final ConsumerTable consumers;
  private final DeliveryTable deliveries;

  /**
   * Creates a sequencer over the feed's tables.
   *
   * @param changes the change table
   * @param head the feed head
   * @param consumers the consumer table
   * @param deliveries the delivery table
   */
  public Sequencer(ChangeTable changes, FeedHead head, ConsumerTable consumers, DeliveryTable deliveries) {
    this.changes = changes;
    this.head = head;
    this.consumers = consumers;
    this.deliveries = deliveries;
  }

  /**
   * Places every change committed and not yet placed. Costs one indexed read when there is none.
   *
   * @param connection a connection of the trail's own; its auto-commit mode and isolation are restored
   * @throws SQLException if the database fails; batches committed before stay placed
   */
  public void run(Connection connection) throws SQLException {
    boolean any = changes.hasUnplaced(connection);
    Transactions.endReads(connection);
    if (!any) {
      return;
    }
    while (Transactions.readCommitted(connection, this::placeBatch) == BATCH) {
      // A full batch: more may be waiting.
    }
  }

  /**
   * Registers a consumer unless it is registered. Under the feed head's lock, every change committed
   * before is placed first, owed to the consumers registered before; every change placed after this
   * returns is owed to the new consumer too.
   *
   * @param connection a connection of the trail's own
   * @param consumer the consumer's name
   * @param now when it registers
   * @return true if this call registered it
   * @throws SQLException if the database fails
   */
  public boolean register(Connection connection, String consumer, Instant now) throws SQLException {
    // Most of a backlog is placed in batches of their own first, so the registering transaction stays short.
    run(connection);
    return Transactions.readCommitted(connection, tx -> {
      long last = head.lock(tx);
      for (int placed = place(tx, last); placed > 0; placed = place(tx, last)) {
        last += placed;
      }
      if (consumers.exists(tx, consumer)) {
        return false;
      }
      consumers.insert(tx, consumer, now);
      return true;
    });
  }

  /**
   * Places a change recorded before the feed's tables existed, which has no change row, so that a
   * delivery can be scheduled for it. Under the feed head's lock it gets the next position and a change
   * row that owes the payment provider nothing; no consumer is owed it, as none was when it was recorded.
   *
   * @param connection a connection of the trail's own
   * @param bookingId the change's booking, whose audit row the caller found
   * @param sequence the change's sequence
   * @return true if this call placed it; false if it had a change row by then
   * @throws SQLException if the database fails
   */
  public boolean placeRecordedBefore(Connection connection, String bookingId, long sequence) throws SQLException {
    return Transactions.readCommitted(connection, tx -> {
      long last = head.lock(tx);
      if (changes.position(tx, bookingId, sequence).isPresent()) {
        return false;
      }
      changes.insertPlaced(tx, bookingId, sequence, PaymentMoment.NONE, last + 1);
      head.advance(tx, last, last + 1);
      return true;
    });
  }

  private int placeBatch(Connection connection) throws SQLException {
    return place(connection, head.lock(connection));
  }

  // Places up to BATCH unplaced changes after the position last given and advances the head, which the
  // transaction holds locked; returns how many positions it gave.
  private int place(Connection connection, long last) throws SQLException {
    List<ChangeTable.Unplaced> batch = changes.unplaced(connection, BATCH);
    if (batch.isEmpty()) {
      return 0;
    }
    Map<String, Boolean> registered = consumers.all(connection);
    boolean[] placed = changes.place(connection, batch, last + 1);
    List<DeliveryTable.Owed> owed = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (!placed[i]) {
        continue;
      }
      ChangeTable.Unplaced change = batch.get(i);
      boolean settles = settles(change.paymentMoment());
      for (Map.Entry<String, Boolean> consumer : registered.entrySet()) {
        // A scheduled consumer's name, registered before it was reserved, is owed only what is scheduled.
        if (AuditTrail.isScheduledConsumer(consumer.getKey())) {
          continue;
        }
        if (settles || !consumer.getValue()) {
          owed.add(new DeliveryTable.Owed(consumer.getKey(), last + 1 + i, change.bookingId(), change.sequence()));
        }
      }
    }
    deliveries.insert(connection, owed);
    head.advance(connection, last, last + batch.size());
    return batch.size();
  }

  // Compared by name: a moment edited into something unknown owes no settlement here, and reading the
  // change reports it.
  private static boolean settles(String paymentMoment) {
    for (PaymentMoment moment : PaymentMoment.values()) {
      if (moment.name().equals(paymentMoment)) {
        return moment.settlesAfterRecording();
      }
    }
    return false;
  }
}
