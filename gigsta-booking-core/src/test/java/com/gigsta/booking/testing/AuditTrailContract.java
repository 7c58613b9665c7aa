package com.gigsta.booking.testing;

import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditTrail} must show, written once and run against each implementation:
 * subclass it and return a trail backed by storage that is empty when each test starts.
 */
public abstract class AuditTrailContract {

  /** A time with all six sub-second digits in use, so precision loss shows. */
  protected static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");

  private static final int RACE_THREADS = 16;

  private AuditTrail defaultTrail;

  /** For subclasses, one per implementation under test. */
  protected AuditTrailContract() {}

  /**
   * Returns a trail with the given limits over this test's storage. Trails created within one test may
   * share storage; storage must be empty when each test starts.
   */
  protected abstract AuditTrail createTrail(BookingLimits limits);

  /** Returns how many bookings the same-sequence race is run on; each has {@value #RACE_THREADS} writers. */
  protected int raceRounds() {
    return 25;
  }

  /** Returns the name printed with the race counts. */
  protected String implementationName() {
    return getClass().getSimpleName();
  }

  /** Returns this test's trail with the default limits. */
  protected final AuditTrail trail() {
    if (defaultTrail == null) {
      defaultTrail = createTrail(BookingLimits.defaults());
    }
    return defaultTrail;
  }

