package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded change of one booking: who did what, from which state to which, when and why. Immutable
 * and thread-safe.
 *
 * <p>The sequence numbers of a booking's entries run 1, 2, 3 … without gaps; the creation is entry 1 and
 * the latest entry's sequence is the booking's version. Serialized in snake_case with
 * {@code occurred_at} as an ISO-8601 UTC string, whether or not the mapper knows java.time; {@code amount}
 * and {@code fee} appear only for a change that moves money of a booking with a price.
 *
 * <p>A value with the accessors, {@code equals}, {@code hashCode} and {@code toString} of a record. Every
 * entry's parts are checked once, when they enter: by the public constructor, or, for the entry the engine
 * makes for a change, when the snapshot, the actor, the workflow's rule and the reason were made.
 */
@JsonPropertyOrder({"booking_id", "sequence", "action_name", "actor_role", "actor_id", "from_state",
    "to_state", "occurred_at", "note", "reason", "amount", "fee"})
public final class AuditEntry {

  private final String bookingId;
  private final long sequence;
  private final String actionName;
  private final Role actorRole;
  private final String actorId;
  private final String customerId;
  private final String gigstaId;
  private final BookingState fromState;
  private final BookingState toState;
  private final Instant occurredAt;
  private final String note;
  private final String reason;
  private final Instant scheduledStart;
  private final Money price;
  private final Money amount;
  private final Money fee;
  private final WorkflowVersion workflowVersion;

  /**
   * Makes an entry of a booking without a price, for a change that moves no money; see
   * {@link #AuditEntry(String, long, String, Role, String, String, String, BookingState, BookingState,
   * Instant, String, String, Instant, Money, Money, Money)}.
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
  public AuditEntry(String bookingId, long sequence, String actionName, Role actorRole, String actorId,
      String customerId, String gigstaId, BookingState fromState, BookingState toState, Instant occurredAt,
      String note, String reason, Instant scheduledStart) {
    this(bookingId, sequence, actionName, actorRole, actorId, customerId, gigstaId, fromState, toState,
        occurredAt, note, reason, scheduledStart, null, null, null);
  }

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
   * @param price the booking's price, given at its creation and repeated on every entry, or {@code null}
   * @param amount the money this change moves (secured, captured, released, refunded or paid out), or
   *     {@code null}
   * @param fee what the customer does not get back of a refund, or {@code null}
   * @throws NullPointerException if a required part is null
   * @throws InvalidBookingInputException if an id, name or text breaks the content rules, the sequence is
   *     below 1, {@code fromState} is not null exactly for sequence 1, the price is zero, or an amount or
   *     fee is given without a price, in another currency, or above the price
   */
  public AuditEntry(String bookingId, long sequence, String actionName, Role actorRole, String actorId,
      String customerId, String gigstaId, BookingState fromState, BookingState toState, Instant occurredAt,
      String note, String reason, Instant scheduledStart, Money price, Money amount, Money fee) {
    this(bookingId, sequence, actionName, actorRole, actorId, customerId, gigstaId, fromState, toState,
        occurredAt, note, reason, scheduledStart, price, amount, fee, null);
  }

