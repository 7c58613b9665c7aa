package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.CANCELLED_BY_CUSTOMER;
import static com.gigsta.booking.BookingState.CANCELLED_BY_GIGSTA;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.DECLINED;
import static com.gigsta.booking.BookingState.EXPIRED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;
import static com.gigsta.booking.BookingState.REQUESTED;

import java.time.Duration;

/**
 * The default GigSta booking workflow, {@link Workflow#gigsta()}: every rule of who may do what, when, in
 * one table. The order of the rules is the order in which actions are listed to people. A customer
 * cannot book themself. Two things happen by themselves: {@link #EXPIRE_BOOKING} expires a request nobody
 * answered at {@link #EXPIRY}, and {@link #REMIND_GIGSTA_TO_ANSWER} reminds the GigSta a day before.
 */
public final class GigstaWorkflow {

  /** A customer requests a booking; creates it in {@link BookingState#REQUESTED}. */
  public static final String REQUEST_BOOKING = "request_booking";
  /** The GigSta accepts a request; payment is secured first. */
  public static final String ACCEPT_BOOKING = "accept_booking";
  /** The GigSta declines a request. */
  public static final String DECLINE_BOOKING = "decline_booking";
  /** Either party cancels; the target state says who. */
  public static final String CANCEL_BOOKING = "cancel_booking";
  /** The GigSta starts the service. */
  public static final String MARK_IN_PROGRESS = "mark_in_progress";
  /** The GigSta finishes the service; payment is captured. */
  public static final String MARK_COMPLETED = "mark_completed";
  /** The system expires a request nobody answered, by itself at {@link #EXPIRY}. */
  public static final String EXPIRE_BOOKING = "expire_booking";
  /** The reminder sent to the GigSta 24 hours before a request expires. */
  public static final String REMIND_GIGSTA_TO_ANSWER = "remind_gigsta_to_answer";

  /**
   * When an unanswered request expires: 6 days after it was made, or 1 day after its scheduled start if
   * that comes first.
   */
  public static final Deadline EXPIRY = Deadline.earliestOf(
      Deadline.after(Duration.ofDays(6), Timepoint.CREATED),
      Deadline.after(Duration.ofDays(1), Timepoint.SCHEDULED_START));

  static final Workflow WORKFLOW = Workflow.builder("gigsta")
      .initialState(REQUESTED)
      .creation(REQUEST_BOOKING, Role.CUSTOMER, "Booking requested by customer")
      .action(ACCEPT_BOOKING).by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED)
          .label("Accept booking").note("Booking accepted by GigSta").payment(PaymentMoment.SECURE).add()
      .action(DECLINE_BOOKING).by(Role.GIGSTA).from(REQUESTED).to(DECLINED)
          .label("Decline booking").note("Booking declined by GigSta").critical(true)
          .payment(PaymentMoment.RELEASE).add()
      // Before acceptance nothing was secured, so a customer's cancellation only releases; after it, refunds.
      .action(CANCEL_BOOKING).by(Role.CUSTOMER).from(REQUESTED).to(CANCELLED_BY_CUSTOMER)
          .label("Cancel booking").note("Booking cancelled by customer").critical(true)
          .payment(PaymentMoment.RELEASE).add()
      .action(CANCEL_BOOKING).by(Role.CUSTOMER).from(ACCEPTED).to(CANCELLED_BY_CUSTOMER)
          .label("Cancel booking").note("Booking cancelled by customer").critical(true)
          .payment(PaymentMoment.REFUND).add()
      .action(CANCEL_BOOKING).by(Role.GIGSTA).from(ACCEPTED).to(CANCELLED_BY_GIGSTA)
          .label("Cancel booking").note("Booking cancelled by GigSta").critical(true)
          .payment(PaymentMoment.REFUND).add()
      .action(MARK_IN_PROGRESS).by(Role.GIGSTA).from(ACCEPTED).to(IN_PROGRESS)
          .label("Mark as in progress").note("Booking marked as in progress").add()
      .action(MARK_COMPLETED).by(Role.GIGSTA).from(IN_PROGRESS).to(COMPLETED)
          .label("Mark as completed").note("Booking marked as completed").payment(PaymentMoment.CAPTURE).add()
      .action(EXPIRE_BOOKING).by(Role.SYSTEM).from(REQUESTED).to(EXPIRED).after(EXPIRY)
          .note("Request expired without a response").payment(PaymentMoment.RELEASE).add()
      .reminder(REMIND_GIGSTA_TO_ANSWER).in(REQUESTED).to(Role.GIGSTA)
          .at(Deadline.before(Duration.ofHours(24), EXPIRY)).note("This request expires in 24 hours").add()
      .terminalStates(DECLINED, COMPLETED, CANCELLED_BY_CUSTOMER, CANCELLED_BY_GIGSTA, EXPIRED)
      .build();

  private GigstaWorkflow() {}
}
