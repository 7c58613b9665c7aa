package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;
import static com.gigsta.booking.internal.Preconditions.requireState;

import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import com.gigsta.booking.spi.PaymentDeclinedException;
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
 * {@link #perform(Booking, Actor, String, String)} accepts it: both ask the same compiled workflow, which
 * checks the same rule, party and guard with the same clock.
 *
 * <p>Every change goes the same way, step by step in {@link #perform(Booking, Actor, String, String)}:
 * <b>plan</b> (the workflow decides, StatefulJ runs the transition, the entry is built and checked
 * against the trail's limits), <b>secure</b> payment if the rule says so (a hold is recorded first),
 * <b>append</b> the entry to the trail together with what the change owes the payment provider,
 * <b>notify</b> the log and the listeners. Captures, releases, refunds and payouts are not made here: they are
 * stored with the change, and a {@link DeliveryWorker} delivers them, at least once and with the change's
 * idempotency key, however the process fails after the append.
 *
 * <p>Timed rules ({@link Workflow.RuleBuilder#after(Deadline)}), such as the expiry of requests nobody
 * answered, are taken by a {@link DeliveryWorker} when they fall due, as {@link Actor#system()}, through
 * the same four steps.
 */
public final class BookingEngine {

  private static final Logger LOG = LoggerFactory.getLogger(BookingEngine.class);

  private final CompiledWorkflow workflow;
  private final StatefulJMachine machine;
  private final AuditTrail auditTrail;
  private final BookingLimits limits;
  private final PaymentHooks paymentHooks;
  private final Clock clock;
  private final Supplier<String> idGenerator;
  private final List<BookingListener> listeners;

  private BookingEngine(Workflow workflow, AuditTrail auditTrail, PaymentHooks paymentHooks, Clock clock,
      Supplier<String> idGenerator, List<BookingListener> listeners) {
    this.limits = auditTrail.limits();
    this.workflow = new CompiledWorkflow(workflow, limits);
    this.machine = new StatefulJMachine(workflow);
    this.auditTrail = auditTrail;
    this.paymentHooks = paymentHooks;
    this.clock = clock;
    this.idGenerator = idGenerator;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Returns a builder with the GigSta workflow, an in-memory trail, no payments and the UTC clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the workflow this engine runs.
   *
   * @return the workflow this engine was built with
   */
  public Workflow workflow() {
    return workflow.workflow();
  }

  /**
   * Creates a booking with a generated id in the initial state, requested by the customer from the
   * GigSta; its creation is the booking's first audit entry.
   *
   * @param customer the customer requesting it
   * @param gigstaId the GigSta requested
   * @return the new booking and its creation entry
   * @throws InvalidBookingInputException for a malformed or over-long GigSta id, an actor whose role is
   *     not the workflow's creation role, a customer booking themself, or a workflow that
   *     {@link Workflow#scheduledStartRequired() requires a scheduled start}
   * @throws NullPointerException if an argument is null
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
   * @param scheduledStart when the service should start, or {@code null} unless the workflow
   *     {@link Workflow#scheduledStartRequired() requires one}; must be a time the trail stores exactly
   *     ({@link AuditTrail#limits()}), it is never rounded
   * @return the new booking and its creation entry
   * @throws InvalidBookingInputException for malformed or over-long ids, a start the trail cannot store
   *     exactly or a missing one the workflow requires, an actor whose role is not the workflow's creation
   *     role, or a customer booking themself
   * @throws BookingChangedConcurrentlyException if a booking with this id already exists
   * @throws NullPointerException if an argument other than {@code scheduledStart} is null
   */
  public BookingChange requestBooking(String bookingId, Actor customer, String gigstaId, Instant scheduledStart) {
    return requestBooking(bookingId, customer, gigstaId, scheduledStart, null);
  }

  /**
   * Creates a booking with the given id and price in the initial state. The price is recorded in the
   * creation entry and carried by every later snapshot and entry; payment requests carry the amounts the
   * workflow's payment moments and refund policies derive from it.
   *
   * @param bookingId the id to give the booking; must not exist yet
   * @param customer the customer requesting it
   * @param gigstaId the GigSta requested
   * @param scheduledStart when the service should start, or {@code null} unless the workflow
   *     {@link Workflow#scheduledStartRequired() requires one}; stored exactly, never rounded
   * @param price what the booking costs, more than zero, or {@code null} for a booking without a price
   *     (its payment requests then carry no amount)
   * @return the new booking and its creation entry
   * @throws InvalidBookingInputException as {@link #requestBooking(String, Actor, String, Instant)}, and
   *     for a price of zero
   * @throws BookingChangedConcurrentlyException if a booking with this id already exists
   * @throws NullPointerException if an argument other than {@code scheduledStart} and {@code price} is
   *     null
   */
  public BookingChange requestBooking(String bookingId, Actor customer, String gigstaId, Instant scheduledStart,
      Money price) {
    requireNonNull(bookingId, "bookingId");
    requireNonNull(customer, "customer");
    requireNonNull(gigstaId, "gigstaId");
    // The same steps as perform's but securing, which the workflow's creation rule never asks for.
    Plan plan = planCreation(bookingId, customer, gigstaId, scheduledStart, price);
    append(plan, null);
    return notify(plan);
  }

  /**
   * Returns the actions the actor may take on the booking now, in workflow order; empty for terminal
   * states and for customers or GigStas who are not this booking's. Reads nothing from the trail. For a
   * booking with a price, an action that moves money carries what it would move now
   * ({@link BookingAction#charge()}, {@link BookingAction#refund()}, {@link BookingAction#fee()},
   * {@link BookingAction#payout()}), computed as {@code perform} computes what it records.
   *
   * @param booking the snapshot to list actions for
   * @param actor who would act
   * @return the actions, unmodifiable; possibly empty
   * @throws NullPointerException if an argument is null
   */
  public List<BookingAction> getAvailableBookingActions(Booking booking, Actor actor) {
    requireNonNull(booking, "booking");
    requireNonNull(actor, "actor");
    return workflow.available(booking, actor, clock);
  }

  /**
   * Loads the booking from the audit trail and returns the actions the actor may take on it now.
   *
   * @param bookingId the booking to load
   * @param actor who would act
   * @return the actions on the booking's latest version, unmodifiable; possibly empty
   * @throws BookingNotFoundException if no booking has this id
   */
  public List<BookingAction> getAvailableBookingActions(String bookingId, Actor actor) {
    requireNonNull(actor, "actor");
    return getAvailableBookingActions(load(bookingId), actor);
  }

  /**
   * Performs the action without a reason; see {@link #perform(Booking, Actor, String, String)}.
   *
   * @param booking the snapshot acted on
   * @param actor who acts
   * @param actionName the action's {@code action_name}
   * @return the booking after the change and the entry recorded
   */
  public BookingChange perform(Booking booking, Actor actor, String actionName) {
    return perform(booking, actor, actionName, null);
  }

  /**
   * Performs the action on the booking as the actor and records it.
   *
   * <p>The steps, in order: <b>plan</b>: the workflow finds the rule for (state, action, role) and checks
   * the party and the guard; StatefulJ runs the transition; the entry is built and checked against the
   * trail's limits. <b>Secure</b>: if the rule secures payment, the snapshot is first checked to be the
   * booking's latest version, then the provider is called. <b>Append</b>: the trail records the entry at
   * the next sequence with the capture, release, refund or payout the change owes (which a {@code DeliveryWorker}
   * delivers), or refuses it because the booking changed meanwhile (a payment secured for it is then
   * released). <b>Notify</b>: one log line and the listeners, unless the trail is in a host's
   * transaction that may still roll back. Anything that fails before the append leaves nothing behind.
   *
   * @param booking the snapshot acted on, from {@link #load(String)} or an earlier change
   * @param actor who acts
   * @param actionName the action's {@code action_name}
   * @param reason the person's own words, e.g. why they cancel, or {@code null}
   * @return the booking after the change and the entry recorded
   * @throws UnknownActionException if the workflow has no such action
   * @throws NotABookingPartyException if a customer or GigSta acts on someone else's booking
   * @throws ActionNotAllowedForRoleException if the action is possible in this state, but not for the role
   * @throws ActionNotAllowedInStateException if nobody may take the action in the booking's state
   * @throws GuardRefusedException if a guard refuses
   * @throws PaymentFailedException if payment could not be secured; nothing was recorded
   * @throws BookingChangedConcurrentlyException if the booking changed since the snapshot was read
   * @throws InvalidBookingInputException for a malformed action name or reason, or a value over the
   *     trail's limits
   * @throws NullPointerException if the booking, actor or action name is null
   */
  public BookingChange perform(Booking booking, Actor actor, String actionName, String reason) {
    return perform(booking, false, actor, actionName, reason);
  }

  /**
   * Loads the booking and performs the action on it; see {@link #perform(Booking, Actor, String, String)}.
   *
   * @param bookingId the booking to load
   * @param actor who acts
   * @param actionName the action's {@code action_name}
   * @param reason the person's own words, or {@code null}
   * @return the booking after the change and the entry recorded
   * @throws BookingNotFoundException if no booking has this id
   */
  public BookingChange perform(String bookingId, Actor actor, String actionName, String reason) {
    return perform(load(bookingId), true, actor, actionName, reason);
  }

  /**
   * Loads the booking, checks that it is still at the version the person saw, and performs the action on
   * it; see {@link #perform(Booking, Actor, String, String)}. This is the call for a request that carries
   * the version the person's screen showed, e.g. in an {@code If-Match} header.
   *
   * @param bookingId the booking to load
   * @param expectedVersion the version the person acted on, at least 1
   * @param actor who acts
   * @param actionName the action's {@code action_name}
   * @param reason the person's own words, or {@code null}
   * @return the booking after the change and the entry recorded
   * @throws BookingNotFoundException if no booking has this id
   * @throws BookingChangedConcurrentlyException if the booking is at another version; nothing is called
   *     or written
   * @throws IllegalArgumentException if {@code expectedVersion} is below 1
   */
  public BookingChange perform(String bookingId, long expectedVersion, Actor actor, String actionName,
      String reason) {
    requireNonNull(actor, "actor");
    requireNonNull(actionName, "actionName");
    requireArgument(expectedVersion >= 1, "expectedVersion must be at least 1 but was %d", expectedVersion);
    Booking current = load(bookingId);
    workflow.requireParty(current, actor, actionName);
    if (current.version() != expectedVersion) {
      throw new BookingChangedConcurrentlyException(bookingId, current.state(), actionName, actor,
          expectedVersion + 1, "it is at version " + current.version() + ", not " + expectedVersion, null);
    }
    return perform(current, true, actor, actionName, reason);
  }

  // The four steps. `fresh` says the snapshot was read from the trail by this very call, so it is known
  // to have been current when the request started and need not be read again before securing payment.
  private BookingChange perform(Booking booking, boolean fresh, Actor actor, String actionName, String reason) {
    Plan plan = plan(booking, fresh, actor, actionName, reason);
    PaymentRequest secured = secure(plan);
    append(plan, secured);
    return notify(plan);
  }

  /**
   * Returns the booking's current snapshot, read from its latest audit entry.
   *
   * @param bookingId the booking to load
   * @return the booking at its latest version
   * @throws BookingNotFoundException if no booking has this id
   * @throws InvalidBookingInputException if the id is malformed or longer than the trail stores
   * @throws NullPointerException if the id is null
   */
  public Booking load(String bookingId) {
    checkBookingId(bookingId);
    return auditTrail.latest(bookingId).map(Booking::after)
        .orElseThrow(() -> new BookingNotFoundException(bookingId));
  }

  /**
   * Returns the booking's full audit trail, creation first.
   *
   * @param bookingId the booking
   * @return its entries in sequence order
   * @throws BookingNotFoundException if no booking has this id
   * @throws InvalidBookingInputException if the id is malformed or longer than the trail stores
   * @throws NullPointerException if the id is null
   */
  public List<AuditEntry> history(String bookingId) {
    checkBookingId(bookingId);
    List<AuditEntry> history = auditTrail.history(bookingId);
    if (history.isEmpty()) {
      throw new BookingNotFoundException(bookingId);
    }
    return history;
  }

  /*
   * Takes a timed rule that is due, as the system, on the booking's latest entry just read by the timer
   * sweep or the retry of a failed timer; the same four steps as every other change.
   */
  BookingChange fireTimed(AuditEntry latest, WorkflowRule rule) {
    return perform(Booking.after(latest), true, Actor.system(), rule.actionName(), null);
  }

  // ---- plan ----

  private Plan planCreation(String bookingId, Actor customer, String gigstaId, Instant scheduledStart,
      Money price) {
    WorkflowRule rule = workflow.decideCreation(customer, gigstaId, scheduledStart);
    BookingState to = machine.move(null, rule);
    AuditEntry entry = new AuditEntry(bookingId, 1, rule.actionName(), customer.role(), customer.id(),
        customer.id(), gigstaId, null, to, now(), rule.action().note(), null, scheduledStart, price, null, null);
    limits.check(entry);
    return new Plan(null, true, rule, entry);
  }

  private Plan plan(Booking booking, boolean fresh, Actor actor, String actionName, String reason) {
    requireNonNull(booking, "booking");
    requireNonNull(actor, "actor");
    requireNonNull(actionName, "actionName");
    WorkflowRule rule = workflow.decide(booking, actor, actionName, clock);
    if (reason != null) {
      Inputs.text(reason, "reason");
    }
    BookingState to = machine.move(booking.state(), rule);
    Instant at = now();
    AuditEntry entry = new AuditEntry(booking, actor, rule, to, at, reason, PaymentTerms.of(rule, booking, at));
    limits.check(entry);
    return new Plan(booking, fresh, rule, entry);
  }

  // ---- secure ----

  /**
   * Secures payment if the rule says so; returns the request, or null when nothing was secured. The
   * attempt comes from the trail: a double submit or a retry after an unknown outcome repeats the attempt
   * in flight and its key; a retry after a decline is a new attempt with a new key.
   */
  private PaymentRequest secure(Plan plan) {
    if (!plan.rule.payment().securesBeforeRecording() || paymentHooks == PaymentHooks.none()) {
      return null;
    }
    AuditEntry entry = plan.entry;
    if (!plan.fresh) {
      // A snapshot already behind the trail must not reach the provider: only a real race, lost after the
      // snapshot was current, may secure and then release.
      AuditTrail.requireContinuation(auditTrail.latest(entry.bookingId()).orElse(null), entry);
    }
    AuditTrail.PaymentAttempt attempt = auditTrail.paymentAttempt(entry.bookingId(), entry.sequence(),
        entry.actionName());
    PaymentRequest request = PaymentRequest.of(PaymentMoment.SECURE, entry).withAttempt(attempt.number());
    if (attempt.status() == AuditTrail.HoldStatus.CLAIMED) {
      // Another request recorded this very change with this attempt's payment: a late double submit.
      throw new BookingChangedConcurrentlyException(entry.bookingId(), plan.before.state(), entry.actionName(),
          entry.actor(), entry.sequence(), "'" + entry.actionName() + "' was recorded at sequence "
          + entry.sequence() + " by another request, with the payment secured by key " + request.idempotencyKey(),
          null);
    }
    if (attempt.status() == AuditTrail.HoldStatus.ABANDONED) {
      // The provider keeps one payment per booking: a new attempt now could be cancelled by the late release
      // of this one, so none starts until the settlement worker has released it.
      throw new PaymentFailedException(entry.actionName(), entry.actor(), plan.before, PaymentMoment.SECURE,
          request.idempotencyKey(), false, new IllegalStateException("the payment of this attempt is being "
              + "released by the settlement worker; perform the action again once it is released"));
    }
    // Durable before the provider is called: if this process dies before the append claims the hold, the
    // settlement worker finds it unclaimed and releases the payment.
    auditTrail.recordHold(request, clock.instant());
    try {
      paymentHooks.secure(request);
    } catch (PaymentDeclinedException e) {
      // The provider answered no: nothing was secured, and the next attempt needs a key of its own.
      auditTrail.markHoldDeclined(request);
      throw new PaymentFailedException(entry.actionName(), entry.actor(), plan.before, PaymentMoment.SECURE,
          request.idempotencyKey(), true, e);
    } catch (RuntimeException e) {
      // The outcome is unknown: the hold stays recorded, so a retry repeats this key and gets the provider's
      // real answer, and without a retry the settlement worker releases whatever may have been secured.
      throw new PaymentFailedException(entry.actionName(), entry.actor(), plan.before, PaymentMoment.SECURE,
          request.idempotencyKey(), false, e);
    }
    return request;
  }

  // ---- append ----

  /*
   * Records the entry with what the change owes the provider, in one atomic write: from then on the
   * settlement worker owes the capture, release, refund or payout, and nothing here calls the provider
   * for it.
   */
  private void append(Plan plan, PaymentRequest secured) {
    PaymentMoment owed = paymentHooks == PaymentHooks.none() ? PaymentMoment.NONE : plan.rule.payment();
    try {
      auditTrail.append(plan.entry, owed);
    } catch (RuntimeException e) {
      if (secured != null) {
        releaseUnrecorded(plan, secured, e);
      }
      throw e;
    }
  }

  /*
   * Payment was secured but the change was not recorded. Release it, unless the same action was
   * recorded at the same sequence by someone else (a double submit, or two instances acting for the same
   * GigSta): that change secured with the same idempotency key, so the provider holds one payment, and
   * its append claimed the hold, which stays claimed, so the settlement worker never releases it. If the
   * trail cannot tell, or the release fails, the hold stays recorded and unclaimed, and the settlement
   * worker releases it once its grace period has passed.
   */
  private void releaseUnrecorded(Plan plan, PaymentRequest secured, RuntimeException failure) {
    AuditEntry entry = plan.entry;
    PaymentRequest release = secured.withMoment(PaymentMoment.RELEASE);
    Optional<AuditEntry> recorded;
    try {
      recorded = auditTrail.history(entry.bookingId()).stream()
          .filter(existing -> existing.sequence() == entry.sequence()).findFirst();
    } catch (RuntimeException e) {
      LOG.error("booking {}: cannot tell whether '{}' was recorded; the settlement worker releases the payment "
          + "secured with key {} unless it was", entry.bookingId(), entry.actionName(), secured.idempotencyKey(), e);
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
      LOG.error("booking {}: releasing the payment secured for unrecorded '{}' failed; the settlement worker "
          + "retries with key {}", entry.bookingId(), entry.actionName(), release.idempotencyKey(), e);
      failure.addSuppressed(new PaymentFailedException(entry.actionName(), entry.actor(), plan.before,
          PaymentMoment.RELEASE, release.idempotencyKey(), false, e));
      return;
    }
    markReleased(secured, failure);
  }

  // A hold left recorded is released by the settlement worker later, which is harmless, so failing to
  // mark one released is only logged.
  private void markReleased(PaymentRequest secure, RuntimeException failure) {
    try {
      auditTrail.markHoldReleased(secure);
    } catch (RuntimeException e) {
      LOG.warn("booking {}: could not mark the hold {} released; the settlement worker will release it",
          secure.bookingId(), secure.idempotencyKey(), e);
      failure.addSuppressed(e);
    }
  }

  // ---- notify ----

  /*
   * Logs the change and tells the in-process listeners, best effort. Inside a host's transaction the
   * change may still be rolled back, so nothing is announced: durable consumers get it from the feed once
   * it is committed.
   */
  private BookingChange notify(Plan plan) {
    AuditEntry entry = plan.entry;
    BookingChange change = new BookingChange(Booking.after(entry), entry);
    if (auditTrail.inHostTransaction()) {
      LOG.debug("booking {} {}: recorded in the host's transaction; announced by the feed once committed",
          entry.bookingId(), entry.actionName());
      return change;
    }
    if (LOG.isInfoEnabled()) {
      // Checked first so that the line's arguments are not gathered for a logger that drops them.
      LOG.info("booking {} {}: {} -> {} by {}", entry.bookingId(), entry.actionName(),
          entry.fromState() == null ? "(new)" : entry.fromState(), entry.toState(), entry.actorRole());
    }
    for (BookingListener listener : listeners) {
      try {
        listener.onChange(change);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed for booking {} at sequence {}; the change stands", listener,
            entry.bookingId(), entry.sequence(), e);
      }
    }
    return change;
  }

  AuditTrail auditTrail() {
    return auditTrail;
  }

  CompiledWorkflow compiledWorkflow() {
    return workflow;
  }

  PaymentHooks paymentHooks() {
    return paymentHooks;
  }

  Clock clock() {
    return clock;
  }

  private Instant now() {
    return limits.truncate(clock.instant());
  }

  private void checkBookingId(String bookingId) {
    limits.checkId(bookingId, "booking id");
  }

  /** One planned change: the snapshot acted on, the rule the workflow chose and the entry to record. */
  private record Plan(Booking before, boolean fresh, WorkflowRule rule, AuditEntry entry) {}

  /**
   * Configures a {@link BookingEngine}; not thread-safe. {@link #build()} copies what it was given, so the
   * builder may be changed and built again without affecting engines already built.
   */
  public static final class Builder {
    private Workflow workflow = Workflow.gigsta();
    private AuditTrail auditTrail;
    private PaymentHooks paymentHooks = PaymentHooks.none();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> idGenerator = () -> UUID.randomUUID().toString();
    private final List<BookingListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the workflow; default {@link Workflow#gigsta()}.
     *
     * @param workflow the workflow to run
     * @return this builder
     */
    public Builder withWorkflow(Workflow workflow) {
      this.workflow = requireNonNull(workflow, "workflow");
      return this;
    }

    /**
     * Sets where changes are recorded; default a new {@link InMemoryAuditTrail} for each engine built. The
     * engine accepts only what the trail declares it can store ({@link AuditTrail#limits()}).
     *
     * @param auditTrail where to record changes
     * @return this builder
     */
    public Builder withAuditTrail(AuditTrail auditTrail) {
      this.auditTrail = requireNonNull(auditTrail, "auditTrail");
      return this;
    }

    /**
     * Sets the payment provider's hooks; default {@link PaymentHooks#none()}, with which the engine
     * builds no payment requests at all.
     *
     * @param paymentHooks the hooks to call at payment moments
     * @return this builder
     */
    public Builder withPaymentHooks(PaymentHooks paymentHooks) {
      this.paymentHooks = requireNonNull(paymentHooks, "paymentHooks");
      return this;
    }

    /**
     * Sets the clock for timestamps and guards; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock to read
     * @return this builder
     */
    public Builder withClock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how {@link #requestBooking(Actor, String)} makes booking ids; default random UUIDs.
     *
     * @param idGenerator gives a new booking id on each call
     * @return this builder
     */
    public Builder withIdGenerator(Supplier<String> idGenerator) {
      this.idGenerator = requireNonNull(idGenerator, "idGenerator");
      return this;
    }

    /**
     * Adds a listener told about every recorded change, in the order added.
     *
     * @param listener the listener to add
     * @return this builder
     */
    public Builder onChange(BookingListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Returns a new engine.
     *
     * @return an engine with this builder's settings
     * @throws IllegalArgumentException if the trail cannot store the workflow's own notes, or the
     *     system actor's id, within its limits
     */
    public BookingEngine build() {
      AuditTrail trail = auditTrail == null ? new InMemoryAuditTrail() : auditTrail;
      BookingLimits limits = requireNonNull(trail.limits(), "the audit trail's limits");
      List<WorkflowRule> rules = new ArrayList<>(workflow.rules());
      rules.add(workflow.creation());
      for (WorkflowRule rule : rules) {
        String note = rule.action().note();
        requireArgument(note.length() <= limits.maxTextLength(),
            "the audit trail stores texts of at most %d characters, but workflow '%s' writes a note of %d for %s",
            limits.maxTextLength(), workflow.name(), note.length(), rule.actionName());
      }
      requireArgument(Actor.SYSTEM_ID.length() <= limits.maxIdLength(),
          "the audit trail stores ids of at most %d characters, too few for the system actor's id '%s'",
          limits.maxIdLength(), Actor.SYSTEM_ID);
      return new BookingEngine(workflow, trail, paymentHooks, clock, idGenerator, listeners);
    }
  }
}
