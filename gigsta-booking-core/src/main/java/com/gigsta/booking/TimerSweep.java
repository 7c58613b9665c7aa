package com.gigsta.booking;

import com.gigsta.booking.spi.AuditTrail;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the timed rules and reminders that fell due, from the trail itself, and fires or schedules them;
 * the timer part of a {@link DeliveryWorker}'s sweep. Thread-safe: it keeps nothing between calls but what
 * the trail stores.
 *
 * <p>Each timer (a timed rule, or a reminder, of one state) has a mark in the trail: how far it was swept.
 * A sweep asks the trail, term by term of the deadline ({@link Deadline#terms()}), for the bookings still
 * in the state whose timepoint makes the timer due from a little before the mark ({@link #REREAD}) up to
 * now; bookings that left the state long ago are never read. Then, for each booking due:
 * <ul>
 *   <li>a timed rule due after the mark is taken at once, as the system, on the booking's latest entry;
 *       if the booking changed meanwhile the race is lost and nothing more is done, and if taking it fails
 *       it is scheduled as a {@link Delivery#TIMERS} delivery, retried with backoff up to a dead letter;</li>
 *   <li>a reminder due after the mark is scheduled as a delivery to its consumer, which the trail makes at
 *       most once per booking version;</li>
 *   <li>a timer due before the mark was seen by the sweep that set it, and is passed over, unless the
 *       booking's change was recorded less than {@link #REREAD} before the mark and so may have committed
 *       after that sweep read: then it is scheduled (a timed rule as a {@code TIMERS} delivery), which
 *       changes nothing if it was scheduled before.</li>
 * </ul>
 * Then the mark moves to now. A sweep that dies before moving it leaves the mark behind, so the next one
 * reads the same bookings again: those already fired have left the state, the rest are fired then. A
 * timer's deadline is part of its key, so a changed deadline starts with no mark and reads the state from
 * the beginning once.
 *
 * <p>Every workflow version the engine hosts brings its timers; a timer that several versions declare
 * alike is swept once. A booking is handled only by the timers of the version it is pinned to, and fires
 * that version's rule.
 */
final class TimerSweep {

  /**
   * How far behind its mark a sweep reads again, so that a change whose transaction committed up to this
   * long after its entry's time, or was recorded by an instance whose clock is this far behind, still has
   * its timers found.
   */
  static final Duration REREAD = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(TimerSweep.class);

  private final BookingEngine engine;
  private final AuditTrail trail;
  private final List<Timer> timers;
  private final int batchSize;
  private final Duration firstRetryDelay;

  TimerSweep(BookingEngine engine, boolean withReminders, int batchSize, Duration firstRetryDelay) {
    this.engine = engine;
    this.trail = engine.auditTrail();
    this.batchSize = batchSize;
    this.firstRetryDelay = firstRetryDelay;
    // By key, so that a timer declared alike by several versions is swept once, for all of them.
    Map<String, Timer> all = new LinkedHashMap<>();
    for (CompiledWorkflow version : engine.compiledVersions()) {
      Workflow definition = version.workflow();
      for (WorkflowRule rule : definition.timedRules()) {
        add(all, new Timer(key(definition, rule.from(), "rule " + rule.actionName() + " to " + rule.to(),
            rule.deadline()), rule.from(), rule.deadline(), rule.deadline().terms(), null, new HashSet<>()), version);
      }
      if (withReminders) {
        for (WorkflowReminder reminder : definition.reminders()) {
          add(all, new Timer(key(definition, reminder.state(), "reminder " + reminder.name(), reminder.deadline()),
              reminder.state(), reminder.deadline(), reminder.deadline().terms(), reminder, new HashSet<>()), version);
        }
      }
    }
    this.timers = all.values().stream()
        .map(timer -> new Timer(timer.key, timer.state, timer.deadline, timer.terms, timer.reminder,
            Set.copyOf(timer.versions)))
        .toList();
  }

  private static void add(Map<String, Timer> timers, Timer timer, CompiledWorkflow version) {
    timers.computeIfAbsent(timer.key, key -> timer).versions.add(version.version());
  }

  /**
   * Returns how far every timer was swept: the earliest of their marks, or empty when there are no timers or
   * one was never swept.
   */
  Optional<Instant> sweptTo() {
    Instant earliest = null;
    for (Timer timer : timers) {
      Instant mark = trail.timerSweptTo(timer.key).orElse(null);
      if (mark == null) {
        return Optional.empty();
      }
      earliest = earliest == null || mark.isBefore(earliest) ? mark : earliest;
    }
    return Optional.ofNullable(earliest);
  }

  /** Sweeps every timer once; returns how many timed rules this call took. */
  int sweep(Instant now) {
    int fired = 0;
    for (Timer timer : timers) {
      fired += sweep(timer, now);
    }
    return fired;
  }

  private int sweep(Timer timer, Instant now) {
    Instant sweptTo = trail.timerSweptTo(timer.key).orElse(null);
    Instant from = sweptTo == null ? null : sweptTo.minus(REREAD);
    int fired = 0;
    // A booking may lie in the window of several terms; it is handled once per sweep, so that a timed rule
    // that fails is not tried again before its backoff.
    Set<String> handled = new HashSet<>();
    for (Deadline.Term term : timer.terms) {
      Instant lower = from == null ? null : from.minus(term.offset());
      String afterBookingId = null;
      List<BookingTimes> page;
      do {
        page = trail.findTimerCandidates(timer.state, term.timepoint(), lower, afterBookingId,
            now.minus(term.offset()), batchSize);
        for (BookingTimes candidate : page) {
          if (handled.add(candidate.latest().bookingId())) {
            fired += handle(timer, candidate, sweptTo, now);
          }
        }
        if (!page.isEmpty()) {
          BookingTimes last = page.get(page.size() - 1);
          lower = last.at(term.timepoint());
          afterBookingId = last.latest().bookingId();
        }
      } while (page.size() == batchSize);
    }
    trail.advanceTimerSweep(timer.key, now);
    return fired;
  }

  private int handle(Timer timer, BookingTimes candidate, Instant sweptTo, Instant now) {
    Instant due = timer.deadline.dueAt(candidate).orElse(null);
    if (due == null || due.isAfter(now)) {
      return 0;
    }
    AuditEntry latest = candidate.latest();
    WorkflowVersion version = engine.versionOf(latest.workflowVersion());
    if (!timer.versions.contains(version)) {
      // Another version's timer, or a version this engine does not host (it refuses to act on those).
      return 0;
    }
    if (sweptTo != null && !due.isAfter(sweptTo)) {
      // The sweep that set the mark saw this booking, unless its change committed after that sweep had
      // read: possible only for a change recorded less than REREAD before the mark. Such a timer is
      // scheduled, which the trail does at most once, so a reminder or retry scheduled before stays as it is.
      if (candidate.at(Timepoint.STATE_ENTERED).isAfter(sweptTo.minus(REREAD))) {
        schedule(timer, latest, due, now);
      }
      return 0;
    }
    if (timer.reminder != null) {
      schedule(timer, latest, due, now);
      return 0;
    }
    WorkflowRule rule = engine.compiledFor(Booking.after(latest), null, Actor.system())
        .dueTimedRule(candidate, now).orElse(null);
    if (rule == null) {
      return 0;
    }
    try {
      engine.fireTimed(latest, rule, rule.deadline().dueAt(candidate).orElse(due));
      return 1;
    } catch (BookingChangedConcurrentlyException e) {
      LOG.debug("booking {}: timed {} not taken, the booking changed: {}", latest.bookingId(), rule.actionName(),
          e.getMessage());
      return 0;
    } catch (RuntimeException e) {
      LOG.warn("booking {}: timed {} failed; retrying as a '{}' delivery", latest.bookingId(), rule.actionName(),
          Delivery.TIMERS, e);
      trail.scheduleDelivery(Delivery.TIMERS, latest.bookingId(), latest.sequence(), now.plus(firstRetryDelay));
      return 0;
    }
  }

  // A reminder is scheduled due when it fell due; a timed rule, for the TIMERS consumer to take now.
  private void schedule(Timer timer, AuditEntry latest, Instant due, Instant now) {
    if (timer.reminder != null) {
      trail.scheduleDelivery(timer.reminder.consumer(), latest.bookingId(), latest.sequence(), due);
    } else {
      trail.scheduleDelivery(Delivery.TIMERS, latest.bookingId(), latest.sequence(), now);
    }
  }

  /**
   * Delivers a {@link Delivery#TIMERS} delivery: takes the timed rule due for the booking's version the
   * change recorded, unless the booking has changed since (the timer was cancelled), another worker took
   * it first, or the version it is pinned to no longer times its state. Throws what taking it threw, that
   * no rule is due yet by this worker's clock, or that the engine does not host the booking's version, so
   * the delivery is retried.
   */
  void fireScheduled(FeedChange change, Instant now) {
    BookingTimes times = currentTimes(change);
    if (times == null) {
      return;
    }
    CompiledWorkflow workflow = engine.compiledFor(Booking.after(times.latest()), null, Actor.system());
    WorkflowRule rule = workflow.dueTimedRule(times, now).orElse(null);
    if (rule == null && workflow.hasTimedRules(times.latest().toState())) {
      // Due by the clock of the worker that scheduled it, not yet by this one's (clocks apart, or a
      // deadline made longer since): retried with backoff, never dropped while the booking waits in the state.
      throw new IllegalStateException("booking " + change.bookingId() + " at version " + change.sequence()
          + ": no timed rule of " + times.latest().toState() + " is due yet at " + now);
    }
    if (rule == null) {
      LOG.info("booking {}: {} has no timed rule any more", change.bookingId(), times.latest().toState());
      return;
    }
    try {
      engine.fireTimed(times.latest(), rule, rule.deadline().dueAt(times).orElse(now));
    } catch (BookingChangedConcurrentlyException e) {
      LOG.debug("booking {}: timed {} not taken, the booking changed: {}", change.bookingId(), rule.actionName(),
          e.getMessage());
    }
  }

  /**
   * Delivers the reminder of this consumer name that the booking's version declares, unless the booking
   * has changed since the version it belongs to, or was migrated to a version without such a reminder.
   */
  void remind(FeedChange change, String reminderConsumer, ReminderConsumer consumer) throws Exception {
    BookingTimes times = currentTimes(change);
    if (times == null) {
      return;
    }
    Workflow workflow = engine.compiledFor(Booking.after(times.latest()), null, Actor.system()).workflow();
    WorkflowReminder reminder = workflow.reminders().stream()
        .filter(declared -> declared.consumer().equals(reminderConsumer)).findFirst().orElse(null);
    if (reminder == null) {
      LOG.info("booking {}: workflow {} has no reminder {}", change.bookingId(), workflow.workflowVersion(),
          reminderConsumer);
      return;
    }
    Instant due = reminder.deadline().dueAt(times).orElseThrow(() -> new IllegalStateException(
        "reminder " + reminder.name() + " has no due time for booking " + change.bookingId()));
    consumer.remind(new Reminder(reminder, Booking.after(times.latest()), due));
  }

  // The booking's times if it is still at the change's version, else null: it moved on, which cancels timers.
  private BookingTimes currentTimes(FeedChange change) {
    AuditEntry latest = trail.latest(change.bookingId()).orElse(null);
    if (latest == null || latest.sequence() != change.sequence()) {
      return null;
    }
    Instant createdAt = latest.sequence() == 1 ? latest.occurredAt()
        : trail.history(change.bookingId()).get(0).occurredAt();
    return new BookingTimes(latest, createdAt);
  }

  // A timer's mark is kept under a digest of everything that decides when it falls due, so that a
  // changed deadline is never read against the mark of the old one.
  private static String key(Workflow workflow, BookingState state, String what, Deadline deadline) {
    String text = workflow.name() + "\n" + state + "\n" + what + "\n" + deadline;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * One timed rule or reminder of one state, with its deadline's terms and the versions that declare it;
   * {@code reminder} is null for a rule.
   */
  private record Timer(String key, BookingState state, Deadline deadline, List<Deadline.Term> terms,
      WorkflowReminder reminder, Set<WorkflowVersion> versions) {}
}
