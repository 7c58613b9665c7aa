package com.gigsta.booking.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.spi.AuditTrail;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the contract against trails that each break one rule, and checks that exactly the tests naming
 * that rule fail: a contract test that passes whatever the trail does protects nobody, and one that fails
 * for an unrelated fault misleads the implementer reading it.
 *
 * <p>The broken trails are nested classes, which the build's test run skips; only this class runs them.
 */
class ContractCatchesBrokenTrailsTest {

  private static final String LENGTH_REFUSAL = "shouldRefuseIdsAndTextsLongerThanItsLimitsAndStoreNothing";
  private static final String TIME_REFUSAL = "shouldRefuseTimesItCannotStoreExactlyAndStoreNothing";

  @Test
  void shouldPassEveryTestOnATrailThatKeepsEveryRule() {
    Outcome outcome = run(InMemoryAuditTrailInMicrosecondsTest.class);

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.containerFailures()).isEmpty();
    assertThat(outcome.succeeded()).isGreaterThan(30);
  }

  @Test
  void shouldFailOnlyTheLengthRefusalOnATrailThatStoresOverLongValues() {
    assertThat(run(IgnoresLengths.class).failedMethods()).containsExactly(LENGTH_REFUSAL);
  }

  @Test
  void shouldFailOnlyTheDeclarationOnATrailThatDeclaresOtherLengthsThanItWasGiven() {
    assertThat(run(DeclaresTheDefaultLengths.class).failedMethods())
        .containsExactly("shouldDeclareItsLimitsWithTheLengthsItWasCreatedWith");
  }

  @Test
  void shouldFailOnlyTheFinerTimeCasesOnATrailThatTruncatesTimesInsteadOfRefusingThem() {
    Outcome outcome = run(TruncatesFinerTimes.class);

    assertThat(outcome.failedMethods()).containsExactly(TIME_REFUSAL);
    assertThat(outcome.failures()).hasSize(3).allSatisfy(failure -> assertThat(failure).contains("whole micros"));
  }

  @Test
  void shouldFailOnlyTheOutOfRangeCasesOnATrailThatStoresTimesOutsideItsRange() {
    Outcome outcome = run(IgnoresItsRange.class);

    assertThat(outcome.failedMethods()).containsExactly(TIME_REFUSAL);
    assertThat(outcome.failures()).hasSize(4)
        .allSatisfy(failure -> assertThat(failure).containsAnyOf("before the earliest", "after the latest"));
  }

  @Test
  void shouldFailOnlyTheRangeRoundTripOnATrailThatCannotHoldTheRangeItDeclares() {
    assertThat(run(OverflowsAtItsExtremes.class).failedMethods())
        .containsExactly("shouldReadBackEntriesAtTheEarliestAndLatestTimesItDeclaresExactly");
  }

  @Test
  void shouldFailOnlyTheTextTestsOnATrailThatNormalizesUnicode() {
    assertThat(run(NormalizesText.class).failedMethods()).containsExactly(
        "shouldKeepIdsThatDifferOnlyInCaseOrUnicodeNormalizationApart",
        "shouldReadBackWellFormedTextInAnyScriptExactlyAtTheLongestLengths");
  }

  @Test
  void shouldFailOnlyTheTextTestsOnATrailThatCannotStoreCharactersOutsideTheBasicPlane() {
    assertThat(run(ReplacesAstralCharacters.class).failedMethods()).containsExactly(
        "shouldKeepTextsAndOptionalValuesExactly",
        "shouldReadBackWellFormedTextInAnyScriptExactlyAtTheLongestLengths");
  }

  @Test
  void shouldFailOnlyTheArgumentTestsOnATrailThatTreatsProgrammingErrorsAsBadInput() {
    assertThat(run(TreatsMisuseAsBadInput.class).failedMethods()).containsExactly(
        "shouldRejectANegativeLimitWithIllegalArgumentException", "shouldRejectANullEntryWithNullPointerException",
        "shouldRejectANullStateOrUpperBoundWithNullPointerException");
  }

  // ---- running the contract ----

  /**
   * What a run of one contract test class came to.
   *
   * @param failures each failed or aborted test, as its method name, followed for a generated case by
   *     {@code " > "} and the case's name
   * @param containerFailures classes or factories that failed as a whole
   * @param succeeded how many tests passed
   */
  record Outcome(List<String> failures, List<String> containerFailures, int succeeded) {

    /** Returns the methods whose tests failed, sorted, once each. */
    Set<String> failedMethods() {
      assertThat(containerFailures).isEmpty();
      assertThat(succeeded).as("tests that passed").isGreaterThan(20);
      Set<String> methods = new TreeSet<>();
      failures.forEach(failure -> methods.add(failure.split(" > ", 2)[0]));
      return methods;
    }
  }

  private static Outcome run(Class<? extends AuditTrailContract> contractTest) {
    List<String> failures = new ArrayList<>();
    List<String> containerFailures = new ArrayList<>();
    int[] succeeded = {0};
    TestExecutionListener listener = new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
          succeeded[0] += test.isTest() ? 1 : 0;
        } else if (test.isTest()) {
          failures.add(name(test));
        } else {
          containerFailures.add(test.getDisplayName() + ": " + result.getThrowable().orElse(null));
        }
      }

      private String name(TestIdentifier test) {
        String method = test.getSource().filter(MethodSource.class::isInstance)
            .map(source -> ((MethodSource) source).getMethodName()).orElse("?");
        // A generated case carries its factory method as its source; its own name tells the cases apart.
        boolean generated = test.getUniqueIdObject().getLastSegment().getType().equals("dynamic-test");
        return generated ? method + " > " + test.getDisplayName() : method;
      }
    };
    LauncherFactory.create().execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contractTest)).build(), listener);
    return new Outcome(List.copyOf(failures), List.copyOf(containerFailures), succeeded[0]);
  }

  // ---- broken trails ----

  /** A contract run on a broken trail; one race is enough, since no broken trail races differently. */
  abstract static class BrokenTrailContract extends AuditTrailContract {

    @Override
    protected int raceRounds() {
      return 1;
    }
  }

  static class IgnoresLengths extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public void append(AuditEntry entry) {
          memory.append(entry);
        }
      };
    }
  }

  static class DeclaresTheDefaultLengths extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public BookingLimits limits() {
          return BookingLimits.defaults();
        }
      };
    }
  }

  static class TruncatesFinerTimes extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, DeclaringTrail.MICROS_FROM_1000_TO_9999) {
        @Override
        public void append(AuditEntry entry) {
          AuditEntry truncated = withTimes(entry, declared::truncate);
          declared.check(truncated);
          memory.append(truncated);
        }
      };
    }
  }

  static class IgnoresItsRange extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, DeclaringTrail.MICROS_FROM_1000_TO_9999) {
        @Override
        public void append(AuditEntry entry) {
          declared.withTimes(ChronoUnit.MICROS, Instant.MIN, Instant.MAX).check(entry);
          memory.append(entry);
        }
      };
    }
  }

  static class OverflowsAtItsExtremes extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      BookingLimits everyMicrosecond = BookingLimits.defaults()
          .withTimes(ChronoUnit.MICROS, Instant.MIN, Instant.MAX.truncatedTo(ChronoUnit.MICROS));
      return new DeclaringTrail(limits, everyMicrosecond) {
        @Override
        public void append(AuditEntry entry) {
          declared.check(entry);
          // Through a column of microseconds since 1970 in 64 bits: enough for 292,000 years, not for
          // every instant, whose conversion overflows.
          memory.append(withTimes(entry, at -> Instant.EPOCH.plus(ChronoUnit.MICROS.between(Instant.EPOCH, at),
              ChronoUnit.MICROS)));
        }
      };
    }
  }

  static class NormalizesText extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new TextChangingTrail(limits, text -> Normalizer.normalize(text, Normalizer.Form.NFC));
    }
  }

  static class ReplacesAstralCharacters extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      // As a database whose character set stops at three bytes per character would.
      return new TextChangingTrail(limits, text -> text.codePoints()
          .map(c -> Character.isSupplementaryCodePoint(c) ? '?' : c)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
    }
  }

  static class TreatsMisuseAsBadInput extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public void append(AuditEntry entry) {
          if (entry == null) {
            throw new InvalidBookingInputException("entry", "entry is required but was null");
          }
          super.append(entry);
        }

        @Override
        public List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom,
            Instant changedBefore, int limit) {
          if (state == null || changedBefore == null) {
            throw new InvalidBookingInputException("state", "state and changedBefore are required");
          }
          return limit < 0 ? List.of() : super.findInStateChangedBetween(state, changedFrom, changedBefore, limit);
        }
      };
    }
  }

  /** Stores every id and text changed by a function, and looks ids up changed the same way. */
  static class TextChangingTrail extends DeclaringTrail {

    private final UnaryOperator<String> change;

    TextChangingTrail(BookingLimits limits, UnaryOperator<String> change) {
      super(limits, BookingLimits.defaults());
      this.change = change;
    }

    @Override
    public void append(AuditEntry entry) {
      declared.check(entry);
      memory.append(new AuditEntry(change.apply(entry.bookingId()), entry.sequence(), entry.actionName(),
          entry.actorRole(), change.apply(entry.actorId()), change.apply(entry.customerId()),
          change.apply(entry.gigstaId()), entry.fromState(), entry.toState(), entry.occurredAt(),
          change.apply(entry.note()), entry.reason() == null ? null : change.apply(entry.reason()),
          entry.scheduledStart()));
    }

    @Override
    public List<AuditEntry> history(String bookingId) {
      return memory.history(change.apply(bookingId));
    }

    @Override
    public Optional<AuditEntry> latest(String bookingId) {
      return memory.latest(change.apply(bookingId));
    }
  }

  private static AuditEntry withTimes(AuditEntry entry, UnaryOperator<Instant> change) {
    return new AuditEntry(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole(),
        entry.actorId(), entry.customerId(), entry.gigstaId(), entry.fromState(), entry.toState(),
        change.apply(entry.occurredAt()), entry.note(), entry.reason(),
        entry.scheduledStart() == null ? null : change.apply(entry.scheduledStart()));
  }
}
