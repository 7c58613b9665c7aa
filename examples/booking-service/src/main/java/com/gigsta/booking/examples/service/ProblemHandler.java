package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.ErrorCode;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.PaymentFailedException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the library's refusals into RFC 9457 problem documents, by {@link BookingException#code()}, each with
 * a sentence for people ({@code message}, see {@link ProblemMessages}) next to the technical {@code detail}.
 * Spring's own failures (unreadable JSON, wrong method) become problem documents through the base class; a
 * body Jackson cannot read is a 400 naming the field at fault, in the body's own spelling.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

  /** Prefix of every problem type this service defines; the code follows, e.g. {@code concurrent-change}. */
  public static final String TYPE_PREFIX = "urn:gigsta:booking:problem:";

  // The refusals whose sentence names the booking's parties, so that the booking is read for them. Each
  // comes after the engine checked that the person may see the booking.
  private static final Set<ErrorCode> ABOUT_THE_BOOKING =
      Set.of(ErrorCode.NOT_ALLOWED_IN_STATE, ErrorCode.CONCURRENT_CHANGE, ErrorCode.PAYMENT_FAILED);

  private final BookingEngine engine;

  ProblemHandler(BookingEngine engine) {
    this.engine = engine;
  }

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

  /** Returns the title of a kind of refusal: the same for every refusal of that kind, as RFC 9457 has it. */
  static String titleOf(ErrorCode code) {
    return switch (code) {
      case NOT_ALLOWED_IN_STATE -> "Not possible in this state";
      case GUARD_REFUSED -> "Not possible yet";
      case CONCURRENT_CHANGE -> "Changed meanwhile";
      case NOT_ALLOWED_FOR_ROLE -> "Not for your role";
      case NOT_A_PARTY, BOOKING_NOT_FOUND -> "No such booking";
      case PAYMENT_FAILED -> "Payment failed";
      case INVALID_INPUT -> "Invalid input";
      case UNKNOWN_ACTION -> "Unknown action";
      case STORAGE_FAILURE -> "Not stored";
      case INVALID_WORKFLOW -> "Invalid workflow";
      case UNKNOWN_WORKFLOW_VERSION -> "Workflow version not deployed";
    };
  }

  /** Returns the name the API gives a field the library names, e.g. {@code scheduled_start} for {@code scheduledStart}. */
  static String apiName(String libraryField) {
    if (libraryField == null) {
      return null;
    }
    return libraryField.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace(' ', '_').toLowerCase(Locale.ROOT);
  }

  @ExceptionHandler(BookingException.class)
  ResponseEntity<ProblemDetail> refused(BookingException e, HttpServletRequest request) {
    HttpStatus status = statusOf(e.code());
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(e));
    problem.setType(URI.create(TYPE_PREFIX + e.code().name().toLowerCase(Locale.ROOT).replace('_', '-')));
    problem.setTitle(titleOf(e.code()));
    problem.setProperty(Problems.CODE, e.code().name());
    if (status == HttpStatus.NOT_FOUND) {
      // Say nothing about a booking the person may not see, not even its state.
      problem.setProperty("booking_id", e.bookingId());
      problem.setProperty(Problems.MESSAGE, ProblemMessages.of(e, null, null));
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
      problem.setProperty("field", apiName(invalid.field()));
      problem.setProperty(Problems.MESSAGE, ProblemMessages.input(apiName(invalid.field())));
    } else {
      problem.setProperty(Problems.MESSAGE, ProblemMessages.of(e, bookingFor(e), asking(e, request)));
    }
    if (e instanceof PaymentFailedException payment) {
      problem.setProperty("declined", payment.declined());
      problem.setProperty("idempotency_key", payment.idempotencyKey());
    }
    return ResponseEntity.status(status).body(problem);
  }

  /** A body Jackson could not read: malformed JSON, or a value of the wrong type, named by its field. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return handleExceptionInternal(ex, unreadable(ex), headers, HttpStatus.BAD_REQUEST, request);
  }

  /** A path variable of the wrong type, such as a sequence that is no number. */
  @Override
  protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : ex.getPropertyName();
    String field = apiName(name);
    return handleExceptionInternal(ex, invalidInput(field, field + " must be " + expectation(ex.getRequiredType())
        + " but was '" + ex.getValue() + "'"), headers, HttpStatus.BAD_REQUEST, request);
  }

  /** Every problem Spring MVC answers gets a code and a sentence for people too. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      Problems.complete(problem);
    }
    return response;
  }

  private static String detail(BookingException e) {
    return switch (e.code()) {
      case NOT_A_PARTY, BOOKING_NOT_FOUND -> "no booking with id '" + e.bookingId() + "'";
      case STORAGE_FAILURE -> "the booking could not be stored; try again later";
      case PAYMENT_FAILED -> e instanceof PaymentFailedException payment ? paymentDetail(payment) : e.getMessage();
      case INVALID_INPUT -> e instanceof InvalidBookingInputException invalid && invalid.field() != null
          ? e.getMessage().replace(invalid.field(), apiName(invalid.field())) : e.getMessage();
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

  /** The booking as it is now, for the sentence; none if it cannot be read (the refusal stands regardless). */
  private Booking bookingFor(BookingException e) {
    if (e.bookingId() == null || !ABOUT_THE_BOOKING.contains(e.code())) {
      return null;
    }
    try {
      return engine.load(e.bookingId());
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  private static Actor asking(BookingException e, HttpServletRequest request) {
    if (e.actor() != null) {
      return e.actor();
    }
    if (request.getUserPrincipal() instanceof Authentication authentication) {
      try {
        return CurrentActor.of(authentication);
      } catch (IllegalStateException noRole) {
        return null;
      }
    }
    return null;
  }

  private static ProblemDetail invalidInput(String field, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    problem.setType(URI.create(TYPE_PREFIX + "invalid-input"));
    problem.setTitle(titleOf(ErrorCode.INVALID_INPUT));
    problem.setProperty(Problems.CODE, ErrorCode.INVALID_INPUT.name());
    if (field != null) {
      problem.setProperty("field", field);
    }
    problem.setProperty(Problems.MESSAGE, ProblemMessages.input(field));
    return problem;
  }

  private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
    Throwable cause = ex.getCause();
    if (cause == null) {
      return invalidInput(null, "the request has no body; it needs a JSON object");
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof JsonParseException malformed) {
        return Problems.malformedJson(malformed.getOriginalMessage());
      }
    }
    if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = pathOf(mapping.getPath());
      if (mapping instanceof UnrecognizedPropertyException unknown) {
        String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
            .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        ProblemDetail problem = invalidInput(field, "unknown field " + field + ": this body takes only " + known);
        problem.setProperty(Problems.MESSAGE, "This request has a field the service does not know: " + field + ".");
        return problem;
      }
      String found = mapping.getCause() instanceof InputCoercionException ? "a number out of range" : found(mapping);
      return invalidInput(field, field + " must be " + expectation(targetType(mapping)) + " but was " + found);
    }
    if (cause instanceof MismatchedInputException mismatch && notAnObject(mismatch)) {
      return invalidInput(null, "the request body must be a JSON object but was " + found(mismatch));
    }
    // Such as a second value after the object: no valid JSON document either.
    return Problems.malformedJson(cause instanceof JsonMappingException mapping ? mapping.getOriginalMessage()
        : cause.getMessage());
  }

  private static String pathOf(List<JsonMappingException.Reference> path) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference reference : path) {
      if (reference.getFieldName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    return field.toString();
  }

  private static Class<?> targetType(JsonMappingException mapping) {
    if (mapping instanceof MismatchedInputException mismatch) {
      return mismatch.getTargetType();
    }
    return mapping.getCause() instanceof InputCoercionException coercion ? coercion.getTargetType() : null;
  }

  private static boolean notAnObject(MismatchedInputException mismatch) {
    return mismatch.getProcessor() instanceof JsonParser parser && parser.currentToken() != JsonToken.START_OBJECT
        && parser.currentToken() != JsonToken.FIELD_NAME;
  }

  private static String expectation(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "a whole number";
    }
    if (type == String.class) {
      return "text";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a " + type.getSimpleName();
  }

  /** What the body had where the value was expected, by its kind: the value itself may be anything. */
  private static String found(JsonMappingException mapping) {
    if (!(mapping.getProcessor() instanceof JsonParser parser) || parser.currentToken() == null) {
      return "of another type";
    }
    return switch (parser.currentToken()) {
      case START_OBJECT, FIELD_NAME -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "text";
      case VALUE_NUMBER_INT -> "a whole number";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "of another type";
    };
  }
}
