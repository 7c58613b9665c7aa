package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One recorded change of one booking: who did what, from which state to which, when and why. Immutable
 * and thread-safe.
 *
 * <p>The sequence numbers of a booking's entries run 1, 2, 3 … without gaps; the creation is entry 1 and
 * the latest entry's sequence is the booking's version. Serialized in snake_case with
 * {@code occurred_at} as an ISO-8601 UTC string, whether or not the mapper knows java.time.
 *
 * @param bookingId the booking changed
 * @param sequence this entry's position in the booking's history, from 1
 * @param actionName the action taken
 * @param actorRole the role of whoever took it
 * @param actorId the id of whoever took it
 * @param customerId the booking's customer, repeated on every entry so one entry restores the booking
 * @param gigstaId the booking's GigSta, repeated likewise
 * @param fromState the state before, or {@code null} for the creation entry
 * @param toState the state after
 * @param occurredAt when it was recorded, from the engine's clock, at microsecond precision
 * @param note the action's note from the workflow
 * @param reason the free text the person gave, or {@code null}
 * @param scheduledStart when the service is due to start, or {@code null}; repeated likewise
 */
@JsonPropertyOrder({"booking_id", "sequence", "action_name", "actor_role", "actor_id", "from_state",
    "to_state", "occurred_at", "note", "reason"})
public record AuditEntry(
    @JsonProperty("booking_id") String bookingId,
    @JsonProperty("sequence") long sequence,
    @JsonProperty("action_name") String actionName,
    @JsonProperty("actor_role") Role actorRole,
    @JsonProperty("actor_id") String actorId,
    @JsonIgnore String customerId,
    @JsonIgnore String gigstaId,
    @JsonProperty("from_state") BookingState fromState,
    @JsonProperty("to_state") BookingState toState,
    @JsonIgnore Instant occurredAt,
    @JsonProperty("note") String note,
    @JsonProperty("reason") String reason,
    @JsonIgnore Instant scheduledStart) {

  /**
   * Checks that every required part is present and well-formed; lengths, time precision and range are
   * what each {@link com.gigsta.booking.spi.AuditTrail} declares in its {@link BookingLimits}.
   *
   * @param bookingId the booking changed
   * @param sequence the entry's position in the booking's history, from 1
   * @param actionName the action taken
   * @param actorRole the role of whoever took it
   * @param actorId the id of whoever took it
   * @param customerId the booking's customer
   * @param gigstaId the booking's GigSta
   * @param fromState the state before, or {@code null} for the creation entry
   * @param toState the state after
   * @param occurredAt when it was recorded
   * @param note the action's note from the workflow
   * @param reason the free text the person gave, or {@code null}
   * @param scheduledStart when the service is due to start, or {@code null}
   * @throws NullPointerException if a required part is null
   * @throws InvalidBookingInputException if an id, name or text breaks the content rules, the sequence is
   *     below 1, or {@code fromState} is not null exactly for sequence 1
   */
  public AuditEntry {
    Inputs.id(bookingId, "booking id");
    if (sequence < 1) {
      throw new InvalidBookingInputException("sequence", "sequence must be at least 1 but was " + sequence);
    }
    Inputs.actionName(actionName);
    requireNonNull(actorRole, "actor role");
    Inputs.id(actorId, "actor id");
    Inputs.id(customerId, "customer id");
    Inputs.id(gigstaId, "gigsta id");
    if ((fromState == null) != (sequence == 1)) {
      throw new InvalidBookingInputException("fromState",
          "fromState must be null exactly for the creation entry (sequence 1) but sequence was "
              + sequence + " and fromState " + fromState);
    }
    requireNonNull(toState, "toState");
    requireNonNull(occurredAt, "occurredAt");
    Inputs.text(note, "note");
    if (reason != null) {
      Inputs.text(reason, "reason");
    }
  }

  /**
   * Returns the actor who took the action.
   *
   * @return an actor with {@link #actorRole()} and {@link #actorId()}
   */
  public Actor actor() {
    return new Actor(actorRole, actorId);
  }

  /**
   * Returns {@link #occurredAt()} as an ISO-8601 UTC string; this is its JSON form.
   *
   * @return when it was recorded, e.g. {@code 2025-03-01T09:30:00.123456Z}
   */
  @JsonProperty("occurred_at")
  public String occurredAtIso() {
    return occurredAt.toString();
  }
}
