package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.AuditEntryCorruptedException;
import com.gigsta.booking.AuditTrailException;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.ErrorCode;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.Money;
import com.gigsta.booking.Role;
import com.gigsta.booking.Timepoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the table holds and how the trail reads it back: rows edited by hand (their money too), text a
 * database would change, and the range and precision of times. One subclass per database.
 */
abstract class StoredContentTest {

  private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");
  private static final Instant START = T0.plus(Duration.ofDays(7));
  private static final String BOOKING = "b-edited";
  private static final Money PRICE = Money.of(8_000, "EUR");

  /** Unpaired surrogates: a high one at the end, a low one between letters. */
  private static final List<String> UNPAIRED = List.of("a\uD800", "a\uDC00b");

  // Handed in by each database's subclass; JUnit finds the extension on this field of the superclass.
  @RegisterExtension
  final DatabaseExtension db;

  private JdbcAuditTrail trail;

  StoredContentTest(DatabaseExtension db) {
    this.db = db;
  }

  /**
   * Returns an SQL expression for a time the occurred_at column of this database holds but no entry
   * can: one that reads back as something other than a whole microsecond from the year 1000 to 9999.
   */
  protected abstract String timeNoEntryCanHave();

  @BeforeEach
  void createTable() {
    trail = db.builder().build();
  }

  /** A hand edit of one column: the SQL assignment and the value bound to its placeholder, if any. */
  record Edit(String description, String assignment, Object value) {

    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Edit> unreadableEdits() {
    return Stream.of(
        new Edit("an actor role that is no role", "actor_role = 'KING'", null),
        new Edit("an empty note", "note = ''", null),
        new Edit("an empty reason", "reason = ''", null),
        new Edit("an action name that is not lower_snake_case", "action_name = 'Not A Name'", null),
        new Edit("garbage in from_state", "from_state = 'no such state!'", null),
        new Edit("garbage in to_state", "to_state = 'garbage'", null),
        new Edit("NULL in from_state after the creation", "from_state = NULL", null),
        new Edit("an empty actor id", "actor_id = ''", null),
        new Edit("a customer id starting with a space", "customer_id = ' c-1'", null),
        new Edit("a time one microsecond before the earliest the table holds", "occurred_at = ?",
            utc(EARLIEST.minus(1, ChronoUnit.MICROS))),
        new Edit("an amount on a row without a price", "amount_minor = 5", null),
        new Edit("a currency without a price", "price_currency = 'EUR'", null));
  }

  static Stream<Edit> readableEdits() {
    return Stream.of(
        new Edit("NULL in reason", "reason = NULL", null),
        new Edit("NULL in scheduled_start", "scheduled_start = NULL", null),
        new Edit("occurred_at shifted by one microsecond", "occurred_at = ?",
            utc(T0.plusSeconds(60).plus(1, ChronoUnit.MICROS))),
        new Edit("a well-formed state no workflow has in to_state", "to_state = 'ON_THE_MOON'", null),
        new Edit("another reason", "reason = 'Nothing to see here'", null),
        new Edit("an edited row hash", "row_hash = ?", "f".repeat(64)),
        new Edit("an edited previous hash", "prev_hash = ?", "0".repeat(64)),
        new Edit("a price put on a row without one", "price_minor = 100, price_currency = 'EUR'", null));
  }

  /** Edits of the money of a booking with a price that leave something no entry can be. */
  static Stream<Edit> unreadableMoneyEdits() {
    return Stream.of(
        new Edit("a price without its currency", "price_currency = NULL", null),
        new Edit("a currency without its price", "price_minor = NULL", null),
        new Edit("a code that is no currency", "price_currency = 'ZZZ'", null),
        new Edit("a currency without minor units", "price_currency = 'XAU'", null),
        new Edit("a code of two letters", "price_currency = 'EU'", null),
        new Edit("a price of nothing", "price_minor = 0", null),
        new Edit("a negative amount", "amount_minor = -1", null),
        new Edit("an amount above the price", "amount_minor = 8001", null),
        new Edit("a fee above the price", "fee_minor = 8001", null));
  }

