package com.gigsta.booking.examples.service;

import static com.gigsta.booking.examples.service.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the service's delivery worker does after a change, through the API: the capture after an
 * acceptance, refunds and payouts made by the worker, notifications to the other party, and the
 * operator's dead letters. The worker runs on its own thread,
 * so each test waits for what it expects (up to {@link Eventually#PATIENCE_SECONDS}); nothing is asserted
 * about how long it took.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeliveryApiTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  @LocalServerPort
  int port;

  @Autowired
  SwitchablePaymentHooks payments;

  @Value("${gigsta.booking.delivery.max-attempts}")
  int maxAttempts;

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

  @AfterEach
  void letRefundsWork() {
    payments.failRefunds(false);
  }

  /** Requests a booking as Alice, lets Gina accept it and Alice cancel it; returns its id. */
  private String acceptedAndCancelled() {
    ApiClient.Reply created = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().at("/booking/id").asText();
    ApiClient.Reply accepted = gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    ApiClient.Reply cancelled = alice.post("/api/bookings/" + id + "/actions/cancel_booking",
        "{\"version\":2,\"reason\":\"Plans changed\"}");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().at("/booking/state").asText()).isEqualTo("CANCELLED_BY_CUSTOMER");
    return id;
  }

  @Test
  void shouldRefundACancellationThroughTheWorkerExactlyOnce() {
    String id = acceptedAndCancelled();
    String refundKey = id + ":3:cancel_booking:refund:1";

    eventually("the refund " + refundKey, () -> olga.paymentKeysOf(id), keys -> keys.contains(refundKey));

    // Charged at acceptance (authorized, then captured by the worker), refunded in full: no start, so the
    // cancellation came with more than 24 hours' notice.
    assertThat(olga.paymentKeysOf(id)).containsExactly(id + ":2:accept_booking:secure:1",
        id + ":2:accept_booking:capture:1", refundKey);
    JsonNode ledger = olga.ledgerOf(id);
    assertThat(ledger.get("captured").get("amount_minor").asLong()).isEqualTo(8_000);
    assertThat(ledger.get("refunded")).isEqualTo(ledger.get("captured"));
    assertThat(ledger.get("charged").get("amount_minor").asLong()).isZero();
    JsonNode settlement = deadLettersOf("settlement");
    assertThat(bookingIds(settlement)).doesNotContain(id);
  }

  @Test
  void shouldCaptureAtAcceptanceAndPayTheGigstaOutAtCompletion() {
    ApiClient.Reply created = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}");
    String id = created.json().at("/booking/id").asText();
    JsonNode price = created.json().at("/booking/price");
    for (String action : List.of("accept_booking", "mark_in_progress", "mark_completed")) {
      ApiClient.Reply done = gina.post("/api/bookings/" + id + "/actions/" + action, null);
      assertThat(done.status()).as(done.body()).isEqualTo(200);
    }
    String payoutKey = id + ":4:mark_completed:payout:1";

    eventually("the payout " + payoutKey, () -> olga.paymentKeysOf(id), keys -> keys.contains(payoutKey));

    assertThat(olga.paymentKeysOf(id)).containsExactly(id + ":2:accept_booking:secure:1",
        id + ":2:accept_booking:capture:1", payoutKey);
    JsonNode ledger = olga.ledgerOf(id);
    assertThat(ledger.get("captured")).isEqualTo(price);
    assertThat(ledger.get("paid_out")).isEqualTo(price);
    assertThat(ledger.get("refunded").get("amount_minor").asLong()).isZero();
    assertThat(ledger.get("authorized").get("amount_minor").asLong()).isZero();
  }

  @Test
  void shouldMoveNoMoneyWhenARequestIsDeclinedOrCancelled() {
    String declined = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}").json().at("/booking/id").asText();
    String cancelled = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}").json().at("/booking/id").asText();
    assertThat(gina.post("/api/bookings/" + declined + "/actions/decline_booking", null).status()).isEqualTo(200);
    assertThat(alice.post("/api/bookings/" + cancelled + "/actions/cancel_booking", null).status()).isEqualTo(200);

    // Once the other party was told, the worker has delivered both changes: no settlement was owed.
    eventually("the notifications of both changes", () -> notificationsOf(olga, declined).size()
        + notificationsOf(olga, cancelled).size(), count -> count == 4);
    assertThat(olga.ledgerOf(declined)).isNull();
    assertThat(olga.ledgerOf(cancelled)).isNull();
  }

  @Test
  void shouldNotifyTheOtherPartyOfEachChangeButNotTheOneWhoMadeIt() {
    String id = acceptedAndCancelled();

    List<JsonNode> toGina = eventually("Gina's notification of the cancellation", () -> notificationsOf(gina, id),
        found -> found.stream().anyMatch(n -> n.get("action_name").asText().equals("cancel_booking")));
    assertThat(toGina).extracting(n -> n.get("action_name").asText())
        .containsExactly("cancel_booking", "request_booking");
    assertThat(toGina.get(0).get("text").asText())
        .isEqualTo("Booking cancelled by customer (Alice Lind): \u201cPlans changed\u201d");
    assertThat(toGina.get(0).get("to").asText()).isEqualTo("gina");
    // Alice's, of the acceptance, came earlier in the feed, so it is there by now.
    assertThat(notificationsOf(alice, id)).extracting(n -> n.get("action_name").asText())
        .containsExactly("accept_booking");
    assertThat(notificationsOf(ApiClient.basic(port, "bob"), id)).isEmpty();
    assertThat(notificationsOf(olga, id)).hasSize(3);
  }

  @Test
  void shouldListDeadLettersForTheOperatorAndDeliverThemOnceResubmitted() {
    JsonNode switched = olga.send("PUT", "/api/operator/payments/fail-refunds", "{\"fail_refunds\":true}").json();
    assertThat(switched.get("fail_refunds").asBoolean()).isTrue();
    String id = acceptedAndCancelled();
    String refundKey = id + ":3:cancel_booking:refund:1";

    JsonNode settlement = eventually("the refund of " + id + " to become a dead letter",
        () -> deadLettersOf("settlement"), consumer -> bookingIds(consumer).contains(id));

    ApiClient.Reply all = olga.get("/api/operator/dead-letters");
    assertThat(all.status()).isEqualTo(200);
    List<String> consumers = new ArrayList<>();
    all.json().forEach(consumer -> consumers.add(consumer.get("consumer").asText()));
    assertThat(consumers).containsExactly("settlement", "notifications", "timers", "reminder.remind_gigsta_to_answer");
    assertThat(settlement.get("count").asLong()).isGreaterThanOrEqualTo(1);
    JsonNode letter = letterOf(settlement, id);
    assertThat(letter.get("sequence").asLong()).isEqualTo(3);
    assertThat(letter.get("action_name").asText()).isEqualTo("cancel_booking");
    assertThat(letter.get("payment_moment").asText()).isEqualTo("REFUND");
    assertThat(letter.get("failed_attempts").asInt()).isEqualTo(maxAttempts);
    assertThat(letter.get("last_error").asText()).contains("refusing refunds", refundKey);
    // Only the refund failed: the acceptance's capture was made.
    assertThat(olga.paymentKeysOf(id)).containsExactly(id + ":2:accept_booking:secure:1",
        id + ":2:accept_booking:capture:1");
    // The notification of the same change was delivered: only the settlement failed.
    assertThat(bookingIds(deadLettersOf("notifications"))).doesNotContain(id);

    olga.send("PUT", "/api/operator/payments/fail-refunds", "{\"fail_refunds\":false}");
    ApiClient.Reply resubmitted = olga.post("/api/operator/dead-letters/settlement/" + id + "/3/resubmit", null);
    assertThat(resubmitted.status()).as(resubmitted.body()).isEqualTo(200);
    assertThat(resubmitted.json().get("consumer").asText()).isEqualTo("settlement");
    assertThat(bookingIds(resubmitted.json())).doesNotContain(id);

    eventually("the resubmitted refund " + refundKey, () -> olga.paymentKeysOf(id), keys -> keys.contains(refundKey));
    assertThat(olga.paymentKeysOf(id)).containsExactly(id + ":2:accept_booking:secure:1",
        id + ":2:accept_booking:capture:1", refundKey);
    assertThat(bookingIds(deadLettersOf("settlement"))).doesNotContain(id);

    ApiClient.Reply again = olga.post("/api/operator/dead-letters/settlement/" + id + "/3/resubmit", null);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.contentType()).startsWith(PROBLEM_JSON);
    assertThat(again.json().get("detail").asText()).contains("no dead letter", id);
    ApiClient.Reply unknown = olga.get("/api/operator/dead-letters/emails");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith(PROBLEM_JSON);
  }

  @Test
  void shouldShowTheDeadLettersOfTimersAndRemindersLikeAnyOtherConsumers() {
    for (String consumer : List.of("timers", "reminder.remind_gigsta_to_answer")) {
      JsonNode letters = deadLettersOf(consumer);
      assertThat(letters.get("consumer").asText()).isEqualTo(consumer);
      assertThat(letters.get("count").asLong()).isZero();
      assertThat(letters.get("dead_letters")).isEmpty();
      // A known consumer without that dead letter, not an unknown consumer.
      ApiClient.Reply resubmit = olga.post("/api/operator/dead-letters/" + consumer + "/some-booking/1/resubmit", null);
      assertThat(resubmit.status()).isEqualTo(404);
      assertThat(resubmit.json().get("type").asText()).endsWith("no-dead-letter");
      assertThat(resubmit.json().get("detail").asText()).contains("no dead letter of " + consumer);
    }
    ApiClient.Reply unknown = olga.get("/api/operator/dead-letters/reminder.no_such_reminder");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("type").asText()).endsWith("unknown-consumer");
  }

  @Test
  void shouldKeepDeadLettersAndTheProcessorsSwitchesFromEveryoneButOperators() {
    List<ApiClient> others = List.of(alice, gina, ApiClient.basic(port, "dora"), ApiClient.session(port, "gus"));
    for (ApiClient client : others) {
      List<ApiClient.Reply> replies = List.of(
          client.get("/api/operator/dead-letters"),
          client.get("/api/operator/dead-letters/settlement"),
          client.post("/api/operator/dead-letters/settlement/some-booking/3/resubmit", null),
          client.send("PUT", "/api/operator/payments/fail-refunds", "{\"fail_refunds\":true}"),
          client.get("/api/operator/payments"));
      for (ApiClient.Reply reply : replies) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.contentType()).startsWith(PROBLEM_JSON);
        assertThat(reply.body()).doesNotContain("settlement\",\"count", "dead_letters");
      }
    }
    ApiClient anonymous = ApiClient.anonymous(port);
    assertThat(anonymous.get("/api/operator/dead-letters").status()).isEqualTo(401);
    // Without a session there is no CSRF token either; what the request lacks first is a signed-in user.
    assertThat(anonymous.post("/api/operator/dead-letters/settlement/some-booking/3/resubmit", null).status())
        .isEqualTo(401);
    assertThat(payments.failsRefunds()).isFalse();
    assertThat(olga.get("/api/operator/dead-letters").status()).isEqualTo(200);
  }

  private JsonNode deadLettersOf(String consumer) {
    ApiClient.Reply reply = olga.get("/api/operator/dead-letters/" + consumer);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static List<String> bookingIds(JsonNode consumer) {
    List<String> ids = new ArrayList<>();
    consumer.get("dead_letters").forEach(letter -> ids.add(letter.get("booking_id").asText()));
    return ids;
  }

  private static JsonNode letterOf(JsonNode consumer, String bookingId) {
    for (JsonNode letter : consumer.get("dead_letters")) {
      if (letter.get("booking_id").asText().equals(bookingId)) {
        return letter;
      }
    }
    throw new AssertionError("no dead letter for " + bookingId + " in " + consumer);
  }

  private static List<JsonNode> notificationsOf(ApiClient client, String bookingId) {
    ApiClient.Reply reply = client.get("/api/notifications");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<JsonNode> found = new ArrayList<>();
    reply.json().forEach(notification -> {
      if (notification.get("booking_id").asText().equals(bookingId)) {
        found.add(notification);
      }
    });
    return found;
  }
}
