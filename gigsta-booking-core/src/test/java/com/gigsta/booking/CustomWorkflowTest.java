package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CustomWorkflowTest {

  private static final BookingState DISPUTED = BookingState.of("DISPUTED");
  private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

  private static Workflow.Builder base() {
    return Workflow.builder("test").initialState(REQUESTED).creation("request_booking", Role.CUSTOMER, "Requested");
  }

  @Test
  void shouldBuildAWorkflowWithANewStateAndAnOperatorAction() {
    Workflow workflow = base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("open_dispute").by(Role.CUSTOMER).from(ACCEPTED).to(DISPUTED).label("Open dispute")
            .note("Dispute opened").critical(true).add()
        .action("resolve_dispute").by(Role.OPERATOR).from(DISPUTED).to(COMPLETED).label("Resolve")
            .note("Dispute resolved by support").add()
        .terminalStates(COMPLETED)
        .build();
    BookingEngine engine = BookingEngine.builder().withWorkflow(workflow).build();
    Booking booking = engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null).booking();
    booking = engine.perform(booking, Actor.gigsta("g-1"), "accept_booking").booking();
    booking = engine.perform(booking, Actor.customer("c-1"), "open_dispute").booking();

    assertThat(engine.getAvailableBookingActions(booking, Actor.operator("ops-1")))
        .extracting(BookingAction::actionName).containsExactly("resolve_dispute");
    assertThat(engine.perform(booking, Actor.operator("ops-1"), "resolve_dispute").booking().state())
        .isEqualTo(COMPLETED);
  }

  @Test
  void shouldEvaluateGuardsTheSameWayWhenListingAndPerforming() {
    BookingEngineTest.MutableClock clock = new BookingEngineTest.MutableClock(START.minus(Duration.ofDays(2)));
    Workflow workflow = base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("cancel_booking").by(Role.CUSTOMER).from(ACCEPTED).to(BookingState.CANCELLED_BY_CUSTOMER)
            .label("Cancel").note("Cancelled").critical(true)
            .guard("at_least_24h_before_start", (booking, actor, now) -> booking.scheduledStartTime()
                .map(start -> now.instant().isBefore(start.minus(Duration.ofHours(24)))).orElse(true))
            .add()
        .action("mark_completed").by(Role.GIGSTA).from(ACCEPTED).to(COMPLETED).label("Done").note("Done").add()
        .terminalStates(COMPLETED, BookingState.CANCELLED_BY_CUSTOMER)
        .build();
    BookingEngine engine = BookingEngine.builder().withWorkflow(workflow).withClock(clock).build();
    Booking booking = engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", START).booking();
    Booking accepted = engine.perform(booking, Actor.gigsta("g-1"), "accept_booking").booking();

    assertThat(engine.getAvailableBookingActions(accepted, Actor.customer("c-1")))
        .extracting(BookingAction::actionName).containsExactly("cancel_booking");

    clock.advance(Duration.ofHours(36));
    assertThat(engine.getAvailableBookingActions(accepted, Actor.customer("c-1"))).isEmpty();
    assertThatThrownBy(() -> engine.perform(accepted, Actor.customer("c-1"), "cancel_booking"))
        .isInstanceOf(GuardRefusedException.class)
        .hasMessageContaining("at_least_24h_before_start")
        .satisfies(e -> assertThat(((GuardRefusedException) e).guardName()).isEqualTo("at_least_24h_before_start"));
    assertThat(engine.history("b-1")).hasSize(2);
  }

  @Test
  void shouldRefuseDuplicateRules() {
    assertThatThrownBy(() -> base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("A").add()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(COMPLETED).label("Accept").note("B").add()
        .terminalStates(ACCEPTED, COMPLETED).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("duplicate rule: accept_booking by GIGSTA from REQUESTED");
  }

  @Test
  void shouldRefuseUnreachableStates() {
    assertThatThrownBy(() -> base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("A").add()
        .action("resolve_dispute").by(Role.OPERATOR).from(DISPUTED).to(ACCEPTED).label("Resolve").note("R").add()
        .terminalStates(ACCEPTED).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("state DISPUTED is unreachable from REQUESTED");
  }

  @Test
  void shouldRefuseActionsForPeopleWithoutALabel() {
    assertThatThrownBy(() -> base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).note("Accepted").add()
        .terminalStates(ACCEPTED).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("accept_booking by GIGSTA from REQUESTED has no button label");
  }

  @Test
  void shouldRefuseTransitionsOutOfTerminalStates() {
    assertThatThrownBy(() -> base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("A").add()
        .action("reopen").by(Role.CUSTOMER).from(ACCEPTED).to(REQUESTED).label("Reopen").note("R").add()
        .terminalStates(ACCEPTED).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("reopen leaves terminal state ACCEPTED");
  }

  @Test
  void shouldRefuseDeadEndsThatAreNotDeclaredTerminal() {
    assertThatThrownBy(() -> base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("A").add()
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("state ACCEPTED has no actions but is not declared terminal");
  }

  @Test
  void shouldListEveryProblemAtOnce() {
    assertThatThrownBy(() -> Workflow.builder("empty").build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("workflow 'empty' is invalid")
        .hasMessageContaining("no initial state").hasMessageContaining("no creation rule");
  }

  @Test
  void shouldRefuseAnIncompleteRule() {
    assertThatThrownBy(() -> base().action("accept_booking").by(Role.GIGSTA).to(ACCEPTED).add())
        .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("needs by(role), from(state…)");
  }

  @Test
  void shouldRefuseACreationRoleOtherThanTheCustomer() {
    assertThatThrownBy(() -> Workflow.builder("ops").initialState(REQUESTED)
        .creation("request_booking", Role.OPERATOR, "Requested")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .terminalStates(ACCEPTED).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("the creation role must be CUSTOMER, not OPERATOR");
  }

  @Test
  void shouldNeverTakeAnUntimedSystemRuleByItself() {
    BookingEngineTest.MutableClock clock = new BookingEngineTest.MutableClock(START);
    Workflow untimed = base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("drop_request").by(Role.SYSTEM).from(REQUESTED).to(COMPLETED).note("Dropped").add()
        .terminalStates(ACCEPTED, COMPLETED).build();
    BookingEngine engine = BookingEngine.builder().withWorkflow(untimed).withClock(clock).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null);

    clock.advance(Duration.ofDays(365));

    assertThat(untimed.timedRules()).isEmpty();
    assertThat(worker.drain().isEmpty()).isTrue();
    assertThat(engine.load("b-1").state()).isEqualTo(REQUESTED);
    assertThat(engine.perform("b-1", Actor.system(), "drop_request", null).booking().state()).isEqualTo(COMPLETED);
  }

  @Test
  void shouldLetACustomerBookThemselfOnlyWhereTheWorkflowSaysSo() {
    Workflow.Builder builder = base()
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .terminalStates(ACCEPTED);
    BookingEngine strict = BookingEngine.builder().withWorkflow(builder.build()).build();
    BookingEngine lenient = BookingEngine.builder().withWorkflow(builder.selfBookingAllowed(true).build()).build();

    assertThatThrownBy(() -> strict.requestBooking("b-1", Actor.customer("p-1"), "p-1", null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("a customer cannot book themself");
    assertThat(lenient.requestBooking("b-1", Actor.customer("p-1"), "p-1", null).booking().gigstaId())
        .isEqualTo("p-1");
  }
}
