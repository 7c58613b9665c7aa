package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.CANCELLED_BY_CUSTOMER;
import static com.gigsta.booking.BookingState.COMPLETED;
import static com.gigsta.booking.BookingState.EXPIRED;
import static com.gigsta.booking.BookingState.IN_PROGRESS;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Workflow versions: each booking is pinned to the version it was created under, one engine hosts several
 * versions, and only an explicit migration moves a booking to a later one.
 */
class WorkflowVersionsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final BookingState DISPUTED = BookingState.of("DISPUTED");
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private static final Actor OPERATOR = Actor.operator("olga");

  private static final Workflow V1 = Workflow.gigsta();
  // Version 2: customers may open a dispute on an accepted booking, which an operator settles.
  private static final Workflow V2 = V1.toBuilder().version(2)
      .action("open_dispute").by(Role.CUSTOMER).from(ACCEPTED, IN_PROGRESS).to(DISPUTED)
          .label("Report a problem").note("Customer opened a dispute").add()
      .action("resolve_for_customer").by(Role.OPERATOR).from(DISPUTED).to(CANCELLED_BY_CUSTOMER)
          .label("Refund the customer").note("Dispute resolved for the customer").critical(true)
          .payment(PaymentMoment.REFUND).add()
      .action("resolve_for_gigsta").by(Role.OPERATOR).from(DISPUTED).to(COMPLETED)
          .label("Pay the GigSta").note("Dispute resolved for the GigSta").payment(PaymentMoment.PAYOUT).add()
      .build();
  private static final WorkflowMigration ACCEPTED_TO_V2 = WorkflowMigration.between(V1, V2)
      .map(ACCEPTED, ACCEPTED).map(IN_PROGRESS, IN_PROGRESS).stay(REQUESTED).build();

  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();
  private final BookingEngine v1Engine = engine(V1);
  private final BookingEngine v2Engine = engine(V2, V1);

  private BookingEngine engine(Workflow current, Workflow... earlier) {
    return BookingEngine.builder().withWorkflow(current).withEarlierVersions(earlier).withAuditTrail(trail)
        .withClock(clock).build();
  }

  private static List<String> names(List<BookingAction> actions) {
    return actions.stream().map(BookingAction::actionName).toList();
  }

  private Booking accepted(BookingEngine engine, String bookingId) {
    engine.requestBooking(bookingId, CUSTOMER, "g-1", null);
    return engine.perform(bookingId, GIGSTA, GigstaWorkflow.ACCEPT_BOOKING, null).booking();
  }

  @Test
  void shouldPinEveryEntryOfABookingToTheVersionItWasCreatedUnder() {
    accepted(v1Engine, "old");
    accepted(v2Engine, "new");

    assertThat(trail.history("old")).extracting(AuditEntry::workflowVersion)
        .containsOnly(WorkflowVersion.of("gigsta", 1));
    assertThat(trail.history("new")).extracting(AuditEntry::workflowVersion)
        .containsOnly(WorkflowVersion.of("gigsta", 2));
    assertThat(v2Engine.load("old").workflowVersion()).isEqualTo(V1.workflowVersion());
    assertThat(v2Engine.workflows()).extracting(Workflow::version).containsExactly(1, 2);
    assertThat(v2Engine.workflow()).isSameAs(V2);
  }

  @Test
  void shouldOfferBookingsInTheSameStateTheActionsOfTheirOwnVersion() {
    Booking old = accepted(v1Engine, "old");
    Booking fresh = accepted(v2Engine, "new");

    assertThat(old.state()).isEqualTo(fresh.state());
    assertThat(names(v2Engine.getAvailableBookingActions(old, CUSTOMER))).containsExactly("cancel_booking");
    assertThat(names(v2Engine.getAvailableBookingActions(fresh, CUSTOMER)))
        .containsExactly("cancel_booking", "open_dispute");
    assertThatThrownBy(() -> v2Engine.perform("old", CUSTOMER, "open_dispute", null))
        .as("version 1, which the booking is pinned to, has no such action")
        .isInstanceOf(UnknownActionException.class)
        .hasMessageContaining("'open_dispute' by CUSTOMER:c-1 on booking 'old' in state ACCEPTED");
    assertThat(v2Engine.perform("new", CUSTOMER, "open_dispute", "It rained").booking().state())
        .isEqualTo(DISPUTED);
    assertThat(v2Engine.history("old")).hasSize(2);
  }

  @Test
  void shouldRefuseToActOnABookingOfAVersionTheEngineWasNotGiven() {
    accepted(v2Engine, "new");
    Booking pinnedToV2 = v2Engine.load("new");

    assertThatThrownBy(() -> v1Engine.getAvailableBookingActions(pinnedToV2, CUSTOMER))
        .isInstanceOfSatisfying(UnknownWorkflowVersionException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_WORKFLOW_VERSION);
          assertThat(e.missingVersion()).isEqualTo(WorkflowVersion.of("gigsta", 2));
          assertThat(e.bookingId()).isEqualTo("new");
          assertThat(e.state()).isEqualTo(ACCEPTED);
          assertThat(e).hasMessageContaining("pinned to workflow gigsta v2").hasMessageContaining("[gigsta v1]");
        });
    assertThatThrownBy(() -> v1Engine.perform("new", CUSTOMER, "cancel_booking", null))
        .isInstanceOfSatisfying(UnknownWorkflowVersionException.class,
            e -> assertThat(e.actionName()).isEqualTo("cancel_booking"));
    assertThat(v2Engine.history("new")).hasSize(2);
    assertThat(v1Engine.getAvailableBookingActions(pinnedToV2, Actor.customer("someone-else")))
        .as("an outsider learns nothing about the booking, not even its version").isEmpty();
    assertThatThrownBy(() -> v1Engine.perform("new", Actor.customer("someone-else"), "cancel_booking", null))
        .isInstanceOf(NotABookingPartyException.class);
  }

  @Test
  void shouldListTheVersionsStoredBookingsNeedAndThoseTheEngineLacks() {
    accepted(v1Engine, "old-1");
    accepted(v1Engine, "old-2");
    accepted(v2Engine, "new");
    // A booking recorded before bookings were pinned counts as version 1.
    trail.append(new AuditEntry("legacy", 1, "request_booking", Role.CUSTOMER, "c-9", "c-9", "g-9", null,
        REQUESTED, T0, "Booking requested by customer", null, null));

    assertThat(v2Engine.workflowVersionsInUse()).containsExactly(
        Map.entry(WorkflowVersion.of("gigsta", 1), 3L), Map.entry(WorkflowVersion.of("gigsta", 2), 1L));
    assertThat(v2Engine.missingWorkflowVersions()).isEmpty();
    assertThat(v1Engine.missingWorkflowVersions()).containsExactly(Map.entry(WorkflowVersion.of("gigsta", 2), 1L));
    assertThat(engine(V2).missingWorkflowVersions()).containsExactly(Map.entry(WorkflowVersion.of("gigsta", 1), 3L));
  }

  @Test
  void shouldReadABookingRecordedBeforeBookingsWerePinnedAsVersionOneAndKeepItSo() {
    trail.append(new AuditEntry("legacy", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        REQUESTED, T0, "Booking requested by customer", null, null));

    assertThat(names(v2Engine.getAvailableBookingActions("legacy", GIGSTA)))
        .containsExactly("accept_booking", "decline_booking");
    v2Engine.perform("legacy", GIGSTA, "accept_booking", null);
    assertThat(names(v2Engine.getAvailableBookingActions("legacy", CUSTOMER))).containsExactly("cancel_booking");
    assertThat(trail.latest("legacy").orElseThrow().workflowVersion()).isNull();
    assertThatThrownBy(() -> engine(V2).getAvailableBookingActions("legacy", CUSTOMER))
        .isInstanceOfSatisfying(UnknownWorkflowVersionException.class,
            e -> assertThat(e.missingVersion()).isEqualTo(WorkflowVersion.of("gigsta", 1)));

    Booking migrated = v2Engine.migrate("legacy", ACCEPTED_TO_V2, OPERATOR, "disputes for everyone").orElseThrow()
        .booking();
    assertThat(migrated.workflowVersion()).isEqualTo(WorkflowVersion.of("gigsta", 2));
  }

  @Test
  void shouldRecordAMigrationAsAnEntryAndActByTheLaterVersionFromThenOn() {
    accepted(v1Engine, "old");
    clock.advance(Duration.ofMinutes(5));

    BookingChange moved = v2Engine.migrate("old", ACCEPTED_TO_V2, OPERATOR, "disputes launched").orElseThrow();

    AuditEntry entry = moved.entry();
    assertThat(entry.sequence()).isEqualTo(3);
    assertThat(entry.actionName()).isEqualTo(WorkflowMigration.ACTION_NAME).isEqualTo("migrate_workflow");
    assertThat(entry.actor()).isEqualTo(OPERATOR);
    assertThat(entry.fromState()).isEqualTo(ACCEPTED);
    assertThat(entry.toState()).isEqualTo(ACCEPTED);
    assertThat(entry.note()).isEqualTo("Moved from workflow gigsta v1 (ACCEPTED) to gigsta v2 (ACCEPTED)");
    assertThat(entry.reason()).isEqualTo("disputes launched");
    assertThat(entry.occurredAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(entry.workflowVersion()).isEqualTo(WorkflowVersion.of("gigsta", 2));
    assertThat(trail.history("old").get(1).workflowVersion()).isEqualTo(WorkflowVersion.of("gigsta", 1));
    assertThat(names(v2Engine.getAvailableBookingActions("old", CUSTOMER)))
        .containsExactly("cancel_booking", "open_dispute");
    assertThat(v2Engine.perform("old", CUSTOMER, "open_dispute", null).entry().workflowVersion())
        .isEqualTo(WorkflowVersion.of("gigsta", 2));
    assertThat(v2Engine.migrate("old", ACCEPTED_TO_V2, OPERATOR, "again")).as("no longer pinned to v1").isEmpty();
  }

  @Test
  void shouldLeaveBookingsInStatesThatStayPinnedAndRefuseCustomersAndGigstas() {
    v1Engine.requestBooking("requested", CUSTOMER, "g-1", null);

    assertThat(v2Engine.migrate("requested", ACCEPTED_TO_V2, Actor.system(), "disputes launched")).isEmpty();
    assertThat(v2Engine.history("requested")).hasSize(1);
    accepted(v1Engine, "accepted");
    assertThatThrownBy(() -> v2Engine.migrate("accepted", ACCEPTED_TO_V2, CUSTOMER, "me too"))
        .isInstanceOf(ActionNotAllowedForRoleException.class).hasMessageContaining("'migrate_workflow'");
    assertThatThrownBy(() -> v2Engine.migrate("accepted", ACCEPTED_TO_V2, GIGSTA, "me too"))
        .isInstanceOf(ActionNotAllowedForRoleException.class);
    assertThatThrownBy(() -> v1Engine.migrate("accepted", ACCEPTED_TO_V2, OPERATOR, "no v2 here"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not host gigsta v2");
    assertThatThrownBy(() -> v2Engine.migrate("accepted", ACCEPTED_TO_V2, OPERATOR, "bad\u0000reason"))
        .isInstanceOf(InvalidBookingInputException.class);
    assertThatThrownBy(() -> v2Engine.migrateAll(ACCEPTED_TO_V2, CUSTOMER, "me too"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("only an operator or the system migrates bookings, not CUSTOMER:c-1");
    assertThat(v2Engine.history("accepted")).hasSize(2);
  }

  @Test
  void shouldRefuseAMigrationBuiltFromAnotherDefinitionOfAHostedVersion() {
    accepted(v1Engine, "b-1");
    BookingState parked = BookingState.of("PARKED");
    Workflow otherV2 = V1.toBuilder().version(2)
        .action("park").by(Role.OPERATOR).from(ACCEPTED).to(parked).label("Park").note("Parked").add()
        .action("unpark").by(Role.OPERATOR).from(parked).to(ACCEPTED).label("Unpark").note("Unparked").add()
        .build();
    WorkflowMigration intoParked = WorkflowMigration.between(V1, otherV2).map(ACCEPTED, parked)
        .stay(REQUESTED, IN_PROGRESS).build();

    assertThatThrownBy(() -> v2Engine.migrate("b-1", intoParked, OPERATOR, "park them all"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("built from another definition of gigsta v2 than this engine hosts");
    assertThatThrownBy(() -> v2Engine.migrateAll(intoParked, OPERATOR, "park them all"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(v2Engine.history("b-1")).hasSize(2);
  }

  @Test
  void shouldRefuseAMigrationThatWouldStrandBookingsOrChangeTheirFate() {
    assertThatThrownBy(() -> WorkflowMigration.between(V1, V2).map(ACCEPTED, BookingState.of("LOST"))
        .stay(REQUESTED, IN_PROGRESS).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("ACCEPTED is mapped to LOST, which is not a state of gigsta v2");
    assertThatThrownBy(() -> WorkflowMigration.between(V1, V2).map(ACCEPTED, ACCEPTED).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("REQUESTED is neither mapped nor declared to stay")
        .hasMessageContaining("IN_PROGRESS is neither mapped nor declared to stay");
    assertThatThrownBy(() -> WorkflowMigration.between(V1, V2).map(ACCEPTED, COMPLETED)
        .stay(REQUESTED, IN_PROGRESS).build())
        .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("ACCEPTED -> COMPLETED would end bookings");
    assertThatThrownBy(() -> WorkflowMigration.between(V2, V1).stay(REQUESTED, ACCEPTED, IN_PROGRESS, DISPUTED)
        .build())
        .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("version 1 is not later than version 2");
    assertThatThrownBy(() -> WorkflowMigration.between(V1, V2).map(ACCEPTED, ACCEPTED).map(ACCEPTED, DISPUTED)
        .stay(ACCEPTED, REQUESTED, IN_PROGRESS).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("ACCEPTED is mapped to both ACCEPTED and DISPUTED")
        .hasMessageContaining("ACCEPTED is both mapped and staying");
    Workflow other = Workflow.builder("other").version(2).initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("close").by(Role.OPERATOR).from(REQUESTED).to(COMPLETED).label("Close").note("Closed").add()
        .terminalStates(COMPLETED).build();
    assertThatThrownBy(() -> WorkflowMigration.between(V1, other).stay(REQUESTED, ACCEPTED, IN_PROGRESS).build())
        .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("between two workflows, gigsta and other");
    assertThat(ACCEPTED_TO_V2.target(ACCEPTED)).contains(ACCEPTED);
    assertThat(ACCEPTED_TO_V2.target(REQUESTED)).isEmpty();
    assertThat(ACCEPTED_TO_V2.target(COMPLETED)).as("terminal states stay unless mapped").isEmpty();
  }

  @Test
  void shouldMigrateAllMatchingBookingsOnceAndResumeWhereAStoppedRunLeftOff() {
    for (int i = 0; i < 1_203; i++) {
      String id = String.format("b-%04d", i);
      if (i % 3 == 0) {
        v1Engine.requestBooking(id, CUSTOMER, "g-1", null);
      } else {
        accepted(v1Engine, id);
      }
    }
    // A run that stopped part-way: some bookings already moved one by one.
    v2Engine.migrate("b-0001", ACCEPTED_TO_V2, OPERATOR, "disputes launched");
    v2Engine.migrate("b-0002", ACCEPTED_TO_V2, OPERATOR, "disputes launched");

    MigrationResult first = v2Engine.migrateAll(ACCEPTED_TO_V2, Actor.system(), "disputes launched");
    MigrationResult second = v2Engine.migrateAll(ACCEPTED_TO_V2, Actor.system(), "disputes launched");

    assertThat(first).isEqualTo(new MigrationResult(800, 401, 0));
    assertThat(second).isEqualTo(new MigrationResult(0, 401, 0));
    assertThat(v2Engine.workflowVersionsInUse()).containsExactly(
        Map.entry(V1.workflowVersion(), 401L), Map.entry(V2.workflowVersion(), 802L));
    assertThat(trail.history("b-0004")).extracting(AuditEntry::actionName)
        .containsExactly("request_booking", "accept_booking", "migrate_workflow");
  }

  @Test
  void shouldMoveEachBookingOnceWhenSeveralInstancesMigrateAtTheSameTime() throws Exception {
    int bookings = 400;
    for (int i = 0; i < bookings; i++) {
      accepted(v1Engine, "b-" + i);
    }
    int instances = 4;
    CyclicBarrier start = new CyclicBarrier(instances);
    ExecutorService pool = Executors.newFixedThreadPool(instances);
    List<Future<MigrationResult>> runs = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      BookingEngine instance = engine(V2, V1);
      runs.add(pool.submit(() -> {
        start.await();
        return instance.migrateAll(ACCEPTED_TO_V2, Actor.system(), "disputes launched");
      }));
    }
    long migrated = 0;
    long elsewhere = 0;
    for (Future<MigrationResult> run : runs) {
      migrated += run.get().migrated();
      elsewhere += run.get().migratedElsewhere();
    }
    pool.shutdown();

    System.out.printf("concurrent migration: %d instances, %d bookings, %d migrated, %d found migrated elsewhere%n",
        instances, bookings, migrated, elsewhere);
    assertThat(migrated).isEqualTo(bookings);
    for (int i = 0; i < bookings; i++) {
      List<AuditEntry> history = trail.history("b-" + i);
      assertThat(history).extracting(AuditEntry::actionName)
          .containsExactly("request_booking", "accept_booking", "migrate_workflow");
      for (int k = 1; k < history.size(); k++) {
        AuditTrail.requireContinuation(history.get(k - 1), history.get(k));
      }
    }
  }

  @Test
  void shouldMigrateABookingThatChangedWhileTheBatchRanFromItsNewState() {
    Workflow v2 = V2;
    accepted(v1Engine, "b-1");
    // Another instance moves the booking on between the batch's read and its write.
    ConcurrencyTest.CountingTrail racing = new ConcurrencyTest.CountingTrail(trail);
    racing.afterFindPinnedTo = () -> v1Engine.perform("b-1", GIGSTA, GigstaWorkflow.MARK_IN_PROGRESS, null);
    BookingEngine batch = BookingEngine.builder().withWorkflow(v2).withEarlierVersions(V1).withAuditTrail(racing)
        .withClock(clock).build();

    assertThat(batch.migrateAll(ACCEPTED_TO_V2, OPERATOR, "disputes launched")).isEqualTo(new MigrationResult(1, 0, 0));
    assertThat(trail.latest("b-1").orElseThrow()).satisfies(latest -> {
      assertThat(latest.fromState()).isEqualTo(IN_PROGRESS);
      assertThat(latest.toState()).isEqualTo(IN_PROGRESS);
      assertThat(latest.workflowVersion()).isEqualTo(v2.workflowVersion());
    });
  }

  @Test
  void shouldRefuseAnEntryThatChangesTheVersionUnlessItIsAMigration() {
    accepted(v1Engine, "b-1");
    AuditEntry latest = trail.latest("b-1").orElseThrow();
    AuditEntry sneaky = new AuditEntry("b-1", 3, "mark_in_progress", Role.GIGSTA, "g-1", "c-1", "g-1", ACCEPTED,
        IN_PROGRESS, T0, "Booking marked as in progress", null, null, null, null, null, V2.workflowVersion());

    assertThatThrownBy(() -> trail.append(sneaky)).isInstanceOf(BookingChangedConcurrentlyException.class)
        .hasMessageContaining("pinned to workflow gigsta v2, not the booking's gigsta v1");
    assertThat(trail.latest("b-1")).contains(latest);
  }

  @Test
  void shouldTakeEachBookingsTimedRulesFromItsOwnVersion() {
    // Version 2 expires unanswered requests after 2 days instead of 6.
    Workflow quick = V1.toBuilder().version(2)
        .removeRule(REQUESTED, GigstaWorkflow.EXPIRE_BOOKING, Role.SYSTEM)
        .action(GigstaWorkflow.EXPIRE_BOOKING).by(Role.SYSTEM).from(REQUESTED).to(EXPIRED)
            .after(Deadline.after(Duration.ofDays(2), Timepoint.CREATED)).note("Request expired without a response")
            .add()
        .build();
    v1Engine.requestBooking("old", CUSTOMER, "g-1", null);
    BookingEngine engine = engine(quick, V1);
    engine.requestBooking("new", CUSTOMER, "g-1", null);
    DeliveryWorker worker = DeliveryWorker.builder(engine).build();

    clock.set(T0.plus(Duration.ofDays(2)));
    worker.runOnce();
    assertThat(engine.load("new").state()).isEqualTo(EXPIRED);
    assertThat(engine.load("old").state()).as("version 1 gives it 6 days").isEqualTo(REQUESTED);

    clock.set(T0.plus(Duration.ofDays(6)));
    worker.runOnce();
    assertThat(engine.load("old").state()).isEqualTo(EXPIRED);
    assertThat(engine.history("old").get(1).workflowVersion()).isEqualTo(V1.workflowVersion());
  }

  @Test
  void shouldComputeEachBookingsRefundByTheRefundPolicyOfItsOwnVersion() {
    // Version 2 refunds customers in full whenever they cancel an accepted booking.
    Workflow generous = V1.toBuilder().version(2)
        .removeRule(ACCEPTED, GigstaWorkflow.CANCEL_BOOKING, Role.CUSTOMER)
        .action(GigstaWorkflow.CANCEL_BOOKING).by(Role.CUSTOMER).from(ACCEPTED).to(CANCELLED_BY_CUSTOMER)
            .label("Cancel booking").note("Booking cancelled by customer").critical(true)
            .payment(PaymentMoment.REFUND).add()
        .build();
    Money price = Money.of(8000, "EUR");
    Instant start = T0.plus(Duration.ofHours(12));
    v1Engine.requestBooking("old", CUSTOMER, "g-1", start, price);
    v1Engine.perform("old", GIGSTA, GigstaWorkflow.ACCEPT_BOOKING, null);
    BookingEngine engine = engine(generous, V1);
    engine.requestBooking("new", CUSTOMER, "g-1", start, price);
    engine.perform("new", GIGSTA, GigstaWorkflow.ACCEPT_BOOKING, null);

    assertThat(engine.getAvailableBookingActions("old", CUSTOMER).get(0).refund()).isEqualTo(Money.of(4000, "EUR"));
    assertThat(engine.getAvailableBookingActions("new", CUSTOMER).get(0).refund()).isEqualTo(price);
    assertThat(engine.perform("old", CUSTOMER, "cancel_booking", null).entry().fee()).isEqualTo(Money.of(4000, "EUR"));
    assertThat(engine.perform("new", CUSTOMER, "cancel_booking", null).entry().fee()).isEqualTo(Money.of(0, "EUR"));
  }

  @Test
  void shouldRefuseVersionsAnEngineCannotHost() {
    BookingEngine.Builder builder = BookingEngine.builder().withWorkflow(V2);
    assertThatThrownBy(() -> builder.withEarlierVersions(V2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gigsta v2 is not earlier than");
    Workflow otherName = Workflow.builder("other").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("close").by(Role.OPERATOR).from(REQUESTED).to(COMPLETED).label("Close").note("Closed").add()
        .terminalStates(COMPLETED).build();
    assertThatThrownBy(() -> BookingEngine.builder().withWorkflow(V2).withEarlierVersions(otherName).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of workflow 'gigsta', not 'other'");
    assertThatThrownBy(() -> BookingEngine.builder().withWorkflow(V2).withEarlierVersions(V1, V1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gigsta v1 was given twice");
    assertThatThrownBy(() -> V1.toBuilder().action(WorkflowMigration.ACTION_NAME).by(Role.OPERATOR)
        .from(ACCEPTED).to(COMPLETED).label("Move").note("Moved").add().build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("migrate_workflow is the name of the entries that migrate bookings");
  }

  @Test
  void shouldCopyEveryDeclarationIntoTheBuilderOfTheNextVersion() {
    Workflow same = V1.toBuilder().version(2).build();

    assertThat(same.changesFrom(V1).toString()).isEqualTo("no changes");
    assertThat(same.toMermaid()).isEqualTo(V1.toMermaid());
    assertThat(same.reminders()).isEqualTo(V1.reminders());
    assertThat(same.version()).isEqualTo(2);
    assertThat(V2.changesFrom(V1).toString()).contains("+ state DISPUTED",
        "+ rule open_dispute by CUSTOMER from ACCEPTED -> DISPUTED");
    Workflow dropped = V2.toBuilder().version(3).removeState(DISPUTED).build();
    assertThat(dropped.states()).doesNotContain(DISPUTED);
    assertThat(dropped.changesFrom(V1).toString()).isEqualTo("no changes");
    assertThatThrownBy(() -> V1.toBuilder().removeState(REQUESTED)).isInstanceOf(IllegalArgumentException.class);
  }
}
