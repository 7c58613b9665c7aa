package com.gigsta.booking.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statements on the consumer table beside an audit table ({@value #SUFFIX} appended to its name): the
 * durable consumers owed deliveries, the built-in settlement consumer among them. Immutable and
 * thread-safe.
 */
public final class ConsumerTable {

  /** What the audit table's name is followed by in this table's name. */
  public static final String SUFFIX = "_consumer";

  private final String name;
  private final String selectAll;
  private final String selectOne;
  private final String insert;
  private final String probe;

  /**
   * Creates the statements for the consumer table of the audit table.
   *
   * @param audit the audit table
   */
  public ConsumerTable(AuditTable audit) {
    this.name = audit.name() + SUFFIX;
    this.selectAll = audit.causal("SELECT consumer, settlements_only FROM " + name + " ORDER BY consumer");
    this.selectOne = audit.causal("SELECT consumer FROM " + name + " WHERE consumer = ?");
    this.insert = "INSERT INTO " + name + " (consumer, settlements_only, registered_at) VALUES (?, ?, ?)";
    this.probe = "SELECT consumer, settlements_only, registered_at FROM " + name + " WHERE 1 = 0";
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
   * Returns every registered consumer.
   *
   * @param connection where to read
   * @return each consumer's name and whether it is owed only settlements, by name
   * @throws SQLException if the database fails
   */
  Map<String, Boolean> all(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectAll);
        ResultSet rows = statement.executeQuery()) {
      Map<String, Boolean> consumers = new LinkedHashMap<>();
      while (rows.next()) {
        consumers.put(rows.getString(1), rows.getBoolean(2));
      }
      return consumers;
    }
  }

  /**
   * Returns whether the consumer is registered.
   *
   * @param connection where to read
   * @param consumer the consumer's name
   * @return true if it is
   * @throws SQLException if the database fails
   */
  public boolean exists(Connection connection, String consumer) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectOne)) {
      statement.setString(1, consumer);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Registers a consumer owed every change.
   *
   * @param connection where to write, holding the feed head's lock so that no change is placed meanwhile
   * @param consumer the consumer's name
   * @param registeredAt when
   * @throws SQLException if the database fails
   */
  void insert(Connection connection, String consumer, Instant registeredAt) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(1, consumer);
      statement.setBoolean(2, false);
      statement.setObject(3, AuditTable.toLocal(DeliveryTable.storedTime(registeredAt)));
      statement.executeUpdate();
    }
  }
}
