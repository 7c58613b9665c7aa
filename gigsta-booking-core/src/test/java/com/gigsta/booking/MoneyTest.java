package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import com.gigsta.booking.spi.RecordingPaymentHooks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoneyTest {

  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Money PRICE = Money.of(8001, "EUR");

  private final BookingEngineTest.MutableClock clock = new BookingEngineTest.MutableClock(T0);
  private final RecordingPaymentHooks payments = new RecordingPaymentHooks();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(new InMemoryAuditTrail())
      .withPaymentHooks(payments).withClock(clock).build();
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void shouldKeepAmountsExactInMinorUnitsAndRoundARefundDownToAWholeMinorUnit() throws Exception {
    assertThat(Money.of(8001, "EUR").percent(50)).isEqualTo(Money.of(4000, "EUR"));
    assertThat(Money.of(8001, "EUR").minus(Money.of(4000, "EUR"))).isEqualTo(Money.of(4001, "EUR"));
    assertThat(Money.of(999, "JPY").percent(33)).isEqualTo(Money.of(329, "JPY"));
    assertThat(Money.of(Long.MAX_VALUE, "USD").percent(100)).isEqualTo(Money.of(Long.MAX_VALUE, "USD"));
    assertThat(Money.of(Long.MAX_VALUE, "USD").percent(50)).isEqualTo(Money.of(Long.MAX_VALUE / 2, "USD"));
    assertThat(Money.of(4000, "EUR")).hasToString("40.00 EUR");
    assertThat(Money.of(500, "JPY")).hasToString("500 JPY");
    assertThat(Money.of(1234, "BHD")).hasToString("1.234 BHD");
    assertThat(mapper.writeValueAsString(Money.of(4000, "EUR"))).isEqualTo("{\"amount_minor\":4000,\"currency\":\"EUR\"}");
    assertThat(mapper.readValue("{\"amount_minor\":4000,\"currency\":\"EUR\"}", Money.class))
        .isEqualTo(Money.of(4000, "EUR"));
  }

  @Test
  void shouldRefuseMoneyThatIsNotExact() {
    assertThatThrownBy(() -> Money.of(-1, "EUR")).isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> Money.of(1, "EURO")).isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("not an ISO 4217 currency code");
    assertThatThrownBy(() -> Money.of(1, "XAU")).isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("has no minor unit");
    assertThatThrownBy(() -> Money.of(1, "EUR").plus(Money.of(1, "USD"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.of(1, "EUR").minus(Money.of(2, "EUR"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.requestBooking("b-1", CUSTOMER, "g-1", null, Money.of(0, "EUR")))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("a price must be more than zero");
    assertThat(engine.auditTrail().latest("b-1")).isEmpty();
  }

  @Test
  void shouldRecordThePriceAtCreationAndCarryItOnEveryEntryAndSnapshot() throws Exception {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", T0.plus(Duration.ofDays(30)), PRICE).booking();
    Booking accepted = engine.perform(booking, GIGSTA, "accept_booking").booking();

    assertThat(engine.history("b-1")).extracting(AuditEntry::price).containsExactly(PRICE, PRICE);
    assertThat(accepted.price()).isEqualTo(PRICE);
    JsonNode json = mapper.readTree(mapper.writeValueAsString(accepted));
    assertThat(json.get("price").toString()).isEqualTo("{\"amount_minor\":8001,\"currency\":\"EUR\"}");
    assertThat(mapper.readTree(mapper.writeValueAsString(engine.requestBooking("b-2", CUSTOMER, "g-1", null)
        .booking())).has("price")).as("no price, no field").isFalse();
  }

  @Test
  void shouldListWhatCancellingCostsBeforeThePersonClicksAndRecordTheSameFigures() throws Exception {
    Instant start = T0.plus(Duration.ofDays(3));
    Booking booking = accept(engine.requestBooking("b-1", CUSTOMER, "g-1", start, PRICE).booking());

    BookingAction early = cancel(engine.getAvailableBookingActions(booking, CUSTOMER));
    clock.set(start.minus(Duration.ofHours(24)));
    BookingAction lastFullRefund = cancel(engine.getAvailableBookingActions(booking, CUSTOMER));
    clock.set(start.minus(Duration.ofHours(24)).plusNanos(1000));
    BookingAction late = cancel(engine.getAvailableBookingActions(booking, CUSTOMER));
    BookingChange cancelled = engine.perform(booking, CUSTOMER, "cancel_booking");

    assertThat(early.refund()).isEqualTo(PRICE);
    assertThat(early.fee()).isEqualTo(Money.of(0, "EUR"));
    assertThat(lastFullRefund.refund()).isEqualTo(PRICE);
    assertThat(late.refund()).isEqualTo(Money.of(4000, "EUR"));
    assertThat(late.fee()).isEqualTo(Money.of(4001, "EUR"));
    assertThat(cancelled.entry().amount()).isEqualTo(late.refund());
    assertThat(cancelled.entry().fee()).isEqualTo(late.fee());
    assertThat(mapper.writeValueAsString(late)).isEqualTo("{\"action_name\":\"cancel_booking\","
        + "\"button_label\":\"Cancel booking\",\"note\":\"Booking cancelled by customer\",\"is_critical\":true,"
        + "\"refund\":{\"amount_minor\":4000,\"currency\":\"EUR\"},\"fee\":{\"amount_minor\":4001,\"currency\":\"EUR\"}}");
    assertThat(mapper.readTree(mapper.writeValueAsString(cancelled.entry())).get("fee").get("amount_minor").asLong())
        .isEqualTo(4001);
    assertThat(mapper.readValue(mapper.writeValueAsString(late), BookingAction.class)).as("read back as written")
        .isEqualTo(late);
    DeliveryWorker.builder(engine).build().drain();
    assertThat(payments.effectiveRequests(PaymentMoment.REFUND)).extracting(PaymentRequest::amount)
        .containsExactly(Money.of(4000, "EUR"));
  }

  @Test
  void shouldKeepTheFourMetadataFieldsOfEveryActionExactlyAsTheyAreWhetherOrNotTheBookingHasAPrice()
      throws Exception {
    Booking priced = engine.requestBooking("b-1", CUSTOMER, "g-1", T0.plus(Duration.ofDays(3)), PRICE).booking();
    Booking unpriced = engine.requestBooking("b-2", CUSTOMER, "g-1", T0.plus(Duration.ofDays(3))).booking();
    for (Actor actor : List.of(CUSTOMER, GIGSTA)) {
      List<BookingAction> withPrice = engine.getAvailableBookingActions(priced, actor);
      List<BookingAction> without = engine.getAvailableBookingActions(unpriced, actor);
      assertThat(withPrice).extracting(this::fourFields).isEqualTo(without.stream().map(this::fourFields).toList());
      for (BookingAction action : without) {
        assertThat(fieldNames(action)).containsExactly("action_name", "button_label", "note", "is_critical");
      }
    }
    BookingAction accept = engine.getAvailableBookingActions(priced, GIGSTA).get(0);
    assertThat(fieldNames(accept)).containsExactly("action_name", "button_label", "note", "is_critical", "charge");
    assertThat(accept.charge()).isEqualTo(PRICE);
    Booking inProgress = engine.perform(accept(priced), GIGSTA, "mark_in_progress").booking();
    assertThat(engine.getAvailableBookingActions(inProgress, GIGSTA)).singleElement()
        .satisfies(complete -> assertThat(complete.payout()).isEqualTo(PRICE));
    assertThat(engine.getAvailableBookingActions(unpriced, GIGSTA).get(1)).isEqualTo(
        new BookingAction("decline_booking", "Decline booking", "Booking declined by GigSta", true));
  }

  @Test
  void shouldKeepEveryKeyWithin255CharactersWhateverTheIdLimits() {
    BookingEngine longIds = BookingEngine.builder()
        .withAuditTrail(new InMemoryAuditTrail(new BookingLimits(1_000, 2_000))).withPaymentHooks(payments).build();
    String id = "b".repeat(1_000);
    longIds.perform(longIds.requestBooking(id, CUSTOMER, "g-1", null).booking(), GIGSTA, "accept_booking");

    PaymentRequest secure = payments.requests().get(0);
    assertThat(secure.idempotencyKey()).hasSizeLessThanOrEqualTo(255)
        .endsWith(":2:accept_booking:secure:1").doesNotContain("bbbb");
    assertThat(PaymentRequest.of(PaymentMoment.SECURE, id, "c-1", "g-1", "accept_booking", 2, 1, null))
        .as("the same parts give the same key").isEqualTo(secure);
    assertThat(secure.withAttempt(2).idempotencyKey()).isNotEqualTo(secure.idempotencyKey());
  }

  @Test
  void shouldRefuseARefundPolicyOnARuleThatDoesNotRefund() {
    assertThatThrownBy(() -> Workflow.builder("w").initialState(BookingState.REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("decline_booking").by(Role.GIGSTA).from(BookingState.REQUESTED).to(BookingState.DECLINED)
        .label("Decline").note("Declined").payment(PaymentMoment.RELEASE).refund(RefundPolicy.percent(50)).add()
        .terminalStates(BookingState.DECLINED).build())
        .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("a refund policy is only for a REFUND rule");
    assertThatThrownBy(() -> RefundPolicy.percent(101)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RefundPolicy.byNotice(Duration.ZERO, 100, 50)).isInstanceOf(IllegalArgumentException.class);
  }

  private Booking accept(Booking requested) {
    return engine.perform(requested, GIGSTA, "accept_booking").booking();
  }

  private static BookingAction cancel(List<BookingAction> actions) {
    return actions.stream().filter(action -> action.actionName().equals("cancel_booking")).findFirst().orElseThrow();
  }

  private List<Object> fourFields(BookingAction action) {
    return List.of(action.actionName(), String.valueOf(action.buttonLabel()), action.note(), action.isCritical());
  }

  private List<String> fieldNames(BookingAction action) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    mapper.readTree(mapper.writeValueAsString(action)).fieldNames().forEachRemaining(names::add);
    return names;
  }
}
