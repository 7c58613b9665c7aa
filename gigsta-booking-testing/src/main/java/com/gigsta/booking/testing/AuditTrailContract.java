package com.gigsta.booking.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.WorkflowMigration;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The behaviour every {@link AuditTrail} must show, written once and run against each implementation:
 * subclass it and return, from {@link #createTrail(BookingLimits)}, a trail over storage that is empty
 * when each test starts.
 *
 * <p>Besides the order of entries and the refusal of entries that do not continue a booking, it checks
 * that the trail
 * <ul>
 *   <li>declares its {@link AuditTrail#limits() limits}, with the id and text lengths it was created
 *       with;</li>
 *   <li>refuses, with {@link InvalidBookingInputException} carrying the same message and field as
 *       {@link BookingLimits#check(AuditEntry)} and before anything is stored, longer ids and texts,
 *       times finer than its precision and times outside its range;</li>
 *   <li>reads back exactly everything within those limits: times at its earliest and latest instant and
 *       at full precision, and well-formed text in any script, characters outside the Basic Multilingual
 *       Plane included, at the longest length in UTF-16 code units;</li>
 *   <li>throws {@link NullPointerException} for a missing argument and {@link IllegalArgumentException}
 *       for a limit out of range;</li>
 *   <li>lets exactly one of many concurrent writers take a sequence;</li>
 *   <li>feeds every recorded change exactly once, in an order that keeps each booking's sequence, to a
 *       reader that follows the cursors while writers append, and nothing that was refused;</li>
 *   <li>owes the settlement consumer exactly the changes that settle after recording (charges,
 *       releases, refunds, captures and payouts), and a registered consumer every change from its
 *       registration on; honours leases, retry times, dead letters and
 *       resubmission; lets exactly one of many workers mark a delivery done;</li>
 *   <li>reads back a booking's price and each change's amount and fee exactly, in currencies with 0 to 3
 *       minor digits and up to the largest amount a {@code long} holds, and none for a booking without a
 *       price;</li>
 *   <li>reads back each entry's workflow version exactly, the longest name and the largest number
 *       included, and none for an entry without one; refuses an entry pinned to another version than its
 *       booking's latest entry unless it is a migration entry ({@link WorkflowMigration#ACTION_NAME});
 *       counts bookings per version by their latest entry, those without a version under the version
 *       asked for, in name and number order; and finds the latest entries of the bookings pinned to a
 *       version in booking-id order, page by page, those without a version only when the version sought
 *       is the one they are read as;</li>
 *   <li>lets the append of a change that secures before recording ({@link PaymentMoment#SECURE},
 *       {@link PaymentMoment#CHARGE}) claim its held hold, whichever attempt it is, refuses it without
 *       one (never recorded, declined, abandoned or released), and gives up a hold only once it is older
 *       than the cutoff asked for, after which its late append is refused; returns abandoned holds with
 *       their attempt and amount;</li>
 *   <li>counts payment attempts per change: 1 at first, the attempt still held for a repeat, and one
 *       more than the last declined or released attempt; a claimed hold is forgotten, a declined or
 *       released one kept;</li>
 *   <li>finds as timer candidates, for each {@link Timepoint}, exactly the bookings currently in the state
 *       whose timepoint lies within the bounds, both inclusive and compared exactly, even beyond the
 *       times it stores; in timepoint and booking-id order, each with its latest entry and creation
 *       time, never by a scheduled start it lacks; and pages on from a candidate returning each once;</li>
 *   <li>keeps each timer's sweep mark apart and only ever moves it forward, also when sweeps finish
 *       together;</li>
 *   <li>schedules a delivery of a recorded change to a scheduled consumer at most once, pending, done or
 *       dead, also for many concurrent callers; due from the time asked for, as the feed hands the change
 *       on, and retried, dead and resubmitted like any delivery; owes scheduled consumers nothing else
 *       and refuses to register them.</li>
 * </ul>
 *
 * <p>The times used lie around {@link #T0}, cut to the trail's own precision, so a trail whose range
 * includes the present passes whatever precision it keeps, from nanoseconds to seconds. Cases that a
 * trail's limits rule out are not generated: a trail that keeps nanoseconds has no finer time to refuse,
 * and a trail that keeps every {@link Instant} has none outside its range.
 */
public abstract class AuditTrailContract {

  /**
   * A time with six sub-second digits in use, so a loss of precision shows. The contract's own entries
   * use it cut to the trail's {@link BookingLimits#timePrecision() precision}.
   */
  protected static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");

  private static final int RACE_THREADS = 16;
  // Before any delivery a trail makes is due: claims at this time find only what failed and is due again.
  private static final Instant LONG_AGO = Instant.parse("1970-01-01T00:00:00Z");

  /** Emoji, a musical symbol and a CJK Extension B ideograph: two UTF-16 code units each. */
  private static final String ASTRAL = "🎸😅𝄞𠀀🇩🇪";
  /** Hebrew and Arabic, written right to left. */
  private static final String RIGHT_TO_LEFT = "שלום-مرحبا-";
  /** Decomposed and precomposed accents, stacked combining marks, Hangul jamo and CJK ideographs. */
  private static final String COMBINING_AND_CJK = "e\u0301é-a\u0308\u0323-\u1100\u1161-予約中文한국어";
  /** Every kind at once, with the white space, line breaks and direction marks texts may hold. */
  private static final String MIXED_TEXT = "Übernachtung e\u0301 予約 שלום \u200Fمرحبا\u200E 👩‍👩‍👧 👍🏽 𝄞\n\tok ";

  /** Version 1 of the default workflow. */
  private static final WorkflowVersion GIGSTA_V1 = WorkflowVersion.of("gigsta", 1);
  /** Version 2 of the default workflow. */
  private static final WorkflowVersion GIGSTA_V2 = WorkflowVersion.of("gigsta", 2);

  private AuditTrail defaultTrail;

  /** For subclasses, one per implementation under test. */
  protected AuditTrailContract() {}

  /**
   * Returns a trail over this test's storage that refuses ids and texts longer than the lengths in
   * {@code limits}. The times it keeps are its own: the contract reads them from the trail's
   * {@link AuditTrail#limits()}, and ignores the precision and range in {@code limits}.
   *
   * <p>Trails created within one test may share storage; storage must be empty when each test starts.
   *
   * @param limits the id and text lengths the trail must enforce and declare
   * @return a new trail over this test's storage
   */
  protected abstract AuditTrail createTrail(BookingLimits limits);

  /**
   * Returns how many bookings the same-sequence race is run on, each with 16 writers, and how many
   * timers and changes the sweep-mark and scheduled-delivery races are run on, each with 8 callers.
   *
   * @return the number of races of each kind, 25 unless overridden
   */
  protected int raceRounds() {
    return 25;
  }

  /**
   * Returns the name printed with the race counts.
   *
   * @return the test class's simple name unless overridden
   */
  protected String implementationName() {
    return getClass().getSimpleName();
  }

  /**
   * Returns this test's trail with the default limits, created on first use.
   *
   * @return the trail {@link #createTrail(BookingLimits)} returned for {@link BookingLimits#defaults()}
   */
  protected final AuditTrail trail() {
    if (defaultTrail == null) {
      defaultTrail = createTrail(BookingLimits.defaults());
    }
    return defaultTrail;
  }

  /**
   * Returns the creation entry of a booking requested by {@code c-1} from {@code g-1}.
   *
   * @param bookingId the booking's id
   * @param at when it was requested
   * @return the entry with sequence 1 and state {@link BookingState#REQUESTED}
   */
  protected static AuditEntry creation(String bookingId, Instant at) {
    return new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, at, "Booking requested by customer", null, null);
  }

  /**
   * Returns the entry following {@code previous} that moves the booking to {@code to} as the GigSta.
   *
   * @param previous the booking's latest entry
   * @param action the action's name
   * @param to the state after the change
   * @param at when it happened
   * @return the entry with the next sequence, from {@code previous}'s state
   */
  protected static AuditEntry next(AuditEntry previous, String action, BookingState to, Instant at) {
    return new AuditEntry(previous.bookingId(), previous.sequence() + 1, action, Role.GIGSTA, previous.gigstaId(),
        previous.customerId(), previous.gigstaId(), previous.toState(), to, at, "Booking changed by GigSta", null,
        previous.scheduledStart());
  }

  /** Returns the creation entry of a booking requested by {@code c-1} from {@code g-1}, to start at {@code start}. */
  private static AuditEntry scheduledCreation(String bookingId, Instant at, Instant start) {
    return new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, at, "Booking requested by customer", null, start);
  }

  /** {@link #T0} cut to the trail's precision, so the trail can keep it. */
  private Instant t0() {
    return trail().limits().truncate(T0);
  }

  /** The finest step of time the trail keeps. */
  private Duration tick() {
    return trail().limits().timePrecision().getDuration();
  }

  // ---- order and continuation ----

  @Test
  void shouldReturnHistoryInSequenceOrderEqualToWhatWasAppended() {
    AuditEntry first = creation("b-history", t0());
    AuditEntry second = next(first, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(60));
    AuditEntry third = next(second, "mark_in_progress", BookingState.IN_PROGRESS, t0().plusSeconds(120));
    trail().append(first);
    trail().append(second);
    trail().append(third);

    assertThat(trail().history("b-history")).containsExactly(first, second, third);
  }

  @Test
  void shouldReturnTheLastAppendedEntryAsLatest() {
    AuditEntry first = creation("b-latest", t0());
    trail().append(first);
    assertThat(trail().latest("b-latest")).contains(first);

    AuditEntry second = next(first, "decline_booking", BookingState.DECLINED, t0().plusSeconds(1));
    trail().append(second);
    assertThat(trail().latest("b-latest")).contains(second);
  }

  @Test
  void shouldReturnNothingForAnUnknownBooking() {
    trail().append(creation("b-known", t0()));

    assertThat(trail().history("b-unknown")).isEmpty();
    assertThat(trail().latest("b-unknown")).isEmpty();
  }

  @Test
  void shouldRefuseATakenSequenceNamingTheBooking() {
    AuditEntry first = creation("b-taken", t0());
    trail().append(first);
    AuditEntry accepted = next(first, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));
    trail().append(accepted);
    AuditEntry declined = next(first, "decline_booking", BookingState.DECLINED, t0().plusSeconds(2));

    BookingChangedConcurrentlyException refused =
        catchThrowableOfType(BookingChangedConcurrentlyException.class, () -> trail().append(declined));

    assertThat(refused).isNotNull();
    assertThat(refused.bookingId()).isEqualTo("b-taken");
    assertThat(refused.attemptedSequence()).isEqualTo(2);
    assertThat(trail().history("b-taken")).containsExactly(first, accepted);
  }

  @Test
  void shouldRefuseAGapInTheSequence() {
    AuditEntry first = creation("b-gap", t0());
    trail().append(first);
    AuditEntry second = next(first, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));
    AuditEntry third = next(second, "mark_in_progress", BookingState.IN_PROGRESS, t0().plusSeconds(2));

    assertThatThrownBy(() -> trail().append(third)).isInstanceOf(BookingChangedConcurrentlyException.class)
        .hasMessageContaining("b-gap");
    assertThat(trail().history("b-gap")).containsExactly(first);
  }

  @Test
  void shouldRefuseAFirstEntryThatIsNotTheCreation() {
    AuditEntry orphan = next(creation("b-orphan", t0()), "accept_booking", BookingState.ACCEPTED, t0());

    assertThatThrownBy(() -> trail().append(orphan)).isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThat(trail().history("b-orphan")).isEmpty();
  }

  @Test
  void shouldRefuseAnEntryFromAnotherStateThanTheLatest() {
    AuditEntry first = creation("b-state", t0());
    trail().append(first);
    AuditEntry fromAccepted = new AuditEntry("b-state", 2, "mark_in_progress", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.ACCEPTED, BookingState.IN_PROGRESS, t0().plusSeconds(1), "Booking changed by GigSta", null,
        null);

    assertThatThrownBy(() -> trail().append(fromAccepted)).isInstanceOf(BookingChangedConcurrentlyException.class)
        .hasMessageContaining("b-state");
    assertThat(trail().history("b-state")).containsExactly(first);
  }

  @Test
  void shouldRefuseAnEntryNamingOtherParties() {
    AuditEntry first = creation("b-parties", t0());
    trail().append(first);
    AuditEntry otherCustomer = new AuditEntry("b-parties", 2, "accept_booking", Role.GIGSTA, "g-1", "c-2", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, t0().plusSeconds(1), "Booking changed by GigSta", null, null);
    AuditEntry otherGigsta = new AuditEntry("b-parties", 2, "accept_booking", Role.GIGSTA, "g-2", "c-1", "g-2",
        BookingState.REQUESTED, BookingState.ACCEPTED, t0().plusSeconds(1), "Booking changed by GigSta", null, null);

    assertThatThrownBy(() -> trail().append(otherCustomer)).isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThatThrownBy(() -> trail().append(otherGigsta)).isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThat(trail().history("b-parties")).containsExactly(first);
  }

  @Test
  void shouldRefuseASecondCreation() {
    AuditEntry first = creation("b-twice", t0());
    trail().append(first);

    BookingChangedConcurrentlyException refused = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> trail().append(creation("b-twice", t0().plusSeconds(5))));

    assertThat(refused).isNotNull();
    assertThat(refused.bookingId()).isEqualTo("b-twice");
    assertThat(trail().history("b-twice")).containsExactly(first);
  }

  // ---- money ----

  @Test
  void shouldKeepPricesAmountsAndFeesExactlyInEveryCurrency() {
    List<List<AuditEntry>> bookings = new ArrayList<>();
    // Two, zero and three minor digits, and the largest amount a long holds.
    for (Money price : List.of(Money.of(12_345, "EUR"), Money.of(500_000, "JPY"), Money.of(1_234_567, "KWD"),
        Money.of(Long.MAX_VALUE, "USD"))) {
      String bookingId = "b-money-" + price.currencyCode();
      AuditEntry created = pricedCreation(bookingId, t0(), price);
      AuditEntry charged = nextWithMoney(created, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1),
          price, null);
      Money kept = price.percent(25);
      AuditEntry refunded = nextWithMoney(charged, "cancel_booking", BookingState.CANCELLED_BY_CUSTOMER,
          t0().plusSeconds(2), price.minus(kept), kept);
      trail().append(created);
      trail().append(charged);
      trail().append(refunded, PaymentMoment.REFUND);
      bookings.add(List.of(created, charged, refunded));
    }
    // A fee of nothing is an amount, not its absence.
    AuditEntry created = pricedCreation("b-money-zero-fee", t0(), Money.of(1, "EUR"));
    AuditEntry refundedInFull = nextWithMoney(created, "cancel_booking", BookingState.CANCELLED_BY_CUSTOMER,
        t0().plusSeconds(1), Money.of(1, "EUR"), Money.of(0, "EUR"));
    trail().append(created);
    trail().append(refundedInFull, PaymentMoment.REFUND);
    bookings.add(List.of(created, refundedInFull));

    for (List<AuditEntry> entries : bookings) {
      String bookingId = entries.get(0).bookingId();
      assertThat(trail().history(bookingId)).as(bookingId).containsExactlyElementsOf(entries);
      AuditEntry last = entries.get(entries.size() - 1);
      assertThat(trail().latest(bookingId)).contains(last);
      assertThat(trail().latest(bookingId).orElseThrow()).satisfies(latest -> {
        assertThat(latest.price()).isEqualTo(last.price());
        assertThat(latest.amount()).isEqualTo(last.amount());
        assertThat(latest.fee()).isEqualTo(last.fee());
      });
    }
    assertThat(trail().history("b-money-zero-fee").get(1).fee()).isEqualTo(Money.of(0, "EUR"));
    assertThat(trail().history("b-money-USD").get(1).amount().amountMinor()).isEqualTo(Long.MAX_VALUE);
    assertThat(trail().changesSince(ChangeCursor.start(), 100).changes()).extracting(FeedChange::entry)
        .containsExactlyInAnyOrderElementsOf(bookings.stream().flatMap(List::stream).toList());
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, LONG_AGO, LONG_AGO, 100))
        .extracting(delivery -> delivery.change().entry().amount())
        .containsExactlyInAnyOrder(Money.of(9_259, "EUR"), Money.of(375_000, "JPY"), Money.of(925_926, "KWD"),
            Money.of(Long.MAX_VALUE, "USD").minus(Money.of(Long.MAX_VALUE, "USD").percent(25)), Money.of(1, "EUR"));
  }

  @Test
  void shouldReadBackNoPriceAmountOrFeeForABookingWithoutAPrice() {
    AuditEntry created = creation("b-no-price", t0());
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));
    AuditEntry priced = pricedCreation("b-priced", t0(), Money.of(4_000, "EUR"));
    trail().append(created);
    trail().append(accepted);
    trail().append(priced);

    assertThat(trail().history("b-no-price")).containsExactly(created, accepted).allSatisfy(entry -> {
      assertThat(entry.price()).isNull();
      assertThat(entry.amount()).isNull();
      assertThat(entry.fee()).isNull();
    });
    assertThat(trail().latest("b-priced")).map(AuditEntry::price).contains(Money.of(4_000, "EUR"));
    assertThat(trail().latest("b-priced")).map(AuditEntry::amount).isEmpty();
  }

  // ---- workflow versions ----

  @Test
  void shouldReadBackEachEntrysWorkflowVersionExactlyAndNoneForAnEntryWithout() {
    // The longest name a workflow may have, and the largest number.
    WorkflowVersion longest = WorkflowVersion.of("w" + "0-a_".repeat(15) + "zzz", Integer.MAX_VALUE);
    AuditEntry created = pinnedTo(creation("b-version-2", t0()), GIGSTA_V2);
    AuditEntry accepted = pinnedTo(next(created, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1)),
        GIGSTA_V2);
    AuditEntry extreme = pinnedTo(creation("b-version-longest", t0()), longest);
    AuditEntry unpinned = creation("b-version-none", t0());
    AuditEntry unpinnedAccepted = next(unpinned, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));
    for (AuditEntry entry : List.of(created, accepted, extreme, unpinned, unpinnedAccepted)) {
      trail().append(entry);
    }

    assertThat(trail().history("b-version-2")).containsExactly(created, accepted)
        .extracting(AuditEntry::workflowVersion).containsOnly(GIGSTA_V2);
    assertThat(trail().latest("b-version-longest")).map(AuditEntry::workflowVersion).contains(longest);
    assertThat(trail().history("b-version-none")).containsExactly(unpinned, unpinnedAccepted)
        .extracting(AuditEntry::workflowVersion).containsOnlyNulls();
    assertThat(trail().latest("b-version-none")).contains(unpinnedAccepted);
    assertThat(trail().changesSince(ChangeCursor.start(), 100).changes()).extracting(FeedChange::entry)
        .containsExactlyInAnyOrder(created, accepted, extreme, unpinned, unpinnedAccepted);
    assertThat(trail().findTimerCandidates(BookingState.ACCEPTED, Timepoint.STATE_ENTERED, null, null,
        t0().plusSeconds(60), 10)).extracting(BookingTimes::latest)
        .containsExactlyInAnyOrder(accepted, unpinnedAccepted);
  }

  @Test
  void shouldRefuseAnEntryPinnedToAnotherVersionThanItsBookingsUnlessItMigratesTheBooking() {
    AuditEntry created = pinnedTo(creation("b-repin", t0()), GIGSTA_V1);
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));

    for (WorkflowVersion other : Arrays.asList(null, GIGSTA_V2, WorkflowVersion.of("other", 1))) {
      BookingChangedConcurrentlyException refused = catchThrowableOfType(BookingChangedConcurrentlyException.class,
          () -> trail().append(pinnedTo(accepted, other)));
      assertThat(refused).as("an accept_booking pinned to %s after one pinned to %s", other, GIGSTA_V1).isNotNull();
      assertThat(refused.bookingId()).isEqualTo("b-repin");
      assertThat(refused.attemptedSequence()).isEqualTo(2);
    }
    assertThat(trail().history("b-repin")).containsExactly(created);

    AuditEntry migrated = migration(created, BookingState.REQUESTED, GIGSTA_V2, t0().plusSeconds(2));
    trail().append(migrated);
    AuditEntry acceptedUnderV2 = pinnedTo(next(migrated, "accept_booking", BookingState.ACCEPTED,
        t0().plusSeconds(3)), GIGSTA_V2);
    assertThatThrownBy(() -> trail().append(pinnedTo(acceptedUnderV2, GIGSTA_V1)))
        .as("back to the version it left, without a migration").isInstanceOf(BookingChangedConcurrentlyException.class);
    trail().append(acceptedUnderV2);
    assertThat(trail().history("b-repin")).containsExactly(created, migrated, acceptedUnderV2);

    // A booking recorded before bookings were pinned goes on without a version until a migration pins it.
    AuditEntry old = creation("b-unpinned", t0());
    trail().append(old);
    AuditEntry oldAccepted = next(old, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));
    assertThatThrownBy(() -> trail().append(pinnedTo(oldAccepted, GIGSTA_V1)))
        .isInstanceOf(BookingChangedConcurrentlyException.class);
    trail().append(oldAccepted);
    AuditEntry pinned = migration(oldAccepted, BookingState.ACCEPTED, GIGSTA_V2, t0().plusSeconds(2));
    trail().append(pinned);
    assertThat(trail().history("b-unpinned")).containsExactly(old, oldAccepted, pinned);
  }

  @Test
  void shouldCountBookingsByTheWorkflowVersionOfTheirLatestEntry() {
    assertThat(trail().workflowVersionsInUse(GIGSTA_V1)).as("an empty trail").isEmpty();
    WorkflowVersion v10 = WorkflowVersion.of("gigsta", 10);
    WorkflowVersion other = WorkflowVersion.of("other", 1);
    // Two bookings without a version, one of them with two entries.
    trail().append(creation("b-count-unpinned-1", t0()));
    AuditEntry unpinned = creation("b-count-unpinned-2", t0());
    trail().append(unpinned);
    trail().append(next(unpinned, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1)));
    // One pinned to version 1, which counts with those read as version 1.
    trail().append(pinnedTo(creation("b-count-v1", t0()), GIGSTA_V1));
    // Two created under version 2, and two migrated to it: one from version 1, one from none.
    for (String bookingId : List.of("b-count-v2-1", "b-count-v2-2")) {
      trail().append(pinnedTo(creation(bookingId, t0()), GIGSTA_V2));
    }
    AuditEntry fromV1 = pinnedTo(creation("b-count-from-v1", t0()), GIGSTA_V1);
    trail().append(fromV1);
    trail().append(migration(fromV1, BookingState.REQUESTED, GIGSTA_V2, t0().plusSeconds(1)));
    AuditEntry fromNone = creation("b-count-from-none", t0());
    trail().append(fromNone);
    trail().append(migration(fromNone, BookingState.REQUESTED, GIGSTA_V2, t0().plusSeconds(1)));
    // Version 10, after version 2 by number though not by its text; and another workflow.
    trail().append(pinnedTo(creation("b-count-v10", t0()), v10));
    trail().append(pinnedTo(creation("b-count-other", t0()), other));

    Map<WorkflowVersion, Long> inUse = trail().workflowVersionsInUse(GIGSTA_V1);

    assertThat(inUse).containsExactly(entry(GIGSTA_V1, 3L), entry(GIGSTA_V2, 4L), entry(v10, 1L), entry(other, 1L));
    assertThat(trail().workflowVersionsInUse(other)).as("those without a version read as %s", other)
        .containsExactly(entry(GIGSTA_V1, 1L), entry(GIGSTA_V2, 4L), entry(v10, 1L), entry(other, 3L));
    WorkflowVersion legacy = WorkflowVersion.of("legacy", 7);
    assertThat(trail().workflowVersionsInUse(legacy)).as("those without a version read as %s", legacy)
        .containsExactly(entry(GIGSTA_V1, 1L), entry(GIGSTA_V2, 4L), entry(v10, 1L), entry(legacy, 2L),
            entry(other, 1L));
  }

  @Test
  void shouldFindTheLatestEntriesOfBookingsPinnedToAVersionInBookingIdOrderPageByPage() {
    // Ids of one shape in lowercase ASCII, whose order every collation of a database agrees on. Pinned to
    // version 2: a, c and d created under it (d has moved on since), b migrated to it from version 1, e
    // from no version.
    AuditEntry a = pinnedTo(creation("b-pin-a", t0()), GIGSTA_V2);
    AuditEntry bCreated = pinnedTo(creation("b-pin-b", t0()), GIGSTA_V1);
    AuditEntry b = migration(bCreated, BookingState.REQUESTED, GIGSTA_V2, t0().plusSeconds(1));
    AuditEntry c = pinnedTo(creation("b-pin-c", t0()), GIGSTA_V2);
    AuditEntry dCreated = pinnedTo(creation("b-pin-d", t0()), GIGSTA_V2);
    AuditEntry d = pinnedTo(next(dCreated, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1)), GIGSTA_V2);
    AuditEntry eCreated = creation("b-pin-e", t0());
    AuditEntry e = migration(eCreated, BookingState.REQUESTED, GIGSTA_V2, t0().plusSeconds(1));
    // Not pinned to version 2: f migrated from it to version 3, g without a version, h pinned to version 1
    // and i to version 2 of another workflow.
    AuditEntry fCreated = pinnedTo(creation("b-pin-f", t0()), GIGSTA_V2);
    AuditEntry f = migration(fCreated, BookingState.REQUESTED, WorkflowVersion.of("gigsta", 3), t0().plusSeconds(1));
    AuditEntry g = creation("b-pin-g", t0());
    AuditEntry h = pinnedTo(creation("b-pin-h", t0()), GIGSTA_V1);
    AuditEntry i = pinnedTo(creation("b-pin-i", t0()), WorkflowVersion.of("other", 2));
    // Appended out of every order.
    for (AuditEntry entry : List.of(i, c, dCreated, h, fCreated, a, f, d, g, bCreated, eCreated, b, e)) {
      trail().append(entry);
    }

    List<List<AuditEntry>> pages = new ArrayList<>();
    String after = null;
    List<AuditEntry> page;
    do {
      page = trail().findPinnedTo(GIGSTA_V2, GIGSTA_V1, after, 2);
      pages.add(page);
      after = page.isEmpty() ? after : page.get(page.size() - 1).bookingId();
    } while (page.size() == 2 && pages.size() <= 10);

    assertThat(pages).containsExactly(List.of(a, b), List.of(c, d), List.of(e));
    assertThat(trail().findPinnedTo(GIGSTA_V2, GIGSTA_V1, null, 10_000)).containsExactly(a, b, c, d, e);
    assertThat(trail().findPinnedTo(GIGSTA_V2, GIGSTA_V1, "b-pin-b", 10)).as("after b").containsExactly(c, d, e);
    assertThat(trail().findPinnedTo(GIGSTA_V2, GIGSTA_V1, "b-pin-bb", 10)).as("after an id no booking has")
        .containsExactly(c, d, e);
    assertThat(trail().findPinnedTo(GIGSTA_V2, GIGSTA_V1, "b-pin-e", 10)).as("after the last").isEmpty();
    assertThat(trail().findPinnedTo(WorkflowVersion.of("gigsta", 3), GIGSTA_V1, null, 10)).containsExactly(f);
    // Bookings without a version only when the version sought is the one they are read as.
    assertThat(trail().findPinnedTo(GIGSTA_V1, GIGSTA_V1, null, 10)).containsExactly(g, h);
    assertThat(trail().findPinnedTo(GIGSTA_V1, WorkflowVersion.of("gigsta", 9), null, 10)).containsExactly(h);
    assertThat(trail().findPinnedTo(GIGSTA_V2, GIGSTA_V2, null, 10)).containsExactly(a, b, c, d, e, g);
    WorkflowVersion legacy = WorkflowVersion.of("legacy", 1);
    assertThat(trail().findPinnedTo(legacy, legacy, null, 10)).containsExactly(g);
  }

  @Test
  void shouldRejectBadWorkflowVersionArguments() {
    trail().append(pinnedTo(creation("b-version-args", t0()), GIGSTA_V1));

    assertThatNullPointerException().isThrownBy(() -> trail().workflowVersionsInUse(null));
    assertThatNullPointerException().isThrownBy(() -> trail().findPinnedTo(null, GIGSTA_V1, null, 10));
    assertThatNullPointerException().isThrownBy(() -> trail().findPinnedTo(GIGSTA_V1, null, null, 10));
    for (int limit : new int[] {-1, 0, 10_001}) {
      assertThatIllegalArgumentException().as("limit %d", limit)
          .isThrownBy(() -> trail().findPinnedTo(GIGSTA_V1, GIGSTA_V1, null, limit));
    }
    assertThat(trail().findPinnedTo(GIGSTA_V1, GIGSTA_V1, null, 10_000)).extracting(AuditEntry::bookingId)
        .containsExactly("b-version-args");
  }

  /** Returns the entry as it is, pinned to {@code version}, or to none for {@code null}. */
  private static AuditEntry pinnedTo(AuditEntry entry, WorkflowVersion version) {
    return new AuditEntry(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole(),
        entry.actorId(), entry.customerId(), entry.gigstaId(), entry.fromState(), entry.toState(),
        entry.occurredAt(), entry.note(), entry.reason(), entry.scheduledStart(), entry.price(), entry.amount(),
        entry.fee(), version);
  }

  /** Returns the entry of an operator's migration of the booking to {@code to} in {@code version}. */
  private static AuditEntry migration(AuditEntry previous, BookingState to, WorkflowVersion version, Instant at) {
    return new AuditEntry(previous.bookingId(), previous.sequence() + 1, WorkflowMigration.ACTION_NAME,
        Role.OPERATOR, "op-1", previous.customerId(), previous.gigstaId(), previous.toState(), to, at,
        "Moved to workflow " + version, "Moving to the new version", previous.scheduledStart(), previous.price(),
        null, null, version);
  }

  // ---- limits: lengths ----

  @Test
  void shouldDeclareItsLimitsWithTheLengthsItWasCreatedWith() {
    AuditTrail custom = createTrail(new BookingLimits(37, 301));

    assertThat(custom.limits()).isNotNull();
    assertThat(custom.limits().maxIdLength()).isEqualTo(37);
    assertThat(custom.limits().maxTextLength()).isEqualTo(301);
    assertThat(trail().limits()).isNotNull();
    assertThat(trail().limits().maxIdLength()).isEqualTo(BookingLimits.DEFAULT_MAX_ID_LENGTH);
    assertThat(trail().limits().maxTextLength()).isEqualTo(BookingLimits.DEFAULT_MAX_TEXT_LENGTH);
  }

  @Test
  void shouldStoreIdsAndTextsOfExactlyTheLongestLengths() {
    AuditTrail strict = createTrail(new BookingLimits(8, 20));
    String bookingId = "b".repeat(8);
    String customerId = "c".repeat(8);
    String gigstaId = "g".repeat(8);
    AuditEntry requested = new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, customerId, customerId,
        gigstaId, null, BookingState.REQUESTED, t0(), "n".repeat(20), null, null);
    AuditEntry declined = new AuditEntry(bookingId, 2, "decline_booking", Role.GIGSTA, gigstaId, customerId,
        gigstaId, BookingState.REQUESTED, BookingState.DECLINED, t0().plusSeconds(1), "n".repeat(20),
        "r".repeat(20), null);
    strict.append(requested);
    strict.append(declined);

    assertThat(strict.history(bookingId)).containsExactly(requested, declined);
  }

  @Test
  void shouldRefuseIdsAndTextsLongerThanItsLimitsAndStoreNothing() {
    BookingLimits strictLengths = new BookingLimits(8, 20);
    assertLongerValuesRefused(createTrail(strictLengths), strictLengths, "b-strict");
    assertLongerValuesRefused(trail(), BookingLimits.defaults(), "b-default");
  }

  private void assertLongerValuesRefused(AuditTrail trail, BookingLimits lengths, String bookingId) {
    String longId = "x".repeat(lengths.maxIdLength() + 1);
    String longText = "y".repeat(lengths.maxTextLength() + 1);
    List<AuditEntry> tooLong = List.of(
        creationWith(bookingId, longId, "c-1", "g-1", "note", null),
        creationWith(bookingId, "c-1", longId, "g-1", "note", null),
        creationWith(bookingId, "c-1", "c-1", longId, "note", null),
        creationWith(bookingId, "c-1", "c-1", "g-1", longText, null),
        creationWith(bookingId, "c-1", "c-1", "g-1", "note", longText));
    for (AuditEntry entry : tooLong) {
      // Only lengths are at fault here, and the lengths are the ones the trail was created with.
      assertRefused(trail, entry, lengths);
      assertThat(trail.history(bookingId)).as("stored after refusing %s", entry).isEmpty();
    }
    // An id the trail cannot store is one it cannot be asked about either, so only the refusal shows.
    assertRefused(trail, creationWith(longId, "c-1", "c-1", "g-1", "note", null), lengths);
  }

  // ---- limits: times ----

  @Test
  void shouldReadBackTimesExactlyAtItsPrecision() {
    ChronoUnit precision = trail().limits().timePrecision();
    List<Instant> instants = List.of(
        Instant.parse("2026-05-01T10:00:00.123456789Z").truncatedTo(precision),
        Instant.parse("2026-01-01T00:00:00Z").plus(tick()),
        Instant.parse("1969-12-31T23:59:59.999999999Z").truncatedTo(precision),
        Instant.parse("2038-01-19T03:14:08.999999999Z").truncatedTo(precision),
        Instant.parse("2026-03-29T01:30:00.500000Z").truncatedTo(precision));
    for (int i = 0; i < instants.size(); i++) {
      Instant at = instants.get(i);
      AuditEntry entry = new AuditEntry("b-precise-" + i, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1",
          null, BookingState.REQUESTED, at, "Booking requested by customer", null, at.plus(tick()));
      trail().append(entry);

      AuditEntry read = trail().latest(entry.bookingId()).orElseThrow();
      assertThat(read.occurredAt()).isEqualTo(at);
      assertThat(read.scheduledStart()).isEqualTo(at.plus(tick()));
      assertThat(read).isEqualTo(entry);
    }
  }

  @Test
  void shouldReadBackEntriesAtTheEarliestAndLatestTimesItDeclaresExactly() {
    Instant earliest = trail().limits().earliestTime();
    Instant latest = trail().limits().latestTime();
    AuditEntry atEarliest = new AuditEntry("b-earliest", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1",
        null, BookingState.REQUESTED, earliest, "Booking requested by customer", null, latest);
    AuditEntry atLatest = new AuditEntry("b-latest-time", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1",
        null, BookingState.REQUESTED, latest, "Booking requested by customer", null, earliest);
    trail().append(atEarliest);
    trail().append(atLatest);

    assertThat(trail().history("b-earliest")).containsExactly(atEarliest);
    assertThat(trail().history("b-latest-time")).containsExactly(atLatest);
    assertThat(trail().findTimerCandidates(BookingState.REQUESTED, Timepoint.STATE_ENTERED, earliest, null, latest,
        10)).containsExactly(new BookingTimes(atEarliest, earliest), new BookingTimes(atLatest, latest));
    assertThat(trail().findTimerCandidates(BookingState.REQUESTED, Timepoint.SCHEDULED_START, earliest, null, latest,
        10)).containsExactly(new BookingTimes(atLatest, latest), new BookingTimes(atEarliest, earliest));
  }

  @TestFactory
  Stream<DynamicTest> shouldRefuseTimesItCannotStoreExactlyAndStoreNothing() {
    BookingLimits limits = trail().limits();
    ChronoUnit precision = limits.timePrecision();
    String unit = precision.toString().toLowerCase(Locale.ROOT);
    List<DynamicTest> cases = new ArrayList<>();
    if (precision != ChronoUnit.NANOS) {
      Instant justAfter = t0().plusNanos(1);
      Instant justBefore = t0().plus(tick()).minusNanos(1);
      cases.add(timeCase(cases.size(), "occurredAt " + justAfter + ", a nanosecond past whole " + unit,
          justAfter, null));
      cases.add(timeCase(cases.size(), "occurredAt " + justBefore + ", a nanosecond before whole " + unit,
          justBefore, null));
      cases.add(timeCase(cases.size(), "scheduledStart " + justAfter + ", a nanosecond past whole " + unit,
          t0(), justAfter));
    }
    Optional<Instant> beforeEarliest = shifted(limits.earliestTime(), tick().negated());
    Optional<Instant> afterLatest = shifted(limits.latestTime(), tick());
    beforeEarliest.ifPresent(at -> {
      cases.add(timeCase(cases.size(), "occurredAt " + at + ", before the earliest time " + limits.earliestTime(),
          at, null));
      cases.add(timeCase(cases.size(), "scheduledStart " + at + ", before the earliest time "
          + limits.earliestTime(), t0(), at));
    });
    afterLatest.ifPresent(at -> {
      cases.add(timeCase(cases.size(), "occurredAt " + at + ", after the latest time " + limits.latestTime(),
          at, null));
      cases.add(timeCase(cases.size(), "scheduledStart " + at + ", after the latest time " + limits.latestTime(),
          t0(), at));
    });
    return cases.stream();
  }

  private DynamicTest timeCase(int index, String description, Instant occurredAt, Instant scheduledStart) {
    String bookingId = "b-time-" + index;
    return DynamicTest.dynamicTest("refuses " + description, () -> {
      AuditEntry entry = new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
          BookingState.REQUESTED, occurredAt, "Booking requested by customer", null, scheduledStart);
      assertRefused(trail(), entry, trail().limits());
      assertThat(trail().history(bookingId)).as("stored after refusing %s", description).isEmpty();
    });
  }

  /** Returns the instant moved by the step, or nothing if that leaves the range of {@link Instant}. */
  private static Optional<Instant> shifted(Instant instant, Duration step) {
    try {
      return Optional.of(instant.plus(step));
    } catch (DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  // ---- text ----

  @Test
  void shouldKeepTextsAndOptionalValuesExactly() {
    AuditEntry first = new AuditEntry("B-Case:ünï/✓", 1, "request_booking", Role.CUSTOMER, "Cüst 1", "Cüst 1",
        "g-1", null, BookingState.REQUESTED, t0(), "Note with\nline breaks\tand tabs 🎸", null, null);
    AuditEntry second = new AuditEntry("B-Case:ünï/✓", 2, "cancel_booking", Role.CUSTOMER, "Cüst 1", "Cüst 1",
        "g-1", BookingState.REQUESTED, BookingState.CANCELLED_BY_CUSTOMER, t0().plusSeconds(3), "Cancelled",
        "Plans changed — sorry! 😅", null);
    trail().append(first);
    trail().append(second);

    assertThat(trail().history("B-Case:ünï/✓")).containsExactly(first, second);
  }

  @Test
  void shouldKeepIdsThatDifferOnlyInCaseOrUnicodeNormalizationApart() {
    AuditEntry upper = creation("B-Case:ünï/✓", t0());
    AuditEntry lower = creation("b-case:ünï/✓", t0());
    // The same word precomposed and decomposed: equal to a reader, different ids to the trail.
    AuditEntry precomposed = creation("b-caf\u00e9", t0());
    AuditEntry decomposed = creation("b-cafe\u0301", t0().plusSeconds(1));
    trail().append(upper);
    trail().append(lower);
    trail().append(precomposed);
    trail().append(decomposed);

    assertThat(trail().history("B-Case:ünï/✓")).containsExactly(upper);
    assertThat(trail().history("b-case:ünï/✓")).containsExactly(lower);
    assertThat(trail().history("b-caf\u00e9")).containsExactly(precomposed);
    assertThat(trail().history("b-cafe\u0301")).containsExactly(decomposed);
  }

  @Test
  void shouldReadBackWellFormedTextInAnyScriptExactlyAtTheLongestLengths() {
    int idLength = trail().limits().maxIdLength();
    int textLength = trail().limits().maxTextLength();
    String bookingId = repeatToLength(ASTRAL, idLength);
    String customerId = repeatToLength(RIGHT_TO_LEFT, idLength);
    String gigstaId = repeatToLength(COMBINING_AND_CJK, idLength);
    String note = repeatToLength(MIXED_TEXT, textLength);
    String reason = repeatToLength("ביטול — " + ASTRAL + " 取消 " + COMBINING_AND_CJK + " ", textLength);
    AuditEntry requested = new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, customerId, customerId,
        gigstaId, null, BookingState.REQUESTED, t0(), note, null, null);
    AuditEntry cancelled = new AuditEntry(bookingId, 2, "cancel_booking", Role.CUSTOMER, customerId, customerId,
        gigstaId, BookingState.REQUESTED, BookingState.CANCELLED_BY_CUSTOMER, t0().plusSeconds(1), note, reason,
        null);
    // Characters outside the Basic Multilingual Plane make the length in code units exceed the number of
    // characters, which is where a column sized in characters or bytes would differ.
    assertThat(bookingId).hasSize(idLength);
    assertThat(bookingId.codePointCount(0, bookingId.length())).isLessThan(idLength);
    assertThat(note).hasSize(textLength);
    assertThat(reason).hasSize(textLength);

    trail().append(requested);
    trail().append(cancelled);

    assertThat(trail().history(bookingId)).containsExactly(requested, cancelled);
    assertThat(trail().latest(bookingId)).contains(cancelled);
    assertThat(trail().findTimerCandidates(BookingState.CANCELLED_BY_CUSTOMER, Timepoint.STATE_ENTERED, null, null,
        t0().plusSeconds(3600), 10)).containsExactly(new BookingTimes(cancelled, t0()));
    assertThat(trail().findTimerCandidates(BookingState.CANCELLED_BY_CUSTOMER, Timepoint.STATE_ENTERED,
        cancelled.occurredAt(), bookingId, t0().plusSeconds(3600), 10)).as("read on after the booking itself")
        .isEmpty();
  }

  /**
   * Returns the pattern repeated to exactly {@code length} UTF-16 code units. A character that would
   * not fit whole, half of a surrogate pair, is replaced by {@code x}: the result is always well-formed.
   */
  private static String repeatToLength(String pattern, int length) {
    StringBuilder repeated = new StringBuilder(length);
    int index = 0;
    while (repeated.length() < length) {
      int codePoint = pattern.codePointAt(index);
      int units = Character.charCount(codePoint);
      if (repeated.length() + units > length) {
        repeated.append('x');
      } else {
        repeated.appendCodePoint(codePoint);
      }
      index = (index + units) % pattern.length();
    }
    return repeated.toString();
  }

  // ---- arguments ----

  @Test
  void shouldRejectANullEntryWithNullPointerException() {
    assertThatNullPointerException().isThrownBy(() -> trail().append(null));
  }

  @Test
  void shouldRejectANullBookingIdWithNullPointerException() {
    assertThatNullPointerException().isThrownBy(() -> trail().history(null));
    assertThatNullPointerException().isThrownBy(() -> trail().latest(null));
  }

  @Test
  void shouldRejectANullStateTimepointOrUpperBoundWithNullPointerException() {
    assertThatNullPointerException()
        .isThrownBy(() -> trail().findTimerCandidates(null, Timepoint.CREATED, null, null, t0(), 10));
    assertThatNullPointerException()
        .isThrownBy(() -> trail().findTimerCandidates(BookingState.REQUESTED, null, null, null, t0(), 10));
    assertThatNullPointerException()
        .isThrownBy(() -> trail().findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, t0(), null, null, 10));
  }

  @Test
  void shouldRejectALimitOutOfRangeWithIllegalArgumentException() {
    trail().append(creation("b-limit", t0()));
    Instant to = t0().plusSeconds(1);

    for (int limit : new int[] {-1, 0, 10_001}) {
      assertThatIllegalArgumentException().as("limit %d", limit).isThrownBy(
          () -> trail().findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, to, limit));
    }
    assertThat(trail().findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, to, 10_000))
        .extracting(times -> times.latest().bookingId()).containsExactly("b-limit");
  }

  @Test
  void shouldRejectABookingIdToReadOnAfterWithoutItsTime() {
    trail().append(creation("b-read-on", t0()));

    assertThatIllegalArgumentException().isThrownBy(() -> trail().findTimerCandidates(BookingState.REQUESTED,
        Timepoint.CREATED, null, "b-read-on", t0().plusSeconds(1), 10));
  }

  // ---- timer candidates ----

  @Test
  void shouldFindAsTimerCandidatesOnlyBookingsWhoseCurrentStateMatches() {
    Instant start = t0().plus(Duration.ofDays(10));
    AuditEntry waiting = scheduledCreation("b-timer-waiting", t0(), start);
    AuditEntry accepted = scheduledCreation("b-timer-accepted", t0(), start);
    AuditEntry declined = scheduledCreation("b-timer-declined", t0(), start);
    trail().append(waiting);
    trail().append(accepted);
    trail().append(declined);
    AuditEntry accept = next(accepted, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));
    trail().append(accept);
    AuditEntry decline = next(declined, "decline_booking", BookingState.DECLINED, t0().plusSeconds(1));
    trail().append(decline, PaymentMoment.RELEASE);
    Instant to = t0().plus(Duration.ofDays(30));

    for (Timepoint timepoint : Timepoint.values()) {
      // The bookings that moved on were requested within the bounds too: only their current state counts.
      assertThat(trail().findTimerCandidates(BookingState.REQUESTED, timepoint, null, null, to, 10))
          .as("%s in REQUESTED", timepoint).containsExactly(new BookingTimes(waiting, t0()));
      assertThat(trail().findTimerCandidates(BookingState.ACCEPTED, timepoint, t0(), null, to, 10))
          .as("%s in ACCEPTED", timepoint).containsExactly(new BookingTimes(accept, t0()));
      assertThat(trail().findTimerCandidates(BookingState.DECLINED, timepoint, null, null, to, 10))
          .as("%s in DECLINED", timepoint).containsExactly(new BookingTimes(decline, t0()));
      assertThat(trail().findTimerCandidates(BookingState.IN_PROGRESS, timepoint, null, null, to, 10))
          .as("%s in IN_PROGRESS", timepoint).isEmpty();
    }
  }

  @Test
  void shouldReadEachTimepointFromTheEntriesThatDefineIt() {
    Instant created = t0().minus(Duration.ofHours(2));
    Instant start = t0().plus(Duration.ofDays(2));
    AuditEntry first = scheduledCreation("b-timepoints", created, start);
    // Changes that keep the state still enter it anew: only the latest one's time is STATE_ENTERED.
    AuditEntry noted = next(first, "add_note", BookingState.REQUESTED, t0().minus(Duration.ofHours(1)));
    AuditEntry renoted = next(noted, "add_note", BookingState.REQUESTED, t0());
    trail().append(first);
    trail().append(noted);
    trail().append(renoted);
    BookingTimes expected = new BookingTimes(renoted, created);

    assertThat(find(Timepoint.CREATED, created, created)).containsExactly(expected);
    assertThat(find(Timepoint.CREATED, created.plus(tick()), t0())).isEmpty();
    assertThat(find(Timepoint.STATE_ENTERED, t0(), t0())).containsExactly(expected);
    assertThat(find(Timepoint.STATE_ENTERED, created, t0().minus(tick()))).isEmpty();
    assertThat(find(Timepoint.SCHEDULED_START, start, start)).containsExactly(expected);
    assertThat(find(Timepoint.SCHEDULED_START, created, start.minus(tick()))).isEmpty();
    for (Timepoint timepoint : Timepoint.values()) {
      assertThat(find(timepoint, null, start)).as("%s", timepoint).singleElement().satisfies(found -> {
        assertThat(found.latest()).isEqualTo(trail().history("b-timepoints").get(2))
            .isEqualTo(trail().latest("b-timepoints").orElseThrow());
        assertThat(found.createdAt()).isEqualTo(trail().history("b-timepoints").get(0).occurredAt());
        assertThat(found.at(timepoint)).isEqualTo(expected.at(timepoint));
      });
    }
  }

  @Test
  void shouldFindTimerCandidatesFromTheLowerToTheUpperBoundInclusive() {
    // Each booking's timepoints: created and entered its state at its time, scheduled to start a day later.
    List<String> ids = List.of("b-bound-below", "b-bound-from", "b-bound-inside", "b-bound-to", "b-bound-above");
    List<Instant> times = List.of(t0().minus(tick()), t0(), t0().plusSeconds(30), t0().plusSeconds(60),
        t0().plusSeconds(60).plus(tick()));
    for (int i = 0; i < ids.size(); i++) {
      trail().append(scheduledCreation(ids.get(i), times.get(i), times.get(i).plus(Duration.ofDays(1))));
    }

    for (Timepoint timepoint : Timepoint.values()) {
      Duration shift = timepoint == Timepoint.SCHEDULED_START ? Duration.ofDays(1) : Duration.ZERO;
      Instant from = t0().plus(shift);
      Instant to = t0().plusSeconds(60).plus(shift);
      assertThat(findIds(timepoint, from, to)).as("%s from %s to %s", timepoint, from, to)
          .containsExactly("b-bound-from", "b-bound-inside", "b-bound-to");
      assertThat(findIds(timepoint, from, from)).as("%s at %s", timepoint, from).containsExactly("b-bound-from");
      assertThat(findIds(timepoint, null, to)).as("%s to %s", timepoint, to)
          .containsExactly("b-bound-below", "b-bound-from", "b-bound-inside", "b-bound-to");
      // Bounds finer than the trail's precision are compared as they are, not rounded to what it keeps.
      assertThat(findIds(timepoint, from.plusNanos(1), to.minusNanos(1))).as("%s within a nanosecond", timepoint)
          .containsExactly("b-bound-inside");
      assertThat(findIds(timepoint, to.plusNanos(1), to.plus(Duration.ofDays(1)))).as("%s after %s", timepoint, to)
          .containsExactly("b-bound-above");
      assertThat(findIds(timepoint, to, from)).as("%s from after to", timepoint).isEmpty();
    }
  }

  @Test
  void shouldAcceptTimerCandidateBoundsOutsideTheTimesItStores() {
    List<String> ids = List.of("b-wide-1", "b-wide-2");
    trail().append(scheduledCreation(ids.get(0), t0(), t0().plus(Duration.ofDays(1))));
    trail().append(scheduledCreation(ids.get(1), t0().plusSeconds(1), t0().plus(Duration.ofDays(2))));
    Instant earliest = trail().limits().earliestTime();
    Instant latest = trail().limits().latestTime();
    List<Instant[]> bounds = new ArrayList<>();
    bounds.add(new Instant[] {Instant.MIN, Instant.MAX});
    bounds.add(new Instant[] {shifted(earliest, Duration.ofDays(-1)).orElse(earliest),
        shifted(latest, Duration.ofDays(1)).orElse(latest)});
    bounds.add(new Instant[] {earliest, latest});

    for (Timepoint timepoint : Timepoint.values()) {
      for (Instant[] fromTo : bounds) {
        assertThat(findIds(timepoint, fromTo[0], fromTo[1])).as("%s from %s to %s", timepoint, fromTo[0], fromTo[1])
            .containsExactlyElementsOf(ids);
      }
      assertThat(findIds(timepoint, null, Instant.MIN)).as("%s to %s", timepoint, Instant.MIN).isEmpty();
      assertThat(findIds(timepoint, Instant.MAX, Instant.MAX)).as("%s from %s", timepoint, Instant.MAX).isEmpty();
    }
  }

  @Test
  void shouldNeverFindABookingWithoutAScheduledStartByItsScheduledStart() {
    AuditEntry unscheduled = creation("b-unscheduled", t0());
    AuditEntry scheduled = scheduledCreation("b-scheduled", t0(), t0().plus(Duration.ofDays(1)));
    AuditEntry unscheduledAccepted = creation("b-unscheduled-accepted", t0());
    trail().append(unscheduled);
    trail().append(scheduled);
    trail().append(unscheduledAccepted);
    trail().append(next(unscheduledAccepted, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1)));
    Instant far = t0().plus(Duration.ofDays(30));

    assertThat(findIds(Timepoint.SCHEDULED_START, null, far)).containsExactly("b-scheduled");
    assertThat(findIds(Timepoint.SCHEDULED_START, t0().minus(Duration.ofDays(30)), far))
        .containsExactly("b-scheduled");
    assertThat(trail().findTimerCandidates(BookingState.ACCEPTED, Timepoint.SCHEDULED_START, null, null, far, 10))
        .isEmpty();
    // By their other timepoints the same bookings are found.
    assertThat(findIds(Timepoint.CREATED, null, far)).contains("b-unscheduled");
    assertThat(findIds(Timepoint.STATE_ENTERED, null, far)).contains("b-unscheduled");
    for (Timepoint timepoint : List.of(Timepoint.CREATED, Timepoint.STATE_ENTERED)) {
      assertThat(trail().findTimerCandidates(BookingState.ACCEPTED, timepoint, null, null, far, 10))
          .as("%s in ACCEPTED", timepoint).extracting(times -> times.latest().bookingId())
          .containsExactly("b-unscheduled-accepted");
    }
  }

  @Test
  void shouldOrderTimerCandidatesByTimepointThenBookingIdUpToTheLimit() {
    // Ids of one shape in lowercase ASCII, whose order every collation of a database agrees on.
    // Appended out of every order; the timepoints order the bookings differently from one another.
    String[] ids = {"b-order-c", "b-order-a", "b-order-e", "b-order-b", "b-order-d", "b-order-f"};
    long[] createdMinutes = {0, 0, -2, 0, -1, -2};
    long[] enteredMinutes = {0, 3, 5, 0, -1, -2};
    long[] startMinutes = {3, 3, 1, 0, 3, 2};
    List<BookingTimes> all = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      Instant created = t0().plus(Duration.ofMinutes(createdMinutes[i]));
      AuditEntry latest = scheduledCreation(ids[i], created, t0().plus(Duration.ofDays(1))
          .plus(Duration.ofMinutes(startMinutes[i])));
      trail().append(latest);
      if (enteredMinutes[i] != createdMinutes[i]) {
        latest = next(latest, "add_note", BookingState.REQUESTED, t0().plus(Duration.ofMinutes(enteredMinutes[i])));
        trail().append(latest);
      }
      all.add(new BookingTimes(latest, created));
    }

    Instant far = t0().plus(Duration.ofDays(30));

    for (Timepoint timepoint : Timepoint.values()) {
      List<BookingTimes> ordered = all.stream().sorted(Comparator.comparing((BookingTimes times) -> times.at(timepoint))
          .thenComparing(times -> times.latest().bookingId())).toList();
      assertThat(find(timepoint, null, far)).as("%s", timepoint).containsExactlyElementsOf(ordered);
      assertThat(find(timepoint, null, far, 4)).as("%s, at most 4", timepoint)
          .containsExactlyElementsOf(ordered.subList(0, 4));
      BookingTimes second = ordered.get(1);
      assertThat(trail().findTimerCandidates(BookingState.REQUESTED, timepoint, second.at(timepoint),
          second.latest().bookingId(), far, 10)).as("%s after %s", timepoint, second.latest().bookingId())
          .containsExactlyElementsOf(ordered.subList(2, ordered.size()));
    }
  }

  @Test
  void shouldPageThroughManyCandidatesAtOneInstantReturningEachOnce() {
    int atOnce = 40;
    List<String> ids = new ArrayList<>();
    List<Instant> instants = new ArrayList<>();
    for (int i = 0; i < atOnce; i++) {
      // Appended out of id order; unpadded numbers, so the ids' order is not the numbers'.
      ids.add("b-page-" + (i * 7 % atOnce));
      instants.add(t0());
    }
    for (int i = 0; i < 3; i++) {
      ids.add("b-page-early-" + i);
      instants.add(t0().minus(tick()));
      ids.add("b-page-late-" + i);
      instants.add(t0().plus(tick()));
      ids.add("b-page-beyond-" + i);
      instants.add(t0().plusSeconds(60));
    }
    List<BookingTimes> all = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      AuditEntry entry = scheduledCreation(ids.get(i), instants.get(i), instants.get(i).plus(Duration.ofDays(1)));
      trail().append(entry);
      all.add(new BookingTimes(entry, instants.get(i)));
    }

    for (Timepoint timepoint : Timepoint.values()) {
      Duration shift = timepoint == Timepoint.SCHEDULED_START ? Duration.ofDays(1) : Duration.ZERO;
      Instant to = t0().plus(tick()).plus(shift);
      List<BookingTimes> expected = all.stream().filter(times -> !times.at(timepoint).isAfter(to))
          .sorted(Comparator.comparing((BookingTimes times) -> times.at(timepoint))
              .thenComparing(times -> times.latest().bookingId())).toList();
      for (Instant from : Arrays.asList(null, t0().plus(shift))) {
        List<BookingTimes> read = new ArrayList<>();
        Instant lower = from;
        String afterBookingId = null;
        int pages = 0;
        List<BookingTimes> page;
        do {
          page = trail().findTimerCandidates(BookingState.REQUESTED, timepoint, lower, afterBookingId, to, 7);
          read.addAll(page);
          pages++;
          if (!page.isEmpty()) {
            lower = page.get(page.size() - 1).at(timepoint);
            afterBookingId = page.get(page.size() - 1).latest().bookingId();
          }
        } while (page.size() == 7 && pages <= all.size());
        List<BookingTimes> wanted = expected.stream()
            .filter(times -> from == null || !times.at(timepoint).isBefore(from)).toList();
        assertThat(read).as("%s from %s in pages of 7", timepoint, from).containsExactlyElementsOf(wanted);
      }
    }
  }

  /** Returns the candidates in {@link BookingState#REQUESTED}, up to 100. */
  private List<BookingTimes> find(Timepoint timepoint, Instant from, Instant to) {
    return find(timepoint, from, to, 100);
  }

  private List<BookingTimes> find(Timepoint timepoint, Instant from, Instant to, int limit) {
    return trail().findTimerCandidates(BookingState.REQUESTED, timepoint, from, null, to, limit);
  }

  /** Returns the ids of the candidates in {@link BookingState#REQUESTED}, up to 100. */
  private List<String> findIds(Timepoint timepoint, Instant from, Instant to) {
    return find(timepoint, from, to).stream().map(times -> times.latest().bookingId()).toList();
  }

  // ---- timer sweep marks ----

  @Test
  void shouldHaveNoSweepMarkForATimerNeverSwept() {
    assertThat(trail().timerSweptTo("timer-never")).isEmpty();
    trail().advanceTimerSweep("timer-other", t0());

    assertThat(trail().timerSweptTo("timer-never")).isEmpty();
    assertThat(trail().timerSweptTo("timer-other")).contains(t0());
  }

  @Test
  void shouldMoveASweepMarkOnlyForward() {
    trail().advanceTimerSweep("timer-forward", t0());
    assertThat(trail().timerSweptTo("timer-forward")).contains(t0());

    trail().advanceTimerSweep("timer-forward", t0().plusSeconds(60));
    assertThat(trail().timerSweptTo("timer-forward")).contains(t0().plusSeconds(60));

    // A slower sweep that finishes later.
    trail().advanceTimerSweep("timer-forward", t0().plusSeconds(60).minus(tick()));
    trail().advanceTimerSweep("timer-forward", t0());
    assertThat(trail().timerSweptTo("timer-forward")).contains(t0().plusSeconds(60));

    trail().advanceTimerSweep("timer-forward", t0().plusSeconds(60));
    assertThat(trail().timerSweptTo("timer-forward")).contains(t0().plusSeconds(60));
  }

  @Test
  void shouldKeepEachTimersSweepMarkApart() {
    String longest = "0123456789abcdef".repeat(4);
    String prefix = longest.substring(0, 63);
    trail().advanceTimerSweep("timer-a", t0().plusSeconds(60));
    trail().advanceTimerSweep("timer-b", t0().minus(Duration.ofHours(1)));
    trail().advanceTimerSweep(longest, t0().plusSeconds(1));
    trail().advanceTimerSweep(prefix, t0().plusSeconds(2));

    assertThat(trail().timerSweptTo("timer-a")).contains(t0().plusSeconds(60));
    assertThat(trail().timerSweptTo("timer-b")).contains(t0().minus(Duration.ofHours(1)));
    assertThat(trail().timerSweptTo(longest)).contains(t0().plusSeconds(1));
    assertThat(trail().timerSweptTo(prefix)).contains(t0().plusSeconds(2));
  }

  @Test
  void shouldKeepTheLatestSweepMarkWhenSweepsFinishTogether() throws Exception {
    int rounds = raceRounds();
    int sweeps = 8;
    AuditTrail trail = trail();
    ExecutorService pool = Executors.newFixedThreadPool(sweeps);
    int behind = 0;
    try {
      for (int round = 0; round < rounds; round++) {
        String timer = "timer-race-" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int sweep = 0; sweep < sweeps; sweep++) {
          Instant sweptTo = t0().plusSeconds(sweep);
          done.add(pool.submit(() -> {
            start.await();
            trail.advanceTimerSweep(timer, sweptTo);
            return null;
          }));
        }
        start.countDown();
        for (Future<?> future : done) {
          future.get(60, TimeUnit.SECONDS);
        }
        if (!trail.timerSweptTo(timer).equals(Optional.of(t0().plusSeconds(sweeps - 1)))) {
          behind++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("%s sweep-mark race: %d timers x %d sweeps, %d marks left behind the latest%n",
        implementationName(), rounds, sweeps, behind);
    assertThat(behind).isZero();
  }

  @Test
  void shouldRejectBadSweepMarkArguments() {
    String tooLong = "k".repeat(65);
    assertThatIllegalArgumentException().isThrownBy(() -> trail().timerSweptTo(tooLong));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().advanceTimerSweep(tooLong, t0()));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().timerSweptTo(""));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().advanceTimerSweep("", t0()));
    assertThatNullPointerException().isThrownBy(() -> trail().timerSweptTo(null));
    assertThatNullPointerException().isThrownBy(() -> trail().advanceTimerSweep(null, t0()));
    assertThatNullPointerException().isThrownBy(() -> trail().advanceTimerSweep("timer-null", null));
    assertThat(trail().timerSweptTo("timer-null")).isEmpty();
  }

  // ---- concurrency ----

  @Test
  void shouldLetExactlyOneOfManyConcurrentWritersTakeASequence() throws Exception {
    int rounds = raceRounds();
    AtomicInteger winners = new AtomicInteger();
    AtomicInteger losers = new AtomicInteger();
    AtomicInteger anomalies = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(RACE_THREADS);
    try {
      for (int round = 0; round < rounds; round++) {
        AuditEntry first = creation("b-race-" + round, t0());
        trail().append(first);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AuditEntry>> outcomes = new ArrayList<>();
        for (int writer = 0; writer < RACE_THREADS; writer++) {
          AuditEntry contender = new AuditEntry(first.bookingId(), 2, "decline_booking", Role.GIGSTA, "g-1", "c-1",
              "g-1", BookingState.REQUESTED, BookingState.DECLINED, t0().plusSeconds(1), "Declined",
              "writer " + writer, null);
          outcomes.add(pool.submit(() -> {
            start.await();
            try {
              trail().append(contender);
              return contender;
            } catch (BookingChangedConcurrentlyException e) {
              if (!e.bookingId().equals(contender.bookingId())) {
                anomalies.incrementAndGet();
              }
              return null;
            }
          }));
        }
        start.countDown();
        List<AuditEntry> won = new ArrayList<>();
        for (Future<AuditEntry> outcome : outcomes) {
          AuditEntry entry = outcome.get(60, TimeUnit.SECONDS);
          if (entry == null) {
            losers.incrementAndGet();
          } else {
            winners.incrementAndGet();
            won.add(entry);
          }
        }
        List<AuditEntry> history = trail().history(first.bookingId());
        if (won.size() != 1 || !history.equals(List.of(first, won.get(0)))) {
          anomalies.incrementAndGet();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("%s same-sequence race: %d races x %d threads, %d winners, %d losers, %d anomalies%n",
        implementationName(), rounds, RACE_THREADS, winners.get(), losers.get(), anomalies.get());
    assertThat(anomalies).hasValue(0);
    assertThat(winners).hasValue(rounds);
    assertThat(losers).hasValue(rounds * (RACE_THREADS - 1));
  }

  // ---- the change feed ----

  @Test
  void shouldFeedEveryChangeOnceKeepingEachBookingsOrderAndWhatItOwes() {
    AuditEntry a1 = creation("b-feed-a", t0());
    AuditEntry b1 = creation("b-feed-b", t0());
    AuditEntry a2 = next(a1, "accept_booking", BookingState.ACCEPTED, t0().plusSeconds(1));
    AuditEntry b2 = next(b1, "decline_booking", BookingState.DECLINED, t0().plusSeconds(1));
    AuditEntry a3 = next(a2, "cancel_booking", BookingState.CANCELLED_BY_GIGSTA, t0().plusSeconds(2));
    trail().append(a1);
    trail().append(b1, PaymentMoment.NONE);
    trail().recordHold(PaymentRequest.of(PaymentMoment.SECURE, a2), t0());
    trail().append(a2, PaymentMoment.SECURE);
    trail().append(b2, PaymentMoment.RELEASE);
    trail().append(a3, PaymentMoment.REFUND);

    List<FeedChange> read = new ArrayList<>();
    ChangeCursor cursor = ChangeCursor.start();
    for (int page = 0; page < 10; page++) {
      ChangePage next = trail().changesSince(cursor, 2);
      assertThat(next.changes()).hasSizeLessThanOrEqualTo(2);
      if (next.changes().isEmpty()) {
        assertThat(next.next()).isEqualTo(cursor);
        break;
      }
      assertThat(next.next()).isEqualTo(next.changes().get(next.changes().size() - 1).cursor());
      read.addAll(next.changes());
      cursor = next.next();
    }

    assertThat(read).extracting(FeedChange::entry).containsExactlyInAnyOrder(a1, b1, a2, b2, a3);
    assertThat(read).filteredOn(change -> change.bookingId().equals("b-feed-a")).extracting(FeedChange::entry)
        .containsExactly(a1, a2, a3);
    assertThat(read).filteredOn(change -> change.bookingId().equals("b-feed-b")).extracting(FeedChange::entry)
        .containsExactly(b1, b2);
    assertThat(read).extracting(FeedChange::cursor).isSorted().doesNotHaveDuplicates();
    assertThat(read).filteredOn(change -> change.entry().equals(a2)).extracting(FeedChange::paymentMoment)
        .containsExactly(PaymentMoment.SECURE);
    assertThat(read).filteredOn(change -> change.entry().equals(a3)).extracting(FeedChange::paymentMoment)
        .containsExactly(PaymentMoment.REFUND);
    assertThat(read).filteredOn(change -> change.entry().equals(a1)).extracting(FeedChange::paymentMoment)
        .containsExactly(PaymentMoment.NONE);
  }

  @Test
  void shouldReturnTheSameChangesForTheSameCursorAndReadOnFromItsText() {
    AuditEntry first = creation("b-cursor-1", t0());
    trail().append(first);
    ChangePage page = trail().changesSince(ChangeCursor.start(), 10);
    AuditEntry second = creation("b-cursor-2", t0());
    trail().append(second);

    assertThat(trail().changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactly(first, second);
    assertThat(trail().changesSince(ChangeCursor.parse(page.next().toString()), 10).changes())
        .extracting(FeedChange::entry).containsExactly(second);
  }

  @Test
  void shouldNotFeedARefusedAppend() {
    AuditEntry first = creation("b-refused", t0());
    trail().append(first);
    assertThatThrownBy(() -> trail().append(first, PaymentMoment.REFUND))
        .isInstanceOf(BookingChangedConcurrentlyException.class);

    assertThat(trail().changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactly(first);
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10)).isEmpty();
  }

  @Test
  void shouldRejectBadFeedArguments() {
    assertThatNullPointerException().isThrownBy(() -> trail().changesSince(null, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().changesSince(ChangeCursor.start(), 0));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().changesSince(ChangeCursor.start(), 10_001));
    assertThatNullPointerException().isThrownBy(() -> trail().append(creation("b-null-moment", t0()), null));
  }

  // ---- deliveries ----

  @Test
  void shouldOweTheSettlementConsumerExactlyWhatSettlesAfterRecordingAllDueAtOnce() {
    AuditEntry released = creation("b-owed-1", t0());
    trail().append(released);
    AuditEntry release = next(released, "decline_booking", BookingState.DECLINED, t0());
    trail().append(release, PaymentMoment.RELEASE);
    AuditEntry accepted = creation("b-owed-2", t0());
    trail().append(accepted);
    AuditEntry accept = next(accepted, "accept_booking", BookingState.ACCEPTED, t0());
    trail().recordHold(PaymentRequest.of(PaymentMoment.SECURE, accept), t0());
    trail().append(accept, PaymentMoment.SECURE);
    AuditEntry refund = next(accept, "cancel_booking", BookingState.CANCELLED_BY_GIGSTA, t0());
    trail().append(refund, PaymentMoment.REFUND);
    AuditEntry captured = creation("b-owed-3", t0());
    trail().append(captured);
    AuditEntry capture = next(captured, "mark_completed", BookingState.COMPLETED, t0());
    trail().append(capture, PaymentMoment.CAPTURE);
    AuditEntry charged = creation("b-owed-4", t0());
    trail().append(charged);
    AuditEntry charge = next(charged, "accept_booking", BookingState.ACCEPTED, t0());
    trail().recordHold(PaymentRequest.of(PaymentMoment.SECURE, charge), t0());
    trail().append(charge, PaymentMoment.CHARGE);
    AuditEntry inProgress = next(charge, "mark_in_progress", BookingState.IN_PROGRESS, t0());
    trail().append(inProgress, PaymentMoment.NONE);
    AuditEntry payout = next(inProgress, "mark_completed", BookingState.COMPLETED, t0());
    trail().append(payout, PaymentMoment.PAYOUT);

    List<Delivery> due = trail().claimDue(DeliveryWorker.SETTLEMENT, LONG_AGO, LONG_AGO, 100);

    assertThat(due).extracting(delivery -> delivery.change().entry())
        .containsExactly(release, refund, capture, charge, payout);
    assertThat(due).extracting(delivery -> delivery.change().paymentMoment()).containsExactly(PaymentMoment.RELEASE,
        PaymentMoment.REFUND, PaymentMoment.CAPTURE, PaymentMoment.CHARGE, PaymentMoment.PAYOUT);
    assertThat(due).allSatisfy(delivery -> {
      assertThat(delivery.consumer()).isEqualTo(DeliveryWorker.SETTLEMENT);
      assertThat(delivery.failedAttempts()).isZero();
      assertThat(delivery.lastError()).isNull();
    });
  }

  @Test
  void shouldOweARegisteredConsumerEveryChangeFromItsRegistrationOn() {
    trail().append(creation("b-before", t0()));
    trail().registerConsumer("emails");
    trail().registerConsumer("emails");
    AuditEntry after = creation("b-after", t0());
    trail().append(after);
    AuditEntry declined = next(after, "decline_booking", BookingState.DECLINED, t0());
    trail().append(declined, PaymentMoment.RELEASE);

    assertThat(trail().claimDue("emails", t0(), t0(), 100)).extracting(delivery -> delivery.change().entry())
        .containsExactly(after, declined);
  }

  @Test
  void shouldPassOverClaimedDeliveriesUntilTheirLeaseRunsOut() {
    AuditEntry owed = owedRefund("b-lease");
    Instant leaseEnd = t0().plusSeconds(30);

    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), leaseEnd, 10)).hasSize(1);
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, leaseEnd.minus(tick()), leaseEnd, 10)).isEmpty();
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, leaseEnd, leaseEnd.plusSeconds(30), 10))
        .extracting(delivery -> delivery.change().entry()).containsExactly(owed);
  }

  @Test
  void shouldMarkADeliveryDoneOnceAndNeverHandItOutAgain() {
    owedRefund("b-done");
    Delivery delivery = trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10).get(0);

    assertThat(trail().markDelivered(delivery)).isTrue();
    assertThat(trail().markDelivered(delivery)).isFalse();
    trail().markFailed(delivery, "a late failure", null);
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, t0().plusSeconds(3600), t0().plusSeconds(3600), 10))
        .isEmpty();
    assertThat(trail().deadLetterCount(DeliveryWorker.SETTLEMENT)).isZero();
  }

  @Test
  void shouldRetryAFailedDeliveryFromItsRetryTimeWithItsAttemptsAndError() {
    AuditEntry owed = owedRefund("b-retry");
    Delivery first = trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10).get(0);
    Instant retryAt = t0().plusSeconds(10);

    trail().markFailed(first, "provider timed out", retryAt);

    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, retryAt.minus(tick()), retryAt, 10)).isEmpty();
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, retryAt, retryAt, 10)).singleElement()
        .satisfies(again -> {
          assertThat(again.change().entry()).isEqualTo(owed);
          assertThat(again.failedAttempts()).isEqualTo(1);
          assertThat(again.lastError()).isEqualTo("provider timed out");
        });
  }

  @Test
  void shouldKeepADeadLetterVisibleUntilResubmitted() {
    AuditEntry owed = owedRefund("b-dead");
    Delivery delivery = trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10).get(0);
    trail().markFailed(delivery, "card network says no\nline two", null);

    assertThat(trail().deadLetterCount(DeliveryWorker.SETTLEMENT)).isEqualTo(1);
    assertThat(trail().deadLetters(DeliveryWorker.SETTLEMENT, 10)).singleElement().satisfies(dead -> {
      assertThat(dead.change().entry()).isEqualTo(owed);
      assertThat(dead.failedAttempts()).isEqualTo(1);
      assertThat(dead.lastError()).isEqualTo("card network says no\nline two");
    });
    Instant muchLater = t0().plus(Duration.ofDays(30));
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, muchLater, muchLater, 10)).isEmpty();

    assertThat(trail().resubmit(DeliveryWorker.SETTLEMENT, owed.bookingId(), owed.sequence(), muchLater)).isTrue();
    assertThat(trail().resubmit(DeliveryWorker.SETTLEMENT, owed.bookingId(), owed.sequence(), muchLater)).isFalse();
    assertThat(trail().resubmit(DeliveryWorker.SETTLEMENT, "b-unknown", 1, muchLater)).isFalse();
    assertThat(trail().deadLetterCount(DeliveryWorker.SETTLEMENT)).isZero();
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, muchLater, muchLater, 10)).singleElement()
        .satisfies(again -> assertThat(again.failedAttempts()).isZero());
  }

  @Test
  void shouldKeepAnOverlongOrUnstorableErrorAsADiagnosticWithoutFailing() {
    owedRefund("b-long-error");
    Delivery delivery = trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10).get(0);
    String error = "x\u0000\uD800".repeat(trail().limits().maxTextLength());

    trail().markFailed(delivery, error, null);

    assertThat(trail().deadLetters(DeliveryWorker.SETTLEMENT, 10)).singleElement()
        .satisfies(dead -> assertThat(dead.lastError()).isNotEmpty()
            .hasSizeLessThanOrEqualTo(trail().limits().maxTextLength()).startsWith("x"));
  }

  @Test
  void shouldRejectUnknownAndMalformedConsumers() {
    assertThatIllegalArgumentException().isThrownBy(() -> trail().claimDue("nobody", t0(), t0(), 10))
        .withMessageContaining("nobody");
    assertThatIllegalArgumentException().isThrownBy(() -> trail().registerConsumer(DeliveryWorker.SETTLEMENT));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().registerConsumer("Emails"));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().registerConsumer(""));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().registerConsumer("x".repeat(65)));
    assertThatNullPointerException().isThrownBy(() -> trail().registerConsumer(null));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 0));
    assertThat(trail().deadLetterCount("nobody")).isZero();
  }

  @Test
  void shouldFeedEveryChangeOnceToAReaderFollowingConcurrentWriters() throws Exception {
    int writers = 4;
    int bookingsPerWriter = feedRaceBookings();
    // Created here, before the writers start: trail() is not meant to be called first from several threads.
    AuditTrail trail = trail();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < bookingsPerWriter; i++) {
          AuditEntry created = creation("b-feed-race-" + writer + "-" + i, t0());
          trail.append(created);
          trail.append(next(created, "decline_booking", BookingState.DECLINED, t0()), PaymentMoment.RELEASE);
        }
        return null;
      }));
    }
    List<FeedChange> read = new ArrayList<>();
    ChangeCursor cursor = ChangeCursor.start();
    start.countDown();
    int pages = 0;
    while (done.stream().anyMatch(future -> !future.isDone()) || read.size() < writers * bookingsPerWriter * 2) {
      ChangePage page = trail.changesSince(cursor, 7);
      read.addAll(page.changes());
      cursor = page.next();
      pages++;
      if (page.changes().isEmpty() && done.stream().allMatch(Future::isDone)
          && trail.changesSince(cursor, 1).changes().isEmpty()) {
        break;
      }
    }
    for (Future<?> future : done) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
    long distinct = read.stream().map(change -> change.bookingId() + ":" + change.sequence()).distinct().count();
    System.out.printf("%s feed under concurrent writers: %d changes written by %d writers, %d read in %d pages, "
        + "%d distinct, %d missing%n", implementationName(), writers * bookingsPerWriter * 2, writers, read.size(),
        pages, distinct, writers * bookingsPerWriter * 2 - distinct);
    assertThat(read).hasSize(writers * bookingsPerWriter * 2);
    assertThat(distinct).isEqualTo(read.size());
    assertThat(read).extracting(FeedChange::cursor).isSorted();
  }

  @Test
  void shouldLetExactlyOneOfManyConcurrentWorkersMarkEachDeliveryDone() throws Exception {
    int owed = feedRaceBookings();
    for (int i = 0; i < owed; i++) {
      owedRefund("b-claim-race-" + i);
    }
    int workers = 8;
    AuditTrail trail = trail();
    AtomicInteger marked = new AtomicInteger();
    AtomicInteger alreadyDone = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      done.add(pool.submit(() -> {
        start.await();
        // A lease that has run out at once: every worker sees every delivery, as after a long stall.
        for (Delivery delivery : trail.claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10_000)) {
          if (trail.markDelivered(delivery)) {
            marked.incrementAndGet();
          } else {
            alreadyDone.incrementAndGet();
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> future : done) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
    System.out.printf("%s delivery race: %d deliveries, %d workers, %d marked done, %d found done already%n",
        implementationName(), owed, workers, marked.get(), alreadyDone.get());
    assertThat(marked).hasValue(owed);
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10_000)).isEmpty();
  }

  // ---- scheduled deliveries ----

  @Test
  void shouldScheduleADeliveryOfARecordedChangeOncePerScheduledConsumer() {
    AuditEntry created = creation("b-scheduled-once", t0());
    trail().append(created);
    Instant dueAt = t0().plusSeconds(60);
    // The longest name a reminder's consumer can have.
    String reminder = Delivery.REMINDER_PREFIX + "r" + "x".repeat(54);

    assertThat(trail().scheduleDelivery(Delivery.TIMERS, created.bookingId(), 1, dueAt)).isTrue();
    assertThat(trail().scheduleDelivery(Delivery.TIMERS, created.bookingId(), 1, t0())).isFalse();
    assertThat(trail().scheduleDelivery(reminder, created.bookingId(), 1, dueAt.plusSeconds(60))).isTrue();
    assertThat(trail().scheduleDelivery(reminder, created.bookingId(), 1, dueAt.plusSeconds(60))).isFalse();

    assertThat(trail().claimDue(Delivery.TIMERS, dueAt.minus(tick()), dueAt.minus(tick()), 10))
        .as("before it is due, and not made due earlier by the second call").isEmpty();
    Instant leaseEnd = dueAt.plusSeconds(30);
    assertThat(trail().claimDue(Delivery.TIMERS, dueAt, leaseEnd, 10)).singleElement().satisfies(delivery -> {
      assertThat(delivery.consumer()).isEqualTo(Delivery.TIMERS);
      assertThat(delivery.change().entry()).isEqualTo(created);
      assertThat(delivery.change().bookingId()).isEqualTo(created.bookingId());
      assertThat(delivery.change().sequence()).isEqualTo(1);
      assertThat(delivery.failedAttempts()).isZero();
      assertThat(delivery.lastError()).isNull();
    });
    assertThat(trail().claimDue(Delivery.TIMERS, leaseEnd.minus(tick()), leaseEnd, 10)).isEmpty();
    assertThat(trail().claimDue(Delivery.TIMERS, leaseEnd, leaseEnd, 10)).singleElement()
        .satisfies(delivery -> assertThat(delivery.change().entry()).isEqualTo(created));
    assertThat(trail().claimDue(reminder, dueAt, dueAt, 10)).isEmpty();
    assertThat(trail().claimDue(reminder, dueAt.plusSeconds(60), dueAt.plusSeconds(60), 10)).singleElement()
        .satisfies(delivery -> {
          assertThat(delivery.consumer()).isEqualTo(reminder);
          assertThat(delivery.change().entry()).isEqualTo(created);
        });
  }

  @Test
  void shouldCarryTheScheduledChangeAsTheFeedHandsItOn() {
    AuditEntry created = creation("b-scheduled-change", t0());
    trail().append(created);
    AuditEntry declined = next(created, "decline_booking", BookingState.DECLINED, t0().plusSeconds(1));
    trail().append(declined, PaymentMoment.RELEASE);
    AuditEntry other = creation("b-scheduled-other", t0().plusSeconds(2));
    trail().append(other);

    // Scheduled before anyone reads the feed, and of a booking that has moved on since.
    assertThat(trail().scheduleDelivery(Delivery.TIMERS, created.bookingId(), 1, t0())).isTrue();
    assertThat(trail().scheduleDelivery(Delivery.TIMERS, created.bookingId(), 2, t0())).isTrue();
    List<Delivery> due = trail().claimDue(Delivery.TIMERS, t0(), t0(), 10);
    List<FeedChange> feed = trail().changesSince(ChangeCursor.start(), 10).changes();

    // Changes placed together may take any order that keeps each booking's sequence.
    List<AuditEntry> order = feed.stream().map(FeedChange::entry).toList();
    assertThat(order).containsExactlyInAnyOrder(created, declined, other);
    assertThat(order.indexOf(created)).isLessThan(order.indexOf(declined));
    FeedChange createdChange = feed.get(order.indexOf(created));
    FeedChange declinedChange = feed.get(order.indexOf(declined));
    assertThat(due).extracting(Delivery::change).containsExactly(createdChange, declinedChange);
    assertThat(declinedChange.paymentMoment()).isEqualTo(PaymentMoment.RELEASE);
  }

  @Test
  void shouldNotScheduleAChangeAgainWhoseDeliveryIsDoneOrDead() {
    AuditEntry done = creation("b-scheduled-done", t0());
    AuditEntry dead = creation("b-scheduled-dead", t0());
    trail().append(done);
    trail().append(dead);
    trail().scheduleDelivery(Delivery.TIMERS, done.bookingId(), 1, t0());
    trail().scheduleDelivery(Delivery.TIMERS, dead.bookingId(), 1, t0());
    List<Delivery> due = trail().claimDue(Delivery.TIMERS, t0(), t0(), 10);
    assertThat(due).extracting(delivery -> delivery.change().entry()).containsExactlyInAnyOrder(done, dead);
    Delivery ofDone = due.stream().filter(delivery -> delivery.change().entry().equals(done)).findFirst().orElseThrow();
    Delivery ofDead = due.stream().filter(delivery -> delivery.change().entry().equals(dead)).findFirst().orElseThrow();
    assertThat(trail().markDelivered(ofDone)).isTrue();
    trail().markFailed(ofDead, "the booking could not be expired", null);
    Instant later = t0().plus(Duration.ofDays(1));

    assertThat(trail().scheduleDelivery(Delivery.TIMERS, done.bookingId(), 1, later)).isFalse();
    assertThat(trail().scheduleDelivery(Delivery.TIMERS, dead.bookingId(), 1, later)).isFalse();

    assertThat(trail().claimDue(Delivery.TIMERS, later, later, 10)).isEmpty();
    assertThat(trail().deadLetterCount(Delivery.TIMERS)).isEqualTo(1);
    assertThat(trail().deadLetters(Delivery.TIMERS, 10)).singleElement().satisfies(letter -> {
      assertThat(letter.change().entry()).isEqualTo(dead);
      assertThat(letter.failedAttempts()).isEqualTo(1);
      assertThat(letter.lastError()).isEqualTo("the booking could not be expired");
    });
  }

  @Test
  void shouldRetryAScheduledDeliveryAndKeepItAsADeadLetterUntilResubmitted() {
    AuditEntry created = creation("b-scheduled-retry", t0());
    trail().append(created);
    String reminder = Delivery.REMINDER_PREFIX + "remind_gigsta_to_answer";
    trail().scheduleDelivery(reminder, created.bookingId(), 1, t0());
    Delivery first = trail().claimDue(reminder, t0(), t0(), 10).get(0);
    Instant retryAt = t0().plusSeconds(10);

    trail().markFailed(first, "mail server unavailable", retryAt);

    assertThat(trail().claimDue(reminder, retryAt.minus(tick()), retryAt, 10)).isEmpty();
    Delivery second = trail().claimDue(reminder, retryAt, retryAt, 10).get(0);
    assertThat(second.failedAttempts()).isEqualTo(1);
    assertThat(second.lastError()).isEqualTo("mail server unavailable");

    trail().markFailed(second, "mail server still unavailable", null);

    assertThat(trail().deadLetterCount(reminder)).isEqualTo(1);
    assertThat(trail().deadLetters(reminder, 10)).singleElement().satisfies(dead -> {
      assertThat(dead.consumer()).isEqualTo(reminder);
      assertThat(dead.change().entry()).isEqualTo(created);
      assertThat(dead.failedAttempts()).isEqualTo(2);
      assertThat(dead.lastError()).isEqualTo("mail server still unavailable");
    });
    Instant muchLater = t0().plus(Duration.ofDays(30));
    assertThat(trail().claimDue(reminder, muchLater, muchLater, 10)).isEmpty();

    assertThat(trail().resubmit(reminder, created.bookingId(), 1, muchLater)).isTrue();
    assertThat(trail().resubmit(reminder, created.bookingId(), 1, muchLater)).isFalse();
    assertThat(trail().deadLetterCount(reminder)).isZero();
    Delivery resubmitted = trail().claimDue(reminder, muchLater, muchLater, 10).get(0);
    assertThat(resubmitted.failedAttempts()).isZero();
    assertThat(trail().markDelivered(resubmitted)).isTrue();
    assertThat(trail().claimDue(reminder, muchLater, muchLater, 10)).isEmpty();
  }

  @Test
  void shouldRefuseToScheduleForAnOrdinaryConsumerOrAnUnrecordedChange() {
    AuditEntry created = creation("b-scheduled-refused", t0());
    trail().append(created);
    trail().registerConsumer("emails");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> trail().scheduleDelivery("emails", created.bookingId(), 1, t0()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> trail().scheduleDelivery(DeliveryWorker.SETTLEMENT, created.bookingId(), 1, t0()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> trail().scheduleDelivery(Delivery.TIMERS, created.bookingId(), 2, t0()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> trail().scheduleDelivery(Delivery.TIMERS, created.bookingId(), 0, t0()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> trail().scheduleDelivery(Delivery.TIMERS, "b-unknown", 1, t0()));
    assertThatNullPointerException()
        .isThrownBy(() -> trail().scheduleDelivery(null, created.bookingId(), 1, t0()));
    assertThatNullPointerException().isThrownBy(() -> trail().scheduleDelivery(Delivery.TIMERS, null, 1, t0()));
    assertThatNullPointerException()
        .isThrownBy(() -> trail().scheduleDelivery(Delivery.TIMERS, created.bookingId(), 1, null));

    assertThat(trail().claimDue(Delivery.TIMERS, t0(), t0(), 10)).isEmpty();
    assertThat(trail().claimDue("emails", t0(), t0(), 10)).isEmpty();
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10)).isEmpty();
  }

  @Test
  void shouldRefuseToRegisterAScheduledConsumer() {
    assertThatIllegalArgumentException().isThrownBy(() -> trail().registerConsumer(Delivery.TIMERS));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().registerConsumer("reminder.x"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> trail().registerConsumer(Delivery.REMINDER_PREFIX + "remind_gigsta_to_answer"));
  }

  @Test
  void shouldOweAScheduledConsumerNothingButWhatIsScheduled() {
    String reminder = Delivery.REMINDER_PREFIX + "remind_gigsta_to_answer";
    // Used before any change, as a worker's first sweep would.
    assertThat(trail().claimDue(Delivery.TIMERS, t0(), t0(), 10)).isEmpty();
    assertThat(trail().claimDue(reminder, t0(), t0(), 10)).isEmpty();
    assertThat(trail().deadLetters(Delivery.TIMERS, 10)).isEmpty();
    trail().registerConsumer("emails");
    AuditEntry created = creation("b-scheduled-nothing", t0());
    trail().append(created);
    AuditEntry declined = next(created, "decline_booking", BookingState.DECLINED, t0().plusSeconds(1));
    trail().append(declined, PaymentMoment.RELEASE);
    Instant muchLater = t0().plus(Duration.ofDays(30));

    assertThat(trail().claimDue(Delivery.TIMERS, muchLater, muchLater, 10)).isEmpty();
    assertThat(trail().claimDue(reminder, muchLater, muchLater, 10)).isEmpty();
    assertThat(trail().claimDue("emails", t0(), t0(), 10)).extracting(delivery -> delivery.change().entry())
        .containsExactly(created, declined);
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, t0(), t0(), 10))
        .extracting(delivery -> delivery.change().entry()).containsExactly(declined);
    assertThat(trail().deadLetterCount(Delivery.TIMERS)).isZero();
    assertThat(trail().deadLetterCount(reminder)).isZero();
  }

  @Test
  void shouldLetExactlyOneOfManyConcurrentCallsScheduleAChange() throws Exception {
    int rounds = raceRounds();
    int callers = 8;
    AuditTrail trail = trail();
    AtomicInteger created = new AtomicInteger();
    AtomicInteger existing = new AtomicInteger();
    int anomalies = 0;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      for (int round = 0; round < rounds; round++) {
        AuditEntry change = creation("b-schedule-race-" + round, t0());
        trail.append(change);
        int createdBefore = created.get();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int caller = 0; caller < callers; caller++) {
          done.add(pool.submit(() -> {
            start.await();
            if (trail.scheduleDelivery(Delivery.TIMERS, change.bookingId(), change.sequence(), t0())) {
              created.incrementAndGet();
            } else {
              existing.incrementAndGet();
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> future : done) {
          future.get(60, TimeUnit.SECONDS);
        }
        if (created.get() != createdBefore + 1) {
          anomalies++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<Delivery> due = trail.claimDue(Delivery.TIMERS, t0(), t0(), 10_000);
    System.out.printf("%s scheduled-delivery race: %d changes x %d callers, %d created, %d found existing, "
        + "%d deliveries due, %d anomalies%n", implementationName(), rounds, callers, created.get(), existing.get(),
        due.size(), anomalies);
    assertThat(anomalies).isZero();
    assertThat(created).hasValue(rounds);
    assertThat(existing).hasValue(rounds * (callers - 1));
    assertThat(due).hasSize(rounds).extracting(delivery -> delivery.change().bookingId()).doesNotHaveDuplicates();
  }

  // ---- holds ----

  @Test
  void shouldLetTheAppendOfASecuredChangeClaimItsHoldSoItIsNeverAbandoned() {
    AuditEntry created = creation("b-hold-claimed", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());
    PaymentRequest secure = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(secure, t0());
    trail().recordHold(secure, t0().plusSeconds(1));

    trail().append(accepted, PaymentMoment.SECURE);

    assertThat(trail().claimAbandonedHolds(t0().plus(Duration.ofDays(1)), 10)).isEmpty();
  }

  @Test
  void shouldRefuseToAppendASecuredChangeWithoutAHoldToClaim() {
    AuditEntry created = creation("b-hold-missing", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());
    // A hold of another change of the same booking is not this change's.
    trail().recordHold(PaymentRequest.of(PaymentMoment.SECURE, next(created, "decline_booking",
        BookingState.DECLINED, t0())), t0());

    for (PaymentMoment secures : List.of(PaymentMoment.SECURE, PaymentMoment.CHARGE)) {
      BookingChangedConcurrentlyException refused = catchThrowableOfType(BookingChangedConcurrentlyException.class,
          () -> trail().append(accepted, secures));
      assertThat(refused).as("%s", secures).isNotNull();
      assertThat(refused.bookingId()).isEqualTo(created.bookingId());
      assertThat(refused.attemptedSequence()).isEqualTo(2);
    }
    assertThat(trail().history(created.bookingId())).containsExactly(created);
    assertThat(trail().changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactly(created);
  }

  @Test
  void shouldLetTheAppendOfAChargeClaimItsHoldLikeASecure() {
    AuditEntry created = creation("b-hold-charge", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());
    PaymentRequest secure = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(secure, t0());

    trail().append(accepted, PaymentMoment.CHARGE);

    assertThat(trail().history(created.bookingId())).containsExactly(created, accepted);
    assertThat(trail().claimAbandonedHolds(t0().plus(Duration.ofDays(1)), 10)).as("claimed, so never abandoned")
        .isEmpty();
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking"))
        .as("a claimed hold is kept, so a late double submit learns the change is recorded")
        .isEqualTo(new AuditTrail.PaymentAttempt(1, AuditTrail.HoldStatus.CLAIMED));
    assertThat(trail().claimDue(DeliveryWorker.SETTLEMENT, LONG_AGO, LONG_AGO, 10)).singleElement()
        .satisfies(delivery -> {
          assertThat(delivery.change().entry()).isEqualTo(accepted);
          assertThat(delivery.change().paymentMoment()).isEqualTo(PaymentMoment.CHARGE);
        });
  }

  @Test
  void shouldStartPaymentAttemptsAtOneAndRepeatTheAttemptStillHeld() {
    AuditEntry created = creation("b-attempt-held", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());

    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).isEqualTo(1);
    PaymentRequest first = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(first, t0());
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking")).as("a double submit repeats it")
        .isEqualTo(new AuditTrail.PaymentAttempt(1, AuditTrail.HoldStatus.HELD));
    trail().recordHold(first, t0().plusSeconds(1));
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).as("recorded twice, still one")
        .isEqualTo(1);
    assertThat(trail().claimAbandonedHolds(t0().plus(tick()), 10)).as("recorded once, at its first time")
        .containsExactly(first);
  }

  @Test
  void shouldGiveTheAttemptAfterADeclinedOneTheNextAttemptUntilOneIsClaimed() {
    AuditEntry created = creation("b-attempt-declined", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());
    PaymentRequest first = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(first, t0());

    trail().markHoldDeclined(first);
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).isEqualTo(2);
    assertThatThrownBy(() -> trail().append(accepted, PaymentMoment.CHARGE)).as("a declined hold is not claimed")
        .isInstanceOf(BookingChangedConcurrentlyException.class);
    trail().recordHold(first, t0().plusSeconds(1));
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number())
        .as("recording a declined attempt again changes nothing").isEqualTo(2);
    PaymentRequest second = first.withAttempt(2);
    trail().recordHold(second, t0().plusSeconds(2));
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).isEqualTo(2);
    trail().markHoldDeclined(second);
    trail().markHoldDeclined(second);
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).isEqualTo(3);
    PaymentRequest third = first.withAttempt(3);
    trail().recordHold(third, t0().plusSeconds(3));

    trail().append(accepted, PaymentMoment.CHARGE);

    assertThat(trail().history(created.bookingId())).containsExactly(created, accepted);
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking"))
        .as("the claimed third is kept as claimed").isEqualTo(new AuditTrail.PaymentAttempt(3, AuditTrail.HoldStatus.CLAIMED));
    assertThat(trail().claimAbandonedHolds(t0().plus(Duration.ofDays(1)), 10)).as("declines are never released")
        .isEmpty();
  }

  @Test
  void shouldGiveTheNextAttemptOnceAHoldWasGivenUpAndKeepItWhenReleased() {
    AuditEntry created = creation("b-attempt-released", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());
    PaymentRequest first = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(first, t0());

    assertThat(trail().claimAbandonedHolds(t0().plus(tick()), 10)).containsExactly(first);
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking")).as("abandoned: its release is pending")
        .isEqualTo(new AuditTrail.PaymentAttempt(1, AuditTrail.HoldStatus.ABANDONED));
    trail().markHoldDeclined(first);
    assertThat(trail().claimAbandonedHolds(t0().plus(tick()), 10)).as("a decline changes only a held hold")
        .containsExactly(first);
    trail().markHoldReleased(first);
    trail().markHoldReleased(first);
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).as("released").isEqualTo(2);
    assertThat(trail().claimAbandonedHolds(t0().plus(Duration.ofDays(1)), 10)).isEmpty();
    trail().recordHold(first, t0().plusSeconds(5));
    assertThat(trail().claimAbandonedHolds(t0().plus(Duration.ofDays(1)), 10))
        .as("recording a released attempt again changes nothing").isEmpty();
    assertThatThrownBy(() -> trail().append(accepted, PaymentMoment.SECURE))
        .isInstanceOf(BookingChangedConcurrentlyException.class);

    // Released before it was given up: the engine let the payment go at once.
    PaymentRequest second = first.withAttempt(2);
    trail().recordHold(second, t0().plusSeconds(10));
    trail().markHoldReleased(second);
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).isEqualTo(3);
    assertThatThrownBy(() -> trail().append(accepted, PaymentMoment.SECURE))
        .isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThat(trail().history(created.bookingId())).containsExactly(created);

    trail().recordHold(first.withAttempt(3), t0().plusSeconds(20));
    trail().append(accepted, PaymentMoment.SECURE);
    assertThat(trail().history(created.bookingId())).containsExactly(created, accepted);
  }

  @Test
  void shouldReturnAbandonedHoldsWithTheirAttemptAndAmount() {
    AuditEntry created = pricedCreation("b-hold-amount", t0(), Money.of(123_456, "JPY"));
    trail().append(created);
    AuditEntry accepted = nextWithMoney(created, "accept_booking", BookingState.ACCEPTED, t0(),
        Money.of(123_456, "JPY"), null);
    PaymentRequest first = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(first, t0());
    trail().markHoldDeclined(first);
    PaymentRequest second = first.withAttempt(2);
    trail().recordHold(second, t0().plusSeconds(1));
    AuditEntry unpriced = creation("b-hold-no-amount", t0());
    trail().append(unpriced);
    PaymentRequest withoutAmount = PaymentRequest.of(PaymentMoment.SECURE,
        next(unpriced, "accept_booking", BookingState.ACCEPTED, t0()));
    trail().recordHold(withoutAmount, t0().plusSeconds(2));

    List<PaymentRequest> abandoned = trail().claimAbandonedHolds(t0().plusSeconds(3), 10);

    assertThat(abandoned).containsExactly(second, withoutAmount);
    assertThat(abandoned.get(0)).satisfies(hold -> {
      assertThat(hold.attempt()).isEqualTo(2);
      assertThat(hold.amount()).isEqualTo(Money.of(123_456, "JPY"));
      assertThat(hold.idempotencyKey()).isEqualTo("b-hold-amount:2:accept_booking:secure:2");
      assertThat(hold.customerId()).isEqualTo("c-1");
      assertThat(hold.gigstaId()).isEqualTo("g-1");
    });
    assertThat(abandoned.get(1).amount()).isNull();
    assertThat(abandoned.get(1).attempt()).isEqualTo(1);
    assertThat(trail().claimAbandonedHolds(t0().plusSeconds(3), 1)).as("oldest first, up to the limit")
        .containsExactly(second);
  }

  @Test
  void shouldKeepTheAttemptsOfEachChangeApart() {
    AuditEntry created = creation("b-attempts-apart", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());
    AuditEntry otherAction = next(created, "confirm_booking", BookingState.ACCEPTED, t0());
    AuditEntry otherBooking = next(creation("b-attempts-apart-2", t0()), "accept_booking", BookingState.ACCEPTED,
        t0());
    PaymentRequest declined = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(declined, t0());
    trail().markHoldDeclined(declined);
    trail().recordHold(PaymentRequest.of(PaymentMoment.SECURE, otherAction), t0());

    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).isEqualTo(2);
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "confirm_booking").number()).isEqualTo(1);
    assertThat(trail().paymentAttempt(created.bookingId(), 3, "accept_booking").number()).isEqualTo(1);
    assertThat(trail().paymentAttempt(otherBooking.bookingId(), 2, "accept_booking").number()).isEqualTo(1);
    assertThatNullPointerException().isThrownBy(() -> trail().paymentAttempt(null, 2, "accept_booking"));
    assertThatNullPointerException().isThrownBy(() -> trail().paymentAttempt(created.bookingId(), 2, null));
    assertThatNullPointerException().isThrownBy(() -> trail().markHoldDeclined(null));
    assertThatNullPointerException().isThrownBy(() -> trail().markHoldReleased(null));
  }

  @Test
  void shouldGiveUpAnUnclaimedHoldOnlyAfterItsTimeAndThenRefuseItsLateAppend() {
    AuditEntry created = creation("b-hold-abandoned", t0());
    trail().append(created);
    AuditEntry accepted = next(created, "accept_booking", BookingState.ACCEPTED, t0());
    PaymentRequest secure = PaymentRequest.of(PaymentMoment.SECURE, accepted);
    trail().recordHold(secure, t0());

    assertThat(trail().claimAbandonedHolds(t0(), 10)).as("recorded at, not before, the cutoff").isEmpty();
    assertThat(trail().claimAbandonedHolds(t0().plus(tick()), 10)).containsExactly(secure);
    assertThat(trail().claimAbandonedHolds(t0().plus(tick()), 10)).as("until marked released").containsExactly(secure);
    assertThatThrownBy(() -> trail().append(accepted, PaymentMoment.SECURE))
        .isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThat(trail().history(created.bookingId())).containsExactly(created);

    trail().markHoldReleased(secure);
    assertThat(trail().claimAbandonedHolds(t0().plus(Duration.ofDays(1)), 10)).isEmpty();
    assertThat(trail().paymentAttempt(created.bookingId(), 2, "accept_booking").number()).as("released, so never again")
        .isEqualTo(2);
  }

  @Test
  void shouldRejectBadHoldArguments() {
    AuditEntry accepted = next(creation("b-hold-args", t0()), "accept_booking", BookingState.ACCEPTED, t0());
    assertThatIllegalArgumentException().isThrownBy(
        () -> trail().recordHold(PaymentRequest.of(PaymentMoment.REFUND, accepted), t0()));
    assertThatNullPointerException().isThrownBy(() -> trail().recordHold(null, t0()));
    assertThatNullPointerException().isThrownBy(
        () -> trail().recordHold(PaymentRequest.of(PaymentMoment.SECURE, accepted), null));
    assertThatIllegalArgumentException().isThrownBy(() -> trail().claimAbandonedHolds(t0(), 0));
  }

  /**
   * Returns how many bookings each writer of the feed race creates, and how many deliveries the delivery
   * race has.
   *
   * @return 50 unless overridden
   */
  protected int feedRaceBookings() {
    return 50;
  }

  /** Appends a booking's creation and a cancellation that owes a refund; returns the cancellation. */
  private AuditEntry owedRefund(String bookingId) {
    AuditEntry created = creation(bookingId, t0());
    trail().append(created);
    AuditEntry cancelled = next(created, "cancel_booking", BookingState.CANCELLED_BY_GIGSTA, t0());
    trail().append(cancelled, PaymentMoment.REFUND);
    return cancelled;
  }

  // ---- helpers ----

  /**
   * Asserts that the trail refuses the entry as {@code limits} does: with
   * {@link InvalidBookingInputException}, the same message and the same field.
   */
  private static void assertRefused(AuditTrail trail, AuditEntry entry, BookingLimits limits) {
    InvalidBookingInputException expected =
        catchThrowableOfType(InvalidBookingInputException.class, () -> limits.check(entry));
    assertThat(expected).as("the test's own entry must lie outside the limits: %s", entry).isNotNull();

    assertThatExceptionOfType(InvalidBookingInputException.class)
        .as("appending %s", entry)
        .isThrownBy(() -> trail.append(entry))
        .withMessage(expected.getMessage())
        .satisfies(refused -> assertThat(refused.field()).isEqualTo(expected.field()));
  }

  /** Returns the creation entry of a booking with a price, requested by {@code c-1} from {@code g-1}. */
  private static AuditEntry pricedCreation(String bookingId, Instant at, Money price) {
    return new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, at, "Booking requested by customer", null, null, price, null, null);
  }

  /** Returns the entry following {@code previous} as the GigSta, moving {@code amount} of its price. */
  private static AuditEntry nextWithMoney(AuditEntry previous, String action, BookingState to, Instant at,
      Money amount, Money fee) {
    return new AuditEntry(previous.bookingId(), previous.sequence() + 1, action, Role.GIGSTA, previous.gigstaId(),
        previous.customerId(), previous.gigstaId(), previous.toState(), to, at, "Booking changed by GigSta", null,
        previous.scheduledStart(), previous.price(), amount, fee);
  }

  private AuditEntry creationWith(String bookingId, String actorId, String customerId, String gigstaId,
      String note, String reason) {
    return new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, actorId, customerId, gigstaId, null,
        BookingState.REQUESTED, t0(), note, reason, null);
  }
}