  /**
   * Checks that every required part is present and well-formed, as
   * {@link #AuditEntry(String, long, String, Role, String, String, String, BookingState, BookingState,
   * Instant, String, String, Instant, Money, Money, Money)} does, and records the workflow version the
   * booking is pinned to.
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
   * @param price the booking's price, or {@code null}
   * @param amount the money this change moves, or {@code null}
   * @param fee what the customer does not get back of a refund, or {@code null}
   * @param workflowVersion the workflow version the booking is pinned to after this change, or
   *     {@code null} for an entry recorded before bookings were pinned (engines read it as version 1 of
   *     their workflow)
   * @throws NullPointerException if a required part is null
   * @throws InvalidBookingInputException as the constructor without a workflow version
   */
  public AuditEntry(String bookingId, long sequence, String actionName, Role actorRole, String actorId,
      String customerId, String gigstaId, BookingState fromState, BookingState toState, Instant occurredAt,
      String note, String reason, Instant scheduledStart, Money price, Money amount, Money fee,
      WorkflowVersion workflowVersion) {
    this.bookingId = Inputs.id(bookingId, "booking id");
    if (sequence < 1) {
      throw new InvalidBookingInputException("sequence", "sequence must be at least 1 but was " + sequence);
    }
    this.sequence = sequence;
    this.actionName = Inputs.actionName(actionName);
    this.actorRole = requireNonNull(actorRole, "actor role");
    this.actorId = Inputs.id(actorId, "actor id");
    this.customerId = Inputs.id(customerId, "customer id");
    this.gigstaId = Inputs.id(gigstaId, "gigsta id");
    if ((fromState == null) != (sequence == 1)) {
      throw new InvalidBookingInputException("fromState",
          "fromState must be null exactly for the creation entry (sequence 1) but sequence was "
              + sequence + " and fromState " + fromState);
    }
    this.fromState = fromState;
    this.toState = requireNonNull(toState, "toState");
    this.occurredAt = requireNonNull(occurredAt, "occurredAt");
    this.note = Inputs.text(note, "note");
    this.reason = reason == null ? null : Inputs.text(reason, "reason");
    this.scheduledStart = scheduledStart;
    this.price = price == null ? null : Inputs.price(price);
    this.amount = Inputs.partOfPrice(amount, price, "amount");
    this.fee = Inputs.partOfPrice(fee, price, "fee");
    this.workflowVersion = workflowVersion;
  }

  /*
   * The entry of a change the workflow decided: every part was checked when it entered (the snapshot and
   * the actor by their constructors, the rule by Workflow.build(), the reason by the engine), so nothing
   * is checked again. A class rather than a record for this constructor alone: a profile of the in-memory
   * path at 1M bookings found checking each change's ids a second time the largest cost the floor does
   * not pay.
   */
  AuditEntry(Booking before, Actor actor, WorkflowRule rule, BookingState toState, Instant occurredAt,
      String reason, PaymentTerms payment) {
    this.bookingId = before.id();
    this.sequence = before.version() + 1;
    this.actionName = rule.actionName();
    this.actorRole = actor.role();
    this.actorId = actor.id();
    this.customerId = before.customerId();
    this.gigstaId = before.gigstaId();
    this.fromState = before.state();
    this.toState = toState;
    this.occurredAt = occurredAt;
    this.note = rule.action().note();
    this.reason = reason;
    this.scheduledStart = before.scheduledStart();
    this.price = before.price();
    this.amount = payment.amount();
    this.fee = payment.fee();
    this.workflowVersion = before.workflowVersion();
  }

  /**
   * Returns the booking changed.
   *
   * @return the booking's id
   */
  @JsonProperty("booking_id")
  public String bookingId() {
    return bookingId;
  }

  /**
   * Returns this entry's position in the booking's history.
   *
   * @return the position, from 1
   */
  @JsonProperty("sequence")
  public long sequence() {
    return sequence;
  }

  /**
   * Returns the action taken.
   *
   * @return the action's name
   */
  @JsonProperty("action_name")
  public String actionName() {
    return actionName;
  }

  /**
   * Returns the role of whoever took it.
   *
   * @return the role
   */
  @JsonProperty("actor_role")
  public Role actorRole() {
    return actorRole;
  }

  /**
   * Returns the id of whoever took it.
   *
   * @return the actor's id
   */
  @JsonProperty("actor_id")
  public String actorId() {
    return actorId;
  }

  /**
   * Returns the booking's customer, repeated on every entry so one entry restores the booking.
   *
   * @return the customer's id
   */
  @JsonIgnore
  public String customerId() {
    return customerId;
  }

  /**
   * Returns the booking's GigSta, repeated likewise.
   *
   * @return the GigSta's id
   */
  @JsonIgnore
  public String gigstaId() {
    return gigstaId;
  }

