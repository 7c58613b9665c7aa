package com.gigsta.booking.examples.service;

import com.gigsta.booking.BookingException;
import com.gigsta.booking.ErrorCode;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.PaymentFailedException;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the library's refusals into RFC 9457 problem documents, by {@link BookingException#code()}.
 * Spring's own failures (unreadable JSON, wrong method) become problem documents through the base class.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  /** Prefix of every problem type this service defines; the code follows, e.g. {@code concurrent-change}. */
  public static final String TYPE_PREFIX = "urn:gigsta:booking:problem:";

  /** Returns the HTTP status for a kind of refusal. */
  public static HttpStatus statusOf(ErrorCode code) {
    return switch (code) {
      // The action exists and the person's role may take it, just not in this state: a conflict with the
      // booking's current state that reloading shows. Guards refuse for the same kind of reason.
      case NOT_ALLOWED_IN_STATE, GUARD_REFUSED, CONCURRENT_CHANGE -> HttpStatus.CONFLICT;
      // Nobody in this role may ever take the action in this state.
      case NOT_ALLOWED_FOR_ROLE -> HttpStatus.FORBIDDEN;
      // Someone else's booking looks exactly like one that does not exist.
      case NOT_A_PARTY, BOOKING_NOT_FOUND -> HttpStatus.NOT_FOUND;
      case PAYMENT_FAILED -> HttpStatus.PAYMENT_REQUIRED;
      case INVALID_INPUT, UNKNOWN_ACTION -> HttpStatus.BAD_REQUEST;
      // The host was deployed without a workflow version its stored bookings need: a fault of the deployment.
      case INVALID_WORKFLOW, UNKNOWN_WORKFLOW_VERSION, STORAGE_FAILURE -> HttpStatus.INTERNAL_SERVER_ERROR;
    };
  }

  @ExceptionHandler(BookingException.class)
  ResponseEntity<ProblemDetail> refused(BookingException e) {
    HttpStatus status = statusOf(e.code());
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(e));
    problem.setType(URI.create(TYPE_PREFIX + e.code().name().toLowerCase(Locale.ROOT).replace('_', '-')));
    problem.setProperty("code", e.code().name());
    if (status == HttpStatus.NOT_FOUND) {
      // Say nothing about a booking the person may not see, not even its state.
      problem.setProperty("booking_id", e.bookingId());
      return ResponseEntity.status(status).body(problem);
    }
    if (e.bookingId() != null) {
      problem.setProperty("booking_id", e.bookingId());
    }
    if (e.state() != null) {
      problem.setProperty("state", e.state().name());
    }
    if (e.actionName() != null) {
      problem.setProperty("action_name", e.actionName());
    }
    if (e instanceof InvalidBookingInputException invalid) {
      problem.setProperty("field", invalid.field());
    }
    if (e instanceof PaymentFailedException payment) {
      problem.setProperty("declined", payment.declined());
      problem.setProperty("idempotency_key", payment.idempotencyKey());
    }
    return ResponseEntity.status(status).body(problem);
  }

  private static String detail(BookingException e) {
    return switch (e.code()) {
      case NOT_A_PARTY, BOOKING_NOT_FOUND -> "no booking with id '" + e.bookingId() + "'";
      case STORAGE_FAILURE -> "the booking could not be stored; try again later";
      case PAYMENT_FAILED -> e instanceof PaymentFailedException payment ? paymentDetail(payment) : e.getMessage();
      default -> e.getMessage();
    };
  }

  /**
   * Says what the payment failure means for trying again, as the engine's payment attempts have it: after
   * a decline a new attempt, with a new key; after an unknown outcome the same attempt and key.
   */
  private static String paymentDetail(PaymentFailedException e) {
    String cause = e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
    if (e.declined()) {
      return "The customer's card was declined" + cause + ": nothing was recorded and the booking is unchanged. "
          + "Trying again once the card is fixed is a new payment attempt, with a new idempotency key.";
    }
    return "The card processor did not answer" + cause + ": nothing was recorded and the booking is unchanged. "
        + "Trying again repeats the same payment attempt with the same idempotency key, " + e.idempotencyKey()
        + ", so the card is never charged twice.";
  }
}
