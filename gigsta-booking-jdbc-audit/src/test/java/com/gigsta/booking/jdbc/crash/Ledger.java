package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.Delivery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a run left in the database, read back table by table and checked against itself: what the
 * recorded changes owe (from the audit and change tables), what the provider did (its key table and
 * call log), what the consumer was given, and the trail's own delivery rows.
 *
 * <p>A settlement is <b>owed</b> by every change whose payment moment settles after recording: RELEASE,
 * REFUND, CAPTURE and PAYOUT are owed as themselves, CHARGE as the CAPTURE of what was secured. It is
 * <b>delivered</b> when the provider holds exactly one key for that booking, sequence and call, the key
 * is the one the change's request carries (attempt 1), and exactly one call with it took effect;
 * <b>lost</b> when the provider holds no key for it; <b>doubled</b> when it holds more than one key, or
 * a key took effect more than once. A change is <b>seen</b> when the consumer recorded it at least once.
 */
public final class Ledger {

  // The change moments that owe a settlement, and the calls that settle them.
  private static final Map<String, String> SETTLEMENTS = Map.of("RELEASE", "RELEASE", "REFUND", "REFUND",
      "CAPTURE", "CAPTURE", "PAYOUT", "PAYOUT", "CHARGE", "CAPTURE");
  private static final Set<String> SECURED_BEFORE_RECORDING = Set.of("SECURE", "CHARGE");
  private static final int SHOWN = 20;

  int auditRows;
  int changes;
  public int owed;
  int delivered;
  public int lost;
  public int doubled;
  int seen;
  long repeats;
  public int unseen;
  /** Payments secured for a change that was never recorded and not released: a hold lost. */
  public int holdsNotReleased;
  /** Payments secured for a change that was never recorded and released, by the engine or the worker. */
  int holdsReleased;
  int providerCalls;
  int providerRepeats;
  int providerRefusals;
  int pendingDeliveries;
  int deadDeliveries;
  int doneDeliveries;
  /** Deliveries to {@link Delivery#TIMERS}: timed rules handed over to be taken by the delivery machinery. */
  int timerRetries;
  long feedMax;
  int feedGaps;
  /** Changes a killed child had seen recorded, and how many of them the trail lacks. */
  int recordedBeforeKills;
  public int recordedLost;
  public final List<String> anomalies = new ArrayList<>();
  private final Set<String> auditIds = new HashSet<>();

  private record Change(String bookingId, long sequence, String moment, Long position) {}

  private record Key(String key, String moment, String bookingId, long sequence, String action, String result) {}

  private static String id(String bookingId, long sequence) {
    return bookingId + "\u0000" + sequence;
  }

  public static Ledger read(Connection connection, CrashDatabase database) throws SQLException {
    Ledger ledger = new Ledger();
    ledger.check(connection, database);
    return ledger;
  }

  /**
   * Checks that every change a killed child had seen recorded (perform had returned) is in the trail:
   * committed appends survive the death of the process that made them.
   *
   * @param recorded the changes, as {@code <booking id>:<sequence>}
   */
  public void checkSurvived(Collection<String> recorded) {
    for (String change : recorded) {
      int colon = change.lastIndexOf(':');
      if (!auditIds.contains(id(change.substring(0, colon), Long.parseLong(change.substring(colon + 1))))) {
        recordedLost++;
        anomaly("a change recorded before the kill is not in the trail: " + change);
      }
    }
    recordedBeforeKills = recorded.size();
  }