  /**
   * Returns the state before.
   *
   * @return the state before, or {@code null} for the creation entry
   */
  @JsonProperty("from_state")
  public BookingState fromState() {
    return fromState;
  }

  /**
   * Returns the state after.
   *
   * @return the state after
   */
  @JsonProperty("to_state")
  public BookingState toState() {
    return toState;
  }

  /**
   * Returns when it was recorded, from the engine's clock.
   *
   * @return when it was recorded
   */
  @JsonIgnore
  public Instant occurredAt() {
    return occurredAt;
  }

  /**
   * Returns the action's note from the workflow.
   *
   * @return the note
   */
  @JsonProperty("note")
  public String note() {
    return note;
  }

  /**
   * Returns the free text the person gave.
   *
   * @return the reason, or {@code null}
   */
  @JsonProperty("reason")
  public String reason() {
    return reason;
  }

  /**
   * Returns when the service is due to start; repeated like the parties.
   *
   * @return the scheduled start, or {@code null}
   */
  @JsonIgnore
  public Instant scheduledStart() {
    return scheduledStart;
  }

  /**
   * Returns the booking's price, given when it was requested; repeated like the parties.
   *
   * @return the price, or {@code null} for a booking without one
   */
  @JsonIgnore
  public Money price() {
    return price;
  }

  /**
   * Returns the money this change moves: secured or charged, captured, released, refunded or paid out,
   * as the rule's payment moment says.
   *
   * @return the amount, or {@code null} when the change moves no money or the booking has no price
   */
  @JsonProperty("amount")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Money amount() {
    return amount;
  }

  /**
   * Returns what the customer does not get back of a refund, as the rule's refund policy says for the
   * time of the change.
   *
   * @return the fee, or {@code null} when the change refunds nothing or the booking has no price
   */
  @JsonProperty("fee")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Money fee() {
    return fee;
  }

  /**
   * Returns the workflow version the booking is pinned to after this change: the version it was created
   * under, or the one a migration moved it to. Repeated like the parties; not part of the JSON.
   *
   * @return the version, or {@code null} for an entry recorded before bookings were pinned, which engines
   *     read as version 1 of their workflow
   */
  @JsonIgnore
  public WorkflowVersion workflowVersion() {
    return workflowVersion;
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

  @Override
  public boolean equals(Object other) {
    return other instanceof AuditEntry that && bookingId.equals(that.bookingId) && sequence == that.sequence
        && actionName.equals(that.actionName) && actorRole == that.actorRole && actorId.equals(that.actorId)
        && customerId.equals(that.customerId) && gigstaId.equals(that.gigstaId)
        && Objects.equals(fromState, that.fromState) && toState.equals(that.toState)
        && occurredAt.equals(that.occurredAt) && note.equals(that.note) && Objects.equals(reason, that.reason)
        && Objects.equals(scheduledStart, that.scheduledStart) && Objects.equals(price, that.price)
        && Objects.equals(amount, that.amount) && Objects.equals(fee, that.fee)
        && Objects.equals(workflowVersion, that.workflowVersion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bookingId, sequence, actionName, actorRole, actorId, customerId, gigstaId, fromState,
        toState, occurredAt, note, reason, scheduledStart, price, amount, fee, workflowVersion);
  }

  @Override
  public String toString() {
    return "AuditEntry[bookingId=" + bookingId + ", sequence=" + sequence + ", actionName=" + actionName
        + ", actorRole=" + actorRole + ", actorId=" + actorId + ", customerId=" + customerId + ", gigstaId="
        + gigstaId + ", fromState=" + fromState + ", toState=" + toState + ", occurredAt=" + occurredAt
        + ", note=" + note + ", reason=" + reason + ", scheduledStart=" + scheduledStart + ", price=" + price
        + ", amount=" + amount + ", fee=" + fee + ", workflowVersion=" + workflowVersion + "]";
  }
}