  /** Returns the creation entry of a booking requested by {@code c-1} from {@code g-1}. */
  protected static AuditEntry creation(String bookingId, Instant at) {
    return new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, at, "Booking requested by customer", null, null);
  }

  /** Returns the entry following {@code previous} that moves the booking to {@code to} as the GigSta. */
  protected static AuditEntry next(AuditEntry previous, String action, BookingState to, Instant at) {
    return new AuditEntry(previous.bookingId(), previous.sequence() + 1, action, Role.GIGSTA, previous.gigstaId(),
        previous.customerId(), previous.gigstaId(), previous.toState(), to, at, "Booking changed by GigSta", null,
        previous.scheduledStart());
  }

  @Test
  void shouldReturnHistoryInSequenceOrderEqualToWhatWasAppended() {
    AuditEntry first = creation("b-history", T0);
    AuditEntry second = next(first, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(60));
    AuditEntry third = next(second, "mark_in_progress", BookingState.IN_PROGRESS, T0.plusSeconds(120));
    trail().append(first);
    trail().append(second);
    trail().append(third);

    assertThat(trail().history("b-history")).containsExactly(first, second, third);
  }

  @Test
  void shouldReturnTheLastAppendedEntryAsLatest() {
    AuditEntry first = creation("b-latest", T0);
    trail().append(first);
    assertThat(trail().latest("b-latest")).contains(first);

    AuditEntry second = next(first, "decline_booking", BookingState.DECLINED, T0.plusSeconds(1));
    trail().append(second);
    assertThat(trail().latest("b-latest")).contains(second);
  }

  @Test
  void shouldReturnNothingForAnUnknownBooking() {
    trail().append(creation("b-known", T0));

    assertThat(trail().history("b-unknown")).isEmpty();
    assertThat(trail().latest("b-unknown")).isEmpty();
  }

  @Test
  void shouldRefuseATakenSequenceNamingTheBooking() {
    AuditEntry first = creation("b-taken", T0);
    trail().append(first);
    AuditEntry accepted = next(first, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(1));
    trail().append(accepted);
    AuditEntry declined = next(first, "decline_booking", BookingState.DECLINED, T0.plusSeconds(2));

    BookingChangedConcurrentlyException refused =
        catchThrowableOfType(BookingChangedConcurrentlyException.class, () -> trail().append(declined));

    assertThat(refused).isNotNull();
    assertThat(refused.bookingId()).isEqualTo("b-taken");
    assertThat(refused.attemptedSequence()).isEqualTo(2);
    assertThat(trail().history("b-taken")).containsExactly(first, accepted);
  }

  @Test
  void shouldRefuseAGapInTheSequence() {
    AuditEntry first = creation("b-gap", T0);
    trail().append(first);
    AuditEntry second = next(first, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(1));
    AuditEntry third = next(second, "mark_in_progress", BookingState.IN_PROGRESS, T0.plusSeconds(2));

    assertThatThrownBy(() -> trail().append(third)).isInstanceOf(BookingChangedConcurrentlyException.class)
        .hasMessageContaining("b-gap");
    assertThat(trail().history("b-gap")).containsExactly(first);
  }

  @Test
  void shouldRefuseAFirstEntryThatIsNotTheCreation() {
    AuditEntry orphan = next(creation("b-orphan", T0), "accept_booking", BookingState.ACCEPTED, T0);

    assertThatThrownBy(() -> trail().append(orphan)).isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThat(trail().history("b-orphan")).isEmpty();
  }

  @Test
  void shouldRefuseAnEntryFromAnotherStateThanTheLatest() {
    AuditEntry first = creation("b-state", T0);
    trail().append(first);
    AuditEntry fromAccepted = new AuditEntry("b-state", 2, "mark_in_progress", Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.ACCEPTED, BookingState.IN_PROGRESS, T0.plusSeconds(1), "Booking changed by GigSta", null, null);

    assertThatThrownBy(() -> trail().append(fromAccepted)).isInstanceOf(BookingChangedConcurrentlyException.class)
        .hasMessageContaining("b-state");
    assertThat(trail().history("b-state")).containsExactly(first);
  }

  @Test
  void shouldRefuseAnEntryNamingOtherParties() {
    AuditEntry first = creation("b-parties", T0);
    trail().append(first);
    AuditEntry otherCustomer = new AuditEntry("b-parties", 2, "accept_booking", Role.GIGSTA, "g-1", "c-2", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, T0.plusSeconds(1), "Booking changed by GigSta", null, null);
    AuditEntry otherGigsta = new AuditEntry("b-parties", 2, "accept_booking", Role.GIGSTA, "g-2", "c-1", "g-2",
        BookingState.REQUESTED, BookingState.ACCEPTED, T0.plusSeconds(1), "Booking changed by GigSta", null, null);

    assertThatThrownBy(() -> trail().append(otherCustomer)).isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThatThrownBy(() -> trail().append(otherGigsta)).isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThat(trail().history("b-parties")).containsExactly(first);
  }

  @Test
  void shouldRefuseASecondCreation() {
    AuditEntry first = creation("b-twice", T0);
    trail().append(first);

    BookingChangedConcurrentlyException refused = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> trail().append(creation("b-twice", T0.plusSeconds(5))));

    assertThat(refused).isNotNull();
    assertThat(refused.bookingId()).isEqualTo("b-twice");
    assertThat(trail().history("b-twice")).containsExactly(first);
  }

  @Test
  void shouldRefuseOverLongValuesAndUnstorableTimesWithTheSameErrorsAsTheInMemoryTrail() {
    String longId = "x".repeat(BookingLimits.DEFAULT_MAX_ID_LENGTH + 1);
    String longText = "y".repeat(BookingLimits.DEFAULT_MAX_TEXT_LENGTH + 1);
    AuditEntry base = creation("b-limits", T0);
    List<AuditEntry> oversized = List.of(
        withIds(base, longId, "c-1", "c-1", "g-1"),
        withIds(base, "b-limits", longId, "c-1", "g-1"),
        withIds(base, "b-limits", "c-long", longId, "g-1"),
        withIds(base, "b-limits", "c-1", "c-1", longId),
        new AuditEntry("b-limits", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
            BookingState.REQUESTED, T0, longText, null, null),
        new AuditEntry("b-limits", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
            BookingState.REQUESTED, T0, "note", longText, null),
        creation("b-limits", T0.plusNanos(1)),
        creation("b-limits", Instant.parse("0999-12-31T23:59:59Z")),
        new AuditEntry("b-limits", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
            BookingState.REQUESTED, T0, "note", null, Instant.parse("+10000-01-01T00:00:00Z")));
    AuditTrail reference = new InMemoryAuditTrail();

    for (AuditEntry entry : oversized) {
      InvalidBookingInputException expected =
          catchThrowableOfType(InvalidBookingInputException.class, () -> reference.append(entry));
      InvalidBookingInputException actual =
          catchThrowableOfType(InvalidBookingInputException.class, () -> trail().append(entry));
      assertThat(expected).as("the in-memory trail refuses %s", entry).isNotNull();
      assertThat(actual).as("the trail refuses %s", entry).isNotNull();
      assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
      assertThat(actual.field()).isEqualTo(expected.field());
    }
    assertThat(trail().history("b-limits")).isEmpty();
  }

  @Test
  void shouldApplyItsOwnLimits() {
    AuditTrail strict = createTrail(new BookingLimits(8, 20));
    AuditEntry fits = new AuditEntry("b-strict", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, T0, "short note", null, null);
    strict.append(fits);
    AuditEntry longReason = next(fits, "decline_booking", BookingState.DECLINED, T0.plusSeconds(1));
    AuditEntry tooLong = new AuditEntry(longReason.bookingId(), 2, longReason.actionName(), longReason.actorRole(),
        longReason.actorId(), "c-1", "g-1", longReason.fromState(), longReason.toState(), longReason.occurredAt(),
        "short note", "a reason of more than twenty characters", null);

    assertThatThrownBy(() -> strict.append(tooLong)).isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("reason must be at most 20 characters but was 39");
    assertThatThrownBy(() -> strict.append(creation("b-too-long", T0))).isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("booking id must be at most 8 characters but was 10");
    assertThat(strict.history("b-strict")).containsExactly(fits);
  }

  @Test
  void shouldKeepOccurredAtAndScheduledStartToTheMicrosecond() {
    List<Instant> instants = List.of(T0, Instant.parse("2026-01-01T00:00:00.000001Z"),
        Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("2038-01-19T03:14:08.999999Z"),
        Instant.parse("2026-03-29T01:30:00.500000Z"));
    for (int i = 0; i < instants.size(); i++) {
      Instant at = instants.get(i);
      AuditEntry entry = new AuditEntry("b-micros-" + i, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1",
          null, BookingState.REQUESTED, at, "Booking requested by customer", null, at.plusNanos(1_000));
      trail().append(entry);

      AuditEntry read = trail().latest(entry.bookingId()).orElseThrow();
      assertThat(read.occurredAt()).isEqualTo(at);
      assertThat(read.scheduledStart()).isEqualTo(at.plusNanos(1_000));
      assertThat(read).isEqualTo(entry);
    }
  }

  @Test
  void shouldKeepTextsAndOptionalValuesExactly() {
    AuditEntry first = new AuditEntry("B-Case:ünï/✓", 1, "request_booking", Role.CUSTOMER, "Cüst 1", "Cüst 1",
        "g-1", null, BookingState.REQUESTED, T0, "Note with\nline breaks\tand tabs 🎸", null, null);
    AuditEntry second = new AuditEntry("B-Case:ünï/✓", 2, "cancel_booking", Role.CUSTOMER, "Cüst 1", "Cüst 1",
        "g-1", BookingState.REQUESTED, BookingState.CANCELLED_BY_CUSTOMER, T0.plusSeconds(3), "Cancelled",
        "Plans changed — sorry! 😅", null);
    AuditEntry otherCase = creation("b-case:ünï/✓", T0);
    trail().append(first);
    trail().append(second);
    trail().append(otherCase);

    assertThat(trail().history("B-Case:ünï/✓")).containsExactly(first, second);
    assertThat(trail().history("b-case:ünï/✓")).containsExactly(otherCase);
  }

  @Test
  void shouldFindOnlyBookingsWhoseCurrentStateMatches() {
    AuditEntry waiting = creation("b-waiting", T0);
    AuditEntry answered = creation("b-answered", T0.minusSeconds(10));
    trail().append(waiting);
    trail().append(answered);
    trail().append(next(answered, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(1)));

    assertThat(trail().findInStateChangedBefore(BookingState.REQUESTED, T0.plusSeconds(3600), 10))
        .containsExactly(waiting);
    assertThat(trail().findInStateChangedBefore(BookingState.ACCEPTED, T0.plusSeconds(3600), 10))
        .extracting(AuditEntry::bookingId).containsExactly("b-answered");
    assertThat(trail().findInStateChangedBefore(BookingState.DECLINED, T0.plusSeconds(3600), 10)).isEmpty();
  }

  @Test
  void shouldFindOnlyChangesStrictlyBeforeTheCutoff() {
    AuditEntry atCutoff = creation("b-at", T0);
    AuditEntry justBefore = creation("b-before", T0.minusNanos(1_000));
    AuditEntry after = creation("b-after", T0.plusNanos(1_000));
    trail().append(atCutoff);
    trail().append(justBefore);
    trail().append(after);

    assertThat(trail().findInStateChangedBefore(BookingState.REQUESTED, T0, 10)).containsExactly(justBefore);
    assertThat(trail().findInStateChangedBefore(BookingState.REQUESTED, T0.plusNanos(1), 10))
        .containsExactly(justBefore, atCutoff);
  }

  @Test
  void shouldFindOnlyChangesAtOrAfterTheLowerBound() {
    AuditEntry before = creation("b-lower-before", T0.minusNanos(1_000));
    AuditEntry atBound = creation("b-lower-at", T0);
    AuditEntry inside = creation("b-lower-inside", T0.plusSeconds(30));
    AuditEntry answered = creation("b-lower-answered", T0.plusSeconds(40));
    trail().append(before);
    trail().append(atBound);
    trail().append(inside);
    trail().append(answered);
    trail().append(next(answered, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(50)));

    assertThat(trail().findInStateChangedBetween(BookingState.REQUESTED, T0, T0.plusSeconds(60), 10))
        .containsExactly(atBound, inside);
    assertThat(trail().findInStateChangedBetween(BookingState.REQUESTED, T0.plusNanos(1), T0.plusSeconds(60), 10))
        .containsExactly(inside);
    assertThat(trail().findInStateChangedBetween(BookingState.REQUESTED, null, T0.plusSeconds(60), 10))
        .containsExactly(before, atBound, inside);
    assertThat(trail().findInStateChangedBetween(BookingState.REQUESTED, T0.plusSeconds(60), T0.plusSeconds(60),
        10)).isEmpty();
  }

  @Test
  void shouldFindOldestFirstUpToTheLimit() {
    List<AuditEntry> appended = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // Appended out of time order so only sorting can put them in order.
      AuditEntry entry = creation("b-old-" + i, T0.minus(Duration.ofMinutes((i * 5L) % 6)));
      trail().append(entry);
      appended.add(entry);
    }
    List<AuditEntry> oldestFirst = appended.stream()
        .sorted((a, b) -> a.occurredAt().compareTo(b.occurredAt())).toList();

    assertThat(trail().findInStateChangedBefore(BookingState.REQUESTED, T0.plusSeconds(1), 4))
        .containsExactlyElementsOf(oldestFirst.subList(0, 4));
    assertThat(trail().findInStateChangedBefore(BookingState.REQUESTED, T0.plusSeconds(1), 100))
        .containsExactlyElementsOf(oldestFirst);
    assertThat(trail().findInStateChangedBefore(BookingState.REQUESTED, T0.plusSeconds(1), 0)).isEmpty();
  }

  @Test
  void shouldLetExactlyOneOfManyConcurrentWritersTakeASequence() throws Exception {
    int rounds = raceRounds();
    AtomicInteger winners = new AtomicInteger();
    AtomicInteger losers = new AtomicInteger();
    AtomicInteger anomalies = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(RACE_THREADS);
    try {
      for (int round = 0; round < rounds; round++) {
        AuditEntry first = creation("b-race-" + round, T0);
        trail().append(first);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AuditEntry>> outcomes = new ArrayList<>();
        for (int writer = 0; writer < RACE_THREADS; writer++) {
          AuditEntry contender = new AuditEntry(first.bookingId(), 2, "decline_booking", Role.GIGSTA, "g-1", "c-1",
              "g-1", BookingState.REQUESTED, BookingState.DECLINED, T0.plusSeconds(1), "Declined",
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

  private static AuditEntry withIds(AuditEntry base, String bookingId, String actorId, String customerId,
      String gigstaId) {
    return new AuditEntry(bookingId, base.sequence(), base.actionName(), base.actorRole(), actorId,
        customerId, gigstaId, base.fromState(), base.toState(), base.occurredAt(), base.note(), base.reason(),
        base.scheduledStart());
  }
}
