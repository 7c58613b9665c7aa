package com.gigsta.booking.spi;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * One call to the payment provider, with everything needed to make it idempotent. Immutable and
 * thread-safe.
 *
 * <p><b>Keys.</b> The idempotency key is {@code <booking id>:<sequence>:<action>:<moment>:<attempt>}: it
 * names one attempt at one payment moment of one change. Every repeat of an attempt carries the same key,
 * so the provider answers it with the first result and never charges twice: the host retrying a call
 * that timed out, a double submit, a second service instance acting on the same request, and every
 * redelivery of a settlement by a {@code DeliveryWorker}. Only a {@link PaymentMoment#SECURE secure}
 * call has more than one attempt: after the provider declined it ({@link PaymentDeclinedException}), or
 * after its hold was released unclaimed, the next {@code perform} of the same change is attempt
 * {@code n + 1} with a new key, so a customer who fixed their card is not answered with the old decline.
 * A secure call that failed any other way (a timeout, an outage) may have succeeded at the provider, so
 * the next {@code perform} repeats the same attempt. Settlements after recording always have attempt 1.
 * A key is at most {@value #MAX_KEY_LENGTH} characters, the limit of common providers: if the parts
 * would be longer, the booking id in it is replaced by the hex SHA-256 of the booking id.
 *
 * <p>The metadata uses Stripe's convention of flat string pairs so it can be passed through as is.
 *
 * @param moment what to do: {@link PaymentMoment#SECURE}, {@link PaymentMoment#CAPTURE},
 *     {@link PaymentMoment#RELEASE}, {@link PaymentMoment#REFUND} or {@link PaymentMoment#PAYOUT}; never
 *     {@link PaymentMoment#CHARGE}, which is made as a secure call and then a capture
 * @param bookingId the booking paid for
 * @param customerId who pays
 * @param gigstaId who is paid
 * @param actionName the action that triggers the call
 * @param sequence the sequence of the audit entry of that action
 * @param attempt which attempt at this moment of this change, from 1
 * @param amount the amount to secure, capture, release, refund or pay out, or {@code null} for a booking
 *     without a price (then: the whole payment)
 * @param idempotencyKey {@code <booking id>:<sequence>:<action>:<moment>:<attempt>}
 * @param metadata {@code booking_id}, {@code action_name}, {@code sequence}, {@code payment_moment} and
 *     {@code attempt}
 */
public record PaymentRequest(PaymentMoment moment, String bookingId, String customerId, String gigstaId,
    String actionName, long sequence, int attempt, Money amount, String idempotencyKey,
    Map<String, String> metadata) {

  /** The longest key made, the limit of Stripe's and most providers' idempotency keys. */
  public static final int MAX_KEY_LENGTH = 255;

  /**
   * Checks the parts and copies the metadata so the request stays immutable.
   *
   * @param moment what to do
   * @param bookingId the booking paid for
   * @param customerId who pays
   * @param gigstaId who is paid
   * @param actionName the action that triggers the call
   * @param sequence the sequence of that action's audit entry
   * @param attempt the attempt, from 1
   * @param amount the amount, or {@code null}
   * @param idempotencyKey the key the provider deduplicates on
   * @param metadata flat string pairs passed to the provider; copied
   * @throws NullPointerException if a part other than the amount is null
   * @throws IllegalArgumentException if the moment is {@link PaymentMoment#NONE} or
   *     {@link PaymentMoment#CHARGE}, the attempt is below 1, or the key is longer than
   *     {@value #MAX_KEY_LENGTH}
   */
  public PaymentRequest {
    requireNonNull(moment, "moment");
    requireNonNull(bookingId, "bookingId");
    requireNonNull(customerId, "customerId");
    requireNonNull(gigstaId, "gigstaId");
    requireNonNull(actionName, "actionName");
    requireNonNull(idempotencyKey, "idempotencyKey");
    requireArgument(moment != PaymentMoment.NONE && moment != PaymentMoment.CHARGE,
        "a payment request is for one call to the provider, not %s", moment);
    requireArgument(attempt >= 1, "attempt must be at least 1 but was %d", attempt);
    requireArgument(idempotencyKey.length() <= MAX_KEY_LENGTH, "an idempotency key is at most %d characters but was %d",
        MAX_KEY_LENGTH, idempotencyKey.length());
    metadata = Map.copyOf(metadata);
  }

  /**
   * Returns attempt 1 of the given moment of the change the entry records, for the amount the entry
   * says the change moves ({@link AuditEntry#amount()}).
   *
   * @param moment what to do
   * @param entry the audit entry of the change
   * @return the request, with its key and metadata derived from the entry, the moment and attempt 1
   */
  public static PaymentRequest of(PaymentMoment moment, AuditEntry entry) {
    return of(moment, entry.bookingId(), entry.customerId(), entry.gigstaId(), entry.actionName(),
        entry.sequence(), 1, entry.amount());
  }

  /**
   * Returns the request for another moment of the same change and attempt, with that moment's key and
   * metadata; the release of a payment secured for a change, say.
   *
   * @param other the moment
   * @return the request for {@code other}, same attempt and amount
   */
  public PaymentRequest withMoment(PaymentMoment other) {
    return of(other, bookingId, customerId, gigstaId, actionName, sequence, attempt, amount);
  }

  /**
   * Returns the same call as another attempt, with that attempt's key.
   *
   * @param other the attempt, from 1
   * @return the request for attempt {@code other}
   */
  public PaymentRequest withAttempt(int other) {
    return of(moment, bookingId, customerId, gigstaId, actionName, sequence, other, amount);
  }

  /**
   * Returns the request for the given moment and attempt of the change named by its parts, as stored by
   * a trail that keeps holds; the key and metadata are derived as described above.
   *
   * @param moment what to do
   * @param bookingId the booking paid for
   * @param customerId who pays
   * @param gigstaId who is paid
   * @param actionName the action of the change
   * @param sequence the change's sequence
   * @param attempt the attempt, from 1
   * @param amount the amount, or {@code null}
   * @return the request
   */
  public static PaymentRequest of(PaymentMoment moment, String bookingId, String customerId, String gigstaId,
      String actionName, long sequence, int attempt, Money amount) {
    requireNonNull(moment, "moment");
    requireNonNull(bookingId, "bookingId");
    requireNonNull(actionName, "actionName");
    String momentName = moment.name().toLowerCase(Locale.ROOT);
    String sequenceText = Long.toString(sequence);
    String attemptText = Integer.toString(attempt);
    // Booking ids may contain ':', but the other parts cannot, so the key still reads back unambiguously
    // from the right.
    String tail = ":" + sequenceText + ":" + actionName + ":" + momentName + ":" + attemptText;
    String key = bookingId + tail;
    if (key.length() > MAX_KEY_LENGTH) {
      key = sha256(bookingId) + tail;
    }
    Map<String, String> metadata = Map.of("booking_id", bookingId, "action_name", actionName,
        "sequence", sequenceText, "payment_moment", momentName, "attempt", attemptText);
    return new PaymentRequest(moment, bookingId, customerId, gigstaId, actionName, sequence, attempt, amount, key,
        metadata);
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
