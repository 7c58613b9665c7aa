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
 *
 * <p><b>Payment policy: charge at acceptance, pay out at completion.</b> A card hold lapses after about 7
 * days (less for some networks), and bookings are made from an hour to months ahead, so no step may wait
 * on a hold. Nothing is secured while a request waits for an answer. {@link #ACCEPT_BOOKING} is a
 * {@link PaymentMoment#CHARGE}: the payment is authorized before the acceptance is recorded (a decline
 * refuses it) and captured by the settlement worker right after, so the only hold lives for seconds. A
 * cancellation after acceptance refunds: the customer gets everything back with at least
 * {@link #CANCELLATION_NOTICE} before the start and {@link #LATE_REFUND_PERCENT}% later
 * ({@link #CUSTOMER_REFUND}); a GigSta's cancellation refunds in full. {@link #MARK_COMPLETED} pays the
 * GigSta out of the captured payment. Requests expire within 6 days, before a hold made at request time
 * would lapse, so a variant that secures at request stays safe too.
 */
public final class GigstaWorkflow {

  /** A customer requests a booking; creates it in {@link BookingState#REQUESTED}. */
  public static final String REQUEST_BOOKING = "request_booking";
  /** The GigSta accepts a request; the customer is charged (authorized first, then captured). */
  public static final String ACCEPT_BOOKING = "accept_booking";
  /** The GigSta declines a request. */
  public static final String DECLINE_BOOKING = "decline_booking";
  /** Either party cancels; the target state says who. */
  public static final String CANCEL_BOOKING = "cancel_booking";
  /** The GigSta starts the service. */
  public static final String MARK_IN_PROGRESS = "mark_in_progress";
  /** The GigSta finishes the service; the GigSta is paid out. */
  public static final String MARK_COMPLETED = "mark_completed";
  /** The system expires a request nobody answered, by itself at {@link #EXPIRY}. */
  public static final String EXPIRE_BOOKING = "expire_booking";
  /** The reminder sent to the GigSta 24 hours before a request expires. */
  public static final String REMIND_GIGSTA_TO_ANSWER = "remind_gigsta_to_answer";

  /** How long after it was made an unanswered request expires, unless its scheduled start comes first. */
  public static final Duration EXPIRES_AFTER_REQUEST = Duration.ofDays(6);

  /** How long after its scheduled start an unanswered request expires, unless its creation comes first. */
  public static final Duration EXPIRES_AFTER_START = Duration.ofDays(1);

  /**
   * When an unanswered request expires: {@link #EXPIRES_AFTER_REQUEST} after it was made, or
   * {@link #EXPIRES_AFTER_START} after its scheduled start if that comes first.
   */
  public static final Deadline EXPIRY = Deadline.earliestOf(
      Deadline.after(EXPIRES_AFTER_REQUEST, Timepoint.CREATED),
      Deadline.after(EXPIRES_AFTER_START, Timepoint.SCHEDULED_START));

  /** How long before the start a customer may cancel an accepted booking and get everything back. */
  public static final Duration CANCELLATION_NOTICE = Duration.ofHours(24);

  /** The share of the price a customer gets back when cancelling later than {@link #CANCELLATION_NOTICE}. */
  public static final int LATE_REFUND_PERCENT = 50;

  /** What a customer's cancellation of an accepted booking gives back. */
  public static final RefundPolicy CUSTOMER_REFUND =
      RefundPolicy.byNotice(CANCELLATION_NOTICE, 100, LATE_REFUND_PERCENT);

  static final Workflow WORKFLOW = Workflow.builder("gigsta")
      .initialState(REQUESTED)
      .creation(REQUEST_BOOKING, Role.CUSTOMER, "Booking requested by customer")
      .action(ACCEPT_BOOKING).by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED)
          .label("Accept booking").note("Booking accepted by GigSta").payment(PaymentMoment.CHARGE).add()
      // Nothing is secured before acceptance, so leaving REQUESTED moves no money.
      .action(DECLINE_BOOKING).by(Role.GIGSTA).from(REQUESTED).to(DECLINED)
          .label("Decline booking").note("Booking declined by GigSta").critical(true).add()
      .action(CANCEL_BOOKING).by(Role.CUSTOMER).from(REQUESTED).to(CANCELLED_BY_CUSTOMER)
          .label("Cancel booking").note("Booking cancelled by customer").critical(true).add()
      .action(CANCEL_BOOKING).by(Role.CUSTOMER).from(ACCEPTED).to(CANCELLED_BY_CUSTOMER)
          .label("Cancel booking").note("Booking cancelled by customer").critical(true)
          .payment(PaymentMoment.REFUND).refund(CUSTOMER_REFUND).add()
      .action(CANCEL_BOOKING).by(Role.GIGSTA).from(ACCEPTED).to(CANCELLED_BY_GIGSTA)
          .label("Cancel booking").note("Booking cancelled by GigSta").critical(true)
          .payment(PaymentMoment.REFUND).add()
      .action(MARK_IN_PROGRESS).by(Role.GIGSTA).from(ACCEPTED).to(IN_PROGRESS)
          .label("Mark as in progress").note("Booking marked as in progress").add()
      .action(MARK_COMPLETED).by(Role.GIGSTA).from(IN_PROGRESS).to(COMPLETED)
          .label("Mark as completed").note("Booking marked as completed").payment(PaymentMoment.PAYOUT).add()
      .action(EXPIRE_BOOKING).by(Role.SYSTEM).from(REQUESTED).to(EXPIRED).after(EXPIRY)
          .note("Request expired without a response").add()
      .reminder(REMIND_GIGSTA_TO_ANSWER).in(REQUESTED).to(Role.GIGSTA)
          .at(Deadline.before(Duration.ofHours(24), EXPIRY)).note("This request expires in 24 hours").add()
      .terminalStates(DECLINED, COMPLETED, CANCELLED_BY_CUSTOMER, CANCELLED_BY_GIGSTA, EXPIRED)
      .build();

  private GigstaWorkflow() {}
}
