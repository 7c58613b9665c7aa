package com.gigsta.booking.jdbc;

import com.gigsta.booking.AuditTrailException;
import java.sql.SQLException;

/**
 * Thrown when the database fails or refuses an audit trail operation, e.g. it is unreachable, the table
 * is missing or the user may not insert. Keeps the SQL state and vendor code of the underlying
 * {@link SQLException}. Unless the message says the outcome is unknown, nothing was recorded.
 */
public class JdbcAuditTrailException extends AuditTrailException {

  private static final long serialVersionUID = 1L;

  private final String sqlState;
  private final int vendorCode;

  /**
   * Creates the exception.
   *
   * @param operation what the trail was doing, e.g. {@code "append"} or {@code "verify"}
   * @param bookingId the booking concerned, or {@code null} for operations across bookings
   * @param message what failed
   * @param cause the driver's exception, or {@code null}
   */
  public JdbcAuditTrailException(String operation, String bookingId, String message, Throwable cause) {
    super(operation, bookingId, describe(message, cause), cause);
    SQLException sql = cause instanceof SQLException e ? e : null;
    this.sqlState = sql == null ? null : sql.getSQLState();
    this.vendorCode = sql == null ? 0 : sql.getErrorCode();
  }

  /**
   * Returns the SQL state the database reported.
   *
   * @return the SQL state, e.g. {@code "42501"}, or {@code null} if none
   */
  public String sqlState() {
    return sqlState;
  }

  /**
   * Returns the database's own error code.
   *
   * @return the vendor code, or 0 if none
   */
  public int vendorCode() {
    return vendorCode;
  }

  private static String describe(String message, Throwable cause) {
    if (cause instanceof SQLException e) {
      return message + " (SQL state " + e.getSQLState() + ", code " + e.getErrorCode() + ": " + e.getMessage() + ")";
    }
    return cause == null ? message : message + " (" + cause + ")";
  }
}
