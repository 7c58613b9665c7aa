package com.gigsta.booking.benchmarks;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Deadline;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Role;
import com.gigsta.booking.Timepoint;
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

  /** The shortest path out of the request without payment: the GigSta declines it, which moves no money. */
  static final List<String> DECLINE_PATH = List.of(GigstaWorkflow.DECLINE_BOOKING);

  /**
   * The shortest path whose change owes one settlement: the GigSta accepts, a charge, whose capture the
   * settlement worker owes once the acceptance is recorded.
   */
  static final List<String> SETTLEMENT_PATH = List.of(GigstaWorkflow.ACCEPT_BOOKING);

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

  /**
   * Returns the rules a booking follows from its creation through the GigSta's actions: the creation
   * rule, then for each action the GigSta's rule out of the state the previous one led to.
   *
   * @throws IllegalStateException if the workflow has no such rule
   */
  static List<WorkflowRule> path(List<String> gigstaActions) {
    List<WorkflowRule> path = new ArrayList<>();
    path.add(WORKFLOW.creation());
    BookingState state = WORKFLOW.initialState();
    for (String actionName : gigstaActions) {
      BookingState from = state;
      WorkflowRule rule = rules().stream()
          .filter(r -> from.equals(r.from()) && r.role() == Role.GIGSTA && r.actionName().equals(actionName))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + actionName + " by the GigSta out of " + from));
      path.add(rule);
      state = rule.to();
    }
    return List.copyOf(path);
  }

  /**
   * Returns the workflow's only timed rule, the expiry of unanswered requests, after checking that it still
   * falls due as the timer benchmarks assume: {@link GigstaWorkflow#EXPIRES_AFTER_REQUEST} after the
   * creation or {@link GigstaWorkflow#EXPIRES_AFTER_START} after the scheduled start, whichever comes first.
   *
   * @throws IllegalStateException if the workflow's timed rules are not that one rule
   */
  static WorkflowRule expiry() {
    Deadline assumed = Deadline.earliestOf(Deadline.after(GigstaWorkflow.EXPIRES_AFTER_REQUEST, Timepoint.CREATED),
        Deadline.after(GigstaWorkflow.EXPIRES_AFTER_START, Timepoint.SCHEDULED_START));
    List<WorkflowRule> timed = WORKFLOW.timedRules();
    if (timed.size() != 1 || !timed.get(0).actionName().equals(GigstaWorkflow.EXPIRE_BOOKING)
        || !assumed.equals(timed.get(0).deadline())) {
      throw new IllegalStateException("the timer benchmarks assume one timed rule, " + GigstaWorkflow.EXPIRE_BOOKING
          + " at " + assumed + ", but the workflow has " + timed);
    }
    return timed.get(0);
  }

  /** Returns the workflow's rules out of real states (creation excluded). */
  static List<WorkflowRule> rules() {
    return WORKFLOW.rules();
  }
}
