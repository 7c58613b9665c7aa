package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentFailedException;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.jdbc.internal.AuditTable;
import com.gigsta.booking.jdbc.internal.ChangeTable;
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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the JDBC trail does with money and payment attempts on each database: prices, amounts and fees
 * stored exactly and chained, attempts kept as rows (declined and released ones too) so that a new
 * attempt gets a new key, a hold taken by exactly one of its change's append and the settlement worker
 * however many instances try at once, the fourth schema script's upgrade of a populated third-version
 * schema, and the index the worker's look for holds is served from. One subclass per database.
 */
abstract class JdbcMoneyTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");
  private static final Instant START = T0.plus(Duration.ofDays(7));

  // Handed in by each database's subclass; JUnit finds the extension on this field of the superclass.
  @RegisterExtension
  final DatabaseExtension db;

  JdbcMoneyTest(DatabaseExtension db) {
    this.db = db;
  }

  private Dialect dialect() {
    return switch (db.kind()) {
      case H2 -> Dialect.H2;
      case POSTGRESQL -> Dialect.POSTGRESQL;
      case MARIADB -> Dialect.MARIADB;
    };
  }

  private static AuditEntry creation(String bookingId, Instant at) {
    return new AuditEntry(bookingId, 1, GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, at, "Booking requested by customer", null, START);
  }

  private static AuditEntry next(AuditEntry previous, String action, BookingState to) {
    return new AuditEntry(previous.bookingId(), previous.sequence() + 1, action, Role.GIGSTA, previous.gigstaId(),
        previous.customerId(), previous.gigstaId(), previous.toState(), to, previous.occurredAt().plusSeconds(1),
        action + " (version 3)", null, previous.scheduledStart());
  }

  // ---- the engine's money on this trail ----

  @Test
  void shouldStoreEveryChangesMoneyExactlyAndChainIt() {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments();
    SteppingClock clock = new SteppingClock(T0);
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks())
        .withClock(clock).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();
    Money price = Money.of(8_000, "EUR");
    Map<String, List<AuditEntry>> recorded = new LinkedHashMap<>();

    // Charged at acceptance, paid out at completion.
    List<AuditEntry> completed = new ArrayList<>();
    BookingChange change = engine.requestBooking("b-completed", Actor.customer("c-1"), "g-1", START, price);
    completed.add(change.entry());
    for (String action : List.of(GigstaWorkflow.ACCEPT_BOOKING, GigstaWorkflow.MARK_IN_PROGRESS,
        GigstaWorkflow.MARK_COMPLETED)) {
      change = engine.perform(change.booking(), Actor.gigsta("g-1"), action);
      completed.add(change.entry());
    }
    recorded.put("b-completed", completed);
    // Cancelled by the customer a week ahead, in full, and twelve hours ahead, at half.
    for (Map.Entry<String, Instant> cancelled : Map.of("b-early", START, "b-late", T0.plus(Duration.ofHours(12)))
        .entrySet()) {
      BookingChange requested = engine.requestBooking(cancelled.getKey(), Actor.customer("c-1"), "g-1",
          cancelled.getValue(), Money.of(5_000, "JPY"));
      BookingChange accepted = engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
      BookingChange refunded = engine.perform(accepted.booking(), Actor.customer("c-1"), GigstaWorkflow.CANCEL_BOOKING);
      recorded.put(cancelled.getKey(), List.of(requested.entry(), accepted.entry(), refunded.entry()));
    }
    DeliveryWorker.Sweep sweep = worker.drain();

    // A trail that did not write the rows reads them from the table, not from its memory.
    JdbcAuditTrail reader = db.builder().build();
    for (Map.Entry<String, List<AuditEntry>> booking : recorded.entrySet()) {
      assertThat(reader.history(booking.getKey())).as(booking.getKey()).containsExactlyElementsOf(booking.getValue());
      assertThat(reader.verify(booking.getKey()).intact()).isTrue();
    }
    assertThat(storedMoney("b-completed")).containsExactly("8000 EUR - -", "8000 EUR 8000 -", "8000 EUR - -",
        "8000 EUR 8000 -");
    assertThat(storedMoney("b-early")).containsExactly("5000 JPY - -", "5000 JPY 5000 -", "5000 JPY 5000 0");
    assertThat(storedMoney("b-late")).containsExactly("5000 JPY - -", "5000 JPY 5000 -", "5000 JPY 2500 2500");
    System.out.printf("%s money: %d bookings, sweep %s, provider calls %s%n", db.kind(), recorded.size(), sweep,
        payments.effectiveCalls().stream().map(call -> call.moment() + " " + call.request().amount()).toList());
    assertThat(sweep.delivered()).as("3 captures, 1 payout, 2 refunds").isEqualTo(6);
    assertThat(payments.effectiveCalls()).filteredOn(call -> call.request().bookingId().equals("b-completed"))
        .extracting(CountingPayments.Call::moment, call -> call.request().amount())
        .containsExactly(tuple(PaymentMoment.SECURE, price), tuple(PaymentMoment.CAPTURE, price),
            tuple(PaymentMoment.PAYOUT, price));
    assertThat(payments.effectiveCalls(PaymentMoment.REFUND)).extracting(call -> call.request().amount())
        .containsExactlyInAnyOrder(Money.of(5_000, "JPY"), Money.of(2_500, "JPY"));
  }

  @Test
  void shouldSecureANewAttemptWithANewKeyOnceADeclinedCardIsFixed() {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments().declineCardsOf("c-1");
    SteppingClock clock = new SteppingClock(T0);
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks())
        .withClock(clock).build();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withHoldGrace(Duration.ofMinutes(5)).build();
    BookingChange requested = engine.requestBooking("b-declined", Actor.customer("c-1"), "g-1", START,
        Money.of(4_000, "EUR"));

    PaymentFailedException declined = catchThrowableOfType(PaymentFailedException.class,
        () -> engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING));
    assertThat(declined).isNotNull();
    assertThat(declined.declined()).isTrue();
    assertThat(declined.idempotencyKey()).isEqualTo("b-declined:2:accept_booking:secure:1");
    assertThat(trail.paymentAttempt("b-declined", 2, GigstaWorkflow.ACCEPT_BOOKING).number()).isEqualTo(2);
    assertThat(holds("b-declined")).containsExactly("1 DECLINED 4000 EUR");
    payments.fixCard("c-1");
    clock.advance(Duration.ofMinutes(1));

    BookingChange accepted = engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
    clock.advance(Duration.ofDays(1));
    DeliveryWorker.Sweep sweep = worker.drain();

    assertThat(payments.calls()).extracting(call -> call.request().idempotencyKey()).containsExactly(
        "b-declined:2:accept_booking:secure:1", "b-declined:2:accept_booking:secure:2",
        "b-declined:2:accept_booking:capture:1");
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE);
    assertThat(sweep).as("the capture; a declined hold has nothing to release")
        .isEqualTo(new DeliveryWorker.Sweep(1, 0, 0, 0, 0));
    assertThat(holds("b-declined")).as("the second attempt claimed, the declined first kept")
        .containsExactly("1 DECLINED 4000 EUR", "2 CLAIMED 4000 EUR");
    assertThat(trail.history("b-declined")).containsExactly(requested.entry(), accepted.entry());
  }

  // ---- holds as rows ----

  @Test
  void shouldKeepEveryAttemptAsARowWithWhatBecameOfIt() {
    JdbcAuditTrail trail = db.builder().build();
    AuditEntry created = creation("b-holds", T0);
    trail.append(created);
    AuditEntry accepted = next(created, GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED);
    PaymentRequest first = PaymentRequest.of(PaymentMoment.SECURE, accepted);

    trail.recordHold(first, T0);
    trail.recordHold(first, T0.plusSeconds(1));
    assertThat(holds("b-holds")).containsExactly("1 HELD - -");
    trail.markHoldDeclined(first);
    trail.recordHold(first.withAttempt(2), T0.plusSeconds(2));
    trail.markHoldReleased(first.withAttempt(2));
    trail.recordHold(first.withAttempt(3), T0.plusSeconds(3));
    assertThat(holds("b-holds")).containsExactly("1 DECLINED - -", "2 RELEASED - -", "3 HELD - -");
    assertThat(trail.paymentAttempt("b-holds", 2, GigstaWorkflow.ACCEPT_BOOKING).number()).isEqualTo(3);

    trail.append(accepted, PaymentMoment.CHARGE);

    assertThat(holds("b-holds")).containsExactly("1 DECLINED - -", "2 RELEASED - -", "3 CLAIMED - -");
    assertThat(trail.paymentAttempt("b-holds", 2, GigstaWorkflow.ACCEPT_BOOKING).number()).isEqualTo(3);
  }

  @Test
  void shouldRefuseToReleaseAHoldWhoseStoredAmountIsNotOneAndMarkNothing() {
    JdbcAuditTrail trail = db.builder().build();
    AuditEntry accepted = next(creation("b-bad-hold", T0), GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED);
    trail.recordHold(PaymentRequest.of(PaymentMoment.SECURE, accepted), T0);
    db.execute("UPDATE " + db.tableName() + "_hold SET amount_minor = 500 WHERE booking_id = 'b-bad-hold'");

    JdbcAuditTrailException refused = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> trail.claimAbandonedHolds(T0.plusSeconds(1), 10));

    assertThat(refused).isNotNull();
    assertThat(refused.operation()).isEqualTo("claimAbandonedHolds");
    assertThat(refused.getMessage()).contains("b-bad-hold:2:accept_booking", "amount_minor is 500",
        "nothing was released");
    assertThat(holds("b-bad-hold")).containsExactly("1 HELD 500 -");
  }

  @Test
  void shouldLetExactlyOneOfTheAppendAndTheWorkerTakeEachHoldWhateverTheInstances() throws Exception {
    JdbcAuditTrail setup = db.builder().build();
    int changes = 30;
    int instances = 6;
    List<AuditEntry> accepts = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      AuditEntry created = creation("b-hold-race-" + i, T0);
      setup.append(created);
      accepts.add(next(created, GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED));
    }
    // A trail per instance, as separate processes would have.
    List<JdbcAuditTrail> trails = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      trails.add(db.builder().build());
    }
    Set<String> appended = ConcurrentHashMap.newKeySet();
    Set<String> given = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    List<String> anomalies = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    try {
      for (AuditEntry accept : accepts) {
        PaymentRequest secure = PaymentRequest.of(PaymentMoment.SECURE, accept);
        CountDownLatch go = new CountDownLatch(1);
        CyclicBarrier recorded = new CyclicBarrier(instances);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
          JdbcAuditTrail trail = trails.get(i);
          boolean appends = i % 2 == 0;
          done.add(pool.submit(() -> {
            go.await();
            // Every instance records the same attempt at once, as double submits would; then half append
            // the change and half look for holds to give up, all at once, with a cutoff it is past.
            trail.recordHold(secure, T0);
            recorded.await(60, TimeUnit.SECONDS);
            if (appends) {
              try {
                trail.append(accept, PaymentMoment.CHARGE);
                appended.add(accept.bookingId());
              } catch (BookingChangedConcurrentlyException e) {
                refused.incrementAndGet();
              }
            } else {
              for (PaymentRequest hold : trail.claimAbandonedHolds(T0.plusSeconds(1), 100)) {
                if (!hold.equals(secure)) {
                  anomalies.add("an unexpected hold " + hold.idempotencyKey());
                }
                given.add(hold.bookingId());
              }
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> each : done) {
          each.get(60, TimeUnit.SECONDS);
        }
        if (given.contains(accept.bookingId())) {
          setup.markHoldReleased(secure);
        }
      }
    } finally {
      pool.shutdownNow();
    }

    for (AuditEntry accept : accepts) {
      String id = accept.bookingId();
      boolean recorded = setup.history(id).size() == 2;
      if (recorded != appended.contains(id)) {
        anomalies.add(id + ": recorded " + recorded + " but appended " + appended.contains(id));
      }
      if (appended.contains(id) == given.contains(id)) {
        anomalies.add(id + ": appended " + appended.contains(id) + " and given up " + given.contains(id));
      }
      List<String> rows = holds(id);
      if (!rows.equals(List.of(recorded ? "1 CLAIMED - -" : "1 RELEASED - -"))) {
        anomalies.add(id + ": holds " + rows);
      }
    }
    System.out.printf("%s hold race: %d changes x %d instances, %d appended, %d given up, %d appends refused, "
        + "%d anomalies%n", db.kind(), changes, instances, appended.size(), given.size(), refused.get(),
        anomalies.size());
    assertThat(anomalies).isEmpty();
    assertThat(appended.size() + given.size()).isEqualTo(changes);
  }

  // ---- upgrading a third-version schema ----

  @Test
  void shouldUpgradeAThirdVersionSchemaInPlaceKeepingItsRowsAndHolds() throws SQLException {
    for (String script : List.of(Dialect.SCRIPT_V1, Dialect.SCRIPT_V2, Dialect.SCRIPT_V3)) {
      db.execute(SchemaScript.statements(dialect(), script, db.tableName()).toArray(String[]::new));
    }
    ChangeTable changes = new ChangeTable(new AuditTable(db.tableName()));
    Map<String, List<AuditEntry>> old = new LinkedHashMap<>();
    int bookings = 12;
    try (Connection connection = db.dataSource().getConnection()) {
      for (int i = 0; i < bookings; i++) {
        AuditEntry created = creation(String.format("b-v3-%02d", i), T0.plusSeconds(i));
        List<AuditEntry> entries = new ArrayList<>(List.of(created));
        if (i % 3 >= 1) {
          entries.add(next(created, GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED));
        }
        if (i % 3 == 2) {
          entries.add(next(entries.get(1), GigstaWorkflow.MARK_IN_PROGRESS, BookingState.IN_PROGRESS));
        }
        // As the third version's trail wrote them: each audit row with its change row in one transaction.
        String prevHash = RowHasher.GENESIS;
        for (AuditEntry entry : entries) {
          connection.setAutoCommit(false);
          StoredRow row = new StoredRow(entry, prevHash, RowHasher.hash(entry, prevHash));
          OldRows.insert(connection, db.tableName(), row);
          changes.insert(connection, entry.bookingId(), entry.sequence(),
              entry.sequence() == 2 ? PaymentMoment.SECURE : PaymentMoment.NONE);
          connection.commit();
          connection.setAutoCommit(true);
          prevHash = row.rowHash();
        }
        old.put(created.bookingId(), entries);
      }
      // Holds as the third version kept them: one per change, no attempt, no amount. One still held by a
      // change in flight, one the worker gave up and is releasing.
      insertOldHold(connection, "b-v3-00", 2, "HELD", T0.plusSeconds(30));
      insertOldHold(connection, "b-v3-03", 2, "ABANDONED", T0);
    }
    List<String> before = auditRows();

    JdbcAuditTrailException notUpgraded = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(notUpgraded).isNotNull();
    assertThat(notUpgraded.getMessage()).contains(db.tableName(), Dialect.SCRIPT_V4, "withCreateTableIfMissing");

    JdbcAuditTrail trail = db.builder().build();

    assertThat(auditRows()).as("the third version's rows, as they were").isEqualTo(before);
    assertThat(storedMoney("b-v3-02")).as("no money on rows written before").containsOnly("- - - -");
    for (Map.Entry<String, List<AuditEntry>> booking : old.entrySet()) {
      assertThat(trail.history(booking.getKey())).containsExactlyElementsOf(booking.getValue())
          .allSatisfy(entry -> assertThat(entry.price()).isNull());
      assertThat(trail.verify(booking.getKey()).intact()).as(booking.getKey()).isTrue();
    }
    assertThat(holds("b-v3-00")).containsExactly("1 HELD - -");
    assertThat(holds("b-v3-03")).containsExactly("1 ABANDONED - -");
    assertThat(indexes(db.tableName() + "_hold")).contains(db.tableName() + "_hold_claim_ix");
    assertThat(JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build().latest("b-v3-00"))
        .as("built without creating anything once upgraded").contains(old.get("b-v3-00").get(0));

    // The hold given up is returned as attempt 1, and kept once released; the next attempt is 2.
    PaymentRequest abandoned = PaymentRequest.of(PaymentMoment.SECURE, "b-v3-03", "c-1", "g-1",
        GigstaWorkflow.ACCEPT_BOOKING, 2, 1, null);
    assertThat(trail.claimAbandonedHolds(T0.plusSeconds(1), 10)).containsExactly(abandoned);
    trail.markHoldReleased(abandoned);
    assertThat(holds("b-v3-03")).containsExactly("1 RELEASED - -");
    assertThat(trail.paymentAttempt("b-v3-03", 2, GigstaWorkflow.ACCEPT_BOOKING).number()).isEqualTo(2);
    // The change in flight is recorded by claiming its hold, attempt 1, as before the upgrade.
    assertThat(trail.paymentAttempt("b-v3-00", 2, GigstaWorkflow.ACCEPT_BOOKING).number()).isEqualTo(1);
    AuditEntry accepted = next(old.get("b-v3-00").get(0), GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED);
    trail.append(accepted, PaymentMoment.CHARGE);
    assertThat(holds("b-v3-00")).containsExactly("1 CLAIMED - -");
    // And new bookings have money, chained after none.
    CountingPayments payments = new CountingPayments();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks()).build();
    BookingChange requested = engine.requestBooking("b-v4", Actor.customer("c-1"), "g-1", START,
        Money.of(9_900, "USD"));
    BookingChange charged = engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
    assertThat(db.builder().build().history("b-v4")).containsExactly(requested.entry(), charged.entry());
    assertThat(trail.verify("b-v4").intact()).isTrue();
    assertThat(trail.verify("b-v3-00").intact()).isTrue();
    System.out.printf("%s upgrade to V4: %d bookings with %d third-version rows and 2 holds%n", db.kind(), bookings,
        before.size());
  }

  // ---- plans ----

  @Test
  void shouldFindHoldsToReleaseFromTheirIndexWithoutReadingTheReleasedOnes() throws SQLException {
    JdbcAuditTrail setup = db.builder().build();
    int released = 20_000;
    String insert = "INSERT INTO " + db.tableName() + "_hold (booking_id, sequence, action_name, attempt, customer_id,"
        + " gigsta_id, amount_minor, amount_currency, status, recorded_at) VALUES (?, 2, 'accept_booking', ?, 'c-1',"
        + " 'g-1', 100, 'EUR', ?, ?)";
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(insert)) {
      connection.setAutoCommit(false);
      for (int i = 0; i < released; i++) {
        statement.setString(1, String.format("b-%06d", i));
        statement.setInt(2, 1 + i % 2);
        statement.setString(3, i % 2 == 0 ? "DECLINED" : "RELEASED");
        statement.setObject(4, LocalDateTime.ofInstant(T0.plusSeconds(i), ZoneOffset.UTC));
        statement.addBatch();
        if (i % 1_000 == 999) {
          statement.executeBatch();
        }
      }
      statement.executeBatch();
      connection.commit();
      connection.setAutoCommit(true);
    }
    for (int i = 0; i < 5; i++) {
      setup.recordHold(PaymentRequest.of(PaymentMoment.SECURE, next(creation("b-held-" + i, T0),
          GigstaWorkflow.ACCEPT_BOOKING, BookingState.ACCEPTED)), T0.plusSeconds(i));
    }
    db.execute(switch (db.kind()) {
      case POSTGRESQL -> "ANALYZE " + db.tableName() + "_hold";
      case MARIADB, H2 -> "ANALYZE TABLE " + db.tableName() + "_hold";
    });
    ExplainingDataSource explaining = new ExplainingDataSource(db.dataSource(),
        sql -> sql.startsWith("SELECT") && sql.contains("FOR UPDATE"));
    JdbcAuditTrail trail = JdbcAuditTrail.builder(explaining).withTableName(db.tableName()).build();

    List<PaymentRequest> holds = trail.claimAbandonedHolds(T0.plus(Duration.ofDays(1)), 100);
    List<String> plans = explaining.takePlans();

    System.out.printf("%s plan of the look for holds among %d kept ones:%n%s", db.kind(), released,
        String.join("", plans));
    assertThat(holds).hasSize(5);
    String index = db.tableName() + "_hold_claim_ix";
    assertThat(plans).singleElement().satisfies(plan -> {
      String lower = plan.toLowerCase(Locale.ROOT);
      switch (db.kind()) {
        case POSTGRESQL -> assertThat(lower).contains(index).doesNotContain("seq scan");
        case MARIADB -> assertThat(lower).contains("| key=" + index + " |").doesNotContain("type=all |")
            .doesNotContain("type=index |");
        case H2 -> assertThat(lower).contains(index).doesNotContain("tablescan");
      }
    });
  }

  // ---- helpers ----

  private void insertOldHold(Connection connection, String bookingId, long sequence, String status, Instant at)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + db.tableName() + "_hold"
        + " (booking_id, sequence, action_name, customer_id, gigsta_id, status, recorded_at)"
        + " VALUES (?, ?, ?, 'c-1', 'g-1', ?, ?)")) {
      statement.setString(1, bookingId);
      statement.setLong(2, sequence);
      statement.setString(3, GigstaWorkflow.ACCEPT_BOOKING);
      statement.setString(4, status);
      statement.setObject(5, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
      statement.executeUpdate();
    }
  }

  // The booking's holds in attempt order: attempt, status, amount and currency ("-" for none).
  private List<String> holds(String bookingId) {
    return query("SELECT attempt, status, amount_minor, amount_currency FROM " + db.tableName() + "_hold"
        + " WHERE booking_id = ? ORDER BY sequence, attempt", bookingId);
  }

  // The booking's stored money in sequence order: price, currency, amount and fee ("-" for none).
  private List<String> storedMoney(String bookingId) {
    return query("SELECT price_minor, price_currency, amount_minor, fee_minor FROM " + db.tableName()
        + " WHERE booking_id = ? ORDER BY sequence", bookingId);
  }

  // The audit table's rows, the first schema script's columns as the driver reads them as strings.
  private List<String> auditRows() {
    return query("SELECT booking_id, sequence, action_name, actor_role, actor_id, customer_id, gigsta_id, from_state, "
        + "to_state, occurred_at, note, reason, scheduled_start, prev_hash, row_hash FROM " + db.tableName()
        + " WHERE booking_id <> ? ORDER BY booking_id, sequence", "-");
  }

  private List<String> query(String sql, String parameter) {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      List<String> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
          List<String> values = new ArrayList<>();
          for (int c = 1; c <= columns; c++) {
            String value = result.getString(c);
            values.add(value == null ? "-" : value);
          }
          rows.add(String.join(" ", values));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  // The index names on the table, lowercase.
  private Set<String> indexes(String table) throws SQLException {
    try (Connection connection = db.dataSource().getConnection()) {
      String name = db.kind() == DatabaseExtension.Kind.H2 ? table.toUpperCase(Locale.ROOT) : table;
      Set<String> names = new TreeSet<>();
      try (ResultSet rows = connection.getMetaData().getIndexInfo(connection.getCatalog(), null, name, false, true)) {
        while (rows.next()) {
          String index = rows.getString("INDEX_NAME");
          if (index != null) {
            names.add(index.toLowerCase(Locale.ROOT));
          }
        }
      }
      return names;
    }
  }
}
