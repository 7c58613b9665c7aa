package com.gigsta.booking.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulJDriverTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  // Each settlement notes the booking's latest entry in the trail at that moment, which shows whether the
  // change was recorded before it was settled.
  private final List<String> steps = new ArrayList<>();
  private final StatefulJDriver driver = new StatefulJDriver(Workflow.gigsta(), trail,
      attempt -> steps.add("settle " + attempt.entry().actionName() + " after "
          + trail.latest(attempt.entry().bookingId()).orElseThrow().actionName() + " was recorded"));

  @Test
  void shouldRecordThenSettleThroughTheStateMachine() {
    WorkflowRule accept = rule(BookingState.REQUESTED, "accept_booking", Role.GIGSTA);
    Attempt attempt = new Attempt(booking(BookingState.REQUESTED), accept, entry(accept));

    driver.drive(attempt);

    assertThat(attempt.isRecorded()).isTrue();
    assertThat(steps).containsExactly("settle accept_booking after accept_booking was recorded");
    assertThat(trail.history("b-1")).last().isEqualTo(attempt.entry());
  }

  @Test
  void shouldPickTheTargetByRoleForASharedEventName() {
    WorkflowRule gigstaCancels = rule(BookingState.ACCEPTED, "cancel_booking", Role.GIGSTA);
    Attempt attempt = new Attempt(booking(BookingState.ACCEPTED), gigstaCancels, entry(gigstaCancels));

    driver.drive(attempt);

    assertThat(attempt.isRecorded()).isTrue();
    assertThat(attempt.entry().toState()).isEqualTo(BookingState.CANCELLED_BY_GIGSTA);
    assertThat(trail.history("b-1")).last().isEqualTo(attempt.entry());
  }

  @Test
  void shouldFailLoudlyWhereStatefulJWouldSilentlyDoNothing() {
    // A rule the machine was not built with: StatefulJ's onEvent finds no transition and returns the
    // current state as if all went well.
    BookingState limbo = BookingState.of("LIMBO");
    WorkflowRule foreign = new WorkflowRule(BookingState.REQUESTED, Role.GIGSTA,
        new com.gigsta.booking.BookingAction("teleport", "Teleport", "Teleported", false), limbo,
        com.gigsta.booking.PaymentMoment.NONE, null, null);
    Attempt attempt = new Attempt(booking(BookingState.REQUESTED), foreign, entry(foreign));

    assertThatThrownBy(() -> driver.drive(attempt)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not perform").hasMessageContaining("not recorded");
    assertThat(steps).isEmpty();
    assertThat(trail.history("b-1")).hasSize(1);
  }

  private static WorkflowRule rule(BookingState from, String action, Role role) {
    return Workflow.gigsta().rules().stream()
        .filter(r -> r.from() == from && r.actionName().equals(action) && r.role() == role).findFirst().orElseThrow();
  }

  // The snapshot at version 1, with a first entry in the trail for the attempt's entry to continue; the
  // trail checks continuity, not the workflow, so that entry may lead straight to any state.
  private Booking booking(BookingState state) {
    trail.append(new AuditEntry("b-1", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null, state, NOW,
        "Requested", null, null));
    return new Booking("b-1", "c-1", "g-1", state, 1, null, NOW);
  }

  private static AuditEntry entry(WorkflowRule rule) {
    return new AuditEntry("b-1", 2, rule.actionName(), rule.role(), rule.role() == Role.CUSTOMER ? "c-1" : "g-1",
        "c-1", "g-1", rule.from(), rule.to(), NOW, rule.action().note(), null, null);
  }
}
