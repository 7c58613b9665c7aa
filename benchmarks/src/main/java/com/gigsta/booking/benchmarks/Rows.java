package com.gigsta.booking.benchmarks;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Role;
import com.gigsta.booking.spi.AuditTrail;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the database groups write and read: ours through the engine, the raw peer through plain JDBC on
 * the same pool and a table of the same shape. Stateless and thread-safe.
 */
final class Rows {

  /** How many entries the history benchmarks read. */
  static final int HISTORY_LENGTH = 20;

  /** Every column of the audit table, in the order the schema scripts declare them. */
  static final String COLUMNS = "booking_id, sequence, action_name, actor_role, actor_id, customer_id, "
      + "gigsta_id, from_state, to_state, occurred_at, note, reason, scheduled_start, prev_hash, row_hash";
  private static final String HASH = "0123456789abcdef".repeat(4);

  /** A row as the raw peer reads it: every column, converted no further than JDBC does. */
  record RawRow(String bookingId, long sequence, String actionName, String actorRole, String actorId,
      String customerId, String gigstaId, String fromState, String toState, LocalDateTime occurredAt, String note,
      String reason, LocalDateTime scheduledStart, String prevHash, String rowHash) {}

  private Rows() {}

  /** Ours: a new booking through the happy path, four changes, each appended and committed by the trail. */
  static Booking happyPath(BookingEngine engine, String bookingId) {
    Booking booking = engine.requestBooking(bookingId, GigstaMachine.CUSTOMER, GigstaMachine.GIGSTA_ID, null)
        .booking();
    for (String action : GigstaMachine.HAPPY_PATH) {
      booking = engine.perform(booking, GigstaMachine.GIGSTA, action).booking();
    }
    return booking;
  }

