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
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * {@link #perform(Booking, Actor, String, String)} accepts it: both ask the same compiled workflow version, which
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
 *
 * <p><b>Versions.</b> Each booking is pinned to the workflow version it was created under
 * ({@link Booking#workflowVersion()}), and every listing, change, timed rule and payment figure of it follows
 * that version's rules until a {@link WorkflowMigration} moves it ({@link #migrate}, {@link #migrateAll}).
 * An engine hosts the version new bookings get ({@link Builder#withWorkflow(Workflow)}) and the earlier
 * versions stored bookings may still be pinned to ({@link Builder#withEarlierVersions(Workflow...)}), each
 * compiled once when the engine is built; a booking of a version it was not given is refused with
 * {@link UnknownWorkflowVersionException}, never acted on by other rules.
 */
public final class BookingEngine {

  private static final Logger LOG = LoggerFactory.getLogger(BookingEngine.class);
  // How many bookings a migration reads from the trail at a time.
  private static final int MIGRATION_PAGE = 500;

  // The version new bookings get, and every version hosted (it included), each compiled once.
  private final CompiledWorkflow workflow;
  private final Map<WorkflowVersion, CompiledWorkflow> versions;
  // What a booking recorded before bookings were pinned is read as: version 1 of this engine's workflow.
  private final WorkflowVersion unpinnedAs;
  private final AuditTrail auditTrail;
  private final BookingLimits limits;
  private final PaymentHooks paymentHooks;
  private final Clock clock;
  private final Supplier<String> idGenerator;
  private final List<BookingListener> listeners;
  private final BookingObserver observer;

  private BookingEngine(Workflow workflow, List<Workflow> earlierVersions, AuditTrail auditTrail,
      PaymentHooks paymentHooks, Clock clock, Supplier<String> idGenerator, List<BookingListener> listeners,
      BookingObserver observer) {
    this.limits = auditTrail.limits();
    this.workflow = new CompiledWorkflow(workflow, limits);
    Map<WorkflowVersion, CompiledWorkflow> all = new LinkedHashMap<>();
    earlierVersions.stream().sorted(Comparator.comparingInt(Workflow::version))
        .forEach(earlier -> all.put(earlier.workflowVersion(), new CompiledWorkflow(earlier, limits)));
    all.put(workflow.workflowVersion(), this.workflow);
    this.versions = Collections.unmodifiableMap(all);
    this.unpinnedAs = new WorkflowVersion(workflow.name(), 1);
    this.auditTrail = auditTrail;
    this.paymentHooks = paymentHooks;
    this.clock = clock;
    this.idGenerator = idGenerator;
    this.listeners = List.copyOf(listeners);
    this.observer = observer;
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
   * Returns the workflow version new bookings get and are pinned to.
   *
   * @return the workflow this engine was built with ({@link Builder#withWorkflow(Workflow)})
   */
  public Workflow workflow() {
    return workflow.workflow();
  }

  /**
   * Returns every version of the workflow this engine hosts: the earlier versions bookings may still be
   * pinned to, then the current one.
   *
   * @return the versions, in version order, unmodifiable
   */
  public List<Workflow> workflows() {
    return versions.values().stream().map(CompiledWorkflow::workflow).toList();
  }

  /**
   * Returns the workflow versions the stored bookings are pinned to, with how many bookings each. A booking
   * recorded before bookings were pinned counts as version 1 of this engine's workflow. Reads every
   * booking's latest entry: a start-up or operator's query, not one for each request.
   *
   * @return the bookings per version, in version order
   */
  public Map<WorkflowVersion, Long> workflowVersionsInUse() {
    return auditTrail.workflowVersionsInUse(unpinnedAs);
  }

  /**
   * Returns the versions stored bookings are pinned to that this engine was not given, with how many
   * bookings each; the engine refuses to list or perform actions on those bookings
   * ({@link UnknownWorkflowVersionException}). Call it at start-up and refuse to start unless it is empty.
   *
   * @return the missing versions and their bookings, in version order; empty when every booking can be
   *     acted on
   */
  public Map<WorkflowVersion, Long> missingWorkflowVersions() {
    Map<WorkflowVersion, Long> missing = new LinkedHashMap<>(workflowVersionsInUse());
    missing.keySet().removeAll(versions.keySet());
    return Collections.unmodifiableMap(missing);
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
    BookingObserver.Change observed = new BookingObserver.Change(BookingObserver.Kind.REQUEST, workflow.version(),
        workflow.workflow().creation().actionName(), customer.role(), bookingId, null);
    return observer.observeChange(observed, () -> {
      // The same steps as perform's but securing, which the workflow's creation rule never asks for.
      Plan plan = planCreation(bookingId, customer, gigstaId, scheduledStart, price, observed);
      append(plan, null);
      return notify(plan);
    });
  }

  /**
   * Returns the actions the actor may take on the booking now, in workflow order, by the rules of the
   * workflow version the booking is pinned to; empty for terminal states and for customers or GigStas who
   * are not this booking's. Reads nothing from the trail. For a
   * booking with a price, an action that moves money carries what it would move now
   * ({@link BookingAction#charge()}, {@link BookingAction#refund()}, {@link BookingAction#fee()},
   * {@link BookingAction#payout()}), computed as {@code perform} computes what it records.
   *
   * @param booking the snapshot to list actions for
   * @param actor who would act
   * @return the actions, unmodifiable; possibly empty
   * @throws UnknownWorkflowVersionException if the booking is pinned to a version this engine was not given
   * @throws NullPointerException if an argument is null
   */
  public List<BookingAction> getAvailableBookingActions(Booking booking, Actor actor) {
    requireNonNull(booking, "booking");
    requireNonNull(actor, "actor");
    if (!booking.admits(actor)) {
      // Before the version is looked up, so that a refusal never tells outsiders about the booking.
      return List.of();
    }
    return compiledFor(booking, null, actor).available(booking, actor, clock);
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
   * <p>The steps, in order: <b>plan</b>: the workflow version the booking is pinned to finds the rule for
   * (state, action, role) and checks
   * the party and the guard; StatefulJ runs the transition; the entry is built and checked against the
   * trail's limits. <b>Secure</b>: if the rule secures payment, the snapshot is first checked to be the
   * booking's latest version, then the provider is called. <b>Append</b>: the trail records the entry at
   * the next sequence with the capture, release, refund or payout the change owes (which a {@code DeliveryWorker}
   * delivers), or refuses it because the booking changed meanwhile (a payment secured for it is then
   * released once another change is seen recorded at its sequence). If the append fails and no change is
   * seen at its sequence, a payment secured for it stays held: a retry of the action repeats the attempt
   * and its key, and without one the settlement worker releases it once its grace period has passed. <b>Notify</b>: one log line and the listeners, unless the trail is in a host's
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
   * @throws UnknownWorkflowVersionException if the booking is pinned to a version this engine was not given
   * @throws PaymentFailedException if payment could not be secured; nothing was recorded
   * @throws BookingChangedConcurrentlyException if the booking changed since the snapshot was read
   * @throws InvalidBookingInputException for a malformed action name or reason, or a value over the
   *     trail's limits
   * @throws NullPointerException if the booking, actor or action name is null
   */
  public BookingChange perform(Booking booking, Actor actor, String actionName, String reason) {
    return perform(booking, false, actor, actionName, reason, null);
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
    return perform(load(bookingId), true, actor, actionName, reason, null);
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
    return perform(current, true, actor, actionName, reason, null);
  }

  // The four steps. `fresh` says the snapshot was read from the trail by this very call, so it is known
  // to have been current when the request started and need not be read again before securing payment.
  // A timed rule's `dueAt` is when it fell due; null for every other change.
  private BookingChange perform(Booking booking, boolean fresh, Actor actor, String actionName, String reason,
      Instant dueAt) {
    requireNonNull(booking, "booking");
    requireNonNull(actor, "actor");
    requireNonNull(actionName, "actionName");
    WorkflowVersion version = versionOf(booking);
    CompiledWorkflow pinned = hosted(version);
    BookingObserver.Change observed = new BookingObserver.Change(
        dueAt == null ? BookingObserver.Kind.PERFORM : BookingObserver.Kind.TIMED, version,
        pinned != null && pinned.knows(actionName) ? actionName : BookingObserver.Change.UNKNOWN_ACTION,
        actor.role(), booking.id(), dueAt);
    return observer.observeChange(observed, () -> {
      Plan plan = plan(pinned, booking, fresh, actor, actionName, reason, observed);
      PaymentRequest secured = secure(plan);
      append(plan, secured);
      return notify(plan);
    });
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
  BookingChange fireTimed(AuditEntry latest, WorkflowRule rule, Instant dueAt) {
    return perform(Booking.after(latest), true, Actor.system(), rule.actionName(), null, dueAt);
  }

  // ---- migrate ----

  /**
   * Moves the booking to the later version of a migration, if it is pinned to the earlier one and the
   * migration maps its state: one {@link WorkflowMigration#ACTION_NAME} entry, from its state in the earlier
   * version to the mapped state in the later one, recorded like any change (at the next sequence, refused
   * if the booking changed meanwhile) and announced to listeners. It moves no money.
   *
   * @param bookingId the booking to move
   * @param migration the versions and the mapping of states; both versions must be hosted by this engine
   * @param actor who moves it: an operator or the system
   * @param reason why, recorded in the entry
   * @return the booking after the move and the entry recorded; empty when the booking is not pinned to the
   *     migration's earlier version (e.g. already moved) or its state stays pinned
   * @throws BookingNotFoundException if no booking has this id
   * @throws ActionNotAllowedForRoleException if the actor is a customer or a GigSta
   * @throws BookingChangedConcurrentlyException if the booking changed while it was being moved
   * @throws InvalidBookingInputException for a malformed reason or one over the trail's limits
   * @throws IllegalArgumentException if this engine does not host both versions, as the migration defines
   *     them
   * @throws NullPointerException if an argument is null
   */
  public Optional<BookingChange> migrate(String bookingId, WorkflowMigration migration, Actor actor,
      String reason) {
    requireHosted(migration);
    requireNonNull(actor, "actor");
    requireNonNull(reason, "reason");
    return migrate(load(bookingId), migration, actor, reason);
  }

  /**
   * Moves every booking pinned to the earlier version of the migration whose state it maps, as
   * {@link #migrate(String, WorkflowMigration, Actor, String)} moves one, reading the trail page by page in
   * booking-id order. Safe to run on several instances at once: each booking is moved once, by whichever
   * run records its entry first. Resumable: a run that stopped part-way leaves the moved bookings moved,
   * and the next run moves the rest. A booking that changes while it is being moved is read again and
   * moved from its new state.
   *
   * @param migration the versions and the mapping of states; both versions must be hosted by this engine
   * @param actor who moves them: an operator or the system
   * @param reason why, recorded in every entry
   * @return how many bookings this run moved, left pinned, or found moved by another run
   * @throws InvalidBookingInputException for a malformed reason or one over the trail's limits
   * @throws IllegalArgumentException if the actor is a customer or a GigSta, or this engine does not host
   *     both versions as the migration defines them; nothing is read or written
   * @throws NullPointerException if an argument is null
   */
  public MigrationResult migrateAll(WorkflowMigration migration, Actor actor, String reason) {
    requireHosted(migration);
    requireNonNull(actor, "actor");
    requireNonNull(reason, "reason");
    requireArgument(actor.role() == Role.OPERATOR || actor.role() == Role.SYSTEM,
        "only an operator or the system migrates bookings, not %s", actor);
    Inputs.text(reason, "reason");
    WorkflowVersion from = migration.from().workflowVersion();
    long migrated = 0;
    long stayed = 0;
    long elsewhere = 0;
    String after = null;
    List<AuditEntry> page;
    do {
      page = auditTrail.findPinnedTo(from, unpinnedAs, after, MIGRATION_PAGE);
      for (AuditEntry latest : page) {
        switch (migrateWithRetries(Booking.after(latest), migration, actor, reason)) {
          case MIGRATED -> migrated++;
          case STAYED -> stayed++;
          case ELSEWHERE -> elsewhere++;
        }
      }
      after = page.isEmpty() ? after : page.get(page.size() - 1).bookingId();
    } while (page.size() == MIGRATION_PAGE);
    MigrationResult result = new MigrationResult(migrated, stayed, elsewhere);
    LOG.info("migration {}: {}", migration, result);
    return result;
  }

  private enum Moved { MIGRATED, STAYED, ELSEWHERE }

  // A booking that changed between the page's read and its move is read again: its new state may map
  // elsewhere, or another run moved it.
  private Moved migrateWithRetries(Booking booking, WorkflowMigration migration, Actor actor, String reason) {
    Booking current = booking;
    while (true) {
      try {
        if (!versionOf(current).equals(migration.from().workflowVersion())) {
          return Moved.ELSEWHERE;
        }
        return migrate(current, migration, actor, reason).isPresent() ? Moved.MIGRATED : Moved.STAYED;
      } catch (BookingChangedConcurrentlyException e) {
        LOG.debug("booking {} changed while being migrated; reading it again", current.id(), e);
        current = load(current.id());
      }
    }
  }

  private Optional<BookingChange> migrate(Booking booking, WorkflowMigration migration, Actor actor,
      String reason) {
    requireMigrator(actor, booking);
    Inputs.text(reason, "reason");
    BookingState target = migration.target(booking.state()).orElse(null);
    if (target == null || !versionOf(booking).equals(migration.from().workflowVersion())) {
      return Optional.empty();
    }
    AuditEntry entry = new AuditEntry(booking.id(), booking.version() + 1, WorkflowMigration.ACTION_NAME,
        actor.role(), actor.id(), booking.customerId(), booking.gigstaId(), booking.state(), target, now(),
        migration.note(booking.state(), target), reason, booking.scheduledStart(), booking.price(), null, null,
        migration.to().workflowVersion());
    limits.check(entry);
    BookingObserver.Change observed = new BookingObserver.Change(BookingObserver.Kind.MIGRATION,
        migration.to().workflowVersion(), WorkflowMigration.ACTION_NAME, actor.role(), booking.id(), null);
    return Optional.of(observer.observeChange(observed, () -> {
      Plan plan = new Plan(booking, true, PaymentMoment.NONE, entry, observed);
      append(plan, null);
      return notify(plan);
    }));
  }

  // A migration checked its mapping against the definitions it was built from, so those must be the very
  // versions this engine hosts: another definition under the same number could map bookings into states the
  // hosted version does not have.
  private void requireHosted(WorkflowMigration migration) {
    requireNonNull(migration, "migration");
    for (Workflow version : List.of(migration.from(), migration.to())) {
      CompiledWorkflow hosted = versions.get(version.workflowVersion());
      requireArgument(hosted != null,
          "this engine does not host %s; build it with both versions of the migration", version.workflowVersion());
      requireArgument(hosted.workflow() == version || hosted.workflow().changesFrom(version).isEmpty(),
          "the migration was built from another definition of %s than this engine hosts: %s",
          version.workflowVersion(), hosted.workflow().changesFrom(version));
    }
  }

  private static void requireMigrator(Actor actor, Booking booking) {
    if (actor.role() != Role.OPERATOR && actor.role() != Role.SYSTEM) {
      throw new ActionNotAllowedForRoleException(WorkflowMigration.ACTION_NAME, actor, booking, List.of());
    }
  }

  private WorkflowVersion versionOf(Booking booking) {
    return versionOf(booking.workflowVersion());
  }

  // The version a booking whose entries record this one is pinned to: it, or for none, version 1.
  WorkflowVersion versionOf(WorkflowVersion recorded) {
    return recorded == null ? unpinnedAs : recorded;
  }

  // ---- plan ----

  private Plan planCreation(String bookingId, Actor customer, String gigstaId, Instant scheduledStart,
      Money price, BookingObserver.Change observed) {
    WorkflowRule rule = workflow.decideCreation(customer, gigstaId, scheduledStart);
    BookingState to = workflow.move(null, rule);
    AuditEntry entry = new AuditEntry(bookingId, 1, rule.actionName(), customer.role(), customer.id(),
        customer.id(), gigstaId, null, to, now(), rule.action().note(), null, scheduledStart, price, null, null,
        workflow.version());
    limits.check(entry);
    return new Plan(null, true, rule.payment(), entry, observed);
  }

  // `pinned` is the hosted version the booking is pinned to, or null if this engine was not given it.
  private Plan plan(CompiledWorkflow pinned, Booking booking, boolean fresh, Actor actor, String actionName,
      String reason, BookingObserver.Change observed) {
    workflow.requireParty(booking, actor, actionName);
    if (pinned == null) {
      throw new UnknownWorkflowVersionException(booking, actionName, actor, versionOf(booking), versions.keySet());
    }
    WorkflowRule rule = pinned.decide(booking, actor, actionName, clock);
    if (reason != null) {
      Inputs.text(reason, "reason");
    }
    BookingState to = pinned.move(booking.state(), rule);
    Instant at = now();
    AuditEntry entry = new AuditEntry(booking, actor, rule, to, at, reason, PaymentTerms.of(rule, booking, at));
    limits.check(entry);
    return new Plan(booking, fresh, rule.payment(), entry, observed);
  }

  /*
   * The compiled version whose rules apply to the booking: the one it is pinned to, and for a booking
   * recorded before bookings were pinned, version 1 of this engine's workflow. Never another.
   */
  CompiledWorkflow compiledFor(Booking booking, String actionName, Actor actor) {
    WorkflowVersion pinned = versionOf(booking);
    CompiledWorkflow compiled = hosted(pinned);
    if (compiled == null) {
      throw new UnknownWorkflowVersionException(booking, actionName, actor, pinned, versions.keySet());
    }
    return compiled;
  }

  // The hosted compiled version, or null. The current version is tried first: a profile of the listing
  // benchmark found hashing the version into the map the largest cost that pinning added, and most
  // bookings are on the current version.
  private CompiledWorkflow hosted(WorkflowVersion version) {
    return version.equals(workflow.version()) ? workflow : versions.get(version);
  }

  // ---- secure ----

  /**
   * Secures payment if the rule says so; returns the request, or null when nothing was secured. The
   * attempt comes from the trail: a double submit or a retry after an unknown outcome repeats the attempt
   * in flight and its key; a retry after a decline is a new attempt with a new key.
   */
  private PaymentRequest secure(Plan plan) {
    if (!plan.payment.securesBeforeRecording() || paymentHooks == PaymentHooks.none()) {
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
    PaymentMoment owed = paymentHooks == PaymentHooks.none() ? PaymentMoment.NONE : plan.payment;
    try {
      observer.observeAppend(plan.observed, () -> auditTrail.append(plan.entry, owed));
    } catch (RuntimeException e) {
      if (secured != null) {
        releaseUnrecorded(plan, secured, e);
      }
      throw e;
    }
  }

  /*
   * Payment was secured but the append failed. What the booking's history shows at this sequence decides,
   * read after the failure:
   *  - another action: that change took the sequence, so no change can ever be recorded with this payment
   *    (a lost race); it is released now, with the change's release key;
   *  - the same action: a double submit (or two instances acting for the same GigSta) recorded it with the
   *    same idempotency key, so the provider holds one payment, and that append claimed the hold, which
   *    stays claimed; the payment is kept;
   *  - nothing: a double submit of the same action may still be appending with the same key, unseen by
   *    this read (a connection that died, a deadlock victim, a storage failure), and releasing now would
   *    release the payment it is about to claim. The hold is left recorded: a retry of the action repeats
   *    the attempt and its key, and otherwise the settlement worker releases it once its grace period has
   *    passed, unless an append claimed it first (the two exclude each other in the trail).
   * If the history cannot be read, or the release fails, the hold likewise stays for the worker.
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
    if (recorded.isEmpty()) {
      LOG.warn("booking {}: '{}' was not recorded ({}); the payment secured with key {} stays held for a retry of "
          + "the action, and the settlement worker releases it if no change claims it within its grace period",
          entry.bookingId(), entry.actionName(), failure.toString(), secured.idempotencyKey());
      return;
    }
    if (recorded.get().actionName().equals(entry.actionName())) {
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

  Collection<CompiledWorkflow> compiledVersions() {
    return versions.values();
  }

  PaymentHooks paymentHooks() {
    return paymentHooks;
  }

  BookingObserver observer() {
    return observer;
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

  /** One planned change: the snapshot acted on, the payment moment of its rule and the entry to record. */
  private record Plan(Booking before, boolean fresh, PaymentMoment payment, AuditEntry entry,
      BookingObserver.Change observed) {}

  /**
   * Configures a {@link BookingEngine}; not thread-safe. {@link #build()} copies what it was given, so the
   * builder may be changed and built again without affecting engines already built.
   */
  public static final class Builder {
    private Workflow workflow = Workflow.gigsta();
    private final List<Workflow> earlierVersions = new ArrayList<>();
    private AuditTrail auditTrail;
    private PaymentHooks paymentHooks = PaymentHooks.none();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> idGenerator = () -> UUID.randomUUID().toString();
    private final List<BookingListener> listeners = new ArrayList<>();
    private BookingObserver observer = BookingObserver.NONE;

    private Builder() {}

    /**
     * Sets the workflow new bookings are created under and pinned to; default {@link Workflow#gigsta()}.
     *
     * @param workflow the workflow to run
     * @return this builder
     */
    public Builder withWorkflow(Workflow workflow) {
      this.workflow = requireNonNull(workflow, "workflow");
      return this;
    }

    /**
     * Adds earlier versions of the workflow, which bookings created before the current version was
     * deployed stay pinned to until they are migrated. Each is compiled once, when the engine is built.
     *
     * @param versions versions of the same workflow as {@link #withWorkflow(Workflow)}'s, each with a
     *     lower version number than it and than none other given
     * @return this builder
     * @throws NullPointerException if a version is null
     */
    public Builder withEarlierVersions(Workflow... versions) {
      for (Workflow version : requireNonNull(versions, "versions")) {
        earlierVersions.add(requireNonNull(version, "version"));
      }
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
     * Sets what wraps each change, each append and each delivery of this engine's workers, e.g. to time
     * and trace them; default {@link BookingObserver#NONE}.
     *
     * @param observer the observer
     * @return this builder
     */
    public Builder withObserver(BookingObserver observer) {
      this.observer = requireNonNull(observer, "observer");
      return this;
    }

    /**
     * Returns a new engine.
     *
     * @return an engine with this builder's settings
     * @throws IllegalArgumentException if an earlier version is of another workflow or not earlier, two
     *     have the same number, or the trail cannot store a version's own notes, or the system actor's id,
     *     within its limits
     */
    public BookingEngine build() {
      AuditTrail trail = auditTrail == null ? new InMemoryAuditTrail() : auditTrail;
      BookingLimits limits = requireNonNull(trail.limits(), "the audit trail's limits");
      Set<Integer> numbers = new HashSet<>();
      for (Workflow earlier : earlierVersions) {
        requireArgument(earlier.name().equals(workflow.name()),
            "an earlier version must be of workflow '%s', not '%s'", workflow.name(), earlier.name());
        requireArgument(earlier.version() < workflow.version(),
            "%s is not earlier than the current version %s", earlier.workflowVersion(), workflow.workflowVersion());
        requireArgument(numbers.add(earlier.version()), "%s was given twice", earlier.workflowVersion());
      }
      List<Workflow> all = new ArrayList<>(earlierVersions);
      all.add(workflow);
      for (Workflow version : all) {
        List<WorkflowRule> rules = new ArrayList<>(version.rules());
        rules.add(version.creation());
        for (WorkflowRule rule : rules) {
          String note = rule.action().note();
          requireArgument(note.length() <= limits.maxTextLength(),
              "the audit trail stores texts of at most %d characters, but workflow %s writes a note of %d for %s",
              limits.maxTextLength(), version.workflowVersion(), note.length(), rule.actionName());
        }
      }
      requireArgument(Actor.SYSTEM_ID.length() <= limits.maxIdLength(),
          "the audit trail stores ids of at most %d characters, too few for the system actor's id '%s'",
          limits.maxIdLength(), Actor.SYSTEM_ID);
      return new BookingEngine(workflow, earlierVersions, trail, paymentHooks, clock, idGenerator, listeners,
          observer);
    }
  }
}
