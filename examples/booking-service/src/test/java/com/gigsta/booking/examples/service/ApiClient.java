package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON API client signed in as one demo user, either with HTTP basic on every request or with a session
 * from the login form plus its CSRF token, as the page does. Not thread-safe for sign-in; calls may run
 * from several threads once signed in.
 */
final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  /** One answer: status, content type, body and every header. */
  record Reply(int status, String contentType, String body, Map<String, List<String>> headers) {
    /** Returns the header's first value, whatever the case of its name. */
    Optional<String> header(String name) {
      return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .flatMap(entry -> entry.getValue().stream()).findFirst();
    }

    /** Returns every value of the header, whatever the case of its name. */
    List<String> headers(String name) {
      return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .flatMap(entry -> entry.getValue().stream()).toList();
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  private final String base;
  private final String user;
  private final HttpClient http;
  private final String basic;
  private String csrfHeader;
  private String csrfToken;

  private ApiClient(String base, String user, boolean useBasic) {
    this.base = base;
    this.user = user;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    this.basic = useBasic ? "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + DemoUsers.PASSWORD).getBytes(StandardCharsets.UTF_8)) : null;
  }

  /** A client that sends HTTP basic credentials with every request. */
  static ApiClient basic(int port, String user) {
    return new ApiClient("http://127.0.0.1:" + port, user, true);
  }

  /** A client that signs in through the login form once and then uses the session and its CSRF token. */
  static ApiClient session(int port, String user) {
    ApiClient client = new ApiClient("http://127.0.0.1:" + port, user, false);
    client.signIn();
    return client;
  }

  /** A client for the user that has not signed in yet; {@link #postLoginForm} signs in. */
  static ApiClient signedOut(int port, String user) {
    return new ApiClient("http://127.0.0.1:" + port, user, false);
  }

  /** A client with no credentials at all. */
  static ApiClient anonymous(int port) {
    return new ApiClient("http://127.0.0.1:" + port, "anonymous", false);
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply post(String path, String json) {
    return send("POST", path, json);
  }

  Reply send(String method, String path, String json) {
    return send(method, path, json, Map.of(), true);
  }

  /**
   * Sends a request with extra headers, which replace the client's own of the same name; {@code withCsrf}
   * false leaves out the session's CSRF token, as a forged request would.
   */
  Reply send(String method, String path, String json, Map<String, String> extraHeaders, boolean withCsrf) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(20));
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Accept", "application/json");
    if (basic != null) {
      headers.put("Authorization", basic);
    } else if (withCsrf && csrfToken != null && !method.equals("GET")) {
      headers.put(csrfHeader, csrfToken);
    }
    if (json != null) {
      headers.put("Content-Type", "application/json");
    }
    headers.putAll(extraHeaders);
    headers.forEach(request::header);
    request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return exchange(request.build());
  }

  /**
   * Returns the card processor's ledger of the booking from the operator's payments endpoint, or null if
   * no call for it reached the processor; for a client signed in as the operator.
   */
  JsonNode ledgerOf(String bookingId) {
    Reply payments = get("/api/operator/payments");
    if (payments.status() != 200) {
      throw new IllegalStateException("the payments endpoint answered " + user + " with " + payments.status());
    }
    for (JsonNode ledger : payments.json().get("ledgers")) {
      if (ledger.get("booking_id").asText().equals(bookingId)) {
        return ledger;
      }
    }
    return null;
  }

  /** Returns the idempotency keys of the booking's calls that took effect at the processor, oldest first. */
  List<String> paymentKeysOf(String bookingId) {
    JsonNode ledger = ledgerOf(bookingId);
    List<String> keys = new ArrayList<>();
    if (ledger != null) {
      ledger.get("calls").forEach(call -> keys.add(call.get("idempotency_key").asText()));
    }
    return keys;
  }

  /** Returns the CSRF token of the login form this client was given. */
  String loginFormToken() {
    Reply loginPage = exchange(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build());
    Matcher token = CSRF_INPUT.matcher(loginPage.body());
    if (!token.find()) {
      throw new IllegalStateException("no CSRF field on the login page: " + loginPage.body());
    }
    return token.group(1);
  }

  /** Posts the login form with the given CSRF token, as a browser does. */
  Reply postLoginForm(String password, String csrfToken) {
    String form = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(csrfToken);
    return exchange(HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  private void signIn() {
    Reply login = postLoginForm(DemoUsers.PASSWORD, loginFormToken());
    if (login.status() != 302) {
      throw new IllegalStateException("login as " + user + " answered " + login.status());
    }
    JsonNode me = get("/api/me").json();
    csrfHeader = me.get("csrf_header").asText();
    csrfToken = me.get("csrf_token").asText();
  }

  private Reply exchange(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body(), response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
