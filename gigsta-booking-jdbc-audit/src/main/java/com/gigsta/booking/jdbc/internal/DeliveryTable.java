package com.gigsta.booking.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements on the delivery table beside an audit table ({@value #SUFFIX} appended to its name): one
 * row per consumer and change owed to it, PENDING until marked DONE, or DEAD after its last failure.
 * Immutable and thread-safe.
 *
 * <p>A pending delivery may be claimed once its {@code due_at} has come; a claim leases it by moving
 * {@code due_at} to the end of the lease. Times are stored as UTC wall-clock values in whole
 * microseconds, cut down to the microsecond and held within the years 1000 to 9999 that every database
 * stores; a new delivery is due from the earliest of them, that is at once, whatever the clock says,
 * unless it was scheduled for a later time.
 */
public final class DeliveryTable {

  /** What the audit table's name is followed by in this table's name. */
  public static final String SUFFIX = "_delivery";

  private static final String PENDING = "PENDING";
  private static final String DONE = "DONE";
  private static final String DEAD = "DEAD";
  private static final char REPLACEMENT = '\uFFFD';

  private final String name;
  private final String insert;
  private final String selectOne;
  private final String selectDue;
  private final String selectDueSkippingLocked;
  private final String lease;
  private final String markDone;
  private final String retry;
  private final String bury;
  private final String selectDead;
  private final String countDead;
  private final String resubmit;
  private final String probe;
  private final String skipLockedProbe;

  /**
   * Creates the statements for the delivery table of the audit table.
   *
   * @param audit the audit table
   */
  public DeliveryTable(AuditTable audit) {
    this.name = audit.name() + SUFFIX;
    this.insert = "INSERT INTO " + name + " (consumer, feed_position, booking_id, sequence, status, failed_attempts,"
        + " due_at, last_error) VALUES (?, ?, ?, ?, '" + PENDING + "', 0, ?, NULL)";
    this.selectOne = audit.causal("SELECT status FROM " + name + " WHERE consumer = ? AND feed_position = ?");
    String columns = "feed_position, booking_id, sequence, failed_attempts, last_error";
    this.selectDue = audit.causal("SELECT " + columns + " FROM " + name + " WHERE consumer = ? AND status = '"
        + PENDING + "' AND due_at <= ? ORDER BY feed_position LIMIT ? FOR UPDATE");
    this.selectDueSkippingLocked = selectDue + " SKIP LOCKED";
    // The conditions are checked again under the row lock: a database that does not re-read a row it
    // waited for still leases nothing another worker leased meanwhile.
    this.lease = "UPDATE " + name + " SET due_at = ? WHERE consumer = ? AND feed_position = ? AND status = '"
        + PENDING + "' AND due_at <= ?";
    String key = " WHERE consumer = ? AND feed_position = ? AND booking_id = ? AND sequence = ?";
    this.markDone = audit.causal("UPDATE " + name + " SET status = '" + DONE + "'" + key + " AND status <> '" + DONE
        + "'");
    this.retry = audit.causal("UPDATE " + name + " SET failed_attempts = ?, last_error = ?, due_at = ?" + key
        + " AND status = '" + PENDING + "'");
    this.bury = audit.causal("UPDATE " + name + " SET failed_attempts = ?, last_error = ?, status = '" + DEAD + "'"
        + key + " AND status = '" + PENDING + "'");
    this.selectDead = audit.causal("SELECT " + columns + " FROM " + name + " WHERE consumer = ? AND status = '"
        + DEAD + "' ORDER BY feed_position LIMIT ?");
    this.countDead = audit.causal("SELECT COUNT(*) FROM " + name + " WHERE consumer = ? AND status = '" + DEAD + "'");
    this.resubmit = audit.causal("UPDATE " + name + " SET status = '" + PENDING + "', failed_attempts = 0, due_at = ?"
        + " WHERE consumer = ? AND status = '" + DEAD + "' AND booking_id = ? AND sequence = ?");
    this.probe = "SELECT consumer, " + columns + ", status, due_at FROM " + name + " WHERE 1 = 0";
    this.skipLockedProbe = "SELECT feed_position FROM " + name + " WHERE 1 = 0 FOR UPDATE SKIP LOCKED";
  }

  /**
   * Returns the table's name.
   *
   * @return the audit table's name, schema included, followed by {@value #SUFFIX}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the statement that selects no row but every column, to check the table exists.
   *
   * @return the SQL
   */
  public String probeSql() {
    return probe;
  }

  /**
   * Returns whether the database takes {@code FOR UPDATE SKIP LOCKED} on this table (H2 2.2+, PostgreSQL,
   * MariaDB 10.6+, MySQL 8), so that workers claiming at once pass over each other's rows instead of
   * waiting for them.
   *
   * @param connection where to try, in auto-commit mode
   * @return true if it does
   */
  public boolean supportsSkipLocked(Connection connection) {
    try (Statement statement = connection.createStatement()) {
      statement.executeQuery(skipLockedProbe).close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** A delivery owed to a consumer, about to be inserted. */
  record Owed(String consumer, long position, String bookingId, long sequence) {}

  /**
   * One stored delivery.
   *
   * @param position the change's feed position
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @param failedAttempts failures so far
   * @param lastError the last failure's message, or {@code null}
   */
  public record Stored(long position, String bookingId, long sequence, int failedAttempts, String lastError) {}

  /**
   * Inserts pending deliveries, due at once.
   *
   * @param connection where the changes are being placed, in the same transaction
   * @param owed the deliveries
   * @throws SQLException if the database fails
   */
  void insert(Connection connection, List<Owed> owed) throws SQLException {
    if (owed.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      for (Owed delivery : owed) {
        statement.setString(1, delivery.consumer());
        statement.setLong(2, delivery.position());
        statement.setString(3, delivery.bookingId());
        statement.setLong(4, delivery.sequence());
        statement.setObject(5, AuditTable.toLocal(AuditTable.EARLIEST));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /**
   * Inserts one pending delivery, due at {@code dueAt}; the caller treats a primary-key violation as the
   * consumer having a delivery of the change already.
   *
   * @param connection where to write
   * @param consumer the consumer
   * @param position the change's feed position
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @param dueAt when it may first be claimed
   * @throws SQLException if the database fails, or the consumer has a delivery at the position
   */
  public void schedule(Connection connection, String consumer, long position, String bookingId, long sequence,
      Instant dueAt) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(1, consumer);
      statement.setLong(2, position);
      statement.setString(3, bookingId);
      statement.setLong(4, sequence);
      statement.setObject(5, AuditTable.toLocal(storedTime(dueAt)));
      statement.executeUpdate();
    }
  }

  /**
   * Returns whether the consumer has a delivery at the feed position, whatever its status.
   *
   * @param connection where to read
   * @param consumer the consumer
   * @param position the change's feed position
   * @return true if it has
   * @throws SQLException if the database fails
   */
  public boolean exists(Connection connection, String consumer, long position) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectOne)) {
      statement.setString(1, consumer);
      statement.setLong(2, position);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Locks and returns up to {@code limit} of the consumer's pending deliveries due at {@code now}, in feed
   * order.
   *
   * @param connection where to read, in a transaction
   * @param consumer the consumer
   * @param now the time they must be due by
   * @param limit the most to return
   * @param skipLocked whether to pass over rows other transactions hold
   * @return the deliveries, locked until the transaction ends
   * @throws SQLException if the database fails
   */
  public List<Stored> lockDue(Connection connection, String consumer, Instant now, int limit, boolean skipLocked)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(skipLocked ? selectDueSkippingLocked : selectDue)) {
      statement.setString(1, consumer);
      statement.setObject(2, AuditTable.toLocal(storedTime(now)));
      statement.setInt(3, limit);
      return read(statement);
    }
  }

  /**
   * Makes the locked deliveries not due until {@code until}, each only if it is still pending and due.
   *
   * @param connection where they are locked
   * @param consumer the consumer
   * @param locked deliveries from {@link #lockDue}
   * @param now the time they must still be due by
   * @param until when they become due again
   * @return the deliveries leased, in the order given
   * @throws SQLException if the database fails
   */
  public List<Stored> lease(Connection connection, String consumer, List<Stored> locked, Instant now, Instant until)
      throws SQLException {
    if (locked.isEmpty()) {
      return locked;
    }
    try (PreparedStatement statement = connection.prepareStatement(lease)) {
      for (Stored delivery : locked) {
        statement.setObject(1, AuditTable.toLocal(storedTime(until)));
        statement.setString(2, consumer);
        statement.setLong(3, delivery.position());
        statement.setObject(4, AuditTable.toLocal(storedTime(now)));
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      List<Stored> leased = new ArrayList<>();
      for (int i = 0; i < locked.size(); i++) {
        // A driver may not tell the count of each statement of a batch; the rows are locked, so then all held.
        if (i >= counts.length || counts[i] != 0) {
          leased.add(locked.get(i));
        }
      }
      return leased;
    }
  }

  /**
   * Marks a delivery done unless it is done already.
   *
   * @param connection where to write
   * @param consumer the consumer
   * @param delivery the delivery's key
   * @return true if this call marked it
   * @throws SQLException if the database fails
   */
  public boolean markDone(Connection connection, String consumer, Stored delivery) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(markDone)) {
      bindKey(statement, 1, consumer, delivery);
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Records a failed attempt of a pending delivery: due again at {@code retryAt}, or dead if that is
   * {@code null}. A delivery no longer pending is left as it is.
   *
   * @param connection where to write
   * @param consumer the consumer
   * @param delivery the delivery's key
   * @param failedAttempts the failures so far, this one included
   * @param error the failure, already fit for the column
   * @param retryAt when to try again, or {@code null} for a dead letter
   * @throws SQLException if the database fails
   */
  public void markFailed(Connection connection, String consumer, Stored delivery, int failedAttempts, String error,
      Instant retryAt) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(retryAt == null ? bury : retry)) {
      statement.setInt(1, failedAttempts);
      statement.setString(2, error);
      int next = 3;
      if (retryAt != null) {
        statement.setObject(next++, AuditTable.toLocal(storedTime(retryAt)));
      }
      bindKey(statement, next, consumer, delivery);
      statement.executeUpdate();
    }
  }

  /**
   * Returns up to {@code limit} of the consumer's dead letters, in feed order.
   *
   * @param connection where to read
   * @param consumer the consumer
   * @param limit the most to return
   * @return the dead letters
   * @throws SQLException if the database fails
   */
  public List<Stored> dead(Connection connection, String consumer, int limit) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectDead)) {
      statement.setString(1, consumer);
      statement.setInt(2, limit);
      return read(statement);
    }
  }

  /**
   * Counts the consumer's dead letters.
   *
   * @param connection where to read
   * @param consumer the consumer
   * @return how many there are
   * @throws SQLException if the database fails
   */
  public long countDead(Connection connection, String consumer) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(countDead)) {
      statement.setString(1, consumer);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /**
   * Makes the consumer's dead letter of the change pending again, due at {@code now}, with no failures.
   *
   * @param connection where to write
   * @param consumer the consumer
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @param now when it becomes due
   * @return true if there was such a dead letter
   * @throws SQLException if the database fails
   */
  public boolean resubmit(Connection connection, String consumer, String bookingId, long sequence, Instant now)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(resubmit)) {
      statement.setObject(1, AuditTable.toLocal(storedTime(now)));
      statement.setString(2, consumer);
      statement.setString(3, bookingId);
      statement.setLong(4, sequence);
      return statement.executeUpdate() > 0;
    }
  }

  /**
   * Returns the time as stored: cut down to the microsecond, and held within the years 1000 to 9999.
   *
   * @param instant any instant
   * @return the nearest instant the time columns hold, never later than {@code instant} within that range
   */
  static Instant storedTime(Instant instant) {
    if (instant.isBefore(AuditTable.EARLIEST)) {
      return AuditTable.EARLIEST;
    }
    if (instant.isAfter(AuditTable.LATEST)) {
      return AuditTable.LATEST;
    }
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Returns a failure's message as the last_error column can hold it: at most {@code maxLength}
   * characters, with NUL and unpaired surrogates (which some databases refuse, and drivers change) replaced
   * by U+FFFD. It is a diagnostic, not audit data.
   *
   * @param error the message
   * @param maxLength the most characters to keep
   * @return the message to store
   */
  public static String storableError(String error, int maxLength) {
    String cut = error.length() <= maxLength ? error : error.substring(0, maxLength);
    StringBuilder fit = null;
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < cut.length()
          && Character.isLowSurrogate(cut.charAt(i + 1));
      if (paired) {
        if (fit != null) {
          fit.append(c).append(cut.charAt(i + 1));
        }
        i++;
        continue;
      }
      boolean unfit = c == '\0' || Character.isSurrogate(c);
      if (unfit && fit == null) {
        fit = new StringBuilder(cut.length()).append(cut, 0, i);
      }
      if (fit != null) {
        fit.append(unfit ? REPLACEMENT : c);
      }
    }
    return fit == null ? cut : fit.toString();
  }

  private static void bindKey(PreparedStatement statement, int first, String consumer, Stored delivery)
      throws SQLException {
    statement.setString(first, consumer);
    statement.setLong(first + 1, delivery.position());
    statement.setString(first + 2, delivery.bookingId());
    statement.setLong(first + 3, delivery.sequence());
  }

  private static List<Stored> read(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      List<Stored> found = new ArrayList<>();
      while (rows.next()) {
        found.add(new Stored(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getInt(4), rows.getString(5)));
      }
      return found;
    }
  }
}
