package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void shouldAcceptARequestedBooking() {
    BookingEngine engine = BookingEngine.builder().build();
    Booking booking = engine.requestBooking(Actor.customer("c-1"), "g-1").booking();
    BookingChange accepted = engine.perform(booking, Actor.gigsta("g-1"), "accept_booking");
    assertThat(accepted.booking().state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(engine.history(booking.id())).hasSize(2);
  }
}
