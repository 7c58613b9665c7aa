package com.gigsta.booking.examples.service;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingException;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.ErrorCode;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.PaymentFailedException;
import com.gigsta.booking.Role;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sentences the page shows for the library's refusals: what happened, in the words of the person who
 * asked, with the names of the people involved ("Gina already cancelled this booking."). The problem
 * document keeps the technical detail next to it. Stateless.
 */
final class ProblemMessages {

  /** Who did what to reach a state: the party (by role) and the verb, e.g. the GigSta "accepted". */
  private record Deed(Role by, String verb) {}

  private static final Map<BookingState, Deed> DEEDS = Map.of(
      BookingState.ACCEPTED, new Deed(Role.GIGSTA, "accepted"),
      BookingState.DECLINED, new Deed(Role.GIGSTA, "declined"),
      BookingState.IN_PROGRESS, new Deed(Role.GIGSTA, "started"),
      BookingState.COMPLETED, new Deed(Role.GIGSTA, "completed"),
      BookingState.CANCELLED_BY_CUSTOMER, new Deed(Role.CUSTOMER, "cancelled"),
      BookingState.CANCELLED_BY_GIGSTA, new Deed(Role.GIGSTA, "cancelled"));

  private static final Map<String, String> VERBS = Map.of(
      "accept_booking", "accept",
      "decline_booking", "decline",
      "cancel_booking", "cancel",
      "mark_in_progress", "start",
      "mark_completed", "complete",
      "expire_booking", "expire");

  private ProblemMessages() {}

  /**
   * Returns the sentence for a refusal.
   *
   * @param booking the booking as it is now, or {@code null} where it is unknown or must not be told
   * @param asking who made the refused request, or {@code null} if unknown
   */
  static String of(BookingException e, Booking booking, Actor asking) {
    ErrorCode code = e.code();
    return switch (code) {
      // The same for someone else's booking as for none: nothing about it may show.
      case NOT_A_PARTY, BOOKING_NOT_FOUND -> "There is no booking " + shortened(e.bookingId()) + " for you.";
      case NOT_ALLOWED_IN_STATE -> booking == null ? "This can't be done with the booking as it is now."
          : already(booking, asking) + ".";
      case GUARD_REFUSED -> "You can't " + verbPhrase(e.actionName()) + " yet.";
      case CONCURRENT_CHANGE -> (booking == null ? "This booking changed" : meanwhile(booking, asking))
          + " while you were looking at it. Here it is as it is now.";
      case NOT_ALLOWED_FOR_ROLE -> "As " + (asking == null ? "you are" : "the " + roleWord(asking.role())) + ", you can't "
          + verbPhrase(e.actionName()) + ".";
      case PAYMENT_FAILED -> payment(e, booking, asking);
      case INVALID_INPUT -> e instanceof InvalidBookingInputException invalid ? input(invalid.field())
          : "Check the request and try again.";
      case UNKNOWN_ACTION -> "There is no action called \u201c" + e.actionName() + "\u201d.";
      case STORAGE_FAILURE -> "The booking could not be saved just now. Please try again in a moment.";
      case INVALID_WORKFLOW, UNKNOWN_WORKFLOW_VERSION ->
          "This booking can't be handled by this version of the service. Please tell the operator.";
    };
  }

  /** Returns what to fix for a field of a request, by the name the request gives it. */
  static String input(String field) {
    if (field == null) {
      return "Check the request and try again.";
    }
    if (field.equals("price") || field.startsWith("price.")) {
      return "Give a price above zero in a currency such as EUR.";
    }
    return switch (field) {
      case "gigsta_id" -> "Choose one of the GigStas: " + DemoUsers.withRole(Role.GIGSTA).stream()
          .map(DemoUsers.DemoUser::displayName).collect(Collectors.joining(", ")) + ".";
      case "scheduled_start" -> "Choose a start in the future.";
      case "reason" -> "Write the reason as plain text of at most 2,000 characters.";
      case "version" -> "Reload the booking and try again.";
      case "booking_id" -> "There is no booking with such an id.";
      case "decline_all", "fail_refunds" -> "Switch it on or off.";
      default -> "Check " + field + " and try again.";
    };
  }

  /** "Gina already cancelled this booking", "You already cancelled this booking", ... */
  private static String already(Booking booking, Actor asking) {
    BookingState state = booking.state();
    if (state.equals(BookingState.EXPIRED)) {
      return "This request already expired without an answer";
    }
    if (state.equals(BookingState.REQUESTED)) {
      return subject(booking.gigstaId(), asking) + (isAsking(booking.gigstaId(), asking) ? " haven't" : " hasn't")
          + " answered this request yet";
    }
    Deed deed = DEEDS.get(state);
    if (deed == null) {
      return "This booking is " + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " now";
    }
    String who = deed.by() == Role.CUSTOMER ? booking.customerId() : booking.gigstaId();
    return subject(who, asking) + " already " + deed.verb() + " this booking";
  }

  /** "Alice cancelled this booking", "This request expired", ... */
  private static String meanwhile(Booking booking, Actor asking) {
    BookingState state = booking.state();
    if (state.equals(BookingState.EXPIRED)) {
      return "This request expired";
    }
    Deed deed = DEEDS.get(state);
    if (deed == null) {
      return "This booking changed";
    }
    String who = deed.by() == Role.CUSTOMER ? booking.customerId() : booking.gigstaId();
    return subject(who, asking) + " " + deed.verb() + " this booking";
  }

  private static String payment(BookingException e, Booking booking, Actor asking) {
    if (!(e instanceof PaymentFailedException payment) || !payment.declined()) {
      return "The card processor did not answer, so nothing changed. Trying again is safe: the card is never "
          + "charged twice.";
    }
    String whose = booking == null ? "The customer's"
        : isAsking(booking.customerId(), asking) ? "Your" : DemoUsers.firstName(booking.customerId()) + "'s";
    boolean accepting = "accept_booking".equals(e.actionName());
    return whose + " card was declined, so " + (accepting ? "the booking is not accepted" : "nothing changed")
        + ". Once the card is fixed, " + (accepting ? "accepting" : "trying") + " again is a new payment attempt.";
  }

  private static String subject(String party, Actor asking) {
    return isAsking(party, asking) ? "You" : DemoUsers.firstName(party);
  }

  private static boolean isAsking(String party, Actor asking) {
    return asking != null && party != null && party.equals(asking.id()) && asking.role() != Role.OPERATOR;
  }

  private static String verbPhrase(String actionName) {
    String verb = actionName == null ? null : VERBS.get(actionName);
    return verb != null ? verb + " this booking" : "take the action \u201c" + actionName + "\u201d on this booking";
  }

  private static String roleWord(Role role) {
    return switch (role) {
      case CUSTOMER -> "customer";
      case GIGSTA -> "GigSta";
      case OPERATOR -> "operator";
      case SYSTEM -> "system";
    };
  }

  // Ids come from the request; a long one is cut rather than repeated in full.
  private static String shortened(String id) {
    if (id == null) {
      return "with that id";
    }
    return id.length() <= 64 ? id : id.substring(0, 61) + "...";
  }
}
