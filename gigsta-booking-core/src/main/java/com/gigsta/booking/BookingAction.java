package com.gigsta.booking;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.gigsta.booking.internal.Checks;

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

  /** Checks that the name and note are present and that a label, if given, is not blank. */
  public BookingAction {
    Checks.actionName(actionName);
    if (buttonLabel != null) {
      Checks.text(buttonLabel, "button label", Checks.MAX_LABEL_LENGTH);
    }
    Checks.text(note, "note", Checks.MAX_DEFINED_TEXT_LENGTH);
  }
}
