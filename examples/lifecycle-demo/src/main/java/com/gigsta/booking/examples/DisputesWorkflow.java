package com.gigsta.booking.examples;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.CANCELLED_BY_GIGSTA;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;

import com.gigsta.booking.BookingState;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;

/**
 * Version 2 of the default GigSta workflow, as the lifecycle demo deploys it next to version 1: everything
 * {@link Workflow#gigsta()} declares, plus a state {@link #DISPUTED} in which support decides a customer's
 * complaint. Immutable and thread-safe.
 *
 * <p>The customer may report a problem ({@code open_dispute}) on an accepted booking or one in progress.
 * From then on neither party can act on it: the GigSta can no longer start, complete or cancel it, and the
 * customer can no longer cancel it, so the money stays where acceptance put it (charged: authorized and
 * captured) until an operator decides. {@code resolve_for_customer} ends the booking as
 * {@link BookingState#CANCELLED_BY_GIGSTA} and refunds the whole price; the GigSta is never paid out.
 * {@code resolve_for_gigsta} ends it as {@link BookingState#COMPLETED} and pays the GigSta out of the
 * captured payment, as {@code mark_completed} does. Either way the captured price ends up with exactly one
 * of the two. Opening a dispute moves no money, and a disputed booking has no timers: it waits for an
 * operator.
 *
 * <p>The root README's "Workflow versions" section shows the definition below as it is, and this version's
 * diagram and rule table; {@code DisputesWorkflowReadmeTest} keeps all three equal to this class.
 */
public final class DisputesWorkflow {

  /** The state of a booking whose customer reported a problem, until an operator resolves it. */
  public static final BookingState DISPUTED = BookingState.of("DISPUTED");

  /** The customer reports a problem with an accepted booking or one in progress. */
  public static final String OPEN_DISPUTE = "open_dispute";

  /** An operator resolves a dispute for the customer: the booking is cancelled and fully refunded. */
  public static final String RESOLVE_FOR_CUSTOMER = "resolve_for_customer";

  /** An operator resolves a dispute for the GigSta: the booking is completed and the GigSta paid out. */
  public static final String RESOLVE_FOR_GIGSTA = "resolve_for_gigsta";

  /** Version 2 of the {@code gigsta} workflow: version 1 with {@link #DISPUTED} and its three actions. */
  public static final Workflow V2 = define();

  private DisputesWorkflow() {}

  private static Workflow define() {
    // From here to the return, the code is shown in the README as it is.
    BookingState disputed = BookingState.of("DISPUTED");
    Workflow v2 = Workflow.gigsta().toBuilder().version(2)
        .action("open_dispute").by(Role.CUSTOMER).from(ACCEPTED, IN_PROGRESS).to(disputed)
            .label("Report a problem").note("Dispute opened by customer").critical(true).add()
        .action("resolve_for_customer").by(Role.OPERATOR).from(disputed).to(CANCELLED_BY_GIGSTA)
            .label("Refund the customer").note("Dispute resolved for the customer, price refunded")
            .critical(true).payment(PaymentMoment.REFUND).add()
        .action("resolve_for_gigsta").by(Role.OPERATOR).from(disputed).to(COMPLETED)
            .label("Pay the GigSta").note("Dispute resolved for the GigSta, GigSta paid out")
            .critical(true).payment(PaymentMoment.PAYOUT).add()
        .build();
    return v2;
  }
}
