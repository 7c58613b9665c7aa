package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one booking at one version, as read from its audit trail. Immutable and thread-safe.
 *
 * <p>Snapshots come from {@link BookingEngine#load(String)} and from every {@link BookingChange}. The
 * engine only writes a change on top of the version the snapshot names, so a snapshot that is stale, or
 * made up by hand, is refused with {@link BookingChangedConcurrentlyException} rather than trusted.
 *
 * <p>A value with the accessors, {@code equals}, {@code hashCode} and {@code toString} of a record. Every
 * snapshot's ids are checked once, when they enter: by the public constructor, or, for the snapshot after a
 * change, when the change's entry was made.
 */
@JsonPropertyOrder({"id", "customer_id", "gigsta_id", "state", "version", "scheduled_start", "price",
    "updated_at"})
public final class Booking {

  private final String id;
  private final String customerId;
  private final String gigstaId;
  private final BookingState state;
  private final long version;
  private final Instant scheduledStart;
  private final Money price;
  private final Instant updatedAt;
  private final WorkflowVersion workflowVersion;

  /**
   * Makes the snapshot of a booking without a price; see
   * {@link #Booking(String, String, String, BookingState, long, Instant, Money, Instant)}.
   *
   * @param id the booking's id
   * @param customerId the customer's id
   * @param gigstaId the GigSta's id
   * @param state the state at this version
   * @param version the sequence of the entry that produced this snapshot, from 1
   * @param scheduledStart when the service is due to start, or {@code null}
   * @param updatedAt when that entry was recorded
   * @throws NullPointerException if a part other than {@code scheduledStart} is null
   * @throws InvalidBookingInputException if an id breaks the content rules or the version is below 1
   */
  public Booking(String id, String customerId, String gigstaId, BookingState state, long version,
      Instant scheduledStart, Instant updatedAt) {
    this(id, customerId, gigstaId, state, version, scheduledStart, null, updatedAt);
  }

  /**
   * Checks that every part is present and well-formed.
   *
   * @param id the booking's id
   * @param customerId the customer's id
   * @param gigstaId the GigSta's id
   * @param state the state at this version
   * @param version the sequence of the entry that produced this snapshot, from 1
   * @param scheduledStart when the service is due to start, or {@code null}
   * @param price what the booking costs, or {@code null} for a booking without a price
   * @param updatedAt when that entry was recorded
   * @throws NullPointerException if a part other than {@code scheduledStart} and {@code price} is null
   * @throws InvalidBookingInputException if an id breaks the content rules, the version is below 1 or the
   *     price is zero
   */
  public Booking(String id, String customerId, String gigstaId, BookingState state, long version,
      Instant scheduledStart, Money price, Instant updatedAt) {
    this(id, customerId, gigstaId, state, version, scheduledStart, price, updatedAt, null);
  }

  /**
   * Checks that every part is present and well-formed, as
   * {@link #Booking(String, String, String, BookingState, long, Instant, Money, Instant)} does.
   *
   * @param id the booking's id
   * @param customerId the customer's id
   * @param gigstaId the GigSta's id
   * @param state the state at this version
   * @param version the sequence of the entry that produced this snapshot, from 1
   * @param scheduledStart when the service is due to start, or {@code null}
   * @param price what the booking costs, or {@code null} for a booking without a price
   * @param updatedAt when that entry was recorded
   * @param workflowVersion the workflow version the booking is pinned to, or {@code null} for a booking
   *     recorded before bookings were pinned
   * @throws NullPointerException if a part other than {@code scheduledStart}, {@code price} and
   *     {@code workflowVersion} is null
   * @throws InvalidBookingInputException if an id breaks the content rules, the version is below 1 or the
   *     price is zero
   */
  public Booking(String id, String customerId, String gigstaId, BookingState state, long version,
      Instant scheduledStart, Money price, Instant updatedAt, WorkflowVersion workflowVersion) {
    this.id = Inputs.id(id, "booking id");
    this.customerId = Inputs.id(customerId, "customer id");
    this.gigstaId = Inputs.id(gigstaId, "gigsta id");
    this.state = requireNonNull(state, "state");
    if (version < 1) {
      throw new InvalidBookingInputException("version", "version must be at least 1 but was " + version);
    }
    this.version = version;
    this.scheduledStart = scheduledStart;
    this.price = price == null ? null : Inputs.price(price);
    this.updatedAt = requireNonNull(updatedAt, "updatedAt");
    this.workflowVersion = workflowVersion;
  }

  // Every entry checked its parts when it was made, so the snapshot it leaves behind needs no checks. A
  // class rather than a record for this constructor alone: a profile of the in-memory path at 1M bookings
  // found checking each change's ids a second time the largest cost the floor does not pay.
  private Booking(AuditEntry entry) {
    this.id = entry.bookingId();
    this.customerId = entry.customerId();
    this.gigstaId = entry.gigstaId();
    this.state = entry.toState();
    this.version = entry.sequence();
    this.scheduledStart = entry.scheduledStart();
    this.price = entry.price();
    this.updatedAt = entry.occurredAt();
    this.workflowVersion = entry.workflowVersion();
  }

  /**
   * Returns the booking's opaque id.
   *
   * @return the id
   */
  @JsonProperty("id")
  public String id() {
    return id;
  }

  /**
   * Returns the id of the customer who requested it.
   *
   * @return the customer's id
   */
  @JsonProperty("customer_id")
  public String customerId() {
    return customerId;
  }

  /**
   * Returns the id of the GigSta it was requested from.
   *
   * @return the GigSta's id
   */
  @JsonProperty("gigsta_id")
  public String gigstaId() {
    return gigstaId;
  }

  /**
   * Returns the state at this version.
   *
   * @return the state
   */
  @JsonProperty("state")
  public BookingState state() {
    return state;
  }

  /**
   * Returns the sequence number of the audit entry that produced this snapshot.
   *
   * @return the version, from 1
   */
  @JsonProperty("version")
  public long version() {
    return version;
  }

  /**
   * Returns when the service is due to start.
   *
   * @return the scheduled start, or {@code null} when not scheduled
   */
  @JsonIgnore
  public Instant scheduledStart() {
    return scheduledStart;
  }

  /**
   * Returns what the booking costs, as given when it was requested; absent from the JSON when there is
   * none.
   *
   * @return the price, or {@code null} for a booking without one
   */
  @JsonProperty("price")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Money price() {
    return price;
  }

  /**
   * Returns when the audit entry that produced this snapshot was recorded.
   *
   * @return when it was recorded
   */
  @JsonIgnore
  public Instant updatedAt() {
    return updatedAt;
  }

  /**
   * Returns the workflow version whose rules apply to this booking: the version it was created under,
   * until a migration moves it. Not part of the JSON.
   *
   * @return the version, or {@code null} for a booking recorded before bookings were pinned, which
   *     engines read as version 1 of their workflow
   */
  @JsonIgnore
  public WorkflowVersion workflowVersion() {
    return workflowVersion;
  }

  /**
   * Returns the snapshot that the given audit entry leaves behind.
   *
   * @param entry an audit entry of the booking
   * @return the booking in the entry's target state, at the entry's sequence as its version
   */
  public static Booking after(AuditEntry entry) {
    return new Booking(entry);
  }

  /**
   * Returns when the service is due to start, if it was scheduled.
   *
   * @return the scheduled start, or empty when not scheduled
   */
  public Optional<Instant> scheduledStartTime() {
    return Optional.ofNullable(scheduledStart);
  }

  /**
   * Returns true when the actor may act on this booking at all: its own customer or GigSta, or an operator
   * or the system, whose rights come from the workflow's rules for their role alone. This is the one
   * place the party rule is stated; listing and performing both ask it.
   *
   * @param actor who wants to act
   * @return false only for a customer or GigSta who is not this booking's
   */
  public boolean admits(Actor actor) {
    Role role = actor.role();
    return (role != Role.CUSTOMER && role != Role.GIGSTA) || isParty(actor);
  }

  /**
   * Returns true when the actor takes part in this booking as its customer or its GigSta.
   *
   * @param actor the actor to check
   * @return true for this booking's customer or GigSta; false for anyone else, operators and the system
   *     included
   */
  public boolean isParty(Actor actor) {
    return switch (actor.role()) {
      case CUSTOMER -> customerId.equals(actor.id());
      case GIGSTA -> gigstaId.equals(actor.id());
      default -> false;
    };
  }

  /**
   * Returns {@link #scheduledStart()} as an ISO-8601 UTC string, or {@code null}; this is its JSON form.
   *
   * @return when the service is due to start, or {@code null} when not scheduled
   */
  @JsonProperty("scheduled_start")
  public String scheduledStartIso() {
    return scheduledStart == null ? null : scheduledStart.toString();
  }

  /**
   * Returns {@link #updatedAt()} as an ISO-8601 UTC string; this is its JSON form.
   *
   * @return when the snapshot's entry was recorded
   */
  @JsonProperty("updated_at")
  public String updatedAtIso() {
    return updatedAt.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Booking that && id.equals(that.id) && customerId.equals(that.customerId)
        && gigstaId.equals(that.gigstaId) && state.equals(that.state) && version == that.version
        && Objects.equals(scheduledStart, that.scheduledStart) && Objects.equals(price, that.price)
        && updatedAt.equals(that.updatedAt) && Objects.equals(workflowVersion, that.workflowVersion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, customerId, gigstaId, state, version, scheduledStart, price, updatedAt,
        workflowVersion);
  }

  @Override
  public String toString() {
    return "Booking[id=" + id + ", customerId=" + customerId + ", gigstaId=" + gigstaId + ", state=" + state
        + ", version=" + version + ", scheduledStart=" + scheduledStart + ", price=" + price + ", updatedAt="
        + updatedAt + ", workflowVersion=" + workflowVersion + "]";
  }
}
