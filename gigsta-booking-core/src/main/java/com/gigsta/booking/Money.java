package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * An exact amount of money: a whole number of the currency's minor units (cents for EUR and USD, yen
 * for JPY) and an ISO 4217 currency. Never a floating-point number, never negative. Immutable and
 * thread-safe.
 *
 * <p>Serialized by any Jackson {@code ObjectMapper} as {@code {"amount_minor":4000,"currency":"EUR"}}
 * and read back from the same form.
 *
 * @param amountMinor the amount in minor units, zero or more
 * @param currency the currency; one with minor units (not a fund or a metal such as {@code XAU})
 */
@JsonPropertyOrder({"amount_minor", "currency"})
public record Money(@JsonProperty("amount_minor") long amountMinor, @JsonIgnore Currency currency) {

  /**
   * Checks the amount and the currency.
   *
   * @param amountMinor the amount in minor units
   * @param currency the currency
   * @throws NullPointerException if the currency is null
   * @throws InvalidBookingInputException if the amount is negative or the currency has no minor unit
   */
  public Money {
    requireNonNull(currency, "currency");
    if (amountMinor < 0) {
      throw new InvalidBookingInputException("amount_minor",
          "an amount must not be negative but was " + amountMinor + " " + currency.getCurrencyCode());
    }
    if (currency.getDefaultFractionDigits() < 0) {
      throw new InvalidBookingInputException("currency",
          "currency " + currency.getCurrencyCode() + " has no minor unit, so no amount of it is exact");
    }
  }

  /**
   * Returns the amount in minor units of the currency with this ISO 4217 code.
   *
   * @param amountMinor the amount in minor units, e.g. {@code 8000} for 80.00 EUR
   * @param currencyCode the ISO 4217 code, e.g. {@code EUR}
   * @return the amount
   * @throws NullPointerException if the code is null
   * @throws InvalidBookingInputException if the code is not an ISO 4217 code of a currency with minor
   *     units, or the amount is negative
   */
  @JsonCreator
  public static Money of(@JsonProperty("amount_minor") long amountMinor,
      @JsonProperty("currency") String currencyCode) {
    requireNonNull(currencyCode, "currency");
    Currency currency;
    try {
      currency = Currency.getInstance(currencyCode);
    } catch (IllegalArgumentException e) {
      throw new InvalidBookingInputException("currency", "'" + currencyCode + "' is not an ISO 4217 currency code");
    }
    return new Money(amountMinor, currency);
  }

  /**
   * Returns the ISO 4217 code of the currency; this is its JSON form.
   *
   * @return e.g. {@code EUR}
   */
  @JsonProperty("currency")
  public String currencyCode() {
    return currency.getCurrencyCode();
  }

  /**
   * Returns whether the amount is zero.
   *
   * @return true for no money at all
   */
  @JsonIgnore
  public boolean isZero() {
    return amountMinor == 0;
  }

  /**
   * Returns this amount less another of the same currency.
   *
   * @param other the amount to take away, at most this one
   * @return the difference
   * @throws IllegalArgumentException if the currencies differ or the difference would be negative
   */
  public Money minus(Money other) {
    requireSameCurrency(other);
    if (other.amountMinor > amountMinor) {
      throw new IllegalArgumentException("cannot take " + other + " from " + this);
    }
    return new Money(amountMinor - other.amountMinor, currency);
  }

  /**
   * Returns this amount plus another of the same currency.
   *
   * @param other the amount to add
   * @return the sum
   * @throws IllegalArgumentException if the currencies differ
   * @throws ArithmeticException if the sum does not fit in a {@code long}
   */
  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
  }

  /**
   * Returns the given percentage of this amount, rounded down to a whole minor unit, so that what is
   * left over is never less than the exact remainder.
   *
   * @param percent from 0 to 100
   * @return the share, exact to the minor unit
   * @throws IllegalArgumentException if the percentage is out of range
   */
  public Money percent(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("a percentage is from 0 to 100 but was " + percent);
    }
    // amount = 100q + r, so amount * percent / 100 = q * percent + r * percent / 100, with no overflow.
    long share = amountMinor / 100 * percent + amountMinor % 100 * percent / 100;
    return new Money(share, currency);
  }

  /**
   * Returns the amount in major units with the currency's number of decimals and its code, e.g.
   * {@code 40.00 EUR} or {@code 500 JPY}.
   *
   * @return the amount as people read it
   */
  @Override
  public String toString() {
    return BigDecimal.valueOf(amountMinor, currency.getDefaultFractionDigits()).toPlainString() + " "
        + currency.getCurrencyCode();
  }

  private void requireSameCurrency(Money other) {
    requireNonNull(other, "other");
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot combine " + this + " and " + other + ": different currencies");
    }
  }
}
