package com.gigsta.booking.testing;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A trail in memory that declares limits of its choosing and refuses what lies outside them, as a trail
 * over a database does. The in-memory trail underneath holds any length and any instant, so only the
 * declared limits decide what is stored. Subclasses in {@link ContractCatchesBrokenTrailsTest} each break
 * one rule.
 */
class DeclaringTrail implements AuditTrail {

  /** The limits of the JDBC trail's table: microseconds, from the year 1000 to the end of 9999. */
  static final BookingLimits MICROS_FROM_1000_TO_9999 = BookingLimits.defaults().withTimes(ChronoUnit.MICROS,
      Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"));

  final BookingLimits declared;
  final InMemoryAuditTrail memory;

  /** Declares the lengths of {@code lengths} and the times of {@code times}. */
  DeclaringTrail(BookingLimits lengths, BookingLimits times) {
    this.declared = lengths.withTimes(times.timePrecision(), times.earliestTime(), times.latestTime());
    this.memory = new InMemoryAuditTrail(new BookingLimits(Integer.MAX_VALUE, Integer.MAX_VALUE));
  }

  @Override
  public BookingLimits limits() {
    return declared;
  }

  @Override
  public void append(AuditEntry entry, PaymentMoment paymentMoment) {
    Objects.requireNonNull(entry, "entry");
    declared.check(entry);
    memory.append(entry, paymentMoment);
  }

  @Override
  public List<AuditEntry> history(String bookingId) {
    return memory.history(bookingId);
  }

  @Override
  public Optional<AuditEntry> latest(String bookingId) {
    return memory.latest(bookingId);
  }


  @Override

  public java.util.Map<com.gigsta.booking.WorkflowVersion, Long> workflowVersionsInUse(

      com.gigsta.booking.WorkflowVersion unpinnedAs) {

    return memory.workflowVersionsInUse(unpinnedAs);

  }


  @Override

  public List<AuditEntry> findPinnedTo(com.gigsta.booking.WorkflowVersion version,

      com.gigsta.booking.WorkflowVersion unpinnedAs, String afterBookingId, int limit) {

    return memory.findPinnedTo(version, unpinnedAs, afterBookingId, limit);

  }

  @Override
  public List<BookingTimes> findTimerCandidates(BookingState state, Timepoint timepoint, Instant from,
      String afterBookingId, Instant to, int limit) {
    return memory.findTimerCandidates(state, timepoint, from, afterBookingId, to, limit);
  }

  @Override
  public Optional<Instant> timerSweptTo(String timer) {
    return memory.timerSweptTo(timer);
  }

  @Override
  public void advanceTimerSweep(String timer, Instant sweptTo) {
    memory.advanceTimerSweep(timer, sweptTo);
  }

  @Override
  public boolean scheduleDelivery(String consumer, String bookingId, long sequence, Instant dueAt) {
    return memory.scheduleDelivery(consumer, bookingId, sequence, dueAt);
  }

  @Override
  public PaymentAttempt paymentAttempt(String bookingId, long sequence, String actionName) {
    return memory.paymentAttempt(bookingId, sequence, actionName);
  }

  @Override
  public void recordHold(PaymentRequest secure, Instant recordedAt) {
    memory.recordHold(secure, recordedAt);
  }

  @Override
  public void markHoldDeclined(PaymentRequest secure) {
    memory.markHoldDeclined(secure);
  }

  @Override
  public List<PaymentRequest> claimAbandonedHolds(Instant recordedBefore, int limit) {
    return memory.claimAbandonedHolds(recordedBefore, limit);
  }

  @Override
  public void markHoldReleased(PaymentRequest secure) {
    memory.markHoldReleased(secure);
  }

  @Override
  public ChangePage changesSince(ChangeCursor after, int limit) {
    return memory.changesSince(after, limit);
  }

  @Override
  public void registerConsumer(String consumer) {
    memory.registerConsumer(consumer);
  }

  @Override
  public List<Delivery> claimDue(String consumer, Instant now, Instant leaseUntil, int limit) {
    return memory.claimDue(consumer, now, leaseUntil, limit);
  }

  @Override
  public boolean markDelivered(Delivery delivery) {
    return memory.markDelivered(delivery);
  }

  @Override
  public void markFailed(Delivery delivery, String error, Instant retryAt) {
    int longest = declared.maxTextLength();
    memory.markFailed(delivery, error.length() <= longest ? error : error.substring(0, longest), retryAt);
  }

  @Override
  public List<Delivery> deadLetters(String consumer, int limit) {
    return memory.deadLetters(consumer, limit);
  }

  @Override
  public long deadLetterCount(String consumer) {
    return memory.deadLetterCount(consumer);
  }

  @Override
  public boolean resubmit(String consumer, String bookingId, long sequence, Instant now) {
    return memory.resubmit(consumer, bookingId, sequence, now);
  }
}
