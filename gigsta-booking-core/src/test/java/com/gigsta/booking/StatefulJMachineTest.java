package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatefulJMachineTest {

  private final StatefulJMachine machine = new StatefulJMachine(Workflow.gigsta());

  @Test
  void shouldMoveAlongThePlannedRule() {
    WorkflowRule accept = rule(BookingState.REQUESTED, "accept_booking", Role.GIGSTA);

    assertThat(machine.move(BookingState.REQUESTED, accept)).isEqualTo(BookingState.ACCEPTED);
  }

  @Test
  void shouldReachEachRolesOwnTargetForASharedEventName() {
    assertThat(machine.move(BookingState.ACCEPTED, rule(BookingState.ACCEPTED, "cancel_booking", Role.GIGSTA)))
        .isEqualTo(BookingState.CANCELLED_BY_GIGSTA);
    assertThat(machine.move(BookingState.ACCEPTED, rule(BookingState.ACCEPTED, "cancel_booking", Role.CUSTOMER)))
        .isEqualTo(BookingState.CANCELLED_BY_CUSTOMER);
  }

  @Test
  void shouldRunTheCreationFromBeforeTheFirstState() {
    assertThat(machine.move(null, Workflow.gigsta().creation())).isEqualTo(BookingState.REQUESTED);
  }

  @Test
  void shouldFailLoudlyWhereStatefulJWouldSilentlyDoNothing() {
    // A rule the machine was not built with: StatefulJ's onEvent finds no transition for the event and
    // returns the current state as if all went well.
    WorkflowRule foreign = new WorkflowRule(BookingState.REQUESTED, Role.GIGSTA,
        new BookingAction("teleport", "Teleport", "Teleported", false), BookingState.ACCEPTED, PaymentMoment.NONE,
        null, null, null);

    assertThatThrownBy(() -> machine.move(BookingState.REQUESTED, foreign)).isInstanceOf(IllegalStateException.class)
        .hasMessage("StatefulJ did not move 'teleport' by GIGSTA from REQUESTED to ACCEPTED as planned: it reached "
            + "REQUESTED");
  }

  private static WorkflowRule rule(BookingState from, String action, Role role) {
    return Workflow.gigsta().rules().stream()
        .filter(r -> r.from().equals(from) && r.actionName().equals(action) && r.role() == role)
        .findFirst().orElseThrow();
  }
}
