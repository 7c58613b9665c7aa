package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;
import static com.gigsta.booking.internal.Preconditions.requireState;

import com.gigsta.booking.BookingObserver.DeliveryOutcome;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what recorded changes owe: settlements to the payment provider (captures, releases, refunds
 * and payouts, with the change's idempotency key and recorded amount) and changes to durable consumers such as email or push
 * senders; and takes the workflow's timed rules and sends its reminders when they fall due. Everything it
 * delivers was stored with the change itself, and every timer is found from the trail, so nothing is lost
 * when a process dies: a delivery that was not marked done is delivered again, a timer not yet taken is
 * found again.
 *
 * <pre>{@code
 * DeliveryWorker worker = DeliveryWorker.builder(engine)
 *     .withConsumer("emails", change -> mailer.send(change.entry()))
 *     .build();
 * worker.start(Duration.ofSeconds(1));   // or call worker.runOnce() from the host's own scheduler
 * }</pre>
 *
 * <p><b>Guarantees.</b> Each delivery is made at least once, and repeated only when a worker died or
 * lost its lease before marking it done; settlements carry the change's idempotency key
 * ({@link PaymentRequest#idempotencyKey()}), so the provider's deduplication makes a repeat harmless,
 * and consumers deduplicate on {@link FeedChange#bookingId()} and {@link FeedChange#sequence()}. A failed
 * delivery is retried with exponential backoff; after {@link Builder#withMaxAttempts(int) maxAttempts}
 * failures it becomes a dead letter, which stays visible ({@link #deadLetters}, {@link #deadLetterCount})
 * until {@link #resubmit resubmitted}. Deliveries of one consumer are not ordered with respect to each
 * other once one has failed.
 *
 * <p><b>Several workers.</b> Any number of workers, in one process or many, may run over the same trail:
 * each claims due deliveries for a lease ({@link Builder#withLease(Duration)}) so that others pass them
 * over, holds no lock while it calls the provider or a consumer, and marks each delivery done once. If
 * two workers deliver the same change after all (a lease ran out), the provider's key makes the second
 * settlement harmless and exactly one of them records it done.
 *
 * <p><b>Abandoned holds.</b> The engine records a hold just before it asks the provider to secure a
 * payment, and the change's append claims it. A hold still unclaimed after
 * {@link Builder#withHoldGrace(Duration) the grace period} belongs to a change that was never recorded
 * (the process died in between); the settlement worker releases its payment with the change's release
 * key, retrying on every sweep until the release succeeds.
 *
 * <p><b>Timers.</b> Each sweep also takes the workflow's {@link WorkflowRule#isTimed() timed rules} that
 * fell due, as {@link Actor#system()} (on by default, {@link Builder#withTimers(boolean)}), and schedules
 * the {@link Workflow#reminders() reminders} that fell due for the {@link Builder#withReminders reminder
 * consumer}. Due timers are found from the trail itself; any change a booking records first cancels them.
 * With several workers each timed rule is taken once: a worker that loses the race to another, or to a
 * person, skips it. A timed rule that fails is retried as a delivery to {@link Delivery#TIMERS}, with
 * backoff, and after {@link Builder#withMaxAttempts(int) maxAttempts} failures becomes one of its dead
 * letters; it never silently stops. A timer falls due by this worker's clock
 * ({@link Builder#withClock(Clock)}), never earlier.
 *
 * <p>Thread-safe: {@link #runOnce()} may be called from several threads at once.
 */
public final class DeliveryWorker implements AutoCloseable {

  /** The built-in consumer that delivers settlements to the payment provider: {@link Delivery#SETTLEMENT}. */
  public static final String SETTLEMENT = Delivery.SETTLEMENT;

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int MAX_ERROR_LENGTH = 2_000;

  private final AuditTrail trail;
  // Delivered in this order on every sweep: settlements first when enabled.
  private final Map<String, ChangeConsumer> consumers;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration lease;
  private final int batchSize;
  private final Clock clock;
  private final PaymentHooks paymentHooks;
  private final Duration holdGrace;
  private final TimerSweep timers;
  private final BookingObserver observer;
  private final Object scheduling = new Object();
  private ScheduledExecutorService scheduler;

  private DeliveryWorker(Builder builder, Map<String, ChangeConsumer> consumers, TimerSweep timers) {
    this.trail = builder.engine.auditTrail();
    this.consumers = consumers;
    this.maxAttempts = builder.maxAttempts;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.lease = builder.lease;
    this.batchSize = builder.batchSize;
    this.clock = builder.clock;
    this.paymentHooks = builder.engine.paymentHooks();
    this.holdGrace = builder.holdGrace;
    this.timers = timers;
    this.observer = builder.engine.observer();
  }

  /**
   * Returns a builder for a worker over the engine's audit trail that delivers the engine's settlements
   * to its payment hooks.
   *
   * @param engine the engine whose trail and payment hooks to use
   * @return a new builder
   * @throws NullPointerException if the engine is null
   */
  public static Builder builder(BookingEngine engine) {
    return new Builder(requireNonNull(engine, "engine"));
  }

  /**
   * Returns the consumers this worker delivers to, settlements first when enabled, then the host's, then
   * {@link Delivery#TIMERS} when it takes timed rules, then the reminders' consumers when it sends them.
   *
   * @return the consumers' names, in delivery order
   */
  public List<String> consumers() {
    return List.copyOf(consumers.keySet());
  }

  /**
   * Releases abandoned holds, takes the timed rules that fell due and schedules due reminders, then
   * delivers up to one batch of due deliveries to each consumer, and returns what happened. Safe to call
   * from several threads and processes at once.
   *
   * @return the counts of this sweep
   * @throws AuditTrailException if the trail fails; what was delivered or taken before stays so
   */
  public Sweep runOnce() {
    int releasedHolds = consumers.containsKey(SETTLEMENT) ? releaseAbandonedHolds() : 0;
    int timersFired = timers == null ? 0 : timers.sweep(clock.instant());
    int delivered = 0;
    int retried = 0;
    int deadLettered = 0;
    for (Map.Entry<String, ChangeConsumer> consumer : consumers.entrySet()) {
      Instant now = clock.instant();
      for (Delivery delivery : trail.claimDue(consumer.getKey(), now, now.plus(lease), batchSize)) {
        switch (deliver(consumer.getValue(), delivery, now)) {
          case DELIVERED -> delivered++;
          case RETRY -> retried++;
          case DEAD -> deadLettered++;
          case ALREADY_DONE -> { }
        }
      }
    }
    return new Sweep(delivered, retried, deadLettered, releasedHolds, timersFired);
  }

  /*
   * Payments secured for changes never recorded: the process died between securing and appending, or
   * the engine's own release failed. Each is released with its change's release key, then forgotten; a
   * failed release stays claimed and is tried again on the next sweep.
   */
  private int releaseAbandonedHolds() {
    int released = 0;
    PaymentHooks hooks = paymentHooks;
    for (PaymentRequest secure : trail.claimAbandonedHolds(clock.instant().minus(holdGrace), batchSize)) {
      PaymentRequest release = secure.withMoment(PaymentMoment.RELEASE);
      try {
        hooks.release(release);
      } catch (RuntimeException e) {
        LOG.warn("releasing abandoned hold {} failed; retrying on the next sweep with key {}",
            secure.idempotencyKey(), release.idempotencyKey(), e);
        continue;
      }
      trail.markHoldReleased(secure);
      LOG.info("released the payment secured with key {} for a change that was never recorded",
          secure.idempotencyKey());
      released++;
    }
    return released;
  }

  /**
   * Runs {@link #runOnce()} until a sweep finds nothing to deliver; for tests, demos and shutdown hooks.
   * Deliveries that fail are retried only once their backoff has passed, so this returns even while some
   * keep failing.
   *
   * @return the summed counts of all sweeps
   */
  public Sweep drain() {
    Sweep total = new Sweep(0, 0, 0, 0, 0);
    while (true) {
      Sweep sweep = runOnce();
      total = total.plus(sweep);
      if (sweep.isEmpty()) {
        return total;
      }
    }
  }

  /**
   * Starts sweeping on a thread of its own, waiting {@code pollInterval} after each sweep that found
   * nothing; failures of a sweep are logged and the next sweep runs. Stop it with {@link #close()}.
   *
   * @param pollInterval how long to wait when nothing was due
   * @throws IllegalStateException if already started
   * @throws IllegalArgumentException if the interval is not positive
   */
  public void start(Duration pollInterval) {
    requireNonNull(pollInterval, "pollInterval");
    requireArgument(!pollInterval.isNegative() && !pollInterval.isZero(), "pollInterval must be positive");
    synchronized (scheduling) {
      requireState(scheduler == null, "this worker was already started");
      scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gigsta-delivery-worker");
        thread.setDaemon(true);
        return thread;
      });
      scheduler.scheduleWithFixedDelay(this::sweepQuietly, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Stops the thread started by {@link #start(Duration)}, waiting up to 10 seconds for its sweep. */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (scheduling) {
      running = scheduler;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      running.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Returns how far this worker's timers were swept: every timed rule and reminder that fell due before
   * the returned instant has been taken or scheduled. A health check compares it with the clock: a mark
   * far behind means no worker is sweeping. Reads the trail.
   *
   * @return the earliest mark of this worker's timers; empty when it takes no timers, or one of them was
   *     never swept
   */
  public Optional<Instant> timersSweptTo() {
    return timers == null ? Optional.empty() : timers.sweptTo();
  }

  /**
   * Returns the consumer's dead letters, oldest change first.
   *
   * @param consumer one of {@link #consumers()}
   * @param limit the most to return, from 1 to 10,000
   * @return the dead letters
   */
  public List<Delivery> deadLetters(String consumer, int limit) {
    return trail.deadLetters(requireKnown(consumer), limit);
  }

  /**
   * Counts the consumer's dead letters.
   *
   * @param consumer one of {@link #consumers()}
   * @return how many there are
   */
  public long deadLetterCount(String consumer) {
    return trail.deadLetterCount(requireKnown(consumer));
  }

  /**
   * Makes a dead letter due again now, with its failed attempts reset, e.g. once an operator fixed what
   * made it fail.
   *
   * @param consumer one of {@link #consumers()}
   * @param bookingId the change's booking
   * @param sequence the change's sequence
   * @return true if a dead letter was resubmitted, false if the change has none for this consumer
   */
  public boolean resubmit(String consumer, String bookingId, long sequence) {
    requireNonNull(bookingId, "bookingId");
    return trail.resubmit(requireKnown(consumer), bookingId, sequence, clock.instant());
  }

  private String requireKnown(String consumer) {
    requireNonNull(consumer, "consumer");
    requireArgument(consumers.containsKey(consumer), "this worker delivers to %s, not to '%s'", consumers.keySet(),
        consumer);
    return consumer;
  }

  private void sweepQuietly() {
    try {
      while (!runOnce().isEmpty() && !Thread.currentThread().isInterrupted()) {
        // Keep sweeping while there is work; wait the poll interval only once nothing was due.
      }
    } catch (RuntimeException e) {
      LOG.error("a delivery sweep failed; the next one runs after the poll interval", e);
    }
  }

  private DeliveryOutcome deliver(ChangeConsumer consumer, Delivery delivery, Instant claimedAt) {
    FeedChange change = delivery.change();
    BookingObserver.DeliveryAttempt attempt = new BookingObserver.DeliveryAttempt(delivery.consumer(),
        change.entry(), delivery.failedAttempts(), claimedAt);
    return observer.observeDelivery(attempt, () -> {
      try {
        consumer.deliver(change);
      } catch (Exception e) {
        return fail(delivery, e);
      }
      return trail.markDelivered(delivery) ? DeliveryOutcome.DELIVERED : DeliveryOutcome.ALREADY_DONE;
    });
  }

  private DeliveryOutcome fail(Delivery delivery, Exception failure) {
    int attempts = delivery.failedAttempts() + 1;
    String error = describe(failure);
    FeedChange change = delivery.change();
    if (attempts >= maxAttempts) {
      LOG.error("{} of booking {} sequence {} failed {} times and is now a dead letter: {}", delivery.consumer(),
          change.bookingId(), change.sequence(), attempts, error, failure);
      trail.markFailed(delivery, error, null);
      return DeliveryOutcome.DEAD;
    }
    Instant retryAt = clock.instant().plus(backoff(attempts));
    LOG.warn("{} of booking {} sequence {} failed (attempt {} of {}), retrying at {}: {}", delivery.consumer(),
        change.bookingId(), change.sequence(), attempts, maxAttempts, retryAt, error);
    trail.markFailed(delivery, error, retryAt);
    return DeliveryOutcome.RETRY;
  }

  // initialBackoff doubled per failure before this one, up to maxBackoff.
  private Duration backoff(int attempts) {
    Duration delay = initialBackoff;
    for (int i = 1; i < attempts && delay.compareTo(maxBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }

  private static String describe(Exception failure) {
    String text = failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }

  private static ChangeConsumer settlements(PaymentHooks hooks) {
    return change -> {
      AuditEntry entry = change.entry();
      switch (change.paymentMoment()) {
        // A charge was secured before the change was recorded; what it owes now is the capture.
        case CHARGE, CAPTURE -> hooks.capture(PaymentRequest.of(PaymentMoment.CAPTURE, entry));
        case RELEASE -> hooks.release(PaymentRequest.of(PaymentMoment.RELEASE, entry));
        case REFUND -> hooks.refund(PaymentRequest.of(PaymentMoment.REFUND, entry));
        case PAYOUT -> hooks.payout(PaymentRequest.of(PaymentMoment.PAYOUT, entry));
        default -> throw new IllegalStateException("change " + change.bookingId() + ":" + change.sequence()
            + " owes no settlement but " + change.paymentMoment());
      }
    };
  }


  /**
   * What one or more sweeps did. Immutable.
   *
   * @param delivered deliveries made and marked done by this worker
   * @param retried deliveries that failed and will be retried
   * @param deadLettered deliveries that failed for the last time and became dead letters
   * @param releasedHolds payments secured for changes that were never recorded, released by this worker
   * @param timersFired timed rules this worker took when they fell due (not counting retries, which are
   *     deliveries to {@link Delivery#TIMERS})
   */
  public record Sweep(int delivered, int retried, int deadLettered, int releasedHolds, int timersFired) {

    /**
     * Returns whether the sweep found nothing to do.
     *
     * @return true if every count is 0
     */
    public boolean isEmpty() {
      return delivered == 0 && retried == 0 && deadLettered == 0 && releasedHolds == 0 && timersFired == 0;
    }

    Sweep plus(Sweep other) {
      return new Sweep(delivered + other.delivered, retried + other.retried, deadLettered + other.deadLettered,
          releasedHolds + other.releasedHolds, timersFired + other.timersFired);
    }
  }

  /** Configures a {@link DeliveryWorker}; not thread-safe. */
  public static final class Builder {
    private final BookingEngine engine;
    private final Map<String, ChangeConsumer> consumers = new LinkedHashMap<>();
    private boolean settlements = true;
    private int maxAttempts = 10;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(15);
    private Duration lease = Duration.ofSeconds(60);
    private Duration holdGrace = Duration.ofMinutes(5);
    private int batchSize = 100;
    private Clock clock;
    private boolean timers = true;
    private ReminderConsumer reminders;

    private Builder(BookingEngine engine) {
      this.engine = engine;
      this.clock = engine.clock();
    }

    /**
     * Sets whether this worker delivers settlements to the engine's payment hooks; default {@code true}.
     * Turn it off for a worker that only notifies, when another worker settles.
     *
     * @param settlements whether to deliver settlements
     * @return this builder
     */
    public Builder withSettlements(boolean settlements) {
      this.settlements = settlements;
      return this;
    }

    /**
     * Sets whether this worker takes the workflow's timed rules when they fall due; default {@code true}.
     * Any number of workers may; turn it off for a worker that should only deliver.
     *
     * @param timers whether to take timed rules
     * @return this builder
     */
    public Builder withTimers(boolean timers) {
      this.timers = timers;
      return this;
    }

    /**
     * Sets who sends the workflow's reminders; without one, this worker neither schedules nor sends them.
     * Reminders are swept only while timers are on ({@link #withTimers(boolean)}).
     *
     * @param reminders the reminder consumer
     * @return this builder
     */
    public Builder withReminders(ReminderConsumer reminders) {
      this.reminders = requireNonNull(reminders, "reminders");
      return this;
    }

    /**
     * Adds a durable consumer; {@link #build()} registers it with the trail, from when on every change
     * that enters the feed is owed to it.
     *
     * @param name the consumer's durable name: 1 to 64 of a-z, 0-9, '.', '-' and '_'; not
     *     {@value DeliveryWorker#SETTLEMENT}, {@value Delivery#TIMERS} nor starting with
     *     {@value Delivery#REMINDER_PREFIX}; renaming a consumer starts it afresh
     * @param consumer what to deliver to
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed, reserved or already added
     */
    public Builder withConsumer(String name, ChangeConsumer consumer) {
      AuditTrail.requireConsumerName(name);
      requireNonNull(consumer, "consumer");
      requireArgument(!SETTLEMENT.equals(name), "'%s' is the built-in settlement consumer's name", name);
      requireArgument(!AuditTrail.isScheduledConsumer(name), "'%s' is reserved for timers and reminders", name);
      requireArgument(!consumers.containsKey(name), "consumer '%s' was already added", name);
      consumers.put(name, consumer);
      return this;
    }

    /**
     * Sets how many failed attempts make a delivery a dead letter; default 10.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder withMaxAttempts(int maxAttempts) {
      requireArgument(maxAttempts >= 1, "maxAttempts must be at least 1 but was %d", maxAttempts);
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the wait after the first failure, doubled after each further one up to {@code max}; default 1
     * second up to 15 minutes.
     *
     * @param initial the first wait, positive
     * @param max the longest wait, at least {@code initial}
     * @return this builder
     */
    public Builder withBackoff(Duration initial, Duration max) {
      requireNonNull(initial, "initial");
      requireNonNull(max, "max");
      requireArgument(!initial.isNegative() && !initial.isZero() && max.compareTo(initial) >= 0,
          "backoff must be positive with max at least initial but was %s up to %s", initial, max);
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Sets how long claimed deliveries are passed over by other workers; default 60 seconds. Make it
     * longer than a slow provider call, or two workers deliver the same change more often than needed.
     *
     * @param lease positive
     * @return this builder
     */
    public Builder withLease(Duration lease) {
      requireNonNull(lease, "lease");
      requireArgument(!lease.isNegative() && !lease.isZero(), "lease must be positive but was %s", lease);
      this.lease = lease;
      return this;
    }

    /**
     * Sets how long after it was recorded an unclaimed hold counts as abandoned and is released; default
     * 5 minutes. A hold is recorded just before the provider secures a payment and claimed when the
     * change is appended, so the grace must exceed the longest time between the two: the provider's
     * slowest answer plus, inside a host's transaction, the time until the append. A hold found
     * abandoned can no longer be claimed: the late append is refused and the payment released.
     *
     * @param holdGrace positive
     * @return this builder
     */
    public Builder withHoldGrace(Duration holdGrace) {
      requireNonNull(holdGrace, "holdGrace");
      requireArgument(!holdGrace.isNegative() && !holdGrace.isZero(), "holdGrace must be positive but was %s",
          holdGrace);
      this.holdGrace = holdGrace;
      return this;
    }

    /**
     * Sets how many deliveries per consumer one sweep claims; default 100.
     *
     * @param batchSize from 1 to 10,000
     * @return this builder
     */
    public Builder withBatchSize(int batchSize) {
      this.batchSize = AuditTrail.requireBatchLimit(batchSize);
      return this;
    }

    /**
     * Sets the clock for due times; default the engine's.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder withClock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Registers the consumers with the trail and returns the worker; it does not start.
     *
     * @return the worker
     * @throws IllegalArgumentException if it would do nothing: no settlements, consumers or timers
     */
    public DeliveryWorker build() {
      Map<String, ChangeConsumer> all = new LinkedHashMap<>();
      if (settlements) {
        all.put(SETTLEMENT, settlements(engine.paymentHooks()));
      }
      all.putAll(consumers);
      TimerSweep sweep = null;
      if (timers) {
        sweep = new TimerSweep(engine, reminders != null, batchSize, initialBackoff);
        TimerSweep scheduled = sweep;
        Clock workerClock = clock;
        all.put(Delivery.TIMERS, change -> scheduled.fireScheduled(change, workerClock.instant()));
      }
      if (reminders != null) {
        TimerSweep reminding = sweep != null ? sweep : new TimerSweep(engine, true, batchSize, initialBackoff);
        for (Workflow version : engine.workflows()) {
          for (WorkflowReminder reminder : version.reminders()) {
            String consumer = reminder.consumer();
            all.putIfAbsent(consumer, change -> reminding.remind(change, consumer, reminders));
          }
        }
      }
      requireArgument(!all.isEmpty(), "a worker without settlements or timers needs at least one consumer");
      AuditTrail trail = engine.auditTrail();
      consumers.keySet().forEach(trail::registerConsumer);
      return new DeliveryWorker(this, Collections.unmodifiableMap(all), sweep);
    }
  }
}
