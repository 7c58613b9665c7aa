package com.gigsta.booking.jdbc.internal;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
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

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException e && e.getNextException() != null) {
      return e.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }
}
