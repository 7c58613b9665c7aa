package com.gigsta.booking.benchmarks;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Deadline;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The one booking machine every benchmark runs: the default GigSta workflow, read from its table so ours
 * and the peers agree on every state, action and role; and, for the versions benchmark only, three
 * versions of it. Immutable and thread-safe.
 */
final class GigstaMachine {

  static final Workflow WORKFLOW = Workflow.gigsta();

  /**
   * Three versions of the workflow, in version order, for the versions benchmark: {@link #WORKFLOW}; a
   * second that adds a state {@code DISPUTED}, which the customer may enter from ACCEPTED and IN_PROGRESS
   * and an operator resolves with a refund or a payout; and a third that relabels the GigSta's
   * {@code mark_in_progress}. Each has the happy path of {@link #HAPPY_PATH}.
   */
  static final List<Workflow> VERSIONS = versions();

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
    return liveBookings(engine, "");
  }

  /**
   * Returns one loaded booking in each live state of the happy path (REQUESTED, ACCEPTED, IN_PROGRESS):
   * the snapshots of one booking made by the engine itself, its id {@code idPrefix + "live-booking"}.
   */
  static List<Booking> liveBookings(BookingEngine engine, String idPrefix) {
    List<Booking> bookings = new ArrayList<>();
    Booking booking = engine.requestBooking(idPrefix + "live-booking", CUSTOMER, GIGSTA_ID, null).booking();
    bookings.add(booking);
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING).booking();
    bookings.add(booking);
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.MARK_IN_PROGRESS).booking();
    bookings.add(booking);
    return bookings;
  }

  /** Takes a requested booking through {@link #HAPPY_PATH}, each action performed by the GigSta. */
  static Booking happyPathAfterRequest(BookingEngine engine, Booking requested) {
    Booking booking = engine.perform(requested, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING).booking();
    booking = engine.perform(booking, GIGSTA, GigstaWorkflow.MARK_IN_PROGRESS).booking();
    return engine.perform(booking, GIGSTA, GigstaWorkflow.MARK_COMPLETED).booking();
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

  private static List<Workflow> versions() {
    BookingState disputed = BookingState.of("DISPUTED");
    Workflow v2 = WORKFLOW.toBuilder().version(2)
        .action("open_dispute").by(Role.CUSTOMER).from(BookingState.ACCEPTED, BookingState.IN_PROGRESS)
            .to(disputed).label("Report a problem").note("Dispute opened by customer").critical(true).add()
        .action("resolve_for_customer").by(Role.OPERATOR).from(disputed).to(BookingState.CANCELLED_BY_GIGSTA)
            .label("Refund the customer").note("Dispute resolved for the customer, price refunded")
            .critical(true).payment(PaymentMoment.REFUND).add()
        .action("resolve_for_gigsta").by(Role.OPERATOR).from(disputed).to(BookingState.COMPLETED)
            .label("Pay the GigSta").note("Dispute resolved for the GigSta, GigSta paid out")
            .critical(true).payment(PaymentMoment.PAYOUT).add()
        .build();
    Workflow v3 = v2.toBuilder().version(3)
        .removeRule(BookingState.ACCEPTED, GigstaWorkflow.MARK_IN_PROGRESS, Role.GIGSTA)
        .action(GigstaWorkflow.MARK_IN_PROGRESS).by(Role.GIGSTA).from(BookingState.ACCEPTED)
            .to(BookingState.IN_PROGRESS).label("Start the service").note("Booking marked as in progress").add()
        .build();
    return List.of(WORKFLOW, v2, v3);
  }

  /** Returns the workflow's rules out of real states (creation excluded). */
  static List<WorkflowRule> rules() {
    return WORKFLOW.rules();
  }
}
