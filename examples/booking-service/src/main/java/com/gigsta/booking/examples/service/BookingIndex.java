package com.gigsta.booking.examples.service;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Role;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which bookings each person takes part in, in the service's own {@code booking_index} table: the audit
 * trail answers "what happened to booking X", this answers "which bookings are mine". Thread-safe.
 *
 * <p>Only ids are stored; state and version are always read from the audit trail, so the index can never
 * disagree with it about a booking's state.
 */
public final class BookingIndex {

  private static final int MAX_LISTED = 100;

  private final JdbcTemplate jdbc;

  /** Creates the index on the given connection source; the table comes from {@code schema.sql}. */
  public BookingIndex(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records that a booking between this customer and GigSta was created; call it in the transaction that
   * records the booking's creation in the audit trail.
   */
  public void add(String bookingId, String customerId, String gigstaId, Instant createdAt) {
    jdbc.update("INSERT INTO booking_index (booking_id, customer_id, gigsta_id, created_at) VALUES (?, ?, ?, ?)",
        bookingId, customerId, gigstaId, Timestamp.from(createdAt));
  }

  /**
   * Returns the ids of the newest bookings the actor takes part in, newest first: their own as customer or
   * GigSta, every booking for an operator.
   */
  public List<String> bookingIdsOf(Actor actor) {
    String limit = " ORDER BY created_at DESC, booking_id FETCH FIRST " + MAX_LISTED + " ROWS ONLY";
    if (actor.role() == Role.CUSTOMER) {
      return jdbc.queryForList("SELECT booking_id FROM booking_index WHERE customer_id = ?" + limit,
          String.class, actor.id());
    }
    if (actor.role() == Role.GIGSTA) {
      return jdbc.queryForList("SELECT booking_id FROM booking_index WHERE gigsta_id = ?" + limit,
          String.class, actor.id());
    }
    return jdbc.queryForList("SELECT booking_id FROM booking_index" + limit, String.class);
  }
}