  private void check(Connection connection, CrashDatabase database) throws SQLException {
    Map<String, String> actions = new HashMap<>();
    query(connection, "SELECT booking_id, sequence, action_name FROM " + database.auditTable(),
        rows -> actions.put(id(rows.getString(1), rows.getLong(2)), rows.getString(3)));
    auditRows = actions.size();
    auditIds.addAll(actions.keySet());

    Map<String, Change> changeRows = new HashMap<>();
    query(connection, "SELECT booking_id, sequence, payment_moment, feed_position FROM " + database.changeTable(),
        rows -> {
          long position = rows.getLong(4);
          Long feedPosition = rows.wasNull() ? null : position;
          Change change = new Change(rows.getString(1), rows.getLong(2), rows.getString(3), feedPosition);
          changeRows.put(id(change.bookingId(), change.sequence()), change);
        });
    changes = changeRows.size();
    for (String audit : actions.keySet()) {
      if (!changeRows.containsKey(audit)) {
        anomaly("audit row without a change row: " + audit.replace('\u0000', ':'));
      }
    }
    for (String change : changeRows.keySet()) {
      if (!actions.containsKey(change)) {
        anomaly("change row without an audit row: " + change.replace('\u0000', ':'));
      }
    }
    checkFeed(changeRows.values());

    // The provider's truth.
    Map<String, List<Key>> keysByMoment = new HashMap<>();
    Map<String, Key> keys = new HashMap<>();
    query(connection, "SELECT idempotency_key, moment, booking_id, sequence, action_name, result FROM "
        + database.providerKeyTable(), rows -> {
          Key key = new Key(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4),
              rows.getString(5), rows.getString(6));
          keys.put(key.key(), key);
          keysByMoment.computeIfAbsent(id(key.bookingId(), key.sequence()) + "\u0000" + key.moment(),
              k -> new ArrayList<>()).add(key);
        });
    Map<String, Integer> effective = new HashMap<>();
    query(connection, "SELECT idempotency_key, outcome, result FROM " + database.providerCallTable(), rows -> {
      providerCalls++;
      String key = rows.getString(1);
      String outcome = rows.getString(2);
      String result = rows.getString(3);
      switch (outcome) {
        case "NEW" -> effective.merge(key, 1, Integer::sum);
        case "REPEAT" -> providerRepeats++;
        default -> providerRefusals++;
      }
      Key stored = keys.get(key);
      if (!outcome.equals("REFUSED") && (stored == null || !stored.result().equals(result))) {
        anomaly("provider call with key " + key + " returned " + result + " but the key holds "
            + (stored == null ? "nothing" : stored.result()));
      }
    });
    if (providerRefusals > 0) {
      anomaly(providerRefusals + " provider calls were refused: a key was reused with other parameters");
    }

    // Every owed settlement: exactly one effective key, the change's own.
    Set<String> owedMoments = new HashSet<>();
    for (Change change : changeRows.values()) {
      String changeId = id(change.bookingId(), change.sequence());
      if (SECURED_BEFORE_RECORDING.contains(change.moment())) {
        String secure = changeId + "\u0000SECURE";
        if (!keysByMoment.containsKey(secure)) {
          anomaly("change " + changeId.replace('\u0000', ':') + " owes " + change.moment()
              + " but the provider secured nothing for it");
        }
      }
      String call = SETTLEMENTS.get(change.moment());
      if (call == null) {
        continue;
      }
      owed++;
      String momentId = changeId + "\u0000" + call;
      owedMoments.add(momentId);
      List<Key> found = keysByMoment.getOrDefault(momentId, List.of());
      String expected = change.bookingId() + ":" + change.sequence() + ":" + actions.get(changeId) + ":"
          + call.toLowerCase(Locale.ROOT) + ":1";
      if (found.isEmpty()) {
        lost++;
        anomaly("lost: " + expected);
      } else if (found.size() > 1 || effective.getOrDefault(found.get(0).key(), 0) != 1) {
        doubled++;
        anomaly("doubled: " + expected + " has keys " + found.stream().map(Key::key).toList() + " taking effect "
            + found.stream().map(k -> effective.getOrDefault(k.key(), 0)).toList() + " times");
      } else if (!found.get(0).key().equals(expected)) {
        anomaly("settled with key " + found.get(0).key() + " instead of " + expected);
      } else {
        delivered++;
      }
    }
    // Settlements nobody owes: only the release of a payment secured for an unrecorded change, by the
    // engine or by the worker, which carries the key of the secure call's attempt. A change is recorded
    // with the attempt whose hold its append claimed; an attempt whose hold was never claimed belongs to a
    // change that was not recorded, even when another change (another action, or the same action with a
    // later attempt) took its sequence, as when instances race. Such a hold is released by the worker also
    // when the secure call's outcome was never known (the provider may hold nothing under its key).
    Set<String> claimed = new HashSet<>();
    Set<String> holds = new HashSet<>();
    query(connection, "SELECT booking_id, sequence, action_name, attempt, status FROM " + database.auditTable()
        + "_hold", rows -> {
          String secureKey = rows.getString(1) + ":" + rows.getLong(2) + ":" + rows.getString(3) + ":secure:"
              + rows.getLong(4);
          holds.add(secureKey);
          if (rows.getString(5).equals("CLAIMED")) {
            claimed.add(secureKey);
          }
        });
    Set<String> released = new HashSet<>();
    for (Key key : keys.values()) {
      if (!SETTLEMENTS.containsValue(key.moment())) {
        continue;
      }
      String changeId = id(key.bookingId(), key.sequence());
      if (owedMoments.contains(changeId + "\u0000" + key.moment())) {
        continue;
      }
      int release = key.key().lastIndexOf(":release:");
      String secure = release < 0 ? null
          : key.key().substring(0, release) + ":secure:" + key.key().substring(release + ":release:".length());
      boolean unclaimedHold = holds.contains(secure) && !claimed.contains(secure);
      if (key.moment().equals("RELEASE")
          && ((keys.containsKey(secure) && !changeRows.containsKey(changeId)) || unclaimedHold)) {
        released.add(secure);
      } else {
        anomaly("settlement nobody owes: " + key.key());
      }
    }
    for (Key key : keys.values()) {
      if (key.moment().equals("SECURE")
          && (!changeRows.containsKey(id(key.bookingId(), key.sequence())) || !claimed.contains(key.key()))) {
        if (released.contains(key.key())) {
          holdsReleased++;
        } else {
          holdsNotReleased++;
          anomaly("a payment secured for a change never recorded was not released: " + key.key());
        }
      }
    }

