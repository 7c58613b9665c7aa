package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.spi.AuditTrail.HoldStatus;
import com.gigsta.booking.spi.AuditTrail.PaymentAttempt;
import com.gigsta.booking.spi.PaymentRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements on the hold table beside an audit table ({@value #SUFFIX} appended to its name): one row
 * per attempt to secure payment for a change, recorded before the provider is called, keyed by the
 * change (booking, sequence, action) and the attempt, with the amount it secures. A hold is
 * {@link HoldStatus#HELD} until the change's append claims it, which marks it {@link HoldStatus#CLAIMED}
 * in the append's transaction; otherwise it becomes {@link HoldStatus#DECLINED} once the provider declined it,
 * {@link HoldStatus#ABANDONED} once the settlement worker gave it up, and {@link HoldStatus#RELEASED}
 * once its payment was released, so that its attempt, and so its idempotency key, is never made again.
 * Every status change is a conditional UPDATE of one row by its primary key, so of several service
 * instances acting at once exactly one makes each change. Immutable and thread-safe.
 */
public final class HoldTable {

  /** What the audit table's name is followed by in this table's name. */
  public static final String SUFFIX = "_hold";

  private static final String HELD = HoldStatus.HELD.name();
  private static final String ABANDONED = HoldStatus.ABANDONED.name();
  // SQL's class of data exceptions: the stored values do not make what the column pair must hold.
  private static final String DATA_EXCEPTION = "22000";

  private final String name;
  private final String insert;
  private final String selectAttempts;
  private final String claim;
  private final String selectAbandonable;
  private final String selectAbandonableSkippingLocked;
  private final String abandon;
  private final String decline;
  private final String release;
  private final String probe;
  private final String attemptProbe;

  /**
   * Creates the statements for the hold table of the audit table.
   *
   * @param audit the audit table
   */
  public HoldTable(AuditTable audit) {
    this.name = audit.name() + SUFFIX;
    String change = " WHERE booking_id = ? AND sequence = ? AND action_name = ?";
    String attempt = change + " AND attempt = ?";
    this.insert = "INSERT INTO " + name + " (booking_id, sequence, action_name, attempt, customer_id, gigsta_id, "
        + "amount_minor, amount_currency, status, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '" + HELD + "', ?)";
    this.selectAttempts = audit.causal("SELECT attempt, status FROM " + name + change + " ORDER BY attempt");
    this.claim = audit.causal("UPDATE " + name + " SET status = '" + HoldStatus.CLAIMED.name() + "'" + change
        + " AND status = '" + HELD + "'");
    this.selectAbandonable = audit.causal("SELECT booking_id, sequence, action_name, attempt, customer_id, gigsta_id, "
        + "amount_minor, amount_currency, status FROM " + name
        // Read through the (status, recorded_at) index: the held and abandoned holds alone, never the
        // declined and released ones, which stay for good.
        + " WHERE status IN ('" + HELD + "', '" + ABANDONED + "')"
        + " AND (status = '" + ABANDONED + "' OR recorded_at < ?)"
        + " ORDER BY recorded_at, booking_id, sequence, action_name, attempt LIMIT ? FOR UPDATE");
    this.selectAbandonableSkippingLocked = selectAbandonable + " SKIP LOCKED";
    this.abandon = "UPDATE " + name + " SET status = '" + ABANDONED + "'" + attempt + " AND status = '" + HELD + "'";
    this.decline = audit.causal("UPDATE " + name + " SET status = '" + HoldStatus.DECLINED.name() + "'" + attempt
        + " AND status = '" + HELD + "'");
    this.release = audit.causal("UPDATE " + name + " SET status = '" + HoldStatus.RELEASED.name() + "'" + attempt
        + " AND status IN ('" + HELD + "', '" + ABANDONED + "')");
    this.probe = "SELECT booking_id, sequence, action_name, customer_id, gigsta_id, status, recorded_at FROM " + name
        + " WHERE 1 = 0";
    this.attemptProbe = "SELECT attempt, amount_minor, amount_currency FROM " + name + " WHERE 1 = 0";
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
   * Returns the statement that selects no row but every column of the second schema script, to check the
   * table exists.
   *
   * @return the SQL
   */
  public String probeSql() {
    return probe;
  }

  /**
   * Returns the statement that selects no row but the columns the fourth schema script adds (the attempt
   * and the amount), to check they were added.
   *
   * @return the SQL
   */
  public String attemptProbeSql() {
    return attemptProbe;
  }

  /**
   * Records a hold as held; the caller treats a primary-key violation as this attempt being recorded
   * already.
   *
   * @param connection where to write, in auto-commit mode
   * @param secure the request about to be sent, with its attempt and amount
   * @param recordedAt when
   * @throws SQLException if the database fails, or the attempt's hold exists
   */
  public void insert(Connection connection, PaymentRequest secure, Instant recordedAt) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      bindAttempt(statement, secure);
      statement.setString(5, secure.customerId());
      statement.setString(6, secure.gigstaId());
      Money amount = secure.amount();
      if (amount == null) {
        statement.setNull(7, Types.BIGINT);
        statement.setNull(8, Types.CHAR);
      } else {
        statement.setLong(7, amount.amountMinor());
        statement.setString(8, amount.currencyCode());
      }
      statement.setObject(9, AuditTable.toLocal(DeliveryTable.storedTime(recordedAt)));
      statement.executeUpdate();
    }
  }

  /**
   * Returns the attempt the next secure call for the change is: the lowest attempt claimed, held or
   * abandoned, with its status, if any; otherwise one more than the highest attempt kept (declined or
   * released), or 1 for a change without holds.
   *
   * @param connection where to read
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @param actionName the change's action
   * @return the attempt, from 1
   * @throws SQLException if the database fails
   */
  public PaymentAttempt nextAttempt(Connection connection, String bookingId, long sequence, String actionName)
      throws SQLException {
    int last = 0;
    for (Attempt attempt : attempts(connection, bookingId, sequence, actionName)) {
      if (attempt.status() == HoldStatus.CLAIMED || attempt.status() == HoldStatus.HELD
          || attempt.status() == HoldStatus.ABANDONED) {
        return new PaymentAttempt(attempt.attempt(), attempt.status());
      }
      last = Math.max(last, attempt.attempt());
    }
    return new PaymentAttempt(last + 1, null);
  }

  /**
   * Marks the change's held hold claimed, in the append's transaction, by one conditional UPDATE: a change
   * has at most one held hold, since a new attempt starts only once the last one was declined or released.
   * The UPDATE reads the latest committed rows whatever the transaction's snapshot on MariaDB (a host's
   * REPEATABLE READ transaction began before the hold was recorded on a connection of the trail's own),
   * and keeps the row locked until the append ends. A hold the settlement worker marks abandoned meanwhile
   * is not claimed: the UPDATE waits for the worker's lock and then finds it no longer held.
   *
   * @param connection the append's connection
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @param actionName the change's action
   * @return true if this claimed a hold; false if the change has none held (never recorded, declined,
   *     abandoned or released)
   * @throws SQLException if the database fails
   */
  public boolean claim(Connection connection, String bookingId, long sequence, String actionName) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(claim)) {
      bindChange(statement, bookingId, sequence, actionName);
      return statement.executeUpdate() > 0;
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
   * @return the holds' secure requests, each with its attempt and amount
   * @throws SQLDataException naming the hold, if a hold's amount cannot be read back as one: the caller's
   *     transaction is then rolled back and nothing is marked
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
          PaymentRequest secure = read(rows);
          found.add(secure);
          if (HELD.equals(rows.getString(9))) {
            held.add(secure);
          }
        }
      }
    }
    if (!held.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(abandon)) {
        for (PaymentRequest secure : held) {
          bindAttempt(statement, secure);
          statement.addBatch();
        }
        statement.executeBatch();
      }
    }
    return found;
  }

  /**
   * Marks the attempt's hold declined if it is still held.
   *
   * @param connection where to write, in auto-commit mode
   * @param secure the declined attempt's secure request
   * @return true if this marked it
   * @throws SQLException if the database fails
   */
  public boolean markDeclined(Connection connection, PaymentRequest secure) throws SQLException {
    return update(connection, decline, secure);
  }

  /**
   * Marks the attempt's hold released if it is held or abandoned; a claimed, declined or released hold is
   * left as it is.
   *
   * @param connection where to write, in auto-commit mode
   * @param secure the hold's secure request
   * @return true if this marked it
   * @throws SQLException if the database fails
   */
  public boolean markReleased(Connection connection, PaymentRequest secure) throws SQLException {
    return update(connection, release, secure);
  }

  private static boolean update(Connection connection, String sql, PaymentRequest secure) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bindAttempt(statement, secure);
      return statement.executeUpdate() == 1;
    }
  }

  /** One attempt kept for a change, and what became of it. */
  private record Attempt(int attempt, HoldStatus status) {}

  private List<Attempt> attempts(Connection connection, String bookingId, long sequence, String actionName)
      throws SQLException {
    List<Attempt> attempts = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(selectAttempts)) {
      bindChange(statement, bookingId, sequence, actionName);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          attempts.add(new Attempt(rows.getInt(1), HoldStatus.valueOf(rows.getString(2))));
        }
      }
    }
    return attempts;
  }

  // The hold as the secure request it recorded. Its amount is refused, never guessed, if the columns do
  // not make one: a minor amount without a currency or the other way round, a negative amount, a code
  // that is no ISO 4217 currency with minor units.
  private static PaymentRequest read(ResultSet rows) throws SQLException {
    String bookingId = rows.getString(1);
    long sequence = rows.getLong(2);
    String actionName = rows.getString(3);
    int attempt = rows.getInt(4);
    long minor = rows.getLong(7);
    Long amountMinor = rows.wasNull() ? null : minor;
    String currency = rows.getString(8);
    try {
      Money amount;
      if (amountMinor == null && currency == null) {
        amount = null;
      } else if (amountMinor == null || currency == null) {
        throw new IllegalArgumentException("amount_minor is " + amountMinor + " and amount_currency is "
            + (currency == null ? null : "'" + currency + "'") + ": an amount needs both");
      } else {
        amount = Money.of(amountMinor, currency);
      }
      return PaymentRequest.of(PaymentMoment.SECURE, bookingId, rows.getString(5), rows.getString(6), actionName,
          sequence, attempt, amount);
    } catch (RuntimeException e) {
      throw new SQLDataException("the hold of attempt " + attempt + " of " + bookingId + ":" + sequence + ":"
          + actionName + " cannot be read as a payment to release (" + e.getMessage() + "); nothing was released",
          DATA_EXCEPTION, e);
    }
  }

  private static void bindChange(PreparedStatement statement, String bookingId, long sequence, String actionName)
      throws SQLException {
    statement.setString(1, bookingId);
    statement.setLong(2, sequence);
    statement.setString(3, actionName);
  }

  private static void bindAttempt(PreparedStatement statement, PaymentRequest secure) throws SQLException {
    bindChange(statement, secure.bookingId(), secure.sequence(), secure.actionName());
    statement.setInt(4, secure.attempt());
  }
}
