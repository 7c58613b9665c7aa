package com.gigsta.booking.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingAction;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentFailedException;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Role;
import com.gigsta.booking.Workflow;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.testing.FakeProcessor.Call;
import com.gigsta.booking.testing.FakeProcessor.Effect;
import com.gigsta.booking.testing.FakeProcessor.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random bookings of the default workflow, random steps by their customers and GigStas (now and then on a
 * snapshot they saw earlier), clock jumps, declined cards and processor outages, all against one
 * {@link FakeProcessor} and one {@link DeliveryWorker}; once the outages end and the worker has delivered
 * everything, with no dead letter and no hold left unreleased, every booking's money at the processor is
 * exactly what its audit trail owes: each capture, refund and payout made once, for the change that owes
 * it and for the amount it records, and each refund and fee exactly what the refund policy gives for the
 * time of the cancellation. Prints how many runs, bookings, declines and outages it went through.
 *
 * <p>The worker runs as a deployed one does, all the time: a clock jump is made an hour at a time, with the
 * worker draining after each hour. The processor remembers a key for 24 hours only, and the worker's
 * retries of a call whose answer was lost must reach it within that time to be answered by a replay; a
 * worker that stopped for days would be answered by a second effect instead. Holds likewise lapse after
 * 7 days, and the charge taken at acceptance is captured by the next sweep. At the end, the clock moves
 * an hour at a time too, for the same reason.
 */
class LedgerPropertyTest {

  private static final Instant T0 = Instant.parse("2026-09-01T09:00:00Z");
  private static final Duration WORKER_RUNS_EVERY = Duration.ofHours(1);
  private static final int CUSTOMERS = 3;
  private static final int GIGSTAS = 2;
  private static final AtomicLong RUNS = new AtomicLong();
  private static final AtomicLong BOOKINGS = new AtomicLong();
  private static final AtomicLong DECLINES = new AtomicLong();
  private static final AtomicLong OUTAGES = new AtomicLong();

  // ---- what a run is made of ----

  /** A booking requested at the start: its price, how far ahead it starts, and its parties by number. */
  record BookingSpec(long priceMinor, String currency, Duration ahead, int customer, int gigsta) {}

  /** One step of a run; numbers choosing a booking or an action are taken modulo what there is. */
  sealed interface Step permits Act, Jump, DeclineCard, FixCard, FailNext, LoseAnswers, Drain {}

  /** A party takes one of the actions listed to it, on the booking as loaded now or as it last saw it. */
  record Act(int booking, boolean byCustomer, int choice, boolean stale) implements Step {}

  /** The clock moves on, with the worker running all the while. */
  record Jump(Duration by) implements Step {}

  /** The customer's cards are declined from now on. */
  record DeclineCard(int customer) implements Step {}

  /** The customer's card works again. */
  record FixCard(int customer) implements Step {}

  /** The next calls fail before reaching the processor. */
  record FailNext(int calls) implements Step {}

  /** The next calls' answers are lost after the processor carried them out. */
  record LoseAnswers(int calls) implements Step {}

  /** The worker sweeps until nothing is due, without the clock moving. */
  record Drain() implements Step {}

