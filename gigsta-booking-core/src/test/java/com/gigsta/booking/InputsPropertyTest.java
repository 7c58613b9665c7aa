package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** Holds the content rules for ids, texts and action names to the rules as written, on generated strings. */
class InputsPropertyTest {

  @Property(tries = 3000)
  void idAcceptsExactlyWhatTheRulesAllow(@ForAll("candidates") String value) {
    boolean allowed = !value.isBlank() && value.chars().noneMatch(Character::isISOControl)
        && !Character.isWhitespace(value.charAt(0)) && !Character.isWhitespace(value.charAt(value.length() - 1))
        && wellFormed(value);
    assertThat(passes(() -> Inputs.id(value, "id"))).as("'%s'", value).isEqualTo(allowed);
  }

  @Property(tries = 3000)
  void textAcceptsExactlyWhatTheRulesAllow(@ForAll("candidates") String value) {
    boolean allowed = !value.isBlank()
        && value.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')
        && wellFormed(value);
    assertThat(passes(() -> Inputs.text(value, "text"))).as("'%s'", value).isEqualTo(allowed);
  }

  @Property(tries = 3000)
  void actionNameAcceptsExactlyLowerSnakeCase(@ForAll("candidates") String value) {
    boolean allowed = value.matches("[a-z][a-z0-9_]{0,63}");
    assertThat(passes(() -> Inputs.actionName(value))).isEqualTo(allowed);
  }

  @Test
  void shouldRefuseAnUnpairedSurrogateNamingItsPosition() {
    assertThatThrownBy(() -> Inputs.id("ab\uD800c", "booking id")).isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("booking id must be well-formed UTF-16 but has an unpaired surrogate U+D800 at index 2");
    assertThatThrownBy(() -> Inputs.text("\uDC00", "reason")).isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("unpaired surrogate U+DC00 at index 0");
  }

  @Test
  void shouldAcceptCharactersOutsideTheBasicMultilingualPlane() {
    assertThat(Inputs.id("guest-\uD83D\uDE00", "id")).isEqualTo("guest-\uD83D\uDE00");
    assertThat(Inputs.text("Thanks \uD83D\uDC4D", "reason")).isEqualTo("Thanks \uD83D\uDC4D");
  }

  @Test
  void shouldTreatANullAsAProgrammerError() {
    assertThatThrownBy(() -> Inputs.id(null, "booking id")).isInstanceOf(NullPointerException.class)
        .hasMessage("booking id is required but was null");
  }

  @Provide
  Arbitrary<String> candidates() {
    Arbitrary<Character> interesting = Arbitraries.of(' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u00a0',
        '\u2003', 'é', '_', '-', ':', 'A', 'z', '0', '\uD83D', '\uDE00', '\uDBFF', '\uDC00');
    Arbitrary<Character> ascii = Arbitraries.chars().range(' ', '~');
    return Arbitraries.frequencyOf(Tuple.of(4, ascii), Tuple.of(1, interesting))
        .list().ofMinSize(0).ofMaxSize(40)
        .map(chars -> {
          StringBuilder out = new StringBuilder(chars.size());
          chars.forEach(out::append);
          return out.toString();
        });
  }

  // From the JDK's own reading rather than from the code under test: codePoints() yields a well-formed pair
  // as one supplementary code point and an unpaired surrogate as itself.
  private static boolean wellFormed(String value) {
    return value.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
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
