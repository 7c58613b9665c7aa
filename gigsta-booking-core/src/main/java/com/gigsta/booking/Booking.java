package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one booking at one version, as read from its audit trail. Immutable and thread-safe.
 *
 * <p>Snapshots come from {@link BookingEngine#load(String)} and from every {@link BookingChange}. The
 * engine only writes a change on top of the version the snapshot names, so a snapshot that is stale, or
 * made up by hand, is refused with {@link BookingChangedConcurrentlyException} rather than trusted.
 *
 * @param id the booking's opaque id
 * @param customerId the id of the customer who requested it
 * @param gigstaId the id of the GigSta it was requested from
 * @param state the state at this version
 * @param version the sequence number of the audit entry that produced this snapshot, from 1
 * @param scheduledStart when the service is due to start, or {@code null} when not scheduled
 * @param updatedAt when the audit entry that produced this snapshot was recorded
 */
@JsonPropertyOrder({"id", "customer_id", "gigsta_id", "state", "version", "scheduled_start", "updated_at"})
public record Booking(
    @JsonProperty("id") String id,
    @JsonProperty("customer_id") String customerId,
    @JsonProperty("gigsta_id") String gigstaId,
    @JsonProperty("state") BookingState state,
    @JsonProperty("version") long version,
    @JsonIgnore Instant scheduledStart,
    @JsonIgnore Instant updatedAt) {

  /**
   * Checks that every part is present and well-formed.
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
  public Booking {
    Inputs.id(id, "booking id");
    Inputs.id(customerId, "customer id");
    Inputs.id(gigstaId, "gigsta id");
    requireNonNull(state, "state");
    if (version < 1) {
      throw new InvalidBookingInputException("version", "version must be at least 1 but was " + version);
    }
    requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Returns the snapshot that the given audit entry leaves behind.
   *
   * @param entry an audit entry of the booking
   * @return the booking in the entry's target state, at the entry's sequence as its version
   */
  public static Booking after(AuditEntry entry) {
    return new Booking(entry.bookingId(), entry.customerId(), entry.gigstaId(), entry.toState(),
        entry.sequence(), entry.scheduledStart(), entry.occurredAt());
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
}
