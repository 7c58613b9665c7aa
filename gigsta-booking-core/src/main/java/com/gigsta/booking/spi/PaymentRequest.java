package com.gigsta.booking.spi;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.PaymentMoment;
import java.util.Locale;
import java.util.Map;

/**
 * One call to the payment provider, with everything needed to make it idempotent. Immutable and
 * thread-safe.
 *
 * <p>The idempotency key is derived only from the booking id, the sequence of the change, the action and
 * the moment, so a retried call (after a timeout, a crash, or by a second service instance) carries the
 * same key and the provider never charges twice. The metadata uses Stripe's convention of flat string
 * pairs so it can be passed through as is.
 *
 * @param moment what to do: secure, release, refund or capture
 * @param bookingId the booking paid for
 * @param customerId who pays
 * @param gigstaId who is paid
 * @param actionName the action that triggers the call
 * @param sequence the sequence of the audit entry of that action
 * @param idempotencyKey {@code <booking id>:<sequence>:<action>:<moment>}
 * @param metadata {@code booking_id}, {@code action_name}, {@code sequence} and {@code payment_moment}
 */
public record PaymentRequest(PaymentMoment moment, String bookingId, String customerId, String gigstaId,
    String actionName, long sequence, String idempotencyKey, Map<String, String> metadata) {

  /**
   * Copies the metadata so the request stays immutable.
   *
   * @param moment what to do
   * @param bookingId the booking paid for
   * @param customerId who pays
   * @param gigstaId who is paid
   * @param actionName the action that triggers the call
   * @param sequence the sequence of that action's audit entry
   * @param idempotencyKey the key the provider deduplicates on
   * @param metadata flat string pairs passed to the provider; copied
   */
  public PaymentRequest {
    metadata = Map.copyOf(metadata);
  }

  /**
   * Returns the request for the given moment of the change the entry records.
   *
   * @param moment what to do
   * @param entry the audit entry of the change
   * @return the request, with its key and metadata derived from the entry and the moment
   */
  public static PaymentRequest of(PaymentMoment moment, AuditEntry entry) {
    return of(moment, entry.bookingId(), entry.customerId(), entry.gigstaId(), entry.actionName(),
        entry.sequence());
  }

  /**
   * Returns the request for another moment of the same change, with that moment's key and metadata; the
   * release of a payment secured for a change, say.
   *
   * @param other the moment
   * @return the request for {@code other}
   */
  public PaymentRequest withMoment(PaymentMoment other) {
    return of(other, bookingId, customerId, gigstaId, actionName, sequence);
  }

  /**
   * Returns the request for the given moment of the change named by its parts, as stored by a trail that
   * keeps holds; the key and metadata are derived as in {@link #of(PaymentMoment, AuditEntry)}.
   *
   * @param moment what to do
   * @param bookingId the booking paid for
   * @param customerId who pays
   * @param gigstaId who is paid
   * @param actionName the action of the change
   * @param sequence the change's sequence
   * @return the request
   */
  public static PaymentRequest of(PaymentMoment moment, String bookingId, String customerId, String gigstaId,
      String actionName, long sequence) {
    // Booking ids may contain ':', but the other parts cannot, so the key still reads back unambiguously
    // from the right.
    String momentName = moment.name().toLowerCase(Locale.ROOT);
    String sequenceText = Long.toString(sequence);
    String key = bookingId + ":" + sequenceText + ":" + actionName + ":" + momentName;
    // Map.of is immutable already, so the constructor's copy returns it as it is.
    Map<String, String> metadata = Map.of("booking_id", bookingId, "action_name", actionName,
        "sequence", sequenceText, "payment_moment", momentName);
    return new PaymentRequest(moment, bookingId, customerId, gigstaId, actionName, sequence, key, metadata);
  }
}
