package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs a few transitions in a JVM of its own with SLF4J's simple binding at INFO, so the test sees the
 * real log output without every other test's transitions in it.
 */
class TransitionLogTest {

  private static final String SECRET_REASON = "my neighbour's dog bit me";

  /** Entry point of the child JVM. */
  public static void main(String[] args) {
    BookingEngine engine = BookingEngine.builder().build();
    Booking booking = engine.requestBooking("b-log", Actor.customer("c-1"), "g-1", null).booking();
    booking = engine.perform(booking, Actor.gigsta("g-1"), "accept_booking").booking();
    engine.perform(booking, Actor.customer("c-1"), "cancel_booking", SECRET_REASON);
  }

  @Test
  void shouldLogOneInfoLinePerTransitionWithoutNotesOrReasons() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.showThreadName=false",
        TransitionLogTest.class.getName())
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();

    List<String> engineLines = output.lines().filter(line -> line.contains("BookingEngine")).toList();
    assertThat(engineLines).containsExactly(
        "INFO com.gigsta.booking.BookingEngine - booking b-log request_booking: (new) -> REQUESTED by CUSTOMER",
        "INFO com.gigsta.booking.BookingEngine - booking b-log accept_booking: REQUESTED -> ACCEPTED by GIGSTA",
        "INFO com.gigsta.booking.BookingEngine - booking b-log cancel_booking: ACCEPTED -> CANCELLED_BY_CUSTOMER by CUSTOMER");
    assertThat(output).doesNotContain(SECRET_REASON).doesNotContain("Booking cancelled by customer")
        .doesNotContain("Booking accepted by GigSta");
  }
}
