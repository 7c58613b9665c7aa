package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.CANCELLED_BY_CUSTOMER;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.DECLINED;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkflowChangesTest {

  private static final BookingState DISPUTED = BookingState.of("DISPUTED");

  @Test
  void shouldListTheStatesAndRulesAddedRemovedRetargetedAndChanged() {
    Workflow v1 = base(1, "Cancel booking", CANCELLED_BY_CUSTOMER, true).build();
    Workflow v2 = base(2, "Cancel this booking", DISPUTED, false)
        .action("resolve_dispute").by(Role.OPERATOR).from(DISPUTED).to(COMPLETED)
            .label("Resolve dispute").note("Dispute resolved").add()
        .build();

    WorkflowChanges changes = v2.changesFrom(v1);

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v1.version()).isEqualTo(1);
    assertThat(changes.statesAdded()).containsExactly(DISPUTED);
    assertThat(changes.statesRemoved()).containsExactly(CANCELLED_BY_CUSTOMER, DECLINED);
    assertThat(changes.rulesAdded()).extracting(WorkflowRule::actionName).containsExactly("resolve_dispute");
    assertThat(changes.rulesRemoved()).extracting(WorkflowRule::actionName).containsExactly("decline_booking");
    assertThat(changes.rulesRetargeted()).singleElement().satisfies(change -> {
      assertThat(change.before().to()).isEqualTo(CANCELLED_BY_CUSTOMER);
      assertThat(change.after().to()).isEqualTo(DISPUTED);
    });
    assertThat(changes.rulesChanged()).extracting(change -> change.after().actionName())
        .containsExactly("complete_booking");
    assertThat(changes).hasToString("""
        + state DISPUTED
        - state CANCELLED_BY_CUSTOMER
        - state DECLINED
        + rule resolve_dispute by OPERATOR from DISPUTED -> COMPLETED
        - rule decline_booking by GIGSTA from REQUESTED -> DECLINED
        ~ cancel_booking by CUSTOMER from ACCEPTED: CANCELLED_BY_CUSTOMER -> DISPUTED
        * complete_booking by GIGSTA from ACCEPTED: changed""");
    assertThat(v1.changesFrom(v1).isEmpty()).isTrue();
    assertThat(v1.changesFrom(v1)).hasToString("no changes");
  }

  @Test
  void shouldCompareGuardsByNameAndSeeAChangedRefundPolicyOrDeadline() {
    Workflow plain = Workflow.gigsta();
    Workflow guarded = Workflow.builder("gigsta").version(2).initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Booking requested by customer")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept booking")
            .note("Booking accepted by GigSta").payment(PaymentMoment.CHARGE)
            .guard("weekdays_only", (booking, actor, clock) -> true).add()
        .action("cancel_booking").by(Role.CUSTOMER).from(ACCEPTED).to(CANCELLED_BY_CUSTOMER)
            .label("Cancel booking").note("Booking cancelled by customer").critical(true)
            .payment(PaymentMoment.REFUND).refund(RefundPolicy.byNotice(Duration.ofHours(48), 100, 50)).add()
        .terminalStates(CANCELLED_BY_CUSTOMER)
        .build();

    WorkflowChanges changes = guarded.changesFrom(plain);

    assertThat(changes.rulesChanged()).extracting(change -> change.after().actionName())
        .containsExactly("accept_booking", "cancel_booking");
    assertThatThrownBy(() -> Workflow.builder("w").version(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Workflow.gigsta().version()).isEqualTo(1);
  }

  private static Workflow.Builder base(int version, String cancelLabel, BookingState cancelTarget,
      boolean withDecline) {
    Workflow.Builder builder = Workflow.builder("small").version(version).initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Booking requested by customer")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED)
            .label("Accept booking").note("Booking accepted").add()
        .action("cancel_booking").by(Role.CUSTOMER).from(ACCEPTED).to(cancelTarget)
            .label("Cancel booking").note("Booking cancelled").critical(true).add()
        .action("complete_booking").by(Role.GIGSTA).from(ACCEPTED).to(COMPLETED)
            .label(cancelLabel.equals("Cancel booking") ? "Complete" : "Mark as completed").note("Completed").add();
    if (withDecline) {
      builder.action("decline_booking").by(Role.GIGSTA).from(REQUESTED).to(DECLINED)
          .label("Decline booking").note("Declined").add();
      builder.terminalStates(DECLINED);
    }
    return cancelTarget == DISPUTED ? builder.terminalStates(COMPLETED)
        : builder.terminalStates(COMPLETED, cancelTarget);
  }
}
