package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gigsta.booking.Actor;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import java.util.ArrayList;
import java.util.List;
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
  FakeCardProcessor cardProcessor;

  ApiClient alice;
  ApiClient gina;

  @BeforeEach
  void signIn() {
    alice = ApiClient.basic(port, "alice");
    gina = ApiClient.basic(port, "gina");
    cardProcessor.declineAll(false);
    cardProcessor.failRefunds(false);
  }

  private String requestBooking(ApiClient customer, String gigstaId) {
    ApiClient.Reply created = customer.post("/api/bookings", "{\"gigsta_id\":\"" + gigstaId + "\"}");
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
    assertThat(gina.get("/api/bookings/" + id + "/actions").body()).isEqualTo(
        "[{\"action_name\":\"accept_booking\",\"button_label\":\"Accept booking\",\"note\":\"Booking accepted by GigSta\","
            + "\"is_critical\":false},{\"action_name\":\"decline_booking\",\"button_label\":\"Decline booking\","
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
    assertProblem(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\"2026-05-01T09:00:00.0000001Z\"}"),
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
    assertThat(refused.json().get("detail").asText()).contains("declined");
    JsonNode booking = dora.get("/api/bookings/" + id).json().get("booking");
    assertThat(booking.get("state").asText()).isEqualTo("REQUESTED");
    assertThat(booking.get("version").asLong()).isEqualTo(1);
    assertThat(engine.history(id)).hasSize(1);
  }

  @Test
  void shouldLetTheOperatorDeclineEveryCardAndRecoverWithTheSameIdempotencyKey() {
    ApiClient olga = ApiClient.basic(port, "olga");
    String id = requestBooking(alice, "gina");

    assertThat(olga.send("PUT", "/api/operator/payments/decline-all", "{\"decline_all\":true}").json()
        .get("decline_all").asBoolean()).isTrue();
    assertProblem(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}"), 402,
        "PAYMENT_FAILED");
    olga.send("PUT", "/api/operator/payments/decline-all", "{\"decline_all\":false}");
    assertThat(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}").status()).isEqualTo(200);

    List<String> keys = new ArrayList<>();
    for (JsonNode operation : olga.get("/api/operator/payments").json().get("ledger")) {
      if (operation.get("booking_id").asText().equals(id)) {
        keys.add(operation.get("idempotency_key").asText());
      }
    }
    assertThat(keys).containsExactly(id + ":2:accept_booking:secure");
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
