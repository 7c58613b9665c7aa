package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every refusal carries a sentence for the person in front of the page ({@code message}), written from
 * the booking, its parties' names and who is asking, next to the technical {@code detail}, {@code code}
 * and context that a program reads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemMessagesTest {

  @LocalServerPort
  int port;

  @Autowired
  SwitchablePaymentHooks payments;

  ApiClient alice;
  ApiClient gina;

  @BeforeEach
  void signIn() {
    alice = ApiClient.basic(port, "alice");
    gina = ApiClient.basic(port, "gina");
    payments.declineAll(false);
  }

  private String requestBooking(ApiClient customer) {
    ApiClient.Reply created = customer.post("/api/bookings", "{\"gigsta_id\":\"gina\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().at("/booking/id").asText();
  }

  private static JsonNode problem(ApiClient.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    JsonNode problem = reply.json();
    assertThat(problem.get("code").asText()).isEqualTo(code);
    // The sentence for people never replaces what a program reads.
    assertThat(problem.get("detail").asText()).isNotBlank().isNotEqualTo(problem.get("message").asText());
    return problem;
  }

  @Test
  void shouldSayWhoAlreadyDidWhatMakesAnActionImpossible() {
    String id = requestBooking(alice);
    assertThat(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}").status()).isEqualTo(200);
    assertThat(gina.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"version\":2}").status()).isEqualTo(200);

    JsonNode toAlice = problem(alice.post("/api/bookings/" + id + "/actions/cancel_booking", null), 409,
        "NOT_ALLOWED_IN_STATE");
    assertThat(toAlice.get("message").asText()).isEqualTo("Gina already cancelled this booking.");
    assertThat(toAlice.get("detail").asText()).contains("CANCELLED_BY_GIGSTA");
    assertThat(toAlice.get("state").asText()).isEqualTo("CANCELLED_BY_GIGSTA");

    JsonNode toGina = problem(gina.post("/api/bookings/" + id + "/actions/cancel_booking", null), 409,
        "NOT_ALLOWED_IN_STATE");
    assertThat(toGina.get("message").asText()).isEqualTo("You already cancelled this booking.");
  }

  @Test
  void shouldSayWhatChangedWhileThePersonWasLooking() {
    String id = requestBooking(alice);
    assertThat(alice.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"version\":1}").status()).isEqualTo(200);

    JsonNode stale = problem(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}"), 409,
        "CONCURRENT_CHANGE");

    assertThat(stale.get("message").asText())
        .isEqualTo("Alice cancelled this booking while you were looking at it. Here it is as it is now.");
  }

  @Test
  void shouldSayWhoseCardWasDeclinedAndWhatTryingAgainMeans() {
    String id = requestBooking(ApiClient.basic(port, "dora"));

    JsonNode declined = problem(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}"), 402,
        "PAYMENT_FAILED");

    assertThat(declined.get("message").asText()).isEqualTo("Dora's card was declined, so the booking is not accepted. "
        + "Once the card is fixed, accepting again is a new payment attempt.");
    assertThat(declined.get("declined").asBoolean()).isTrue();
  }

  @Test
  void shouldSayWhoMayTakeAnActionInsteadOfThePerson() {
    String id = requestBooking(alice);

    JsonNode refused = problem(alice.post("/api/bookings/" + id + "/actions/accept_booking", null), 403,
        "NOT_ALLOWED_FOR_ROLE");

    assertThat(refused.get("message").asText()).isEqualTo("As the customer, you can't accept this booking.");
  }

  @Test
  void shouldSayTheSameAboutSomeoneElsesBookingAsAboutNoBooking() {
    String id = requestBooking(alice);
    ApiClient bob = ApiClient.basic(port, "bob");

    JsonNode hidden = problem(bob.get("/api/bookings/" + id), 404, "BOOKING_NOT_FOUND");
    JsonNode missing = problem(bob.get("/api/bookings/no-such-booking"), 404, "BOOKING_NOT_FOUND");

    assertThat(hidden.get("message").asText()).isEqualTo("There is no booking " + id + " for you.")
        .doesNotContain("Alice", "Gina");
    assertThat(missing.get("message").asText()).isEqualTo("There is no booking no-such-booking for you.");
  }

  @Test
  void shouldSayWhatToFixInARequest() {
    Instant past = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
    String id = requestBooking(alice);

    assertThat(problem(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\"" + past + "\"}"),
        400, "INVALID_INPUT").get("message").asText()).isEqualTo("Choose a start in the future.");
    assertThat(problem(alice.post("/api/bookings", "{\"gigsta_id\":\"olga\"}"), 400, "INVALID_INPUT")
        .get("message").asText()).isEqualTo("Choose one of the GigStas: Gina Patel, Gus Moreno.");
    assertThat(problem(alice.post("/api/bookings/" + id + "/actions/dance", null), 400, "UNKNOWN_ACTION")
        .get("message").asText()).isEqualTo("There is no action called \u201cdance\u201d.");
  }
}
