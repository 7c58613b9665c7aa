package com.gigsta.booking.jdbc;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Money;
import com.gigsta.booking.jdbc.internal.StoredRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes audit rows as earlier versions of the trail wrote them, naming only the columns their schema
 * had, so that they go into a table of that or any later schema version: before the fourth schema script
 * the first script's columns alone, and rows of that time had no money; before the fifth the money columns
 * too, and rows of that time had no workflow version.
 */
final class OldRows {

  private static final String FIRST_COLUMNS = "booking_id, sequence, action_name, actor_role, actor_id, customer_id,"
      + " gigsta_id, from_state, to_state, occurred_at, note, reason, scheduled_start, prev_hash, row_hash";

  private OldRows() {}

  /** Inserts the row as written before the fourth schema script; refuses an entry with a price or a version. */
  static void insert(Connection connection, String table, StoredRow row) throws SQLException {
    AuditEntry entry = row.entry();
    if (entry.price() != null || entry.workflowVersion() != null) {
      throw new IllegalArgumentException("rows written before the fourth schema script have no price and no "
          + "workflow version: " + entry);
    }
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (" + FIRST_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindFirstColumns(statement, row);
      statement.executeUpdate();
    }
  }

  /**
   * Inserts the row as written from the fourth schema script until the fifth: with its money, if any;
   * refuses an entry with a workflow version.
   */
  static void insertWithMoney(Connection connection, String table, StoredRow row) throws SQLException {
    AuditEntry entry = row.entry();
    if (entry.workflowVersion() != null) {
      throw new IllegalArgumentException("rows written before the fifth schema script have no workflow version: "
          + entry);
    }
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (" + FIRST_COLUMNS
        + ", price_minor, price_currency, amount_minor, fee_minor)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindFirstColumns(statement, row);
      Money price = entry.price();
      setMinor(statement, 16, price);
      if (price == null) {
        statement.setNull(17, Types.CHAR);
      } else {
        statement.setString(17, price.currencyCode());
      }
      setMinor(statement, 18, entry.amount());
      setMinor(statement, 19, entry.fee());
      statement.executeUpdate();
    }
  }

  private static void bindFirstColumns(PreparedStatement statement, StoredRow row) throws SQLException {
    AuditEntry entry = row.entry();
    statement.setString(1, entry.bookingId());
    statement.setLong(2, entry.sequence());
    statement.setString(3, entry.actionName());
    statement.setString(4, entry.actorRole().name());
    statement.setString(5, entry.actorId());
    statement.setString(6, entry.customerId());
    statement.setString(7, entry.gigstaId());
    statement.setString(8, entry.fromState() == null ? null : entry.fromState().name());
    statement.setString(9, entry.toState().name());
    statement.setObject(10, utc(entry.occurredAt()));
    statement.setString(11, entry.note());
    statement.setString(12, entry.reason());
    if (entry.scheduledStart() == null) {
      statement.setNull(13, Types.TIMESTAMP);
    } else {
      statement.setObject(13, utc(entry.scheduledStart()));
    }
    statement.setString(14, row.prevHash());
    statement.setString(15, row.rowHash());
  }

  private static void setMinor(PreparedStatement statement, int index, Money money) throws SQLException {
    if (money == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, money.amountMinor());
    }
  }

  private static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
