package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.spi.InMemoryAuditTrail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputValidationTest {

  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
  private final Booking booking = engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null).booking();

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "c\u0000-1", "c-1\n", " c-1"})
  void shouldRefuseMalformedActorIds(String id) {
    assertThatThrownBy(() -> Actor.customer(id)).isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("actor id");
  }

  @Test
  void shouldNameTheControlCharacterAndWhereItIs() {
    assertThatThrownBy(() -> engine.requestBooking("b\u00072", Actor.customer("c-1"), "g-1", null))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("booking id must not contain control characters but has U+0007 at index 1");
  }

  @Test
  void shouldRefuseNullsWithTheirName() {
    assertThatThrownBy(() -> engine.perform(null, Actor.customer("c-1"), "cancel_booking"))
        .isInstanceOf(InvalidBookingInputException.class).hasMessage("booking is required but was null");
    assertThatThrownBy(() -> engine.perform(booking, null, "cancel_booking"))
        .isInstanceOf(InvalidBookingInputException.class).hasMessage("actor is required but was null");
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessage("action name is required but was null");
    assertThatThrownBy(() -> engine.getAvailableBookingActions((Booking) null, Actor.customer("c-1")))
        .isInstanceOf(InvalidBookingInputException.class);
  }

  @Test
  void shouldRefuseOverlongIdsBeforeWriting() {
    String longId = "x".repeat(129);

    assertThatThrownBy(() -> engine.requestBooking(longId, Actor.customer("c-1"), "g-1", null))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("booking id must be at most 128 characters but was 129");
    assertThatThrownBy(() -> engine.requestBooking("b-2", Actor.customer("c-1"), longId, null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("gigsta id must be at most 128");
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer(longId), "cancel_booking"))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("actor id must be at most 128");
    assertThat(trail.history(longId)).isEmpty();
    assertThat(trail.history("b-2")).isEmpty();
  }

  @Test
  void shouldRefuseBlankOverlongOrBinaryReasonsBeforeWriting() {
    Actor customer = Actor.customer("c-1");

    assertThatThrownBy(() -> engine.perform(booking, customer, "cancel_booking", "  "))
        .isInstanceOf(InvalidBookingInputException.class).hasMessage("reason must not be blank");
    assertThatThrownBy(() -> engine.perform(booking, customer, "cancel_booking", "x".repeat(2_001)))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("reason must be at most 2,000 characters but was 2,001");
    assertThatThrownBy(() -> engine.perform(booking, customer, "cancel_booking", "bad\u0000byte"))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("U+0000");
    assertThat(engine.history("b-1")).hasSize(1);
    assertThat(engine.perform(booking, customer, "cancel_booking", "line one\nline two\ttabbed").entry().reason())
        .isEqualTo("line one\nline two\ttabbed");
  }

  @Test
  void shouldHonourConfiguredLimits() {
    BookingEngine strict = BookingEngine.builder().withLimits(new BookingLimits(8, 40)).build();

    assertThatThrownBy(() -> strict.requestBooking("booking-123", Actor.customer("c-1"), "g-1", null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("at most 8 characters but was 11");
    Booking small = strict.requestBooking("b-1", Actor.customer("c-1"), "g-1", null).booking();
    assertThatThrownBy(() -> strict.perform(small, Actor.customer("c-1"), "cancel_booking", "x".repeat(41)))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("at most 40 characters but was 41");
  }

  @Test
  void shouldRefuseMalformedActionNamesAndInvalidLimits() {
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), "Cancel Booking"))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("action name must be a-z, digits and '_'");
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), "a".repeat(65)))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("at most 64 characters");
    assertThatThrownBy(() -> new BookingLimits(0, 10)).isInstanceOf(InvalidBookingInputException.class);
    assertThatThrownBy(() -> BookingState.of("requested")).isInstanceOf(InvalidBookingInputException.class);
  }

  @Test
  void shouldRefuseAnOutOfRangeExpiryBatch() {
    assertThatThrownBy(() -> engine.expireOverdueRequests(java.time.Instant.now(), 0))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("batchSize must be between 1");
  }

  @Test
  void shouldTellWhichFieldWasBad() {
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), "cancel_booking", ""))
        .isInstanceOfSatisfying(InvalidBookingInputException.class, e -> {
          assertThat(e.field()).isEqualTo("reason");
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        });
  }
}
