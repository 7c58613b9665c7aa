package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.BookingEngineTest.MutableClock;
import com.gigsta.booking.BookingObserver.Change;
import com.gigsta.booking.BookingObserver.DeliveryAttempt;
import com.gigsta.booking.BookingObserver.DeliveryOutcome;
import com.gigsta.booking.BookingObserver.Kind;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What a {@link BookingObserver} is told, and that it wraps the work without changing it. */
class BookingObserverTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");
  private static final WorkflowVersion V1 = WorkflowVersion.of("gigsta", 1);

  private final MutableClock clock = new MutableClock(T0);
  private final RecordingObserver observer = new RecordingObserver();
  private final BookingEngine engine = BookingEngine.builder().withAuditTrail(new InMemoryAuditTrail())
      .withClock(clock).withObserver(observer).build();

  @Test
  void shouldWrapEachChangeAndItsAppendAndReportTheOutcome() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    engine.perform("b-1", GIGSTA, "accept_booking", null);

    assertThat(observer.events).containsExactly(
        "change " + new Change(Kind.REQUEST, V1, "request_booking", Role.CUSTOMER, "b-1", null),
        "append request_booking",
        "done request_booking: REQUESTED",
        "change " + new Change(Kind.PERFORM, V1, "accept_booking", Role.GIGSTA, "b-1", null),
        "append accept_booking",
        "done accept_booking: ACCEPTED");
  }

  @Test
  void shouldLetARefusalThroughAndNeverReportANameTheWorkflowDoesNotKnow() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    observer.events.clear();

    assertThatThrownBy(() -> engine.perform("b-1", CUSTOMER, "accept_booking", null))
        .isInstanceOf(ActionNotAllowedForRoleException.class);
    assertThatThrownBy(() -> engine.perform("b-1", CUSTOMER, "drop_table_bookings", null))
        .isInstanceOf(UnknownActionException.class);

    assertThat(observer.events).containsExactly(
        "change " + new Change(Kind.PERFORM, V1, "accept_booking", Role.CUSTOMER, "b-1", null),
        "failed accept_booking: NOT_ALLOWED_FOR_ROLE",
        "change " + new Change(Kind.PERFORM, V1, "unknown", Role.CUSTOMER, "b-1", null),
        "failed unknown: UNKNOWN_ACTION");
  }

  @Test
  void shouldTellWhenATimedRuleFellDueAndHowEachDeliveryEnded() {
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    List<String> failures = new CopyOnWriteArrayList<>();
    DeliveryWorker worker = DeliveryWorker.builder(engine).withMaxAttempts(2)
        .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .withConsumer("mail", change -> {
          failures.add(change.entry().actionName());
          throw new IllegalStateException("mail server down");
        }).build();
    Instant due = T0.plus(GigstaWorkflow.EXPIRES_AFTER_REQUEST);
    clock.set(due.plusSeconds(30));
    observer.events.clear();

    worker.runOnce();
    clock.advance(Duration.ofSeconds(2));
    worker.runOnce();

    assertThat(observer.events).containsExactly(
        "change " + new Change(Kind.TIMED, V1, "expire_booking", Role.SYSTEM, "b-1", due),
        "append expire_booking",
        "done expire_booking: EXPIRED",
        "delivery mail expire_booking after 0 failures at " + due.plusSeconds(30) + ": RETRY",
        "delivery mail expire_booking after 1 failures at " + due.plusSeconds(32) + ": DEAD");
    assertThat(failures).containsExactly("expire_booking", "expire_booking");
  }

  @Test
  void shouldWrapAMigrationAsAChangeOfTheLaterVersion() {
    Workflow v2 = Workflow.gigsta().toBuilder().version(2).build();
    BookingEngine v2Engine = BookingEngine.builder().withWorkflow(v2).withEarlierVersions(Workflow.gigsta())
        .withAuditTrail(engine.auditTrail()).withClock(clock).withObserver(observer).build();
    engine.requestBooking("b-1", CUSTOMER, "g-1", null);
    observer.events.clear();

    v2Engine.migrate("b-1", WorkflowMigration.between(Workflow.gigsta(), v2).map(REQUESTED, REQUESTED)
        .map(ACCEPTED, ACCEPTED).map(BookingState.IN_PROGRESS, BookingState.IN_PROGRESS).build(),
        Actor.system(), "same rules");

    assertThat(observer.events).containsExactly(
        "change " + new Change(Kind.MIGRATION, v2.workflowVersion(), "migrate_workflow", Role.SYSTEM, "b-1", null),
        "append migrate_workflow",
        "done migrate_workflow: REQUESTED");
  }

  /** Writes down what it is told and what came of it, and runs each piece of work once. */
  static final class RecordingObserver implements BookingObserver {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public BookingChange observeChange(Change change, Supplier<BookingChange> work) {
      events.add("change " + change);
      try {
        BookingChange done = work.get();
        events.add("done " + change.actionName() + ": " + done.booking().state());
        return done;
      } catch (BookingException e) {
        events.add("failed " + change.actionName() + ": " + e.code());
        throw e;
      }
    }

    @Override
    public void observeAppend(Change change, Runnable work) {
      events.add("append " + change.actionName());
      work.run();
    }

    @Override
    public DeliveryOutcome observeDelivery(DeliveryAttempt delivery, Supplier<DeliveryOutcome> work) {
      DeliveryOutcome outcome = work.get();
      events.add("delivery " + delivery.consumer() + " " + delivery.entry().actionName() + " after "
          + delivery.failedAttempts() + " failures at " + delivery.claimedAt() + ": " + outcome);
      return outcome;
    }
  }
}
