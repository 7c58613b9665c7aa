package com.gigsta.booking.examples.service;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problem documents the service answers besides the library's refusals ({@link ProblemHandler}): who
 * may not ask, what the firewall or the server refused, and errors that only have a status. Every one has a
 * {@code code} for programs and a {@code message} for people, as the library's refusals do.
 */
final class Problems {

  /** The property that says, for people, what happened and what to do. */
  static final String MESSAGE = "message";
  /** The property that names the kind of problem for programs, e.g. {@code NOT_SIGNED_IN}. */
  static final String CODE = "code";

  private Problems() {}

  /** Returns a problem of a type of this service's, {@code urn:gigsta:booking:problem:<code>}. */
  static ProblemDetail of(HttpStatus status, String code, String title, String detail, String message) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(ProblemHandler.TYPE_PREFIX + code.toLowerCase(Locale.ROOT).replace('_', '-')));
    problem.setTitle(title);
    problem.setProperty(CODE, code);
    problem.setProperty(MESSAGE, message);
    return problem;
  }

  static ProblemDetail notSignedIn() {
    return of(HttpStatus.UNAUTHORIZED, "NOT_SIGNED_IN", "Not signed in",
        "sign in first, with HTTP basic or on the login page", "Please sign in first.");
  }

  static ProblemDetail badCredentials() {
    return of(HttpStatus.UNAUTHORIZED, "BAD_CREDENTIALS", "Wrong credentials",
        "the user name or password of the request's HTTP basic credentials is wrong",
        "The user name or password is wrong.");
  }

  static ProblemDetail csrfTokenInvalid() {
    return of(HttpStatus.FORBIDDEN, "CSRF_TOKEN_INVALID", "Missing or invalid CSRF token",
        "missing or invalid CSRF token: a change made with the session must send the session's token, which "
            + "GET /api/me returns, in the header it names",
        "This page is out of date. Reload it and try again.");
  }

  static ProblemDetail notAnOperator() {
    return of(HttpStatus.FORBIDDEN, "NOT_AN_OPERATOR", "Operators only", "only operators may use this endpoint",
        "Only operators can do this.");
  }

  static ProblemDetail forbidden() {
    return of(HttpStatus.FORBIDDEN, "FORBIDDEN", "Forbidden", "you may not use this endpoint",
        "You may not do this.");
  }

  static ProblemDetail crossSite() {
    return of(HttpStatus.FORBIDDEN, "CROSS_SITE_REFUSED", "Made by another site",
        "HTTP basic credentials are not accepted on a request another site made (Sec-Fetch-Site: cross-site "
            + "or same-site)", "This request came from another site and was refused.");
  }

  static ProblemDetail requestRejected(String why) {
    return of(HttpStatus.BAD_REQUEST, "REQUEST_REJECTED", "Request rejected",
        "the request was rejected before it reached the service: " + why, "This address is not valid.");
  }

  static ProblemDetail bodyTooLarge(long limit) {
    return of(HttpStatus.PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", "Body too large",
        "the request body is larger than this service accepts: at most " + limit + " bytes",
        "This request is too large.");
  }

  static ProblemDetail malformedJson(String why) {
    return of(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "Malformed JSON", "the request body is no valid JSON: " + why,
        "The request could not be read.");
  }

  /**
   * Returns the problem for an error that has nothing but its status, such as a page that does not exist:
   * type {@code about:blank}, so its title is the status's reason phrase, and its code the status's name.
   */
  static ProblemDetail forStatus(HttpStatus status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    complete(problem);
    return problem;
  }

  /** Adds a code and a message to a problem that has none, from its status. */
  static void complete(ProblemDetail problem) {
    HttpStatus status = HttpStatus.resolve(problem.getStatus());
    if (problem.getProperties() == null || !problem.getProperties().containsKey(CODE)) {
      problem.setProperty(CODE, status == null ? "HTTP_" + problem.getStatus() : codeOf(status));
    }
    if (!problem.getProperties().containsKey(MESSAGE)) {
      problem.setProperty(MESSAGE, messageOf(status));
    }
    if (problem.getDetail() == null) {
      problem.setDetail(status == null ? "HTTP status " + problem.getStatus() : status.getReasonPhrase());
    }
  }

  private static String codeOf(HttpStatus status) {
    return status == HttpStatus.INTERNAL_SERVER_ERROR ? "INTERNAL_ERROR" : status.name();
  }

  private static String messageOf(HttpStatus status) {
    if (status == null) {
      return "Something went wrong.";
    }
    return switch (status) {
      case BAD_REQUEST -> "The request could not be understood.";
      case UNAUTHORIZED -> "Please sign in first.";
      case FORBIDDEN -> "You may not do this.";
      case NOT_FOUND -> "There is nothing at this address.";
      case METHOD_NOT_ALLOWED -> "This address does not take that kind of request.";
      case NOT_ACCEPTABLE -> "This address answers in JSON only.";
      case PAYLOAD_TOO_LARGE -> "This request is too large.";
      case UNSUPPORTED_MEDIA_TYPE -> "Send the request's body as JSON.";
      case SERVICE_UNAVAILABLE -> "The service is not available just now. Please try again in a moment.";
      default -> status.is5xxServerError() ? "Something went wrong on our side. Please try again later."
          : status.getReasonPhrase() + ".";
    };
  }
}
