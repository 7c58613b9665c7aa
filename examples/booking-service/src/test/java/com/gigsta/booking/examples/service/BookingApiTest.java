package com.gigsta.booking.examples.service;

import static com.gigsta.booking.examples.service.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gigsta.booking.Actor;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The JSON API against the whole running service: security, database, engine and card processor. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BookingApiTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  @LocalServerPort
  int port;

  @Autowired
  BookingEngine engine;

  @Autowired
  JdbcAuditTrail auditTrail;

  @Autowired
  SwitchablePaymentHooks payments;

  ApiClient alice;
  ApiClient gina;
  ApiClient olga;

  @BeforeEach
  void signIn() {
    alice = ApiClient.basic(port, "alice");
    gina = ApiClient.basic(port, "gina");
    olga = ApiClient.basic(port, "olga");
    payments.declineAll(false);
    payments.failRefunds(false);
  }

  private String requestBooking(ApiClient customer, String gigstaId) {
    return requestBookingWith(customer, "{\"gigsta_id\":\"" + gigstaId + "\"}");
  }

  private String requestBooking(ApiClient customer, String gigstaId, Instant scheduledStart) {
    return requestBookingWith(customer,
        "{\"gigsta_id\":\"" + gigstaId + "\",\"scheduled_start\":\"" + scheduledStart + "\"}");
  }

  private static String requestBookingWith(ApiClient customer, String body) {
    ApiClient.Reply created = customer.post("/api/bookings", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().at("/booking/id").asText();
  }

  @Test
  void shouldServeTheLibrarysActionJsonUnchanged() throws Exception {
    String id = requestBooking(alice, "gina");
    ObjectMapper plain = new ObjectMapper();

    for (ApiClient client : List.of(alice, gina)) {
      Actor actor = client == alice ? Actor.customer("alice") : Actor.gigsta("gina");
      String expected = plain.writeValueAsString(engine.getAvailableBookingActions(engine.load(id), actor));
      ApiClient.Reply actions = client.get("/api/bookings/" + id + "/actions");
      assertThat(actions.status()).isEqualTo(200);
      assertThat(actions.body()).isEqualTo(expected);
      assertThat(client.get("/api/bookings/" + id).json().get("actions").toString()).isEqualTo(expected);
    }
    // Accepting charges Gina's list price; declining moves no money, so it lists the four fields alone.
    assertThat(gina.get("/api/bookings/" + id + "/actions").body()).isEqualTo(
        "[{\"action_name\":\"accept_booking\",\"button_label\":\"Accept booking\",\"note\":\"Booking accepted by GigSta\","
            + "\"is_critical\":false,\"charge\":{\"amount_minor\":8000,\"currency\":\"EUR\"}},"
            + "{\"action_name\":\"decline_booking\",\"button_label\":\"Decline booking\","
            + "\"note\":\"Booking declined by GigSta\",\"is_critical\":true}]");

    assertThat(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}").status()).isEqualTo(200);
    String afterAccept = plain.writeValueAsString(engine.getAvailableBookingActions(engine.load(id), Actor.gigsta("gina")));
    assertThat(gina.get("/api/bookings/" + id + "/actions").body()).isEqualTo(afterAccept);
    assertThat(plain.writeValueAsString(engine.history(id)))
        .isEqualTo(alice.get("/api/bookings/" + id + "/audit").body());
  }

  @Test
  void shouldAnswer404ToSomeoneWhoTakesNoPartInTheBooking() {
    String id = requestBooking(alice, "gina");
    ApiClient.Reply unknown = ApiClient.basic(port, "bob").get("/api/bookings/no-such-booking");

    for (String stranger : List.of("bob", "gus")) {
      ApiClient client = ApiClient.basic(port, stranger);
      List<ApiClient.Reply> replies = List.of(
          client.get("/api/bookings/" + id),
          client.get("/api/bookings/" + id + "/actions"),
          client.get("/api/bookings/" + id + "/audit"),
          client.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"reason\":\"not mine\"}"),
          client.post("/api/bookings/" + id + "/actions/accept_booking", null),
          // Refusals the engine decides before it asks who takes part: a stale version, an unknown action,
          // a malformed reason. A stranger still learns nothing from them.
          client.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":7}"),
          client.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"version\":1,\"reason\":\"not mine\"}"),
          client.post("/api/bookings/" + id + "/actions/dance", null),
          client.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"reason\":\"bell\\u0007\"}"));
      for (ApiClient.Reply reply : replies) {
        assertThat(reply.status()).as(stranger + ": " + reply.body()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith(PROBLEM_JSON);
        // Nothing tells a stranger more than an unknown id would: no state, no parties.
        assertThat(reply.json().properties()).extracting(java.util.Map.Entry::getKey)
            .containsExactlyInAnyOrderElementsOf(iterable(unknown.json().fieldNames()));
        assertThat(reply.json().get("code")).isEqualTo(unknown.json().get("code"));
        assertThat(reply.json().get("type")).isEqualTo(unknown.json().get("type"));
        assertThat(reply.body()).doesNotContain("REQUESTED", "alice", "gina");
      }
      assertThat(client.get("/api/bookings").body()).doesNotContain(id);
    }
    assertThat(engine.load(id).version()).isEqualTo(1);
    assertThat(ApiClient.basic(port, "olga").get("/api/bookings/" + id).status()).isEqualTo(200);
  }

  @Test
  void shouldLetExactlyOneOfTwoConflictingRequestsWin() throws Exception {
    int rounds = 8;
    // Sessions, not HTTP basic: password hashing would otherwise stagger the two requests.
    ApiClient customer = ApiClient.session(port, "alice");
    ApiClient gigsta = ApiClient.session(port, "gina");
    int successes = 0;
    int conflicts = 0;
    int cancelWins = 0;
    int acceptWins = 0;
    int refusedByTheTrail = 0;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        String id = requestBooking(alice, "gina");
        CountDownLatch start = new CountDownLatch(1);
        Future<ApiClient.Reply> cancel = pool.submit(() -> {
          start.await();
          return customer.post("/api/bookings/" + id + "/actions/cancel_booking",
              "{\"version\":1,\"reason\":\"found someone closer\"}");
        });
        Future<ApiClient.Reply> accept = pool.submit(() -> {
          start.await();
          return gigsta.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}");
        });
        start.countDown();
        ApiClient.Reply cancelled = cancel.get(30, TimeUnit.SECONDS);
        ApiClient.Reply accepted = accept.get(30, TimeUnit.SECONDS);

        List<Integer> statuses = List.of(cancelled.status(), accepted.status());
        assertThat(statuses).as(cancelled.body() + " / " + accepted.body()).containsExactlyInAnyOrder(200, 409);
        ApiClient.Reply loser = cancelled.status() == 409 ? cancelled : accepted;
        assertThat(loser.contentType()).startsWith(PROBLEM_JSON);
        assertThat(loser.json().get("code").asText()).isEqualTo("CONCURRENT_CHANGE");
        // The loser either read the booking after the winner wrote (refused before the engine runs) or
        // raced it all the way to the audit table, whose primary key refused the second row.
        if (!loser.json().get("detail").asText().contains("it is at version")) {
          refusedByTheTrail++;
        }
        successes += (int) statuses.stream().filter(status -> status == 200).count();
        conflicts += (int) statuses.stream().filter(status -> status == 409).count();

        BookingState expected = cancelled.status() == 200 ? BookingState.CANCELLED_BY_CUSTOMER : BookingState.ACCEPTED;
        if (cancelled.status() == 200) {
          cancelWins++;
        } else {
          acceptWins++;
        }
        assertThat(engine.load(id).state()).isEqualTo(expected);
        assertThat(engine.history(id)).hasSize(2);
        assertThat(auditTrail.verify(id).intact()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("race: %d rounds of customer cancel vs GigSta accept on version 1: %d succeeded, "
        + "%d got 409 (cancel won %d, accept won %d; %d losers refused by the audit trail's append, the others "
        + "by the version check)%n", rounds, successes, conflicts, cancelWins, acceptWins, refusedByTheTrail);
    assertThat(successes).isEqualTo(rounds);
    assertThat(conflicts).isEqualTo(rounds);
  }

  @Test
  void shouldMapEachRefusalToItsProblemStatus() {
    String id = requestBooking(alice, "gina");
    String actions = "/api/bookings/" + id + "/actions/";

    assertProblem(alice.post(actions + "accept_booking", null), 403, "NOT_ALLOWED_FOR_ROLE");
    assertProblem(gina.post(actions + "dance", null), 400, "UNKNOWN_ACTION");
    assertProblem(alice.post(actions + "cancel_booking", "{\"reason\":\"" + "x".repeat(2001) + "\"}"), 400,
        "INVALID_INPUT");
    assertThat(gina.post(actions + "accept_booking", null).status()).isEqualTo(200);
    assertProblem(gina.post(actions + "accept_booking", null), 409, "NOT_ALLOWED_IN_STATE");
    assertProblem(gina.post(actions + "mark_in_progress", "{\"version\":1}"), 409, "CONCURRENT_CHANGE");
    assertProblem(alice.post("/api/bookings", "{\"gigsta_id\":\"bob\"}"), 400, "INVALID_INPUT");
    assertProblem(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\"tomorrow\"}"), 400,
        "INVALID_INPUT");

    // Times the audit trail cannot store exactly are refused, never rounded.
    Instant tooFine = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(1)).plusNanos(100);
    assertProblem(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\"" + tooFine + "\"}"),
        400, "INVALID_INPUT");

    ApiClient.Reply malformed = alice.post("/api/bookings", "{\"gigsta_id\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith(PROBLEM_JSON);

    ApiClient.Reply anonymous = ApiClient.anonymous(port).get("/api/bookings");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).startsWith(PROBLEM_JSON);
    assertThat(ApiClient.basic(port, "alice").get("/api/operator/payments").status()).isEqualTo(403);
  }

  @Test
  void shouldAnswer400NamingTheFieldWhenARequestBodyLacksWhatItNeeds() {
    String id = requestBooking(alice, "gina");

    ApiClient.Reply noGigsta = alice.post("/api/bookings", "{\"scheduled_start\":\"2026-05-01T09:00:00Z\"}");
    assertProblem(noGigsta, 400, "INVALID_INPUT");
    assertThat(noGigsta.json().get("field").asText()).isEqualTo("gigsta_id");
    assertThat(noGigsta.json().get("detail").asText()).contains("gigsta_id", "missing");

    for (String version : List.of("0", "-1")) {
      ApiClient.Reply noVersion = gina.post("/api/bookings/" + id + "/actions/accept_booking",
          "{\"version\":" + version + "}");
      assertProblem(noVersion, 400, "INVALID_INPUT");
      assertThat(noVersion.json().get("field").asText()).isEqualTo("version");
      assertThat(noVersion.json().get("detail").asText()).contains("at least 1", version);
    }
    ApiClient.Reply notANumber = gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":\"one\"}");
    assertThat(notANumber.status()).isEqualTo(400);
    assertThat(notANumber.contentType()).startsWith(PROBLEM_JSON);
    assertThat(engine.load(id).version()).isEqualTo(1);
  }

  @Test
  void shouldActOnTheLatestVersionWhenTheRequestCarriesNone() {
    String id = requestBooking(alice, "gina");
    assertThat(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}").status()).isEqualTo(200);

    ApiClient.Reply stale = alice.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"version\":1}");
    assertProblem(stale, 409, "CONCURRENT_CHANGE");
    assertThat(stale.json().get("state").asText()).isEqualTo("ACCEPTED");

    ApiClient.Reply latest = alice.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"reason\":\"  \"}");
    assertThat(latest.status()).as(latest.body()).isEqualTo(200);
    assertThat(latest.json().at("/booking/state").asText()).isEqualTo("CANCELLED_BY_CUSTOMER");
    assertThat(latest.json().at("/booking/version").asLong()).isEqualTo(3);
    // A blank reason is no reason.
    assertThat(engine.history(id).get(2).reason()).isNull();
  }

  @Test
  void shouldAnswer402AndKeepTheBookingRequestedWhenTheCardIsDeclined() {
    ApiClient dora = ApiClient.basic(port, "dora");
    String id = requestBooking(dora, "gina");

    ApiClient.Reply refused = gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}");

    assertProblem(refused, 402, "PAYMENT_FAILED");
    assertThat(refused.json().get("declined").asBoolean()).isTrue();
    assertThat(refused.json().get("detail").asText()).contains("card was declined", "card is fixed",
        "new payment attempt");
    JsonNode booking = dora.get("/api/bookings/" + id).json().get("booking");
    assertThat(booking.get("state").asText()).isEqualTo("REQUESTED");
    assertThat(booking.get("version").asLong()).isEqualTo(1);
    assertThat(engine.history(id)).hasSize(1);
  }

  @Test
  void shouldMakeANewPaymentAttemptWhenAcceptingAgainAfterTheCardWasFixed() {
    String id = requestBooking(alice, "gina");
    String secure = id + ":2:accept_booking:secure:";

    assertThat(olga.send("PUT", "/api/operator/payments/decline-all", "{\"decline_all\":true}").json()
        .get("decline_all").asBoolean()).isTrue();
    ApiClient.Reply declined = gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}");
    assertProblem(declined, 402, "PAYMENT_FAILED");
    assertThat(declined.json().get("declined").asBoolean()).isTrue();
    assertThat(declined.json().get("idempotency_key").asText()).isEqualTo(secure + "1");
    // Still declined: the next attempt has a key of its own, so the processor answers it afresh.
    ApiClient.Reply again = gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}");
    assertProblem(again, 402, "PAYMENT_FAILED");
    assertThat(again.json().get("idempotency_key").asText()).isEqualTo(secure + "2");

    olga.send("PUT", "/api/operator/payments/decline-all", "{\"decline_all\":false}");
    ApiClient.Reply accepted = gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);

    // The acceptance charged the card: authorized with attempt 3's key, captured by the worker right after.
    String capture = id + ":2:accept_booking:capture:1";
    eventually("the capture " + capture, () -> olga.paymentKeysOf(id), keys -> keys.contains(capture));
    assertThat(olga.paymentKeysOf(id)).containsExactly(secure + "3", capture);
    JsonNode ledger = olga.ledgerOf(id);
    assertThat(ledger.get("declines").asInt()).isEqualTo(2);
    assertThat(ledger.get("captured")).isEqualTo(accepted.json().at("/booking/price"));
    assertThat(ledger.get("authorized").get("amount_minor").asLong()).isZero();
  }

  @Test
  void shouldKeepThePriceARequestNamesAndDefaultToTheGigstasListPrice() {
    ApiClient.Reply created = alice.post("/api/bookings",
        "{\"gigsta_id\":\"gus\",\"price\":{\"amount_minor\":12345,\"currency\":\"JPY\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().at("/booking/id").asText();
    String price = "{\"amount_minor\":12345,\"currency\":\"JPY\"}";

    assertThat(created.json().at("/booking/price").toString()).isEqualTo(price);
    assertThat(alice.get("/api/bookings/" + id).json().at("/booking/price").toString()).isEqualTo(price);
    assertThat(engine.load(id).price()).isEqualTo(Money.of(12_345, "JPY"));
    JsonNode accept = ApiClient.basic(port, "gus").get("/api/bookings/" + id + "/actions").json().get(0);
    assertThat(accept.get("charge").toString()).isEqualTo(price);

    JsonNode gigstas = alice.get("/api/gigstas").json();
    for (JsonNode gigsta : gigstas) {
      String withoutPrice = requestBooking(alice, gigsta.get("id").asText());
      assertThat(alice.get("/api/bookings/" + withoutPrice).json().at("/booking/price")).isEqualTo(gigsta.get("price"));
    }
    assertThat(gigstas.findValues("price")).extracting(JsonNode::toString).containsExactly(
        "{\"amount_minor\":8000,\"currency\":\"EUR\"}", "{\"amount_minor\":12000,\"currency\":\"EUR\"}");
  }

  @Test
  void shouldAnswer400NamingThePriceFieldAtFault() {
    Map<String, String> fieldByPrice = new LinkedHashMap<>();
    fieldByPrice.put("{\"currency\":\"EUR\"}", "price.amount_minor");
    fieldByPrice.put("{\"amount_minor\":null,\"currency\":\"EUR\"}", "price.amount_minor");
    fieldByPrice.put("{\"amount_minor\":\"8000\",\"currency\":\"EUR\"}", "price.amount_minor");
    fieldByPrice.put("{\"amount_minor\":80.5,\"currency\":\"EUR\"}", "price.amount_minor");
    fieldByPrice.put("{\"amount_minor\":99999999999999999999,\"currency\":\"EUR\"}", "price.amount_minor");
    fieldByPrice.put("{\"amount_minor\":-1,\"currency\":\"EUR\"}", "price.amount_minor");
    fieldByPrice.put("{\"amount_minor\":8000}", "price.currency");
    fieldByPrice.put("{\"amount_minor\":8000,\"currency\":7}", "price.currency");
    fieldByPrice.put("{\"amount_minor\":8000,\"currency\":\"EURO\"}", "price.currency");
    fieldByPrice.put("{\"amount_minor\":8000,\"currency\":\"XAU\"}", "price.currency");
    fieldByPrice.put("\"80.00 EUR\"", "price");
    // The engine refuses a price of zero: a booking either costs something or carries no price.
    fieldByPrice.put("{\"amount_minor\":0,\"currency\":\"EUR\"}", "price");
    int before = alice.get("/api/bookings").json().size();

    fieldByPrice.forEach((price, field) -> {
      ApiClient.Reply refused = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"price\":" + price + "}");
      assertProblem(refused, 400, "INVALID_INPUT");
      assertThat(refused.json().get("field").asText()).as(price).isEqualTo(field);
      assertThat(refused.json().get("detail").asText()).as(price).contains(field);
    });
    assertThat(alice.get("/api/bookings").json().size()).isEqualTo(before);
  }

  @Test
  void shouldListWhatCancellingRefundsAndKeepsAfterTheFourFieldsAsPerformingRecordsIt() throws Exception {
    // Later than 24 hours before the start: half back. Earlier (or without a start): everything back.
    Instant soon = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(3));
    Instant later = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(3));
    String late = requestBooking(alice, "gina", soon);
    String early = requestBooking(alice, "gina", later);
    for (String id : List.of(late, early)) {
      assertThat(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}").status()).isEqualTo(200);
    }
    String fourFields = "{\"action_name\":\"cancel_booking\",\"button_label\":\"Cancel booking\","
        + "\"note\":\"Booking cancelled by customer\",\"is_critical\":true,";

    assertThat(alice.get("/api/bookings/" + late + "/actions").body()).isEqualTo("[" + fourFields
        + "\"refund\":{\"amount_minor\":4000,\"currency\":\"EUR\"},\"fee\":{\"amount_minor\":4000,\"currency\":\"EUR\"}}]");
    assertThat(alice.get("/api/bookings/" + early + "/actions").body()).isEqualTo("[" + fourFields
        + "\"refund\":{\"amount_minor\":8000,\"currency\":\"EUR\"},\"fee\":{\"amount_minor\":0,\"currency\":\"EUR\"}}]");
    // The GigSta's own cancellation always gives everything back.
    assertThat(gina.get("/api/bookings/" + late + "/actions").json().get(0).get("refund").get("amount_minor").asLong())
        .isEqualTo(8_000);

    // What the list showed is what performing records: the entry's amount and fee.
    assertThat(alice.post("/api/bookings/" + late + "/actions/cancel_booking", "{\"version\":2}").status()).isEqualTo(200);
    JsonNode cancellation = alice.get("/api/bookings/" + late + "/audit").json().get(2);
    assertThat(cancellation.get("amount").toString()).isEqualTo("{\"amount_minor\":4000,\"currency\":\"EUR\"}");
    assertThat(cancellation.get("fee").toString()).isEqualTo("{\"amount_minor\":4000,\"currency\":\"EUR\"}");
    String refund = late + ":3:cancel_booking:refund:1";
    eventually("the refund " + refund, () -> olga.paymentKeysOf(late), keys -> keys.contains(refund));
    JsonNode ledger = olga.ledgerOf(late);
    assertThat(ledger.get("refunded").get("amount_minor").asLong()).isEqualTo(4_000);
    assertThat(ledger.get("charged").get("amount_minor").asLong()).isEqualTo(4_000);
  }

  @Test
  void shouldListOnlyTheBookingsISignedUpFor() {
    String withGina = requestBooking(alice, "gina");
    String withGus = requestBooking(alice, "gus");

    assertThat(ids(alice.get("/api/bookings"))).contains(withGina, withGus);
    assertThat(ids(gina.get("/api/bookings"))).contains(withGina).doesNotContain(withGus);
    assertThat(ids(ApiClient.basic(port, "gus").get("/api/bookings"))).contains(withGus).doesNotContain(withGina);
    assertThat(ids(ApiClient.basic(port, "bob").get("/api/bookings"))).doesNotContain(withGina, withGus);
    assertThat(ids(ApiClient.basic(port, "olga").get("/api/bookings"))).contains(withGina, withGus);
  }

  private static List<String> ids(ApiClient.Reply list) {
    assertThat(list.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    list.json().forEach(summary -> ids.add(summary.at("/booking/id").asText()));
    return ids;
  }

  private static void assertProblem(ApiClient.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith(PROBLEM_JSON);
    JsonNode problem = reply.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("code").asText()).isEqualTo(code);
    assertThat(problem.get("detail").asText()).isNotBlank();
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    List<T> list = new ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }
}
