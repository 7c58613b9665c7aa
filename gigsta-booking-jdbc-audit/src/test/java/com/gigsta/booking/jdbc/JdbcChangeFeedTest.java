package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.jdbc.internal.RowHasher;
import com.gigsta.booking.jdbc.internal.SchemaScript;
import com.gigsta.booking.jdbc.internal.StoredRow;
import com.gigsta.booking.spi.PaymentRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the JDBC trail's change feed and deliveries promise beyond the contract: changes whose host
 * transactions commit out of order are fed late but never skipped, rolled-back host transactions owe
 * nothing, a table of the first schema version is upgraded in place, and delivery workers retry,
 * dead-letter and race over the database. One subclass per database.
 */
abstract class JdbcChangeFeedTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");

  // Handed in by each database's subclass; JUnit finds the extension on this field of the superclass.
  @RegisterExtension
  final DatabaseExtension db;

  JdbcChangeFeedTest(DatabaseExtension db) {
    this.db = db;
  }

  private static AuditEntry creation(String bookingId) {
    return new AuditEntry(bookingId, 1, GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, T0, "Booking requested by customer", null, null);
  }

  private static AuditEntry next(AuditEntry previous, String action, Role role, BookingState to) {
    String actorId = role == Role.CUSTOMER ? previous.customerId() : previous.gigstaId();
    return new AuditEntry(previous.bookingId(), previous.sequence() + 1, action, role, actorId, previous.customerId(),
        previous.gigstaId(), previous.toState(), to, previous.occurredAt().plusSeconds(1), action + " (version 1)",
        null, null);
  }

  private Dialect dialect() {
    return switch (db.kind()) {
      case H2 -> Dialect.H2;
      case POSTGRESQL -> Dialect.POSTGRESQL;
      case MARIADB -> Dialect.MARIADB;
    };
  }

  private static String key(FeedChange change) {
    return change.bookingId() + ":" + change.sequence();
  }

  private static BookingEngine engine(JdbcAuditTrail trail, CountingPayments payments,
      List<BookingChange> announced) {
    return BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks()).onChange(announced::add)
        .build();
  }

  // ---- changes committed out of order ----

  @Test
  void shouldFeedAChangeCommittedLateAfterWhatWasReadMeanwhileAndNeverSkipIt() throws SQLException {
    JdbcAuditTrail trail = db.builder().build();
    AuditEntry slow = creation("b-slow");
    List<AuditEntry> fast = List.of(creation("b-fast-1"), creation("b-fast-2"));
    ChangePage before;
    try (Connection host = db.dataSource().getConnection()) {
      host.setAutoCommit(false);
      trail.inTransaction(host, () -> {
        trail.append(slow);
        return null;
      });
      // Later writers append and commit while the first writer's transaction stays open.
      fast.forEach(trail::append);

      before = trail.changesSince(ChangeCursor.start(), 100);
      assertThat(before.changes()).extracting(FeedChange::entry).containsExactlyElementsOf(fast);
      assertThat(trail.changesSince(before.next(), 100).changes()).isEmpty();

      host.commit();
    }
    ChangePage after = trail.changesSince(before.next(), 100);

    assertThat(after.changes()).extracting(FeedChange::entry).containsExactly(slow);
    assertThat(after.changes().get(0).cursor()).isGreaterThan(before.next());
    assertThat(trail.changesSince(ChangeCursor.start(), 100).changes()).extracting(FeedChange::entry)
        .containsExactly(fast.get(0), fast.get(1), slow);
    System.out.printf("%s late commit: %d changes read before the commit, %d after it from the cursor %s%n",
        db.kind(), before.changes().size(), after.changes().size(), before.next());
  }

  @Test
  void shouldNeitherFeedNorOweAChangeWhoseHostTransactionRolledBack() throws SQLException {
    JdbcAuditTrail trail = db.builder().build();
    AuditEntry created = creation("b-undone");
    try (Connection host = db.dataSource().getConnection()) {
      host.setAutoCommit(false);
      trail.inTransaction(host, () -> {
        trail.append(created);
        trail.append(next(created, GigstaWorkflow.DECLINE_BOOKING, Role.GIGSTA, BookingState.DECLINED),
            PaymentMoment.RELEASE);
        return null;
      });
      assertThat(trail.changesSince(ChangeCursor.start(), 100).changes()).isEmpty();
      host.rollback();
    }
    AuditEntry kept = creation("b-kept");
    trail.append(kept);

    assertThat(trail.changesSince(ChangeCursor.start(), 100).changes()).extracting(FeedChange::entry)
        .containsExactly(kept);
    assertThat(trail.claimDue(DeliveryWorker.SETTLEMENT, T0, T0, 100)).isEmpty();
    assertThat(trail.deadLetterCount(DeliveryWorker.SETTLEMENT)).isZero();
    assertThat(trail.history("b-undone")).isEmpty();
  }

  @Test
  void shouldFeedEveryCommittedChangeOnceAndNoRolledBackOneWhileHostTransactionsCommitOutOfOrder()
      throws Exception {
    JdbcAuditTrail trail = db.builder().build();
    int writers = 4;
    int bookingsPerWriter = 25;
    Set<String> committed = ConcurrentHashMap.newKeySet();
    Set<String> rolledBack = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        Random random = new Random(writer);
        start.await();
        for (int i = 0; i < bookingsPerWriter; i++) {
          String id = "b-ooo-" + writer + "-" + i;
          try (Connection host = db.dataSource().getConnection()) {
            host.setAutoCommit(false);
            trail.inTransaction(host, () -> {
              AuditEntry created = creation(id);
              trail.append(created);
              trail.append(next(created, GigstaWorkflow.DECLINE_BOOKING, Role.GIGSTA, BookingState.DECLINED),
                  PaymentMoment.RELEASE);
              return null;
            });
            // Held open for a while, so that transactions begun later commit first.
            Thread.sleep(random.nextInt(8));
            if ((writer + i) % 4 == 0) {
              host.rollback();
              rolledBack.add(id);
            } else {
              host.commit();
              committed.add(id);
            }
          }
        }
        return null;
      }));
    }
    List<FeedChange> read = new ArrayList<>();
    ChangeCursor cursor = ChangeCursor.start();
    int pages = 0;
    start.countDown();
    while (true) {
      boolean writersDone = done.stream().allMatch(Future::isDone);
      ChangePage page = trail.changesSince(cursor, 5);
      read.addAll(page.changes());
      cursor = page.next();
      pages++;
      // Only once the writers had finished before the read is an empty page the end.
      if (writersDone && page.changes().isEmpty()) {
        break;
      }
    }
    for (Future<?> future : done) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();

    Set<String> expected = committed.stream().flatMap(id -> List.of(id + ":1", id + ":2").stream())
        .collect(Collectors.toSet());
    List<String> keys = read.stream().map(JdbcChangeFeedTest::key).toList();
    long fedRolledBack = read.stream().filter(change -> rolledBack.contains(change.bookingId())).count();
    List<Delivery> settlements = trail.claimDue(DeliveryWorker.SETTLEMENT, T0, T0, 10_000);
    System.out.printf("%s out-of-order commits: %d writers, %d committed and %d rolled-back bookings, %d changes "
        + "read in %d pages, %d distinct, %d missing, %d rolled back fed, %d settlements owed%n", db.kind(), writers,
        committed.size(), rolledBack.size(), read.size(), pages, keys.stream().distinct().count(),
        expected.stream().filter(k -> !keys.contains(k)).count(), fedRolledBack, settlements.size());
    assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fedRolledBack).isZero();
    assertThat(read).extracting(FeedChange::cursor).isSorted();
    for (String id : committed) {
      assertThat(keys.indexOf(id + ":1")).as(id).isLessThan(keys.indexOf(id + ":2"));
    }
    assertThat(settlements).extracting(delivery -> delivery.change().bookingId())
        .containsExactlyInAnyOrderElementsOf(committed);
  }

  // ---- the engine in a host's transaction ----

  @Test
  void shouldSettleAndAnnounceNothingWhenTheHostRollsBackAfterPerform() throws SQLException {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments();
    List<BookingChange> announced = new CopyOnWriteArrayList<>();
    BookingEngine engine = engine(trail, payments, announced);
    List<FeedChange> emailed = new CopyOnWriteArrayList<>();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withConsumer("emails", emailed::add).build();
    BookingChange requested = engine.requestBooking("b-host-undone", Actor.customer("c-1"), "g-1", null);
    BookingChange accepted = engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
    worker.drain();
    announced.clear();
    emailed.clear();
    int callsBefore = payments.calls().size();

    try (Connection host = db.dataSource().getConnection()) {
      host.setAutoCommit(false);
      BookingChange cancelled = trail.inTransaction(host,
          () -> engine.perform(accepted.booking(), Actor.gigsta("g-1"), GigstaWorkflow.CANCEL_BOOKING));
      assertThat(cancelled.entry().sequence()).isEqualTo(3);
      assertThat(announced).as("no listener is called inside the host's transaction").isEmpty();
      assertThat(worker.drain().isEmpty()).as("nothing is owed before the host commits").isTrue();
      host.rollback();
    }
    DeliveryWorker.Sweep sweep = worker.drain();

    System.out.printf("%s host rollback after perform: %d delivered, %d provider calls, %d listener calls, "
        + "%d emails%n", db.kind(), sweep.delivered(), payments.calls().size() - callsBefore, announced.size(),
        emailed.size());
    assertThat(sweep.isEmpty()).isTrue();
    assertThat(payments.calls()).as("the refund a rolled-back cancellation would owe").hasSize(callsBefore);
    assertThat(announced).isEmpty();
    assertThat(emailed).isEmpty();
    assertThat(trail.changesSince(ChangeCursor.start(), 100).changes()).extracting(FeedChange::entry)
        .containsExactly(requested.entry(), accepted.entry());
    assertThat(trail.history("b-host-undone")).containsExactly(requested.entry(), accepted.entry());
    assertThat(worker.deadLetterCount(DeliveryWorker.SETTLEMENT)).isZero();
  }

  @Test
  void shouldReleaseThePaymentSecuredInAHostTransactionThatRolledBackOnceTheHoldGraceHasPassed()
      throws SQLException {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments();
    SteppingClock clock = new SteppingClock(T0);
    List<BookingChange> announced = new CopyOnWriteArrayList<>();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks())
        .withClock(clock).onChange(announced::add).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withHoldGrace(Duration.ofMinutes(5)).build();
    BookingChange requested = engine.requestBooking("b-host-secured", Actor.customer("c-1"), "g-1", null);
    announced.clear();

    try (Connection host = db.dataSource().getConnection()) {
      host.setAutoCommit(false);
      trail.inTransaction(host,
          () -> engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING));
      assertThat(worker.drain().isEmpty()).as("a hold claimed by an open transaction is passed over").isTrue();
      host.rollback();
    }
    DeliveryWorker.Sweep withinGrace = worker.drain();
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    DeliveryWorker.Sweep afterGrace = worker.drain();

    System.out.printf("%s secured payment in a rolled-back host transaction: %d released within the grace, "
        + "%d after it; provider keys %s%n", db.kind(), withinGrace.releasedHolds(), afterGrace.releasedHolds(),
        payments.effectiveCalls().stream().map(call -> call.request().idempotencyKey()).toList());
    assertThat(withinGrace.isEmpty()).isTrue();
    assertThat(afterGrace).isEqualTo(new DeliveryWorker.Sweep(0, 0, 0, 1, 0));
    assertThat(payments.effectiveCalls()).extracting(call -> call.request().idempotencyKey())
        .containsExactly("b-host-secured:2:accept_booking:secure:1", "b-host-secured:2:accept_booking:release:1");
    assertThat(trail.paymentAttempt("b-host-secured", 2, GigstaWorkflow.ACCEPT_BOOKING).number())
        .as("the released attempt is never made again").isEqualTo(2);
    assertThat(announced).isEmpty();
    assertThat(trail.history("b-host-secured")).containsExactly(requested.entry());
    assertThat(worker.drain().isEmpty()).isTrue();
  }

  @Test
  void shouldKeepThePaymentSecuredInAHostTransactionThatCommitted() throws SQLException {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments();
    SteppingClock clock = new SteppingClock(T0);
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks())
        .withClock(clock).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withHoldGrace(Duration.ofMinutes(5)).build();
    BookingChange requested = engine.requestBooking("b-host-kept", Actor.customer("c-1"), "g-1", null);

    try (Connection host = db.dataSource().getConnection()) {
      host.setAutoCommit(false);
      trail.inTransaction(host,
          () -> engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING));
      host.commit();
    }
    clock.advance(Duration.ofDays(1));

    assertThat(worker.drain()).as("the charge is captured; no hold is left to release")
        .isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE);
    assertThat(engine.load("b-host-kept").state()).isEqualTo(BookingState.ACCEPTED);
  }

  @Test
  void shouldSettleOnlyAfterTheHostCommitsAndNotCallListenersForItsChanges() throws SQLException {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments();
    List<BookingChange> announced = new CopyOnWriteArrayList<>();
    BookingEngine engine = engine(trail, payments, announced);
    List<FeedChange> emailed = new CopyOnWriteArrayList<>();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withConsumer("emails", emailed::add).build();
    BookingChange requested = engine.requestBooking("b-host-done", Actor.customer("c-1"), "g-1", null);
    assertThat(announced).as("a change outside a host's transaction is announced in-line").hasSize(1);
    BookingChange accepted = engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
    worker.drain();
    announced.clear();
    emailed.clear();
    int callsBefore = payments.calls().size();

    BookingChange cancelled;
    try (Connection host = db.dataSource().getConnection()) {
      host.setAutoCommit(false);
      cancelled = trail.inTransaction(host,
          () -> engine.perform(accepted.booking(), Actor.gigsta("g-1"), GigstaWorkflow.CANCEL_BOOKING));
      assertThat(worker.drain().isEmpty()).as("nothing is owed before the host commits").isTrue();
      host.commit();
    }
    assertThat(payments.calls()).as("nothing is settled in-line").hasSize(callsBefore);
    DeliveryWorker.Sweep sweep = worker.drain();

    System.out.printf("%s host commit after perform: %d delivered, %d provider calls, %d listener calls, "
        + "%d emails%n", db.kind(), sweep.delivered(), payments.calls().size() - callsBefore, announced.size(),
        emailed.size());
    assertThat(announced).as("listeners are not called for a change recorded in a host's transaction").isEmpty();
    assertThat(sweep.delivered()).as("the refund and the email").isEqualTo(2);
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE, PaymentMoment.REFUND);
    assertThat(payments.effectiveCalls(PaymentMoment.REFUND)).singleElement().satisfies(call ->
        assertThat(call.request().idempotencyKey())
            .isEqualTo(PaymentRequest.of(PaymentMoment.REFUND, cancelled.entry()).idempotencyKey()));
    assertThat(emailed).extracting(FeedChange::entry).containsExactly(cancelled.entry());
    assertThat(worker.drain().isEmpty()).as("settled once").isTrue();
    assertThat(payments.calls()).hasSize(callsBefore + 1);
  }

  // ---- upgrading a table of the first schema version ----

  @Test
  void shouldUpgradeAFirstVersionTableInPlaceAndKeepItsBookingsWorking() throws SQLException {
    db.execute(SchemaScript.statements(dialect(), Dialect.SCRIPT_V1, db.tableName()).toArray(String[]::new));
    Map<String, List<AuditEntry>> old = new LinkedHashMap<>();
    AuditEntry requested = creation("b-v1-requested");
    old.put(requested.bookingId(), List.of(requested));
    AuditEntry created = creation("b-v1-accepted");
    old.put(created.bookingId(),
        List.of(created, next(created, GigstaWorkflow.ACCEPT_BOOKING, Role.GIGSTA, BookingState.ACCEPTED)));
    AuditEntry started = creation("b-v1-in-progress");
    AuditEntry startedAccepted = next(started, GigstaWorkflow.ACCEPT_BOOKING, Role.GIGSTA, BookingState.ACCEPTED);
    old.put(started.bookingId(), List.of(started, startedAccepted,
        next(startedAccepted, GigstaWorkflow.MARK_IN_PROGRESS, Role.GIGSTA, BookingState.IN_PROGRESS)));
    AuditEntry declined = creation("b-v1-declined");
    old.put(declined.bookingId(),
        List.of(declined, next(declined, GigstaWorkflow.DECLINE_BOOKING, Role.GIGSTA, BookingState.DECLINED)));
    // Written as the first version's trail wrote them: the audit table alone, hash-chained.
    try (Connection connection = db.dataSource().getConnection()) {
      for (List<AuditEntry> entries : old.values()) {
        String prevHash = RowHasher.GENESIS;
        for (AuditEntry entry : entries) {
          StoredRow row = new StoredRow(entry, prevHash, RowHasher.hash(entry, prevHash));
          OldRows.insert(connection, db.tableName(), row);
          prevHash = row.rowHash();
        }
      }
    }

    JdbcAuditTrailException notUpgraded = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(notUpgraded.getMessage()).contains(db.tableName() + "_change", Dialect.SCRIPT_V2,
        "withCreateTableIfMissing");

    JdbcAuditTrail trail = db.builder().build();

    for (Map.Entry<String, List<AuditEntry>> booking : old.entrySet()) {
      assertThat(trail.history(booking.getKey())).containsExactlyElementsOf(booking.getValue());
      assertThat(trail.verify(booking.getKey()).intact()).isTrue();
    }
    assertThat(trail.changesSince(ChangeCursor.start(), 100).changes())
        .as("changes recorded before the feed's tables existed are not in the feed").isEmpty();

    CountingPayments payments = new CountingPayments();
    BookingEngine engine = engine(trail, payments, new CopyOnWriteArrayList<>());
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    BookingChange refunded = engine.perform("b-v1-accepted", Actor.customer("c-1"), GigstaWorkflow.CANCEL_BOOKING,
        "plans changed");
    BookingChange refused = engine.perform("b-v1-requested", Actor.gigsta("g-1"), GigstaWorkflow.DECLINE_BOOKING,
        null);
    BookingChange paidOut = engine.perform("b-v1-in-progress", Actor.gigsta("g-1"), GigstaWorkflow.MARK_COMPLETED,
        null);
    assertThat(payments.calls()).as("nothing is settled in-line").isEmpty();
    DeliveryWorker.Sweep sweep = worker.drain();

    System.out.printf("%s upgrade: %d bookings with %d first-version rows, %d settled after the upgrade%n", db.kind(),
        old.size(), old.values().stream().mapToInt(List::size).sum(), sweep.delivered());
    assertThat(sweep.delivered()).as("the refund and the payout; a decline moves no money").isEqualTo(2);
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::request)
        .extracting(PaymentRequest::moment, PaymentRequest::bookingId, PaymentRequest::sequence)
        .containsExactlyInAnyOrder(tuple(PaymentMoment.REFUND, "b-v1-accepted", 3L),
            tuple(PaymentMoment.PAYOUT, "b-v1-in-progress", 4L));
    assertThat(trail.changesSince(ChangeCursor.start(), 100).changes()).extracting(FeedChange::entry)
        .containsExactlyInAnyOrder(refunded.entry(), refused.entry(), paidOut.entry());
    for (String bookingId : old.keySet()) {
      assertThat(trail.verify(bookingId).intact()).as(bookingId).isTrue();
    }
    assertThat(trail.history("b-v1-accepted")).hasSize(3)
        .startsWith(old.get("b-v1-accepted").toArray(AuditEntry[]::new));
    assertThat(engine.load("b-v1-declined").state()).isEqualTo(BookingState.DECLINED);
  }

  // ---- delivery workers over the database ----

  @Test
  void shouldRetryWithBackoffThenDeadLetterAndDeliverOnceResubmitted() {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments();
    SteppingClock clock = new SteppingClock(T0);
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks())
        .withClock(clock).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withMaxAttempts(3)
        .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).build();
    Booking requested = engine.requestBooking("b-dead", Actor.customer("c-1"), "g-1", null).booking();
    BookingChange accepted = engine.perform(requested, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
    // The charge was secured; its capture, owed to the settlement worker, fails three times.
    payments.failNext(3);

    List<DeliveryWorker.Sweep> sweeps = new ArrayList<>();
    sweeps.add(worker.runOnce());
    sweeps.add(worker.runOnce());
    clock.advance(Duration.ofMillis(999));
    sweeps.add(worker.runOnce());
    clock.advance(Duration.ofMillis(1));
    sweeps.add(worker.runOnce());
    clock.advance(Duration.ofMillis(1_999));
    sweeps.add(worker.runOnce());
    clock.advance(Duration.ofMillis(1));
    sweeps.add(worker.runOnce());
    clock.advance(Duration.ofDays(1));
    sweeps.add(worker.runOnce());

    System.out.printf("%s retries: sweeps %s, %d provider calls, %d dead letters%n", db.kind(), sweeps,
        payments.calls().size(), worker.deadLetterCount(DeliveryWorker.SETTLEMENT));
    DeliveryWorker.Sweep nothing = new DeliveryWorker.Sweep(0, 0, 0, 0, 0);
    DeliveryWorker.Sweep retried = new DeliveryWorker.Sweep(0, 1, 0, 0, 0);
    assertThat(sweeps).containsExactly(retried, nothing, nothing, retried, nothing,
        new DeliveryWorker.Sweep(0, 0, 1, 0, 0), nothing);
    assertThat(payments.calls()).extracting(CountingPayments.Call::moment).containsExactly(PaymentMoment.SECURE,
        PaymentMoment.CAPTURE, PaymentMoment.CAPTURE, PaymentMoment.CAPTURE);
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE);
    assertThat(worker.deadLetterCount(DeliveryWorker.SETTLEMENT)).isEqualTo(1);
    assertThat(worker.deadLetters(DeliveryWorker.SETTLEMENT, 10)).singleElement().satisfies(dead -> {
      assertThat(dead.change().entry()).isEqualTo(accepted.entry());
      assertThat(dead.change().paymentMoment()).isEqualTo(PaymentMoment.CHARGE);
      assertThat(dead.failedAttempts()).isEqualTo(3);
      assertThat(dead.lastError()).contains("IllegalStateException", "provider unavailable");
    });
    assertThat(storedDelivery("b-dead", 2)).isEqualTo("DEAD 3");

    assertThat(worker.resubmit(DeliveryWorker.SETTLEMENT, "b-dead", 2)).isTrue();
    assertThat(worker.resubmit(DeliveryWorker.SETTLEMENT, "b-dead", 2)).isFalse();
    assertThat(worker.deadLetterCount(DeliveryWorker.SETTLEMENT)).isZero();
    assertThat(worker.runOnce()).isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(worker.drain().isEmpty()).isTrue();
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE);
    assertThat(storedDelivery("b-dead", 2)).isEqualTo("DONE 0");
  }

  @Test
  void shouldMarkEachDeliveryDoneOnceWhenTwoWorkersRaceOverTheSameDeliveries() throws Exception {
    int bookings = 150;
    JdbcAuditTrail setup = db.builder().build();
    CountingPayments payments = new CountingPayments();
    BookingEngine writer = BookingEngine.builder().withAuditTrail(setup).withPaymentHooks(payments.hooks()).build();
    List<FeedChange> emailed = new CopyOnWriteArrayList<>();
    // Two workers as two processes would have them: a trail and an engine each, over the same tables, with a
    // lease so short that each claims what the other is still delivering.
    List<DeliveryWorker> workers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      BookingEngine engine = BookingEngine.builder().withAuditTrail(db.builder().build())
          .withPaymentHooks(payments.hooks()).build();
      workers.add(DeliveryWorker.builder(engine).withConsumer("emails", emailed::add).withBatchSize(7)
          .withLease(Duration.ofNanos(1_000)).build());
    }
    for (int i = 0; i < bookings; i++) {
      Booking requested = writer.requestBooking("b-race-" + i, Actor.customer("c-" + i), "g-" + i, null).booking();
      writer.perform(requested, Actor.gigsta("g-" + i), GigstaWorkflow.ACCEPT_BOOKING);
    }

    ExecutorService pool = Executors.newFixedThreadPool(workers.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<DeliveryWorker.Sweep>> sweeps = new ArrayList<>();
    for (DeliveryWorker worker : workers) {
      sweeps.add(pool.submit(() -> {
        start.await();
        return worker.drain();
      }));
    }
    start.countDown();
    List<DeliveryWorker.Sweep> results = new ArrayList<>();
    for (Future<DeliveryWorker.Sweep> sweep : sweeps) {
      results.add(sweep.get(120, TimeUnit.SECONDS));
    }
    pool.shutdownNow();
    DeliveryWorker.Sweep after = workers.get(0).drain();

    int owed = bookings + 2 * bookings;
    int delivered = results.stream().mapToInt(DeliveryWorker.Sweep::delivered).sum() + after.delivered();
    long captureCalls = payments.calls().stream().filter(call -> call.moment() == PaymentMoment.CAPTURE).count();
    System.out.printf("%s two racing workers: %d deliveries owed (%d captures, %d emails), marked done %s + %d "
        + "after, %d capture calls for %d effective captures, %d emails handed over%n", db.kind(), owed, bookings,
        2 * bookings, results.stream().map(s -> Integer.toString(s.delivered())).toList(), after.delivered(),
        captureCalls, payments.effectiveCalls(PaymentMoment.CAPTURE).size(), emailed.size());
    assertThat(delivered).as("each delivery marked done exactly once").isEqualTo(owed);
    assertThat(results).allSatisfy(sweep -> assertThat(sweep.retried() + sweep.deadLettered()).isZero());
    assertThat(payments.effectiveCalls(PaymentMoment.CAPTURE)).hasSize(bookings);
    assertThat(emailed.stream().map(JdbcChangeFeedTest::key).distinct().count()).isEqualTo(2L * bookings);
    assertThat(setup.claimDue(DeliveryWorker.SETTLEMENT, T0.plus(Duration.ofDays(3650)), T0, 10_000)).isEmpty();
    assertThat(setup.claimDue("emails", T0.plus(Duration.ofDays(3650)), T0, 10_000)).isEmpty();
  }

  // The stored status and failed attempts of the settlement delivery of a change.
  private String storedDelivery(String bookingId, long sequence) {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT status, failed_attempts FROM "
            + db.tableName() + "_delivery WHERE consumer = ? AND booking_id = ? AND sequence = ?")) {
      statement.setString(1, DeliveryWorker.SETTLEMENT);
      statement.setString(2, bookingId);
      statement.setLong(3, sequence);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getString(1) + " " + rows.getInt(2);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
