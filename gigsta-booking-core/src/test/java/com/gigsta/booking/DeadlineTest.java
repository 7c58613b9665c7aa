package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Due times of deadlines for bookings' recorded times, and how deadlines describe themselves. */
class DeadlineTest {

  private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
  private static final Deadline EXPIRY = GigstaWorkflow.EXPIRY;

  @Test
  void shouldFallSixDaysAfterTheRequestOrADayAfterTheStartWhicheverComesFirst() {
    assertThat(EXPIRY.dueAt(times(CREATED, CREATED, null))).contains(CREATED.plus(Duration.ofDays(6)));
    assertThat(EXPIRY.dueAt(times(CREATED, CREATED, CREATED.plus(Duration.ofDays(2)))))
        .contains(CREATED.plus(Duration.ofDays(3)));
    assertThat(EXPIRY.dueAt(times(CREATED, CREATED, CREATED.plus(Duration.ofDays(9)))))
        .contains(CREATED.plus(Duration.ofDays(6)));
    assertThat(Deadline.before(Duration.ofHours(24), EXPIRY).dueAt(times(CREATED, CREATED, null)))
        .contains(CREATED.plus(Duration.ofDays(5)));
  }

  @Test
  void shouldNeverFallBeforeTheStateWasEntered() {
    Instant entered = CREATED.plus(Duration.ofDays(8));

    assertThat(EXPIRY.dueAt(times(entered, CREATED, null))).contains(entered);
    assertThat(EXPIRY.dueAt(times(CREATED, CREATED, CREATED.minus(Duration.ofDays(3))))).contains(CREATED);
  }

  @Test
  void shouldLeaveOutAScheduledStartTheBookingLacks() {
    Deadline onlyStart = Deadline.after(Duration.ofDays(1), Timepoint.SCHEDULED_START);
    Deadline latest = Deadline.latestOf(onlyStart, Deadline.after(Duration.ofHours(1), Timepoint.STATE_ENTERED));

    assertThat(onlyStart.dueAt(times(CREATED, CREATED, null))).isEmpty();
    assertThat(Deadline.before(Duration.ofHours(1), onlyStart).dueAt(times(CREATED, CREATED, null))).isEmpty();
    assertThat(latest.dueAt(times(CREATED, CREATED, null))).contains(CREATED.plus(Duration.ofHours(1)));
    assertThat(latest.dueAt(times(CREATED, CREATED, CREATED.plus(Duration.ofDays(1)))))
        .contains(CREATED.plus(Duration.ofDays(2)));
  }

  @Test
  void shouldDescribeItselfInWholeUnitsWherePossible() {
    assertThat(EXPIRY).hasToString("earliest of (6d after CREATED, 1d after SCHEDULED_START)");
    assertThat(Deadline.before(Duration.ofHours(24), EXPIRY))
        .hasToString("1d before earliest of (6d after CREATED, 1d after SCHEDULED_START)");
    assertThat(Deadline.latestOf(Deadline.after(Duration.ofHours(36).plusSeconds(90), Timepoint.STATE_ENTERED)))
        .hasToString("latest of (1d12h1m30s after STATE_ENTERED)");
    assertThat(Deadline.after(Duration.ofMillis(1_500), Timepoint.CREATED)).hasToString("PT1.5S after CREATED");
    assertThat(Deadline.after(Duration.ZERO, Timepoint.CREATED)).hasToString("PT0S after CREATED");
  }

  @Test
  void shouldBeEqualWhenBuiltTheSameWay() {
    Deadline again = Deadline.earliestOf(Deadline.after(Duration.ofDays(6), Timepoint.CREATED),
        Deadline.after(Duration.ofHours(24), Timepoint.SCHEDULED_START));

    assertThat(again).isEqualTo(EXPIRY).hasSameHashCodeAs(EXPIRY);
    assertThat(Deadline.latestOf(Deadline.after(Duration.ofDays(6), Timepoint.CREATED),
        Deadline.after(Duration.ofDays(1), Timepoint.SCHEDULED_START))).isNotEqualTo(EXPIRY);
    assertThat(Deadline.after(Duration.ofDays(6), Timepoint.STATE_ENTERED))
        .isNotEqualTo(Deadline.after(Duration.ofDays(6), Timepoint.CREATED));
  }

  @Test
  void shouldTreatMissingPartsAsProgrammerErrors() {
    assertThatThrownBy(() -> Deadline.after(null, Timepoint.CREATED)).isInstanceOf(NullPointerException.class)
        .hasMessage("duration is required but was null");
    assertThatThrownBy(() -> Deadline.after(Duration.ofDays(1), null)).isInstanceOf(NullPointerException.class)
        .hasMessage("timepoint is required but was null");
    assertThatThrownBy(() -> Deadline.before(Duration.ofDays(1), null)).isInstanceOf(NullPointerException.class)
        .hasMessage("deadline is required but was null");
    assertThatThrownBy(() -> Deadline.earliestOf(EXPIRY, EXPIRY, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("deadline is required but was null");
    assertThatThrownBy(() -> EXPIRY.dueAt(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("times is required but was null");
    assertThatThrownBy(() -> new BookingTimes(null, CREATED)).isInstanceOf(NullPointerException.class)
        .hasMessage("latest is required but was null");
  }

  /** The times of a booking whose latest entry, recorded at {@code entered}, keeps it REQUESTED. */
  static BookingTimes times(Instant entered, Instant created, Instant scheduledStart) {
    AuditEntry latest = new AuditEntry("b-1", 2, "send_message", Role.CUSTOMER, "c-1", "c-1", "g-1",
        BookingState.REQUESTED, BookingState.REQUESTED, entered, "Message sent", null, scheduledStart);
    return new BookingTimes(latest, created);
  }
}
