package com.gigsta.booking.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The statements on the timer sweep table beside an audit table ({@value #SUFFIX} appended to its name):
 * one row per timer, holding how far it was swept, which only ever moves forward. Immutable and
 * thread-safe.
 *
 * <p>Times are stored as UTC wall-clock values in whole microseconds, cut down to the microsecond and
 * held within the years 1000 to 9999 that every database stores, as the delivery table's are.
 */
public final class TimerSweepTable {

  /** What the audit table's name is followed by in this table's name. */
  public static final String SUFFIX = "_timer_sweep";

  private final String name;
  private final String select;
  private final String selectReached;
  private final String advance;
  private final String insert;
  private final String probe;

  /**
   * Creates the statements for the timer sweep table of the audit table.
   *
   * @param audit the audit table
   */
  public TimerSweepTable(AuditTable audit) {
    this.name = audit.name() + SUFFIX;
    this.select = audit.causal("SELECT swept_to FROM " + name + " WHERE timer = ?");
    this.selectReached = audit.causal("SELECT swept_to FROM " + name + " WHERE timer = ? AND swept_to >= ?");
    // Only forward: of two sweeps finishing in any order, the later mark stays.
    this.advance = audit.causal("UPDATE " + name + " SET swept_to = ? WHERE timer = ? AND swept_to < ?");
    this.insert = "INSERT INTO " + name + " (timer, swept_to) VALUES (?, ?)";
    this.probe = "SELECT timer, swept_to FROM " + name + " WHERE 1 = 0";
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
   * Returns how far the timer was swept.
   *
   * @param connection where to read
   * @param timer the timer's key
   * @return the mark, or empty if the timer has none
   * @throws SQLException if the database fails
   */
  public Optional<Instant> sweptTo(Connection connection, String timer) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(select)) {
      statement.setString(1, timer);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        LocalDateTime utc = rows.getObject(1, LocalDateTime.class);
        return Optional.ofNullable(utc).map(time -> time.toInstant(ZoneOffset.UTC));
      }
    }
  }

  /**
   * Returns whether the timer's mark is at or after {@code sweptTo}.
   *
   * @param connection where to read
   * @param timer the timer's key
   * @param sweptTo the mark sought
   * @return true if the timer has a mark at or after {@code sweptTo} as stored; false if it has none, or an
   *     earlier one
   * @throws SQLException if the database fails
   */
  public boolean reached(Connection connection, String timer, Instant sweptTo) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectReached)) {
      statement.setString(1, timer);
      statement.setObject(2, AuditTable.toLocal(DeliveryTable.storedTime(sweptTo)));
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Moves the timer's mark forward to {@code sweptTo}, if it has a mark and that mark is earlier.
   *
   * @param connection where to write
   * @param timer the timer's key
   * @param sweptTo the new mark
   * @return false if the timer has no mark, or one at or after {@code sweptTo} as stored
   * @throws SQLException if the database fails
   */
  public boolean advance(Connection connection, String timer, Instant sweptTo) throws SQLException {
    LocalDateTime stored = AuditTable.toLocal(DeliveryTable.storedTime(sweptTo));
    try (PreparedStatement statement = connection.prepareStatement(advance)) {
      statement.setObject(1, stored);
      statement.setString(2, timer);
      statement.setObject(3, stored);
      return statement.executeUpdate() > 0;
    }
  }

  /**
   * Gives a timer without a mark its first; the caller treats a primary-key violation as another sweep
   * having given it one first.
   *
   * @param connection where to write
   * @param timer the timer's key
   * @param sweptTo the mark
   * @throws SQLException if the database fails, or the timer has a mark
   */
  public void insert(Connection connection, String timer, Instant sweptTo) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(1, timer);
      statement.setObject(2, AuditTable.toLocal(DeliveryTable.storedTime(sweptTo)));
      statement.executeUpdate();
    }
  }
}
