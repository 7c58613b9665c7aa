package com.gigsta.booking;

/** Thrown by {@link Workflow.Builder#build()} when a workflow definition is inconsistent. */
public class InvalidWorkflowException extends BookingException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the message names the workflow and every problem found.
   *
   * @param message the problems found, naming the workflow
   */
  public InvalidWorkflowException(String message) {
    super(ErrorCode.INVALID_WORKFLOW, message, null, null, null, null, null);
  }
}
