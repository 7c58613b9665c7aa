package com.gigsta.booking;

import com.gigsta.booking.internal.Attempt;
import com.gigsta.booking.internal.Checks;
import com.gigsta.booking.internal.CompiledWorkflow;
import com.gigsta.booking.internal.StatefulJDriver;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentHooks;
import com.gigsta.booking.spi.PaymentRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The booking workflow engine: lists the actions a person may take on a booking, performs them, and
 * records every change in the audit trail. Thread-safe and immutable; build one per application with
 * {@link #builder()} and share it.
 *
 * <pre>{@code
 * BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(payments).build();
 * Booking booking = engine.requestBooking(Actor.customer("c-1"), "g-7").booking();
 * List<BookingAction> actions = engine.getAvailableBookingActions(booking, Actor.gigsta("g-7"));
 * BookingChange accepted = engine.perform(booking, Actor.gigsta("g-7"), "accept_booking");
 * }</pre>
 *
 * <p>An action is listed by {@link #getAvailableBookingActions(Booking, Actor)} if and only if
 * {@link #perform(Booking, Actor, String, String)} accepts it: both read the same rule from the
 * workflow, check the same party and evaluate the same guards with the same clock.
 */
public final class BookingEngine {

  private static final Logger LOG = LoggerFactory.getLogger(BookingEngine.class);
  private static final int MAX_BATCH_SIZE = 10_000;

  private final CompiledWorkflow workflow;
  private final AuditTrail auditTrail;
  private final PaymentHooks paymentHooks;
  private final Clock clock;
  private final BookingLimits limits;
  private final Supplier<String> idGenerator;
  private final List<BookingListener> listeners;
  private final StatefulJDriver driver;
  // With no provider there is nobody to send payment requests to, so none are built.
  private final boolean takesPayments;

  private BookingEngine(Builder builder) {
    this.workflow = new CompiledWorkflow(builder.workflow);
    this.auditTrail = builder.auditTrail;
    this.paymentHooks = builder.paymentHooks;
    this.takesPayments = builder.paymentHooks != PaymentHooks.none();
    this.clock = builder.clock;
    this.limits = builder.limits;
    this.idGenerator = builder.idGenerator;
    this.listeners = List.copyOf(builder.listeners);
    this.driver = new StatefulJDriver(builder.workflow, builder.auditTrail, this::settle);
  }

  /** Returns a builder with the GigSta workflow, an in-memory trail, no payments and the UTC clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the workflow this engine runs. */
  public Workflow workflow() {
    return workflow.workflow();
  }

  /**
   * Creates a booking with a generated id in the initial state, requested by the customer from the
   * GigSta; its creation is the booking's first audit entry.
   *
   * @throws InvalidBookingInputException for bad ids, a non-customer actor, or a customer booking themself
   */
  public BookingChange requestBooking(Actor customer, String gigstaId) {
    return requestBooking(idGenerator.get(), customer, gigstaId, null);
  }

  /**
   * Creates a booking with the given id in the initial state.
   *
   * @param bookingId the id to give the booking; must not exist yet
   * @param customer the customer requesting it
   * @param gigstaId the GigSta requested
   * @param scheduledStart when the service should start, or {@code null}; kept to the microsecond
   * @throws InvalidBookingInputException for bad ids, a non-customer actor, or a customer booking themself
   * @throws BookingChangedConcurrentlyException if a booking with this id already exists
   */
  public BookingChange requestBooking(String bookingId, Actor customer, String gigstaId, Instant scheduledStart) {
    checkId(bookingId, "booking id");
    Checks.notNull(customer, "customer");
    checkId(customer.id(), "customer id");
    checkId(gigstaId, "gigsta id");
    WorkflowRule creation = workflow.workflow().creation();
    if (customer.role() != creation.role()) {
      throw new InvalidBookingInputException("customer", "only a " + creation.role()
          + " may request a booking but the actor was " + customer);
    }
    if (customer.id().equals(gigstaId)) {
      throw new InvalidBookingInputException("gigstaId",
          "a customer cannot book themself: customer and GigSta are both '" + gigstaId + "'");
    }
    AuditEntry entry = new AuditEntry(bookingId, 1, creation.actionName(), customer.role(), customer.id(),
        customer.id(), gigstaId, null, creation.to(), now(), creation.action().note(), null,
        scheduledStart == null ? null : toMicros(scheduledStart));
    return commit(null, creation, entry);
  }

  /**
   * Returns the actions the actor may take on the booking now, in workflow order; empty for terminal
   * states and for customers or GigStas who are not this booking's. Pure: no I/O, and no allocation for
   * states without guards.
   */
  public List<BookingAction> getAvailableBookingActions(Booking booking, Actor actor) {
    if (booking == null || actor == null) {
      Checks.notNull(booking, "booking");
      Checks.notNull(actor, "actor");
    }
    return workflow.available(booking, actor, clock);
  }

  /**
   * Loads the booking from the audit trail and returns the actions the actor may take on it now.
   *
   * @throws BookingNotFoundException if no booking has this id
   */
  public List<BookingAction> getAvailableBookingActions(String bookingId, Actor actor) {
    Checks.notNull(actor, "actor");
    return getAvailableBookingActions(load(bookingId), actor);
  }

  /** Performs the action without a reason; see {@link #perform(Booking, Actor, String, String)}. */
  public BookingChange perform(Booking booking, Actor actor, String actionName) {
    return perform(booking, actor, actionName, null);
  }

  /**
   * Performs the action on the booking as the actor and records it.
   *
   * <p>In order: the arguments are checked; the rule for (state, action, role) is looked up, the actor's
   * party and the rule's guard are checked; payment is secured if the rule says so; the entry is
   * recorded at the next sequence through the state machine; refunds, releases or captures run; the
   * listeners are told. Anything that fails before recording leaves nothing behind (a secured payment
   * is released again).
   *
   * @param booking the snapshot acted on, from {@link #load(String)} or an earlier change
   * @param actor who acts
   * @param actionName the action's {@code action_name}
   * @param reason the person's own words, e.g. why they cancel, or {@code null}
   * @return the booking after the change and the entry recorded
   * @throws UnknownActionException if the workflow has no such action
   * @throws NotABookingPartyException if a customer or GigSta acts on someone else's booking
   * @throws ActionNotAllowedInStateException if nobody may take the action in the booking's state
   * @throws ActionNotAllowedForRoleException if the action is possible in this state, but not for the role
   * @throws GuardRefusedException if a guard refuses
   * @throws PaymentFailedException if payment could not be secured; nothing was recorded
   * @throws BookingChangedConcurrentlyException if the booking changed since the snapshot was read
   * @throws InvalidBookingInputException for missing, blank or over-long arguments
   */
  public BookingChange perform(Booking booking, Actor actor, String actionName, String reason) {
    Checks.notNull(booking, "booking");
    Checks.notNull(actor, "actor");
    // Booking and Actor checked their ids' form when they were made; only the configured lengths remain.
    limits.checkId(booking.id(), "booking id");
    limits.checkId(actor.id(), "actor id");
    if (reason != null) {
      Checks.text(reason, "reason", limits.maxTextLength());
    }
    WorkflowRule rule = authorize(booking, actor, actionName);
    AuditEntry entry = new AuditEntry(booking.id(), booking.version() + 1, actionName, actor.role(), actor.id(),
        booking.customerId(), booking.gigstaId(), booking.state(), rule.to(), now(), rule.action().note(), reason,
        booking.scheduledStart());
    return commit(booking, rule, entry);
  }

  /**
   * Loads the booking and performs the action on it; see {@link #perform(Booking, Actor, String, String)}.
   *
   * @throws BookingNotFoundException if no booking has this id
   */
  public BookingChange perform(String bookingId, Actor actor, String actionName, String reason) {
    return perform(load(bookingId), actor, actionName, reason);
  }

  /**
   * Returns the booking's current snapshot, read from its latest audit entry.
   *
   * @throws BookingNotFoundException if no booking has this id
   */
  public Booking load(String bookingId) {
    checkId(bookingId, "booking id");
    return auditTrail.latest(bookingId).map(Booking::after)
        .orElseThrow(() -> new BookingNotFoundException(bookingId));
  }

  /**
   * Returns the booking's full audit trail, creation first.
   *
   * @throws BookingNotFoundException if no booking has this id
   */
  public List<AuditEntry> history(String bookingId) {
    checkId(bookingId, "booking id");
    List<AuditEntry> history = auditTrail.history(bookingId);
    if (history.isEmpty()) {
      throw new BookingNotFoundException(bookingId);
    }
    return history;
  }

  /**
   * Expires requests nobody answered: performs the workflow's {@link Role#SYSTEM} action out of the
   * initial state (in the GigSta workflow, {@code expire_booking}) on up to {@code batchSize} bookings
   * still in the initial state whose last change is older than {@code cutoff}. Bookings that moved on
   * meanwhile are skipped. Safe to run from several instances at once: each booking expires only once.
   *
   * <p>This looks back to the beginning of the trail, which costs more the more bookings have ever been
   * answered; a job that runs regularly should pass a lower bound with
   * {@link #expireOverdueRequests(Instant, Instant, int)}.
   *
   * @return how many bookings were expired
   * @throws InvalidWorkflowException if the workflow has no system action out of its initial state
   */
  public int expireOverdueRequests(Instant cutoff, int batchSize) {
    return expire(null, cutoff, batchSize);
  }

  /**
   * Expires requests nobody answered whose last change is at or after {@code changedFrom} and before
   * {@code cutoff}; otherwise as {@link #expireOverdueRequests(Instant, int)}. A job that runs every few
   * minutes passes its previous cutoff, less a safety margin, as {@code changedFrom}, so each run looks
   * only at what became due since.
   *
   * @return how many bookings were expired
   * @throws InvalidWorkflowException if the workflow has no system action out of its initial state
   */
  public int expireOverdueRequests(Instant changedFrom, Instant cutoff, int batchSize) {
    Checks.notNull(changedFrom, "changedFrom");
    return expire(changedFrom, cutoff, batchSize);
  }

  private int expire(Instant changedFrom, Instant cutoff, int batchSize) {
    Checks.notNull(cutoff, "cutoff");
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new InvalidBookingInputException("batchSize",
          "batchSize must be between 1 and " + MAX_BATCH_SIZE + " but was " + batchSize);
    }
    BookingState initial = workflow.workflow().initialState();
    WorkflowRule expire = workflow.workflow().rules().stream()
        .filter(rule -> rule.from() == initial && rule.role() == Role.SYSTEM).findFirst()
        .orElseThrow(() -> new InvalidWorkflowException("workflow '" + workflow.workflow().name()
            + "' has no SYSTEM action out of " + initial + " to expire requests with"));
    int expired = 0;
    for (AuditEntry latest : auditTrail.findInStateChangedBetween(initial, changedFrom, cutoff, batchSize)) {
      try {
        perform(Booking.after(latest), Actor.system(), expire.actionName(), null);
        expired++;
      } catch (BookingChangedConcurrentlyException | GuardRefusedException e) {
        LOG.debug("booking {} not expired: {}", latest.bookingId(), e.getMessage());
      }
    }
    return expired;
  }

  private WorkflowRule authorize(Booking booking, Actor actor, String actionName) {
    WorkflowRule rule = actionName == null ? null : workflow.rule(booking.state(), actionName, actor.role());
    if (rule == null || !booking.admits(actor)) {
      throw refusal(booking, actor, actionName);
    }
    if (rule.guard() != null && !rule.guard().allows(booking, actor, clock)) {
      throw new GuardRefusedException(actionName, actor, booking, rule.guardName());
    }
    return rule;
  }

  /** Says why the actor may not take the action, checking in the order the refusals are documented. */
  private BookingException refusal(Booking booking, Actor actor, String actionName) {
    if (actionName == null || !workflow.knows(actionName)) {
      // Every name the workflow knows is well-formed, so only an unknown name needs its form checked, to
      // tell a malformed argument from a well-formed name of no action.
      Checks.actionName(actionName);
      return new UnknownActionException(actionName, actor, booking, workflow.actionNames());
    }
    if (!booking.admits(actor)) {
      return new NotABookingPartyException(actionName, actor, booking);
    }
    List<BookingAction> instead = workflow.available(booking, actor, clock);
    if (workflow.leaves(booking.state(), actionName)) {
      return new ActionNotAllowedForRoleException(actionName, actor, booking, instead);
    }
    return new ActionNotAllowedInStateException(actionName, actor, booking, instead);
  }

  private BookingChange commit(Booking before, WorkflowRule rule, AuditEntry entry) {
    limits.check(entry);
    PaymentRequest secured = rule.payment() == PaymentMoment.SECURE && takesPayments ? secure(before, entry) : null;
    Attempt attempt = new Attempt(before, rule, entry);
    try {
      driver.drive(attempt);
    } catch (RuntimeException e) {
      if (secured != null) {
        releaseUnrecorded(before, entry, e);
      }
      throw e;
    }
    if (LOG.isInfoEnabled()) {
      logChange(entry);
    }
    BookingChange change =
        new BookingChange(Booking.after(entry), entry, Optional.ofNullable(attempt.settlementFailure()));
    if (!listeners.isEmpty()) {
      tellListeners(change);
    }
    return change;
  }

  // The steps below run on some changes only and are kept out of commit(), so that its common path stays
  // small enough for the JIT to inline into perform.

  private PaymentRequest secure(Booking before, AuditEntry entry) {
    PaymentRequest secured = PaymentRequest.of(PaymentMoment.SECURE, entry);
    try {
      paymentHooks.secure(secured);
    } catch (RuntimeException e) {
      throw new PaymentFailedException(entry.actionName(), entry.actor(), before, PaymentMoment.SECURE,
          secured.idempotencyKey(), e);
    }
    return secured;
  }

  private static void logChange(AuditEntry entry) {
    LOG.info("booking {} {}: {} -> {} by {}", entry.bookingId(), entry.actionName(),
        entry.fromState() == null ? "(new)" : entry.fromState(), entry.toState(), entry.actorRole());
  }

  private void tellListeners(BookingChange change) {
    for (BookingListener listener : listeners) {
      try {
        listener.onChange(change);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed for booking {} at sequence {}; the change stands", listener,
            change.entry().bookingId(), change.entry().sequence(), e);
      }
    }
  }

  /*
   * Payment was secured but this change was not recorded. Release it, unless the same action was
   * recorded at the same sequence by someone else (a double submit, or two instances acting for the same
   * GigSta): that change secured with the same idempotency key, so the provider holds one payment, and
   * it backs the recorded change. If the trail cannot tell, keep it: an unused authorization lapses on
   * its own, a wrongly released one leaves an accepted booking unpaid.
   */
  private void releaseUnrecorded(Booking before, AuditEntry entry, RuntimeException failure) {
    PaymentRequest release = PaymentRequest.of(PaymentMoment.RELEASE, entry);
    Optional<AuditEntry> recorded;
    try {
      recorded = auditTrail.history(entry.bookingId()).stream()
          .filter(existing -> existing.sequence() == entry.sequence()).findFirst();
    } catch (RuntimeException e) {
      LOG.error("booking {}: cannot tell whether '{}' was recorded; the payment secured with key {} is kept",
          entry.bookingId(), entry.actionName(), PaymentRequest.of(PaymentMoment.SECURE, entry).idempotencyKey(), e);
      failure.addSuppressed(e);
      return;
    }
    if (recorded.isPresent() && recorded.get().actionName().equals(entry.actionName())) {
      LOG.info("booking {}: '{}' was recorded at sequence {} by another request; its payment is kept",
          entry.bookingId(), entry.actionName(), entry.sequence());
      return;
    }
    try {
      paymentHooks.release(release);
    } catch (RuntimeException e) {
      LOG.error("booking {}: releasing the payment secured for unrecorded '{}' failed; retry with key {}",
          entry.bookingId(), entry.actionName(), release.idempotencyKey(), e);
      failure.addSuppressed(new PaymentFailedException(entry.actionName(), entry.actor(), before,
          PaymentMoment.RELEASE, release.idempotencyKey(), e));
    }
  }

  private void settle(Attempt attempt) {
    PaymentMoment moment = attempt.rule().payment();
    if (moment == PaymentMoment.NONE || moment == PaymentMoment.SECURE || !takesPayments) {
      return;
    }
    AuditEntry entry = attempt.entry();
    PaymentRequest request = PaymentRequest.of(moment, entry);
    try {
      switch (moment) {
        case RELEASE -> paymentHooks.release(request);
        case REFUND -> paymentHooks.refund(request);
        case CAPTURE -> paymentHooks.capture(request);
        default -> throw new IllegalStateException("unexpected payment moment " + moment);
      }
    } catch (RuntimeException e) {
      LOG.error("booking {}: {} after '{}' failed; the change stands, retry with key {}", entry.bookingId(),
          moment, entry.actionName(), request.idempotencyKey(), e);
      attempt.settlementFailed(new PaymentFailedException(entry.actionName(), entry.actor(),
          Booking.after(entry), moment, request.idempotencyKey(), e));
    }
  }

  private Instant now() {
    return toMicros(clock.instant());
  }

  // Instants are stored with microsecond precision everywhere, so an entry read back equals the one
  // written. Truncated by hand: Instant.truncatedTo goes through Duration arithmetic, on every change.
  // Always a new instant, so that the clock's own never escapes and the JIT need not allocate it.
  private static Instant toMicros(Instant instant) {
    int nanos = instant.getNano();
    return Instant.ofEpochSecond(instant.getEpochSecond(), nanos - nanos % 1_000);
  }

  private void checkId(String id, String what) {
    Checks.identifier(id, what);
    limits.checkId(id, what);
  }

  /** Configures a {@link BookingEngine}; not thread-safe, and not needed once {@link #build()} returns. */
  public static final class Builder {
    private Workflow workflow = Workflow.gigsta();
    private AuditTrail auditTrail;
    private PaymentHooks paymentHooks = PaymentHooks.none();
    private Clock clock = Clock.systemUTC();
    private BookingLimits limits = BookingLimits.defaults();
    private Supplier<String> idGenerator = () -> UUID.randomUUID().toString();
    private final List<BookingListener> listeners = new ArrayList<>();

    private Builder() {}

    /** Sets the workflow; default {@link Workflow#gigsta()}. */
    public Builder withWorkflow(Workflow workflow) {
      this.workflow = Checks.notNull(workflow, "workflow");
      return this;
    }

    /** Sets where changes are recorded; default a new {@link InMemoryAuditTrail}. */
    public Builder withAuditTrail(AuditTrail auditTrail) {
      this.auditTrail = Checks.notNull(auditTrail, "auditTrail");
      return this;
    }

    /**
     * Sets the payment provider's hooks; default {@link PaymentHooks#none()}, with which the engine
     * builds no payment requests at all.
     */
    public Builder withPaymentHooks(PaymentHooks paymentHooks) {
      this.paymentHooks = Checks.notNull(paymentHooks, "paymentHooks");
      return this;
    }

    /** Sets the clock for timestamps and guards; default {@link Clock#systemUTC()}. */
    public Builder withClock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /** Sets the longest ids and texts accepted; default {@link BookingLimits#defaults()}. */
    public Builder withLimits(BookingLimits limits) {
      this.limits = Checks.notNull(limits, "limits");
      return this;
    }

    /** Sets how {@link #requestBooking(Actor, String)} makes booking ids; default random UUIDs. */
    public Builder withIdGenerator(Supplier<String> idGenerator) {
      this.idGenerator = Checks.notNull(idGenerator, "idGenerator");
      return this;
    }

    /** Adds a listener told about every recorded change, in the order added. */
    public Builder onChange(BookingListener listener) {
      listeners.add(Checks.notNull(listener, "listener"));
      return this;
    }

    /** Returns the engine. */
    public BookingEngine build() {
      if (auditTrail == null) {
        auditTrail = new InMemoryAuditTrail(limits);
      }
      return new BookingEngine(this);
    }
  }
}
