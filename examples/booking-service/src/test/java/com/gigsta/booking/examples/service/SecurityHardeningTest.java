package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.gigsta.booking.BookingEngine;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * How the running service tells who is asking and refuses what it must: CSRF for sessions whatever else a
 * request carries, a refusal that says what it is, headers and cookies a browser needs, and HTTP basic
 * calls that leave no session behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityHardeningTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  @LocalServerPort
  int port;

  @Autowired
  BookingEngine engine;

  private String requestBooking() {
    ApiClient.Reply created = ApiClient.basic(port, "alice").post("/api/bookings", "{\"gigsta_id\":\"gina\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().at("/booking/id").asText();
  }

  private static String basicOf(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode assertProblem(ApiClient.Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith(PROBLEM_JSON);
    JsonNode problem = reply.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("code").asText()).as(reply.body()).isEqualTo(code);
    assertThat(problem.get("message").asText()).as(reply.body()).isNotBlank();
    return problem;
  }

  @Test
  void shouldRefuseASessionsChangeWithoutItsCsrfTokenWhateverAuthorizationHeaderItCarries() {
    ApiClient alice = ApiClient.session(port, "alice");
    String id = requestBooking();
    String cancel = "/api/bookings/" + id + "/actions/cancel_booking";

    // The session signs these in; a header the service does not authenticate with changes nothing about that.
    for (String authorization : List.of("Bearer x", "Token abc", "Negotiate abc", "Digest username=\"alice\"")) {
      ApiClient.Reply forged = alice.send("POST", cancel, "{\"reason\":\"forged\"}", Map.of("Authorization", authorization),
          false);
      JsonNode problem = assertProblem(forged, 403, "CSRF_TOKEN_INVALID");
      assertThat(problem.get("detail").asText()).as(authorization).startsWith("missing or invalid CSRF token");
    }
    assertProblem(alice.send("POST", cancel, null, Map.of("X-CSRF-TOKEN", "not-the-token"), true), 403,
        "CSRF_TOKEN_INVALID");
    // HTTP basic authenticates the request by itself, never together with the session: wrong credentials are
    // refused although the session is valid.
    assertProblem(alice.send("POST", cancel, null, Map.of("Authorization", basicOf("alice", "wrong")), false), 401,
        "BAD_CREDENTIALS");
    assertThat(engine.load(id).version()).isEqualTo(1);

    ApiClient.Reply withToken = alice.post(cancel, "{\"reason\":\"changed my mind\"}");
    assertThat(withToken.status()).as(withToken.body()).isEqualTo(200);
    assertThat(engine.load(id).version()).isEqualTo(2);
  }

  @Test
  void shouldSayWhatEachRefusalIs() {
    ApiClient anonymous = ApiClient.anonymous(port);
    ApiClient aliceBasic = ApiClient.basic(port, "alice");
    ApiClient aliceSession = ApiClient.session(port, "alice");

    JsonNode notSignedIn = assertProblem(anonymous.get("/api/bookings"), 401, "NOT_SIGNED_IN");
    assertThat(notSignedIn.get("detail").asText()).contains("sign in");
    // A write without credentials is not signed in either: 401, whatever else it lacks (such as a CSRF token).
    assertProblem(anonymous.post("/api/bookings", "{\"gigsta_id\":\"gina\"}"), 401, "NOT_SIGNED_IN");
    assertProblem(anonymous.send("PUT", "/api/operator/payments/decline-all", "{\"decline_all\":true}"), 401,
        "NOT_SIGNED_IN");
    assertProblem(ApiClient.anonymous(port).send("GET", "/api/bookings", null,
        Map.of("Authorization", basicOf("alice", "wrong")), false), 401, "BAD_CREDENTIALS");

    JsonNode notAnOperator = assertProblem(aliceBasic.get("/api/operator/payments"), 403, "NOT_AN_OPERATOR");
    assertThat(notAnOperator.get("detail").asText()).contains("only operators");
    assertProblem(aliceSession.get("/api/operator/payments"), 403, "NOT_AN_OPERATOR");
    JsonNode csrf = assertProblem(aliceSession.send("POST", "/api/bookings", "{\"gigsta_id\":\"gina\"}", Map.of(), false),
        403, "CSRF_TOKEN_INVALID");
    assertThat(csrf.get("detail").asText()).doesNotContain("operator");
  }

  @Test
  void shouldChallengeApiClientsButNeverTheBrowser() {
    for (String path : List.of("/api/bookings", "/api/operator/payments")) {
      ApiClient.Reply anonymous = ApiClient.anonymous(port).get(path);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.header("WWW-Authenticate")).hasValue("Basic realm=\"gigsta-booking\", charset=\"UTF-8\"");
      ApiClient.Reply wrong = ApiClient.anonymous(port).send("GET", path, null,
          Map.of("Authorization", basicOf("alice", "wrong")), false);
      assertThat(wrong.header("WWW-Authenticate")).hasValue("Basic realm=\"gigsta-booking\", charset=\"UTF-8\"");
    }
    // The page's requests, and a browser's, get no basic challenge: a browser would prompt for the password
    // and then send it on its own with every request to the service, also with those another site makes.
    for (Map<String, String> browser : List.of(Map.of("X-Requested-With", "XMLHttpRequest"),
        Map.of("Sec-Fetch-Mode", "navigate", "Sec-Fetch-Site", "none"))) {
      ApiClient.Reply fromPage = ApiClient.anonymous(port).send("GET", "/api/bookings", null, browser, false);
      assertProblem(fromPage, 401, "NOT_SIGNED_IN");
      assertThat(fromPage.header("WWW-Authenticate")).as(browser.toString()).isEmpty();
    }
  }

  @Test
  void shouldRefuseHttpBasicOnARequestAnotherSiteMade() {
    ApiClient alice = ApiClient.basic(port, "alice");
    int before = alice.get("/api/bookings").json().size();

    ApiClient.Reply crossSite = alice.send("POST", "/api/bookings", "{\"gigsta_id\":\"gina\"}",
        Map.of("Sec-Fetch-Site", "cross-site"), true);

    assertProblem(crossSite, 403, "CROSS_SITE_REFUSED");
    assertThat(alice.get("/api/bookings").json().size()).isEqualTo(before);
    assertThat(alice.send("POST", "/api/bookings", "{\"gigsta_id\":\"gina\"}", Map.of("Sec-Fetch-Site", "same-origin"),
        true).status()).isEqualTo(201);
  }

  @Test
  void shouldSendTheLoginFormOfAnEndedSessionBackToTheLoginPage() {
    String token = ApiClient.signedOut(port, "alice").loginFormToken();
    // Another cookie jar: the session that issued the token is gone, as after a timeout or a restart.
    ApiClient later = ApiClient.signedOut(port, "alice");

    ApiClient.Reply login = later.postLoginForm(DemoUsers.PASSWORD, token);

    assertThat(login.status()).as(login.body()).isEqualTo(302);
    assertThat(login.header("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/login?expired"));
    ApiClient.Reply page = later.get("/login?expired");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Your session expired");
  }

  @Test
  void shouldAnswerTheRequestsOfASignedOutSessionWith401() {
    ApiClient alice = ApiClient.session(port, "alice");
    ApiClient.Reply signOut = alice.post("/logout", null);
    assertThat(signOut.status()).isEqualTo(302);
    assertThat(signOut.header("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/login?logout"));

    assertProblem(alice.get("/api/bookings"), 401, "NOT_SIGNED_IN");
    // Its CSRF token went with the session; still, what the request lacks first is a signed-in user.
    assertProblem(alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}"), 401, "NOT_SIGNED_IN");
  }

  @Test
  void shouldSendTheHardeningHeadersWithEveryAnswer() {
    ApiClient session = ApiClient.session(port, "alice");
    ApiClient basic = ApiClient.basic(port, "alice");
    Map<String, ApiClient.Reply> replies = Map.of(
        "page", session.send("GET", "/", null, Map.of("Accept", "text/html"), true),
        "script", session.send("GET", "/app.js", null, Map.of("Accept", "*/*"), true),
        "login page", ApiClient.anonymous(port).send("GET", "/login", null, Map.of("Accept", "text/html"), false),
        "api", basic.get("/api/bookings"),
        "api 404", basic.get("/api/bookings/no-such-booking"),
        "api 401", ApiClient.anonymous(port).get("/api/bookings"),
        "api 403", basic.get("/api/operator/payments"));

    replies.forEach((what, reply) -> {
      assertThat(reply.header("Content-Security-Policy")).as(what).hasValueSatisfying(csp -> assertThat(csp)
          .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
              "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval"));
      assertThat(reply.header("Referrer-Policy")).as(what).hasValue("same-origin");
      assertThat(reply.header("Permissions-Policy")).as(what).hasValueSatisfying(policy -> assertThat(policy)
          .contains("camera=()", "microphone=()", "geolocation=()", "payment=()"));
      assertThat(reply.header("X-Content-Type-Options")).as(what).hasValue("nosniff");
    });
  }

  @Test
  void shouldMarkTheSessionCookieSameSiteAndHttpOnly() {
    ApiClient.Reply loginPage = ApiClient.anonymous(port).send("GET", "/login", null, Map.of("Accept", "text/html"),
        false);

    List<String> cookies = loginPage.headers("Set-Cookie");
    assertThat(cookies).anySatisfy(cookie -> assertThat(cookie).startsWith("JSESSIONID=")
        .contains("; HttpOnly", "; SameSite=Lax"));
  }

  @Test
  void shouldKeepNoSessionForHttpBasicCalls() {
    ApiClient alice = ApiClient.basic(port, "alice");
    String id = requestBooking();

    List<ApiClient.Reply> replies = List.of(
        alice.get("/api/me"),
        alice.get("/api/bookings"),
        alice.get("/api/bookings/" + id),
        alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}"),
        alice.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"version\":1}"),
        alice.get("/api/bookings/no-such-booking"),
        alice.get("/api/operator/payments"),
        alice.get("/api/nothing-here"),
        ApiClient.anonymous(port).send("GET", "/api/bookings", null, Map.of("Authorization", basicOf("alice", "x")),
            false));

    for (ApiClient.Reply reply : replies) {
      assertThat(reply.headers("Set-Cookie")).as(reply.status() + " " + reply.body()).isEmpty();
    }
    // Without a session there is no CSRF token to hand out, nor any need for one.
    JsonNode me = alice.get("/api/me").json();
    assertThat(me.get("id").asText()).isEqualTo("alice");
    assertThat(me.get("csrf_token").isNull()).isTrue();
  }

  @Test
  void shouldServeALoginPageInTheProductsLookWithTheDemoUsers() {
    ApiClient.Reply page = ApiClient.anonymous(port).send("GET", "/login", null, Map.of("Accept", "text/html"), false);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<link rel=\"stylesheet\" href=\"/app.css\">", "class=\"topbar\"",
        "GigSta bookings", "action=\"/login\"", "name=\"_csrf\"", "<code>" + DemoUsers.PASSWORD + "</code>")
        // Spring Security's own page, which has nothing of the product.
        .doesNotContain("Please sign in", "bootstrap");
    for (DemoUsers.DemoUser user : DemoUsers.all()) {
      assertThat(page.body()).contains(user.username(), user.displayName(), user.about());
    }
    assertThat(page.body()).doesNotContain("You are signed out", "Your session expired", "wrong");

    assertThat(ApiClient.anonymous(port).get("/login?logout").body()).contains("You are signed out");
    assertThat(ApiClient.anonymous(port).get("/login?error").body()).contains("The user name or password is wrong");
    assertThat(ApiClient.anonymous(port).get("/login?expired").body()).contains("Your session expired");
    // What the page echoes is escaped.
    assertThat(ApiClient.anonymous(port).get("/login?error=%3Cscript%3E").body()).doesNotContain("<script>");
  }
}
