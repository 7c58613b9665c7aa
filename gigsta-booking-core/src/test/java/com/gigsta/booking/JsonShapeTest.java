package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonShapeTest {

  static Stream<ObjectMapper> mappers() {
    return Stream.of(new ObjectMapper(), new ObjectMapper().registerModule(new JavaTimeModule()),
        new ObjectMapper().findAndRegisterModules());
  }

  private final BookingEngine engine = BookingEngine.builder()
      .withClock(Clock.fixed(Instant.parse("2026-11-23T10:15:30.123456Z"), ZoneOffset.UTC)).build();

  @ParameterizedTest
  @MethodSource("mappers")
  void shouldWriteBookingActionExactlyAsTheUiExpects(ObjectMapper mapper) throws Exception {
    Booking booking = engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null).booking();

    List<BookingAction> actions = engine.getAvailableBookingActions(booking, Actor.gigsta("g-1"));

    assertThat(mapper.writeValueAsString(actions.get(0))).isEqualTo(
        "{\"action_name\":\"accept_booking\",\"button_label\":\"Accept booking\","
            + "\"note\":\"Booking accepted by GigSta\",\"is_critical\":false}");
    assertThat(mapper.writeValueAsString(actions)).isEqualTo("["
        + "{\"action_name\":\"accept_booking\",\"button_label\":\"Accept booking\","
        + "\"note\":\"Booking accepted by GigSta\",\"is_critical\":false},"
        + "{\"action_name\":\"decline_booking\",\"button_label\":\"Decline booking\","
        + "\"note\":\"Booking declined by GigSta\",\"is_critical\":true}]");
  }

  @ParameterizedTest
  @MethodSource("mappers")
  void shouldWriteAuditEntriesInSnakeCaseWithAnIsoUtcTimestamp(ObjectMapper mapper) throws Exception {
    Booking booking = engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null).booking();
    AuditEntry entry = engine.perform(booking, Actor.customer("c-1"), "cancel_booking", "Found another date").entry();

    assertThat(mapper.writeValueAsString(entry)).isEqualTo("{\"booking_id\":\"b-1\",\"sequence\":2,"
        + "\"action_name\":\"cancel_booking\",\"actor_role\":\"CUSTOMER\",\"actor_id\":\"c-1\","
        + "\"from_state\":\"REQUESTED\",\"to_state\":\"CANCELLED_BY_CUSTOMER\","
        + "\"occurred_at\":\"2026-11-23T10:15:30.123456Z\",\"note\":\"Booking cancelled by customer\","
        + "\"reason\":\"Found another date\"}");
    assertThat(mapper.writeValueAsString(engine.history("b-1").get(0))).isEqualTo("{\"booking_id\":\"b-1\","
        + "\"sequence\":1,\"action_name\":\"request_booking\",\"actor_role\":\"CUSTOMER\",\"actor_id\":\"c-1\","
        + "\"from_state\":null,\"to_state\":\"REQUESTED\",\"occurred_at\":\"2026-11-23T10:15:30.123456Z\","
        + "\"note\":\"Booking requested by customer\",\"reason\":null}");
  }

  @ParameterizedTest
  @MethodSource("mappers")
  void shouldWriteBookingSnapshotsInSnakeCase(ObjectMapper mapper) throws Exception {
    Booking booking = engine.requestBooking("b-1", Actor.customer("c-1"), "g-1",
        Instant.parse("2026-12-01T09:00:00Z")).booking();

    assertThat(mapper.writeValueAsString(booking)).isEqualTo("{\"id\":\"b-1\",\"customer_id\":\"c-1\","
        + "\"gigsta_id\":\"g-1\",\"state\":\"REQUESTED\",\"version\":1,"
        + "\"scheduled_start\":\"2026-12-01T09:00:00Z\",\"updated_at\":\"2026-11-23T10:15:30.123456Z\"}");
  }

  @ParameterizedTest
  @MethodSource("mappers")
  void shouldReadBookingStatesBackByName(ObjectMapper mapper) throws Exception {
    assertThat(mapper.readValue("\"IN_PROGRESS\"", BookingState.class)).isEqualTo(BookingState.IN_PROGRESS);
  }
}
