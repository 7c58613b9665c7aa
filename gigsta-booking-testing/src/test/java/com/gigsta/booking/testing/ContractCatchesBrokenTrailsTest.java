package com.gigsta.booking.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.WorkflowMigration;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
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
        "shouldRejectALimitOutOfRangeWithIllegalArgumentException", "shouldRejectANullEntryWithNullPointerException",
        "shouldRejectANullStateTimepointOrUpperBoundWithNullPointerException");
  }

  @Test
  void shouldFailOnlyTheStateTestsOnATrailThatFindsBookingsThatMovedOn() {
    assertThat(run(FindsBookingsThatMovedOn.class).failedMethods())
        .containsExactly("shouldFindAsTimerCandidatesOnlyBookingsWhoseCurrentStateMatches");
  }

  @Test
  void shouldFailOnlyTheOrderTestsOnATrailThatOrdersCandidatesByTimeAlone() {
    assertThat(run(OrdersCandidatesByTimeAlone.class).failedMethods()).containsExactly(
        "shouldOrderTimerCandidatesByTimepointThenBookingIdUpToTheLimit",
        "shouldPageThroughManyCandidatesAtOneInstantReturningEachOnce");
  }

  @Test
  void shouldFailOnlyTheOnceTestsOnATrailThatReportsEveryScheduledDeliveryAsNew() {
    assertThat(run(ReportsEveryScheduledDeliveryAsNew.class).failedMethods()).containsExactly(
        "shouldLetExactlyOneOfManyConcurrentCallsScheduleAChange",
        "shouldNotScheduleAChangeAgainWhoseDeliveryIsDoneOrDead",
        "shouldScheduleADeliveryOfARecordedChangeOncePerScheduledConsumer");
  }

  @Test
  void shouldFailOnlyTheDeadLetterTestOnATrailThatRevivesADeadScheduledDelivery() {
    assertThat(run(RevivesDeadScheduledDeliveries.class).failedMethods())
        .containsExactly("shouldNotScheduleAChangeAgainWhoseDeliveryIsDoneOrDead");
  }

  @Test
  void shouldFailOnlyTheSweepMarkTestsOnATrailThatMovesMarksBack() {
    // The race shows it only when the sweeps finish in the wrong order, which a run may or may not see.
    assertThat(run(MovesSweepMarksBack.class).failedMethods()).contains("shouldMoveASweepMarkOnlyForward")
        .isSubsetOf("shouldMoveASweepMarkOnlyForward", "shouldKeepTheLatestSweepMarkWhenSweepsFinishTogether");
  }

  @Test
  void shouldFailOnlyTheMoneyTestsOnATrailThatDropsMoney() {
    assertThat(run(DropsMoney.class).failedMethods()).containsExactly(
        "shouldKeepPricesAmountsAndFeesExactlyInEveryCurrency",
        "shouldReadBackNoPriceAmountOrFeeForABookingWithoutAPrice");
  }

  @Test
  void shouldFailOnlyTheAttemptTestsOnATrailThatForgetsDeclines() {
    assertThat(run(ForgetsDeclines.class).failedMethods()).containsExactly(
        "shouldGiveTheAttemptAfterADeclinedOneTheNextAttemptUntilOneIsClaimed",
        "shouldKeepTheAttemptsOfEachChangeApart",
        "shouldReturnAbandonedHoldsWithTheirAttemptAndAmount");
  }

  @Test
  void shouldFailOnlyTheChargeTestsOnATrailThatClaimsHoldsOnlyForSecure() {
    assertThat(run(ClaimsOnlyForSecure.class).failedMethods()).containsExactly(
        "shouldGiveTheAttemptAfterADeclinedOneTheNextAttemptUntilOneIsClaimed",
        "shouldLetTheAppendOfAChargeClaimItsHoldLikeASecure",
        "shouldOweTheSettlementConsumerExactlyWhatSettlesAfterRecordingAllDueAtOnce",
        "shouldRefuseToAppendASecuredChangeWithoutAHoldToClaim");
  }

  @Test
  void shouldFailOnlyTheWorkflowVersionTestsOnATrailThatDropsVersions() {
    assertThat(run(DropsWorkflowVersions.class).failedMethods()).containsExactly(
        "shouldCountBookingsByTheWorkflowVersionOfTheirLatestEntry",
        "shouldFindTheLatestEntriesOfBookingsPinnedToAVersionInBookingIdOrderPageByPage",
        "shouldReadBackEachEntrysWorkflowVersionExactlyAndNoneForAnEntryWithout",
        "shouldRefuseAnEntryPinnedToAnotherVersionThanItsBookingsUnlessItMigratesTheBooking");
  }

  @Test
  void shouldFailOnlyTheRepinningTestOnATrailThatKeepsABookingsVersionWithoutAMigration() {
    assertThat(run(KeepsTheVersionWithoutAMigration.class).failedMethods())
        .containsExactly("shouldRefuseAnEntryPinnedToAnotherVersionThanItsBookingsUnlessItMigratesTheBooking");
  }

  @Test
  void shouldFailOnlyTheCountAndFindTestsOnATrailThatReadsEveryEntryNotTheLatest() {
    assertThat(run(ReadsEveryEntryNotTheLatest.class).failedMethods()).containsExactly(
        "shouldCountBookingsByTheWorkflowVersionOfTheirLatestEntry",
        "shouldFindTheLatestEntriesOfBookingsPinnedToAVersionInBookingIdOrderPageByPage");
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

  /**
   * A contract run on a broken trail; one race of each kind is enough, since every broken trail's fault
   * shows without a race.
   */
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
        public List<BookingTimes> findTimerCandidates(BookingState state, Timepoint timepoint, Instant from,
            String afterBookingId, Instant to, int limit) {
          if (state == null || timepoint == null || to == null) {
            throw new InvalidBookingInputException("state", "state, timepoint and to are required");
          }
          return limit < 1 || limit > 10_000 ? List.of()
              : super.findTimerCandidates(state, timepoint, from, afterBookingId, to, limit);
        }
      };
    }
  }

  /**
   * Finds timer candidates its own way: over the bookings it was given, in the order they were first
   * appended, as each subclass finds and orders them, within the bounds and after the booking id asked for.
   */
  abstract static class CandidateFindingTrail extends DeclaringTrail {

    private final Set<String> bookingIds = Collections.synchronizedSet(new LinkedHashSet<>());

    CandidateFindingTrail(BookingLimits limits) {
      super(limits, BookingLimits.defaults());
    }

    /** Returns the booking's times as found for the state, or {@code null} if it is not a candidate. */
    abstract BookingTimes found(List<AuditEntry> history, BookingState state);

    /** Returns the order of the candidates. */
    abstract Comparator<BookingTimes> order(Timepoint timepoint);

    @Override
    public void append(AuditEntry entry, PaymentMoment paymentMoment) {
      super.append(entry, paymentMoment);
      bookingIds.add(entry.bookingId());
    }

    @Override
    public List<BookingTimes> findTimerCandidates(BookingState state, Timepoint timepoint, Instant from,
        String afterBookingId, Instant to, int limit) {
      // Only for its argument checks.
      memory.findTimerCandidates(state, timepoint, from, afterBookingId, to, limit);
      List<String> ids;
      synchronized (bookingIds) {
        ids = List.copyOf(bookingIds);
      }
      return ids.stream().map(id -> found(memory.history(id), state)).filter(Objects::nonNull)
          .filter(times -> {
            Instant value = times.at(timepoint);
            if (value == null || value.isAfter(to)) {
              return false;
            }
            int sinceFrom = from == null ? 1 : value.compareTo(from);
            return sinceFrom > 0 || (sinceFrom == 0
                && (afterBookingId == null || times.latest().bookingId().compareTo(afterBookingId) > 0));
          })
          .sorted(order(timepoint)).limit(limit).toList();
    }

    static Comparator<BookingTimes> byTimeAndId(Timepoint timepoint) {
      return Comparator.comparing((BookingTimes times) -> times.at(timepoint))
          .thenComparing(times -> times.latest().bookingId());
    }
  }

  /** Finds a booking by its last entry into the state, even when it has left the state since. */
  static class FindsBookingsThatMovedOn extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new CandidateFindingTrail(limits) {
        @Override
        BookingTimes found(List<AuditEntry> history, BookingState state) {
          return history.stream().filter(entry -> entry.toState().equals(state)).reduce((first, second) -> second)
              .map(entry -> new BookingTimes(entry, history.get(0).occurredAt())).orElse(null);
        }

        @Override
        Comparator<BookingTimes> order(Timepoint timepoint) {
          return byTimeAndId(timepoint);
        }
      };
    }
  }

  /** Orders candidates by the timepoint alone, leaving those at the same instant in the order appended. */
  static class OrdersCandidatesByTimeAlone extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new CandidateFindingTrail(limits) {
        @Override
        BookingTimes found(List<AuditEntry> history, BookingState state) {
          AuditEntry latest = history.get(history.size() - 1);
          return latest.toState().equals(state) ? new BookingTimes(latest, history.get(0).occurredAt()) : null;
        }

        @Override
        Comparator<BookingTimes> order(Timepoint timepoint) {
          return Comparator.comparing((BookingTimes times) -> times.at(timepoint));
        }
      };
    }
  }

  /** Reports every scheduled delivery as created, as an insert that ignores conflicts without counting rows. */
  static class ReportsEveryScheduledDeliveryAsNew extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public boolean scheduleDelivery(String consumer, String bookingId, long sequence, Instant dueAt) {
          memory.scheduleDelivery(consumer, bookingId, sequence, dueAt);
          return true;
        }
      };
    }
  }

  /** Makes a dead scheduled delivery pending again when the change is scheduled anew, as an upsert would. */
  static class RevivesDeadScheduledDeliveries extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public boolean scheduleDelivery(String consumer, String bookingId, long sequence, Instant dueAt) {
          return memory.scheduleDelivery(consumer, bookingId, sequence, dueAt)
              || memory.resubmit(consumer, bookingId, sequence, dueAt);
        }
      };
    }
  }

  /** Keeps the last mark written, not the latest instant. */
  static class MovesSweepMarksBack extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        private final Map<String, Instant> marks = new ConcurrentHashMap<>();

        @Override
        public Optional<Instant> timerSweptTo(String timer) {
          memory.timerSweptTo(timer);
          return Optional.ofNullable(marks.get(timer));
        }

        @Override
        public void advanceTimerSweep(String timer, Instant sweptTo) {
          memory.advanceTimerSweep(timer, sweptTo);
          marks.put(timer, sweptTo);
        }
      };
    }
  }

  /** Stores entries without their price, amount and fee, as a table without money columns would. */
  static class DropsMoney extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public void append(AuditEntry entry, PaymentMoment paymentMoment) {
          super.append(new AuditEntry(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole(),
              entry.actorId(), entry.customerId(), entry.gigstaId(), entry.fromState(), entry.toState(),
              entry.occurredAt(), entry.note(), entry.reason(), entry.scheduledStart(), null, null, null,
              entry.workflowVersion()), paymentMoment);
        }
      };
    }
  }

  /** Stores entries without their workflow version, as a table without the version columns would. */
  static class DropsWorkflowVersions extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public void append(AuditEntry entry, PaymentMoment paymentMoment) {
          super.append(withVersion(entry, null), paymentMoment);
        }
      };
    }
  }

  /**
   * Records an entry pinned to another version than its booking's as if it were pinned to the booking's,
   * instead of refusing it; only a migration entry changes the version.
   */
  static class KeepsTheVersionWithoutAMigration extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public void append(AuditEntry entry, PaymentMoment paymentMoment) {
          Optional<AuditEntry> latest = memory.latest(entry.bookingId());
          boolean keeps = latest.isPresent() && !entry.actionName().equals(WorkflowMigration.ACTION_NAME);
          super.append(keeps ? withVersion(entry, latest.get().workflowVersion()) : entry, paymentMoment);
        }
      };
    }
  }

  /**
   * Counts and finds a booking by the version of each of its entries, as a query that forgets to keep
   * only each booking's latest row would: a migrated booking also under the version it left.
   */
  static class ReadsEveryEntryNotTheLatest extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        private final Set<String> bookingIds = ConcurrentHashMap.newKeySet();

        @Override
        public void append(AuditEntry entry, PaymentMoment paymentMoment) {
          super.append(entry, paymentMoment);
          bookingIds.add(entry.bookingId());
        }

        @Override
        public Map<WorkflowVersion, Long> workflowVersionsInUse(WorkflowVersion unpinnedAs) {
          // Only for its argument checks.
          memory.workflowVersionsInUse(unpinnedAs);
          Map<WorkflowVersion, Long> counts = new TreeMap<>(
              Comparator.comparing(WorkflowVersion::name).thenComparingInt(WorkflowVersion::number));
          for (String bookingId : bookingIds) {
            versionsOf(bookingId, unpinnedAs).forEach(version -> counts.merge(version, 1L, Long::sum));
          }
          return counts;
        }

        @Override
        public List<AuditEntry> findPinnedTo(WorkflowVersion version, WorkflowVersion unpinnedAs,
            String afterBookingId, int limit) {
          // Only for its argument checks.
          memory.findPinnedTo(version, unpinnedAs, afterBookingId, limit);
          return bookingIds.stream().sorted()
              .filter(id -> afterBookingId == null || id.compareTo(afterBookingId) > 0)
              .filter(id -> versionsOf(id, unpinnedAs).contains(version))
              .map(id -> memory.latest(id).orElseThrow()).limit(limit).toList();
        }

        private Set<WorkflowVersion> versionsOf(String bookingId, WorkflowVersion unpinnedAs) {
          Set<WorkflowVersion> versions = new LinkedHashSet<>();
          for (AuditEntry entry : memory.history(bookingId)) {
            versions.add(entry.workflowVersion() == null ? unpinnedAs : entry.workflowVersion());
          }
          return versions;
        }
      };
    }
  }

  /** Leaves a declined hold held, so its attempt is made again with the key the provider declined. */
  static class ForgetsDeclines extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public void markHoldDeclined(PaymentRequest secure) {
          // Nothing: the hold stays held.
        }
      };
    }
  }

  /** Claims a hold only for {@link PaymentMoment#SECURE}, so a charge is recorded without claiming one. */
  static class ClaimsOnlyForSecure extends BrokenTrailContract {

    @Override
    protected AuditTrail createTrail(BookingLimits limits) {
      return new DeclaringTrail(limits, BookingLimits.defaults()) {
        @Override
        public void append(AuditEntry entry, PaymentMoment paymentMoment) {
          if (paymentMoment != PaymentMoment.CHARGE) {
            super.append(entry, paymentMoment);
            return;
          }
          // Records the charge as a capture would be, which claims nothing, and remembers it as a charge.
          super.append(entry, PaymentMoment.CAPTURE);
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
          entry.scheduledStart(), entry.price(), entry.amount(), entry.fee(), entry.workflowVersion()));
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

  private static AuditEntry withVersion(AuditEntry entry, WorkflowVersion version) {
    return new AuditEntry(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole(),
        entry.actorId(), entry.customerId(), entry.gigstaId(), entry.fromState(), entry.toState(),
        entry.occurredAt(), entry.note(), entry.reason(), entry.scheduledStart(), entry.price(), entry.amount(),
        entry.fee(), version);
  }

  private static AuditEntry withTimes(AuditEntry entry, UnaryOperator<Instant> change) {
    return new AuditEntry(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole(),
        entry.actorId(), entry.customerId(), entry.gigstaId(), entry.fromState(), entry.toState(),
        change.apply(entry.occurredAt()), entry.note(), entry.reason(),
        entry.scheduledStart() == null ? null : change.apply(entry.scheduledStart()), entry.price(), entry.amount(),
        entry.fee(), entry.workflowVersion());
  }
}
