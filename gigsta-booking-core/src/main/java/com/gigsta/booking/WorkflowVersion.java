package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * One version of one workflow, by name and number: what a booking is pinned to from its creation until
 * it is migrated. Immutable and thread-safe.
 *
 * @param name the workflow's name, as given to {@link Workflow#builder(String)}
 * @param number the workflow's version, from 1
 */
public record WorkflowVersion(String name, int number) {

  /**
   * Checks the name's form and the number.
   *
   * @param name the workflow's name
   * @param number the workflow's version, from 1
   * @throws NullPointerException if the name is null
   * @throws IllegalArgumentException if the name is not a workflow name or the number is below 1
   */
  public WorkflowVersion {
    requireNonNull(name, "workflow name");
    requireArgument(Workflow.isName(name), "a workflow name is a-z, digits, '_' and '-', starting with a "
        + "letter, at most 64 characters, but was '%s'", name);
    requireArgument(number >= 1, "a workflow version is at least 1 but was %d", number);
  }

  /**
   * Returns the version with this name and number.
   *
   * @param name the workflow's name
   * @param number the version, from 1
   * @return the version
   * @throws NullPointerException if the name is null
   * @throws IllegalArgumentException if the name is not a workflow name or the number is below 1
   */
  public static WorkflowVersion of(String name, int number) {
    return new WorkflowVersion(name, number);
  }

  /**
   * Returns the name and number as written in messages and notes.
   *
   * @return e.g. {@code gigsta v2}
   */
  @Override
  public String toString() {
    return name + " v" + number;
  }
}
