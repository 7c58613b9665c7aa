package com.gigsta.booking;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One action a person may take on a booking now, with what the UI needs to render it. Immutable and
 * thread-safe.
 *
 * <p>Serialized by any Jackson {@code ObjectMapper} as
 * {@code {"action_name":"accept_booking","button_label":"Accept booking","note":"Booking accepted by GigSta","is_critical":false}}.
 *
 * @param actionName the stable internal name, e.g. {@code accept_booking}
 * @param buttonLabel the label shown to the person, or {@code null} for actions only {@link Role#SYSTEM} takes
 * @param note the text written to the audit trail when the action is taken
 * @param isCritical true for destructive actions the UI must confirm before performing
 */
@JsonPropertyOrder({"action_name", "button_label", "note", "is_critical"})
public record BookingAction(
    @JsonProperty("action_name") String actionName,
    @JsonProperty("button_label") String buttonLabel,
    @JsonProperty("note") String note,
    @JsonProperty("is_critical") boolean isCritical) {

  /**
   * Checks that the name and note are present and well-formed, and that a label, if given, is a text of
   * at most 200 characters.
   *
   * @param actionName the action's name
   * @param buttonLabel the label shown to people, or {@code null}
   * @param note the audit note
   * @param isCritical whether the UI must confirm the action
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
}
