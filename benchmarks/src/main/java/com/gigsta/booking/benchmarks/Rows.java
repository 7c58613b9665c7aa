package com.gigsta.booking.benchmarks;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.WorkflowRule;
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
  // The rules of ours' decline after the creation.
  private static final List<WorkflowRule> DECLINE_RULES =
      GigstaMachine.path(GigstaMachine.DECLINE_PATH).subList(1, GigstaMachine.DECLINE_PATH.size() + 1);

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
   * Ours with its change rows: a new booking requested and declined, two changes, each appended and
   * committed by the trail with its change row.
   */
  static Booking requestAndDecline(BookingEngine engine, String bookingId) {
    Booking booking = engine.requestBooking(bookingId, GigstaMachine.CUSTOMER, GigstaMachine.GIGSTA_ID, null)
        .booking();
    for (String action : GigstaMachine.DECLINE_PATH) {
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
        PreparedStatement insert = connection.prepareStatement(insertSql(table))) {
      bind(insert, creationRow(bookingId));
      int inserted = insert.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return inserted;
    }
  }

  /**
   * The raw peer of ours' request and decline: the same two rows, each appended as the trail appends
   * outside a host's transaction, on a connection of its own (see {@link #rawAppend}); the creation owes
   * nothing, the decline a release.
   *
   * @return the number of rows inserted into {@code table}
   */
  static int rawRequestAndDecline(DataSource pool, String table, String bookingId) throws SQLException {
    RawRow creation = creationRow(bookingId);
    int inserted = rawAppend(pool, table, creation, GigstaMachine.WORKFLOW.creation().payment());
    RawRow previous = creation;
    for (WorkflowRule rule : DECLINE_RULES) {
      RawRow next = nextRow(previous, rule);
      inserted += rawAppend(pool, table, next, rule.payment());
      previous = next;
    }
    return inserted;
  }

  /**
   * The statements the trail sends for one append outside a host's transaction, when it needs not read
   * the booking's latest row (a creation, or a row that continues the one it remembers): on a connection
   * of its own, auto-commit off, INSERT of the audit row, INSERT of its change row, COMMIT, auto-commit
   * back on.
   */
  static int rawAppend(DataSource pool, String table, RawRow row, PaymentMoment paymentMoment)
      throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return insertWithChange(connection, table, row, paymentMoment);
    }
  }

  // Auto-commit off, the audit row and its change row, COMMIT, auto-commit back on; as the trail does.
  private static int insertWithChange(Connection connection, String table, RawRow row, PaymentMoment paymentMoment)
      throws SQLException {
    boolean switched = connection.getAutoCommit();
    if (switched) {
      connection.setAutoCommit(false);
    }
    try {
      int inserted;
      try (PreparedStatement insert = connection.prepareStatement(insertSql(table))) {
        bind(insert, row);
        inserted = insert.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
          + "_change (booking_id, sequence, payment_moment) VALUES (?, ?, ?)")) {
        insert.setString(1, row.bookingId());
        insert.setLong(2, row.sequence());
        insert.setString(3, paymentMoment.name());
        insert.executeUpdate();
      }
      connection.commit();
      return inserted;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      if (switched) {
        connection.setAutoCommit(true);
      }
    }
  }

  private static String insertSql(String table) {
    return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  }

  // A booking's first row, as the engine builds it for a request by the customer.
  private static RawRow creationRow(String bookingId) {
    WorkflowRule creation = GigstaMachine.WORKFLOW.creation();
    return new RawRow(bookingId, 1, creation.actionName(), Role.CUSTOMER.name(), GigstaMachine.CUSTOMER_ID,
        GigstaMachine.CUSTOMER_ID, GigstaMachine.GIGSTA_ID, null, creation.to().name(), now(),
        creation.action().note(), null, null, HASH, HASH);
  }

  // The row after {@code latest} for the GigSta's action under {@code rule}, chained to its hash.
  private static RawRow nextRow(RawRow latest, WorkflowRule rule) {
    return new RawRow(latest.bookingId(), latest.sequence() + 1, rule.actionName(), Role.GIGSTA.name(),
        GigstaMachine.GIGSTA_ID, latest.customerId(), latest.gigstaId(), latest.toState(), rule.to().name(), now(),
        rule.action().note(), null, latest.scheduledStart(), latest.rowHash(), HASH);
  }

  private static LocalDateTime now() {
    return LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static void bind(PreparedStatement insert, RawRow row) throws SQLException {
    insert.setString(1, row.bookingId());
    insert.setLong(2, row.sequence());
    insert.setString(3, row.actionName());
    insert.setString(4, row.actorRole());
    insert.setString(5, row.actorId());
    insert.setString(6, row.customerId());
    insert.setString(7, row.gigstaId());
    if (row.fromState() == null) {
      insert.setNull(8, Types.VARCHAR);
    } else {
      insert.setString(8, row.fromState());
    }
    insert.setString(9, row.toState());
    insert.setObject(10, row.occurredAt());
    insert.setString(11, row.note());
    if (row.reason() == null) {
      insert.setNull(12, Types.VARCHAR);
    } else {
      insert.setString(12, row.reason());
    }
    if (row.scheduledStart() == null) {
      insert.setNull(13, Types.TIMESTAMP);
    } else {
      insert.setObject(13, row.scheduledStart());
    }
    insert.setString(14, row.prevHash());
    insert.setString(15, row.rowHash());
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
   * latest row (every column, as the trail reads it) in auto-commit mode, the same version check as the
   * engine's, and the next row, built from the row read (its parties, state, scheduled start and hash),
   * appended as the trail appends: auto-commit off, INSERT of the audit row, INSERT of its change row
   * owing nothing, COMMIT, auto-commit back on.
   *
   * @return the new row's sequence
   * @throws IllegalStateException if the booking has no row or its latest is not at {@code expectedVersion}
   */
  static long rawPerform(DataSource pool, String table, String bookingId, long expectedVersion, WorkflowRule rule)
      throws SQLException {
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
      RawRow next = nextRow(latest, rule);
      insertWithChange(connection, table, next, PaymentMoment.NONE);
      return next.sequence();
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
