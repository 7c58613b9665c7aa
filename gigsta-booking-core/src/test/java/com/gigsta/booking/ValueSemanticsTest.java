package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Snapshots and entries behave as values, whether made by hand or by the engine. */
class ValueSemanticsTest {

  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  private final BookingEngine engine = BookingEngine.builder()
      .withClock(java.time.Clock.fixed(AT, java.time.ZoneOffset.UTC)).build();

  @Test
  void shouldMakeTheEnginesSnapshotsAndEntriesEqualToTheSameValuesMadeByHand() {
    engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null);
    BookingChange accepted = engine.perform("b-1", 1, Actor.gigsta("g-1"), "accept_booking", "On my way");

    WorkflowVersion v1 = WorkflowVersion.of("gigsta", 1);
    Booking byHand = new Booking("b-1", "c-1", "g-1", BookingState.ACCEPTED, 2, null, null, AT, v1);
    AuditEntry entryByHand = new AuditEntry("b-1", 2, "accept_booking", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, AT, "Booking accepted by GigSta", "On my way", null, null,
        null, null, v1);

    assertThat(accepted.booking()).isEqualTo(byHand).hasSameHashCodeAs(byHand);
    assertThat(accepted.entry()).isEqualTo(entryByHand).hasSameHashCodeAs(entryByHand);
    assertThat(accepted.booking()).hasToString("Booking[id=b-1, customerId=c-1, gigstaId=g-1, state=ACCEPTED, "
        + "version=2, scheduledStart=null, price=null, updatedAt=2026-11-23T10:00:00Z, workflowVersion=gigsta v1]");
    assertThat(accepted.entry().toString()).startsWith("AuditEntry[bookingId=b-1, sequence=2, actionName=accept_booking,");
    assertThat(byHand).isNotEqualTo(new Booking("b-1", "c-1", "g-1", BookingState.ACCEPTED, 3, null, null, AT, v1));
    assertThat(byHand).isNotEqualTo(new Booking("b-1", "c-1", "g-1", BookingState.ACCEPTED, 2, null, AT));
    assertThat(entryByHand).isNotEqualTo(new AuditEntry("b-1", 2, "accept_booking", Role.GIGSTA, "g-1", "c-1",
        "g-1", BookingState.REQUESTED, BookingState.ACCEPTED, AT, "Booking accepted by GigSta", null, null));
  }

  @Test
  void shouldCarryThePriceAndTheMoneyAChangeMovesInTheSnapshotsAndEntries() {
    Money price = Money.of(8000, "EUR");
    engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null, price);
    BookingChange accepted = engine.perform("b-1", 1, Actor.gigsta("g-1"), "accept_booking", null);

    WorkflowVersion v1 = WorkflowVersion.of("gigsta", 1);
    Booking byHand = new Booking("b-1", "c-1", "g-1", BookingState.ACCEPTED, 2, null, price, AT, v1);
    AuditEntry entryByHand = new AuditEntry("b-1", 2, "accept_booking", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, AT, "Booking accepted by GigSta", null, null, price, price,
        null, v1);

    assertThat(accepted.booking()).isEqualTo(byHand).hasSameHashCodeAs(byHand);
    assertThat(accepted.entry()).isEqualTo(entryByHand).hasSameHashCodeAs(entryByHand);
    assertThat(engine.history("b-1").get(0).price()).isEqualTo(price);
    assertThat(accepted.entry()).isNotEqualTo(new AuditEntry("b-1", 2, "accept_booking", Role.GIGSTA, "g-1", "c-1",
        "g-1", BookingState.REQUESTED, BookingState.ACCEPTED, AT, "Booking accepted by GigSta", null, null, price,
        null, null, v1));
  }

  @Test
  void shouldRefuseMoneyAnEntryCannotHave() {
    Money price = Money.of(8000, "EUR");
    assertThatThrownBy(() -> new AuditEntry("b-1", 2, "cancel_booking", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.ACCEPTED, BookingState.CANCELLED_BY_GIGSTA, AT, "Cancelled", null, null, null, price, null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("an entry without a price has no amount");
    assertThatThrownBy(() -> new AuditEntry("b-1", 2, "cancel_booking", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.ACCEPTED, BookingState.CANCELLED_BY_GIGSTA, AT, "Cancelled", null, null, price,
        Money.of(8000, "USD"), null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("in the price's currency");
    assertThatThrownBy(() -> new AuditEntry("b-1", 2, "cancel_booking", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.ACCEPTED, BookingState.CANCELLED_BY_GIGSTA, AT, "Cancelled", null, null, price, null,
        Money.of(8001, "EUR")))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("at most the price 80.00 EUR");
    assertThatThrownBy(() -> new Booking("b-1", "c-1", "g-1", BookingState.REQUESTED, 1, null, Money.of(0, "EUR"), AT))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("a price must be more than zero");
  }

  @Test
  void shouldCheckEveryPartOfAValueMadeByHand() {
    assertThatThrownBy(() -> new Booking(" b-1", "c-1", "g-1", BookingState.REQUESTED, 1, null, AT))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("booking id must not start or end");
    assertThatThrownBy(() -> new Booking("b-1", "c-1", "g-\uD800", BookingState.REQUESTED, 1, null, AT))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("gigsta id must be well-formed");
    assertThatThrownBy(() -> new Booking("b-1", "c-1", "g-1", BookingState.REQUESTED, 0, null, AT))
        .isInstanceOf(InvalidBookingInputException.class).hasMessage("version must be at least 1 but was 0");
    assertThatThrownBy(() -> new AuditEntry("b-1", 2, "accept_booking", Role.GIGSTA, "g\u00001", "c-1", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, AT, "Accepted", null, null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("actor id must not contain control");
    assertThatThrownBy(() -> new AuditEntry("b-1", 2, "accept_booking", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, AT, "Accepted", "\uDC00", null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("reason must be well-formed");
    assertThatThrownBy(() -> new AuditEntry("b-1", 1, "accept_booking", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, AT, "Accepted", null, null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("fromState must be null exactly");
  }
}
