package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How much of the price a customer gets back when a {@link PaymentMoment#REFUND refunding} rule is taken,
 * declared on the rule with {@link Workflow.RuleBuilder#refund(RefundPolicy)} and evaluated, like a
 * guard, with the engine's clock at the time of the change: the same figures are listed on the action
 * ({@link BookingAction#refund()}, {@link BookingAction#fee()}) and recorded in its audit entry
 * ({@link AuditEntry#amount()}, {@link AuditEntry#fee()}). The refund is the percentage of the price
 * rounded down to a whole minor unit; the fee is the rest of the price. Immutable and thread-safe.
 *
 * <pre>{@code
 * // Everything back when cancelled at least 24 hours before the start; later, half.
 * RefundPolicy.byNotice(Duration.ofHours(24), 100, 50)
 * }</pre>
 */
public final class RefundPolicy {

  private final Duration notice;
  private final int percentWithNotice;
  private final int percentLater;

  private RefundPolicy(Duration notice, int percentWithNotice, int percentLater) {
    this.notice = notice;
    this.percentWithNotice = percentWithNotice;
    this.percentLater = percentLater;
  }

  /**
   * Returns the policy that gives everything back; a refunding rule without a policy has this one.
   *
   * @return a full refund, whenever the change is made
   */
  public static RefundPolicy full() {
    return percent(100);
  }

  /**
   * Returns a policy that gives back the same share whenever the change is made.
   *
   * @param percent the share of the price given back, from 0 to 100
   * @return the policy
   * @throws IllegalArgumentException if the percentage is out of range
   */
  public static RefundPolicy percent(int percent) {
    checkPercent(percent);
    return new RefundPolicy(null, percent, percent);
  }

  /**
   * Returns a policy that depends on how long before the scheduled start the change is made: at least
   * {@code notice} before it, {@code percentWithNotice}; later (also after the start),
   * {@code percentLater}. A booking without a scheduled start always gets {@code percentWithNotice}.
   *
   * @param notice how long before the start a change still gets the first share; positive
   * @param percentWithNotice the share given back with enough notice, from 0 to 100
   * @param percentLater the share given back later, from 0 to 100
   * @return the policy
   * @throws NullPointerException if the notice is null
   * @throws IllegalArgumentException if the notice is not positive or a percentage is out of range
   */
  public static RefundPolicy byNotice(Duration notice, int percentWithNotice, int percentLater) {
    requireNonNull(notice, "notice");
    requireArgument(!notice.isNegative() && !notice.isZero(), "notice must be positive but was %s", notice);
    checkPercent(percentWithNotice);
    checkPercent(percentLater);
    return new RefundPolicy(notice, percentWithNotice, percentLater);
  }

  /**
   * Returns the share of the price given back for a change made to the booking at {@code at}.
   *
   * @param booking the booking before the change
   * @param at when the change is made, by the engine's clock
   * @return the percentage, from 0 to 100
   * @throws NullPointerException if an argument is null
   */
  public int percentAt(Booking booking, Instant at) {
    requireNonNull(booking, "booking");
    requireNonNull(at, "at");
    Instant start = booking.scheduledStart();
    if (notice == null || start == null || !at.isAfter(start.minus(notice))) {
      return percentWithNotice;
    }
    return percentLater;
  }

  /**
   * Returns the refund for a change made to the booking at {@code at}: the policy's share of the price,
   * rounded down to a whole minor unit.
   *
   * @param price the booking's price
   * @param booking the booking before the change
   * @param at when the change is made
   * @return the amount given back, at most the price
   */
  public Money refundOf(Money price, Booking booking, Instant at) {
    return requireNonNull(price, "price").percent(percentAt(booking, at));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RefundPolicy that && Objects.equals(notice, that.notice)
        && percentWithNotice == that.percentWithNotice && percentLater == that.percentLater;
  }

  @Override
  public int hashCode() {
    return Objects.hash(notice, percentWithNotice, percentLater);
  }

  /**
   * Describes the policy as the README's rule table shows it.
   *
   * @return e.g. {@code 100% back until 24h before start, then 50%}
   */
  @Override
  public String toString() {
    if (notice == null || percentWithNotice == percentLater) {
      return percentWithNotice + "% back";
    }
    return percentWithNotice + "% back until " + Deadline.format(notice)
        + " before start, then " + percentLater + "%";
  }

  private static void checkPercent(int percent) {
    requireArgument(percent >= 0 && percent <= 100, "a percentage is from 0 to 100 but was %d", percent);
  }
}
