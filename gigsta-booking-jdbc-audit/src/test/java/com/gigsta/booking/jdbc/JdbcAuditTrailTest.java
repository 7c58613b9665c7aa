package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.jdbc.internal.RowHasher;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.testing.AuditTrailContract;
import com.gigsta.booking.spi.PaymentRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit trail contract plus what only the JDBC trail promises: hash chains, joining the host's
 * transaction, faults, and races between threads and between processes. One subclass per database.
 */
abstract class JdbcAuditTrailTest extends AuditTrailContract {

  /** Connection settings a child process can use, and a data source for the same table in this JVM. */
  record SharedDatabase(String url, String user, String password, String table, DataSource dataSource) {}

  // Handed in by each database's subclass; JUnit finds the extension on this field of the superclass.
  @RegisterExtension
  final DatabaseExtension db;

  JdbcAuditTrailTest(DatabaseExtension db) {
    this.db = db;
  }

  protected final DatabaseExtension db() {
    return db;
  }

  /** Returns a hook that ends the victim's session from another connection and waits until it is gone. */
  protected abstract HookedDataSource.Hook killSession();

  /** Returns the database's id of the session behind the connection, read with the given query. */
  protected static long sessionId(Connection connection, String query) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query); ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Returns a statement that sets an unusual session time zone, so a conversion would show. */
  protected abstract String oddSessionTimeZone();

  /**
   * Creates a user with only the given privileges on this test's audit table, and those of
   * {@link #feedPrivileges()} on the feed's tables, and returns its data source.
   */
  protected abstract DataSource dataSourceWithOnly(String privileges);

  /** Returns the feed's tables of this test's audit table with the least privileges the trail needs on each. */
  protected final Map<String, String> feedPrivileges() {
    String table = db().tableName();
    Map<String, String> privileges = new LinkedHashMap<>();
    privileges.put(table + "_change", "SELECT, INSERT, UPDATE");
    privileges.put(table + "_feed_head", "SELECT, UPDATE");
    privileges.put(table + "_consumer", "SELECT, INSERT");
    privileges.put(table + "_delivery", "SELECT, INSERT, UPDATE");
    privileges.put(table + "_hold", "SELECT, INSERT, UPDATE, DELETE");
    privileges.put(table + "_timer_sweep", "SELECT, INSERT, UPDATE");
    return privileges;
  }

  /** Returns a data source that opens a new session for every connection; by default the pool. */
  protected DataSource unpooledDataSource() {
    return db().dataSource();
  }

  /** Returns a database that other processes can reach; by default this test's own. */
  protected SharedDatabase sharedDatabase() {
    return new SharedDatabase(db().url(), db().user(), db().password(), db().tableName(), db().dataSource());
  }

  @Override
  protected AuditTrail createTrail(BookingLimits limits) {
    return db().builder().withLimits(limits).build();
  }

  @Override
  protected String implementationName() {
    return "JdbcAuditTrail on " + db().kind();
  }

  private JdbcAuditTrail jdbcTrail() {
    return (JdbcAuditTrail) trail();
  }

  private List<AuditEntry> appendFour(String bookingId) {
    AuditEntry first = creation(bookingId, T0);
    AuditEntry second = next(first, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(1));
    AuditEntry third = next(second, "mark_in_progress", BookingState.IN_PROGRESS, T0.plusSeconds(2));
    AuditEntry fourth = next(third, "mark_completed", BookingState.COMPLETED, T0.plusSeconds(3));
    List<AuditEntry> entries = List.of(first, second, third, fourth);
    entries.forEach(trail()::append);
    return entries;
  }

  private void sql(String sql, Object... parameters) {
    try (Connection connection = db().dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private int countRows(String bookingId) {
    try (Connection connection = db().dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT COUNT(*) FROM " + db().tableName() + " WHERE booking_id = ?")) {
      statement.setString(1, bookingId);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private BookingEngine engine(AuditTrail trail, CountingPayments payments) {
    return BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments.hooks()).build();
  }

  // ---- times ----

  @Test
  void shouldStoreTimesIndependentlyOfJvmAndSessionTimeZones() {
    AuditEntry entry = new AuditEntry("b-zones", 1, "request_booking", com.gigsta.booking.Role.CUSTOMER, "c-1",
        "c-1", "g-1", null, BookingState.REQUESTED, Instant.parse("2026-03-29T01:30:00.654321Z"), "note", null,
        Instant.parse("2026-10-25T02:30:00.000001Z"));
    TimeZone jvmZone = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone(ZoneId.of("Pacific/Chatham")));
      JdbcAuditTrail oddSession = JdbcAuditTrail.builder(db().dataSourceAs(db().user(), db().password(),
          oddSessionTimeZone())).withTableName(db().tableName()).withCreateTableIfMissing(true).build();
      oddSession.append(entry);
      assertThat(oddSession.latest("b-zones")).contains(entry);
    } finally {
      TimeZone.setDefault(jvmZone);
    }
    assertThat(trail().latest("b-zones")).contains(entry);
    try (Connection connection = db().dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT occurred_at FROM " + db().tableName() + " WHERE booking_id = ?")) {
      statement.setString(1, "b-zones");
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        assertThat(rows.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2026-03-29T01:30:00.654321"));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- hash chain ----

  @Test
  void shouldVerifyAnIntactChainAndAnUnknownBooking() {
    appendFour("b-intact");

    ChainVerification intact = jdbcTrail().verify("b-intact");
    assertThat(intact.intact()).isTrue();
    assertThat(intact.entriesChecked()).isEqualTo(4);
    assertThat(intact.firstBrokenSequence()).isEmpty();
    assertThat(jdbcTrail().verify("b-nobody")).isEqualTo(
        new ChainVerification("b-nobody", true, java.util.OptionalLong.empty(), 0, null, null));
  }

  @Test
  void shouldDetectAFieldChangedWithPlainSql() {
    appendFour("b-edited");
    sql("UPDATE " + db().tableName() + " SET note = 'nothing happened' WHERE booking_id = ? AND sequence = 2",
        "b-edited");

    ChainVerification result = jdbcTrail().verify("b-edited");
    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(2);
    assertThat(result.problem()).contains("altered");
  }

  @Test
  void shouldDetectATimeShiftedByOneMicrosecond() {
    appendFour("b-shifted");
    sql("UPDATE " + db().tableName() + " SET occurred_at = ? WHERE booking_id = ? AND sequence = 3",
        LocalDateTime.ofInstant(T0.plusSeconds(2).plusNanos(1_000), ZoneOffset.UTC), "b-shifted");

    assertThat(jdbcTrail().verify("b-shifted").firstBrokenSequence()).hasValue(3);
  }

  @Test
  void shouldDetectARowDeletedFromTheMiddle() {
    appendFour("b-gap");
    sql("DELETE FROM " + db().tableName() + " WHERE booking_id = ? AND sequence = 2", "b-gap");

    ChainVerification result = jdbcTrail().verify("b-gap");
    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(2);
    assertThat(result.problem()).contains("missing");
  }

  @Test
  void shouldDetectAFirstRowWrittenAgainAfterItsDeletion() {
    appendFour("b-recreated");
    sql("DELETE FROM " + db().tableName() + " WHERE booking_id = ? AND sequence = 1", "b-recreated");
    // The change row still holds the first row's key, so a creation written again is refused ...
    assertThatThrownBy(() -> jdbcTrail().append(creation("b-recreated", T0.plusSeconds(60))))
        .isInstanceOf(BookingChangedConcurrentlyException.class);
    sql("DELETE FROM " + db().tableName() + "_change WHERE booking_id = ? AND sequence = 1", "b-recreated");
    // ... until it is deleted too. A creation is inserted without reading first, so only the primary keys
    // could have refused it.
    jdbcTrail().append(creation("b-recreated", T0.plusSeconds(60)));

    ChainVerification result = jdbcTrail().verify("b-recreated");
    assertThat(result.intact()).isFalse();
    assertThat(result.firstBrokenSequence()).hasValue(2);
  }

  @Test
  void shouldDetectRowsRenumberedAfterADeletion() {
    appendFour("b-renumbered");
    sql("DELETE FROM " + db().tableName() + " WHERE booking_id = ? AND sequence = 2", "b-renumbered");
    sql("UPDATE " + db().tableName() + " SET sequence = 2 WHERE booking_id = ? AND sequence = 3", "b-renumbered");
    sql("UPDATE " + db().tableName() + " SET sequence = 3 WHERE booking_id = ? AND sequence = 4", "b-renumbered");

    assertThat(jdbcTrail().verify("b-renumbered").firstBrokenSequence()).hasValue(2);
  }

  @Test
  void shouldDetectARewrittenRowAtItsSuccessorEvenWithARecomputedHash() {
    List<AuditEntry> entries = appendFour("b-rehashed");
    AuditEntry forged = new AuditEntry("b-rehashed", 3, "mark_in_progress", com.gigsta.booking.Role.GIGSTA, "g-1",
        "c-1", "g-1", BookingState.ACCEPTED, BookingState.IN_PROGRESS, entries.get(2).occurredAt(), "forged note",
        null, null);
    String prev = jdbcTrail().verify("b-rehashed").lastRowHash();
    assertThat(prev).isNotNull();
    try (Connection connection = db().dataSource().getConnection();
        PreparedStatement read = connection.prepareStatement("SELECT prev_hash FROM " + db().tableName()
            + " WHERE booking_id = 'b-rehashed' AND sequence = 3")) {
      try (ResultSet rows = read.executeQuery()) {
        rows.next();
        String forgedHash = RowHasher.hash(forged, rows.getString(1));
        sql("UPDATE " + db().tableName() + " SET note = 'forged note', row_hash = ? WHERE booking_id = 'b-rehashed' "
            + "AND sequence = 3", forgedHash);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }

    ChainVerification result = jdbcTrail().verify("b-rehashed");
    assertThat(result.firstBrokenSequence()).hasValue(4);
    assertThat(result.problem()).contains("does not follow row 3");
  }

  @Test
  void shouldNotSeeADeletedLatestRowWithoutAnExternalAnchor() {
    appendFour("b-truncated");
    String anchor = jdbcTrail().verify("b-truncated").lastRowHash();
    sql("DELETE FROM " + db().tableName() + " WHERE booking_id = ? AND sequence = 4", "b-truncated");

    ChainVerification result = jdbcTrail().verify("b-truncated");
    // Honest limit: the remaining chain is intact; only a hash kept elsewhere shows the loss.
    assertThat(result.intact()).isTrue();
    assertThat(result.entriesChecked()).isEqualTo(3);
    assertThat(result.lastRowHash()).isNotEqualTo(anchor);
  }

  // ---- the host's transaction ----

  @Test
  void shouldRecordInTheHostTransactionAndCommitOrRollBackWithIt() throws SQLException {
    String hostTable = db().tableName() + "_host";
    db().execute("CREATE TABLE " + hostTable + " (id VARCHAR(64) PRIMARY KEY)");
    db().onCleanup("DROP TABLE IF EXISTS " + hostTable);
    BookingEngine engine = engine(trail(), new CountingPayments());

    for (boolean commit : new boolean[] {false, true}) {
      String bookingId = "b-host-" + commit;
      try (Connection connection = db().dataSource().getConnection()) {
        connection.setAutoCommit(false);
        BookingChange accepted = jdbcTrail().inTransaction(connection, () -> {
          engine.requestBooking(bookingId, Actor.customer("c-1"), "g-1", null);
          // Reads inside the work see the uncommitted creation through the same connection.
          return engine.perform(bookingId, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING, null);
        });
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + hostTable + " VALUES (?)")) {
          insert.setString(1, bookingId);
          insert.executeUpdate();
        }
        assertThat(accepted.entry().sequence()).isEqualTo(2);
        assertThat(connection.getAutoCommit()).isFalse();
        assertThat(countRows(bookingId)).as("nothing is visible before the host commits").isZero();
        if (commit) {
          connection.commit();
        } else {
          connection.rollback();
        }
      }
      assertThat(countRows(bookingId)).isEqualTo(commit ? 2 : 0);
      assertThat(jdbcTrail().history(bookingId)).hasSize(commit ? 2 : 0);
      try (Connection connection = db().dataSource().getConnection();
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + hostTable + " WHERE id = '" + bookingId + "'")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(commit ? 1 : 0);
      }
    }
    assertThat(jdbcTrail().verify("b-host-true").intact()).isTrue();
  }

  @Test
  void shouldAppendOnTheHostConnectionWithoutCommitting() throws SQLException {
    AuditEntry first = creation("b-host-append", T0);
    trail().append(first);
    AuditEntry second = next(first, "decline_booking", BookingState.DECLINED, T0.plusSeconds(1));
    try (Connection connection = db().dataSource().getConnection()) {
      connection.setAutoCommit(false);
      jdbcTrail().append(connection, second);
      assertThat(countRows("b-host-append")).isEqualTo(1);
      connection.rollback();
      jdbcTrail().append(connection, second);
      connection.commit();
    }
    assertThat(trail().history("b-host-append")).containsExactly(first, second);
  }

  // ---- faults ----

  @Test
  void shouldReleaseThePaymentWhenTheInsertLosesTheRaceAtThePrimaryKey() {
    JdbcAuditTrail plain = db().builder().build();
    HookedDataSource hooked = new HookedDataSource(db().dataSource());
    JdbcAuditTrail racing = JdbcAuditTrail.builder(hooked).withTableName(db().tableName()).build();
    CountingPayments payments = new CountingPayments();
    BookingEngine engine = engine(racing, payments);
    BookingEngine rival = engine(plain, new CountingPayments());
    Booking requested = engine.requestBooking("b-lost", Actor.customer("c-1"), "g-1", null).booking();
    // Between the accepting writer's read of the latest row and its insert, the GigSta declines.
    hooked.beforeInsert(connection -> rival.perform(requested, Actor.gigsta("g-1"), GigstaWorkflow.DECLINE_BOOKING));

    BookingChangedConcurrentlyException lost = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> engine.perform(requested, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING));

    assertThat(lost).isNotNull();
    assertThat(lost.bookingId()).isEqualTo("b-lost");
    assertThat(lost.attemptedSequence()).isEqualTo(2);
    assertThat(lost.getCause()).as("refused by the primary key, not by the read").isInstanceOf(SQLException.class);
    List<PaymentRequest> effective =
        payments.effectiveCalls().stream().map(CountingPayments.Call::request).toList();
    assertThat(effective).extracting(PaymentRequest::moment).containsExactly(PaymentMoment.SECURE, PaymentMoment.RELEASE);
    assertThat(effective).allSatisfy(request -> {
      assertThat(request.bookingId()).isEqualTo("b-lost");
      assertThat(request.sequence()).isEqualTo(2);
      assertThat(request.actionName()).isEqualTo(GigstaWorkflow.ACCEPT_BOOKING);
    });
    assertThat(plain.history("b-lost")).extracting(AuditEntry::actionName)
        .containsExactly(GigstaWorkflow.REQUEST_BOOKING, GigstaWorkflow.DECLINE_BOOKING);
    assertThat(plain.verify("b-lost").intact()).isTrue();
  }

  @Test
  void shouldKeepADoubleSubmittedPaymentWhenOneSubmitFailsForAnotherReasonWhileTheOtherAppends() throws Exception {
    // The first submit's connection dies just before its insert.
    RuntimeException failed = failOneOfTwoSubmits("b-double-fail",
        (failing, startSecond) -> failing.beforeInsert(connection -> {
          startSecond.run();
          killSession().run(connection);
        }));

    assertThat(failed).isInstanceOf(JdbcAuditTrailException.class).hasMessageContaining("nothing was recorded");
  }

  @Test
  void shouldKeepADoubleSubmittedPaymentWhenTheDatabaseRefusesOneSubmitsCommitWhileTheOtherAppends() throws Exception {
    // The database refuses the first submit's commit, as it does a deadlock victim, while the second one is
    // still appending: the loser cannot see the change that made it lose.
    RuntimeException failed = failOneOfTwoSubmits("b-double-refused",
        (failing, startSecond) -> failing.beforeCommit(connection -> {
          startSecond.run();
          throw new SQLException("Deadlock found when trying to get lock (refused by the test)", "40001", 1213);
        }));

    assertThat(failed).isInstanceOf(BookingChangedConcurrentlyException.class);
  }

  /*
   * The GigSta's acceptance is submitted twice, the second with the same key. The first one has secured
   * the payment and claimed the hold when `fault`, set on its data source, starts the second submit (whose
   * hold waits for the first one's claim) and makes the first one fail. The second commits only once the
   * first has given up, or has called the provider to release (which then waits for that commit). Checks
   * that the acceptance is recorded and its payment never released; returns what the first one threw.
   */
  private RuntimeException failOneOfTwoSubmits(String bookingId, BiConsumer<HookedDataSource, Runnable> fault)
      throws Exception {
    HookedDataSource failing = new HookedDataSource(unpooledDataSource());
    HookedDataSource appending = new HookedDataSource(db().dataSource());
    CountingPayments payments = new CountingPayments();
    BookingEngine first = engine(JdbcAuditTrail.builder(failing).withTableName(db().tableName())
        .withCreateTableIfMissing(true).build(), payments);
    BookingEngine second = engine(JdbcAuditTrail.builder(appending).withTableName(db().tableName()).build(), payments);
    Booking requested = first.requestBooking(bookingId, Actor.customer("c-1"), "g-1", null).booking();
    ExecutorService secondThread = Executors.newSingleThreadExecutor();
    AtomicReference<Future<BookingChange>> winning = new AtomicReference<>();
    CountDownLatch firstDone = new CountDownLatch(1);
    fault.accept(failing, () -> winning.set(secondThread.submit(
        () -> second.perform(requested, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING))));
    appending.beforeInsert(connection -> {
      for (int i = 0; i < 3_000 && firstDone.getCount() > 0 && payments.calls().stream()
          .noneMatch(call -> call.moment() == PaymentMoment.RELEASE); i++) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    });
    RuntimeException failed;
    try {
      failed = catchThrowableOfType(RuntimeException.class,
          () -> first.perform(requested, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING));
      firstDone.countDown();
      winning.get().get(60, TimeUnit.SECONDS);
    } finally {
      secondThread.shutdownNow();
    }
    assertThat(failed).isNotNull();
    String secureKey = bookingId + ":2:accept_booking:secure:1";
    assertThat(payments.calls()).extracting(call -> call.request().idempotencyKey())
        .containsExactly(secureKey, secureKey);
    assertThat(trail().history(bookingId)).extracting(AuditEntry::actionName)
        .containsExactly(GigstaWorkflow.REQUEST_BOOKING, GigstaWorkflow.ACCEPT_BOOKING);

    // Long after the hold's grace, the worker captures the recorded acceptance's payment; nothing released it.
    BookingEngine later = BookingEngine.builder().withAuditTrail(trail())
        .withClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).withPaymentHooks(payments.hooks()).build();
    DeliveryWorker.builder(later).build().drain();
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE);
    return failed;
  }

  @Test
  void shouldReportSuccessWhenTheCommitFailsAfterTheDatabaseStoredIt() {
    HookedDataSource hooked = new HookedDataSource(db().dataSource());
    JdbcAuditTrail trail = JdbcAuditTrail.builder(hooked).withTableName(db().tableName())
        .withCreateTableIfMissing(true).build();
    AuditEntry first = creation("b-ambiguous", T0);
    trail.append(first);
    AuditEntry second = next(first, "cancel_booking", BookingState.CANCELLED_BY_CUSTOMER, T0.plusSeconds(1));
    hooked.failAfterCommit();

    trail.append(second, PaymentMoment.RELEASE);

    assertThat(trail.history("b-ambiguous")).containsExactly(first, second);
    assertThat(trail.verify("b-ambiguous").intact()).isTrue();
    assertThat(trail.changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactly(first, second);
    assertThat(trail.claimDue(DeliveryWorker.SETTLEMENT, T0, T0, 10)).extracting(d -> d.change().entry())
        .containsExactly(second);
  }

  @Test
  void shouldRecordNeitherRowWhenAStatementOfTheAppendFailsBeforeTheCommit() {
    HookedDataSource hooked = new HookedDataSource(db().dataSource());
    JdbcAuditTrail trail = JdbcAuditTrail.builder(hooked).withTableName(db().tableName())
        .withCreateTableIfMissing(true).build();
    AuditEntry first = creation("b-half", T0);
    trail.append(first);
    // The audit row's INSERT runs, then reports a lost connection: inside the append's transaction that
    // is final, and the change row is never written.
    hooked.failAfterInsert();

    JdbcAuditTrailException failed = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> trail.append(next(first, "cancel_booking", BookingState.CANCELLED_BY_CUSTOMER, T0.plusSeconds(1)),
            PaymentMoment.RELEASE));

    assertThat(failed).isNotNull();
    assertThat(failed.getMessage()).contains("nothing was recorded");
    assertThat(trail.history("b-half")).containsExactly(first);
    assertThat(trail.changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactly(first);
    assertThat(trail.claimDue(DeliveryWorker.SETTLEMENT, T0, T0, 10)).isEmpty();
  }

  @Test
  void shouldRecordNothingWhenTheConnectionIsKilledBeforeTheInsert() {
    HookedDataSource hooked = new HookedDataSource(unpooledDataSource());
    JdbcAuditTrail trail = JdbcAuditTrail.builder(hooked).withTableName(db().tableName())
        .withCreateTableIfMissing(true).build();
    CountingPayments payments = new CountingPayments();
    BookingEngine engine = engine(trail, payments);
    Booking requested = engine.requestBooking("b-killed", Actor.customer("c-1"), "g-1", null).booking();
    hooked.beforeInsert(killSession());

    JdbcAuditTrailException failed = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> engine.perform(requested, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING));

    assertThat(failed).isNotNull();
    assertThat(failed.bookingId()).isEqualTo("b-killed");
    assertThat(failed.operation()).isEqualTo("append");
    assertThat(failed.getMessage()).contains("nothing was recorded");
    assertThat(failed.sqlState()).isNotNull();
    assertThat(trail.history("b-killed")).extracting(AuditEntry::sequence).containsExactly(1L);
    assertThat(trail.verify("b-killed").intact()).isTrue();
    // A double submit of the same acceptance may still be appending with the same key, so the payment is
    // not released here; a retry repeats its attempt.
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE);

    engine.perform(requested, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);

    assertThat(payments.calls()).extracting(call -> call.request().idempotencyKey())
        .containsExactly("b-killed:2:accept_booking:secure:1", "b-killed:2:accept_booking:secure:1");
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE);
    assertThat(trail.history("b-killed")).extracting(AuditEntry::sequence).containsExactly(1L, 2L);
  }

  @Test
  void shouldAppendInOneShortTransactionRestoringAutoCommitAndReadOnlyWhatItDoesNotRemember() throws SQLException {
    HookedDataSource hooked = new HookedDataSource(db().dataSource());
    JdbcAuditTrail trail = JdbcAuditTrail.builder(hooked).withTableName(db().tableName())
        .withCreateTableIfMissing(true).build();
    int selectsBefore = hooked.selects();
    List<AuditEntry> entries = new ArrayList<>(List.of(creation("b-autocommit", T0)));
    trail.append(entries.get(0));
    assertThat(hooked.selects() - selectsBefore).as("a creation continues nothing, so nothing is read").isZero();

    for (int i = 1; i < 4; i++) {
      entries.add(next(entries.get(i - 1), "step_" + i, i % 2 == 1 ? BookingState.ACCEPTED : BookingState.IN_PROGRESS,
          T0.plusSeconds(i)));
      trail.append(entries.get(i));
    }
    assertThat(hooked.selects() - selectsBefore).as("the rows it committed itself are not read again").isZero();

    JdbcAuditTrail forgetful = JdbcAuditTrail.builder(hooked).withTableName(db().tableName()).build();
    entries.add(next(entries.get(3), "step_4", BookingState.ACCEPTED, T0.plusSeconds(4)));
    forgetful.append(entries.get(4));
    assertThat(hooked.selects() - selectsBefore).as("a row it did not write is read").isEqualTo(1);

    assertThat(hooked.autoCommitChanges()).as("turned off and back on once per append").isEqualTo(2 * entries.size());
    try (Connection connection = hooked.getConnection()) {
      assertThat(connection.getAutoCommit()).isTrue();
    }
    assertThat(db().builder().build().history("b-autocommit")).containsExactlyElementsOf(entries);
    assertThat(trail.verify("b-autocommit").intact()).isTrue();
    assertThat(trail.changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactlyElementsOf(entries);
  }

  @Test
  void shouldLeaveASecondCreationOfTheSameBookingToThePrimaryKey() {
    JdbcAuditTrail trail = db().builder().build();
    AuditEntry first = creation("b-created-twice", T0);
    trail.append(first);
    AuditEntry again = creation("b-created-twice", T0.plusSeconds(1));

    BookingChangedConcurrentlyException refused = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> db().builder().build().append(again));

    assertThat(refused).isNotNull();
    assertThat(refused.attemptedSequence()).isEqualTo(1);
    assertThat(refused.getCause()).as("refused by the primary key").isInstanceOf(SQLException.class);
    assertThat(trail.history("b-created-twice")).containsExactly(first);
  }

  @Test
  void shouldNeitherRefuseAFreshEntryNorAcceptAStaleOneAfterAnotherTrailWroteInBetween() {
    JdbcAuditTrail mine = db().builder().build();
    JdbcAuditTrail theirs = db().builder().build();
    AuditEntry first = creation("b-two-trails", T0);
    AuditEntry second = next(first, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(1));
    mine.append(first);
    mine.append(second);
    // The other trail takes sequence 3, so the row mine remembers (2) is no longer the latest.
    AuditEntry third = next(second, "mark_in_progress", BookingState.IN_PROGRESS, T0.plusSeconds(2));
    theirs.append(third);

    AuditEntry stale = next(second, "cancel_booking", BookingState.CANCELLED_BY_GIGSTA, T0.plusSeconds(3));
    BookingChangedConcurrentlyException refused = catchThrowableOfType(BookingChangedConcurrentlyException.class,
        () -> mine.append(stale));
    assertThat(refused).as("a stale entry continuing the remembered row").isNotNull();
    assertThat(refused.attemptedSequence()).isEqualTo(3);
    assertThat(refused.getCause()).as("refused by the primary key").isInstanceOf(SQLException.class);

    AuditEntry fourth = next(third, "mark_completed", BookingState.COMPLETED, T0.plusSeconds(4));
    mine.append(fourth);
    // And the other way round: theirs remembers 3, mine wrote 4.
    AuditEntry staleAgain = next(third, "cancel_booking", BookingState.CANCELLED_BY_GIGSTA, T0.plusSeconds(5));
    assertThat(catchThrowableOfType(BookingChangedConcurrentlyException.class, () -> theirs.append(staleAgain)))
        .isNotNull();
    AuditEntry fifth = next(fourth, "reopen", BookingState.IN_PROGRESS, T0.plusSeconds(6));
    theirs.append(fifth);

    assertThat(mine.history("b-two-trails")).containsExactly(first, second, third, fourth, fifth);
    assertThat(theirs.verify("b-two-trails").intact()).isTrue();
  }

  @Test
  void shouldCommitAndConfirmOnConnectionsHandedOutWithoutAutoCommit() throws SQLException {
    HookedDataSource hooked = new HookedDataSource(db().dataSource()).withoutAutoCommit();
    JdbcAuditTrail trail = JdbcAuditTrail.builder(hooked).withTableName(db().tableName())
        .withCreateTableIfMissing(true).build();
    // build() puts its own connection back into auto-commit mode for the schema check; appends do not.
    int autoCommitChangesBefore = hooked.autoCommitChanges();
    AuditEntry first = creation("b-manual", T0);
    AuditEntry second = next(first, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(1));
    AuditEntry third = next(second, "mark_in_progress", BookingState.IN_PROGRESS, T0.plusSeconds(2));
    trail.append(first);
    trail.append(second);
    assertThatThrownBy(() -> trail.append(next(first, "decline_booking", BookingState.DECLINED, T0.plusSeconds(3))))
        .isInstanceOf(BookingChangedConcurrentlyException.class);
    hooked.failAfterCommit();

    trail.append(third);

    assertThat(hooked.autoCommitChanges()).isEqualTo(autoCommitChangesBefore);
    assertThat(db().builder().build().history("b-manual")).containsExactly(first, second, third);
    assertThat(trail.verify("b-manual").intact()).isTrue();
    try (Connection connection = hooked.getConnection()) {
      assertThat(connection.getAutoCommit()).isFalse();
      connection.rollback();
    }
  }

  @Test
  void shouldRecordNothingWhenTheConnectionIsKilledBeforeTheCommitOfAConnectionWithoutAutoCommit() {
    HookedDataSource hooked = new HookedDataSource(unpooledDataSource()).withoutAutoCommit();
    JdbcAuditTrail trail = JdbcAuditTrail.builder(hooked).withTableName(db().tableName())
        .withCreateTableIfMissing(true).build();
    AuditEntry first = creation("b-manual-killed", T0);
    trail.append(first);
    hooked.beforeCommit(killSession());

    JdbcAuditTrailException failed = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> trail.append(next(first, "accept_booking", BookingState.ACCEPTED, T0.plusSeconds(1))));

    assertThat(failed).isNotNull();
    assertThat(failed.getMessage()).contains("commit").contains("nothing was recorded");
    assertThat(trail.history("b-manual-killed")).containsExactly(first);
  }

  @Test
  void shouldRecordNothingWhenTheDatabaseRefusesWrites() {
    trail().append(creation("b-readonly", T0));
    DataSource readOnly = dataSourceWithOnly("SELECT");
    JdbcAuditTrail trail = JdbcAuditTrail.builder(readOnly).withTableName(db().tableName()).build();
    CountingPayments payments = new CountingPayments();
    BookingEngine engine = engine(trail, payments);

    JdbcAuditTrailException refused = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> engine.perform("b-readonly", Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING, null));

    assertThat(refused).isNotNull();
    assertThat(refused.bookingId()).isEqualTo("b-readonly");
    // PostgreSQL 42501, MariaDB 42000 (error 1142), H2 its own 90096: all "not enough rights".
    assertThat(refused.sqlState()).isIn("42501", "42000", "90096");
    assertThat(trail.history("b-readonly")).hasSize(1);
    assertThat(trail.verify("b-readonly").intact()).isTrue();
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE);

    // Nobody retries: once the hold's grace has passed, the settlement worker releases the payment.
    BookingEngine later = BookingEngine.builder().withAuditTrail(trail())
        .withClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6))).withPaymentHooks(payments.hooks()).build();
    DeliveryWorker.builder(later).build().drain();

    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.RELEASE);
    assertThat(payments.effectiveCalls(PaymentMoment.RELEASE)).extracting(call -> call.request().idempotencyKey())
        .containsExactly("b-readonly:2:accept_booking:release:1");
  }

  @Test
  void shouldWorkForAUserWithOnlyInsertAndSelectOnTheAuditTable() {
    db().builder().build();
    DataSource appUser = dataSourceWithOnly("SELECT, INSERT");
    JdbcAuditTrail trail = JdbcAuditTrail.builder(appUser).withTableName(db().tableName()).build();
    CountingPayments payments = new CountingPayments();
    BookingEngine engine = engine(trail, payments);
    DeliveryWorker worker = DeliveryWorker.builder(engine).withConsumer("emails", change -> { }).build();

    Booking booking = engine.requestBooking("b-app-user", Actor.customer("c-1"), "g-1", null).booking();
    Booking accepted = engine.perform(booking, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING).booking();
    engine.perform(accepted, Actor.customer("c-1"), GigstaWorkflow.CANCEL_BOOKING);

    assertThat(worker.drain().delivered()).as("the charge's capture, 1 refund and 3 emails").isEqualTo(5);
    assertThat(payments.effectiveCalls()).extracting(CountingPayments.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE, PaymentMoment.REFUND);
    assertThat(trail.history("b-app-user")).hasSize(3);
    assertThat(trail.verify("b-app-user").intact()).isTrue();
    assertThat(trail.findTimerCandidates(BookingState.CANCELLED_BY_CUSTOMER, Timepoint.STATE_ENTERED, null, null,
        Instant.now().plusSeconds(60), 5)).extracting(times -> times.latest().bookingId()).containsExactly("b-app-user");
    trail.advanceTimerSweep("app-user", T0);
    assertThat(trail.timerSweptTo("app-user")).contains(T0);
  }

  @Test
  void shouldWrapEveryDatabaseFailureNamingTheOperationAndBooking() {
    trail().append(creation("b-gone", T0));
    db().execute("DROP TABLE " + db().tableName());

    List<Runnable> operations = List.of(() -> trail().append(creation("b-gone-2", T0)),
        () -> trail().latest("b-gone"), () -> trail().history("b-gone"), () -> jdbcTrail().verify("b-gone"));
    List<String> names = List.of("append", "latest", "history", "verify");
    for (int i = 0; i < operations.size(); i++) {
      JdbcAuditTrailException failure = catchThrowableOfType(JdbcAuditTrailException.class, operations.get(i)::run);
      assertThat(failure).as(names.get(i)).isNotNull();
      assertThat(failure.operation()).isEqualTo(names.get(i));
      assertThat(failure.bookingId()).startsWith("b-gone");
      assertThat(failure.sqlState()).startsWith("42");
      assertThat(failure.getCause()).isInstanceOf(SQLException.class);
    }
    JdbcAuditTrailException query = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> trail().findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, T0, 1));
    assertThat(query.operation()).isEqualTo("findTimerCandidates");
    assertThat(query.bookingId()).isNull();
  }

  // ---- the engine on this trail ----

  @Test
  void shouldExpireEachOverdueRequestOnceWhenSeveralWorkersSweepAtOnce() throws Exception {
    Instant start = Instant.parse("2026-05-01T08:00:00Z");
    BookingEngine creator = BookingEngine.builder().withAuditTrail(trail())
        .withClock(Clock.fixed(start, ZoneOffset.UTC)).build();
    for (int i = 0; i < 30; i++) {
      Booking booking = creator.requestBooking("b-expire-" + i, Actor.customer("c-" + i), "g-" + i, null).booking();
      if (i % 3 == 0) {
        creator.perform(booking, Actor.gigsta("g-" + i), GigstaWorkflow.ACCEPT_BOOKING);
      }
    }
    // Without a scheduled start, a request expires 6 days after it was made.
    Instant due = start.plus(Duration.ofDays(6));
    assertThat(worker(due.minusNanos(1_000)).runOnce().timersFired()).as("a microsecond early").isZero();

    // Several workers, each with a trail of its own as separate processes would have.
    int workers = 4;
    List<DeliveryWorker> sweepers = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      sweepers.add(worker(due));
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<DeliveryWorker.Sweep>> runs = new ArrayList<>();
    for (DeliveryWorker sweeper : sweepers) {
      runs.add(pool.submit(() -> {
        go.await();
        return sweeper.runOnce();
      }));
    }
    go.countDown();
    List<DeliveryWorker.Sweep> sweeps = new ArrayList<>();
    for (Future<DeliveryWorker.Sweep> run : runs) {
      sweeps.add(run.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    DeliveryWorker.Sweep after = sweepers.get(0).drain();

    System.out.printf("%s expiry by %d workers at once: sweeps %s, then %s%n", db().kind(), workers, sweeps, after);
    assertThat(sweeps.stream().mapToInt(DeliveryWorker.Sweep::timersFired).sum()).as("taken directly")
        .isBetween(1, 20);
    for (int i = 0; i < 30; i++) {
      List<AuditEntry> history = trail().history("b-expire-" + i);
      assertThat(history).as("b-expire-" + i).hasSize(2);
      assertThat(history.get(1).toState()).isEqualTo(i % 3 == 0 ? BookingState.ACCEPTED : BookingState.EXPIRED);
    }
    assertThat(trail().findTimerCandidates(BookingState.REQUESTED, Timepoint.CREATED, null, null, Instant.MAX, 100))
        .isEmpty();
    assertThat(trail().deadLetterCount(Delivery.TIMERS)).isZero();
  }

  private DeliveryWorker worker(Instant now) {
    BookingEngine engine = BookingEngine.builder().withAuditTrail(db().builder().build())
        .withClock(Clock.fixed(now, ZoneOffset.UTC)).build();
    return DeliveryWorker.builder(engine).build();
  }

  @Test
  void shouldLetExactlyOneOfSixteenThreadsWinEachEngineRace() throws Exception {
    int threads = 16;
    int bookings = 300;
    BookingEngine engine = engine(trail(), new CountingPayments());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < bookings; i++) {
      ids.add(engine.requestBooking("b-thread-" + i, Actor.customer("c-" + i), "g-" + i, null).booking().id());
    }
    Race race = Race.create();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 1; round <= 2; round++) {
        List<Booking> snapshots = ids.stream().map(engine::load).filter(b -> Race.attemptFor(b, 0) != null).toList();
        int current = round;
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < snapshots.size(); i++) {
              race.add(Race.contend(engine, snapshots.get(i), current, thread + i));
            }
          }));
        }
        for (Future<?> each : done) {
          each.get(120, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    race.check(db().kind() + " engine race, " + threads + " threads", jdbcTrail());
  }

  @Test
  void shouldLetExactlyOneProcessWinEachEngineRace() throws Exception {
    int processes = 3;
    int bookings = 400;
    SharedDatabase shared = sharedDatabase();
    JdbcAuditTrail trail = JdbcAuditTrail.builder(shared.dataSource()).withTableName(shared.table())
        .withCreateTableIfMissing(true).build();
    BookingEngine engine = engine(trail, new CountingPayments());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < bookings; i++) {
      ids.add(engine.requestBooking("b-process-" + i, Actor.customer("c-" + i), "g-" + i, null).booking().id());
    }
    Race race = Race.create();
    for (int round = 1; round <= 2; round++) {
      List<String> open = ids.stream().filter(id -> Race.attemptFor(engine.load(id), 0) != null).toList();
      long startAt = System.currentTimeMillis() + 1_000;
      List<Process> children = new ArrayList<>();
      for (int worker = 0; worker < processes; worker++) {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.org.mariadb.jdbc=error",
            RaceWorker.class.getName(), shared.url(), shared.user(),
            shared.password().isEmpty() ? "-" : shared.password(), shared.table(), Integer.toString(worker), "4",
            Long.toString(startAt), Integer.toString(round)));
        command.addAll(open);
        children.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
      }
      List<BufferedReader> outputs = new ArrayList<>();
      for (Process child : children) {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the worker loaded its snapshots").isEqualTo("READY");
        outputs.add(out);
      }
      for (Process child : children) {
        child.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().flush();
      }
      for (int i = 0; i < children.size(); i++) {
        boolean done = false;
        try (BufferedReader out = outputs.get(i)) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("OUTCOME ")) {
              race.add(Race.Outcome.parse(line));
            } else if (line.equals("DONE")) {
              done = true;
            }
          }
        }
        Process child = children.get(i);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(done).as("the worker finished").isTrue();
      }
    }
    race.check(db().kind() + " engine race, " + processes + " JVMs x 4 threads", trail);
  }
}
