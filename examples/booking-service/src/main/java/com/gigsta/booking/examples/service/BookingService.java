package com.gigsta.booking.examples.service;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingNotFoundException;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.Money;
import com.gigsta.booking.NotABookingPartyException;
import com.gigsta.booking.Role;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the API offers, in terms of the engine: every method takes the authenticated actor, and a booking
 * the actor takes no part in is reported as not found, exactly like one that does not exist. Thread-safe.
 */
@Service
public class BookingService {

  private final BookingEngine engine;
  private final JdbcAuditTrail auditTrail;
  private final BookingIndex index;
  private final DataSource dataSource;
  private final TransactionTemplate transactions;
  private final Clock clock;

  BookingService(BookingEngine engine, JdbcAuditTrail auditTrail, BookingIndex index, DataSource dataSource,
      PlatformTransactionManager transactionManager, Clock clock) {
    this.engine = engine;
    this.auditTrail = auditTrail;
    this.index = index;
    this.dataSource = dataSource;
    this.transactions = new TransactionTemplate(transactionManager);
    this.clock = clock;
  }

  /**
   * Requests a booking from a GigSta as the customer, at the given price or, without one, at the GigSta's
   * list price.
   *
   * @param price what the booking costs, or {@code null} for the GigSta's {@link DemoUsers.DemoUser#listPrice()}
   * @throws InvalidBookingInputException if the actor is no customer, the GigSta is unknown, the start is in
   *     the past (by the service's clock) or the price is zero
   */
  public BookingChange request(Actor customer, String gigstaId, Instant scheduledStart, Money price) {
    DemoUsers.DemoUser gigsta = Optional.ofNullable(gigstaId).flatMap(DemoUsers::find)
        .filter(user -> user.role() == Role.GIGSTA)
        .orElseThrow(() -> new InvalidBookingInputException("gigsta_id", "gigsta_id must name a GigSta, one of "
            + DemoUsers.withRole(Role.GIGSTA).stream().map(DemoUsers.DemoUser::username).toList()
            + ", but was " + (gigstaId == null ? "missing" : "'" + gigstaId + "'")));
    if (scheduledStart != null && scheduledStart.isBefore(clock.instant())) {
      // The library takes any start (a host may record bookings after the fact); a person books ahead.
      throw new InvalidBookingInputException("scheduled_start", "scheduled_start must not be in the past but was "
          + scheduledStart + ", before now (" + clock.instant() + ")");
    }
    Money charged = price == null ? gigsta.listPrice() : price;
    String bookingId = UUID.randomUUID().toString();
    // The audit row and the index row commit together, or neither does: the trail joins the connection of
    // the Spring transaction, which the JdbcTemplate behind the index uses as well.
    return transactions.execute(status -> {
      Connection connection = DataSourceUtils.getConnection(dataSource);
      try {
        BookingChange change = auditTrail.inTransaction(connection,
            () -> engine.requestBooking(bookingId, customer, gigstaId, scheduledStart, charged));
        index.add(bookingId, customer.id(), gigstaId, change.entry().occurredAt());
        return change;
      } finally {
        DataSourceUtils.releaseConnection(connection, dataSource);
      }
    });
  }

  /** Returns the bookings the actor takes part in (all of them for an operator), newest first. */
  public List<Booking> bookingsOf(Actor actor) {
    List<Booking> bookings = new ArrayList<>();
    for (String id : index.bookingIdsOf(actor)) {
      try {
        bookings.add(engine.load(id));
      } catch (BookingNotFoundException e) {
        // Cannot happen while every index row is written with its booking's creation; a row left by
        // hand or by an older version is skipped rather than failing the whole list.
      }
    }
    return bookings;
  }

  /** Returns the booking if the actor may see it. */
  public Booking find(Actor actor, String bookingId) {
    Booking booking = engine.load(bookingId);
    if (!mayView(booking, actor)) {
      throw new BookingNotFoundException(bookingId);
    }
    return booking;
  }

  /** Returns the actions the actor may take on the booking now. */
  public List<BookingAction> actions(Actor actor, Booking booking) {
    return engine.getAvailableBookingActions(booking, actor);
  }

  /** Returns the booking's audit trail, creation first. */
  public List<AuditEntry> history(Actor actor, String bookingId) {
    // One read: the latest entry of the history is the booking, so it also says who may see it.
    List<AuditEntry> history = engine.history(bookingId);
    if (!mayView(Booking.after(history.get(history.size() - 1)), actor)) {
      throw new BookingNotFoundException(bookingId);
    }
    return history;
  }

  /**
   * Performs the action as the actor.
   *
   * @param expectedVersion the version the person saw when they chose the action, or {@code null} to act on
   *     the latest; a booking that moved on since is refused as a concurrent change
   * @throws InvalidBookingInputException if the expected version is below 1
   */
  public BookingChange perform(Actor actor, String bookingId, String actionName, String reason, Long expectedVersion) {
    if (expectedVersion != null && expectedVersion < 1) {
      // Checked here: the engine treats a version below 1 as its caller's bug, and this one came from a person.
      throw new InvalidBookingInputException("version",
          "version must be the booking version the action was chosen on, at least 1, but was " + expectedVersion);
    }
    String why = blankToNull(reason);
    try {
      // The engine loads the booking once and decides on what it read. With a version, a booking that moved
      // on since the person chose the action is refused like any other lost race rather than applied to a
      // state they never saw.
      return expectedVersion == null
          ? engine.perform(bookingId, actor, actionName, why)
          : engine.perform(bookingId, expectedVersion, actor, actionName, why);
    } catch (NotABookingPartyException e) {
      // Someone else's booking is answered exactly like one that does not exist. The engine refuses a
      // stranger before anything else, so no other refusal tells a stranger about the booking.
      throw new BookingNotFoundException(bookingId);
    }
  }

  private static boolean mayView(Booking booking, Actor actor) {
    return actor.role() == Role.OPERATOR || booking.isParty(actor);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
