package com.gigsta.booking.internal;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.PaymentFailedException;
import com.gigsta.booking.WorkflowRule;

/**
 * One change in flight: the rule being applied, the entry to record and what happened to it. Confined
 * to the thread performing the change; not thread-safe.
 */
public final class Attempt {

  private final Booking before;
  private final WorkflowRule rule;
  private final AuditEntry entry;
  private boolean recorded;
  private PaymentFailedException settlementFailure;

  /**
   * Creates an attempt.
   *
   * @param before the booking acted on, or {@code null} for a creation
   * @param rule the rule applied
   * @param entry the entry to record
   */
  public Attempt(Booking before, WorkflowRule rule, AuditEntry entry) {
    this.before = before;
    this.rule = rule;
    this.entry = entry;
  }

  /** Returns the booking acted on, or {@code null} for a creation. */
  public Booking before() {
    return before;
  }

  /** Returns the rule applied. */
  public WorkflowRule rule() {
    return rule;
  }

  /** Returns the entry to record. */
  public AuditEntry entry() {
    return entry;
  }

  /** Returns true once the audit trail has stored the entry. */
  public boolean isRecorded() {
    return recorded;
  }

  void markRecorded() {
    recorded = true;
  }

  /** Returns the failure of the payment settlement after recording, or {@code null}. */
  public PaymentFailedException settlementFailure() {
    return settlementFailure;
  }

  /** Notes that settlement after recording failed. */
  public void settlementFailed(PaymentFailedException failure) {
    settlementFailure = failure;
  }

  @Override
  public String toString() {
    return "'" + rule.actionName() + "' by " + entry.actor() + " on booking '" + entry.bookingId() + "' at sequence "
        + entry.sequence();
  }
}
