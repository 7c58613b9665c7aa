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
  void shouldTreatNullsAsProgrammerErrorsNamingTheArgument() {
    assertThatThrownBy(() -> engine.perform((Booking) null, Actor.customer("c-1"), "cancel_booking"))
        .isInstanceOf(NullPointerException.class).hasMessage("booking is required but was null");
    assertThatThrownBy(() -> engine.perform(booking, null, "cancel_booking"))
        .isInstanceOf(NullPointerException.class).hasMessage("actor is required but was null");
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), null))
        .isInstanceOf(NullPointerException.class).hasMessage("actionName is required but was null");
    assertThatThrownBy(() -> engine.getAvailableBookingActions((Booking) null, Actor.customer("c-1")))
        .isInstanceOf(NullPointerException.class).hasMessage("booking is required but was null");
    assertThatThrownBy(() -> engine.load(null))
        .isInstanceOf(NullPointerException.class).hasMessage("booking id is required but was null");
    assertThatThrownBy(() -> engine.requestBooking("b-9", Actor.customer("c-1"), null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("gigstaId is required but was null");
    assertThatThrownBy(() -> BookingEngine.builder().withClock(null))
        .isInstanceOf(NullPointerException.class).hasMessage("clock is required but was null");
    assertThat(engine.history("b-1")).hasSize(1);
  }

  @Test
  void shouldRefuseOverlongIdsBeforeWriting() {
    String longId = "x".repeat(129);

    assertThatThrownBy(() -> engine.requestBooking(longId, Actor.customer("c-1"), "g-1", null))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("booking id must be at most 128 characters (UTF-16 code units) but was 129");
    assertThatThrownBy(() -> engine.requestBooking("b-2", Actor.customer("c-1"), longId, null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("gigsta id must be at most 128");
    // A snapshot made up by hand, whose customer the actor is: the workflow allows the action, the limits do not.
    Booking madeUp = new Booking("b-1", longId, "g-1", BookingState.REQUESTED, 1, null, booking.updatedAt());
    assertThatThrownBy(() -> engine.perform(madeUp, Actor.customer(longId), "cancel_booking"))
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
        .hasMessage("reason must be at most 2,000 characters (UTF-16 code units) but was 2,001");
    assertThatThrownBy(() -> engine.perform(booking, customer, "cancel_booking", "bad\u0000byte"))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("U+0000");
    assertThat(engine.history("b-1")).hasSize(1);
    assertThat(engine.perform(booking, customer, "cancel_booking", "line one\nline two\ttabbed").entry().reason())
        .isEqualTo("line one\nline two\ttabbed");
  }

  @Test
  void shouldHonourConfiguredLimits() {
    BookingEngine strict = BookingEngine.builder()
        .withAuditTrail(new com.gigsta.booking.spi.InMemoryAuditTrail(new BookingLimits(8, 40))).build();

    assertThatThrownBy(() -> strict.requestBooking("booking-123", Actor.customer("c-1"), "g-1", null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("at most 8 characters (UTF-16 code units) but was 11");
    Booking small = strict.requestBooking("b-1", Actor.customer("c-1"), "g-1", null).booking();
    assertThatThrownBy(() -> strict.perform(small, Actor.customer("c-1"), "cancel_booking", "x".repeat(41)))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("at most 40 characters (UTF-16 code units) but was 41");
  }

  @Test
  void shouldRefuseMalformedActionNamesAndInvalidLimits() {
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), "Cancel Booking"))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("action name must be a-z, digits and '_'");
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), "a".repeat(65)))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("at most 64 characters");
    assertThatThrownBy(() -> new BookingLimits(0, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxIdLength must be at least 1 but was 0");
    assertThatThrownBy(() -> BookingState.of("requested")).isInstanceOf(InvalidBookingInputException.class);
  }

  @Test
  void shouldRefuseAnOutOfRangeSweepBatch() {
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be from 1 to 10,000 but was 0");
    assertThatThrownBy(() -> DeliveryWorker.builder(engine).withBatchSize(10_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be from 1 to 10,000 but was 10001");
    assertThatThrownBy(() -> trail.findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null,
        java.time.Instant.parse("2026-11-23T10:00:00Z"), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be from 1 to 10,000 but was 0");
  }

  @Test
  void shouldTellWhichFieldWasBad() {
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), "cancel_booking", ""))
        .isInstanceOfSatisfying(InvalidBookingInputException.class, e -> {
          assertThat(e.field()).isEqualTo("reason");
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        });
  }

  @Test
  void shouldCountAnEmojiAsTwoCharactersAgainstTheLimits() {
    BookingEngine strict = BookingEngine.builder().withAuditTrail(new InMemoryAuditTrail(new BookingLimits(8, 40)))
        .build();
    String sevenCodeUnits = "b-\uD83D\uDE00-1x";
    String nineCodeUnits = "b-\uD83D\uDE00-1234";

    assertThat(strict.requestBooking(sevenCodeUnits, Actor.customer("c-1"), "g-1", null).booking().id())
        .isEqualTo(sevenCodeUnits);
    assertThatThrownBy(() -> strict.requestBooking(nineCodeUnits, Actor.customer("c-1"), "g-1", null))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("booking id must be at most 8 characters (UTF-16 code units) but was 9");
  }

  @ParameterizedTest
  @ValueSource(strings = {"b-\uD800", "b-\uDC00", "\uDBFFb", "b-\uDE00\uD83D"})
  void shouldRefuseUnpairedSurrogatesInEveryIdBeforeAnythingIsWritten(String bad) {
    assertThatThrownBy(() -> engine.requestBooking(bad, Actor.customer("c-1"), "g-1", null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("booking id must be well-formed UTF-16");
    assertThatThrownBy(() -> engine.requestBooking("b-2", Actor.customer("c-1"), bad, null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("gigsta id must be well-formed UTF-16");
    assertThatThrownBy(() -> Actor.customer(bad))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("actor id must be well-formed UTF-16");
    assertThatThrownBy(() -> engine.perform(booking, Actor.customer("c-1"), "cancel_booking", "why " + bad))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("reason must be well-formed UTF-16");
    assertThatThrownBy(() -> engine.load(bad))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("booking id must be well-formed UTF-16");
    assertThat(trail.history("b-2")).isEmpty();
    assertThat(trail.history(bad)).isEmpty();
    assertThat(engine.history("b-1")).hasSize(1);
  }

  @Test
  void shouldRefuseLimitsNarrowerThanTheWorkflowsOwnNotesWhenBuilding() {
    InMemoryAuditTrail narrow = new InMemoryAuditTrail(new BookingLimits(128, 20));

    assertThatThrownBy(() -> BookingEngine.builder().withAuditTrail(narrow).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the audit trail stores texts of at most 20 characters, but workflow gigsta v1 "
            + "writes a note of 26 for accept_booking");
  }
}
