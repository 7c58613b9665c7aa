package com.gigsta.booking.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

/**
 * The statements on the feed head beside an audit table ({@value #SUFFIX} appended to its name): one row
 * holding the last feed position given. Its row lock serializes the {@link Sequencer} and the
 * registration of consumers. Immutable and thread-safe.
 */
public final class FeedHead {

  /** What the audit table's name is followed by in this table's name. */
  public static final String SUFFIX = "_feed_head";

  private final String name;
  private final String lock;
  private final String advance;
  private final String probe;

  /**
   * Creates the statements for the feed head of the audit table.
   *
   * @param audit the audit table
   */
  public FeedHead(AuditTable audit) {
    this.name = audit.name() + SUFFIX;
    this.lock = audit.causal("SELECT feed_position FROM " + name + " WHERE id = 1 FOR UPDATE");
    this.advance = "UPDATE " + name + " SET feed_position = ? WHERE id = 1 AND feed_position = ?";
    this.probe = "SELECT id, feed_position FROM " + name + " WHERE 1 = 0";
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
   * Locks the head row until the transaction ends and returns the last position given.
   *
   * @param connection where to lock, in a transaction
   * @return the last position given, 0 if none
   * @throws SQLException if the database fails, or the row is missing
   */
  long lock(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(lock); ResultSet rows = statement.executeQuery()) {
      if (!rows.next()) {
        throw new SQLException("the feed head row (id 1) of " + name + " is missing; the schema script "
            + Dialect.SCRIPT_V2 + " inserts it", "02000");
      }
      return rows.getLong(1);
    }
  }

  /**
   * Records the last position given, if the head still holds the one read under the lock. It always does
   * while the transaction holds the lock; should the lock have been lost (a connection that failed over to
   * another node of a cluster in the middle of the work), the head is left as it is and the transaction is
   * refused as a rollback, to be rolled back and run again, rather than moved back.
   *
   * @param connection where the head is locked
   * @param locked the last position read under the lock
   * @param position the new last position
   * @throws SQLException if the database fails, or (SQL state 40001) the head no longer holds {@code locked}
   */
  void advance(Connection connection, long locked, long position) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(advance)) {
      statement.setLong(1, position);
      statement.setLong(2, locked);
      if (statement.executeUpdate() != 1) {
        throw new SQLTransactionRollbackException("the feed head of " + name + " no longer holds position " + locked
            + ", read under its lock; the transaction must be rolled back", "40001");
      }
    }
  }
}
