package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Who is acting: a role and the opaque id the host knows that person or process by. Immutable and
 * thread-safe.
 *
 * <p>Take the actor from the authenticated principal, never from request parameters: the engine trusts
 * the id to decide whether the actor is a party of the booking.
 *
 * @param role the part played
 * @param id the host's id of the person or process; not blank, no control characters
 */
@JsonPropertyOrder({"role", "id"})
public record Actor(@JsonProperty("role") Role role, @JsonProperty("id") String id) {

  /** The id used by {@link #system()}. */
  public static final String SYSTEM_ID = "system";

  private static final Actor SYSTEM = new Actor(Role.SYSTEM, SYSTEM_ID);

  /**
   * Checks that both parts are present and that the id is a usable identifier.
   *
   * @param role the part played
   * @param id the host's id of the person or process
   * @throws NullPointerException if the role or id is null
   * @throws InvalidBookingInputException if the id is blank, has control characters or white space at
   *     either end, or is not well-formed UTF-16
   */
  public Actor {
    requireNonNull(role, "actor role");
    Inputs.id(id, "actor id");
  }

  /**
   * Returns the customer with the given id.
   *
   * @param id the customer's id
   * @return a {@link Role#CUSTOMER} actor with that id
   */
  public static Actor customer(String id) {
    return new Actor(Role.CUSTOMER, id);
  }

  /**
   * Returns the GigSta with the given id.
   *
   * @param id the GigSta's id
   * @return a {@link Role#GIGSTA} actor with that id
   */
  public static Actor gigsta(String id) {
    return new Actor(Role.GIGSTA, id);
  }

  /**
   * Returns the platform operator with the given id.
   *
   * @param id the operator's id
   * @return a {@link Role#OPERATOR} actor with that id
   */
  public static Actor operator(String id) {
    return new Actor(Role.OPERATOR, id);
  }

  /**
   * Returns the host's scheduled jobs acting as one actor.
   *
   * @return the {@link Role#SYSTEM} actor with id {@value #SYSTEM_ID}
   */
  public static Actor system() {
    return SYSTEM;
  }

  @Override
  public String toString() {
    return role + ":" + id;
  }
}
