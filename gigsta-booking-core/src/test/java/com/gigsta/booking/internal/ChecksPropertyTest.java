package com.gigsta.booking.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.InvalidBookingInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The checks take shortcuts (a one-pass test for plain ASCII, and remembering instances that passed);
 * these properties hold them to the rules as written, on the first check of a string and on every later one.
 */
class ChecksPropertyTest {

  @Property(tries = 3000)
  void identifierAcceptsExactlyWhatTheRulesAllow(@ForAll("candidates") String value) {
    boolean allowed = !value.isBlank() && value.chars().noneMatch(Character::isISOControl)
        && !Character.isWhitespace(value.charAt(0)) && !Character.isWhitespace(value.charAt(value.length() - 1));
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThat(passes(() -> Checks.identifier(value, "id"))).as("attempt %d on '%s'", attempt, value)
          .isEqualTo(allowed);
    }
  }

  @Property(tries = 3000)
  void textAcceptsExactlyWhatTheRulesAllowWithinEachCallersLimit(@ForAll("candidates") String value) {
    boolean content = !value.isBlank()
        && value.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
    int shorter = Math.max(1, value.length() - 1);
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThat(passes(() -> Checks.text(value, "text", Integer.MAX_VALUE))).isEqualTo(content);
      assertThat(passes(() -> Checks.text(value, "text", shorter))).isEqualTo(content && value.length() <= shorter);
    }
  }

  @Property(tries = 3000)
  void actionNameAcceptsExactlyLowerSnakeCase(@ForAll("candidates") String value) {
    boolean allowed = value.matches("[a-z][a-z0-9_]{0,63}");
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThat(passes(() -> Checks.actionName(value))).isEqualTo(allowed);
    }
  }

  @Test
  void aTextRememberedUnderALooseLimitIsStillRefusedUnderATightOne() {
    String note = "Booking accepted by GigSta";
    Checks.text(note, "note", Integer.MAX_VALUE);
    assertThatThrownBy(() -> Checks.text(note, "reason", 10)).isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("reason must be at most 10 characters but was 26");
  }

  @Provide
  Arbitrary<String> candidates() {
    Arbitrary<Character> interesting = Arbitraries.of(' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u00a0',
        '\u2003', 'é', '_', '-', ':', 'A', 'z', '0');
    Arbitrary<Character> ascii = Arbitraries.chars().range(' ', '~');
    return Arbitraries.frequencyOf(Tuple.of(4, ascii), Tuple.of(1, interesting))
        .list().ofMinSize(0).ofMaxSize(40)
        .map(chars -> {
          StringBuilder out = new StringBuilder(chars.size());
          chars.forEach(out::append);
          return out.toString();
        });
  }

  private static boolean passes(Runnable check) {
    try {
      check.run();
      return true;
    } catch (InvalidBookingInputException e) {
      return false;
    }
  }
}
