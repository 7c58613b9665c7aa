package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.Money;
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

  /**
   * Who is signed in, and the token the page sends with every change; no token for a request signed in with
   * HTTP basic, which keeps no session and needs none.
   */
  public record Me(
      @JsonProperty("id") String id,
      @JsonProperty("role") Role role,
      @JsonProperty("display_name") String displayName,
      @JsonProperty("csrf_header") String csrfHeader,
      @JsonProperty("csrf_token") String csrfToken) {}

  /** A GigSta a customer can book, with the price a request that names none is made at. */
  public record Gigsta(
      @JsonProperty("id") String id,
      @JsonProperty("display_name") String displayName,
      @JsonProperty("about") String about,
      @JsonProperty("price") Money price) {}

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

  /**
   * The body of a booking request. The price is read as a tree, so that a malformed one is refused naming
   * its field rather than as unreadable JSON.
   */
  public record NewBooking(
      @JsonProperty("gigsta_id") String gigstaId,
      @JsonProperty("scheduled_start") String scheduledStart,
      @JsonProperty("price") JsonNode price) {}

  /** The body of an action: both parts optional. */
  public record ActionRequest(@JsonProperty("reason") String reason, @JsonProperty("version") Long version) {}

  @GetMapping("/me")
  Me me(Authentication authentication, CsrfToken csrf) {
    Actor actor = CurrentActor.of(authentication);
    return new Me(actor.id(), actor.role(), DemoUsers.displayName(actor.id()),
        csrf == null ? null : csrf.getHeaderName(), csrf == null ? null : csrf.getToken());
  }

  @GetMapping("/gigstas")
  List<Gigsta> gigstas() {
    return DemoUsers.withRole(Role.GIGSTA).stream()
        .map(user -> new Gigsta(user.username(), user.displayName(), user.about(), user.listPrice())).toList();
  }

  @GetMapping("/bookings")
  List<BookingSummary> myBookings(Authentication authentication) {
    return bookings.bookingsOf(CurrentActor.of(authentication)).stream().map(BookingSummary::of).toList();
  }

  @PostMapping(path = "/bookings", consumes = "application/json")
  ResponseEntity<BookingDetails> request(Authentication authentication, @RequestBody NewBooking body) {
    Actor actor = CurrentActor.of(authentication);
    BookingChange change = bookings.request(actor, body.gigstaId(), parseInstant(body.scheduledStart()),
        parsePrice(body.price()));
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

  /**
   * Reads {@code {"amount_minor":8000,"currency":"EUR"}}, or nothing for a request without a price. The
   * amount and the currency are checked by {@link Money#of(long, String)}; a refusal names the body's field,
   * e.g. {@code price.currency}.
   */
  private static Money parsePrice(JsonNode price) {
    if (price == null || price.isNull()) {
      return null;
    }
    if (!price.isObject()) {
      throw new InvalidBookingInputException("price",
          "price must be an object such as {\"amount_minor\":8000,\"currency\":\"EUR\"} but was " + price);
    }
    // Read as a tree, so Jackson's refusal of unknown fields does not reach in here.
    price.fieldNames().forEachRemaining(name -> {
      if (!name.equals("amount_minor") && !name.equals("currency")) {
        throw new InvalidBookingInputException("price." + name,
            "unknown field price." + name + ": a price takes only amount_minor and currency");
      }
    });
    JsonNode amount = price.get("amount_minor");
    if (amount == null || amount.isNull() || !amount.isIntegralNumber() || !amount.canConvertToLong()) {
      throw new InvalidBookingInputException("price.amount_minor", "price.amount_minor must be a whole number of "
          + "the currency's minor units, e.g. 8000 for 80.00 EUR, but was " + (amount == null ? "missing" : amount));
    }
    JsonNode currency = price.get("currency");
    if (currency == null || currency.isNull() || !currency.isTextual()) {
      throw new InvalidBookingInputException("price.currency", "price.currency must be an ISO 4217 code such as "
          + "EUR but was " + (currency == null ? "missing" : currency));
    }
    try {
      return Money.of(amount.asLong(), currency.asText());
    } catch (InvalidBookingInputException e) {
      throw new InvalidBookingInputException("price." + e.field(), "price." + e.field() + ": " + e.getMessage());
    }
  }
}
