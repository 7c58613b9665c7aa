package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A fake payment provider whose whole state is in the database, so that it outlives any process that
 * calls it. It honours idempotency keys as a real provider does: the first call with a key takes effect
 * and records its result; a call with a key already seen returns that first result and changes nothing;
 * a key reused with other parameters is refused. Every call, whatever its outcome, is appended to the
 * call log. Each call is one transaction, so the key table is the provider's own truth: a key row exists
 * if and only if that payment operation took effect. Thread-safe, and safe across processes.
 */
public final class DurableProvider implements PaymentHooks {

  /** What a call did. */
  enum Outcome { NEW, REPEAT, REFUSED }

  private static final int ATTEMPTS = 10;

  private final DataSource dataSource;
  private final CrashDatabase database;
  private final String caller;

  /** A provider whose calls are recorded as made by the caller. */
  public DurableProvider(DataSource dataSource, CrashDatabase database, String caller) {
    this.dataSource = dataSource;
    this.database = database;
    this.caller = caller;
  }

  @Override
  public void secure(PaymentRequest request) {
    call(request);
  }

  @Override
  public void release(PaymentRequest request) {
    call(request);
  }

  @Override
  public void refund(PaymentRequest request) {
    call(request);
  }

  @Override
  public void capture(PaymentRequest request) {
    call(request);
  }

  @Override
  public void payout(PaymentRequest request) {
    call(request);
  }

  /**
   * Makes the call and returns the key's result.
   *
   * @throws IllegalArgumentException if the key was used before with other parameters
   * @throws IllegalStateException if the database keeps failing
   */
  String call(PaymentRequest request) {
    SQLException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        Answer answer = callOnce(request);
        if (answer.outcome() == Outcome.REFUSED) {
          throw new IllegalArgumentException("idempotency key " + request.idempotencyKey()
              + " was used before with other parameters: " + answer.result());
        }
        return answer.result();
      } catch (SQLException e) {
        // Two callers inserting the same new key: the loser's next attempt finds the winner's row.
        if (!Dialect.isWriteConflict(e)) {
          throw new IllegalStateException("the provider failed on " + request.idempotencyKey(), e);
        }
        last = e;
      }
    }
    throw new IllegalStateException("the provider kept conflicting on " + request.idempotencyKey(), last);
  }

  private record Answer(Outcome outcome, String result) {}

  private Answer callOnce(PaymentRequest request) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Answer answer = answer(connection, request);
        connection.commit();
        return answer;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  private Answer answer(Connection connection, PaymentRequest request) throws SQLException {
    String key = request.idempotencyKey();
    try (PreparedStatement select = connection.prepareStatement("SELECT moment, booking_id, sequence, action_name, "
        + "customer_id, gigsta_id, result FROM " + database.providerKeyTable() + " WHERE idempotency_key = ?")) {
      select.setString(1, key);
      try (ResultSet rows = select.executeQuery()) {
        if (rows.next()) {
          boolean same = rows.getString(1).equals(request.moment().name())
              && rows.getString(2).equals(request.bookingId()) && rows.getLong(3) == request.sequence()
              && rows.getString(4).equals(request.actionName()) && rows.getString(5).equals(request.customerId())
              && rows.getString(6).equals(request.gigstaId());
          String first = rows.getString(7);
          if (!same) {
            logCall(connection, request, Outcome.REFUSED, null);
            return new Answer(Outcome.REFUSED, "first used as " + rows.getString(1) + " of " + rows.getString(2)
                + ":" + rows.getLong(3));
          }
          logCall(connection, request, Outcome.REPEAT, first);
          return new Answer(Outcome.REPEAT, first);
        }
      }
    }
    String result = request.moment().name().toLowerCase(Locale.ROOT) + "_" + UUID.randomUUID();
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database.providerKeyTable()
        + " (idempotency_key, moment, booking_id, sequence, action_name, customer_id, gigsta_id, result, caller, "
        + "created_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, key);
      insert.setString(2, request.moment().name());
      insert.setString(3, request.bookingId());
      insert.setLong(4, request.sequence());
      insert.setString(5, request.actionName());
      insert.setString(6, request.customerId());
      insert.setString(7, request.gigstaId());
      insert.setString(8, result);
      insert.setString(9, caller);
      insert.setLong(10, micros());
      insert.executeUpdate();
    }
    logCall(connection, request, Outcome.NEW, result);
    return new Answer(Outcome.NEW, result);
  }

  private void logCall(Connection connection, PaymentRequest request, Outcome outcome, String result)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database.providerCallTable()
        + " (id, idempotency_key, moment, booking_id, sequence, outcome, result, caller, called_micros) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setString(2, request.idempotencyKey());
      insert.setString(3, request.moment().name());
      insert.setString(4, request.bookingId());
      insert.setLong(5, request.sequence());
      insert.setString(6, outcome.name());
      insert.setString(7, result);
      insert.setString(8, caller);
      insert.setLong(9, micros());
      insert.executeUpdate();
    }
  }

  private static long micros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }
}
