package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Writes a problem document straight to a servlet response, for the parts of the service that answer
 * before or outside Spring MVC: the security filters, the firewall, the body limit and the error page.
 * Thread-safe.
 */
@Component
public class ProblemWriter {

  private final ObjectMapper objectMapper;

  ProblemWriter(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
  }

  /**
   * Writes the problem with its status, naming the request's path as its {@code instance} unless it names
   * one already or the path is no valid URI.
   */
  public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
      throws IOException {
    Problems.complete(problem);
    if (problem.getInstance() == null && request != null) {
      instanceOf(request.getRequestURI(), problem);
    }
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    objectMapper.writeValue(response.getOutputStream(), problem);
  }

  /** Returns the problem as JSON. */
  String json(ProblemDetail problem) throws IOException {
    Problems.complete(problem);
    return objectMapper.writeValueAsString(problem);
  }

  private static void instanceOf(String path, ProblemDetail problem) {
    try {
      problem.setInstance(URI.create(path));
    } catch (IllegalArgumentException e) {
      // A path no URI can hold is left out rather than echoed back half-escaped.
    }
  }
}
