package com.gigsta.booking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One action a person may take on a booking now, with what the UI needs to render it. Immutable and
 * thread-safe.
 *
 * <p>Serialized by any Jackson {@code ObjectMapper} as
 * {@code {"action_name":"accept_booking","button_label":"Accept booking","note":"Booking accepted by GigSta","is_critical":false}}.
 * For a booking with a price, an action that moves money also says what it will move, as extra fields
 * after the four, present only when there is something to say: {@code charge} (what securing, charging
 * or capturing takes from the customer), {@code refund} and {@code fee} (what a refund gives back and
 * what it keeps, as the rule's {@link RefundPolicy} says for now; always both, a fee of zero when
 * everything comes back), {@code payout} (what the GigSta is
 * paid). Each is {@code {"amount_minor":4000,"currency":"EUR"}}. The engine computes them with the same
 * clock, and the same code, as performing the action records in its audit entry.
 *
 * @param actionName the stable internal name, e.g. {@code accept_booking}
 * @param buttonLabel the label shown to the person, or {@code null} for actions only {@link Role#SYSTEM} takes
 * @param note the text written to the audit trail when the action is taken
 * @param isCritical true for destructive actions the UI must confirm before performing
 * @param charge what the customer is charged (or held) by the action, or {@code null}
 * @param refund what the customer gets back, or {@code null}
 * @param fee what a refund keeps back, or {@code null}
 * @param payout what the GigSta is paid, or {@code null}
 */
@JsonPropertyOrder({"action_name", "button_label", "note", "is_critical", "charge", "refund", "fee", "payout"})
public record BookingAction(
    @JsonProperty("action_name") String actionName,
    @JsonProperty("button_label") String buttonLabel,
    @JsonProperty("note") String note,
    @JsonProperty("is_critical") boolean isCritical,
    @JsonProperty("charge") @JsonInclude(JsonInclude.Include.NON_NULL) Money charge,
    @JsonProperty("refund") @JsonInclude(JsonInclude.Include.NON_NULL) Money refund,
    @JsonProperty("fee") @JsonInclude(JsonInclude.Include.NON_NULL) Money fee,
    @JsonProperty("payout") @JsonInclude(JsonInclude.Include.NON_NULL) Money payout) {

  /**
   * Makes an action without payment figures, as the workflow declares it.
   *
   * @param actionName the action's name
   * @param buttonLabel the label shown to people, or {@code null}
   * @param note the audit note
   * @param isCritical whether the UI must confirm the action
   * @throws NullPointerException if the name or note is null
   * @throws InvalidBookingInputException if the name, label or note breaks the content rules
   */
  public BookingAction(String actionName, String buttonLabel, String note, boolean isCritical) {
    this(actionName, buttonLabel, note, isCritical, null, null, null, null);
  }

  /**
   * Checks that the name and note are present and well-formed, and that a label, if given, is a text of
   * at most 200 characters.
   *
   * @param actionName the action's name
   * @param buttonLabel the label shown to people, or {@code null}
   * @param note the audit note
   * @param isCritical whether the UI must confirm the action
   * @param charge what the customer is charged, or {@code null}
   * @param refund what the customer gets back, or {@code null}
   * @param fee what a refund keeps back, or {@code null}
   * @param payout what the GigSta is paid, or {@code null}
   * @throws NullPointerException if the name or note is null
   * @throws InvalidBookingInputException if the name, label or note breaks the content rules
   */
  public BookingAction {
    Inputs.actionName(actionName);
    if (buttonLabel != null) {
      Inputs.text(buttonLabel, "button label");
      if (buttonLabel.length() > Inputs.MAX_LABEL_LENGTH) {
        throw new InvalidBookingInputException("button label", String.format(
            "button label must be at most %d characters but was %d", Inputs.MAX_LABEL_LENGTH, buttonLabel.length()));
      }
    }
    Inputs.text(note, "note");
  }

  /**
   * Returns this action with the figures of the given moment and terms, or this action itself when
   * there are none.
   */
  BookingAction withTerms(PaymentMoment moment, PaymentTerms terms) {
    if (terms.amount() == null) {
      return this;
    }
    return switch (moment) {
      case SECURE, CHARGE, CAPTURE -> new BookingAction(actionName, buttonLabel, note, isCritical, terms.amount(),
          null, null, null);
      case REFUND -> new BookingAction(actionName, buttonLabel, note, isCritical, null, terms.amount(), terms.fee(),
          null);
      case PAYOUT -> new BookingAction(actionName, buttonLabel, note, isCritical, null, null, null, terms.amount());
      case NONE, RELEASE -> this;
    };
  }
}
