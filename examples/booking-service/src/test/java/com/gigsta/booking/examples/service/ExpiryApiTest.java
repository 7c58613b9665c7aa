package com.gigsta.booking.examples.service;

import static com.gigsta.booking.examples.service.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A request nobody answers, through the API: the delivery worker reminds the GigSta a day before the
 * request expires, then expires it by itself without moving any money, and leaves an answered request
 * alone. The service's clock is
 * replaced by one the test moves days on; the worker runs on its own thread, so the test waits for what it
 * expects (up to {@link Eventually#PATIENCE_SECONDS}) and asserts nothing about how long it took.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties =
    // A database of its own: moving this service's clock on must not expire the other tests' requests.
    "spring.datasource.url=jdbc:h2:mem:gigsta-booking-expiry;DB_CLOSE_DELAY=-1")
class ExpiryApiTest {

  private static final String REMINDER = "remind_gigsta_to_answer";

  @LocalServerPort
  int port;

  @Autowired
  MovableClock clock;

  ApiClient alice;
  ApiClient gina;
  ApiClient olga;

  /** Replaces the service's clock: the system's, moved on by what the test adds. */
  @TestConfiguration
  static class ClockConfig {
    @Bean
    @Primary
    MovableClock movableClock() {
      return new MovableClock();
    }
  }

  /** The system clock plus an offset that only grows. Thread-safe: the worker reads it on its own thread. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    synchronized void advance(Duration duration) {
      offset = offset.plus(duration);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      // The service reads instants only, which no zone changes.
      return this;
    }
  }

  @BeforeEach
  void signIn() {
    alice = ApiClient.basic(port, "alice");
    gina = ApiClient.basic(port, "gina");
    olga = ApiClient.basic(port, "olga");
  }

  private String requestBooking() {
    ApiClient.Reply created = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().at("/booking/id").asText();
  }

  @Test
  void shouldRemindTheGigstaThenExpireARequestNobodyAnswered() {
    String unanswered = requestBooking();
    String answered = requestBooking();
    ApiClient.Reply accepted = gina.post("/api/bookings/" + answered + "/actions/accept_booking", "{\"version\":1}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    Instant requestedAt = Instant.parse(audit(unanswered).get(0).get("occurred_at").asText());

    // No scheduled start: the request expires 6 days after it was made, and Gina is reminded a day before.
    clock.advance(Duration.ofDays(5));
    List<JsonNode> reminders = eventually("Gina's reminder about " + unanswered,
        () -> notificationsOf(gina, unanswered, REMINDER), found -> !found.isEmpty());
    JsonNode reminder = reminders.get(0);
    assertThat(reminder.get("to").asText()).isEqualTo("gina");
    assertThat(reminder.get("text").asText()).isEqualTo("This request expires in 24 hours");
    assertThat(reminder.get("sequence").asLong()).isEqualTo(1);
    assertThat(Instant.parse(reminder.get("at").asText())).isEqualTo(requestedAt.plus(Duration.ofDays(5)));
    assertThat(stateOf(unanswered)).isEqualTo("REQUESTED");
    assertThat(notificationsOf(alice, unanswered, REMINDER)).isEmpty();
    // Accepting the other request cancelled its reminder: due at the same moment, it would have been sent in
    // the same sweep.
    assertThat(notificationsOf(gina, answered, REMINDER)).isEmpty();

    clock.advance(Duration.ofDays(1));
    eventually(unanswered + " to expire", () -> stateOf(unanswered), "EXPIRED"::equals);

    JsonNode expiry = audit(unanswered).get(1);
    assertThat(expiry.get("action_name").asText()).isEqualTo("expire_booking");
    assertThat(expiry.get("actor_role").asText()).isEqualTo("SYSTEM");
    assertThat(expiry.get("from_state").asText()).isEqualTo("REQUESTED");
    assertThat(Instant.parse(expiry.get("occurred_at").asText())).isAfterOrEqualTo(requestedAt.plus(Duration.ofDays(6)));
    assertThat(audit(unanswered)).hasSize(2);
    for (String user : List.of("alice", "gina")) {
      ApiClient party = ApiClient.basic(port, user);
      JsonNode booking = party.get("/api/bookings/" + unanswered).json();
      assertThat(booking.at("/booking/version").asLong()).isEqualTo(2);
      assertThat(booking.get("actions")).isEmpty();
      // The system expired it, so both parties are told.
      List<JsonNode> told = eventually("the expiry's notification to " + user,
          () -> notificationsOf(party, unanswered, "expire_booking"), found -> !found.isEmpty());
      assertThat(told).extracting(n -> n.get("text").asText()).containsExactly("Request expired without a response");
    }
    // Nothing was secured while the request waited, so its expiry moves no money: the card processor never
    // heard of it. The accepted request was charged when Gina accepted it, six days ago by the clock.
    assertThat(olga.ledgerOf(unanswered)).isNull();
    assertThat(olga.paymentKeysOf(answered)).containsExactly(answered + ":2:accept_booking:secure:1",
        answered + ":2:accept_booking:capture:1");
    assertThat(olga.ledgerOf(answered).get("captured").get("amount_minor").asLong()).isEqualTo(8_000);
    assertThat(notificationsOf(gina, unanswered, REMINDER)).hasSize(1);
    assertThat(stateOf(answered)).isEqualTo("ACCEPTED");
    assertThat(audit(answered)).extracting(entry -> entry.get("action_name").asText())
        .containsExactly("request_booking", "accept_booking");
    assertThat(olga.get("/api/operator/dead-letters/timers").json().get("count").asLong()).isZero();
  }

  private String stateOf(String bookingId) {
    ApiClient.Reply reply = alice.get("/api/bookings/" + bookingId);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().at("/booking/state").asText();
  }

  private List<JsonNode> audit(String bookingId) {
    ApiClient.Reply reply = alice.get("/api/bookings/" + bookingId + "/audit");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<JsonNode> entries = new ArrayList<>();
    reply.json().forEach(entries::add);
    return entries;
  }

  private static List<JsonNode> notificationsOf(ApiClient client, String bookingId, String actionName) {
    ApiClient.Reply reply = client.get("/api/notifications");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<JsonNode> found = new ArrayList<>();
    reply.json().forEach(notification -> {
      if (notification.get("booking_id").asText().equals(bookingId)
          && notification.get("action_name").asText().equals(actionName)) {
        found.add(notification);
      }
    });
    return found;
  }
}
