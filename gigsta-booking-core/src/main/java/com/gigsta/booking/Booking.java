package com.gigsta.booking;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.gigsta.booking.internal.Checks;
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

  /** Checks that every part is present and well-formed. */
  public Booking {
    Checks.identifier(id, "booking id");
    Checks.identifier(customerId, "customer id");
    Checks.identifier(gigstaId, "gigsta id");
    Checks.notNull(state, "state");
    Checks.positive(version, "version");
    Checks.notNull(updatedAt, "updatedAt");
  }

  /** Returns the snapshot that the given audit entry leaves behind. */
  public static Booking after(AuditEntry entry) {
    return new Booking(entry.bookingId(), entry.customerId(), entry.gigstaId(), entry.toState(),
        entry.sequence(), entry.scheduledStart(), entry.occurredAt());
  }

  /** Returns when the service is due to start, if it was scheduled. */
  public Optional<Instant> scheduledStartTime() {
    return Optional.ofNullable(scheduledStart);
  }

  /**
   * Returns true when the actor may act on this booking at all: its own customer or GigSta, or an operator
   * or the system, whose rights come from the workflow's rules for their role alone. This is the one
   * place the party rule is stated; listing and performing both ask it.
   */
  public boolean admits(Actor actor) {
    Role role = actor.role();
    return (role != Role.CUSTOMER && role != Role.GIGSTA) || isParty(actor);
  }

  /** Returns true when the actor takes part in this booking as its customer or its GigSta. */
  public boolean isParty(Actor actor) {
    switch (actor.role()) {
      case CUSTOMER:
        return customerId.equals(actor.id());
      case GIGSTA:
        return gigstaId.equals(actor.id());
      default:
        return false;
    }
  }

  /** Returns {@link #scheduledStart()} as an ISO-8601 UTC string, or {@code null}; this is its JSON form. */
  @JsonProperty("scheduled_start")
  public String scheduledStartIso() {
    return scheduledStart == null ? null : scheduledStart.toString();
  }

  /** Returns {@link #updatedAt()} as an ISO-8601 UTC string; this is its JSON form. */
  @JsonProperty("updated_at")
  public String updatedAtIso() {
    return updatedAt.toString();
  }
}
