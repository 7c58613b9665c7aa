package com.gigsta.booking.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The databases the trail supports, told apart by {@link DatabaseMetaData}. The trail's statements are the
 * same on all of them; only the schema scripts and a few error codes differ. Immutable.
 */
public enum Dialect {
  /** H2 2.x. */
  H2("h2"),
  /** PostgreSQL 12 and later. */
  POSTGRESQL("postgresql"),
  /** MariaDB 10.6 and later, and MySQL 8. */
  MARIADB("mariadb");

  /** Where the schema scripts are, relative to the class path root. */
  public static final String SCRIPT_ROOT = "db/gigsta-booking/";
  /** The name of the first schema script in each database's folder: the audit table. */
  public static final String SCRIPT_V1 = "V1__gigsta_booking_audit.sql";
  /** The name of the second schema script in each database's folder: the change feed and deliveries. */
  public static final String SCRIPT_V2 = "V2__gigsta_booking_feed.sql";
  /** The name of the third schema script in each database's folder: the timers' indexes and table. */
  public static final String SCRIPT_V3 = "V3__gigsta_booking_timers.sql";
  /**
   * The name of the fourth schema script in each database's folder: the audit table's money columns and
   * the hold table's attempts and amounts.
   */
  public static final String SCRIPT_V4 = "V4__gigsta_booking_money.sql";
  /**
   * The name of the fifth schema script in each database's folder: the audit table's workflow version
   * columns.
   */
  public static final String SCRIPT_V5 = "V5__gigsta_booking_workflow_versions.sql";

  private static final int MYSQL_DUPLICATE_KEY = 1062;
  // MariaDB Galera's "WSREP has not yet prepared node for application use": the node is not part of the
  // cluster's primary component (it is joining, or cut off), and runs no statement.
  private static final int GALERA_NOT_READY = 1047;

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /**
   * Returns where this database's first schema script is.
   *
   * @return the class path resource, without a leading slash
   */
  public String schemaScript() {
    return schemaScript(SCRIPT_V1);
  }

  /**
   * Returns where one of this database's schema scripts is.
   *
   * @param script the script's file name, {@link #SCRIPT_V1}, {@link #SCRIPT_V2}, {@link #SCRIPT_V3},
   *     {@link #SCRIPT_V4} or {@link #SCRIPT_V5}
   * @return the class path resource, without a leading slash
   */
  public String schemaScript(String script) {
    return SCRIPT_ROOT + folder + "/" + script;
  }

  /**
   * Returns the dialect of the database the metadata describes.
   *
   * @param metaData the connection's metadata
   * @return the dialect
   * @throws SQLException if the metadata cannot be read
   * @throws IllegalArgumentException naming the product if it is not supported
   */
  public static Dialect of(DatabaseMetaData metaData) throws SQLException {
    String product = metaData.getDatabaseProductName();
    String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (name.contains("h2")) {
      return H2;
    }
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    throw new IllegalArgumentException("unsupported database '" + product
        + "'; the trail supports H2, PostgreSQL, MariaDB and MySQL");
  }

  /**
   * Returns true when the failure, or one chained to it, says another writer holds or held the same
   * primary key: a unique violation (SQL state 23505 on PostgreSQL and H2, 23000 with code 1062 on
   * MariaDB and MySQL), or a deadlock or serialization failure between writers of that key (class 40).
   *
   * @param failure what the driver threw
   * @return whether another writer of the same key caused it
   */
  public static boolean isWriteConflict(SQLException failure) {
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof SQLException e && e.getSQLState() != null) {
        String state = e.getSQLState();
        if (state.equals("23505") || state.startsWith("40")
            || (state.equals("23000") && e.getErrorCode() == MYSQL_DUPLICATE_KEY)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns true when the database answered that it refused the statement or the commit, so that nothing
   * of the transaction is committed: SQL state class 40, transaction rollback (a deadlock victim, a
   * serialization failure, and on MariaDB Galera a certification failure or a transaction aborted for a
   * write set applied from another node, SQL state 40001 with error 1213), or MariaDB Galera's error 1047,
   * a node outside the cluster's primary component. A lost connection is not such an answer: the commit
   * may have taken effect.
   *
   * @param failure what the driver threw
   * @return whether nothing was committed
   */
  public static boolean isRefused(SQLException failure) {
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof SQLException e
          && ((e.getSQLState() != null && e.getSQLState().startsWith("40")) || e.getErrorCode() == GALERA_NOT_READY)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether the connection's server is a MariaDB node of a Galera cluster: MariaDB (not MySQL,
   * whose Galera builds lack {@code SET STATEMENT}), with wsrep on and a provider loaded. Its reads see a
   * commit made on another node only once they wait for it, see {@link AuditTable#causal(String)}.
   *
   * @param connection a connection to the server, in auto-commit mode
   * @return true on a MariaDB Galera node; false on every other database
   */
  public boolean isGaleraNode(Connection connection) {
    if (this != MARIADB) {
      return false;
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT @@global.wsrep_on, @@global.wsrep_provider")) {
      String product = connection.getMetaData().getDatabaseProductName();
      return rows.next() && rows.getBoolean(1) && rows.getString(2) != null
          && !rows.getString(2).equalsIgnoreCase("none")
          && product != null && product.toLowerCase(Locale.ROOT).contains("mariadb");
    } catch (SQLException e) {
      return false;
    }
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException e && e.getNextException() != null) {
      return e.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }
}
