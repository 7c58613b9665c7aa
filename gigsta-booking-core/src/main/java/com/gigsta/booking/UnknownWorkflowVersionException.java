package com.gigsta.booking;

import java.util.Collection;

/**
 * Thrown when a booking is pinned to a workflow version the engine was not built with. The engine never
 * guesses which rules apply: build it with that version too
 * ({@link BookingEngine.Builder#withEarlierVersions(Workflow...)}), or migrate the booking with an engine
 * that has it. {@link BookingEngine#missingWorkflowVersions()} lists such versions at start-up.
 */
public class UnknownWorkflowVersionException extends BookingException {

  private static final long serialVersionUID = 1L;

  private final WorkflowVersion missingVersion;

  /**
   * Creates the exception; the message names the missing version and those the engine has.
   *
   * @param booking the booking pinned to the missing version
   * @param actionName the action attempted, or {@code null} for a listing
   * @param actor who acted or asked, or {@code null} for a worker
   * @param missingVersion the version the booking is pinned to
   * @param hosted the versions the engine has
   */
  public UnknownWorkflowVersionException(Booking booking, String actionName, Actor actor,
      WorkflowVersion missingVersion, Collection<WorkflowVersion> hosted) {
    super(ErrorCode.UNKNOWN_WORKFLOW_VERSION,
        "booking '" + booking.id() + "' in state " + booking.state() + " is pinned to workflow " + missingVersion
            + ", which this engine was not given (it has " + hosted + "); build the engine with that version "
            + "or migrate the booking, nothing was done",
        booking.id(), booking.state(), actionName, actor, null);
    this.missingVersion = missingVersion;
  }

  /**
   * Returns the version the booking is pinned to, which the engine does not have.
   *
   * @return the missing version
   */
  public WorkflowVersion missingVersion() {
    return missingVersion;
  }
}