  /**
   * The raw peer: one single-row INSERT of a creation entry into {@code table}, committed by the pool's
   * auto-commit before the connection goes back.
   */
  static int rawInsert(DataSource pool, String table, String bookingId) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindCreation(insert, bookingId);
      int inserted = insert.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return inserted;
    }
  }

  /**
   * A diagnostic, not a peer: the statements {@code JdbcAuditTrail.append} sends, in plain JDBC. Reads
   * the booking's latest row, then inserts the next one; inside one explicit transaction (auto-commit off,
   * commit, auto-commit back on) when {@code transaction} is true, else each statement on its own.
   * Comparing it with ours and with the single INSERT shows what each round trip costs.
   */
  static int rawSelectThenInsert(DataSource pool, String table, String bookingId, boolean transaction)
      throws SQLException {
    try (Connection connection = pool.getConnection()) {
      if (transaction) {
        connection.setAutoCommit(false);
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
          + " WHERE booking_id = ? ORDER BY sequence DESC LIMIT 1")) {
        select.setString(1, bookingId);
        try (ResultSet result = select.executeQuery()) {
          if (result.next()) {
            throw new IllegalStateException("booking " + bookingId + " already has rows");
          }
        }
      }
      int inserted;
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        bindCreation(insert, bookingId);
        inserted = insert.executeUpdate();
      }
      if (transaction) {
        connection.commit();
        connection.setAutoCommit(true);
      }
      return inserted;
    }
  }

  private static void bindCreation(PreparedStatement insert, String bookingId) throws SQLException {
    insert.setString(1, bookingId);
    insert.setLong(2, 1);
    insert.setString(3, GigstaWorkflow.REQUEST_BOOKING);
    insert.setString(4, Role.CUSTOMER.name());
    insert.setString(5, GigstaMachine.CUSTOMER_ID);
    insert.setString(6, GigstaMachine.CUSTOMER_ID);
    insert.setString(7, GigstaMachine.GIGSTA_ID);
    insert.setNull(8, Types.VARCHAR);
    insert.setString(9, BookingState.REQUESTED.name());
    insert.setObject(10, LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    insert.setString(11, "Booking requested by customer");
    insert.setNull(12, Types.VARCHAR);
    insert.setNull(13, Types.TIMESTAMP);
    insert.setString(14, HASH);
    insert.setString(15, HASH);
  }

  /** The raw peer: one SELECT of a booking's rows in sequence order. */
  static List<RawRow> rawHistory(DataSource pool, String table, String bookingId) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
            + " WHERE booking_id = ? ORDER BY sequence")) {
      select.setString(1, bookingId);
      List<RawRow> rows = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(rawRow(result));
        }
      }
      return rows;
    }
  }

  /**
   * The raw peer of a change performed by booking id: on one connection, one SELECT of the booking's
   * latest row (every column, as the trail reads it), the same version check as the engine's, and one
   * single-row INSERT of the next row, built from the row read (its parties, state, scheduled start and
   * hash), committed by auto-commit.
   *
   * @return the new row's sequence
   * @throws IllegalStateException if the booking has no row or its latest is not at {@code expectedVersion}
   */
  static long rawPerform(DataSource pool, String table, String bookingId, long expectedVersion, String actionName,
      BookingState to, String note) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      RawRow latest;
      try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
          + " WHERE booking_id = ? ORDER BY sequence DESC LIMIT 1")) {
        select.setString(1, bookingId);
        try (ResultSet result = select.executeQuery()) {
          latest = result.next() ? rawRow(result) : null;
        }
      }
      if (latest == null || latest.sequence() != expectedVersion) {
        throw new IllegalStateException("booking " + bookingId + " is not at version " + expectedVersion);
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, bookingId);
        insert.setLong(2, latest.sequence() + 1);
        insert.setString(3, actionName);
        insert.setString(4, Role.GIGSTA.name());
        insert.setString(5, GigstaMachine.GIGSTA_ID);
        insert.setString(6, latest.customerId());
        insert.setString(7, latest.gigstaId());
        insert.setString(8, latest.toState());
        insert.setString(9, to.name());
        insert.setObject(10, LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        insert.setString(11, note);
        insert.setNull(12, Types.VARCHAR);
        if (latest.scheduledStart() == null) {
          insert.setNull(13, Types.TIMESTAMP);
        } else {
          insert.setObject(13, latest.scheduledStart());
        }
        insert.setString(14, latest.rowHash());
        insert.setString(15, HASH);
        insert.executeUpdate();
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return latest.sequence() + 1;
    }
  }

  private static RawRow rawRow(ResultSet result) throws SQLException {
    return new RawRow(result.getString(1), result.getLong(2), result.getString(3), result.getString(4),
        result.getString(5), result.getString(6), result.getString(7), result.getString(8), result.getString(9),
        result.getObject(10, LocalDateTime.class), result.getString(11), result.getString(12),
        result.getObject(13, LocalDateTime.class), result.getString(14), result.getString(15));
  }

  /**
   * Appends a history of {@value #HISTORY_LENGTH} entries through the trail. The GigSta workflow's
   * longest path has four entries, so after the creation and acceptance the booking goes back and forth
   * between ACCEPTED and IN_PROGRESS; the trail checks continuity and hashes each row, not the workflow.
   */
  static void writeLongHistory(AuditTrail trail, String bookingId) {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    BookingState from = null;
    for (int sequence = 1; sequence <= HISTORY_LENGTH; sequence++) {
      BookingState to;
      String action;
      Role role;
      if (sequence == 1) {
        to = BookingState.REQUESTED;
        action = GigstaWorkflow.REQUEST_BOOKING;
        role = Role.CUSTOMER;
      } else if (sequence == 2) {
        to = BookingState.ACCEPTED;
        action = GigstaWorkflow.ACCEPT_BOOKING;
        role = Role.GIGSTA;
      } else if (from == BookingState.ACCEPTED) {
        to = BookingState.IN_PROGRESS;
        action = GigstaWorkflow.MARK_IN_PROGRESS;
        role = Role.GIGSTA;
      } else {
        to = BookingState.ACCEPTED;
        action = GigstaWorkflow.ACCEPT_BOOKING;
        role = Role.GIGSTA;
      }
      String actorId = role == Role.CUSTOMER ? GigstaMachine.CUSTOMER_ID : GigstaMachine.GIGSTA_ID;
      trail.append(new AuditEntry(bookingId, sequence, action, role, actorId, GigstaMachine.CUSTOMER_ID,
          GigstaMachine.GIGSTA_ID, from, to, at.plusSeconds(sequence), "Entry " + sequence + " of the history",
          null, null));
      from = to;
    }
  }
}
