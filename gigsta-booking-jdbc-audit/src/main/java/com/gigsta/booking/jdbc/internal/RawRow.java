package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.AuditEntryCorruptedException;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.Role;
import com.gigsta.booking.WorkflowVersion;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * One row of the audit table exactly as the database returned it: every column as a string, the
 * sequence as a number, times as UTC wall-clock values, nothing checked or converted. Immutable.
 *
 * <p>Rows are read in this form first so that a row edited by hand (an unknown role, an empty note, a
 * state name of the wrong form) can still be hashed by {@link RowHasher#hash(RawRow)} and reported by the
 * chain check; only {@link #toStoredRow()} asks whether the values still make an {@link AuditEntry}.
 * Any value may be {@code null}, whatever the schema says, since the schema may have been changed too.
 *
 * @param bookingId booking_id
 * @param sequence sequence
 * @param actionName action_name
 * @param actorRole actor_role
 * @param actorId actor_id
 * @param customerId customer_id
 * @param gigstaId gigsta_id
 * @param fromState from_state
 * @param toState to_state
 * @param occurredAt occurred_at, UTC
 * @param note note
 * @param reason reason
 * @param scheduledStart scheduled_start, UTC
 * @param priceMinor price_minor: the booking's price in minor units, {@code null} on a row without a price
 *     (every row written before the fourth schema script)
 * @param priceCurrency price_currency: the price's ISO 4217 code, also that of the amount and the fee
 * @param amountMinor amount_minor: the money the change moves, in minor units
 * @param feeMinor fee_minor: what a refund keeps back, in minor units
 * @param workflowName workflow_name: the name of the workflow the booking is pinned to, {@code null} on a
 *     row without a workflow version (every row written before the fifth schema script, and the later
 *     rows of its booking until a migration)
 * @param workflowVersion workflow_version: the number of the version the booking is pinned to
 * @param prevHash prev_hash
 * @param rowHash row_hash
 */
public record RawRow(String bookingId, long sequence, String actionName, String actorRole, String actorId,
    String customerId, String gigstaId, String fromState, String toState, LocalDateTime occurredAt, String note,
    String reason, LocalDateTime scheduledStart, Long priceMinor, String priceCurrency, Long amountMinor,
    Long feeMinor, String workflowName, Integer workflowVersion, String prevHash, String rowHash) {

  /**
   * Returns whether the row has a value in any of the fourth schema script's money columns.
   *
   * @return false for a row of a booking without a price, as every row written before that script is
   */
  public boolean hasMoney() {
    return priceMinor != null || priceCurrency != null || amountMinor != null || feeMinor != null;
  }

  /**
   * Returns whether the row has a value in either of the fifth schema script's workflow columns.
   *
   * @return false for a row of a booking recorded before bookings were pinned, as every row written
   *     before that script is
   */
  public boolean hasWorkflowVersion() {
    return workflowName != null || workflowVersion != null;
  }

  /**
   * Returns the row as an entry with its two hashes.
   *
   * <p>Besides the entry's own checks, times must be ones the table can hold (whole microseconds from
   * the year 1000 to 9999): no trail writes others, so any other time was put there by hand. A price
   * needs both its amount and an ISO 4217 code of a currency with minor units, and an amount or a fee
   * needs a price; amounts are read as stored, never rounded or converted. A workflow version needs both
   * its name, of a workflow name's form, and its number, from 1; a row with neither has none. Lengths are
   * not checked: another trail on the same table may have been configured with longer ones.
   *
   * @return the entry, with the row's stored previous hash and hash
   * @throws AuditEntryCorruptedException naming the booking and the stored sequence if the values do not
   *     make an entry; the failure that showed it is the cause
   */
  public StoredRow toStoredRow() {
    AuditEntry entry;
    try {
      entry = new AuditEntry(bookingId, sequence, actionName, role(actorRole), actorId, customerId,
          gigstaId, fromState == null ? null : BookingState.of(fromState), BookingState.of(toState),
          storedTime(occurredAt, "occurred_at"), note, reason, storedTime(scheduledStart, "scheduled_start"),
          price(), inPriceCurrency(amountMinor, "amount_minor"), inPriceCurrency(feeMinor, "fee_minor"),
          workflowVersion(workflowName, workflowVersion));
    } catch (RuntimeException e) {
      // Nothing above does anything but check and convert the stored values, so whatever it throws (the
      // entry's own refusals, an unknown role or state, a missing value) says the stored data is at fault,
      // never the caller.
      throw new AuditEntryCorruptedException(bookingId, sequence,
          "it cannot be read as an entry (" + e.getMessage() + "); verify(bookingId) reports which row "
              + "no longer matches its hash", e);
    }
    return new StoredRow(entry, prevHash, rowHash);
  }

  private Money price() {
    if (priceMinor == null && priceCurrency == null) {
      return null;
    }
    if (priceMinor == null || priceCurrency == null) {
      throw new IllegalArgumentException("price_minor is " + priceMinor + " and price_currency is "
          + (priceCurrency == null ? null : "'" + priceCurrency + "'") + ": a price needs both");
    }
    return Money.of(priceMinor, priceCurrency);
  }

  // The amount and the fee are in the price's currency; the entry checks they are at most the price.
  private Money inPriceCurrency(Long minor, String column) {
    if (minor == null) {
      return null;
    }
    if (priceCurrency == null) {
      throw new IllegalArgumentException(column + " is " + minor + " but the row has no price");
    }
    return Money.of(minor, priceCurrency);
  }

  /**
   * Returns the workflow version that stored workflow columns hold.
   *
   * @param name workflow_name as stored
   * @param number workflow_version as stored
   * @return the version, or {@code null} when both are null (a row recorded before bookings were pinned)
   * @throws IllegalArgumentException if only one of the two is null, the name is not a workflow name or
   *     the number is below 1: values no entry can have
   */
  public static WorkflowVersion workflowVersion(String name, Integer number) {
    if (name == null && number == null) {
      return null;
    }
    if (name == null || number == null) {
      throw new IllegalArgumentException("workflow_name is " + (name == null ? null : "'" + name + "'")
          + " and workflow_version is " + number + ": a workflow version needs both");
    }
    return new WorkflowVersion(name, number);
  }

  private static Role role(String name) {
    if (name == null) {
      throw new IllegalArgumentException("actor_role is null");
    }
    try {
      return Role.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("actor_role '" + name + "' is not one of " + Arrays.toString(Role.values()),
          e);
    }
  }

  private static Instant storedTime(LocalDateTime utc, String column) {
    if (utc == null) {
      return null;
    }
    Instant instant = utc.toInstant(ZoneOffset.UTC);
    AuditTable.STORABLE.checkTime(instant, column);
    return instant;
  }
}
