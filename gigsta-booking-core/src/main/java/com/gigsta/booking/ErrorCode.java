package com.gigsta.booking;

/** A stable, machine-readable code for each kind of {@link BookingException}, e.g. for HTTP mapping. */
public enum ErrorCode {
  /** The action name is not part of the workflow. */
  UNKNOWN_ACTION,
  /** The action exists but cannot be taken from the booking's current state. */
  NOT_ALLOWED_IN_STATE,
  /** The action can be taken from this state, but not by the actor's role. */
  NOT_ALLOWED_FOR_ROLE,
  /** The actor is a customer or GigSta, but not this booking's. */
  NOT_A_PARTY,
  /** A guard on the workflow rule refused the action. */
  GUARD_REFUSED,
  /** Someone else changed the booking first, or the snapshot does not match what was recorded. */
  CONCURRENT_CHANGE,
  /** The payment provider refused or failed. */
  PAYMENT_FAILED,
  /** An argument is missing, too long or malformed. */
  INVALID_INPUT,
  /** No booking has that id. */
  BOOKING_NOT_FOUND,
  /** A workflow definition is inconsistent. */
  INVALID_WORKFLOW,
  /** The booking is pinned to a workflow version the engine was not given. */
  UNKNOWN_WORKFLOW_VERSION,
  /** The audit trail's storage failed. */
  STORAGE_FAILURE
}
