package com.gigsta.booking.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in a short READ COMMITTED transaction of its own on a connection the trail took from the pool,
 * and puts the connection's auto-commit mode and isolation level back afterwards. Stateless.
 */
public final class Transactions {

  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

  private Transactions() {}

  /** Work on a connection that may fail with {@link SQLException}. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Does the work.
     *
     * @param connection where to do it
     * @return the result
     * @throws SQLException if the database fails
     */
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs the work in one READ COMMITTED transaction and commits it, or rolls it back if the work throws.
   * The connection must be the trail's own: a transaction it has open is ended (rolled back) first, so
   * that its isolation can be set. A transaction the database rolled back as a deadlock victim (SQL state
   * class 40) is run again, up to {@value #DEADLOCK_ATTEMPTS} times in all: InnoDB may pick one of two
   * short transactions that lock index entries in different orders (a claim moving due times while
   * another worker inserts deliveries), and the work, all of it in the database, is safe to repeat.
   *
   * @param <T> what the work returns
   * @param connection a connection of the trail's own
   * @param work what to run
   * @return what the work returns
   * @throws SQLException if the database fails; the transaction is then rolled back
   */
  public static <T> T readCommitted(Connection connection, Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return readCommittedOnce(connection, work);
      } catch (SQLException e) {
        if (attempt >= DEADLOCK_ATTEMPTS || !isRolledBackAsVictim(e)) {
          throw e;
        }
        LOG.debug("a transaction was rolled back as a deadlock victim (attempt {} of {}); running it again",
            attempt, DEADLOCK_ATTEMPTS, e);
      }
    }
  }

  private static final int DEADLOCK_ATTEMPTS = 5;

  // SQL state class 40, transaction rollback: 40001 (MariaDB and H2 deadlocks, serialization failures) and
  // PostgreSQL's 40P01.
  private static boolean isRolledBackAsVictim(SQLException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  private static <T> T readCommittedOnce(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    if (!autoCommit) {
      connection.rollback();
    }
    int isolation = connection.getTransactionIsolation();
    boolean otherIsolation = isolation != Connection.TRANSACTION_READ_COMMITTED;
    if (otherIsolation) {
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    try {
      if (autoCommit) {
        connection.setAutoCommit(false);
      }
      T result;
      try {
        result = work.run(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
      return result;
    } finally {
      restore(connection, autoCommit, otherIsolation ? isolation : -1);
    }
  }

  /**
   * Ends the transaction that reads opened on a connection handed out without auto-commit; does nothing in
   * auto-commit mode.
   *
   * @param connection a connection of the trail's own
   * @throws SQLException if the database fails
   */
  public static void endReads(Connection connection) throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.rollback();
    }
  }

  /**
   * Puts back the connection's auto-commit mode, after a transaction of the trail's own has ended. A
   * failure here does not undo what was committed, so it is logged rather than thrown; the pool sees the
   * broken connection when it is handed back.
   *
   * @param connection the connection
   * @param autoCommit the mode to put back
   */
  public static void restoreAutoCommit(Connection connection, boolean autoCommit) {
    restore(connection, autoCommit, -1);
  }

  private static void restore(Connection connection, boolean autoCommit, int isolation) {
    try {
      if (autoCommit && !connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      if (isolation >= 0) {
        connection.setTransactionIsolation(isolation);
      }
    } catch (SQLException e) {
      if (isClosed(connection)) {
        LOG.debug("a connection closed by a failure could not be restored after a transaction", e);
      } else {
        LOG.warn("could not restore a connection's auto-commit mode or isolation level after a transaction", e);
      }
    }
  }

  private static boolean isClosed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
