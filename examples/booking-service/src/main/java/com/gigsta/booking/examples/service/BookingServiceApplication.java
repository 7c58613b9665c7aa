package com.gigsta.booking.examples.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A booking service for the GigSta marketplace built on gigsta-booking: a JSON API, a booking page and a
 * durable audit trail, with demo users and a fake card processor.
 */
@SpringBootApplication
public class BookingServiceApplication {

  /** Starts the service. */
  public static void main(String[] args) {
    SpringApplication.run(BookingServiceApplication.class, args);
  }
}
