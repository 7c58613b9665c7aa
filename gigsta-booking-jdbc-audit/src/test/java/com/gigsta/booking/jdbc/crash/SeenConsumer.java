package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.ChangeConsumer;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.jdbc.internal.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A durable consumer that records every change it is given in the database: one row per change, its
 * {@code times} counting repeats, {@code moved} counting repeats that came with another feed position
 * than the first. Each delivery is committed before {@link #deliver} returns. Thread-safe, and safe
 * across processes.
 */
public final class SeenConsumer implements ChangeConsumer {

  private final DataSource dataSource;
  private final CrashDatabase database;

  /** A consumer recording in the run's table. */
  public SeenConsumer(DataSource dataSource, CrashDatabase database) {
    this.dataSource = dataSource;
    this.database = database;
  }

  @Override
  public void deliver(FeedChange change) throws SQLException {
    long position = change.cursor().position();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      for (int attempt = 0; ; attempt++) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + database.seenTable()
            + " SET times = times + 1, moved = moved + CASE WHEN feed_position = ? THEN 0 ELSE 1 END "
            + "WHERE booking_id = ? AND sequence = ?")) {
          update.setLong(1, position);
          update.setString(2, change.bookingId());
          update.setLong(3, change.sequence());
          if (update.executeUpdate() == 1) {
            return;
          }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database.seenTable()
            + " (booking_id, sequence, times, feed_position, moved) VALUES (?, ?, 1, ?, 0)")) {
          insert.setString(1, change.bookingId());
          insert.setLong(2, change.sequence());
          insert.setLong(3, position);
          insert.executeUpdate();
          return;
        } catch (SQLException e) {
          // Another worker inserted the row first: count this delivery as a repeat on the next pass.
          if (!Dialect.isWriteConflict(e) || attempt >= 5) {
            throw e;
          }
        }
      }
    }
  }
}
