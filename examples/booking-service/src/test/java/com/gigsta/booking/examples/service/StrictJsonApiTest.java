package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Request bodies are read strictly: a value of the wrong type is refused, never converted, a field the
 * endpoint does not know is refused, a required value must be there, and every refusal is a 400 naming the
 * field as the body spells it (snake_case).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StrictJsonApiTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  @LocalServerPort
  int port;

  @Autowired
  BookingEngine engine;

  @Autowired
  SwitchablePaymentHooks payments;

  @AfterEach
  void switchesOff() {
    payments.declineAll(false);
    payments.failRefunds(false);
  }

  private String requestBooking() {
    ApiClient.Reply created = ApiClient.basic(port, "alice").post("/api/bookings", "{\"gigsta_id\":\"gina\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().at("/booking/id").asText();
  }

  private static JsonNode assertRefused(ApiClient.Reply reply, String field, String body) {
    assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(400);
    assertThat(reply.contentType()).startsWith(PROBLEM_JSON);
    JsonNode problem = reply.json();
    assertThat(problem.get("code").asText()).as(body).isEqualTo("INVALID_INPUT");
    assertThat(problem.get("field").asText()).as(body + " -> " + reply.body()).isEqualTo(field);
    assertThat(problem.get("detail").asText()).as(body).contains(field);
    return problem;
  }

  @Test
  void shouldRefuseAVersionThatIsNotAWholeNumberOfAtLeastOne() {
    ApiClient gina = ApiClient.basic(port, "gina");
    String id = requestBooking();
    String accept = "/api/bookings/" + id + "/actions/accept_booking";

    for (String version : List.of("1.5", "1.0", "1e0", "\"1\"", "true", "{}", "[1]", "-1", "0", "18446744073709551616")) {
      String body = "{\"version\":" + version + "}";
      assertRefused(gina.post(accept, body), "version", body);
    }

    assertThat(engine.load(id).version()).isEqualTo(1);
    assertThat(gina.post(accept, "{\"version\":1}").status()).isEqualTo(200);
  }

  @Test
  void shouldRefuseAReasonThatIsNotText() {
    ApiClient alice = ApiClient.basic(port, "alice");
    String id = requestBooking();

    for (String reason : List.of("42", "4.2", "true", "{\"text\":\"x\"}", "[\"x\"]")) {
      String body = "{\"reason\":" + reason + "}";
      assertRefused(alice.post("/api/bookings/" + id + "/actions/cancel_booking", body), "reason", body);
    }

    assertThat(engine.load(id).state()).isEqualTo(BookingState.REQUESTED);
    assertThat(engine.history(id)).hasSize(1);
  }

  @Test
  void shouldRefuseFieldsTheEndpointDoesNotKnow() {
    ApiClient alice = ApiClient.basic(port, "alice");
    String id = requestBooking();
    int before = alice.get("/api/bookings").json().size();

    // A misspelt field would otherwise be dropped silently: here a booking without the start it was meant to have.
    String misspelt = "{\"gigsta_id\":\"gina\",\"scheduled_strat\":\"" + Instant.now().plus(Duration.ofDays(2)) + "\"}";
    JsonNode unknown = assertRefused(alice.post("/api/bookings", misspelt), "scheduled_strat", misspelt);
    assertThat(unknown.get("detail").asText()).contains("gigsta_id", "scheduled_start", "price");
    assertThat(unknown.get("message").asText()).contains("does not know", "scheduled_strat");
    assertRefused(alice.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"verison\":1}"), "verison",
        "verison");
    assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"price\":{\"amount_minor\":8000,"
        + "\"currency\":\"EUR\",\"tax\":1}}"), "price.tax", "price.tax");

    assertThat(alice.get("/api/bookings").json().size()).isEqualTo(before);
    assertThat(engine.history(id)).hasSize(1);
  }

  @Test
  void shouldRefuseABodyThatIsNoObjectOrNoJson() {
    ApiClient alice = ApiClient.basic(port, "alice");
    String id = requestBooking();
    String cancel = "/api/bookings/" + id + "/actions/cancel_booking";

    for (String body : List.of("[]", "\"cancel\"", "-1", "42", "true")) {
      ApiClient.Reply reply = alice.post(cancel, body);
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.json().get("code").asText()).as(body).isEqualTo("INVALID_INPUT");
      assertThat(reply.json().get("detail").asText()).as(body).contains("JSON object");
    }
    for (String body : List.of("{\"reason\":", "{\"reason\":\"x\"} {\"version\":1}", "{reason:\"x\"}")) {
      ApiClient.Reply reply = alice.post(cancel, body);
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.contentType()).startsWith(PROBLEM_JSON);
      assertThat(reply.json().get("code").asText()).as(body).isEqualTo("MALFORMED_JSON");
    }
    assertThat(engine.history(id)).hasSize(1);
  }

  @Test
  void shouldRefuseWrongTypesInABookingRequestNamingTheField() {
    ApiClient alice = ApiClient.basic(port, "alice");
    int before = alice.get("/api/bookings").json().size();

    assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":7}"), "gigsta_id", "7");
    assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":[\"gina\"]}"), "gigsta_id", "array");
    assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":1767225600}"),
        "scheduled_start", "epoch seconds");
    assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":true}"),
        "scheduled_start", "true");

    assertThat(alice.get("/api/bookings").json().size()).isEqualTo(before);
  }

  @Test
  void shouldRefuseAStartInThePastOrFinerThanTheTrailKeepsNamingScheduledStart() {
    ApiClient alice = ApiClient.basic(port, "alice");
    int before = alice.get("/api/bookings").json().size();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    JsonNode past = assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\""
        + now.minus(Duration.ofHours(1)) + "\"}"), "scheduled_start", "an hour ago");
    assertThat(past.get("detail").asText()).contains("in the past");
    // The engine's own refusal, with the body's name for the field rather than the library's.
    JsonNode tooFine = assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\""
        + now.plus(Duration.ofDays(1)).plusNanos(100) + "\"}"), "scheduled_start", "100 ns");
    assertThat(tooFine.get("detail").asText()).doesNotContain("scheduledStart");
    assertRefused(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\"tomorrow\"}"),
        "scheduled_start", "tomorrow");
    assertThat(alice.get("/api/bookings").json().size()).isEqualTo(before);

    ApiClient.Reply future = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\""
        + now.plus(Duration.ofHours(1)) + "\"}");
    assertThat(future.status()).as(future.body()).isEqualTo(201);
  }

  @Test
  void shouldRefuseAnOperatorSwitchWithoutATrueOrFalse() {
    ApiClient olga = ApiClient.basic(port, "olga");
    for (String field : List.of("decline_all", "fail_refunds")) {
      String path = "/api/operator/payments/" + field.replace('_', '-');
      ApiClient.Reply on = olga.send("PUT", path, "{\"" + field + "\":true}");
      assertThat(on.status()).as(on.body()).isEqualTo(200);
      assertThat(on.json().get(field).asBoolean()).isTrue();

      for (String value : List.of("", "\"" + field + "\":null", "\"" + field + "\":\"false\"",
          "\"" + field + "\":0", "\"" + field + "\":\"no\"")) {
        String body = "{" + value + "}";
        assertRefused(olga.send("PUT", path, body), field, body);
      }
      // Refused, so nothing was switched off.
      assertThat(olga.get("/api/operator/payments").json().get(field).asBoolean()).as(field).isTrue();
      assertThat(olga.send("PUT", path, "{\"" + field + "\":false}").json().get(field).asBoolean()).isFalse();
    }
  }
}
