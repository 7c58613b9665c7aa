package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.PaymentMoment;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The statements on the change table beside an audit table ({@value #SUFFIX} appended to its name): one
 * row per audit row, inserted in the same transaction, holding what the change owes the payment provider
 * and, once the {@link Sequencer} has placed it, its feed position. Reads of the feed join the audit rows.
 * Immutable and thread-safe.
 */
public final class ChangeTable {

  /** What the audit table's name is followed by in this table's name. */
  public static final String SUFFIX = "_change";

  // Reads of changes at given positions bind this many; shorter lists repeat their last position, so the
  // statement's text never varies.
  private static final int POSITIONS_PER_READ = 100;
  private static final int COLUMNS_BEFORE_AUDIT = 4;

  private final String name;
  private final String insert;
  private final String insertPlaced;
  private final String selectPosition;
  private final String selectAnyUnplaced;
  private final String selectUnplaced;
  private final String place;
  private final String selectAfter;
  private final String selectAt;
  private final String probe;

  /**
   * Creates the statements for the change table of the audit table.
   *
   * @param audit the audit table
   */
  public ChangeTable(AuditTable audit) {
    this.name = audit.name() + SUFFIX;
    this.insert = "INSERT INTO " + name + " (booking_id, sequence, payment_moment) VALUES (?, ?, ?)";
    this.insertPlaced = "INSERT INTO " + name + " (booking_id, sequence, payment_moment, feed_position)"
        + " VALUES (?, ?, ?, ?)";
    this.selectPosition = audit.causal("SELECT feed_position FROM " + name + " WHERE booking_id = ? AND sequence = ?");
    this.selectAnyUnplaced = audit.causal("SELECT booking_id FROM " + name + " WHERE feed_position IS NULL LIMIT 1");
    this.selectUnplaced = audit.causal("SELECT booking_id, sequence, payment_moment FROM " + name
        + " WHERE feed_position IS NULL ORDER BY booking_id, sequence LIMIT ?");
    this.place = "UPDATE " + name + " SET feed_position = ? WHERE booking_id = ? AND sequence = ?"
        + " AND feed_position IS NULL";
    // An outer join, so that a change whose audit row was deleted by hand is reported, not skipped.
    String select = "SELECT c.feed_position, c.booking_id, c.sequence, c.payment_moment, " + AuditTable.columns("a")
        + " FROM " + name + " c LEFT JOIN " + audit.name() + " a"
        + " ON a.booking_id = c.booking_id AND a.sequence = c.sequence";
    this.selectAfter = audit.causal(select + " WHERE c.feed_position > ? ORDER BY c.feed_position LIMIT ?");
    this.selectAt = audit.causal(select + " WHERE c.feed_position IN ("
        + String.join(", ", Collections.nCopies(POSITIONS_PER_READ, "?")) + ")");
    this.probe = "SELECT booking_id, sequence, payment_moment, feed_position FROM " + name + " WHERE 1 = 0";
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
   * Inserts the change row of an audit row, not yet placed in the feed.
   *
   * @param connection where the audit row is being inserted, in the same transaction
   * @param bookingId the booking
   * @param sequence the audit row's sequence
   * @param paymentMoment what the change owes
   * @throws SQLException if the database refuses or fails
   */
  public void insert(Connection connection, String bookingId, long sequence, PaymentMoment paymentMoment)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(1, bookingId);
      statement.setLong(2, sequence);
      statement.setString(3, paymentMoment.name());
      statement.executeUpdate();
    }
  }

  /**
   * Inserts the change row of an audit row recorded before the feed's tables existed, placed at once.
   *
   * @param connection where the feed head is locked
   * @param bookingId the booking
   * @param sequence the audit row's sequence
   * @param paymentMoment what the change owes
   * @param position its feed position, the one after the head's
   * @throws SQLException if the database refuses or fails
   */
  void insertPlaced(Connection connection, String bookingId, long sequence, PaymentMoment paymentMoment,
      long position) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insertPlaced)) {
      statement.setString(1, bookingId);
      statement.setLong(2, sequence);
      statement.setString(3, paymentMoment.name());
      statement.setLong(4, position);
      statement.executeUpdate();
    }
  }

  /**
   * Returns the feed position of a change.
   *
   * @param connection where to read
   * @param bookingId the booking
   * @param sequence the change's sequence
   * @return its position; 0 if it has a change row not placed yet (positions start at 1); empty if it
   *     has no change row
   * @throws SQLException if the database fails
   */
  public OptionalLong position(Connection connection, String bookingId, long sequence) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectPosition)) {
      statement.setString(1, bookingId);
      statement.setLong(2, sequence);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return OptionalLong.empty();
        }
        long position = rows.getLong(1);
        return OptionalLong.of(rows.wasNull() ? 0 : position);
      }
    }
  }

  /**
   * Returns whether some committed change is not placed in the feed yet.
   *
   * @param connection where to read
   * @return true if there is one
   * @throws SQLException if the database fails
   */
  public boolean hasUnplaced(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(selectAnyUnplaced)) {
      return rows.next();
    }
  }

  /** A committed change not placed in the feed yet. */
  record Unplaced(String bookingId, long sequence, String paymentMoment) {}

  /**
   * Returns up to {@code limit} changes not yet placed, in booking and sequence order.
   *
   * @param connection where to read, holding the feed head's lock
   * @param limit the most to return
   * @return the changes
   * @throws SQLException if the database fails
   */
  List<Unplaced> unplaced(Connection connection, int limit) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectUnplaced)) {
      statement.setInt(1, limit);
      try (ResultSet rows = statement.executeQuery()) {
        List<Unplaced> found = new ArrayList<>();
        while (rows.next()) {
          found.add(new Unplaced(rows.getString(1), rows.getLong(2), rows.getString(3)));
        }
        return found;
      }
    }
  }

  /**
   * Gives the changes the positions {@code first}, {@code first + 1} … in list order, each only if it is
   * still unplaced.
   *
   * @param connection where to write, holding the feed head's lock
   * @param changes the changes to place
   * @param first the position of the first
   * @return whether each change was placed, in list order
   * @throws SQLException if the database fails
   */
  boolean[] place(Connection connection, List<Unplaced> changes, long first) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(place)) {
      for (int i = 0; i < changes.size(); i++) {
        statement.setLong(1, first + i);
        statement.setString(2, changes.get(i).bookingId());
        statement.setLong(3, changes.get(i).sequence());
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      boolean[] placed = new boolean[changes.size()];
      for (int i = 0; i < placed.length; i++) {
        // A driver may not tell the count of each statement of a batch; then none failed.
        placed[i] = i >= counts.length || counts[i] != 0;
      }
      return placed;
    }
  }

  /**
   * Returns up to {@code limit} placed changes after the position, in feed order.
   *
   * @param connection where to read
   * @param position the position the changes must follow
   * @param limit the most to return
   * @return the changes with their audit rows as stored
   * @throws SQLException if the database fails
   */
  public List<RawChange> after(Connection connection, long position, int limit) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectAfter)) {
      statement.setLong(1, position);
      statement.setInt(2, limit);
      try (ResultSet rows = statement.executeQuery()) {
        List<RawChange> found = new ArrayList<>();
        while (rows.next()) {
          found.add(read(rows));
        }
        return found;
      }
    }
  }

  /**
   * Returns the placed changes at the positions.
   *
   * @param connection where to read
   * @param positions the feed positions
   * @return the changes found, by position
   * @throws SQLException if the database fails
   */
  public Map<Long, RawChange> at(Connection connection, List<Long> positions) throws SQLException {
    Map<Long, RawChange> found = new HashMap<>();
    if (positions.isEmpty()) {
      return found;
    }
    try (PreparedStatement statement = connection.prepareStatement(selectAt)) {
      for (int from = 0; from < positions.size(); from += POSITIONS_PER_READ) {
        List<Long> chunk = positions.subList(from, Math.min(positions.size(), from + POSITIONS_PER_READ));
        for (int i = 0; i < POSITIONS_PER_READ; i++) {
          statement.setLong(i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            RawChange change = read(rows);
            found.put(change.position(), change);
          }
        }
      }
    }
    return found;
  }

  private static RawChange read(ResultSet rows) throws SQLException {
    return new RawChange(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
        AuditTable.read(rows, COLUMNS_BEFORE_AUDIT));
  }
}
