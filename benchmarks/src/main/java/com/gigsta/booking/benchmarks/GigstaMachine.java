package com.gigsta.booking.benchmarks;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The one booking machine every benchmark runs: the default GigSta workflow, read from its table so ours
 * and the peers agree on every state, action and role. Immutable and thread-safe.
 */
final class GigstaMachine {

  static final Workflow WORKFLOW = Workflow.gigsta();
  static final String CUSTOMER_ID = "customer-1";
  static final String GIGSTA_ID = "gigsta-1";
  static final Actor CUSTOMER = Actor.customer(CUSTOMER_ID);
  static final Actor GIGSTA = Actor.gigsta(GIGSTA_ID);

  /**
   * Who asks, for each live booking: its customer, its GigSta, an operator, the system and a customer
   * of some other booking (who must see nothing).
   */
  static final List<Actor> ACTORS = List.of(CUSTOMER, GIGSTA, Actor.operator("operator-1"), Actor.system(),
      Actor.customer("customer-2"));

  /** The happy path's actions after creation, each taken by the GigSta. */
  static final List<String> HAPPY_PATH =
      List.of(GigstaWorkflow.ACCEPT_BOOKING, GigstaWorkflow.MARK_IN_PROGRESS, GigstaWorkflow.MARK_COMPLETED);

  private GigstaMachine() {}

  /** Returns one loaded booking in each live state, made by the engine itself. */
  static List<Booking> liveBookings(BookingEngine engine) {
    List<Booking> bookings = new ArrayList<>();
    Booking booking = engine.requestBooking("live-booking", CUSTOMER, GIGSTA_ID, null).booking();
    bookings.add(booking);
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING).booking();
    bookings.add(booking);
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.MARK_IN_PROGRESS).booking();
    bookings.add(booking);
    return bookings;
  }

  /** Returns the workflow's rules out of real states (creation excluded). */
  static List<WorkflowRule> rules() {
    return WORKFLOW.rules();
  }
}