    // The consumer.
    Set<String> seenIds = new HashSet<>();
    query(connection, "SELECT booking_id, sequence, times, feed_position, moved FROM " + database.seenTable(),
        rows -> {
          String changeId = id(rows.getString(1), rows.getLong(2));
          seenIds.add(changeId);
          repeats += rows.getInt(3) - 1;
          Change change = changeRows.get(changeId);
          if (change == null) {
            anomaly("the consumer was given a change that is not recorded: " + changeId.replace('\u0000', ':'));
          } else if (change.position() == null || change.position() != rows.getLong(4) || rows.getInt(5) != 0) {
            anomaly("the consumer was given " + changeId.replace('\u0000', ':') + " at position " + rows.getLong(4)
                + " (" + rows.getInt(5) + " repeats elsewhere) but it is at " + change.position());
          }
        });
    for (String changeId : changeRows.keySet()) {
      if (seenIds.contains(changeId)) {
        seen++;
      } else {
        unseen++;
        anomaly("unseen: " + changeId.replace('\u0000', ':'));
      }
    }

    // The trail's delivery rows: one per consumer and change owed to it, all done.
    Map<String, Integer> settlementRows = new HashMap<>();
    Map<String, Integer> consumerRows = new HashMap<>();
    query(connection, "SELECT consumer, feed_position, booking_id, sequence, status FROM " + database.deliveryTable(),
        rows -> {
          String consumer = rows.getString(1);
          String changeId = id(rows.getString(3), rows.getLong(4));
          String status = rows.getString(5);
          switch (status) {
            case "DONE" -> doneDeliveries++;
            case "PENDING" -> pendingDeliveries++;
            default -> deadDeliveries++;
          }
          Change change = changeRows.get(changeId);
          if (change == null || change.position() == null || change.position() != rows.getLong(2)) {
            anomaly(consumer + " delivery of " + changeId.replace('\u0000', ':') + " at position " + rows.getLong(2)
                + " does not match its change " + change);
          }
          if (consumer.equals("settlement")) {
            settlementRows.merge(changeId, 1, Integer::sum);
          } else if (consumer.equals(CrashDatabase.CONSUMER)) {
            consumerRows.merge(changeId, 1, Integer::sum);
          } else if (consumer.equals(Delivery.TIMERS)) {
            // A timed rule handed to the retry consumer (its booking recorded at the mark of a sweep, or a
            // failure); by the end it must have been taken or found cancelled.
            timerRetries++;
            if (!status.equals("DONE")) {
              anomaly("the timer retry of " + changeId.replace('\u0000', ':') + " is left " + status);
            }
          } else {
            anomaly("a delivery to an unknown consumer " + consumer);
          }
          if (!status.equals("DONE")) {
            anomaly(consumer + " delivery of " + changeId.replace('\u0000', ':') + " is " + status);
          }
        });
    for (Change change : changeRows.values()) {
      String changeId = id(change.bookingId(), change.sequence());
      int expectedSettlements = SETTLEMENTS.containsKey(change.moment()) ? 1 : 0;
      if (settlementRows.getOrDefault(changeId, 0) != expectedSettlements) {
        anomaly(changeId.replace('\u0000', ':') + " owing " + change.moment() + " has "
            + settlementRows.getOrDefault(changeId, 0) + " settlement deliveries");
      }
      if (consumerRows.getOrDefault(changeId, 0) != 1) {
        anomaly(changeId.replace('\u0000', ':') + " has " + consumerRows.getOrDefault(changeId, 0)
            + " consumer deliveries");
      }
    }
  }

  // Every change placed once, each booking's changes in sequence order; gaps are counted, not refused.
  private void checkFeed(Iterable<Change> all) {
    Map<Long, Change> byPosition = new TreeMap<>();
    Map<String, TreeMap<Long, Long>> byBooking = new HashMap<>();
    for (Change change : all) {
      if (change.position() == null) {
        anomaly("change " + change.bookingId() + ":" + change.sequence() + " has no feed position");
        continue;
      }
      Change other = byPosition.put(change.position(), change);
      if (other != null) {
        anomaly("feed position " + change.position() + " given twice: " + other + " and " + change);
      }
      byBooking.computeIfAbsent(change.bookingId(), b -> new TreeMap<>()).put(change.sequence(), change.position());
    }
    long expected = 1;
    for (long position : byPosition.keySet()) {
      if (position != expected) {
        feedGaps++;
      }
      expected = position + 1;
      feedMax = position;
    }
    for (var booking : byBooking.entrySet()) {
      long previous = Long.MIN_VALUE;
      for (long position : booking.getValue().values()) {
        if (position <= previous) {
          anomaly("booking " + booking.getKey() + " is out of sequence order in the feed: " + booking.getValue());
          break;
        }
        previous = position;
      }
    }
  }

  private void anomaly(String text) {
    anomalies.add(text);
  }

  /** The first anomalies, one per line, for the failure message. */
  public String shownAnomalies() {
    List<String> shown = anomalies.subList(0, Math.min(SHOWN, anomalies.size()));
    return String.join("\n", shown) + (anomalies.size() > SHOWN ? "\n... and " + (anomalies.size() - SHOWN) + " more" : "");
  }

  /** The counts of the settlements and the consumer, as in the printed line. */
  public String summary() {
    return owed + " settlements owed, " + delivered + " delivered, " + lost + " lost, " + doubled + " doubled; "
        + changes + " changes, " + seen + " seen by the consumer (" + repeats + " repeats), " + unseen + " unseen";
  }

  /** The further counts, for the printed line. */
  public String details() {
    return (holdsReleased + holdsNotReleased) + " payments secured for changes never recorded, " + holdsReleased
        + " released, " + holdsNotReleased + " not; provider " + providerCalls + " calls, " + providerRepeats + " repeated keys, "
        + providerRefusals + " refused; deliveries " + doneDeliveries + " done, " + pendingDeliveries + " pending, "
        + deadDeliveries + " dead; feed 1.." + feedMax + " with " + feedGaps + " gaps; "
        + (recordedBeforeKills == 0 ? "" : (recordedBeforeKills - recordedLost) + " of " + recordedBeforeKills
            + " changes recorded before a kill found; ")
        + anomalies.size() + " anomalies";
  }

  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet rows) throws SQLException;
  }

  private static void query(Connection connection, String sql, RowReader reader) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        reader.read(rows);
      }
    }
  }
}
