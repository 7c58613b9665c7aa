package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.RecordingPaymentHooks;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random action sequences by random actors, parties and strangers alike, checked step by step against a
 * model of the GigSta table written out independently here.
 */
class WorkflowModelPropertyTest {

  /** The model: (state, action, role) to target, copied by hand from the table. */
  private static final Map<String, BookingState> MODEL = Map.of(
      "REQUESTED/accept_booking/GIGSTA", BookingState.ACCEPTED,
      "REQUESTED/decline_booking/GIGSTA", BookingState.DECLINED,
      "REQUESTED/cancel_booking/CUSTOMER", BookingState.CANCELLED_BY_CUSTOMER,
      "ACCEPTED/cancel_booking/CUSTOMER", BookingState.CANCELLED_BY_CUSTOMER,
      "ACCEPTED/cancel_booking/GIGSTA", BookingState.CANCELLED_BY_GIGSTA,
      "ACCEPTED/mark_in_progress/GIGSTA", BookingState.IN_PROGRESS,
      "IN_PROGRESS/mark_completed/GIGSTA", BookingState.COMPLETED,
      "REQUESTED/expire_booking/SYSTEM", BookingState.EXPIRED);

  private static final List<String> ACTIONS = List.of("accept_booking", "decline_booking", "cancel_booking",
      "mark_in_progress", "mark_completed", "expire_booking", "request_booking", "fly_to_moon");

  private static final List<Actor> ACTORS = List.of(
      Actor.customer("cust"), Actor.gigsta("gig"), Actor.customer("other-cust"), Actor.gigsta("other-gig"),
      Actor.customer("gig"), Actor.gigsta("cust"), Actor.operator("ops"), Actor.system());

  private static final AtomicLong SEQUENCES = new AtomicLong();
  private static final AtomicLong STEPS = new AtomicLong();

  record Step(Actor actor, String action, boolean declinePayment, boolean useStaleSnapshot) {}

  @Provide
  Arbitrary<List<Step>> sequences() {
    // Weighted towards the booking's parties and the workflow's real actions, so that long lifecycles
    // (accepted, in progress, completed) are reached often; strangers and unknown actions still appear.
    Arbitrary<Actor> actor = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(ACTORS.get(0))), Tuple.of(6, Arbitraries.just(ACTORS.get(1))),
        Tuple.of(3, Arbitraries.of(ACTORS.subList(2, ACTORS.size()))));
    Arbitrary<String> action = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("accept_booking", "mark_in_progress", "mark_completed")),
        Tuple.of(2, Arbitraries.of(ACTIONS)));
    Arbitrary<Step> step = Combinators.combine(actor, action,
        Arbitraries.integers().between(0, 9).map(n -> n == 0),
        Arbitraries.integers().between(0, 9).map(n -> n == 0))
        .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 3000)
  void listedIfAndOnlyIfPerformedAsTheModelSays(@ForAll("sequences") List<Step> steps) {
    SEQUENCES.incrementAndGet();
    RecordingPaymentHooks payments = new RecordingPaymentHooks();
    InMemoryAuditTrail trail = new InMemoryAuditTrail();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments)
        .withClock(Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC)).build();
    Booking booking = engine.requestBooking("b-1", Actor.customer("cust"), "gig", null).booking();
    Booking stale = booking;

    for (Step step : steps) {
      STEPS.incrementAndGet();
      Booking current = booking;
      Booking previous = stale;
      for (Actor actor : ACTORS) {
        List<String> listed = engine.getAvailableBookingActions(booking, actor).stream()
            .map(BookingAction::actionName).toList();
        List<String> expected = ACTIONS.stream().filter(action -> target(current, actor, action) != null).toList();
        assertThat(listed).as("actions of %s in %s", actor, booking.state()).isEqualTo(expected);
      }

      BookingState target = target(booking, step.actor(), step.action());
      int historyBefore = engine.history(booking.id()).size();
      if (step.useStaleSnapshot() && stale.version() < booking.version()) {
        Throwable thrown = catchThrowable(() -> engine.perform(previous, step.actor(), step.action()));
        if (target(stale, step.actor(), step.action()) != null) {
          assertThat(thrown).isInstanceOf(BookingChangedConcurrentlyException.class);
        } else {
          assertThat(thrown).isInstanceOf(BookingException.class);
        }
        assertThat(engine.history(booking.id())).hasSize(historyBefore);
        continue;
      }
      if (step.declinePayment()) {
        payments.declineNext(PaymentMoment.SECURE, 1);
      }
      if (target == null) {
        assertThatThrownBy(() -> engine.perform(current, step.actor(), step.action()))
            .isInstanceOf(refusalFor(booking, step.actor(), step.action()));
      } else if (step.declinePayment() && step.action().equals("accept_booking")) {
        assertThatThrownBy(() -> engine.perform(current, step.actor(), step.action()))
            .isInstanceOf(PaymentFailedException.class);
        assertThat(engine.load(booking.id())).isEqualTo(booking);
      } else {
        BookingChange change = engine.perform(current, step.actor(), step.action());
        assertThat(change.booking().state()).isEqualTo(target);
        assertThat(change.booking().version()).isEqualTo(booking.version() + 1);
        assertThat(change.entry().fromState()).isEqualTo(booking.state());
        assertThat(change.entry().actor()).isEqualTo(step.actor());
        assertThat(engine.load(booking.id())).isEqualTo(change.booking());
        stale = booking;
        booking = change.booking();
      }
      if (step.declinePayment()) {
        payments.clear();
      }
      assertThat(engine.history(booking.id())).hasSize((int) booking.version());
    }
    Statistics.collect(booking.state());
  }

  @AfterContainer
  static void printCounts() {
    System.out.printf("workflow model: %d sequences, %d steps checked%n", SEQUENCES.get(), STEPS.get());
  }

  private static BookingState target(Booking booking, Actor actor, String action) {
    boolean party = switch (actor.role()) {
      case CUSTOMER -> actor.id().equals(booking.customerId());
      case GIGSTA -> actor.id().equals(booking.gigstaId());
      default -> true;
    };
    return party ? MODEL.get(booking.state() + "/" + action + "/" + actor.role()) : null;
  }

  private static Class<? extends BookingException> refusalFor(Booking booking, Actor actor, String action) {
    // A stranger learns nothing else about the booking: that refusal comes first.
    if ((actor.role() == Role.CUSTOMER || actor.role() == Role.GIGSTA)
        && !actor.id().equals(actor.role() == Role.CUSTOMER ? booking.customerId() : booking.gigstaId())) {
      return NotABookingPartyException.class;
    }
    boolean known = MODEL.keySet().stream().anyMatch(key -> key.split("/")[1].equals(action));
    if (!known) {
      return UnknownActionException.class;
    }
    boolean leavesState = MODEL.keySet().stream()
        .anyMatch(key -> key.startsWith(booking.state() + "/" + action + "/"));
    return leavesState ? ActionNotAllowedForRoleException.class : ActionNotAllowedInStateException.class;
  }
}
