package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.jdbc.internal.AuditTable;
import com.gigsta.booking.jdbc.internal.ChangeTable;
import com.gigsta.booking.jdbc.internal.ConsumerTable;
import com.gigsta.booking.jdbc.internal.DeliveryTable;
import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.jdbc.internal.FeedHead;
import com.gigsta.booking.jdbc.internal.RowHasher;
import com.gigsta.booking.jdbc.internal.SchemaScript;
import com.gigsta.booking.jdbc.internal.Sequencer;
import com.gigsta.booking.jdbc.internal.StoredRow;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the JDBC trail does for timers on each database: the candidates of every timepoint in order and
 * within inclusive bounds, paging through bookings at the same microsecond, marks that only move forward,
 * deliveries scheduled once however many callers race, scheduled consumers that need no registration,
 * the third schema script's upgrade of a populated second-version schema, and the index each query is
 * served from. One subclass per database.
 */
abstract class JdbcTimersTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");
  private static final Instant START = T0.plus(Duration.ofDays(7));
  private static final String REMINDER = Delivery.REMINDER_PREFIX + "answer";

  // Handed in by each database's subclass; JUnit finds the extension on this field of the superclass.
  @RegisterExtension
  final DatabaseExtension db;

  JdbcTimersTest(DatabaseExtension db) {
    this.db = db;
  }

  private static AuditEntry creation(String bookingId, Instant at, Instant scheduledStart) {
    return new AuditEntry(bookingId, 1, GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, at, "Booking requested by customer", null, scheduledStart);
  }

  private static AuditEntry next(AuditEntry previous, String action, BookingState to, Instant at,
      Instant scheduledStart) {
    return new AuditEntry(previous.bookingId(), previous.sequence() + 1, action, Role.GIGSTA, previous.gigstaId(),
        previous.customerId(), previous.gigstaId(), previous.toState(), to, at, action + " (version 1)", null,
        scheduledStart);
  }

  private Dialect dialect() {
    return switch (db.kind()) {
      case H2 -> Dialect.H2;
      case POSTGRESQL -> Dialect.POSTGRESQL;
      case MARIADB -> Dialect.MARIADB;
    };
  }

  // ---- finding candidates ----

  @Test
  void shouldFindTheCandidatesOfEachTimepointInOrderWithinInclusiveBounds() {
    JdbcAuditTrail trail = db.builder().build();
    AuditEntry first = creation("b-1", T0.plusSeconds(30), START.plusSeconds(10));
    AuditEntry second = creation("b-2", T0, START.plusSeconds(20));
    AuditEntry unscheduled = creation("b-3", T0.plusSeconds(10), null);
    AuditEntry answered = creation("b-4", T0.plusSeconds(20), START);
    AuditEntry accepted = next(answered, GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED, T0.plusSeconds(40),
        START);
    AuditEntry moved = creation("b-5", T0.plusSeconds(5), START.plusSeconds(5));
    // A change that keeps the state enters it again, with a start of its own.
    AuditEntry movedAgain = next(moved, "move_start", BookingState.REQUESTED, T0.plusSeconds(50),
        START.plusSeconds(30));
    // Appended out of every order, so that only the queries can put them in one.
    List.of(answered, first, moved, unscheduled, second, accepted, movedAgain).forEach(trail::append);
    BookingTimes t1 = new BookingTimes(first, first.occurredAt());
    BookingTimes t2 = new BookingTimes(second, second.occurredAt());
    BookingTimes t3 = new BookingTimes(unscheduled, unscheduled.occurredAt());
    BookingTimes t4 = new BookingTimes(accepted, answered.occurredAt());
    BookingTimes t5 = new BookingTimes(movedAgain, moved.occurredAt());
    Map<Timepoint, List<BookingTimes>> requested = new EnumMap<>(Timepoint.class);
    requested.put(Timepoint.STATE_ENTERED, List.of(t2, t3, t1, t5));
    requested.put(Timepoint.CREATED, List.of(t2, t5, t3, t1));
    requested.put(Timepoint.SCHEDULED_START, List.of(t1, t2, t5));

    for (Timepoint timepoint : Timepoint.values()) {
      List<BookingTimes> expected = requested.get(timepoint);
      Instant inner = expected.get(1).at(timepoint);
      Instant outer = expected.get(2).at(timepoint);
      assertThat(find(trail, BookingState.REQUESTED, timepoint, null, null, Instant.MAX, 100)).as("%s", timepoint)
          .containsExactlyElementsOf(expected);
      assertThat(find(trail, BookingState.REQUESTED, timepoint, inner, null, outer, 100)).as("%s inclusive", timepoint)
          .containsExactly(expected.get(1), expected.get(2));
      assertThat(find(trail, BookingState.REQUESTED, timepoint, inner.plusNanos(1), null, outer, 100))
          .as("%s from a nanosecond later", timepoint).containsExactly(expected.get(2));
      assertThat(find(trail, BookingState.REQUESTED, timepoint, inner, null, outer.minusNanos(1), 100))
          .as("%s to a nanosecond earlier", timepoint).containsExactly(expected.get(1));
      assertThat(find(trail, BookingState.REQUESTED, timepoint, Instant.MIN, null, Instant.MAX, 2))
          .as("%s up to the limit", timepoint).containsExactlyElementsOf(expected.subList(0, 2));
      assertThat(find(trail, BookingState.REQUESTED, timepoint, outer, null, inner, 100)).as("%s crossed", timepoint)
          .isEmpty();
      assertThat(find(trail, BookingState.REQUESTED, timepoint, Instant.MAX, null, Instant.MAX, 100)).isEmpty();
      assertThat(find(trail, BookingState.REQUESTED, timepoint, null, null, Instant.MIN, 100)).isEmpty();
      assertThat(find(trail, BookingState.ACCEPTED, timepoint, null, null, Instant.MAX, 100))
          .as("%s of the booking that moved on", timepoint).containsExactly(t4);
      assertThat(find(trail, BookingState.DECLINED, timepoint, null, null, Instant.MAX, 100)).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Timepoint.class)
  void shouldPageThroughBookingsAtTheSameMicrosecondWithoutSkippingOrRepeatingAny(Timepoint timepoint) {
    JdbcAuditTrail trail = db.builder().build();
    List<AuditEntry> entries = new ArrayList<>();
    List<BookingTimes> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      AuditEntry same = creation(String.format("b-same-%02d", i), T0, START);
      entries.add(same);
      expected.add(new BookingTimes(same, T0));
    }
    Instant later = T0.plusNanos(1_000);
    for (int i = 0; i < 5; i++) {
      AuditEntry next = creation(String.format("b-later-%02d", i), later, START.plusNanos(1_000));
      entries.add(next);
      expected.add(new BookingTimes(next, later));
    }
    for (int i = 0; i < 5; i++) {
      // Requested and answered at the same microsecond: their first rows lie among the others.
      AuditEntry gone = creation(String.format("b-gone-%02d", i), T0, START);
      entries.add(gone);
      entries.add(next(gone, GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED, T0, START));
    }
    List<AuditEntry> shuffled = new ArrayList<>(entries.subList(0, 30));
    Collections.shuffle(shuffled, new Random(7));
    shuffled.forEach(trail::append);
    entries.subList(30, entries.size()).forEach(trail::append);

    List<BookingTimes> read = new ArrayList<>();
    int pages = 0;
    Instant from = null;
    String afterBookingId = null;
    List<BookingTimes> page;
    // At most 10 pages: reading on from the wrong place could return the same page for good.
    do {
      page = trail.findTimerCandidates(BookingState.REQUESTED, timepoint, from, afterBookingId, Instant.MAX, 7);
      pages++;
      read.addAll(page);
      if (!page.isEmpty()) {
        BookingTimes last = page.get(page.size() - 1);
        from = last.at(timepoint);
        afterBookingId = last.latest().bookingId();
      }
    } while (page.size() == 7 && pages < 10);

    System.out.printf("%s paging by %s: %d candidates in %d pages of up to 7%n", db.kind(), timepoint, read.size(),
        pages);
    assertThat(read).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(5);
    Instant same = expected.get(0).at(timepoint);
    assertThat(find(trail, BookingState.REQUESTED, timepoint, same, "b-same-10", Instant.MAX, 100))
        .containsExactlyElementsOf(expected.subList(11, 30));
    assertThat(find(trail, BookingState.REQUESTED, timepoint, same, "b-same-24", Instant.MAX, 100))
        .containsExactlyElementsOf(expected.subList(25, 30));
    assertThat(find(trail, BookingState.REQUESTED, timepoint, same.plusNanos(1), "b-same-99", Instant.MAX, 100))
        .as("no booking lies at a bound finer than a microsecond").containsExactlyElementsOf(expected.subList(25, 30));
    assertThat(find(trail, BookingState.REQUESTED, timepoint, Instant.MIN, "b-zzz", Instant.MAX, 100))
        .as("nor before the earliest time").containsExactlyElementsOf(expected);
  }

  @Test
  void shouldRefuseMisusedArgumentsWhenFindingCandidates() {
    JdbcAuditTrail trail = db.builder().build();

    assertThatNullPointerException().isThrownBy(
        () -> trail.findTimerCandidates(null, Timepoint.CREATED, null, null, T0, 1));
    assertThatNullPointerException().isThrownBy(
        () -> trail.findTimerCandidates(BookingState.REQUESTED, null, null, null, T0, 1));
    assertThatNullPointerException().isThrownBy(
        () -> trail.findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, null, 1));
    assertThatIllegalArgumentException().isThrownBy(
        () -> trail.findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, "b-1", T0, 1));
    for (int limit : new int[] {0, -1, 10_001}) {
      assertThatIllegalArgumentException().as("limit %d", limit).isThrownBy(
          () -> trail.findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, T0, limit));
    }
  }

  // ---- sweep marks ----

  @Test
  void shouldMoveATimersMarkOnlyForwardWhateverOrderSweepsFinishIn() throws Exception {
    JdbcAuditTrail trail = db.builder().build();
    String key = "f".repeat(64);

    assertThat(trail.timerSweptTo(key)).isEmpty();
    trail.advanceTimerSweep(key, T0);
    trail.advanceTimerSweep(key, T0.minusSeconds(1));
    assertThat(trail.timerSweptTo(key)).contains(T0);
    trail.advanceTimerSweep(key, T0.plusNanos(1_999));
    assertThat(trail.timerSweptTo(key)).as("cut down to the microsecond").contains(T0.plusNanos(1_000));
    assertThat(db.builder().build().timerSweptTo(key)).as("durably").contains(T0.plusNanos(1_000));
    assertThat(trail.timerSweptTo("f")).isEmpty();

    for (String malformed : List.of("", "f".repeat(65), "a\0b", "a\uD800", "\uDC00b")) {
      assertThatIllegalArgumentException().as("'%s'", malformed).isThrownBy(() -> trail.timerSweptTo(malformed));
      assertThatIllegalArgumentException().as("'%s'", malformed)
          .isThrownBy(() -> trail.advanceTimerSweep(malformed, T0));
    }
    assertThatNullPointerException().isThrownBy(() -> trail.timerSweptTo(null));
    assertThatNullPointerException().isThrownBy(() -> trail.advanceTimerSweep(null, T0));
    assertThatNullPointerException().isThrownBy(() -> trail.advanceTimerSweep(key, null));

    // Sweeps of several workers finishing at once, each with a trail of its own and its own time.
    int sweepers = 8;
    int timers = 10;
    List<JdbcAuditTrail> trails = new ArrayList<>();
    for (int i = 0; i < sweepers; i++) {
      trails.add(db.builder().build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(sweepers);
    try {
      for (int timer = 0; timer < timers; timer++) {
        String raced = "race-" + timer;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < sweepers; i++) {
          JdbcAuditTrail mine = trails.get(i);
          Instant sweptTo = T0.plusSeconds((i * 3L + timer) % sweepers);
          done.add(pool.submit(() -> {
            go.await();
            mine.advanceTimerSweep(raced, sweptTo);
            return null;
          }));
        }
        go.countDown();
        for (Future<?> each : done) {
          each.get(60, TimeUnit.SECONDS);
        }
        assertThat(trail.timerSweptTo(raced)).as(raced).contains(T0.plusSeconds(sweepers - 1));
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("%s sweep marks: %d timers, each advanced by %d threads at once, each left at the latest%n",
        db.kind(), timers, sweepers);
    assertThat(count("SELECT COUNT(*) FROM " + db.tableName() + "_timer_sweep")).isEqualTo(timers + 1);
  }

  // ---- scheduled deliveries ----

  @Test
  void shouldLetExactlyOneOfEightThreadsScheduleTheDeliveryOfAChange() throws Exception {
    int threads = 8;
    int changes = 20;
    JdbcAuditTrail setup = db.builder().build();
    for (int i = 0; i < changes; i++) {
      setup.append(creation("b-remind-" + i, T0, null));
    }
    List<JdbcAuditTrail> trails = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      trails.add(db.builder().build());
    }
    Instant due = T0.plus(Duration.ofDays(5));
    int created = 0;
    int refused = 0;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int i = 0; i < changes; i++) {
        String bookingId = "b-remind-" + i;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> calls = new ArrayList<>();
        for (JdbcAuditTrail trail : trails) {
          calls.add(pool.submit(() -> {
            go.await();
            return trail.scheduleDelivery(REMINDER, bookingId, 1, due);
          }));
        }
        go.countDown();
        int createdNow = 0;
        for (Future<Boolean> call : calls) {
          if (call.get(60, TimeUnit.SECONDS)) {
            createdNow++;
          }
        }
        assertThat(createdNow).as(bookingId).isEqualTo(1);
        created += createdNow;
        refused += threads - createdNow;
      }
    } finally {
      pool.shutdownNow();
    }
    long rows = count("SELECT COUNT(*) FROM " + db.tableName() + "_delivery WHERE consumer = '" + REMINDER + "'");

    System.out.printf("%s scheduling: %d threads x %d changes, %d created, %d refused, %d delivery rows%n",
        db.kind(), threads, changes, created, refused, rows);
    assertThat(created).isEqualTo(changes);
    assertThat(rows).isEqualTo(changes);
    assertThat(setup.claimDue(REMINDER, due.minusNanos(1_000), due.plusSeconds(60), 100)).as("not due yet").isEmpty();
    assertThat(setup.claimDue(REMINDER, due, due.plusSeconds(60), 100)).hasSize(changes)
        .allSatisfy(delivery -> {
          assertThat(delivery.consumer()).isEqualTo(REMINDER);
          assertThat(delivery.change().entry()).isEqualTo(setup.latest(delivery.change().bookingId()).orElseThrow());
          assertThat(delivery.failedAttempts()).isZero();
        });
  }

  @Test
  void shouldOweAScheduledConsumerOnlyWhatWasScheduledWithoutRegisteringIt() throws SQLException {
    JdbcAuditTrail trail = db.builder().build();
    assertThatIllegalArgumentException().isThrownBy(() -> trail.registerConsumer(Delivery.TIMERS));
    assertThatIllegalArgumentException().isThrownBy(() -> trail.registerConsumer(REMINDER));
    // An earlier version registered any name: such a consumer is owed nothing by the sequencer.
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO " + db.tableName() + "_consumer"
            + " (consumer, settlements_only, registered_at) VALUES (?, ?, ?)")) {
      insert.setString(1, Delivery.REMINDER_PREFIX + "registered_before");
      insert.setBoolean(2, false);
      insert.setObject(3, LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
      insert.executeUpdate();
    }
    trail.registerConsumer("emails");
    AuditEntry first = creation("b-timed", T0, null);
    AuditEntry second = next(first, GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED, T0.plusSeconds(1), null);
    trail.append(first);
    trail.append(second);

    assertThat(trail.scheduleDelivery(Delivery.TIMERS, "b-timed", 1, T0)).isTrue();
    assertThat(trail.scheduleDelivery(Delivery.TIMERS, "b-timed", 1, T0)).isFalse();
    assertThat(trail.claimDue("emails", T0, T0, 10)).hasSize(2);
    assertThat(trail.claimDue(Delivery.REMINDER_PREFIX + "registered_before", T0, T0, 10)).isEmpty();
    List<Delivery> claimed = trail.claimDue(Delivery.TIMERS, T0, T0.plusSeconds(1), 10);
    assertThat(claimed).singleElement().satisfies(delivery -> {
      assertThat(delivery.change().entry()).isEqualTo(first);
      assertThat(delivery.change().paymentMoment()).isEqualTo(PaymentMoment.NONE);
    });

    trail.markFailed(claimed.get(0), "boom", T0.plusSeconds(5));
    assertThat(trail.claimDue(Delivery.TIMERS, T0.plusSeconds(4), T0.plusSeconds(6), 10)).isEmpty();
    Delivery retried = trail.claimDue(Delivery.TIMERS, T0.plusSeconds(5), T0.plusSeconds(6), 10).get(0);
    assertThat(retried.failedAttempts()).isEqualTo(1);
    assertThat(retried.lastError()).isEqualTo("boom");
    trail.markFailed(retried, "boom again", null);
    assertThat(trail.deadLetterCount(Delivery.TIMERS)).isEqualTo(1);
    assertThat(trail.deadLetters(Delivery.TIMERS, 10)).singleElement()
        .satisfies(dead -> assertThat(dead.failedAttempts()).isEqualTo(2));
    assertThat(trail.scheduleDelivery(Delivery.TIMERS, "b-timed", 1, T0)).as("a dead letter of the change").isFalse();
    assertThat(trail.resubmit(Delivery.TIMERS, "b-timed", 1, T0.plusSeconds(10))).isTrue();
    Delivery resubmitted = trail.claimDue(Delivery.TIMERS, T0.plusSeconds(10), T0.plusSeconds(11), 10).get(0);
    assertThat(trail.markDelivered(resubmitted)).isTrue();
    assertThat(trail.markDelivered(resubmitted)).isFalse();
    assertThat(trail.scheduleDelivery(Delivery.TIMERS, "b-timed", 1, T0)).as("a delivery done of the change")
        .isFalse();
    assertThat(trail.scheduleDelivery(Delivery.TIMERS, "b-timed", 2, T0.plusSeconds(20))).isTrue();
    assertThat(trail.claimDue(Delivery.TIMERS, T0.plusSeconds(20), T0.plusSeconds(21), 10))
        .extracting(delivery -> delivery.change().entry()).containsExactly(second);
    assertThat(count("SELECT COUNT(*) FROM " + db.tableName() + "_delivery WHERE consumer LIKE '%.%'"
        + " OR consumer = '" + Delivery.TIMERS + "'")).as("rows of scheduled consumers").isEqualTo(2);
  }

  @Test
  void shouldRefuseToScheduleForOtherConsumersOrForChangesNotRecorded() {
    JdbcAuditTrail trail = db.builder().build();
    trail.registerConsumer("emails");
    trail.append(creation("b-1", T0, null));

    for (String consumer : List.of("emails", Delivery.SETTLEMENT, "reminder.Answer", "reminder." + "x".repeat(56))) {
      assertThatIllegalArgumentException().as(consumer)
          .isThrownBy(() -> trail.scheduleDelivery(consumer, "b-1", 1, T0));
    }
    IllegalArgumentException unknown = catchThrowableOfType(IllegalArgumentException.class,
        () -> trail.scheduleDelivery(REMINDER, "b-1", 2, T0));
    assertThat(unknown).hasMessageContaining("b-1:2");
    for (String bookingId : List.of("b-2", "b-\uD800", "b-" + "x".repeat(200))) {
      assertThatIllegalArgumentException().as(bookingId)
          .isThrownBy(() -> trail.scheduleDelivery(REMINDER, bookingId, 1, T0));
    }
    assertThatNullPointerException().isThrownBy(() -> trail.scheduleDelivery(null, "b-1", 1, T0));
    assertThatNullPointerException().isThrownBy(() -> trail.scheduleDelivery(REMINDER, null, 1, T0));
    assertThatNullPointerException().isThrownBy(() -> trail.scheduleDelivery(REMINDER, "b-1", 1, null));
    assertThat(count("SELECT COUNT(*) FROM " + db.tableName() + "_delivery WHERE consumer <> 'emails'")).isZero();
  }

  @Test
  void shouldScheduleTheDeliveryOfAChangeRecordedBeforeTheFeedsTablesExisted() throws SQLException {
    db.execute(SchemaScript.statements(dialect(), Dialect.SCRIPT_V1, db.tableName()).toArray(String[]::new));
    AuditEntry old = creation("b-v1", T0, START);
    try (Connection connection = db.dataSource().getConnection()) {
      OldRows.insert(connection, db.tableName(), new StoredRow(old, RowHasher.GENESIS,
          RowHasher.hash(old, RowHasher.GENESIS)));
    }
    JdbcAuditTrail trail = db.builder().build();
    trail.registerConsumer("emails");
    assertThat(trail.changesSince(ChangeCursor.start(), 10).changes()).isEmpty();

    assertThat(trail.scheduleDelivery(REMINDER, "b-v1", 1, T0)).isTrue();
    assertThat(db.builder().build().scheduleDelivery(REMINDER, "b-v1", 1, T0)).isFalse();

    assertThat(trail.claimDue(REMINDER, T0, T0, 10)).singleElement().satisfies(delivery -> {
      assertThat(delivery.change().entry()).isEqualTo(old);
      assertThat(delivery.change().paymentMoment()).isEqualTo(PaymentMoment.NONE);
    });
    assertThat(trail.claimDue("emails", T0, T0, 10)).as("owed to no registered consumer").isEmpty();
    assertThat(trail.claimDue(Delivery.SETTLEMENT, T0, T0, 10)).isEmpty();
    assertThat(trail.changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactly(old);
    assertThat(trail.verify("b-v1").intact()).isTrue();
  }

  // ---- upgrading a second-version schema ----

  @Test
  void shouldUpgradeASecondVersionSchemaInPlaceAndFindItsBookingsByEveryTimepoint() throws SQLException {
    db.execute(SchemaScript.statements(dialect(), Dialect.SCRIPT_V1, db.tableName()).toArray(String[]::new));
    db.execute(SchemaScript.statements(dialect(), Dialect.SCRIPT_V2, db.tableName()).toArray(String[]::new));
    AuditTable table = new AuditTable(db.tableName());
    ChangeTable changes = new ChangeTable(table);
    Sequencer sequencer = new Sequencer(changes, new FeedHead(table), new ConsumerTable(table),
        new DeliveryTable(table));
    InMemoryAuditTrail expected = new InMemoryAuditTrail();
    int bookings = 40;
    int rows = 0;
    try (Connection connection = db.dataSource().getConnection()) {
      sequencer.register(connection, "emails", T0);
      for (int i = 0; i < bookings; i++) {
        Instant created = T0.plusSeconds(i * 60L);
        Instant start = i % 2 == 0 ? START.plusSeconds(i * 600L) : null;
        List<AuditEntry> entries = new ArrayList<>(List.of(creation(String.format("b-v2-%02d", i), created, start)));
        if (i % 4 >= 1) {
          entries.add(next(entries.get(0), GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED,
              created.plusSeconds(30), start));
        }
        if (i % 4 == 2) {
          entries.add(next(entries.get(1), GigstaWorkflow.MARK_IN_PROGRESS, BookingState.IN_PROGRESS,
              created.plusSeconds(40), start));
        }
        // As the second version's trail wrote them: each audit row with its change row in one transaction.
        String prevHash = RowHasher.GENESIS;
        for (AuditEntry entry : entries) {
          connection.setAutoCommit(false);
          StoredRow row = new StoredRow(entry, prevHash, RowHasher.hash(entry, prevHash));
          OldRows.insert(connection, db.tableName(), row);
          changes.insert(connection, entry.bookingId(), entry.sequence(), PaymentMoment.NONE);
          connection.commit();
          connection.setAutoCommit(true);
          prevHash = row.rowHash();
          expected.append(entry);
          rows++;
        }
        if (i == bookings / 2) {
          // The feed was read once meanwhile: half the changes have positions and deliveries.
          sequencer.run(connection);
        }
      }
    }
    List<String> before = snapshot();
    assertThat(indexes()).contains(db.tableName() + "_state_ix")
        .doesNotContain(db.tableName() + "_scheduled_ix", db.tableName() + "_created_ix");

    JdbcAuditTrailException notUpgraded = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(notUpgraded).isNotNull();
    assertThat(notUpgraded.getMessage()).contains(db.tableName() + "_timer_sweep", Dialect.SCRIPT_V3,
        "withCreateTableIfMissing");

    JdbcAuditTrail trail = db.builder().build();

    assertThat(indexes()).contains(db.tableName() + "_state_ix", db.tableName() + "_scheduled_ix",
        db.tableName() + "_created_ix");
    assertThat(trail.timerSweptTo("upgraded")).isEmpty();
    int found = 0;
    for (BookingState state : List.of(BookingState.REQUESTED, BookingState.ACCEPTED, BookingState.IN_PROGRESS)) {
      for (Timepoint timepoint : Timepoint.values()) {
        List<BookingTimes> candidates = trail.findTimerCandidates(state, timepoint, null, null, Instant.MAX, 100);
        assertThat(candidates).as("%s by %s", state, timepoint)
            .containsExactlyElementsOf(expected.findTimerCandidates(state, timepoint, null, null, Instant.MAX, 100));
        found += candidates.size();
      }
    }
    assertThat(snapshot()).as("the second version's rows, as they were").isEqualTo(before);
    for (int i = 0; i < bookings; i++) {
      assertThat(trail.verify(String.format("b-v2-%02d", i)).intact()).isTrue();
    }
    assertThat(JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build().timerSweptTo("upgraded"))
        .as("built without creating anything once upgraded").isEmpty();

    // And the old requests expire when due, with the feed's consumers told.
    List<FeedChange> emailed = new CopyOnWriteArrayList<>();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail)
        .withClock(Clock.fixed(T0.plus(Duration.ofDays(30)), ZoneOffset.UTC)).build();
    DeliveryWorker.Sweep sweep = DeliveryWorker.builder(engine).withConsumer("emails", emailed::add).build().drain();

    System.out.printf("%s upgrade to V3: %d bookings with %d second-version rows, %d candidates found, sweep %s%n",
        db.kind(), bookings, rows, found, sweep);
    assertThat(sweep.timersFired()).isEqualTo(bookings / 4);
    assertThat(emailed).as("every change, those before the upgrade included").hasSize(rows + bookings / 4)
        .extracting(change -> change.entry().actionName()).filteredOn(GigstaWorkflow.EXPIRE_BOOKING::equals)
        .hasSize(bookings / 4);
    assertThat(engine.load("b-v2-00").state()).isEqualTo(BookingState.EXPIRED);
    assertThat(trail.findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, Instant.MAX, 100))
        .isEmpty();
  }

  // ---- plans ----

  @Test
  void shouldServeEveryTimepointFromItsIndexWithoutScanningTheAuditTable() throws SQLException {
    JdbcAuditTrail setup = db.builder().build();
    int bookings = 20_000;
    populate(bookings);
    analyze();
    ExplainingDataSource explaining = new ExplainingDataSource(db.dataSource(),
        sql -> sql.startsWith("SELECT") && sql.contains("NOT EXISTS"));
    JdbcAuditTrail trail = JdbcAuditTrail.builder(explaining).withTableName(db.tableName()).build();
    // The last hour but a bit, as a sweep reads it: nine in ten of the bookings in it were answered.
    Instant created = populatedCreation(bookings - 100);
    Instant start = created.plus(Duration.ofDays(9));

    for (Timepoint timepoint : Timepoint.values()) {
      Instant from = timepoint == Timepoint.SCHEDULED_START ? start : created;
      String index = db.tableName() + switch (timepoint) {
        case STATE_ENTERED -> "_state_ix";
        case SCHEDULED_START -> "_scheduled_ix";
        case CREATED -> "_created_ix";
      };
      List<BookingTimes> page = trail.findTimerCandidates(BookingState.REQUESTED, timepoint, from, null,
          from.plus(Duration.ofHours(1)), 100);
      trail.findTimerCandidates(BookingState.REQUESTED, timepoint, from, page.get(0).latest().bookingId(),
          from.plus(Duration.ofHours(1)), 100);
      List<String> plans = explaining.takePlans();

      System.out.printf("%s plans by %s over %d bookings:%n%s", db.kind(), timepoint, bookings,
          String.join("", plans));
      assertThat(page).as("%s: a booking in ten is still requested", timepoint).hasSize(2);
      assertThat(plans).as(timepoint.name()).hasSize(2)
          .allSatisfy(plan -> assertServedFrom(plan, index, timepoint == Timepoint.CREATED ? "c" : "a"));
    }
    assertThat(setup.findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, Instant.MAX, 10_000))
        .hasSize(bookings / 10);
  }

  // The driving alias reads the index; no step scans the audit table or sorts what it read.
  private void assertServedFrom(String plan, String index, String alias) {
    String lower = plan.toLowerCase(Locale.ROOT);
    switch (db.kind()) {
      case POSTGRESQL -> assertThat(lower).contains("scan using " + index + " on " + db.tableName() + " " + alias)
          .doesNotContain("seq scan").doesNotContain("sort");
      case MARIADB -> {
        assertThat(lower.lines().filter(line -> line.contains("| table=" + alias + " |")))
            .singleElement().asString().contains("| key=" + index + " |");
        assertThat(lower).doesNotContain("type=all |").doesNotContain("type=index |").doesNotContain("filesort");
      }
      case H2 -> assertThat(lower).contains(index + ":").doesNotContain("tablescan");
    }
  }

  // ---- helpers ----

  private static List<BookingTimes> find(JdbcAuditTrail trail, BookingState state, Timepoint timepoint, Instant from,
      String afterBookingId, Instant to, int limit) {
    return trail.findTimerCandidates(state, timepoint, from, afterBookingId, to, limit);
  }

  private static Instant populatedCreation(int booking) {
    return T0.plus(Duration.ofMinutes(5L * booking));
  }

  // Bookings every 5 minutes, each starting 9 days after its request; nine in ten accepted an hour later and
  // completed an hour after that. Written in batches with placeholder hashes: only the plans are looked at.
  private void populate(int bookings) throws SQLException {
    String insert = "INSERT INTO " + db.tableName() + " (booking_id, sequence, action_name, actor_role, actor_id,"
        + " customer_id, gigsta_id, from_state, to_state, occurred_at, note, reason, scheduled_start, prev_hash,"
        + " row_hash) VALUES (?, ?, 'populate', 'GIGSTA', 'g-1', 'c-1', 'g-1', ?, ?, ?, 'populated', NULL, ?, ?, ?)";
    String hash = "0".repeat(64);
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(insert)) {
      connection.setAutoCommit(false);
      BookingState[] states = {BookingState.REQUESTED, BookingState.ACCEPTED, BookingState.COMPLETED};
      for (int i = 0; i < bookings; i++) {
        Instant created = populatedCreation(i);
        int rows = i % 10 == 0 ? 1 : 3;
        for (int sequence = 1; sequence <= rows; sequence++) {
          statement.setString(1, String.format("b-%06d", i));
          statement.setLong(2, sequence);
          statement.setString(3, sequence == 1 ? null : states[sequence - 2].name());
          statement.setString(4, states[sequence - 1].name());
          statement.setObject(5, LocalDateTime.ofInstant(created.plus(Duration.ofHours(sequence - 1)), ZoneOffset.UTC));
          statement.setObject(6, LocalDateTime.ofInstant(created.plus(Duration.ofDays(9)), ZoneOffset.UTC));
          statement.setString(7, hash);
          statement.setString(8, hash);
          statement.addBatch();
        }
        if (i % 1_000 == 999) {
          statement.executeBatch();
        }
      }
      statement.executeBatch();
      connection.commit();
      connection.setAutoCommit(true);
    }
  }

  private void analyze() {
    db.execute(switch (db.kind()) {
      case POSTGRESQL -> "ANALYZE " + db.tableName();
      case MARIADB, H2 -> "ANALYZE TABLE " + db.tableName();
    });
  }

  // The index names on the audit table, lowercase.
  private Set<String> indexes() throws SQLException {
    try (Connection connection = db.dataSource().getConnection()) {
      DatabaseMetaData metaData = connection.getMetaData();
      // H2 keeps unquoted names in upper case.
      String table = db.kind() == DatabaseExtension.Kind.H2 ? db.tableName().toUpperCase(Locale.ROOT) : db.tableName();
      Set<String> names = new TreeSet<>();
      try (ResultSet rows = metaData.getIndexInfo(connection.getCatalog(), null, table, false, true)) {
        while (rows.next()) {
          String name = rows.getString("INDEX_NAME");
          if (name != null) {
            names.add(name.toLowerCase(Locale.ROOT));
          }
        }
      }
      return names;
    }
  }

  // Every row of the audit table and the feed's tables, each column as the driver reads it as a string; of
  // the audit table the columns of the first schema script, which the upgrade leaves as they were.
  private List<String> snapshot() throws SQLException {
    List<String> rows = new ArrayList<>();
    String audit = db.tableName();
    List<String> queries = List.of(
        "SELECT booking_id, sequence, action_name, actor_role, actor_id, customer_id, gigsta_id, from_state, "
            + "to_state, occurred_at, note, reason, scheduled_start, prev_hash, row_hash FROM " + audit
            + " ORDER BY booking_id, sequence",
        "SELECT * FROM " + audit + "_change ORDER BY booking_id, sequence",
        "SELECT * FROM " + audit + "_feed_head",
        "SELECT consumer, settlements_only FROM " + audit + "_consumer ORDER BY consumer",
        "SELECT * FROM " + audit + "_delivery ORDER BY consumer, feed_position");
    try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      for (int table = 0; table < queries.size(); table++) {
        try (ResultSet result = statement.executeQuery(queries.get(table))) {
          int columns = result.getMetaData().getColumnCount();
          while (result.next()) {
            StringBuilder row = new StringBuilder().append(table);
            for (int c = 1; c <= columns; c++) {
              row.append(" | ").append(result.getString(c));
            }
            rows.add(row.toString());
          }
        }
      }
    }
    return rows;
  }

  private long count(String sql) {
    try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
