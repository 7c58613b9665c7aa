package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.BookingException;
import com.gigsta.booking.ErrorCode;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;

class ProblemHandlerTest {

  @Test
  void shouldGiveEveryRefusalTheStatusTheReadmePromises() {
    Map<ErrorCode, HttpStatus> promised = new EnumMap<>(ErrorCode.class);
    promised.put(ErrorCode.NOT_ALLOWED_IN_STATE, HttpStatus.CONFLICT);
    promised.put(ErrorCode.GUARD_REFUSED, HttpStatus.CONFLICT);
    promised.put(ErrorCode.CONCURRENT_CHANGE, HttpStatus.CONFLICT);
    promised.put(ErrorCode.NOT_ALLOWED_FOR_ROLE, HttpStatus.FORBIDDEN);
    promised.put(ErrorCode.NOT_A_PARTY, HttpStatus.NOT_FOUND);
    promised.put(ErrorCode.BOOKING_NOT_FOUND, HttpStatus.NOT_FOUND);
    promised.put(ErrorCode.PAYMENT_FAILED, HttpStatus.PAYMENT_REQUIRED);
    promised.put(ErrorCode.INVALID_INPUT, HttpStatus.BAD_REQUEST);
    promised.put(ErrorCode.UNKNOWN_ACTION, HttpStatus.BAD_REQUEST);
    promised.put(ErrorCode.STORAGE_FAILURE, HttpStatus.INTERNAL_SERVER_ERROR);
    promised.put(ErrorCode.INVALID_WORKFLOW, HttpStatus.INTERNAL_SERVER_ERROR);
    promised.put(ErrorCode.UNKNOWN_WORKFLOW_VERSION, HttpStatus.INTERNAL_SERVER_ERROR);

    assertThat(promised).containsOnlyKeys(ErrorCode.values());
    promised.forEach((code, status) -> assertThat(ProblemHandler.statusOf(code)).as(code.name()).isEqualTo(status));
  }

  @Test
  void shouldLeaveEveryOtherExceptionToSpringSoThatABugIsNeverBlamedOnTheRequest() {
    // A NullPointerException or IllegalArgumentException from the engine means this service called it
    // wrongly: it must stay a 500, never become a 400 telling the client its request was at fault.
    List<Class<? extends Throwable>> handled = new ArrayList<>();
    for (Method method : ProblemHandler.class.getDeclaredMethods()) {
      ExceptionHandler handler = method.getAnnotation(ExceptionHandler.class);
      if (handler != null) {
        handled.addAll(List.of(handler.value()));
      }
    }

    assertThat(handled).containsExactly(BookingException.class);
  }
}
