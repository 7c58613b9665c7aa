package com.gigsta.booking.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowRule;
import com.gigsta.booking.spi.AuditTrail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatefulJDriverTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private final List<String> steps = new ArrayList<>();
  private final StatefulJDriver driver = new StatefulJDriver(Workflow.gigsta(), new RecordingTrail(),
      attempt -> steps.add("settle " + attempt.entry().actionName()));

  @Test
  void shouldRecordThenSettleThroughTheStateMachine() {
    WorkflowRule accept = rule(BookingState.REQUESTED, "accept_booking", Role.GIGSTA);
    Attempt attempt = new Attempt(booking(BookingState.REQUESTED), accept, entry(accept));

    driver.drive(attempt);

    assertThat(attempt.isRecorded()).isTrue();
    assertThat(steps).containsExactly("record accept_booking", "settle accept_booking");
  }

  @Test
  void shouldPickTheTargetByRoleForASharedEventName() {
    WorkflowRule gigstaCancels = rule(BookingState.ACCEPTED, "cancel_booking", Role.GIGSTA);
    Attempt attempt = new Attempt(booking(BookingState.ACCEPTED), gigstaCancels, entry(gigstaCancels));

    driver.drive(attempt);

    assertThat(attempt.isRecorded()).isTrue();
    assertThat(attempt.entry().toState()).isEqualTo(BookingState.CANCELLED_BY_GIGSTA);
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
  }

  private static WorkflowRule rule(BookingState from, String action, Role role) {
    return Workflow.gigsta().rules().stream()
        .filter(r -> r.from() == from && r.actionName().equals(action) && r.role() == role).findFirst().orElseThrow();
  }

  private static Booking booking(BookingState state) {
    return new Booking("b-1", "c-1", "g-1", state, 1, null, NOW);
  }

  private static AuditEntry entry(WorkflowRule rule) {
    return new AuditEntry("b-1", 2, rule.actionName(), rule.role(), rule.role() == Role.CUSTOMER ? "c-1" : "g-1",
        "c-1", "g-1", rule.from(), rule.to(), NOW, rule.action().note(), null, null);
  }

  /** Notes each append in {@link #steps}; stores nothing. */
  private final class RecordingTrail implements AuditTrail {
    @Override
    public void append(AuditEntry entry) {
      steps.add("record " + entry.actionName());
    }

    @Override
    public List<AuditEntry> history(String bookingId) {
      return List.of();
    }

    @Override
    public Optional<AuditEntry> latest(String bookingId) {
      return Optional.empty();
    }

    @Override
    public List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom,
        Instant changedBefore, int limit) {
      return List.of();
    }
  }
}
