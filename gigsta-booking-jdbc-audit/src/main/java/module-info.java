/**
 * A durable, tamper-evident {@link com.gigsta.booking.spi.AuditTrail} on H2, PostgreSQL and MariaDB
 * through plain JDBC.
 *
 * <p>The schema scripts live under {@code db/gigsta-booking/<database>/}; that folder name is
 * not a Java package name, so the scripts stay readable by migration tools in other modules.
 */
module com.gigsta.booking.jdbc {
  requires transitive com.gigsta.booking;
  requires transitive java.sql;
  requires org.slf4j;

  exports com.gigsta.booking.jdbc;
}
