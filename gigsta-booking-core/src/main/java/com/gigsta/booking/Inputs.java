package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

/**
 * The content rules for strings that people and hosts send: ids, reasons, and the names a workflow
 * defines. Each refuses with {@link InvalidBookingInputException}, naming the field and showing the
 * offending character; a missing value is a programmer error and gets {@link NullPointerException}.
 * Stateless and thread-safe.
 *
 * <p>Every rule also refuses unpaired UTF-16 surrogates: no database stores them (PostgreSQL and MariaDB
 * turn them into {@code ?}), so two distinct ids could otherwise reach one stored booking. With these
 * rules, any string accepted here is stored and read back exactly by every audit trail.
 */
final class Inputs {

  /** The longest action name. */
  static final int MAX_ACTION_NAME_LENGTH = 64;
  /** The longest state name. */
  static final int MAX_STATE_NAME_LENGTH = 64;
  /** The longest button label a workflow may define. */
  static final int MAX_LABEL_LENGTH = 200;

  private Inputs() {}

  /**
   * Refuses blank ids, ids with control characters or white space at either end, and unpaired
   * surrogates.
   */
  static String id(String value, String what) {
    notBlank(value, what);
    checkCharacters(value, what, false);
    if (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1))) {
      throw new InvalidBookingInputException(what,
          what + " must not start or end with white space but was '" + value + "'");
    }
    return value;
  }

  /**
   * Refuses blank texts, control characters other than tab, line feed and carriage return (PostgreSQL
   * cannot store NUL, and the others only hide content from people reading the trail), and unpaired
   * surrogates.
   */
  static String text(String value, String what) {
    notBlank(value, what);
    checkCharacters(value, what, true);
    return value;
  }

  /** Refuses a price of zero: a booking either costs something or carries no price. */
  static Money price(Money price) {
    if (price.isZero()) {
      throw new InvalidBookingInputException("price",
          "a price must be more than zero but was " + price + "; give no price for a booking that costs nothing");
    }
    return price;
  }

  /** Refuses an amount without a price, in another currency than the price, or above it. */
  static Money partOfPrice(Money amount, Money price, String what) {
    if (amount == null) {
      return null;
    }
    if (price == null) {
      throw new InvalidBookingInputException(what, "an entry without a price has no " + what + " but was " + amount);
    }
    if (!amount.currency().equals(price.currency()) || amount.amountMinor() > price.amountMinor()) {
      throw new InvalidBookingInputException(what,
          what + " must be in the price's currency and at most the price " + price + " but was " + amount);
    }
    return amount;
  }

  /** Refuses action names that are not lower_snake_case of at most 64 characters. */
  static String actionName(String value) {
    return name(value, "action name", MAX_ACTION_NAME_LENGTH, 'a', 'z');
  }

  /** Refuses state names that are not UPPER_SNAKE_CASE of at most 64 characters. */
  static String stateName(String value) {
    return name(value, "state name", MAX_STATE_NAME_LENGTH, 'A', 'Z');
  }

  private static String name(String value, String what, int maxLength, char first, char last) {
    requireNonNull(value, what);
    boolean valid = !value.isEmpty() && value.length() <= maxLength
        && value.charAt(0) >= first && value.charAt(0) <= last;
    for (int i = 1; valid && i < value.length(); i++) {
      char c = value.charAt(i);
      valid = (c >= first && c <= last) || (c >= '0' && c <= '9') || c == '_';
    }
    if (!valid) {
      throw new InvalidBookingInputException(what, String.format(
          "%s must be %c-%c, digits and '_', starting with a letter, at most %d characters, but was '%s'", what,
          first, last, maxLength, printable(value)));
    }
    return value;
  }

  private static void notBlank(String value, String what) {
    requireNonNull(value, what);
    if (value.isBlank()) {
      throw new InvalidBookingInputException(what, what + " must not be blank");
    }
  }

  private static void checkCharacters(String value, String what, boolean lineBreaksAllowed) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // Printable ASCII breaks no rule. Deciding that first matters on one realistic path: a profile of
      // history() on the embedded H2 trail, which checks every stored row it reads, spent most of its
      // checking time classifying such characters one rule at a time.
      if (c >= ' ' && c < '\u007f') {
        continue;
      }
      if (Character.isISOControl(c) && !(lineBreaksAllowed && (c == '\n' || c == '\r' || c == '\t'))) {
        throw new InvalidBookingInputException(what, String.format(
            "%s must not contain control characters but has U+%04X at index %d", what, (int) c, i));
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++; // a well-formed pair: one character outside the Basic Multilingual Plane
      } else if (Character.isSurrogate(c)) {
        throw new InvalidBookingInputException(what, String.format(
            "%s must be well-formed UTF-16 but has an unpaired surrogate U+%04X at index %d", what, (int) c, i));
      }
    }
  }

  private static String printable(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    StringBuilder out = new StringBuilder(shown.length());
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
