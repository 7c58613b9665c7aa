package com.gigsta.booking;

/** The part a person or process plays on a booking; the workflow says which role may take which action. */
public enum Role {
  /** The person who requested the booking. */
  CUSTOMER,
  /** The provider the booking was requested from. */
  GIGSTA,
  /** Platform support staff; acts only where the workflow names this role. */
  OPERATOR,
  /** Scheduled jobs of the host service, such as expiring unanswered requests. */
  SYSTEM
}
