package com.gigsta.booking.internal;

import com.gigsta.booking.InvalidBookingInputException;

/** Argument checks shared by the values, the engine and the audit trails; messages include the bad value. */
public final class Checks {

  /** The longest action name. */
  public static final int MAX_ACTION_NAME_LENGTH = 64;
  /** The longest state name. */
  public static final int MAX_STATE_NAME_LENGTH = 64;
  /** The longest button label a workflow may define. */
  public static final int MAX_LABEL_LENGTH = 200;
  /** The longest note a workflow may define. */
  public static final int MAX_DEFINED_TEXT_LENGTH = 2_000;
  /** The longest id a value may hold at all; the engine's configured limit is usually lower. */
  private static final int MAX_ANY_ID_LENGTH = 4_096;

  private static final CheckedStrings IDENTIFIERS = new CheckedStrings();
  private static final CheckedStrings ACTION_NAMES = new CheckedStrings();
  // Texts that passed the content rules; their length is compared with each caller's own limit.
  private static final CheckedStrings TEXTS = new CheckedStrings();

  private Checks() {}

  /** Refuses {@code null}. */
  public static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new InvalidBookingInputException(what, what + " is required but was null");
    }
    return value;
  }

  /** Refuses numbers below 1. */
  public static long positive(long value, String what) {
    if (value < 1) {
      throw new InvalidBookingInputException(what, what + " must be at least 1 but was " + value);
    }
    return value;
  }

  /** Refuses null, blank, absurdly long ids and ids with control characters or surrounding spaces. */
  public static String identifier(String value, String what) {
    if (value != null && IDENTIFIERS.contains(value)) {
      return value;
    }
    // Nearly every id is printable ASCII without spaces, which passes every rule below; one pass over it
    // suffices, and anything else takes the full check. Ids are checked on every change, so this matters.
    if (value != null && !value.isEmpty() && value.length() <= MAX_ANY_ID_LENGTH) {
      int i = 0;
      while (i < value.length() && value.charAt(i) > ' ' && value.charAt(i) < '\u007f') {
        i++;
      }
      if (i == value.length()) {
        IDENTIFIERS.add(value);
        return value;
      }
    }
    return identifierInFull(value, what);
  }

  // Kept apart from identifier(), whose short common path is then small enough for the JIT to inline at
  // each of the places a change checks an id.
  private static String identifierInFull(String value, String what) {
    notBlank(value, what);
    maxLength(value, what, MAX_ANY_ID_LENGTH);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new InvalidBookingInputException(what, String.format(
            "%s must not contain control characters but has U+%04X at index %d", what, (int) c, i));
      }
    }
    if (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1))) {
      throw new InvalidBookingInputException(what,
          what + " must not start or end with white space but was '" + value + "'");
    }
    IDENTIFIERS.add(value);
    return value;
  }

  /**
   * Refuses null, blank or over-long texts, and control characters other than tab and line breaks
   * (PostgreSQL cannot store NUL, and the others only hide content from people reading the trail).
   */
  public static String text(String value, String what, int maxLength) {
    if (value != null && value.length() <= maxLength && TEXTS.contains(value)) {
      return value;
    }
    // As for ids: printable ASCII, not all spaces, within the length passes in one pass.
    if (value != null && !value.isEmpty() && value.length() <= maxLength && value.charAt(0) != ' ') {
      int i = 0;
      while (i < value.length() && value.charAt(i) >= ' ' && value.charAt(i) < '\u007f') {
        i++;
      }
      if (i == value.length()) {
        TEXTS.add(value);
        return value;
      }
    }
    return textInFull(value, what, maxLength);
  }

  // Kept apart from text() for the same reason as identifierInFull.
  private static String textInFull(String value, String what, int maxLength) {
    notBlank(value, what);
    maxLength(value, what, maxLength);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        throw new InvalidBookingInputException(what, String.format(
            "%s must not contain control characters but has U+%04X at index %d", what, (int) c, i));
      }
    }
    TEXTS.add(value);
    return value;
  }

  /** Refuses action names that are not lower_snake_case of at most 64 characters. */
  public static String actionName(String value) {
    if (value != null && ACTION_NAMES.contains(value)) {
      return value;
    }
    name(value, "action name", MAX_ACTION_NAME_LENGTH, 'a', 'z');
    ACTION_NAMES.add(value);
    return value;
  }

  /** Refuses state names that are not UPPER_SNAKE_CASE of at most 64 characters. */
  public static String stateName(String value) {
    return name(value, "state name", MAX_STATE_NAME_LENGTH, 'A', 'Z');
  }

  private static String name(String value, String what, int maxLength, char first, char last) {
    notBlank(value, what);
    maxLength(value, what, maxLength);
    boolean valid = value.charAt(0) >= first && value.charAt(0) <= last;
    for (int i = 1; valid && i < value.length(); i++) {
      char c = value.charAt(i);
      valid = (c >= first && c <= last) || (c >= '0' && c <= '9') || c == '_';
    }
    if (!valid) {
      throw new InvalidBookingInputException(what, String.format(
          "%s must be %c-%c, digits and '_', starting with a letter, but was '%s'", what, first, last,
          printable(value)));
    }
    return value;
  }

  /** Refuses values longer than {@code maxLength} characters. */
  public static String maxLength(String value, String what, int maxLength) {
    notNull(value, what);
    if (value.length() > maxLength) {
      throw new InvalidBookingInputException(what, String.format(
          "%s must be at most %,d characters but was %,d", what, maxLength, value.length()));
    }
    return value;
  }

  private static void notBlank(String value, String what) {
    notNull(value, what);
    if (value.isBlank()) {
      throw new InvalidBookingInputException(what, what + " must not be blank");
    }
  }

  private static String printable(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    StringBuilder out = new StringBuilder(shown.length());
    shown.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp)) {
        out.append(String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }
}
