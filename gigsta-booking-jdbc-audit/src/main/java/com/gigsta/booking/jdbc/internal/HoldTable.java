package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.PaymentRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements on the hold table beside an audit table ({@value #SUFFIX} appended to its name): payments
 * about to be secured for a change, recorded before the provider is called and claimed (deleted) by the
 * change's append in the same transaction. A hold nobody claimed in time is marked abandoned, which no
 * append can claim, and deleted once its payment is released. Immutable and thread-safe.
 */
public final class HoldTable {

  /** What the audit table's name is followed by in this table's name. */
  public static final String SUFFIX = "_hold";

  private static final String HELD = "HELD";
  private static final String ABANDONED = "ABANDONED";

  private final String name;
  private final String insert;
  private final String claim;
  private final String selectAbandonable;
  private final String selectAbandonableSkippingLocked;
  private final String abandon;
  private final String delete;
  private final String probe;

  /**
   * Creates the statements for the hold table of the audit table.
   *
   * @param audit the audit table
   */
  public HoldTable(AuditTable audit) {
    this.name = audit.name() + SUFFIX;
    String key = " WHERE booking_id = ? AND sequence = ? AND action_name = ?";
    this.insert = "INSERT INTO " + name + " (booking_id, sequence, action_name, customer_id, gigsta_id, status, "
        + "recorded_at) VALUES (?, ?, ?, ?, ?, '" + HELD + "', ?)";
    this.claim = "DELETE FROM " + name + key + " AND status = '" + HELD + "'";
    this.selectAbandonable = "SELECT booking_id, sequence, action_name, customer_id, gigsta_id, status FROM " + name
        + " WHERE status = '" + ABANDONED + "' OR (status = '" + HELD + "' AND recorded_at < ?)"
        + " ORDER BY recorded_at, booking_id, sequence LIMIT ? FOR UPDATE";
    this.selectAbandonableSkippingLocked = selectAbandonable + " SKIP LOCKED";
    this.abandon = "UPDATE " + name + " SET status = '" + ABANDONED + "'" + key + " AND status = '" + HELD + "'";
    this.delete = "DELETE FROM " + name + key;
    this.probe = "SELECT booking_id, sequence, action_name, customer_id, gigsta_id, status, recorded_at FROM " + name
        + " WHERE 1 = 0";
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
   * Records a hold; the caller treats a primary-key violation as the hold being recorded already.
   *
   * @param connection where to write, in auto-commit mode
   * @param secure the request about to be sent
   * @param recordedAt when
   * @throws SQLException if the database fails, or the hold exists
   */
  public void insert(Connection connection, PaymentRequest secure, Instant recordedAt) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      bindKey(statement, secure);
      statement.setString(4, secure.customerId());
      statement.setString(5, secure.gigstaId());
      statement.setObject(6, AuditTable.toLocal(DeliveryTable.storedTime(recordedAt)));
      statement.executeUpdate();
    }
  }

  /**
   * Deletes the change's hold if it is still held, in the append's transaction.
   *
   * @param connection the append's connection
   * @param secure the change's secure request
   * @return true if this claimed it; false if there was no hold, or it was given up as abandoned
   * @throws SQLException if the database fails
   */
  public boolean claim(Connection connection, PaymentRequest secure) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(claim)) {
      bindKey(statement, secure);
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Locks the holds abandoned before and those held since before {@code recordedBefore}, marks the latter
   * abandoned, and returns both, oldest first; in the caller's transaction.
   *
   * @param connection a connection in a READ COMMITTED transaction
   * @param recordedBefore the cutoff for holds still held
   * @param limit the most to return
   * @param skipLocked whether the database takes {@code SKIP LOCKED}
   * @return the holds' secure requests
   * @throws SQLException if the database fails
   */
  public List<PaymentRequest> abandon(Connection connection, Instant recordedBefore, int limit, boolean skipLocked)
      throws SQLException {
    List<PaymentRequest> found = new ArrayList<>();
    List<PaymentRequest> held = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        skipLocked ? selectAbandonableSkippingLocked : selectAbandonable)) {
      statement.setObject(1, AuditTable.toLocal(DeliveryTable.storedTime(recordedBefore)));
      statement.setInt(2, limit);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          PaymentRequest secure = PaymentRequest.of(PaymentMoment.SECURE, rows.getString(1), rows.getString(4),
              rows.getString(5), rows.getString(3), rows.getLong(2));
          found.add(secure);
          if (HELD.equals(rows.getString(6))) {
            held.add(secure);
          }
        }
      }
    }
    if (!held.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(abandon)) {
        for (PaymentRequest secure : held) {
          bindKey(statement, secure);
          statement.addBatch();
        }
        statement.executeBatch();
      }
    }
    return found;
  }

  /**
   * Deletes a hold whatever its status.
   *
   * @param connection where to write
   * @param secure the hold's secure request
   * @throws SQLException if the database fails
   */
  public void delete(Connection connection, PaymentRequest secure) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(delete)) {
      bindKey(statement, secure);
      statement.executeUpdate();
    }
  }

  private static void bindKey(PreparedStatement statement, PaymentRequest secure) throws SQLException {
    statement.setString(1, secure.bookingId());
    statement.setLong(2, secure.sequence());
    statement.setString(3, secure.actionName());
  }
}
