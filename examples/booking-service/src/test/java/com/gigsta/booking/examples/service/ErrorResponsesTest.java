package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every error the running service answers is an RFC 9457 problem document with the right status, whichever
 * layer refuses: Tomcat's connector, Spring Security's firewall, Spring MVC, the service itself, or a bug.
 * Requests no HTTP client sends as written go over a plain socket.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorResponsesTest {

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String ALICE = "Authorization: Basic "
      + Base64.getEncoder().encodeToString("alice:demo".getBytes(StandardCharsets.UTF_8));
  private static final String SECRET = "secret detail of a bug that no client should read";

  @LocalServerPort
  int port;

  /** An endpoint with a bug, as any service may have: its exception must not reach the client. */
  @TestConfiguration
  static class Bug {
    @Bean
    BugController bugController() {
      return new BugController();
    }
  }

  @RestController
  static class BugController {
    @GetMapping("/api/bug")
    String bug() {
      throw new IllegalStateException(SECRET);
    }
  }

  private static JsonNode assertProblem(int status, String contentType, String body, int expected, String what) {
    assertThat(status).as(what + ": " + body).isEqualTo(expected);
    assertThat(contentType).as(what + ": " + body).startsWith(PROBLEM_JSON);
    JsonNode problem;
    try {
      problem = new ObjectMapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(what + ": not JSON: " + body, e);
    }
    assertThat(problem.get("status").asInt()).as(what).isEqualTo(expected);
    assertThat(problem.get("title").asText()).as(what).isNotBlank();
    assertThat(problem.get("detail").asText()).as(what).isNotBlank();
    assertThat(problem.get("code").asText()).as(what).isNotBlank();
    assertThat(problem.get("message").asText()).as(what).isNotBlank();
    return problem;
  }

  @Test
  void shouldAnswerRequestsNoLayerCanRouteWithProblems() {
    Map<String, String> targets = new LinkedHashMap<>();
    // Refused by Tomcat before any servlet sees them.
    targets.put("an encoded slash", "/api/bookings/a%2Fb");
    targets.put("an encoded NUL", "/api/bookings/%00");
    targets.put("an overlong UTF-8 encoding", "/api/bookings/%C0%AF");
    targets.put("a byte that is no UTF-8", "/api/bookings/%FF");
    targets.put("a character not allowed in a URL", "/api/bookings/a{b");
    targets.put("an id over 8 KB", "/api/bookings/" + "a".repeat(9_000));
    // Refused by Spring Security's firewall.
    targets.put("a dot-dot segment", "/api/../api/bookings");
    targets.put("a semicolon", "/api/bookings;x=1");
    targets.put("an encoded percent sign", "/api/bookings/%25");
    targets.put("a double slash", "/api//bookings");

    targets.forEach((what, target) -> {
      RawHttp.Reply reply = RawHttp.get(port, target, ALICE);
      JsonNode problem = assertProblem(reply.status(), reply.contentType(), reply.body(), 400, what);
      assertThat(problem.get("code").asText()).as(what).isEqualTo("REQUEST_REJECTED");
      assertThat(reply.body()).as(what).doesNotContain("<html", "Tomcat", "timestamp");
    });
  }

  @Test
  void shouldAnswerEveryErrorOfTheApplicationWithAProblem() {
    ApiClient alice = ApiClient.basic(port, "alice");
    record Expected(ApiClient.Reply reply, int status, String code) {}
    Map<String, Expected> expected = new LinkedHashMap<>();
    // Pages are the session's: HTTP basic signs in API requests only.
    expected.put("a page that does not exist", new Expected(ApiClient.session(port, "alice")
        .send("GET", "/nothing-here", null, Map.of("Accept", "text/html"), true), 404, "NOT_FOUND"));
    expected.put("an endpoint that does not exist", new Expected(alice.get("/api/nothing-here"), 404, "NOT_FOUND"));
    expected.put("a method an endpoint lacks", new Expected(alice.send("DELETE", "/api/bookings", null), 405,
        "METHOD_NOT_ALLOWED"));
    expected.put("a body that is not JSON", new Expected(alice.send("POST", "/api/bookings", "gigsta_id=gina",
        Map.of("Content-Type", "application/x-www-form-urlencoded"), true), 415, "UNSUPPORTED_MEDIA_TYPE"));
    expected.put("an answer that cannot be HTML", new Expected(
        alice.send("GET", "/api/bookings", null, Map.of("Accept", "text/html"), true), 406, "NOT_ACCEPTABLE"));
    expected.put("a path variable of the wrong type", new Expected(ApiClient.basic(port, "olga")
        .post("/api/operator/dead-letters/settlement/some-booking/third/resubmit", null), 400, "INVALID_INPUT"));
    // The error page itself is no page: asked for directly it is not found, never a 500 with status 999.
    expected.put("the error page", new Expected(alice.get("/error"), 404, "NOT_FOUND"));
    expected.put("the error page without credentials", new Expected(ApiClient.anonymous(port).get("/error"), 404,
        "NOT_FOUND"));
    expected.put("a bug", new Expected(alice.get("/api/bug"), 500, "INTERNAL_ERROR"));

    expected.forEach((what, answer) -> {
      JsonNode problem = assertProblem(answer.reply().status(), answer.reply().contentType(), answer.reply().body(),
          answer.status(), what);
      assertThat(problem.get("code").asText()).as(what).isEqualTo(answer.code());
      assertThat(answer.reply().body()).as(what).doesNotContain("\"status\":999", "timestamp", "<html");
    });
    assertThat(expected.get("a bug").reply().body()).doesNotContain(SECRET, "IllegalStateException");
  }

  @Test
  void shouldRefuseABodyDeclaredTooLargeWithoutReadingIt() {
    String fiftyMegabytes = "POST /api/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\n" + ALICE + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + 50L * 1024 * 1024 + "\r\n";
    // Asking first: the service answers with 413, not with the 100 Continue that would ask for the body.
    // (Over a socket: the JDK 17 HTTP client never returns when a server answers Expect this way.)
    try (RawHttp http = new RawHttp(port)) {
      http.write((fiftyMegabytes + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply reply = http.read();
      JsonNode problem = assertProblem(reply.status(), reply.contentType(), reply.body(), 413, "50 MB, asked first");
      assertThat(problem.get("code").asText()).isEqualTo("BODY_TOO_LARGE");
      assertThat(problem.get("detail").asText()).contains("65536");
    }
    // Not asking: the service answers before a byte of the body arrives, and closes the connection.
    try (RawHttp http = new RawHttp(port)) {
      http.write((fiftyMegabytes + "\r\n").getBytes(StandardCharsets.US_ASCII));
      RawHttp.Reply reply = http.read();
      assertProblem(reply.status(), reply.contentType(), reply.body(), 413, "50 MB");
      assertThat(reply.header("Connection")).hasValue("close");
    }
  }

  @Test
  void shouldRefuseABodyOfUnknownLengthOnceItPassesTheLimit() {
    // Chunked, so the server cannot know the length in advance; it answers once the body passes 64 KB, while
    // the client still holds the rest back. A server that waited for the end of the body would never answer.
    try (RawHttp http = new RawHttp(port)) {
      String chunk = "{\"gigsta_id\":\"gina\",\"x\":\"" + " ".repeat(70_000);
      http.write(("POST /api/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\n" + ALICE + "\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));

      RawHttp.Reply reply = http.read();

      JsonNode problem = assertProblem(reply.status(), reply.contentType(), reply.body(), 413, "chunked");
      assertThat(problem.get("code").asText()).isEqualTo("BODY_TOO_LARGE");
      assertThat(reply.header("Connection")).hasValue("close");
    }
  }

  @Test
  void shouldReadABodyBelowTheLimit() {
    ApiClient alice = ApiClient.basic(port, "alice");
    String id = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}").json().at("/booking/id").asText();

    // 60 KB of reason reach the engine, which refuses a reason that long naming it.
    ApiClient.Reply reply = alice.post("/api/bookings/" + id + "/actions/cancel_booking",
        "{\"reason\":\"" + "x".repeat(60_000) + "\"}");

    JsonNode problem = assertProblem(reply.status(), reply.contentType(), reply.body(), 400, "60 KB");
    assertThat(problem.get("code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(problem.get("field").asText()).isEqualTo("reason");
  }
}
