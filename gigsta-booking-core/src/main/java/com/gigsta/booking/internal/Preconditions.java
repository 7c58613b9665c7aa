package com.gigsta.booking.internal;

/**
 * Checks for programmer errors: a required argument that is null, or an argument outside its range.
 * Depends on nothing but the JDK, so every package and module of the library can use it. Stateless and
 * thread-safe.
 *
 * <p>Content that people and hosts send (ids, reasons) is checked by the API itself and refused with
 * {@code InvalidBookingInputException}; these checks are for the code that calls the library.
 */
public final class Preconditions {

  private Preconditions() {}

  /**
   * Returns the value, or throws {@link NullPointerException} naming it.
   *
   * @param <T> the argument's type
   * @param value the argument
   * @param name the argument's name, for the message
   * @return the value, never {@code null}
   */
  public static <T> T requireNonNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " is required but was null");
    }
    return value;
  }

  /**
   * Throws {@link IllegalArgumentException} with the formatted message unless {@code valid} holds.
   *
   * @param valid whether the argument is acceptable
   * @param template a {@link String#format} template that names the argument and shows its value
   * @param args the template's arguments
   */
  public static void requireArgument(boolean valid, String template, Object... args) {
    if (!valid) {
      throw new IllegalArgumentException(String.format(template, args));
    }
  }

  /**
   * Throws {@link IllegalStateException} with the formatted message unless {@code valid} holds.
   *
   * @param valid whether the object is in a state that allows the call
   * @param template a {@link String#format} template
   * @param args the template's arguments
   */
  public static void requireState(boolean valid, String template, Object... args) {
    if (!valid) {
      throw new IllegalStateException(String.format(template, args));
    }
  }
}
