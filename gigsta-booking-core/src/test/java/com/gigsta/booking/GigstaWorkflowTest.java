package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.CANCELLED_BY_CUSTOMER;
import static com.gigsta.booking.BookingState.CANCELLED_BY_GIGSTA;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.DECLINED;
import static com.gigsta.booking.BookingState.EXPIRED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GigstaWorkflowTest {

  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private final BookingEngine engine = BookingEngine.builder().build();

  private static Booking in(BookingState state) {
    return new Booking("b-1", "c-1", "g-1", state, 3, null, Instant.parse("2026-11-23T10:00:00Z"));
  }

  private List<BookingAction> actions(BookingState state, Actor actor) {
    return engine.getAvailableBookingActions(in(state), actor);
  }

  @Test
  void shouldOfferTheGigstaAcceptThenDeclineOnARequest() {
    assertThat(actions(REQUESTED, GIGSTA)).containsExactly(
        new BookingAction("accept_booking", "Accept booking", "Booking accepted by GigSta", false),
        new BookingAction("decline_booking", "Decline booking", "Booking declined by GigSta", true));
  }

  @Test
  void shouldOfferTheCustomerOnlyCancellationOnARequest() {
    assertThat(actions(REQUESTED, CUSTOMER)).containsExactly(
        new BookingAction("cancel_booking", "Cancel booking", "Booking cancelled by customer", true));
  }

  @Test
  void shouldOfferCancellationToBothPartiesOnceAccepted() {
    assertThat(actions(ACCEPTED, CUSTOMER)).containsExactly(
        new BookingAction("cancel_booking", "Cancel booking", "Booking cancelled by customer", true));
    assertThat(actions(ACCEPTED, GIGSTA)).containsExactly(
        new BookingAction("cancel_booking", "Cancel booking", "Booking cancelled by GigSta", true),
        new BookingAction("mark_in_progress", "Mark as in progress", "Booking marked as in progress", false));
  }

  @Test
  void shouldLetOnlyTheGigstaCompleteAServiceInProgress() {
    assertThat(actions(IN_PROGRESS, GIGSTA)).containsExactly(
        new BookingAction("mark_completed", "Mark as completed", "Booking marked as completed", false));
    assertThat(actions(IN_PROGRESS, CUSTOMER)).isEmpty();
  }

  @Test
  void shouldLetOnlyTheSystemExpireARequest() {
    assertThat(actions(REQUESTED, Actor.system())).containsExactly(
        new BookingAction("expire_booking", null, "Request expired without a response", false));
    assertThat(actions(ACCEPTED, Actor.system())).isEmpty();
  }

  @Test
  void shouldExpireUnansweredRequestsByItselfAndRemindTheGigstaADayBefore() {
    Workflow workflow = Workflow.gigsta();

    assertThat(workflow.timedRules()).singleElement().satisfies(rule -> {
      assertThat(rule.actionName()).isEqualTo(GigstaWorkflow.EXPIRE_BOOKING);
      assertThat(rule.role()).isEqualTo(Role.SYSTEM);
      assertThat(rule.from()).isEqualTo(REQUESTED);
      assertThat(rule.to()).isEqualTo(EXPIRED);
      assertThat(rule.deadline()).isEqualTo(GigstaWorkflow.EXPIRY)
          .hasToString("earliest of (6d after CREATED, 1d after SCHEDULED_START)");
    });
    assertThat(workflow.reminders()).containsExactly(new WorkflowReminder(GigstaWorkflow.REMIND_GIGSTA_TO_ANSWER,
        REQUESTED, Role.GIGSTA, "This request expires in 24 hours",
        Deadline.before(Duration.ofHours(24), GigstaWorkflow.EXPIRY)));
    assertThat(workflow.reminders().get(0).consumer()).isEqualTo("reminder.remind_gigsta_to_answer");
    assertThat(workflow.scheduledStartRequired()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = Role.class)
  void shouldOfferNothingInTerminalStates(Role role) {
    Actor actor = new Actor(role, role == Role.CUSTOMER ? "c-1" : "g-1");
    for (BookingState terminal : List.of(DECLINED, COMPLETED, CANCELLED_BY_CUSTOMER, CANCELLED_BY_GIGSTA, EXPIRED)) {
      assertThat(actions(terminal, actor)).as("%s in %s", role, terminal).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"REQUESTED", "ACCEPTED", "IN_PROGRESS"})
  void shouldOfferStrangersAndTheDefaultOperatorNothing(String state) {
    BookingState live = BookingState.of(state);
    assertThat(actions(live, Actor.customer("someone-else"))).isEmpty();
    assertThat(actions(live, Actor.gigsta("another-gigsta"))).isEmpty();
    assertThat(actions(live, Actor.gigsta("c-1"))).as("the customer's id in the GigSta role").isEmpty();
    assertThat(actions(live, Actor.operator("ops-1"))).isEmpty();
  }

  @Test
  void shouldDeclareTheStatesAndTerminalsOfTheIssueTable() {
    Workflow workflow = Workflow.gigsta();
    assertThat(workflow.states()).containsExactly(REQUESTED, ACCEPTED, DECLINED, CANCELLED_BY_CUSTOMER,
        CANCELLED_BY_GIGSTA, IN_PROGRESS, COMPLETED, EXPIRED);
    assertThat(workflow.initialState()).isEqualTo(REQUESTED);
    assertThat(workflow.terminalStates())
        .containsExactly(DECLINED, COMPLETED, CANCELLED_BY_CUSTOMER, CANCELLED_BY_GIGSTA, EXPIRED);
    assertThat(workflow.creation().actionName()).isEqualTo("request_booking");
    assertThat(workflow.creation().action().note()).isEqualTo("Booking requested by customer");
  }

  @Test
  void shouldAttachThePaymentMomentsOfTheIssueTable() {
    assertThat(Workflow.gigsta().rules()).extracting(rule -> rule.actionName() + "/" + rule.role() + "/"
        + rule.from() + "=" + rule.payment()).containsExactly(
        "accept_booking/GIGSTA/REQUESTED=CHARGE",
        "decline_booking/GIGSTA/REQUESTED=NONE",
        "cancel_booking/CUSTOMER/REQUESTED=NONE",
        "cancel_booking/CUSTOMER/ACCEPTED=REFUND",
        "cancel_booking/GIGSTA/ACCEPTED=REFUND",
        "mark_in_progress/GIGSTA/ACCEPTED=NONE",
        "mark_completed/GIGSTA/IN_PROGRESS=PAYOUT",
        "expire_booking/SYSTEM/REQUESTED=NONE");
  }

  @Test
  void shouldRefundACustomerInFullWithADaysNoticeAndHalfLaterAndAGigstaAlwaysInFull() {
    assertThat(Workflow.gigsta().rules()).filteredOn(rule -> rule.payment() == PaymentMoment.REFUND)
        .extracting(rule -> rule.role() + "=" + rule.refundPolicy())
        .containsExactly("CUSTOMER=100% back until 1d before start, then 50%", "GIGSTA=100% back");
  }
}
