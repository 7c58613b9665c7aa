package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.Role;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The JSON API. The actor is always the authenticated user; refusals become problem documents in
 * {@link ProblemHandler}.
 */
@RestController
@RequestMapping(path = "/api", produces = "application/json")
public class BookingApiController {

  private final BookingService bookings;
  private final Notifications notifications;

  BookingApiController(BookingService bookings, Notifications notifications) {
    this.bookings = bookings;
    this.notifications = notifications;
  }

  /** Who is signed in, and the token the page sends with every change. */
  public record Me(
      @JsonProperty("id") String id,
      @JsonProperty("role") Role role,
      @JsonProperty("display_name") String displayName,
      @JsonProperty("csrf_header") String csrfHeader,
      @JsonProperty("csrf_token") String csrfToken) {}

  /** A GigSta a customer can book. */
  public record Gigsta(
      @JsonProperty("id") String id,
      @JsonProperty("display_name") String displayName,
      @JsonProperty("about") String about) {}

  /** A booking with its parties' names, for lists. */
  public record BookingSummary(
      @JsonProperty("booking") Booking booking,
      @JsonProperty("customer_name") String customerName,
      @JsonProperty("gigsta_name") String gigstaName) {

    static BookingSummary of(Booking booking) {
      return new BookingSummary(booking, DemoUsers.displayName(booking.customerId()),
          DemoUsers.displayName(booking.gigstaId()));
    }
  }

  /** A booking with what the signed-in person may do with it now. */
  public record BookingDetails(
      @JsonProperty("booking") Booking booking,
      @JsonProperty("customer_name") String customerName,
      @JsonProperty("gigsta_name") String gigstaName,
      @JsonProperty("actions") List<BookingAction> actions) {}

  /** The body of a booking request. */
  public record NewBooking(
      @JsonProperty("gigsta_id") String gigstaId,
      @JsonProperty("scheduled_start") String scheduledStart) {}

  /** The body of an action: both parts optional. */
  public record ActionRequest(@JsonProperty("reason") String reason, @JsonProperty("version") Long version) {}

  @GetMapping("/me")
  Me me(Authentication authentication, CsrfToken csrf) {
    Actor actor = CurrentActor.of(authentication);
    return new Me(actor.id(), actor.role(), DemoUsers.displayName(actor.id()), csrf.getHeaderName(),
        csrf.getToken());
  }

  @GetMapping("/gigstas")
  List<Gigsta> gigstas() {
    return DemoUsers.withRole(Role.GIGSTA).stream()
        .map(user -> new Gigsta(user.username(), user.displayName(), user.about())).toList();
  }

  @GetMapping("/bookings")
  List<BookingSummary> myBookings(Authentication authentication) {
    return bookings.bookingsOf(CurrentActor.of(authentication)).stream().map(BookingSummary::of).toList();
  }

  @PostMapping(path = "/bookings", consumes = "application/json")
  ResponseEntity<BookingDetails> request(Authentication authentication, @RequestBody NewBooking body) {
    Actor actor = CurrentActor.of(authentication);
    BookingChange change = bookings.request(actor, body.gigstaId(), parseInstant(body.scheduledStart()));
    Booking booking = change.booking();
    return ResponseEntity.created(URI.create("/api/bookings/" + booking.id()))
        .body(details(actor, booking));
  }

  @GetMapping("/bookings/{id}")
  BookingDetails booking(Authentication authentication, @PathVariable String id) {
    Actor actor = CurrentActor.of(authentication);
    return details(actor, bookings.find(actor, id));
  }

  @GetMapping("/bookings/{id}/actions")
  List<BookingAction> actions(Authentication authentication, @PathVariable String id) {
    Actor actor = CurrentActor.of(authentication);
    return bookings.actions(actor, bookings.find(actor, id));
  }

  @PostMapping("/bookings/{id}/actions/{action}")
  BookingDetails perform(Authentication authentication, @PathVariable String id, @PathVariable String action,
      @RequestBody(required = false) ActionRequest body) {
    Actor actor = CurrentActor.of(authentication);
    ActionRequest request = body == null ? new ActionRequest(null, null) : body;
    BookingChange change = bookings.perform(actor, id, action, request.reason(), request.version());
    return details(actor, change.booking());
  }

  @GetMapping("/bookings/{id}/audit")
  List<AuditEntry> audit(Authentication authentication, @PathVariable String id) {
    return bookings.history(CurrentActor.of(authentication), id);
  }

  /**
   * The messages the {@value Notifications#CONSUMER} consumer sent me, newest first (every one for the
   * operator); they arrive shortly after each change, from the delivery worker.
   */
  @GetMapping("/notifications")
  List<Notifications.Notification> notifications(Authentication authentication) {
    return notifications.of(CurrentActor.of(authentication));
  }

  private BookingDetails details(Actor actor, Booking booking) {
    return new BookingDetails(booking, DemoUsers.displayName(booking.customerId()),
        DemoUsers.displayName(booking.gigstaId()), bookings.actions(actor, booking));
  }

  private static Instant parseInstant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidBookingInputException("scheduled_start",
          "scheduled_start must be an ISO-8601 UTC instant such as 2026-05-01T09:00:00Z but was '" + text + "'");
    }
  }
}
