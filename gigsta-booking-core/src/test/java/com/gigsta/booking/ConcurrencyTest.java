package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  private static final Actor CUSTOMER = Actor.customer("c-1");
  private static final Actor GIGSTA = Actor.gigsta("g-1");

  @Test
  void shouldLetExactlyOneOfManyConflictingActionsWin() throws Exception {
    InMemoryAuditTrail trail = new InMemoryAuditTrail();
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
    int threads = 16;
    int bookings = 500;
    int winners = 0;
    int losers = 0;
    int anomalies = 0;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int b = 0; b < bookings; b++) {
        Booking booking = engine.requestBooking("b-" + b, CUSTOMER, "g-1", null).booking();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          boolean customer = t % 2 == 0;
          outcomes.add(pool.submit(() -> {
            start.await();
            try {
              return new Outcome(customer
                  ? engine.perform(booking, CUSTOMER, "cancel_booking")
                  : engine.perform(booking, GIGSTA, "accept_booking"), null);
            } catch (BookingChangedConcurrentlyException e) {
              return new Outcome(null, e);
            }
          }));
        }
        start.countDown();
        List<BookingChange> won = new ArrayList<>();
        for (Future<Outcome> outcome : outcomes) {
          Outcome result = outcome.get();
          if (result.change() != null) {
            won.add(result.change());
          } else if (result.conflict().bookingId().equals(booking.id())) {
            losers++;
          } else {
            anomalies++;
          }
        }
        winners += won.size();
        List<AuditEntry> history = trail.history(booking.id());
        if (won.size() != 1 || history.size() != 2 || !history.get(1).equals(won.get(0).entry())) {
          anomalies++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf("in-memory races: %d races, %d winners, %d losers, %d anomalies%n", bookings, winners,
        losers, anomalies);
    assertThat(anomalies).isZero();
    assertThat(winners).isEqualTo(bookings);
    assertThat(losers).isEqualTo(bookings * (threads - 1));
  }

  @Test
  void shouldSurfaceALostRaceAtOnceWithoutRetrying() {
    CountingTrail trail = new CountingTrail(new InMemoryAuditTrail());
    BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
    Booking booking = engine.requestBooking("b-1", CUSTOMER, "g-1", null).booking();
    engine.perform(booking, CUSTOMER, "cancel_booking");
    trail.appends.set(0);

    assertThatThrownBy(() -> engine.perform(booking, GIGSTA, "accept_booking"))
        .isInstanceOf(BookingChangedConcurrentlyException.class);

    // StatefulJ would re-read and retry a StaleStateException up to 20 times with sleeps in between;
    // the engine makes exactly one attempt.
    assertThat(trail.appends.get()).isEqualTo(1);
  }

  record Outcome(BookingChange change, BookingChangedConcurrentlyException conflict) {}

  /** A real in-memory trail that counts append attempts and records what timer sweeps read. */
  static final class CountingTrail implements AuditTrail {
    final AtomicInteger appends = new AtomicInteger();
    final List<String> timerReads = new CopyOnWriteArrayList<>();
    // Run once, just before the next paymentAttempt: another request's change landing at that moment.
    volatile Runnable beforePaymentAttempt;
    // Run once, just after the next page of a migration is read: another change landing at that moment.
    volatile Runnable afterFindPinnedTo;
    private final AuditTrail delegate;

    CountingTrail(AuditTrail delegate) {
      this.delegate = delegate;
    }

    @Override
    public com.gigsta.booking.BookingLimits limits() {
      return delegate.limits();
    }

    @Override
    public void append(AuditEntry entry, PaymentMoment paymentMoment) {
      appends.incrementAndGet();
      delegate.append(entry, paymentMoment);
    }

    @Override
    public List<AuditEntry> history(String bookingId) {
      return delegate.history(bookingId);
    }

    @Override
    public Optional<AuditEntry> latest(String bookingId) {
      return delegate.latest(bookingId);
    }


    @Override

    public java.util.Map<com.gigsta.booking.WorkflowVersion, Long> workflowVersionsInUse(

        com.gigsta.booking.WorkflowVersion unpinnedAs) {

      return delegate.workflowVersionsInUse(unpinnedAs);

    }


    @Override

    public List<AuditEntry> findPinnedTo(com.gigsta.booking.WorkflowVersion version,

        com.gigsta.booking.WorkflowVersion unpinnedAs, String afterBookingId, int limit) {

      List<AuditEntry> page = delegate.findPinnedTo(version, unpinnedAs, afterBookingId, limit);
      Runnable hook = afterFindPinnedTo;
      afterFindPinnedTo = null;
      if (hook != null) {
        hook.run();
      }
      return page;

    }

    @Override
    public List<BookingTimes> findTimerCandidates(BookingState state, Timepoint timepoint, Instant from,
        String afterBookingId, Instant to, int limit) {
      timerReads.add(state + " by " + timepoint + " from " + from + " to " + to);
      return delegate.findTimerCandidates(state, timepoint, from, afterBookingId, to, limit);
    }

    @Override
    public Optional<Instant> timerSweptTo(String timer) {
      return delegate.timerSweptTo(timer);
    }

    @Override
    public void advanceTimerSweep(String timer, Instant sweptTo) {
      delegate.advanceTimerSweep(timer, sweptTo);
    }

    @Override
    public boolean scheduleDelivery(String consumer, String bookingId, long sequence, Instant dueAt) {
      return delegate.scheduleDelivery(consumer, bookingId, sequence, dueAt);
    }

    @Override
    public void recordHold(PaymentRequest secure, Instant recordedAt) {
      delegate.recordHold(secure, recordedAt);
    }

    @Override
    public List<PaymentRequest> claimAbandonedHolds(Instant recordedBefore, int limit) {
      return delegate.claimAbandonedHolds(recordedBefore, limit);
    }

    @Override
    public PaymentAttempt paymentAttempt(String bookingId, long sequence, String actionName) {
      Runnable before = beforePaymentAttempt;
      beforePaymentAttempt = null;
      if (before != null) {
        before.run();
      }
      return delegate.paymentAttempt(bookingId, sequence, actionName);
    }

    @Override
    public void markHoldDeclined(PaymentRequest secure) {
      delegate.markHoldDeclined(secure);
    }

    @Override
    public void markHoldReleased(PaymentRequest secure) {
      delegate.markHoldReleased(secure);
    }

    @Override
    public ChangePage changesSince(ChangeCursor after, int limit) {
      return delegate.changesSince(after, limit);
    }

    @Override
    public void registerConsumer(String consumer) {
      delegate.registerConsumer(consumer);
    }

    @Override
    public List<Delivery> claimDue(String consumer, Instant now, Instant leaseUntil, int limit) {
      return delegate.claimDue(consumer, now, leaseUntil, limit);
    }

    @Override
    public boolean markDelivered(Delivery delivery) {
      return delegate.markDelivered(delivery);
    }

    @Override
    public void markFailed(Delivery delivery, String error, Instant retryAt) {
      delegate.markFailed(delivery, error, retryAt);
    }

    @Override
    public List<Delivery> deadLetters(String consumer, int limit) {
      return delegate.deadLetters(consumer, limit);
    }

    @Override
    public long deadLetterCount(String consumer) {
      return delegate.deadLetterCount(consumer);
    }

    @Override
    public boolean resubmit(String consumer, String bookingId, long sequence, Instant now) {
      return delegate.resubmit(consumer, bookingId, sequence, now);
    }
  }
}
