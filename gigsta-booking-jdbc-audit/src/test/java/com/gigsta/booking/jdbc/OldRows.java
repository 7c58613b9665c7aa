package com.gigsta.booking.jdbc;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.jdbc.internal.StoredRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes audit rows as the trail wrote them before the fourth schema script: the first script's columns
 * alone, so that they go into a table of any schema version. Rows of that time had no money.
 */
final class OldRows {

  private OldRows() {}

  /** Inserts the row into the audit table; refuses an entry with a price, which no such row had. */
  static void insert(Connection connection, String table, StoredRow row) throws SQLException {
    AuditEntry entry = row.entry();
    if (entry.price() != null) {
      throw new IllegalArgumentException("rows written before the fourth schema script have no price: " + entry);
    }
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (booking_id, sequence,"
        + " action_name, actor_role, actor_id, customer_id, gigsta_id, from_state, to_state, occurred_at, note,"
        + " reason, scheduled_start, prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
      statement.executeUpdate();
    }
  }

  private static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