  @Provide
  Arbitrary<List<BookingSpec>> bookings() {
    Arbitrary<BookingSpec> booking = Combinators.combine(
        Arbitraries.longs().between(1, 1_000_000),
        Arbitraries.of("EUR", "JPY", "USD"),
        Arbitraries.longs().between(Duration.ofHours(1).toSeconds(), Duration.ofDays(90).toSeconds())
            .map(Duration::ofSeconds),
        Arbitraries.integers().between(0, CUSTOMERS - 1),
        Arbitraries.integers().between(0, GIGSTAS - 1)).as(BookingSpec::new);
    return booking.list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Duration> jumps = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.longs().between(1, 59).map(Duration::ofMinutes)),
        Tuple.of(3, Arbitraries.longs().between(1, 23).map(Duration::ofHours)),
        Tuple.of(2, Arbitraries.longs().between(1, 6).map(Duration::ofDays)),
        Tuple.of(1, Arbitraries.longs().between(1, 3).map(weeks -> Duration.ofDays(7 * weeks))));
    Arbitrary<Step> act = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 3), Arbitraries.frequency(
            Tuple.of(5, false), Tuple.of(1, true))).as(Act::new);
    Arbitrary<Integer> customers = Arbitraries.integers().between(0, CUSTOMERS - 1);
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple.of(12, act),
        Tuple.of(5, jumps.map(Jump::new)),
        Tuple.of(2, Arbitraries.just(new Drain())),
        Tuple.of(4, customers.map(DeclineCard::new)),
        Tuple.of(2, customers.map(FixCard::new)),
        Tuple.of(2, Arbitraries.integers().between(1, 3).map(FailNext::new)),
        Tuple.of(2, Arbitraries.integers().between(1, 2).map(LoseAnswers::new)));
    return step.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 10000)
  void everyBookingsMoneyIsExactlyWhatItsAuditTrailOwes(@ForAll("bookings") List<BookingSpec> bookings,
      @ForAll("steps") List<Step> steps) {
    RUNS.incrementAndGet();
    BOOKINGS.addAndGet(bookings.size());
    Run run = new Run(bookings);
    try {
      for (Step step : steps) {
        run.apply(step);
      }
      run.settle();
      run.check();
    } catch (AssertionError | RuntimeException e) {
      StringBuilder calls = new StringBuilder();
      run.fake.effectiveCalls().forEach(call -> calls.append('\n').append(call.at()).append(' ').append(call.effect())
          .append(' ').append(call.amount()).append(" key ").append(call.request().idempotencyKey()));
      throw new AssertionError(e.getMessage() + "\n--- the run, step by step:\n" + String.join("\n", run.story)
          + "\n--- the calls that took effect:" + calls, e);
    }
  }

  @AfterContainer
  static void printCounts() {
    System.out.printf("ledger property: %d runs, %d bookings, %d declines, %d outages%n", RUNS.get(), BOOKINGS.get(),
        DECLINES.get(), OUTAGES.get());
  }

  /** One run: an engine over an in-memory trail, the fake processor and a worker, on one clock. */
  static final class Run {
    final TestClock clock = new TestClock(T0);
    final FakeProcessor fake = FakeProcessor.builder().withClock(clock).build();
    final InMemoryAuditTrail trail = new InMemoryAuditTrail();
    final BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withWorkflow(Workflow.gigsta())
        .withPaymentHooks(fake.hooks()).withClock(clock).build();
    // Retries start after 30 seconds, short next to the clock's jumps, and outages never exhaust the attempts:
    // only a call the processor keeps refusing becomes a dead letter.
    final DeliveryWorker worker = DeliveryWorker.builder(engine)
        .withBackoff(Duration.ofSeconds(30), Duration.ofMinutes(15)).withMaxAttempts(25).build();
    final List<String> ids = new ArrayList<>();
    final Map<String, Booking> lastSeen = new HashMap<>();
    final List<String> story = new ArrayList<>();

    Run(List<BookingSpec> specs) {
      for (int i = 0; i < specs.size(); i++) {
        BookingSpec spec = specs.get(i);
        String id = "b-" + i;
        Booking booking = engine.requestBooking(id, Actor.customer("c-" + spec.customer()), "g-" + spec.gigsta(),
            T0.plus(spec.ahead()), Money.of(spec.priceMinor(), spec.currency())).booking();
        ids.add(id);
        lastSeen.put(id, booking);
        story.add("request " + id + ": " + booking.price() + " by c-" + spec.customer() + " from g-" + spec.gigsta()
            + ", starting " + booking.scheduledStart());
      }
    }

    void apply(Step step) {
      if (step instanceof Act act) {
        act(act);
      } else if (step instanceof Jump jump) {
        story.add(clock.instant() + " jump " + jump.by());
        Duration left = jump.by();
        while (!left.isZero()) {
          Duration hop = left.compareTo(WORKER_RUNS_EVERY) < 0 ? left : WORKER_RUNS_EVERY;
          clock.advance(hop);
          drain();
          left = left.minus(hop);
        }
      } else if (step instanceof Drain) {
        story.add(clock.instant() + " drain");
        drain();
      } else if (step instanceof DeclineCard decline) {
        story.add(clock.instant() + " decline the cards of c-" + decline.customer());
        fake.declineCardsOf("c-" + decline.customer());
      } else if (step instanceof FixCard fix) {
        story.add(clock.instant() + " fix the card of c-" + fix.customer());
        fake.fixCard("c-" + fix.customer());
      } else if (step instanceof FailNext fail) {
        story.add(clock.instant() + " the next " + fail.calls() + " calls fail before the processor");
        fake.failNext(fail.calls());
        OUTAGES.incrementAndGet();
      } else if (step instanceof LoseAnswers lose) {
        story.add(clock.instant() + " the next " + lose.calls() + " answers are lost");
        fake.loseNextAnswers(lose.calls());
        OUTAGES.incrementAndGet();
      }
    }

    private void act(Act act) {
      String id = ids.get(act.booking() % ids.size());
      Booking current = engine.load(id);
      Booking snapshot = act.stale() ? lastSeen.get(id) : current;
      lastSeen.put(id, current);
      Actor actor = act.byCustomer() ? Actor.customer(current.customerId()) : Actor.gigsta(current.gigstaId());
      List<BookingAction> actions = engine.getAvailableBookingActions(snapshot, actor);
      String on = id + " v" + snapshot.version() + (snapshot.version() == current.version() ? "" : " (stale)");
      if (actions.isEmpty()) {
        story.add(clock.instant() + " " + actor + " has nothing to do on " + on + " in " + snapshot.state());
        return;
      }
      String action = actions.get(act.choice() % actions.size()).actionName();
      try {
        BookingChange change = engine.perform(snapshot, actor, action);
        story.add(clock.instant() + " " + actor + " " + action + " on " + on + " -> " + change.booking().state());
      } catch (PaymentFailedException e) {
        if (e.declined()) {
          DECLINES.incrementAndGet();
        }
        story.add(clock.instant() + " " + actor + " " + action + " on " + on + ": payment "
            + (e.declined() ? "declined" : "failed") + ", key " + e.idempotencyKey());
      } catch (BookingChangedConcurrentlyException e) {
        story.add(clock.instant() + " " + actor + " " + action + " on " + on + ": changed concurrently");
      }
    }

    private DeliveryWorker.Sweep drain() {
      DeliveryWorker.Sweep sweep = worker.drain();
      if (!sweep.isEmpty()) {
        story.add(clock.instant() + "   worker: " + sweep);
      }
      return sweep;
    }

    /**
     * Ends the outages and the declines, then lets the worker run an hour at a time until a sweep an hour
     * after the last finds nothing due: every retry's backoff is at most 15 minutes.
     */
    void settle() {
      story.add(clock.instant() + " settle: cards fixed, outages over");
      for (int customer = 0; customer < CUSTOMERS; customer++) {
        fake.fixCard("c-" + customer);
      }
      fake.failNext(0);
      fake.loseNextAnswers(0);
      DeliveryWorker.Sweep last = null;
      for (int hour = 0; hour < 48 && (last == null || !last.isEmpty()); hour++) {
        clock.advance(Duration.ofHours(1));
        last = drain();
      }
      assertThat(last.isEmpty()).as("nothing is pending an hour after the last sweep").isTrue();
      for (String consumer : worker.consumers()) {
        assertThat(worker.deadLetters(consumer, 100)).as("dead letters of %s", consumer).isEmpty();
      }
      assertThat(trail.claimAbandonedHolds(clock.instant(), 10_000)).as("holds never claimed nor released")
          .isEmpty();
    }

    void check() {
      List<FeedChange> feed = feed();
      List<Call> calls = fake.effectiveCalls();
      checkEverySettlementOwedWasMadeOnceAndNoneElse(feed, calls);
      for (String id : ids) {
        checkBooking(id, engine.history(id), fake.ledger(id));
      }
    }

    private List<FeedChange> feed() {
      List<FeedChange> feed = new ArrayList<>();
      ChangeCursor cursor = ChangeCursor.start();
      ChangePage page;
      do {
        page = trail.changesSince(cursor, 1_000);
        feed.addAll(page.changes());
        cursor = page.next();
      } while (!page.changes().isEmpty());
      return feed;
    }

    /** The effect a settlement owed after recording must have at the processor. */
    private static Effect effectOf(PaymentMoment owed) {
      return switch (owed) {
        case CHARGE, CAPTURE -> Effect.CAPTURED;
        case REFUND -> Effect.REFUNDED;
        case PAYOUT -> Effect.PAID_OUT;
        default -> null;
      };
    }

    private void checkEverySettlementOwedWasMadeOnceAndNoneElse(List<FeedChange> feed, List<Call> calls) {
      List<Call> moved = calls.stream().filter(call -> call.effect() == Effect.CAPTURED
          || call.effect() == Effect.REFUNDED || call.effect() == Effect.PAID_OUT).toList();
      for (Call call : moved) {
        List<FeedChange> owing = feed.stream().filter(change -> change.bookingId().equals(call.request().bookingId())
            && change.sequence() == call.request().sequence()
            && change.entry().actionName().equals(call.request().actionName())
            && effectOf(change.paymentMoment()) == call.effect()).toList();
        assertThat(owing).as("the recorded change that owes %s", call).hasSize(1);
        AuditEntry entry = owing.get(0).entry();
        assertThat(call.amount()).as("the amount of %s", call).isEqualTo(entry.amount().amountMinor());
      }
      for (FeedChange change : feed) {
        Effect owed = effectOf(change.paymentMoment());
        if (owed == null) {
          assertThat(change.paymentMoment()).as("what %s owes; the default workflow settles nothing else",
              change.entry()).isEqualTo(PaymentMoment.NONE);
          continue;
        }
        assertThat(moved).as("the calls made for %s owing %s", change.entry(), change.paymentMoment())
            .filteredOn(call -> call.request().bookingId().equals(change.bookingId())
                && call.request().sequence() == change.sequence()
                && call.request().actionName().equals(change.entry().actionName()))
            .singleElement().satisfies(call -> assertThat(call.effect()).isEqualTo(owed));
      }
    }

    private void checkBooking(String id, List<AuditEntry> history, Ledger ledger) {
      AuditEntry latest = history.get(history.size() - 1);
      Money price = latest.price();
      long priceMinor = price.amountMinor();
      String what = "booking " + id + " in " + latest.toState() + ", " + ledger;
      assertThat(ledger.currency()).as(what).isIn(null, price.currency());
      assertThat(ledger.charged()).as(what).isEqualTo(ledger.captured() - ledger.refunded());
      assertThat(ledger.lapsedCaptureRefusals()).as(what).isZero();
      assertThat(ledger.refunded()).as(what).isLessThanOrEqualTo(ledger.captured());
      assertThat(ledger.paidOut()).as(what).isLessThanOrEqualTo(ledger.captured() - ledger.refunded());
      assertThat(ledger.authorized()).as("no live hold is left: " + what).isZero();
      for (int i = 1; i < history.size(); i++) {
        AuditEntry entry = history.get(i);
        if (entry.actionName().equals(GigstaWorkflow.CANCEL_BOOKING) && entry.fromState() == BookingState.ACCEPTED) {
          checkRefund(Booking.after(history.get(i - 1)), entry);
        }
      }
      boolean accepted = history.stream().anyMatch(entry -> entry.toState() == BookingState.ACCEPTED);
      BookingState state = latest.toState();
      if (state == BookingState.COMPLETED) {
        assertThat(ledger.captured()).as(what).isEqualTo(priceMinor);
        assertThat(ledger.paidOut()).as(what).isEqualTo(priceMinor);
        assertThat(ledger.refunded()).as(what).isZero();
      } else if (accepted && (state == BookingState.CANCELLED_BY_CUSTOMER
          || state == BookingState.CANCELLED_BY_GIGSTA)) {
        assertThat(ledger.captured()).as(what).isEqualTo(priceMinor);
        assertThat(ledger.captured() - ledger.refunded()).as(what).isEqualTo(latest.fee().amountMinor());
        assertThat(ledger.paidOut()).as(what).isZero();
      } else if (accepted) {
        assertThat(state).as(what).isIn(BookingState.ACCEPTED, BookingState.IN_PROGRESS);
        assertThat(ledger.captured()).as(what).isEqualTo(priceMinor);
        assertThat(ledger.refunded()).as(what).isZero();
        assertThat(ledger.paidOut()).as(what).isZero();
      } else {
        assertThat(state).as(what).isIn(BookingState.REQUESTED, BookingState.DECLINED, BookingState.EXPIRED,
            BookingState.CANCELLED_BY_CUSTOMER);
        assertThat(ledger.captured()).as(what).isZero();
        assertThat(ledger.refunded()).as(what).isZero();
        assertThat(ledger.paidOut()).as(what).isZero();
      }
    }

    /**
     * The refund and fee recorded for a cancellation of an accepted booking: the customer's policy for the
     * time of the change, or everything back when the GigSta cancels; worked out here a second time, as a
     * percentage of the price rounded down to a minor unit.
     */
    private static void checkRefund(Booking before, AuditEntry cancel) {
      Money price = before.price();
      Money refund;
      long percent;
      if (cancel.actorRole() == Role.CUSTOMER) {
        refund = GigstaWorkflow.CUSTOMER_REFUND.refundOf(price, before, cancel.occurredAt());
        boolean withNotice = !cancel.occurredAt().isAfter(before.scheduledStart().minus(
            GigstaWorkflow.CANCELLATION_NOTICE));
        percent = withNotice ? 100 : GigstaWorkflow.LATE_REFUND_PERCENT;
      } else {
        assertThat(cancel.actorRole()).isEqualTo(Role.GIGSTA);
        refund = price;
        percent = 100;
      }
      String what = "the refund of " + cancel;
      assertThat(refund.amountMinor()).as(what).isEqualTo(price.amountMinor() * percent / 100);
      assertThat(cancel.amount()).as(what).isEqualTo(refund);
      assertThat(cancel.fee()).as(what).isEqualTo(price.minus(refund));
    }
  }
}