  /** Edits of the money of a booking with a price that still make an entry. */
  static Stream<Edit> readableMoneyEdits() {
    return Stream.of(
        new Edit("another amount", "amount_minor = 7999", null),
        new Edit("no amount", "amount_minor = NULL", null),
        new Edit("a fee of nothing", "fee_minor = 0", null),
        new Edit("a higher price", "price_minor = 9000", null),
        new Edit("another currency", "price_currency = 'USD'", null),
        new Edit("the money removed", "price_minor = NULL, price_currency = NULL, amount_minor = NULL", null));
  }

  static Stream<Edit> moneyEdits() {
    return Stream.concat(unreadableMoneyEdits(), readableMoneyEdits());
  }

  static Stream<Edit> edits() {
    return Stream.concat(unreadableEdits(), readableEdits());
  }

  // ---- rows edited by hand ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void shouldReportAHandEditedRowAsNotIntactAtItsSequenceWithoutThrowing(Edit edit) {
    List<AuditEntry> entries = appendThree();
    edit(edit, 2);

    ChainVerification result = trail.verify(BOOKING);

    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(2);
    assertThat(result.entriesChecked()).isEqualTo(3);
    assertThat(result.problem()).contains("row 2 was altered");
    assertThat(trail.latest(BOOKING)).as("the latest row is untouched").contains(entries.get(2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableEdits")
  void shouldRefuseToReadAHistoryWithAnUnreadableRowNamingTheBookingAndSequence(Edit edit) {
    appendThree();
    edit(edit, 2);

    AuditEntryCorruptedException corrupted =
        catchThrowableOfType(AuditEntryCorruptedException.class, () -> trail.history(BOOKING));

    assertThat(corrupted).as("history() after %s", edit).isNotNull();
    assertThat(corrupted.bookingId()).isEqualTo(BOOKING);
    assertThat(corrupted.sequence()).isEqualTo(2);
    assertThat(corrupted.code()).isEqualTo(ErrorCode.STORAGE_FAILURE);
    assertThat(corrupted.getMessage()).contains("'" + BOOKING + "'", "sequence 2");
    assertThat(corrupted.getCause()).as("the original failure").isNotNull()
        .isNotInstanceOf(AuditTrailException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readableEdits")
  void shouldReadAnEditThatStillMakesAnEntryAsStoredAndLeaveItToVerify(Edit edit) {
    List<AuditEntry> entries = appendThree();
    edit(edit, 2);

    List<AuditEntry> history = trail.history(BOOKING);

    assertThat(history).extracting(AuditEntry::sequence).containsExactly(1L, 2L, 3L);
    assertThat(history.get(0)).isEqualTo(entries.get(0));
    assertThat(history.get(2)).isEqualTo(entries.get(2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableEdits")
  void shouldRefuseToLoadOrContinueABookingWhoseLatestRowIsUnreadable(Edit edit) {
    appendThree();
    edit(edit, 3);
    // A trail that did not write the rows reads the latest one before appending.
    JdbcAuditTrail other = db.builder().build();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(other).build();
    AuditEntry fourth = new AuditEntry(BOOKING, 4, GigstaWorkflow.MARK_COMPLETED, Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.IN_PROGRESS, BookingState.COMPLETED, T0.plusSeconds(180), "Booking marked as completed", null,
        START);

    assertCorruptedAtThree(catchThrowableOfType(AuditEntryCorruptedException.class, () -> other.latest(BOOKING)));
    assertCorruptedAtThree(catchThrowableOfType(AuditEntryCorruptedException.class, () -> engine.load(BOOKING)));
    assertCorruptedAtThree(catchThrowableOfType(AuditEntryCorruptedException.class, () -> other.append(fourth)));
    assertThat(rows()).as("nothing written").isEqualTo(3);
    assertThat(other.verify(BOOKING).firstBrokenSequence()).hasValue(3);
  }

  // ---- money edited by hand ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("moneyEdits")
  void shouldReportAHandEditOfAPricedRowsMoneyAsNotIntactAtItsSequence(Edit edit) {
    List<AuditEntry> entries = appendThree(PRICE);
    edit(edit, 2);

    ChainVerification result = trail.verify(BOOKING);

    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(2);
    assertThat(result.problem()).contains("row 2 was altered");
    assertThat(trail.latest(BOOKING)).contains(entries.get(2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableMoneyEdits")
  void shouldRefuseToReadMoneyThatIsNoLongerMoneyNamingTheBookingAndSequence(Edit edit) {
    appendThree(PRICE);
    edit(edit, 2);

    AuditEntryCorruptedException corrupted =
        catchThrowableOfType(AuditEntryCorruptedException.class, () -> trail.history(BOOKING));

    assertThat(corrupted).as("history() after %s", edit).isNotNull();
    assertThat(corrupted.bookingId()).isEqualTo(BOOKING);
    assertThat(corrupted.sequence()).isEqualTo(2);
    assertThat(corrupted.getCause()).as("the original failure").isNotNull()
        .isNotInstanceOf(AuditTrailException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readableMoneyEdits")
  void shouldReadAMoneyEditThatStillMakesAnEntryAsStoredAndLeaveItToVerify(Edit edit) {
    List<AuditEntry> entries = appendThree(PRICE);
    edit(edit, 2);

    List<AuditEntry> history = trail.history(BOOKING);

    assertThat(history).extracting(AuditEntry::sequence).containsExactly(1L, 2L, 3L);
    assertThat(history.get(0)).isEqualTo(entries.get(0));
    assertThat(history.get(1)).isNotEqualTo(entries.get(1));
    assertThat(history.get(2)).isEqualTo(entries.get(2));
  }

  @Test
  void shouldRoundTripThePriceAndEveryAmountOfAPricedBookingExactly() {
    List<AuditEntry> entries = appendThree(PRICE);

    JdbcAuditTrail reader = db.builder().build();
    assertThat(reader.history(BOOKING)).containsExactlyElementsOf(entries);
    assertThat(reader.history(BOOKING)).extracting(AuditEntry::price).containsOnly(PRICE);
    assertThat(reader.history(BOOKING)).extracting(AuditEntry::amount).containsExactly(null, PRICE, null);
    String currency = query("SELECT price_currency FROM " + db.tableName() + " WHERE booking_id = ? AND sequence = ?",
        rows -> rows.getString(1), BOOKING, 2L);
    assertThat(currency).isEqualTo("EUR");
  }

  @Test
  void shouldReportTheFirstRowRenumberedAsMissingAndRefuseToReadIt() {
    appendThree();
    sql("UPDATE " + db.tableName() + " SET sequence = 9 WHERE booking_id = ? AND sequence = 1", BOOKING);

    ChainVerification result = trail.verify(BOOKING);
    AuditEntryCorruptedException corrupted =
        catchThrowableOfType(AuditEntryCorruptedException.class, () -> trail.history(BOOKING));

    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(1);
    assertThat(result.problem()).contains("row 1 is missing");
    assertThat(corrupted).as("a creation entry stored at sequence 9").isNotNull();
    assertThat(corrupted.sequence()).as("the stored sequence").isEqualTo(9);
    assertThat(corrupted.bookingId()).isEqualTo(BOOKING);
  }

  @Test
  void shouldReportASequenceRenumberedPastTheEndAsMissingAndStillReadTheRows() {
    List<AuditEntry> entries = appendThree();
    sql("UPDATE " + db.tableName() + " SET sequence = 9 WHERE booking_id = ? AND sequence = 2", BOOKING);

    ChainVerification result = trail.verify(BOOKING);

    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(2);
    assertThat(result.problem()).contains("row 2 is missing");
    assertThat(trail.history(BOOKING)).extracting(AuditEntry::sequence).containsExactly(1L, 3L, 9L);
    assertThat(trail.latest(BOOKING)).map(AuditEntry::reason).contains(entries.get(1).reason());
  }

  @Test
  void shouldReportATimeNoEntryCanHaveAsNotIntactAndAsCorrupted() {
    appendThree();
    db.execute("UPDATE " + db.tableName() + " SET occurred_at = " + timeNoEntryCanHave() + " WHERE booking_id = '"
        + BOOKING + "' AND sequence = 2");

    ChainVerification result = trail.verify(BOOKING);
    AuditEntryCorruptedException corrupted =
        catchThrowableOfType(AuditEntryCorruptedException.class, () -> trail.history(BOOKING));

    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(2);
    assertThat(corrupted).isNotNull();
    assertThat(corrupted.sequence()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Timepoint.class)
  void shouldRefuseToFindAnUnreadableLatestRowRatherThanSkipIt(Timepoint timepoint) {
    appendThree();
    edit(new Edit("an empty note", "note = ''", null), 3);

    AuditEntryCorruptedException corrupted = catchThrowableOfType(AuditEntryCorruptedException.class,
        () -> trail.findTimerCandidates(BookingState.IN_PROGRESS, timepoint, null, null, Instant.MAX, 10));

    assertThat(corrupted).isNotNull();
    assertThat(corrupted.bookingId()).isEqualTo(BOOKING);
    assertThat(corrupted.sequence()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Timepoint.class, names = {"STATE_ENTERED", "SCHEDULED_START"})
  void shouldRefuseToFindABookingWhoseFirstRowIsMissingOrHasATimeNoEntryCanHave(Timepoint timepoint) {
    appendThree();
    db.execute("UPDATE " + db.tableName() + " SET occurred_at = " + timeNoEntryCanHave() + " WHERE booking_id = '"
        + BOOKING + "' AND sequence = 1");

    AuditEntryCorruptedException unreadable = catchThrowableOfType(AuditEntryCorruptedException.class,
        () -> trail.findTimerCandidates(BookingState.IN_PROGRESS, timepoint, null, null, Instant.MAX, 10));
    sql("DELETE FROM " + db.tableName() + " WHERE booking_id = ? AND sequence = 1", BOOKING);
    AuditEntryCorruptedException missing = catchThrowableOfType(AuditEntryCorruptedException.class,
        () -> trail.findTimerCandidates(BookingState.IN_PROGRESS, timepoint, null, null, Instant.MAX, 10));

    for (AuditEntryCorruptedException corrupted : List.of(unreadable, missing)) {
      assertThat(corrupted).isNotNull();
      assertThat(corrupted.bookingId()).isEqualTo(BOOKING);
      assertThat(corrupted.sequence()).isEqualTo(1);
    }
    assertThat(missing.getMessage()).contains("first row is missing");
  }

  // ---- text a database would change ----

  static Stream<Arguments> unpairedSurrogates() {
    return Stream.of(Arguments.of("a lone high surrogate at the end", UNPAIRED.get(0)),
        Arguments.of("a lone low surrogate between letters", UNPAIRED.get(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unpairedSurrogates")
  void shouldMakeTheEngineRefuseIdsWithAnUnpairedSurrogateAndWriteNothing(String description, String malformed) {
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();

    assertThatExceptionOfType(InvalidBookingInputException.class).as("booking id")
        .isThrownBy(() -> engine.requestBooking("b-" + malformed, Actor.customer("c-1"), "g-1", null))
        .withMessageContaining("surrogate");
    assertThatExceptionOfType(InvalidBookingInputException.class).as("customer id")
        .isThrownBy(() -> engine.requestBooking("b-customer", Actor.customer("c-" + malformed), "g-1", null))
        .withMessageContaining("surrogate");
    assertThatExceptionOfType(InvalidBookingInputException.class).as("gigsta id")
        .isThrownBy(() -> engine.requestBooking("b-gigsta", Actor.customer("c-1"), "g-" + malformed, null))
        .withMessageContaining("surrogate");
    assertThat(rows()).as("rows in the table").isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unpairedSurrogates")
  void shouldMakeTheEngineRefuseAReasonWithAnUnpairedSurrogateAndWriteNothing(String description, String malformed) {
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
    BookingChange requested = engine.requestBooking("b-reason", Actor.customer("c-1"), "g-1", null);

    assertThatExceptionOfType(InvalidBookingInputException.class)
        .isThrownBy(() -> engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.DECLINE_BOOKING,
            "Fully booked " + malformed))
        .withMessageContaining("surrogate");
    assertThat(rows()).as("rows in the table").isEqualTo(1);
    assertThat(trail.history("b-reason")).containsExactly(requested.entry());
  }

  @Test
  void shouldNeverLetTwoIdsDifferingOnlyInALoneSurrogateReachTheSameBooking() {
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
    // What the PostgreSQL driver sends for each id below.
    BookingChange existing = engine.requestBooking("b-?", Actor.customer("c-1"), "g-1", null);

    for (String malformed : List.of("b-\uD800", "b-\uDBFF", "b-\uDC00")) {
      assertThatExceptionOfType(InvalidBookingInputException.class).as("request")
          .isThrownBy(() -> engine.requestBooking(malformed, Actor.customer("c-2"), "g-2", null));
      assertThatExceptionOfType(InvalidBookingInputException.class).as("load")
          .isThrownBy(() -> engine.load(malformed));
      assertThatExceptionOfType(InvalidBookingInputException.class).as("history")
          .isThrownBy(() -> trail.history(malformed));
      assertThatExceptionOfType(InvalidBookingInputException.class).as("latest")
          .isThrownBy(() -> trail.latest(malformed));
      assertThatExceptionOfType(InvalidBookingInputException.class).as("verify")
          .isThrownBy(() -> trail.verify(malformed));
    }
    assertThat(rows()).isEqualTo(1);
    assertThat(trail.history("b-?")).containsExactly(existing.entry());
  }

  @Test
  void shouldRoundTripIdsAndReasonsWithAstralCharactersCombiningMarksAndRightToLeftTextExactly() {
    String bookingId = "b-🎸-e\u0301-שלום";
    String customerId = "c-😅-مرحبا-👩‍👩‍👧";
    String gigstaId = "g-𝄞-a\u0308\u0323-予約-🇳🇵";
    String reason = "Plans changed 😅 — Zoe\u0308 & e\u0301 — שלום עליכם — مرحبا بكم — 👍🏽 𠀀";
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();

    BookingChange requested = engine.requestBooking(bookingId, Actor.customer(customerId), gigstaId, null);
    BookingChange declined = engine.perform(requested.booking(), Actor.gigsta(gigstaId),
        GigstaWorkflow.DECLINE_BOOKING, reason);

    // A trail that did not write the rows reads them from the table, not from its memory.
    JdbcAuditTrail reader = db.builder().build();
    List<AuditEntry> history = reader.history(bookingId);
    assertThat(history).containsExactly(requested.entry(), declined.entry());
    assertThat(history.get(1).reason()).isEqualTo(reason);
    assertThat(history.get(1).bookingId()).isEqualTo(bookingId);
    assertThat(history.get(1).customerId()).isEqualTo(customerId);
    assertThat(history.get(1).gigstaId()).isEqualTo(gigstaId);
    assertThat(storedReason(bookingId, 2)).isEqualTo(reason);
    ChainVerification verification = reader.verify(bookingId);
    assertThat(verification.intact()).isTrue();
    assertThat(verification.entriesChecked()).isEqualTo(2);
    assertThat(BookingEngine.builder().withAuditTrail(reader).build().load(bookingId).customerId())
        .isEqualTo(customerId);
  }

  // ---- times ----

  @Test
  void shouldRoundTripEntriesAtTheDeclaredEarliestAndLatestTimesExactly() {
    BookingLimits limits = trail.limits();
    assertThat(limits.earliestTime()).isEqualTo(EARLIEST);
    assertThat(limits.latestTime()).isEqualTo(LATEST);
    assertThat(limits.timePrecision()).isEqualTo(ChronoUnit.MICROS);
    AuditEntry first = new AuditEntry("b-extremes", 1, GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "c-1", "c-1",
        "g-1", null, BookingState.REQUESTED, EARLIEST, "Booking requested by customer", null, LATEST);
    AuditEntry second = new AuditEntry("b-extremes", 2, GigstaWorkflow.ACCEPT_BOOKING, Role.GIGSTA, "g-1", "c-1",
        "g-1", BookingState.REQUESTED, BookingState.ACCEPTED, LATEST, "Booking accepted by GigSta", null, EARLIEST);

    trail.append(first);
    trail.append(second);

    JdbcAuditTrail reader = db.builder().build();
    assertThat(reader.history("b-extremes")).containsExactly(first, second);
    assertThat(storedOccurredAt("b-extremes", 1)).isEqualTo(LocalDateTime.parse("1000-01-01T00:00:00"));
    assertThat(storedOccurredAt("b-extremes", 2)).isEqualTo(LocalDateTime.parse("9999-12-31T23:59:59.999999"));
    assertThat(reader.verify("b-extremes").intact()).isTrue();
    BookingTimes times = new BookingTimes(second, EARLIEST);
    assertThat(reader.findTimerCandidates(BookingState.ACCEPTED, Timepoint.STATE_ENTERED, EARLIEST, null, Instant.MAX,
        10)).containsExactly(times);
    assertThat(reader.findTimerCandidates(BookingState.ACCEPTED, Timepoint.STATE_ENTERED, Instant.MIN, null, LATEST,
        10)).containsExactly(times);
    assertThat(reader.findTimerCandidates(BookingState.ACCEPTED, Timepoint.SCHEDULED_START, Instant.MIN, null,
        EARLIEST, 10)).containsExactly(times);
    assertThat(reader.findTimerCandidates(BookingState.ACCEPTED, Timepoint.CREATED, null, null, EARLIEST, 10))
        .containsExactly(times);
    assertThat(reader.findTimerCandidates(BookingState.ACCEPTED, Timepoint.STATE_ENTERED, LATEST, "b-extremes",
        Instant.MAX, 10)).as("read on after it").isEmpty();
  }

  static Stream<Arguments> unstorableTimes() {
    Instant microBefore = EARLIEST.minus(1, ChronoUnit.MICROS);
    Instant microAfter = LATEST.plus(1, ChronoUnit.MICROS);
    return Stream.of(
        Arguments.of("occurredAt one microsecond before the earliest", microBefore, null, "occurredAt"),
        Arguments.of("occurredAt one microsecond after the latest", microAfter, null, "occurredAt"),
        Arguments.of("occurredAt with a nanosecond digit", T0.plusNanos(1), null, "occurredAt"),
        Arguments.of("occurredAt with nanosecond digits at the latest", LATEST.plusNanos(999), null, "occurredAt"),
        Arguments.of("scheduledStart one microsecond before the earliest", T0, microBefore, "scheduledStart"),
        Arguments.of("scheduledStart one microsecond after the latest", T0, microAfter, "scheduledStart"),
        Arguments.of("scheduledStart with nanosecond digits", T0, START.plusNanos(500), "scheduledStart"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unstorableTimes")
  void shouldRefuseATimeOutsideTheDeclaredRangeOrPrecisionAndWriteNothing(String description, Instant occurredAt,
      Instant scheduledStart, String field) {
    AuditEntry entry = new AuditEntry("b-unstorable", 1, GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "c-1", "c-1",
        "g-1", null, BookingState.REQUESTED, occurredAt, "Booking requested by customer", null, scheduledStart);

    InvalidBookingInputException refused =
        catchThrowableOfType(InvalidBookingInputException.class, () -> trail.append(entry));

    assertThat(refused).isNotNull();
    assertThat(refused.field()).isEqualTo(field);
    assertThat(rows()).as("rows in the table").isZero();
  }

  @Test
  void shouldMakeTheEngineRefuseAScheduledStartOutsideTheDeclaredTimesAndWriteNothing() {
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();

    assertThatExceptionOfType(InvalidBookingInputException.class).isThrownBy(() -> engine.requestBooking(
        "b-too-late", Actor.customer("c-1"), "g-1", LATEST.plus(1, ChronoUnit.MICROS)));
    assertThatExceptionOfType(InvalidBookingInputException.class).isThrownBy(() -> engine.requestBooking(
        "b-too-fine", Actor.customer("c-1"), "g-1", START.plusNanos(1)));
    assertThat(rows()).as("rows in the table").isZero();
  }

  // ---- helpers ----

  // Three entries of one booking without a price; the second has a reason, all have a scheduled start.
  private List<AuditEntry> appendThree() {
    return appendThree(null);
  }

  // The same with the price on every entry, if one is given, and the second moving all of it, as a charge.
  private List<AuditEntry> appendThree(Money price) {
    AuditEntry first = new AuditEntry(BOOKING, 1, GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "c-1", "c-1", "g-1",
        null, BookingState.REQUESTED, T0, "Booking requested by customer", null, START, price, null, null);
    AuditEntry second = new AuditEntry(BOOKING, 2, GigstaWorkflow.ACCEPT_BOOKING, Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.REQUESTED, BookingState.ACCEPTED, T0.plusSeconds(60), "Booking accepted by GigSta",
        "Happy to help", START, price, price, null);
    AuditEntry third = new AuditEntry(BOOKING, 3, GigstaWorkflow.MARK_IN_PROGRESS, Role.GIGSTA, "g-1", "c-1", "g-1",
        BookingState.ACCEPTED, BookingState.IN_PROGRESS, T0.plusSeconds(120), "Booking marked as in progress", null,
        START, price, null, null);
    List<AuditEntry> entries = List.of(first, second, third);
    entries.forEach(trail::append);
    assertThat(trail.verify(BOOKING).intact()).as("before the edit").isTrue();
    return entries;
  }

  // Runs the edit as the table's owner, with plain SQL, as someone with access to the database would.
  private void edit(Edit edit, long sequence) {
    String update = "UPDATE " + db.tableName() + " SET " + edit.assignment() + " WHERE booking_id = ? AND sequence = ?";
    if (edit.value() == null) {
      sql(update, BOOKING, sequence);
    } else {
      sql(update, edit.value(), BOOKING, sequence);
    }
  }

  private static void assertCorruptedAtThree(AuditEntryCorruptedException corrupted) {
    assertThat(corrupted).isNotNull();
    assertThat(corrupted.bookingId()).isEqualTo(BOOKING);
    assertThat(corrupted.sequence()).isEqualTo(3);
    assertThat(corrupted.getCause()).isNotNull();
  }

  private static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private void sql(String sql, Object... parameters) {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      assertThat(statement.executeUpdate()).as("rows changed by %s", sql).isEqualTo(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private int rows() {
    return query("SELECT COUNT(*) FROM " + db.tableName(), rows -> rows.getInt(1));
  }

  private String storedReason(String bookingId, long sequence) {
    return query("SELECT reason FROM " + db.tableName() + " WHERE booking_id = ? AND sequence = ?",
        rows -> rows.getString(1), bookingId, sequence);
  }

  private LocalDateTime storedOccurredAt(String bookingId, long sequence) {
    return query("SELECT occurred_at FROM " + db.tableName() + " WHERE booking_id = ? AND sequence = ?",
        rows -> rows.getObject(1, LocalDateTime.class), bookingId, sequence);
  }

  @FunctionalInterface
  private interface Column<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private <T> T query(String sql, Column<T> column, Object... parameters) {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("a row for %s", sql).isTrue();
        return column.read(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
