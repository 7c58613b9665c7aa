package com.gigsta.booking.examples.service;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page ({@code /error}) Tomcat forwards to for an error nothing else answered, such as an
 * exception that escaped the service: a problem document with the error's status, never Spring Boot's
 * JSON or HTML error page. Asked for directly, it is no page at all: 404. It replaces Spring Boot's
 * {@code BasicErrorController}. Thread-safe.
 */
@Controller
class ProblemErrorController implements ErrorController {

  private final ProblemWriter problems;

  ProblemErrorController(ProblemWriter problems) {
    this.problems = problems;
  }

  @RequestMapping("${server.error.path:/error}")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer number ? HttpStatus.resolve(number) : null;
    if (status == null || status.value() < 400) {
      // Not forwarded here for an error (or for a status this service never answers): nothing to report.
      problems.write(request, response, Problems.forStatus(HttpStatus.NOT_FOUND, "no page at " + request.getRequestURI()));
      return;
    }
    ProblemDetail problem = Problems.forStatus(status, status.is5xxServerError()
        // An exception's message may hold anything, from SQL to personal data: it goes to the log only.
        ? "the service failed to answer this request; its log has the details"
        : status.getReasonPhrase());
    Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    if (path instanceof String uri) {
      try {
        problem.setInstance(java.net.URI.create(uri));
      } catch (IllegalArgumentException e) {
        // Left out, as in ProblemWriter.
      }
    }
    problems.write(request, response, problem);
  }
}
