package com.gigsta.booking.examples.service;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's error report, as a problem document instead of Tomcat's HTML page. Tomcat answers with it what it
 * refuses before any servlet runs (an encoded slash, a NUL, invalid UTF-8 in the path, a request line or
 * headers above its size limit) and any error no error page answered. Thread-safe.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

  private final ProblemWriter problems;

  ProblemErrorReportValve(ProblemWriter problems) {
    this.problems = problems;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // As Tomcat's own report: nothing below 400, nothing once a body was written or after it was reported.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    ProblemDetail problem = known == HttpStatus.BAD_REQUEST
        // What Tomcat refuses is the request's form, which the detail says without echoing it.
        ? Problems.requestRejected("the server cannot read it: its path has an encoded slash, a NUL, invalid "
            + "UTF-8 or characters a URL cannot have, or its request line or headers are longer than 8 KB")
        : ProblemDetail.forStatus(status);
    try {
      String json = problems.json(problem);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(json);
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response cannot take a body any more; there is nobody left to tell.
    }
  }
}
