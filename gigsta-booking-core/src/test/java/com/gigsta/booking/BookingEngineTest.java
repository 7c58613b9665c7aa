package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BookingEngineTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");

  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final MutableClock clock = new MutableClock(NOW);
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withClock(clock).build();

  @Test
  void shouldRecordTheCreationAsTheFirstAuditEntry() {
    BookingChange created = engine.requestBooking("b-1", CUSTOMER, "g-1", Instant.parse("2026-12-01T09:00:00Z"));

    WorkflowVersion pinned = WorkflowVersion.of("gigsta", 1);
    assertThat(created.booking()).isEqualTo(new Booking("b-1", "c-1", "g-1", BookingState.REQUESTED, 1,
        Instant.parse("2026-12-01T09:00:00Z"), null, NOW, pinned));
    assertThat(engine.history("b-1")).containsExactly(created.entry());
    assertThat(created.entry()).isEqualTo(new AuditEntry("b-1", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1",
        "g-1", null, BookingState.REQUESTED, NOW, "Booking requested by customer", null,
        Instant.parse("2026-12-01T09:00:00Z"), null, null, null, pinned));
  }

  @Test
  void shouldTruncateItsClockToTheTrailsPrecisionAndKeepTheRestExactly() {
    BookingEngine micros = BookingEngine.builder().withClock(clock).withAuditTrail(new InMemoryAuditTrail(
        BookingLimits.defaults().withTimes(ChronoUnit.MICROS, Instant.parse("1000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999Z")))).build();
    clock.set(Instant.parse("2026-11-23T10:00:00.123456789Z"));
    // Before 1970 the epoch second is negative; a start at whole microseconds is kept as it is.
    Instant scheduled = Instant.parse("1969-12-31T23:59:59.987654Z");

    AuditEntry created = micros.requestBooking("b-1", CUSTOMER, "g-1", scheduled).entry();
    clock.set(Instant.parse("2026-11-23T10:00:01.000000999Z"));
    AuditEntry accepted = micros.perform(micros.load("b-1"), GIGSTA, "accept_booking").entry();

    assertThat(created.occurredAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123456Z"));
    assertThat(created.scheduledStart()).isEqualTo(scheduled);
    assertThat(accepted.occurredAt()).isEqualTo(Instant.parse("2026-11-23T10:00:01Z"));
    assertThat(micros.history("b-1")).containsExactly(created, accepted);
  }

  @Test
  void shouldRefuseAScheduledStartTheTrailCannotStoreExactlyRatherThanRoundIt() {
    BookingEngine micros = BookingEngine.builder().withClock(clock).withAuditTrail(new InMemoryAuditTrail(
        BookingLimits.defaults().withTimes(ChronoUnit.MICROS, Instant.parse("1000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999Z")))).build();

    assertThatThrownBy(() -> micros.requestBooking("b-1", CUSTOMER, "g-1",
        Instant.parse("2026-12-01T09:00:00.000000001Z")))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessage("scheduledStart must be a whole number of micros to be stored exactly but was "
            + "2026-12-01T09:00:00.000000001Z");
    assertThatThrownBy(() -> micros.requestBooking("b-1", CUSTOMER, "g-1", Instant.parse("0999-12-31T23:59:59Z")))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("scheduledStart must be from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
    assertThatThrownBy(() -> micros.load("b-1")).isInstanceOf(BookingNotFoundException.class);
  }

  @Test
  void shouldGenerateDistinctIdsWhenTheHostGivesNone() {
    String first = engine.requestBooking(CUSTOMER, "g-1").booking().id();
    String second = engine.requestBooking(CUSTOMER, "g-1").booking().id();

    assertThat(first).isNotEqualTo(second);
    assertThat(engine.load(first).state()).isEqualTo(BookingState.REQUESTED);
  }

  @Test
  void shouldRefuseACustomerBookingThemself() {
    assertThatThrownBy(() -> engine.requestBooking("b-1", Actor.customer("same"), "same", null))
        .isInstanceOf(InvalidBookingInputException.class)
        .hasMessageContaining("cannot book themself").hasMessageContaining("'same'");
    assertThat(trail.history("b-1")).isEmpty();
  }

  @Test
  void shouldRefuseRequestsFromAnyoneButACustomer() {
    assertThatThrownBy(() -> engine.requestBooking("b-1", GIGSTA, "g-2", null))
        .isInstanceOf(InvalidBookingInputException.class).hasMessageContaining("only a CUSTOMER");
  }

  @Test
  void shouldRefuseASecondBookingWithTheSameId() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);

    assertThatThrownBy(() -> engine.requestBooking("b-1", Actor.customer("c-2"), "g-2", null))
        .isInstanceOf(BookingChangedConcurrentlyException.class).hasMessageContaining("b-1");
    assertThat(engine.load("b-1").customerId()).isEqualTo("c-1");
  }

  @Test
  void shouldWalkAHappyPathWritingOneEntryPerChange() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    clock.advance(Duration.ofMinutes(5));
    booking = engine.perform(booking, GIGSTA, "accept_booking").booking();
    clock.advance(Duration.ofDays(1));
    booking = engine.perform(booking, GIGSTA, "mark_in_progress").booking();
    clock.advance(Duration.ofHours(2));
    BookingChange completed = engine.perform(booking, GIGSTA, "mark_completed");

    assertThat(completed.booking().state()).isEqualTo(BookingState.COMPLETED);
    assertThat(completed.booking().version()).isEqualTo(4);
    assertThat(engine.history("b-1")).extracting(AuditEntry::sequence, AuditEntry::actionName,
        AuditEntry::fromState, AuditEntry::toState, AuditEntry::occurredAt).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1L, "request_booking", null, BookingState.REQUESTED, NOW),
        org.assertj.core.groups.Tuple.tuple(2L, "accept_booking", BookingState.REQUESTED, BookingState.ACCEPTED,
            NOW.plus(Duration.ofMinutes(5))),
        org.assertj.core.groups.Tuple.tuple(3L, "mark_in_progress", BookingState.ACCEPTED,
            BookingState.IN_PROGRESS, NOW.plus(Duration.ofMinutes(5)).plus(Duration.ofDays(1))),
        org.assertj.core.groups.Tuple.tuple(4L, "mark_completed", BookingState.IN_PROGRESS,
            BookingState.COMPLETED, NOW.plus(Duration.ofMinutes(5)).plus(Duration.ofDays(1)).plusSeconds(7200)));
    assertThat(engine.load("b-1")).isEqualTo(completed.booking());
  }

  @Test
  void shouldRecordThePersonsReasonBesideTheActionsNote() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();

    AuditEntry entry = engine.perform(booking, CUSTOMER, "cancel_booking", "Found a closer GigSta").entry();

    assertThat(entry.note()).isEqualTo("Booking cancelled by customer");
    assertThat(entry.reason()).isEqualTo("Found a closer GigSta");
    assertThat(entry.actor()).isEqualTo(CUSTOMER);
  }

  @Test
  void shouldKeepTheClocksNanosecondsOnATrailThatStoresThem() {
    clock.set(Instant.parse("2026-11-23T10:00:00.123456789Z"));

    AuditEntry entry = engine.requestBooking("b-1", CUSTOMER, "g-1", null).entry();

    assertThat(entry.occurredAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123456789Z"));
    assertThat(engine.history("b-1")).containsExactly(entry);
  }

  @Test
  void shouldRefuseUnknownActionsNamingTheKnownOnes() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();

    UnknownActionException e = catchThrowableOfType(UnknownActionException.class,
        () -> engine.perform(booking, GIGSTA, "approve_booking"));

    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ACTION);
    assertThat(e.getMessage()).contains("approve_booking", "b-1", "REQUESTED", "GIGSTA:g-1", "accept_booking");
    assertContext(e, "b-1", BookingState.REQUESTED, "approve_booking", GIGSTA);
  }

  @Test
  void shouldRefuseStrangersOnPerformNotOnlyOnListing() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    Actor stranger = Actor.gigsta("g-2");

    assertThat(engine.getAvailableBookingActions(booking, stranger)).isEmpty();
    NotABookingPartyException e = catchThrowableOfType(NotABookingPartyException.class,
        () -> engine.perform(booking, stranger, "accept_booking"));

    assertThat(e.getMessage()).contains("GIGSTA:g-2", "b-1", "accept_booking", "not this booking's GigSta");
    assertThat(e.getMessage()).doesNotContain("g-1").doesNotContain("REQUESTED");
    assertContext(e, "b-1", BookingState.REQUESTED, "accept_booking", stranger);
    assertThat(engine.history("b-1")).hasSize(1);
  }

  @Test
  void shouldRefuseAnActionOfTheWrongRoleListingWhatIsAllowed() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();

    ActionNotAllowedForRoleException e = catchThrowableOfType(ActionNotAllowedForRoleException.class,
        () -> engine.perform(booking, CUSTOMER, "accept_booking"));

    assertThat(e.getMessage()).contains("role CUSTOMER may not", "[cancel_booking]");
    assertContext(e, "b-1", BookingState.REQUESTED, "accept_booking", CUSTOMER);
  }

  @Test
  void shouldRefuseAnActionThatCannotLeaveTheCurrentState() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();

    ActionNotAllowedInStateException e = catchThrowableOfType(ActionNotAllowedInStateException.class,
        () -> engine.perform(booking, GIGSTA, "mark_completed"));

    assertThat(e.getMessage()).contains("not possible in REQUESTED", "[accept_booking, decline_booking]");
    assertThat(e.code()).isEqualTo(ErrorCode.NOT_ALLOWED_IN_STATE);
  }

  @Test
  void shouldLetTheOperatorActOnlyWhereTheWorkflowNamesThem() {
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();

    assertThatThrownBy(() -> engine.perform(booking, Actor.operator("ops"), "cancel_booking"))
        .isInstanceOf(ActionNotAllowedForRoleException.class);
    assertThatThrownBy(() -> engine.perform(booking, Actor.system(), "cancel_booking"))
        .isInstanceOf(ActionNotAllowedForRoleException.class);
  }

  @Test
  void shouldRefuseAStaleSnapshotWithoutWriting() {
    Booking requested = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    engine.perform(requested, GIGSTA, "accept_booking");

    BookingChangedConcurrentlyException e = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> engine.perform(requested, CUSTOMER, "cancel_booking"));

    assertThat(e.attemptedSequence()).isEqualTo(2);
    assertThat(e.getMessage()).contains("b-1", "cancel_booking", "CUSTOMER:c-1", "already taken", "reload");
    assertContext(e, "b-1", BookingState.REQUESTED, "cancel_booking", CUSTOMER);
    assertThat(engine.load("b-1").state()).isEqualTo(BookingState.ACCEPTED);
  }

  @Test
  void shouldRefuseAHandMadeSnapshotThatDoesNotMatchTheTrail() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    Booking forged = new Booking("b-1", "c-1", "g-1", BookingState.IN_PROGRESS, 1, null, NOW);
    Booking stolen = new Booking("b-1", "c-9", "g-1", BookingState.REQUESTED, 1, null, NOW);

    assertThatThrownBy(() -> engine.perform(forged, GIGSTA, "mark_completed"))
        .isInstanceOf(BookingChangedConcurrentlyException.class).hasMessageContaining("not IN_PROGRESS");
    assertThatThrownBy(() -> engine.perform(stolen, Actor.customer("c-9"), "cancel_booking"))
        .isInstanceOf(BookingChangedConcurrentlyException.class).hasMessageContaining("other parties");
    assertThat(engine.history("b-1")).hasSize(1);
  }

  @Test
  void shouldLoadByIdForTheListingAndPerformOverloads() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);

    assertThat(engine.getAvailableBookingActions("b-1", GIGSTA)).extracting(BookingAction::actionName)
        .containsExactly("accept_booking", "decline_booking");
    assertThat(engine.perform("b-1", GIGSTA, "decline_booking", "Fully booked").booking().state())
        .isEqualTo(BookingState.DECLINED);
  }

  @Test
  void shouldReportUnknownBookings() {
    assertThatThrownBy(() -> engine.load("nope")).isInstanceOf(BookingNotFoundException.class)
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> engine.history("nope")).isInstanceOf(BookingNotFoundException.class);
    assertThatThrownBy(() -> engine.getAvailableBookingActions("nope", CUSTOMER))
        .isInstanceOf(BookingNotFoundException.class);
  }

  @Test
  void shouldTellListenersAfterTheEntryIsRecordedAndSurviveAFailingOne() {
    List<String> seen = new CopyOnWriteArrayList<>();
    BookingEngine withListeners = BookingEngine.builder().withAuditTrail(trail).withClock(clock)
        .onChange(change -> seen.add("first saw " + change.entry().actionName() + " with history of "
            + trail.history(change.booking().id()).size()))
        .onChange(change -> {
          throw new IllegalStateException("mail server down");
        })
        .onChange(change -> seen.add("third saw " + change.booking().state()))
        .build();

    Booking booking = withListeners.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    BookingChange accepted = withListeners.perform(booking, GIGSTA, "accept_booking");

    assertThat(accepted.booking().state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(seen).containsExactly("first saw request_booking with history of 1", "third saw REQUESTED",
        "first saw accept_booking with history of 2", "third saw ACCEPTED");
  }

  @Test
  void shouldNotCallListenersForRefusedActions() {
    List<BookingChange> seen = new CopyOnWriteArrayList<>();
    BookingEngine withListener = BookingEngine.builder().withAuditTrail(trail).onChange(seen::add).build();
    Booking booking = withListener.requestBooking("b-1", CUSTOMER, "g-1", null).booking();

    assertThatThrownBy(() -> withListener.perform(booking, CUSTOMER, "mark_completed"))
        .isInstanceOf(BookingException.class);

    assertThat(seen).hasSize(1);
  }

  @Test
  void shouldExpireThroughAWorkerOnlyTheRequestsNobodyAnsweredInSixDays() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    engine.requestBooking("old-1", CUSTOMER, "g-1", null);
    engine.requestBooking("old-2", CUSTOMER, "g-1", null);
    Booking answered = engine.requestBooking("old-3", CUSTOMER, "g-1", null).booking();
    engine.perform(answered, GIGSTA, "accept_booking");
    clock.advance(Duration.ofDays(6).minusMinutes(1));
    engine.requestBooking("new-1", CUSTOMER, "g-1", null);
    clock.advance(Duration.ofMinutes(1));

    DeliveryWorker.Sweep sweep = worker.runOnce();

    assertThat(sweep.timersFired()).isEqualTo(2);
    assertThat(engine.load("old-1").state()).isEqualTo(BookingState.EXPIRED);
    assertThat(engine.load("old-2").state()).isEqualTo(BookingState.EXPIRED);
    assertThat(engine.load("old-3").state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(engine.load("new-1").state()).isEqualTo(BookingState.REQUESTED);
    assertThat(engine.history("old-1").get(1).actor()).isEqualTo(Actor.system());
  }

  @Test
  void shouldExpireARequestThatFellDueLongBeforeTheFirstSweepAndOnesDueSinceTheLast() {
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    engine.requestBooking("long-ago", CUSTOMER, "g-1", null);
    clock.advance(Duration.ofDays(30));
    engine.requestBooking("recent", CUSTOMER, "g-1", null);

    assertThat(worker.runOnce().timersFired()).isEqualTo(1);
    assertThat(engine.load("long-ago").state()).isEqualTo(BookingState.EXPIRED);
    assertThat(engine.load("recent").state()).isEqualTo(BookingState.REQUESTED);

    clock.advance(Duration.ofDays(6));
    assertThat(worker.runOnce().timersFired()).isEqualTo(1);
    assertThat(engine.load("recent").state()).isEqualTo(BookingState.EXPIRED);
    assertThat(engine.history("long-ago")).hasSize(2);
  }

  private static void assertContext(BookingException e, String bookingId, BookingState state, String action,
      Actor actor) {
    assertThat(e.bookingId()).isEqualTo(bookingId);
    assertThat(e.state()).isEqualTo(state);
    assertThat(e.actionName()).isEqualTo(action);
    assertThat(e.actor()).isEqualTo(actor);
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void shouldPerformOnlyOnTheVersionThePersonSaw() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    engine.perform("b-1", 1, GIGSTA, "accept_booking", null);

    BookingChangedConcurrentlyException outdated = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> engine.perform("b-1", 1, CUSTOMER, "cancel_booking", "Too late"));

    assertThat(outdated.attemptedSequence()).isEqualTo(2);
    assertThat(outdated.state()).isEqualTo(BookingState.ACCEPTED);
    assertThat(engine.history("b-1")).hasSize(2);
    assertThat(engine.perform("b-1", 2, CUSTOMER, "cancel_booking", "Found another").booking().state())
        .isEqualTo(BookingState.CANCELLED_BY_CUSTOMER);
    assertThatThrownBy(() -> engine.perform("b-1", 0, CUSTOMER, "cancel_booking", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("expectedVersion must be at least 1 but was 0");
    assertThatThrownBy(() -> engine.perform("nope", 1, CUSTOMER, "cancel_booking", null))
        .isInstanceOf(BookingNotFoundException.class);
  }

  @Test
  void shouldGiveEachBuildItsOwnDefaultTrail() {
    BookingEngine.Builder builder = BookingEngine.builder();
    BookingEngine first = builder.build();
    BookingEngine second = builder.build();

    first.requestBooking("b-1", CUSTOMER, "g-1", null);

    assertThat(first.load("b-1").version()).isEqualTo(1);
    assertThatThrownBy(() -> second.load("b-1")).isInstanceOf(BookingNotFoundException.class);
  }

  @Test
  void shouldTellAStrangerOnlyThatTheActionWasRefusedWhateverElseIsWrong() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    engine.perform("b-1", 1, GIGSTA, "accept_booking", null);
    Actor stranger = Actor.customer("someone-else");

    for (Runnable attempt : List.<Runnable>of(
        () -> engine.perform("b-1", 1, stranger, "cancel_booking", null),
        () -> engine.perform("b-1", stranger, "no_such_action", null),
        () -> engine.perform("b-1", stranger, "Not An Action", null),
        () -> engine.perform("b-1", stranger, "cancel_booking", "   "))) {
      NotABookingPartyException refused = catchThrowableOfType(NotABookingPartyException.class, attempt::run);
      assertThat(refused).isNotNull();
      assertThat(refused.getMessage()).doesNotContain("ACCEPTED").doesNotContain("c-1").doesNotContain("g-1")
          .endsWith("refused: CUSTOMER:someone-else is not this booking's customer");
    }
    assertThat(engine.history("b-1")).hasSize(2);
  }
}
