package com.gigsta.booking.jdbc;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.DECLINED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.AuditEntryCorruptedException;
import com.gigsta.booking.AuditTrailException;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.MigrationResult;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.WorkflowMigration;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.jdbc.internal.AuditTable;
import com.gigsta.booking.jdbc.internal.ChangeTable;
import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.jdbc.internal.RowHasher;
import com.gigsta.booking.jdbc.internal.SchemaScript;
import com.gigsta.booking.jdbc.internal.StoredRow;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the JDBC trail does with workflow versions on each database: the fifth schema script's upgrade of
 * a populated fourth-version table, whose bookings an engine of the next version still lists and performs
 * by the first version's rules until it migrates them; versions stored exactly and chained; hand edits of
 * them shown by verify or refused on reading; and the pages a migration reads. One subclass per database.
 */
abstract class JdbcWorkflowVersionsTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");
  private static final Instant START = T0.plus(Duration.ofDays(7));
  private static final Money PRICE = Money.of(8_000, "EUR");

  /** Version 1 of the default workflow, which every booking recorded before bookings were pinned follows. */
  private static final Workflow V1 = Workflow.gigsta();
  /**
   * Version 2: a customer can no longer withdraw a request nobody answered yet, and the GigSta's decline
   * is labelled and noted otherwise.
   */
  private static final Workflow V2 = V1.toBuilder().version(2)
      .removeRule(REQUESTED, GigstaWorkflow.CANCEL_BOOKING, Role.CUSTOMER)
      .removeRule(REQUESTED, GigstaWorkflow.DECLINE_BOOKING, Role.GIGSTA)
      .action(GigstaWorkflow.DECLINE_BOOKING).by(Role.GIGSTA).from(REQUESTED).to(DECLINED)
          .label("Turn down request").note("Request turned down by GigSta").critical(true).add()
      .build();
  private static final WorkflowMigration TO_V2 = WorkflowMigration.between(V1, V2)
      .map(REQUESTED, REQUESTED).map(ACCEPTED, ACCEPTED).stay(IN_PROGRESS).build();
  private static final Actor OPERATOR = Actor.operator("olga");

  // Handed in by each database's subclass; JUnit finds the extension on this field of the superclass.
  @RegisterExtension
  final DatabaseExtension db;

  JdbcWorkflowVersionsTest(DatabaseExtension db) {
    this.db = db;
  }

  private Dialect dialect() {
    return switch (db.kind()) {
      case H2 -> Dialect.H2;
      case POSTGRESQL -> Dialect.POSTGRESQL;
      case MARIADB -> Dialect.MARIADB;
    };
  }

  // ---- upgrading a fourth-version table ----

  @Test
  void shouldUpgradeAFourthVersionTableInPlaceAndLetTheNextVersionsEngineActOnAndMigrateItsBookings()
      throws SQLException {
    for (String script : List.of(Dialect.SCRIPT_V1, Dialect.SCRIPT_V2, Dialect.SCRIPT_V3, Dialect.SCRIPT_V4)) {
      db.execute(SchemaScript.statements(dialect(), script, db.tableName()).toArray(String[]::new));
    }
    Map<String, List<AuditEntry>> old = writeAsTheFourthVersionDid(List.of(
        oldBooking("b-old-accepted", PRICE, GigstaWorkflow.ACCEPT_BOOKING),
        oldBooking("b-old-completed", PRICE, GigstaWorkflow.ACCEPT_BOOKING, GigstaWorkflow.MARK_IN_PROGRESS,
            GigstaWorkflow.MARK_COMPLETED),
        oldBooking("b-old-declined", null, GigstaWorkflow.DECLINE_BOOKING),
        oldBooking("b-old-in-progress", null, GigstaWorkflow.ACCEPT_BOOKING, GigstaWorkflow.MARK_IN_PROGRESS),
        oldBooking("b-old-requested", PRICE),
        oldBooking("b-old-requested-free", null)));
    List<String> before = auditRows();

    JdbcAuditTrailException notUpgraded = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(notUpgraded).isNotNull();
    assertThat(notUpgraded.getMessage()).contains(db.tableName(), Dialect.SCRIPT_V5, "withCreateTableIfMissing");

    JdbcAuditTrail trail = db.builder().build();

    assertThat(auditRows()).as("the fourth version's rows, as they were").isEqualTo(before);
    assertThat(storedVersions("b-old-completed")).as("no version on rows written before").containsOnly("- -");
    for (Map.Entry<String, List<AuditEntry>> booking : old.entrySet()) {
      assertThat(trail.history(booking.getKey())).as(booking.getKey()).containsExactlyElementsOf(booking.getValue())
          .allSatisfy(entry -> assertThat(entry.workflowVersion()).isNull());
      assertThat(trail.verify(booking.getKey()).intact()).as(booking.getKey()).isTrue();
    }
    assertThat(trail.history("b-old-completed")).extracting(AuditEntry::price).containsOnly(PRICE);

    SteppingClock clock = new SteppingClock(T0.plus(Duration.ofHours(1)));
    BookingEngine engine = BookingEngine.builder().withWorkflow(V2).withEarlierVersions(V1).withAuditTrail(trail)
        .withClock(clock).build();
    assertThat(engine.workflowVersionsInUse()).containsExactly(entry(V1.workflowVersion(), 6L));
    assertThat(engine.missingWorkflowVersions()).isEmpty();
    assertThat(BookingEngine.builder().withWorkflow(V2).withAuditTrail(trail).build().missingWorkflowVersions())
        .as("an engine without version 1").containsExactly(entry(V1.workflowVersion(), 6L));

    // The old bookings are listed and performed by version 1's rules, and go on without a version.
    assertThat(labels(engine, "b-old-requested", Actor.gigsta("g-1")))
        .containsExactly("accept_booking Accept booking", "decline_booking Decline booking");
    assertThat(labels(engine, "b-old-requested", Actor.customer("c-1")))
        .containsExactly("cancel_booking Cancel booking");
    BookingChange withdrawn = engine.perform("b-old-requested", Actor.customer("c-1"), GigstaWorkflow.CANCEL_BOOKING,
        "Found someone closer");
    assertThat(withdrawn.entry().workflowVersion()).isNull();
    assertThat(withdrawn.entry().price()).isEqualTo(PRICE);
    // New bookings are pinned to version 2 and follow its rules.
    BookingChange requested = engine.requestBooking("b-new", Actor.customer("c-1"), "g-1", START, PRICE);
    assertThat(requested.entry().workflowVersion()).isEqualTo(V2.workflowVersion());
    assertThat(labels(engine, "b-new", Actor.gigsta("g-1")))
        .containsExactly("accept_booking Accept booking", "decline_booking Turn down request");
    assertThat(labels(engine, "b-new", Actor.customer("c-1"))).isEmpty();
    assertThat(engine.workflowVersionsInUse())
        .containsExactly(entry(V1.workflowVersion(), 6L), entry(V2.workflowVersion(), 1L));

    clock.advance(Duration.ofMinutes(1));
    MigrationResult result = engine.migrateAll(TO_V2, OPERATOR, "Version 2 for every open booking");
    MigrationResult again = engine.migrateAll(TO_V2, OPERATOR, "Version 2 for every open booking");

    System.out.printf("%s upgrade to V5: %d fourth-version bookings with %d rows; migration %s, then %s%n",
        db.kind(), old.size(), before.size(), result, again);
    assertThat(result).as("requested and accepted moved; in progress and ended stay")
        .isEqualTo(new MigrationResult(2, 4, 0));
    assertThat(again).isEqualTo(new MigrationResult(0, 4, 0));
    JdbcAuditTrail reader = db.builder().build();
    for (String moved : List.of("b-old-accepted", "b-old-requested-free")) {
      List<AuditEntry> history = reader.history(moved);
      AuditEntry migration = history.get(history.size() - 1);
      assertThat(history.subList(0, history.size() - 1)).isEqualTo(old.get(moved));
      assertThat(migration.actionName()).isEqualTo(WorkflowMigration.ACTION_NAME);
      assertThat(migration.workflowVersion()).isEqualTo(V2.workflowVersion());
      assertThat(migration.actor()).isEqualTo(OPERATOR);
      assertThat(migration.fromState()).isEqualTo(migration.toState());
      assertThat(migration.reason()).isEqualTo("Version 2 for every open booking");
      assertThat(storedVersions(moved)).last().isEqualTo("gigsta 2");
    }
    for (String id : List.of("b-old-accepted", "b-old-completed", "b-old-declined", "b-old-in-progress",
        "b-old-requested", "b-old-requested-free", "b-new")) {
      assertThat(reader.verify(id).intact()).as(id).isTrue();
    }
    assertThat(engine.workflowVersionsInUse())
        .containsExactly(entry(V1.workflowVersion(), 4L), entry(V2.workflowVersion(), 3L));
    assertThat(reader.findPinnedTo(V1.workflowVersion(), V1.workflowVersion(), null, 100))
        .extracting(AuditEntry::bookingId)
        .containsExactly("b-old-completed", "b-old-declined", "b-old-in-progress", "b-old-requested");
    // Once moved, a booking follows version 2.
    assertThat(labels(engine, "b-old-requested-free", Actor.gigsta("g-1")))
        .containsExactly("accept_booking Accept booking", "decline_booking Turn down request");
    assertThat(engine.perform("b-old-requested-free", Actor.gigsta("g-1"), GigstaWorkflow.DECLINE_BOOKING, null)
        .entry().note()).isEqualTo("Request turned down by GigSta");
    assertThat(reader.verify("b-old-requested-free").intact()).isTrue();
  }

  // ---- stored and chained ----

  @Test
  void shouldReadBackEveryEntryTheEnginesWriteWithItsVersionAndChainThemMigrationIncluded() {
    JdbcAuditTrail trail = db.builder().build();
    CountingPayments payments = new CountingPayments();
    SteppingClock clock = new SteppingClock(T0);
    BookingEngine first = BookingEngine.builder().withWorkflow(V1).withAuditTrail(trail)
        .withPaymentHooks(payments.hooks()).withClock(clock).build();
    Map<String, List<AuditEntry>> recorded = new LinkedHashMap<>();
    List<AuditEntry> charged = new ArrayList<>();
    BookingChange change = first.requestBooking("b-charged", Actor.customer("c-1"), "g-1", START, PRICE);
    charged.add(change.entry());
    for (String action : List.of(GigstaWorkflow.ACCEPT_BOOKING, GigstaWorkflow.MARK_IN_PROGRESS)) {
      clock.advance(Duration.ofMinutes(1));
      change = first.perform(change.booking(), Actor.gigsta("g-1"), action);
      charged.add(change.entry());
    }
    recorded.put("b-charged", charged);
    BookingChange moving = first.requestBooking("b-moving", Actor.customer("c-2"), "g-1", START);
    // Version 2 deployed: an engine hosting both moves the request over and acts on it by version 2.
    BookingEngine second = BookingEngine.builder().withWorkflow(V2).withEarlierVersions(V1).withAuditTrail(trail)
        .withPaymentHooks(payments.hooks()).withClock(clock).build();
    clock.advance(Duration.ofMinutes(1));
    BookingChange moved = second.migrate("b-moving", TO_V2, OPERATOR, "Version 2 for every open booking")
        .orElseThrow();
    clock.advance(Duration.ofMinutes(1));
    BookingChange declined = second.perform(moved.booking(), Actor.gigsta("g-1"), GigstaWorkflow.DECLINE_BOOKING);
    recorded.put("b-moving", List.of(moving.entry(), moved.entry(), declined.entry()));

    // A trail that did not write the rows reads them from the table, not from its memory.
    JdbcAuditTrail reader = db.builder().build();
    for (Map.Entry<String, List<AuditEntry>> booking : recorded.entrySet()) {
      assertThat(reader.history(booking.getKey())).as(booking.getKey()).containsExactlyElementsOf(booking.getValue());
      assertThat(reader.verify(booking.getKey()).intact()).as(booking.getKey()).isTrue();
    }
    assertThat(reader.history("b-charged")).extracting(AuditEntry::workflowVersion)
        .containsOnly(V1.workflowVersion());
    assertThat(reader.history("b-moving")).extracting(AuditEntry::workflowVersion)
        .containsExactly(V1.workflowVersion(), V2.workflowVersion(), V2.workflowVersion());
    assertThat(storedVersions("b-moving")).containsExactly("gigsta 1", "gigsta 2", "gigsta 2");
    assertThat(reader.latest("b-charged")).contains(charged.get(2));
    assertThat(moved.entry().note()).isEqualTo("Moved from workflow gigsta v1 (REQUESTED) to gigsta v2 (REQUESTED)");
    assertThat(payments.effectiveCalls(PaymentMoment.SECURE)).hasSize(1);
  }

  @Test
  void shouldReportEveryHandEditOfAStoredWorkflowVersionAsNotIntactAtItsSequence() {
    JdbcAuditTrail trail = db.builder().build();
    BookingEngine engine = BookingEngine.builder().withWorkflow(V2).withEarlierVersions(V1).withAuditTrail(trail)
        .withClock(new SteppingClock(T0)).build();
    Map<String, String> edits = new LinkedHashMap<>();
    edits.put("another version", "workflow_version = 3");
    edits.put("another workflow", "workflow_name = 'gigsta-x'");
    edits.put("the version removed", "workflow_name = NULL, workflow_version = NULL");
    int index = 0;
    for (Map.Entry<String, String> edit : edits.entrySet()) {
      String bookingId = "b-edited-" + index++;
      List<AuditEntry> entries = threeEntries(engine, bookingId);
      update(edit.getValue(), bookingId, 2);

      ChainVerification result = trail.verify(bookingId);

      assertThat(result.intact()).as(edit.getKey()).isFalse();
      assertThat(result.firstBrokenSequence()).as(edit.getKey()).hasValue(2);
      assertThat(result.problem()).as(edit.getKey()).contains("row 2 was altered");
      List<AuditEntry> history = trail.history(bookingId);
      assertThat(history.get(1)).as("%s, read as stored", edit.getKey()).isNotEqualTo(entries.get(1));
      assertThat(history).as(edit.getKey()).containsSubsequence(entries.get(0), entries.get(2));
    }
    // A version put on a row recorded without one: the row now hashes in the third format.
    AuditEntry old = new AuditEntry("b-edited-old", 1, GigstaWorkflow.REQUEST_BOOKING, Role.CUSTOMER, "c-1", "c-1",
        "g-1", null, REQUESTED, T0, "Booking requested by customer", null, START);
    trail.append(old);
    update("workflow_name = 'gigsta', workflow_version = 1", "b-edited-old", 1);
    assertThat(trail.verify("b-edited-old").firstBrokenSequence()).hasValue(1);
    assertThat(trail.latest("b-edited-old")).map(AuditEntry::workflowVersion).contains(V1.workflowVersion());
  }

  @Test
  void shouldRefuseALatestRowWhoseWorkflowColumnsMakeNoVersionWhereverItIsRead() {
    JdbcAuditTrail trail = db.builder().build();
    BookingEngine engine = BookingEngine.builder().withWorkflow(V1).withAuditTrail(trail)
        .withClock(new SteppingClock(T0)).build();
    engine.requestBooking("b-intact", Actor.customer("c-1"), "g-1", START);
    Map<String, String> edits = new LinkedHashMap<>();
    edits.put("a name without its number", "workflow_version = NULL");
    edits.put("a number without its name", "workflow_name = NULL");
    edits.put("a number below 1", "workflow_version = 0");
    if (db.kind() != DatabaseExtension.Kind.MARIADB) {
      // H2 and PostgreSQL check the pair on every row written (MariaDB would copy the table to add the
      // check); without it, the trail still refuses such rows on reading.
      for (Map.Entry<String, String> edit : edits.entrySet()) {
        assertThatThrownBy(() -> update(edit.getValue(), "b-intact", 1)).as("the check refuses %s", edit.getKey())
            .isInstanceOf(IllegalStateException.class);
      }
      db.execute("ALTER TABLE " + db.tableName() + " DROP CONSTRAINT " + db.tableName() + "_workflow_ck");
    }
    edits.put("a name that is no workflow name", "workflow_name = 'Not A Name'");
    int index = 0;
    for (Map.Entry<String, String> edit : edits.entrySet()) {
      String bookingId = "b-no-version-" + index++;
      engine.requestBooking(bookingId, Actor.customer("c-1"), "g-1", START);
      engine.perform(bookingId, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING, null);
      update(edit.getValue(), bookingId, 2);

      assertCorrupted(edit.getKey(), bookingId, () -> trail.history(bookingId));
      assertCorrupted(edit.getKey(), bookingId, () -> db.builder().build().latest(bookingId));
      assertCorrupted(edit.getKey(), bookingId, () -> trail.workflowVersionsInUse(V1.workflowVersion()));
      assertThat(trail.verify(bookingId).firstBrokenSequence()).as(edit.getKey()).hasValue(2);
      if (edit.getValue().contains("NULL")) {
        // Half a version is found whatever version is sought, so that no migration passes it over.
        for (WorkflowVersion sought : List.of(V1.workflowVersion(), WorkflowVersion.of("other", 9))) {
          assertCorrupted(edit.getKey(), bookingId, () -> trail.findPinnedTo(sought, V1.workflowVersion(), null, 10));
        }
      }
      update("workflow_name = 'gigsta', workflow_version = 1", bookingId, 2);
    }
    assertThat(trail.workflowVersionsInUse(V1.workflowVersion())).containsExactly(entry(V1.workflowVersion(), 5L));
  }

  // ---- the pages of a migration ----

  @Test
  void shouldPageThroughTheBookingsPinnedToAVersionLeavingOutThoseMigratedAway() {
    JdbcAuditTrail trail = db.builder().build();
    SteppingClock clock = new SteppingClock(T0);
    BookingEngine first = BookingEngine.builder().withWorkflow(V1).withAuditTrail(trail).withClock(clock).build();
    // Requested out of id order.
    for (int i : new int[] {4, 1, 7, 2, 6, 3, 5}) {
      first.requestBooking("b-page-" + i, Actor.customer("c-1"), "g-1", START);
    }
    first.perform("b-page-3", Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING, null);
    BookingEngine second = BookingEngine.builder().withWorkflow(V2).withEarlierVersions(V1).withAuditTrail(trail)
        .withClock(clock).build();
    for (String id : List.of("b-page-2", "b-page-6")) {
      second.migrate(id, TO_V2, OPERATOR, "Version 2 for these two");
    }

    List<List<String>> pages = new ArrayList<>();
    String after = null;
    List<AuditEntry> page;
    do {
      page = trail.findPinnedTo(V1.workflowVersion(), V1.workflowVersion(), after, 2);
      pages.add(page.stream().map(AuditEntry::bookingId).toList());
      for (AuditEntry latest : page) {
        assertThat(trail.latest(latest.bookingId())).contains(latest);
      }
      after = page.isEmpty() ? after : page.get(page.size() - 1).bookingId();
    } while (page.size() == 2 && pages.size() <= 10);

    assertThat(pages).containsExactly(List.of("b-page-1", "b-page-3"), List.of("b-page-4", "b-page-5"),
        List.of("b-page-7"));
    assertThat(trail.findPinnedTo(V2.workflowVersion(), V1.workflowVersion(), null, 2))
        .extracting(AuditEntry::bookingId).containsExactly("b-page-2", "b-page-6");
    assertThat(trail.findPinnedTo(V1.workflowVersion(), V1.workflowVersion(), "b-page-3", 2).get(0).bookingId())
        .isEqualTo("b-page-4");
  }

  // ---- helpers ----

  /** A booking as the fourth version's trail stored it: its creation and then the actions, all by version 1. */
  private record OldBooking(String id, Money price, List<String> actions) {}

  private static OldBooking oldBooking(String id, Money price, String... actions) {
    return new OldBooking(id, price, List.of(actions));
  }

  /*
   * Writes the bookings as the fourth version's trail did: each audit row, without a version and hashed
   * in the first or second format, with its change row, in one transaction. Their entries are made by a
   * version 1 engine in memory, then stripped of the version no entry had then.
   */
  private Map<String, List<AuditEntry>> writeAsTheFourthVersionDid(List<OldBooking> bookings) throws SQLException {
    SteppingClock clock = new SteppingClock(T0);
    BookingEngine memory = BookingEngine.builder().withWorkflow(V1).withClock(clock).build();
    ChangeTable changes = new ChangeTable(new AuditTable(db.tableName()));
    Map<String, List<AuditEntry>> written = new LinkedHashMap<>();
    try (Connection connection = db.dataSource().getConnection()) {
      for (OldBooking booking : bookings) {
        BookingChange change = booking.price() == null
            ? memory.requestBooking(booking.id(), Actor.customer("c-1"), "g-1", START)
            : memory.requestBooking(booking.id(), Actor.customer("c-1"), "g-1", START, booking.price());
        for (String action : booking.actions()) {
          clock.advance(Duration.ofMinutes(1));
          change = memory.perform(change.booking(), Actor.gigsta("g-1"), action);
        }
        List<AuditEntry> entries = memory.history(booking.id()).stream().map(JdbcWorkflowVersionsTest::unpinned)
            .toList();
        String prevHash = RowHasher.GENESIS;
        for (AuditEntry entry : entries) {
          connection.setAutoCommit(false);
          StoredRow row = new StoredRow(entry, prevHash, RowHasher.hash(entry, prevHash));
          OldRows.insertWithMoney(connection, db.tableName(), row);
          changes.insert(connection, entry.bookingId(), entry.sequence(), PaymentMoment.NONE);
          connection.commit();
          connection.setAutoCommit(true);
          prevHash = row.rowHash();
        }
        written.put(booking.id(), entries);
      }
    }
    return written;
  }

  private static AuditEntry unpinned(AuditEntry entry) {
    return new AuditEntry(entry.bookingId(), entry.sequence(), entry.actionName(), entry.actorRole(),
        entry.actorId(), entry.customerId(), entry.gigstaId(), entry.fromState(), entry.toState(),
        entry.occurredAt(), entry.note(), entry.reason(), entry.scheduledStart(), entry.price(), entry.amount(),
        entry.fee());
  }

  private static List<AuditEntry> threeEntries(BookingEngine engine, String bookingId) {
    BookingChange requested = engine.requestBooking(bookingId, Actor.customer("c-1"), "g-1", START);
    BookingChange accepted = engine.perform(requested.booking(), Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
    BookingChange started = engine.perform(accepted.booking(), Actor.gigsta("g-1"), GigstaWorkflow.MARK_IN_PROGRESS);
    return List.of(requested.entry(), accepted.entry(), started.entry());
  }

  // The actions listed to the actor, each as its name and label.
  private static List<String> labels(BookingEngine engine, String bookingId, Actor actor) {
    return engine.getAvailableBookingActions(bookingId, actor).stream()
        .map((BookingAction action) -> action.actionName() + " " + action.buttonLabel()).toList();
  }

  private static void assertCorrupted(String edit, String bookingId, Runnable read) {
    AuditEntryCorruptedException corrupted = catchThrowableOfType(AuditEntryCorruptedException.class, read::run);
    assertThat(corrupted).as("reading after %s", edit).isNotNull();
    assertThat(corrupted.bookingId()).as(edit).isEqualTo(bookingId);
    assertThat(corrupted.sequence()).as(edit).isEqualTo(2);
    assertThat(corrupted.getCause()).as("the original failure of %s", edit).isNotNull()
        .isNotInstanceOf(AuditTrailException.class);
  }

  private void update(String assignment, String bookingId, long sequence) {
    try (Connection connection = db.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("UPDATE " + db.tableName() + " SET " + assignment
            + " WHERE booking_id = ? AND sequence = ?")) {
      statement.setString(1, bookingId);
      statement.setLong(2, sequence);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    } catch (SQLException e) {
      throw new IllegalStateException("could not set " + assignment, e);
    }
  }

  // The booking's stored workflow columns in sequence order: name and number ("-" for none).
  private List<String> storedVersions(String bookingId) {
    return query("SELECT workflow_name, workflow_version FROM " + db.tableName()
        + " WHERE booking_id = ? ORDER BY sequence", bookingId);
  }

  // The audit table's rows, the columns of the first and fourth schema scripts as the driver reads them.
  private List<String> auditRows() {
    return query("SELECT booking_id, sequence, action_name, actor_role, actor_id, customer_id, gigsta_id, from_state, "
        + "to_state, occurred_at, note, reason, scheduled_start, price_minor, price_currency, amount_minor, "
        + "fee_minor, prev_hash, row_hash FROM " + db.tableName() + " WHERE booking_id <> ? ORDER BY booking_id, "
        + "sequence", "-");
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
}
