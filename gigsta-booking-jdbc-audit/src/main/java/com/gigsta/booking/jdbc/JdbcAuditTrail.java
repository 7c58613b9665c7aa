package com.gigsta.booking.jdbc;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.AuditEntryCorruptedException;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.BookingTimes;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.ChangePage;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.WorkflowVersion;
import com.gigsta.booking.jdbc.internal.AuditTable;
import com.gigsta.booking.jdbc.internal.ChangeTable;
import com.gigsta.booking.jdbc.internal.HoldTable;
import com.gigsta.booking.jdbc.internal.ConsumerTable;
import com.gigsta.booking.jdbc.internal.DeliveryTable;
import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.jdbc.internal.FeedHead;
import com.gigsta.booking.jdbc.internal.RawChange;
import com.gigsta.booking.jdbc.internal.RawRow;
import com.gigsta.booking.jdbc.internal.RawTimes;
import com.gigsta.booking.jdbc.internal.RecentRows;
import com.gigsta.booking.jdbc.internal.RowHasher;
import com.gigsta.booking.jdbc.internal.SchemaScript;
import com.gigsta.booking.jdbc.internal.Sequencer;
import com.gigsta.booking.jdbc.internal.StoredRow;
import com.gigsta.booking.jdbc.internal.TimerSweepTable;
import com.gigsta.booking.jdbc.internal.Transactions;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.PaymentRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditTrail} in a relational database, reached through plain JDBC: H2 2.x, PostgreSQL 12+,
 * MariaDB 10.6+ or MySQL 8. Thread-safe: one instance may serve any number of threads, and any number of
 * instances and processes may share the tables. Its configuration is fixed by {@link Builder#build()}; the
 * only state it keeps is a bounded memory of rows it committed (see Concurrency), the consumers it has
 * seen registered and, per thread, the connection joined by {@link #inTransaction(Connection, Supplier)}.
 *
 * <pre>{@code
 * JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).build();
 * BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).withPaymentHooks(provider).build();
 * DeliveryWorker.builder(engine).build().start(Duration.ofSeconds(1));
 * }</pre>
 *
 * <p><b>Tables.</b> The audit table (schema script {@code V1__gigsta_booking_audit.sql}) holds one row per
 * change, never updated or deleted. The five tables of script {@code V2__gigsta_booking_feed.sql} are
 * named after it: {@code <table>_change}, one row per audit row with what the change owes the payment
 * provider and its feed position; {@code <table>_feed_head}, the last position given;
 * {@code <table>_consumer}, the durable consumers; {@code <table>_delivery}, one row per consumer and
 * change owed to it; {@code <table>_hold}, the attempts to secure payment for changes (see Holds).
 * Changes recorded before the feed's tables existed are not in the feed. Script
 * {@code V3__gigsta_booking_timers.sql} adds {@code <table>_timer_sweep}, how far each timer was swept,
 * and two indexes on the audit table that serve {@link #findTimerCandidates}. Script
 * {@code V4__gigsta_booking_money.sql} adds the audit table's money columns ({@code price_minor},
 * {@code price_currency}, {@code amount_minor}, {@code fee_minor}, all nullable) and gives each hold its
 * attempt (part of the primary key) and amount; rows written before it read back without a price.
 * Script {@code V5__gigsta_booking_workflow_versions.sql} adds the audit table's workflow version columns
 * ({@code workflow_name}, {@code workflow_version}, both nullable, and on H2 and PostgreSQL a check that
 * both or neither hold a value); rows written before it read back without a workflow version, which
 * engines read as version 1 of their workflow.
 *
 * <p><b>What it stores.</b> {@link #limits()} declares it: ids and texts up to the configured lengths, and
 * times in whole microseconds from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, the same on every
 * supported database. {@link #append(AuditEntry, PaymentMoment)} refuses anything else with
 * {@link com.gigsta.booking.InvalidBookingInputException} before any SQL runs; nothing is shortened or
 * rounded. Money needs no limit of its own: an entry's price, amount and fee are
 * {@link com.gigsta.booking.Money} values, whole minor units in a {@code long}, which a BIGINT holds
 * exactly, and an ISO 4217 code, always three letters, which a CHAR(3) holds exactly; amount and fee are
 * stored in the price's currency, as every entry has them. Nor does a workflow version: a workflow's
 * name is at most 64 of a-z, digits, {@code '_'} and {@code '-'}, which a VARCHAR(64) holds exactly, and
 * a version's number an {@code int}, which an INT holds exactly. Together with the content rules every
 * {@link AuditEntry} obeys (well-formed UTF-16 among them, which UTF-8 columns need), every entry appended
 * reads back equal on every database.
 *
 * <p><b>Reading.</b> Rows are read as stored and then turned into entries. A row that cannot be one, for
 * example after a hand edit left an unknown role, an empty note, a malformed state or action name, a
 * time outside the range above, a price without its currency, an unknown currency code, a negative
 * amount or an amount above the price, a workflow name without its version number or the other way
 * round, makes {@link #history(String)}, {@link #latest(String)}, {@link #findTimerCandidates},
 * {@link #findPinnedTo}, {@link #workflowVersionsInUse}, the feed's reads and an append that must
 * continue that row throw {@link AuditEntryCorruptedException} naming the booking and the stored
 * sequence, with the original failure as its cause; nothing is repaired, guessed or skipped. Reads do
 * not check hashes: a hand edit that still makes a valid entry is returned as stored, and only
 * {@link #verify(String)} shows it.
 *
 * <p><b>Concurrency.</b> The audit table's primary key (booking_id, sequence) is the only guard of
 * appends: an append reads the booking's latest row, checks the entry continues it
 * ({@link AuditTrail#requireContinuation}), and inserts. Of two writers of the same sequence the database
 * lets one insert; the other gets {@link BookingChangedConcurrentlyException}. Nothing is locked beyond what
 * the inserts themselves lock, and, for a change that secures before recording, the change's held holds
 * (see Holds). Because rows are never updated, the trail remembers the latest committed
 * row it wrote, or read with {@link #latest(String)} outside a host's transaction, for each of the last
 * bookings it used (a bounded number), and skips the read when the entry directly follows that row; a row
 * another writer stored in between still makes the primary key refuse the insert. A new booking's first
 * entry is inserted without a read, as it continues nothing: the primary key refuses it whenever the
 * booking has a first row. The trail therefore assumes that rows are never deleted
 * ({@link #verify(String)} finds gaps, and a first row written again after its deletion breaks the chain).
 *
 * <p><b>Transactions.</b> An append inserts the audit row and its change row together. Through
 * {@link #append(AuditEntry, PaymentMoment)} they are one short transaction on a connection of their own,
 * committed before the method returns; the connection's auto-commit mode is put back afterwards. To record
 * a change in the host's own transaction, run the engine inside {@link #inTransaction(Connection, Supplier)}
 * (then {@link #inHostTransaction()} is true on that thread, and the engine calls no listener), or call
 * {@link #append(Connection, AuditEntry, PaymentMoment)}; both rows then go into the host's transaction,
 * and the host commits or rolls back, and must roll back whenever the trail throws (PostgreSQL refuses
 * further statements in a transaction after a failed insert). Such transactions must be at least READ
 * COMMITTED. A change rolled back never enters the feed and owes nothing. The feed's and deliveries'
 * methods always use connections of their own, also inside {@code inTransaction}, and never hold a lock
 * when they return.
 *
 * <p><b>The feed.</b> Changes get their feed positions when the feed is next read ({@link #changesSince}
 * or {@link #claimDue}): in short READ COMMITTED transactions under a lock on the feed head row, the
 * committed changes without a position are given the next ones, in booking and sequence order. So a
 * change whose transaction commits late gets a later position than those already read, and a reader
 * reading on from its cursor never misses it. A cursor stays valid for as long as the rows are kept:
 * positions are never reused or renumbered.
 *
 * <p><b>Deliveries.</b> When a change gets its position, each registered consumer is owed a delivery of
 * it, due at once (the built-in settlement consumer only for a change whose moment
 * {@link PaymentMoment#settlesAfterRecording() settles after recording}: the capture of a charge, a
 * release, refund, capture or payout).
 * {@link #claimDue} leases due deliveries by moving their due time to the end of the lease, in one short
 * transaction that locks them with {@code FOR UPDATE SKIP LOCKED} where the database takes it (else
 * {@code FOR UPDATE}), so that workers claiming at once pass over each other's rows; nothing stays locked
 * while a worker delivers. {@link #markDelivered} marks a delivery done once, whoever marks it;
 * {@link #markFailed} schedules its retry or makes it a dead letter, which stays until
 * {@link #resubmit resubmitted}. Scheduled consumers ({@link AuditTrail#isScheduledConsumer}) are never
 * registered: each of their deliveries is inserted by {@link #scheduleDelivery}, due when it says, and
 * then claimed and marked like any other.
 *
 * <p><b>Timers.</b> Nothing is stored to find the timers that fell due: {@link #findTimerCandidates}
 * reads them from the audit rows through the indexes of the third script, so a sweep's cost does not
 * grow with the bookings that left a state long ago. The trail keeps only each timer's mark in
 * {@code <table>_timer_sweep}, moved only forward by a conditional UPDATE.
 *
 * <p><b>Holds.</b> Each attempt to secure payment for a change is one row of {@code <table>_hold}, keyed by
 * the change and the attempt. {@link #recordHold} inserts it as held on a connection of its own,
 * committed at once (also inside {@code inTransaction}, so that it outlives a host transaction that rolls
 * back); the primary key makes a second insert of the same attempt change nothing. The append of a change
 * whose moment {@link PaymentMoment#securesBeforeRecording() secures before recording}
 * ({@link PaymentMoment#SECURE}, {@link PaymentMoment#CHARGE}) marks the change's held hold (at most one)
 * claimed by one conditional UPDATE in its own transaction, and is refused when there is none. {@link #claimAbandonedHolds} marks holds older
 * than the cutoff abandoned in a short transaction that skips rows an append is claiming right now, so a
 * hold is either claimed by its change or released by the worker, never both. {@link #markHoldDeclined}
 * and {@link #markHoldReleased} change a hold's status by one conditional UPDATE of its row and keep it,
 * so that {@link #paymentAttempt} never hands out a declined or released attempt, or its idempotency key,
 * again, and tells a late repeat of a claimed attempt that its change is recorded. Several service instances may do all of this at once: the primary key and the statements'
 * conditions decide, and no lock is held beyond one short transaction.
 *
 * <p><b>Clusters.</b> On a node of a MariaDB Galera cluster (detected by {@link Builder#build()}: MariaDB
 * with wsrep on and a provider loaded) any node takes writes, a commit is certified against the writes of
 * every other node, and a node applies the others' writes shortly after they commit. The primary key still
 * decides: of two writers of the same sequence on different nodes, one passes certification; the other's
 * INSERT either meets the winner's row or lock on its own node, or its commit is refused (SQL state 40001,
 * error 1213), and both become {@link BookingChangedConcurrentlyException}, with nothing recorded. A node
 * that is not in the primary component refuses statements with error 1047, reported as {@link
 * JdbcAuditTrailException} with nothing recorded. Every statement whose result decides something is causal
 * there, prefixed with {@code SET STATEMENT wsrep_sync_wait = 3 FOR}, so that the node first applies every
 * write the cluster certified before it: the reads of {@link #latest}, {@link #history} (the snapshot before
 * a perform, and the look-up before the engine releases a payment it secured for an unrecorded change), the
 * predecessor an append checks, the look-up after a failed commit, the payment attempts and holds, {@link
 * #findTimerCandidates}, the feed's reads and the sequencer's lock, the claims of deliveries and abandoned
 * holds, and the conditional UPDATEs whose row counts decide (claiming, declining or releasing a hold,
 * marking a delivery, moving a timer's mark). The wait costs one message through the cluster per statement,
 * and nothing elsewhere: other databases run the statements as they are. MariaDB waits only before a
 * statement that runs in auto-commit mode or starts a transaction: the trail's own transactions start with
 * their decisive read (the predecessor, the lock of the feed head, of due deliveries, of abandoned holds),
 * the later statements of the same short transaction read what that wait brought in, and a commit built on a
 * change another node made meanwhile is refused by certification. In a host's transaction the trail's reads
 * wait only if they come first in it. (MySQL's Galera builds, such as Percona XtraDB Cluster, have no {@code
 * SET STATEMENT}: there, set {@code wsrep_sync_wait} on the pool's sessions.) Row locks are local to a node
 * on Galera, so workers on two nodes may claim the same delivery; the later commit fails certification and
 * its short transaction runs again, now seeing the claim.
 *
 * <p><b>Tamper evidence.</b> Each audit row stores the SHA-256 of its content and of the previous row's
 * hash; {@link #verify(String)} checks a booking's chain. It hashes each row's values as stored, without
 * reading them as an entry, so it reports any hand edit of any column, readable or not, as a broken chain
 * at the first sequence affected, and throws only when the database fails. A row's money is part of its
 * content whenever it has any, and its workflow version whenever it has one; a row without either hashes
 * exactly as rows did before the fourth script, and a row with money but no version as rows did before
 * the fifth, so the chains of rows written before them still check out. The application's user needs
 * only INSERT and SELECT on the audit table; the feed's tables need SELECT, INSERT and UPDATE
 * ({@code _feed_head}: SELECT and UPDATE), and {@code _hold} also DELETE; {@code _timer_sweep} needs
 * SELECT, INSERT and UPDATE. Audit and change rows are never deleted.
 */
public final class JdbcAuditTrail implements AuditTrail {

  /** The table used unless {@link Builder#withTableName(String)} names another. */
  public static final String DEFAULT_TABLE_NAME = AuditTable.DEFAULT_NAME;

  private static final int CONFIRM_ATTEMPTS = 3;
  // Enough for the bookings a busy process changes within seconds, and a bound on the memory held.
  private static final int RECENT_ROWS = 1_024;
  // SLF4J, as in the core, so the host configures the logging of both in one place.
  private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditTrail.class);
  // The order of workflowVersionsInUse: by name, then by number.
  private static final Comparator<WorkflowVersion> VERSION_ORDER =
      Comparator.comparing(WorkflowVersion::name).thenComparingInt(WorkflowVersion::number);

  private final DataSource dataSource;
  private final AuditTable table;
  private final ChangeTable changes;
  private final HoldTable holds;
  private final ConsumerTable consumers;
  private final DeliveryTable deliveries;
  private final TimerSweepTable sweeps;
  private final Sequencer sequencer;
  private final Dialect dialect;
  private final boolean skipLocked;
  private final BookingLimits limits;
  // The latest committed row this trail wrote or read for recently used bookings.
  private final RecentRows recent = new RecentRows(RECENT_ROWS);
  // The host connection joined by inTransaction on each thread, if any.
  private final ThreadLocal<Connection> joined = new ThreadLocal<>();
  // Consumers seen registered; registrations are never removed, so a claim need not ask again.
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  private JdbcAuditTrail(Builder builder, AuditTable table, Dialect dialect, boolean skipLocked) {
    this.dataSource = builder.dataSource;
    this.table = table;
    this.changes = new ChangeTable(table);
    this.holds = new HoldTable(table);
    this.consumers = new ConsumerTable(table);
    this.deliveries = new DeliveryTable(table);
    this.sweeps = new TimerSweepTable(table);
    this.sequencer = new Sequencer(changes, new FeedHead(table), consumers, deliveries);
    this.dialect = dialect;
    this.skipLocked = skipLocked;
    this.limits = AuditTable.STORABLE.withLengths(builder.maxIdLength, builder.maxTextLength);
  }

  /**
   * Returns a builder for a trail that takes its connections from the data source.
   *
   * @param dataSource where connections come from; a pool in production
   * @return a builder with the default table name and lengths
   * @throws NullPointerException if the data source is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Returns the table's name as configured.
   *
   * @return the name, optionally qualified by a schema
   */
  public String tableName() {
    return table.name();
  }

  /**
   * Checks that the database answers and that every table and column of the five schema scripts is there,
   * by selecting no row from each table, as {@link Builder#build()} checks them; for a host's health check.
   * Reads nothing and writes nothing. Thread-safe.
   *
   * @throws JdbcAuditTrailException if no connection can be had, or naming the first table that is missing or
   *     lacks columns
   */
  public void checkSchema() {
    FeedHead head = new FeedHead(table);
    List<String[]> probes = List.of(new String[] {table.name(), table.probeSql()},
        new String[] {table.name(), table.moneyProbeSql()}, new String[] {table.name(), table.workflowProbeSql()},
        new String[] {changes.name(), changes.probeSql()},
        new String[] {head.name(), head.probeSql()},
        new String[] {consumers.name(), consumers.probeSql()}, new String[] {deliveries.name(), deliveries.probeSql()},
        new String[] {holds.name(), holds.probeSql()}, new String[] {holds.name(), holds.attemptProbeSql()},
        new String[] {sweeps.name(), sweeps.probeSql()});
    try (Connection connection = dataSource.getConnection()) {
      for (String[] probe : probes) {
        try (Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(probe[1])) {
          // Selecting no row from every column the trail uses is the check; the rows are not read.
          rows.getMetaData();
        } catch (SQLException e) {
          throw new JdbcAuditTrailException("checkSchema", null, "table " + probe[0]
              + " is missing or lacks columns of the schema scripts", e);
        }
      }
    } catch (SQLException e) {
      throw new JdbcAuditTrailException("checkSchema", null, "could not connect to check table " + table.name(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Ids and texts up to the lengths configured with {@link Builder#withLimits(BookingLimits)} (by
   * default those of {@link BookingLimits#defaults()}, which the schema scripts' columns fit), and times
   * in whole microseconds from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z. The times are the
   * same on H2, PostgreSQL and MariaDB: the precision of the schema scripts' time columns, and the range
   * all three hold (MariaDB's DATETIME starts in the year 1000), so what a trail accepts never depends on
   * the database under it. Money has no limit here: every {@link com.gigsta.booking.Money} is a
   * {@code long} of minor units and a three-letter ISO 4217 code, which the BIGINT and CHAR(3) columns
   * keep exactly.
   */
  @Override
  public BookingLimits limits() {
    return limits;
  }

  /**
   * Records the entry with what it owes: its audit row and its change row, which places it in the feed
   * once committed. Inside {@link #inTransaction(Connection, Supplier)} both go into the joined
   * transaction and are not committed; otherwise they are committed together on a connection of their own
   * before this method returns.
   *
   * <p>If the database refuses the commit (SQL state class 40, transaction rollback, which includes a
   * MariaDB Galera certification failure, SQL state 40001 with error 1213; or Galera's error 1047, a node
   * outside the primary component), nothing was recorded, and that is reported at once: a refusal of class
   * 40 as {@link BookingChangedConcurrentlyException}, Galera's 1047 as {@link JdbcAuditTrailException}.
   * If the commit fails otherwise, e.g. the connection is lost, the audit row is looked up by its key on a
   * fresh connection (causally on Galera, see Clusters): when exactly this row is there the append
   * succeeded and returns normally; when another row is, the append lost to it; when none is, nothing was
   * recorded.
   *
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry, or, with a moment that secures before recording, if the change has no
   *     held hold to claim
   * @throws InvalidBookingInputException if the entry is outside {@link #limits()}; checked before any SQL
   *     runs
   * @throws AuditEntryCorruptedException if the booking's latest row, which the entry must continue,
   *     cannot be read as an entry
   * @throws JdbcAuditTrailException if the database fails; nothing was recorded unless the message says
   *     the outcome is unknown
   * @throws NullPointerException if the entry or the payment moment is null
   */
  @Override
  public void append(AuditEntry entry, PaymentMoment paymentMoment) {
    check(entry);
    requireNonNull(paymentMoment, "paymentMoment");
    Connection host = joined.get();
    if (host != null) {
      appendOn(host, entry, paymentMoment);
    } else {
      appendAndCommit(entry, paymentMoment);
    }
  }

  /**
   * Returns whether this thread runs inside {@link #inTransaction(Connection, Supplier)}, whose appends the
   * host commits or rolls back later.
   *
   * @return true inside {@code inTransaction}
   */
  @Override
  public boolean inHostTransaction() {
    return joined.get() != null;
  }

  /**
   * Records the entry of a change that owes nothing in the host's transaction on the given connection;
   * the same as {@code append(connection, entry, PaymentMoment.NONE)}.
   *
   * @param connection the host's connection, in the host's transaction
   * @param entry the entry to record
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry
   * @throws InvalidBookingInputException if the entry is outside {@link #limits()}; checked before any SQL
   *     runs
   * @throws AuditEntryCorruptedException if the booking's latest row cannot be read as an entry
   * @throws JdbcAuditTrailException if the database fails
   * @throws NullPointerException if the connection or the entry is null
   */
  public void append(Connection connection, AuditEntry entry) {
    append(connection, entry, PaymentMoment.NONE);
  }

  /**
   * Records the entry with what it owes in the host's transaction on the given connection: its audit row
   * and its change row, which enters the feed and owes its deliveries once the host commits. Never
   * commits, rolls back or changes the connection's auto-commit mode. On any exception the host must roll
   * back.
   *
   * @param connection the host's connection, in the host's transaction
   * @param entry the entry to record
   * @param paymentMoment what the change owes the payment provider, delivered by the settlement worker
   *     after the commit if it {@link PaymentMoment#settlesAfterRecording() settles after recording}
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry, or, with a moment that secures before recording, if the change has no
   *     held hold to claim
   * @throws InvalidBookingInputException if the entry is outside {@link #limits()}; checked before any SQL
   *     runs
   * @throws AuditEntryCorruptedException if the booking's latest row cannot be read as an entry
   * @throws JdbcAuditTrailException if the database fails
   * @throws NullPointerException if the connection, the entry or the payment moment is null
   */
  public void append(Connection connection, AuditEntry entry, PaymentMoment paymentMoment) {
    requireNonNull(connection, "connection");
    check(entry);
    requireNonNull(paymentMoment, "paymentMoment");
    appendOn(connection, entry, paymentMoment);
  }

  /**
   * Runs {@code work} with this trail joined to the host's connection on the current thread: every read
   * and append the work makes through this trail, e.g. by calling {@code engine.perform(...)}, uses that
   * connection and commits nothing, so the host's own rows and the audit and change rows commit or roll
   * back together. Meanwhile {@link #inHostTransaction()} is true on this thread, so the engine calls no
   * listener: a change enters the feed, and owes its settlement and deliveries, only once the host
   * commits, and a change rolled back owes nothing. Calls nest; the innermost connection wins until its
   * work returns. The feed's and deliveries' methods do not join: they use connections of their own.
   *
   * <pre>{@code
   * connection.setAutoCommit(false);
   * try {
   *   BookingChange change = trail.inTransaction(connection, () -> engine.perform(booking, actor, "accept_booking"));
   *   insertOrderRow(connection, change);
   *   connection.commit();
   * } catch (RuntimeException | SQLException e) {
   *   connection.rollback();
   *   throw e;
   * }
   * }</pre>
   *
   * @param <T> what the work returns
   * @param connection the host's connection, in the host's transaction
   * @param work what to run on it, typically one or more engine calls
   * @return what {@code work} returns
   * @throws NullPointerException if the connection or the work is null
   */
  public <T> T inTransaction(Connection connection, Supplier<T> work) {
    requireNonNull(connection, "connection");
    requireNonNull(work, "work");
    Connection outer = joined.get();
    joined.set(connection);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        joined.remove();
      } else {
        joined.set(outer);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws AuditEntryCorruptedException naming the stored sequence of the first row that cannot be read as
   *     an entry, e.g. after a hand edit left an unknown role or an empty note; {@link #verify(String)}
   *     still reports such a booking
   * @throws InvalidBookingInputException if the id is longer than {@link #limits()} allow or is not
   *     well-formed UTF-16: no entry can have it
   * @throws JdbcAuditTrailException if the database fails
   * @throws NullPointerException if the id is null
   */
  @Override
  public List<AuditEntry> history(String bookingId) {
    checkBookingId(bookingId);
    return entries(read("history", bookingId, c -> table.history(c, bookingId)));
  }

  /**
   * {@inheritDoc}
   *
   * @throws AuditEntryCorruptedException naming its stored sequence if the latest row cannot be read as an
   *     entry
   * @throws InvalidBookingInputException if the id is longer than {@link #limits()} allow or is not
   *     well-formed UTF-16: no entry can have it
   * @throws JdbcAuditTrailException if the database fails
   * @throws NullPointerException if the id is null
   */
  @Override
  public Optional<AuditEntry> latest(String bookingId) {
    checkBookingId(bookingId);
    boolean ownConnection = joined.get() == null;
    StoredRow row = stored(read("latest", bookingId, c -> table.latest(c, bookingId)));
    if (row != null && ownConnection) {
      // Measured on the realistic path, load then perform on PostgreSQL: without this the append read the
      // row just loaded a second time. Read outside a host's transaction, the row is committed.
      recent.remember(row);
    }
    return Optional.ofNullable(row).map(StoredRow::entry);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One query, a range scan of one index in the order returned, each row checked against the primary
   * key for a successor: for {@link Timepoint#STATE_ENTERED} the (to_state, occurred_at) index, for
   * {@link Timepoint#SCHEDULED_START} the (to_state, scheduled_start) index, both joined to the booking's
   * first row by the primary key; for {@link Timepoint#CREATED} the index of first rows by occurred_at,
   * joined to the booking's rows by the primary key, so its cost grows with the bookings created within
   * the bounds, whatever their state. Booking ids are ordered as the booking_id column compares them
   * (binary on MariaDB, the column's collation on PostgreSQL, UTF-16 order on H2), and reading on after
   * a booking uses the same comparison, so paging never skips or repeats one.
   *
   * @throws AuditEntryCorruptedException naming the booking and stored sequence of a found row that cannot
   *     be read as an entry, or sequence 1 if its booking's first row is missing or unreadable; nothing is
   *     skipped silently
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public List<BookingTimes> findTimerCandidates(BookingState state, Timepoint timepoint, Instant from,
      String afterBookingId, Instant to, int limit) {
    requireNonNull(state, "state");
    requireNonNull(timepoint, "timepoint");
    requireNonNull(to, "to");
    AuditTrail.requireBatchLimit(limit);
    requireArgument(afterBookingId == null || from != null, "afterBookingId needs from");
    boolean ownConnection = joined.get() == null;
    List<RawTimes> rows = read("findTimerCandidates", null,
        c -> table.timerCandidates(c, state, timepoint, from, afterBookingId, to, limit));
    List<BookingTimes> candidates = new ArrayList<>(rows.size());
    for (RawTimes raw : rows) {
      StoredRow latest = raw.latest().toStoredRow();
      if (ownConnection) {
        // Measured on the timer path, a sweep firing due expiries on PostgreSQL: without this each
        // expiry's append read the row the sweep had just read. Read outside a host's transaction, it is
        // committed.
        recent.remember(latest);
      }
      candidates.add(raw.toBookingTimes(latest));
    }
    return candidates;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement that reads every booking's latest row (each row of the table, checked against the
   * primary key for a later one) and counts them by their two workflow columns: an operator's or
   * start-up query, whose cost grows with the table, never one for each request. It locks nothing, so
   * appends go on meanwhile; a booking migrated while it runs is counted under one of its two versions.
   *
   * @throws AuditEntryCorruptedException naming a booking and its latest sequence if a booking's latest
   *     row holds a workflow name without its version number or the other way round, a name that is no
   *     workflow name, or a number below 1; nothing is skipped silently
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public Map<WorkflowVersion, Long> workflowVersionsInUse(WorkflowVersion unpinnedAs) {
    requireNonNull(unpinnedAs, "unpinnedAs");
    List<AuditTable.VersionCount> counts = read("workflowVersionsInUse", null, table::versionsInUse);
    Map<WorkflowVersion, Long> inUse = new TreeMap<>(VERSION_ORDER);
    for (AuditTable.VersionCount count : counts) {
      WorkflowVersion version;
      try {
        version = RawRow.workflowVersion(count.workflowName(), count.workflowVersion());
      } catch (RuntimeException e) {
        throw corruptedVersion(count, e);
      }
      inUse.merge(version == null ? unpinnedAs : version, count.bookings(), Long::sum);
    }
    return Collections.unmodifiableMap(inUse);
  }

  // The counts do not say which row holds the values no version can have: the least booking id of the
  // group does, in its latest row, which reading it as an entry then reports with its sequence.
  private AuditEntryCorruptedException corruptedVersion(AuditTable.VersionCount count, RuntimeException failure) {
    String bookingId = count.firstBookingId();
    RawRow latest = read("workflowVersionsInUse", bookingId, c -> table.latest(c, bookingId));
    if (latest != null) {
      try {
        latest.toStoredRow();
      } catch (AuditEntryCorruptedException e) {
        return e;
      }
    }
    // Appended to since the count by a writer that knows no workflow columns: the row counted is no
    // longer the latest, but it is still stored as it was.
    return new AuditEntryCorruptedException(bookingId, latest == null ? 1 : latest.sequence(), "a latest row of "
        + "this booking holds workflow_name " + count.workflowName() + " and workflow_version "
        + count.workflowVersion() + ", which make no workflow version; verify(bookingId) reports which row no "
        + "longer matches its hash", failure);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement that reads the latest rows of the bookings after {@code afterBookingId} in booking_id
   * order, each checked against the primary key for a later row, until it has {@code limit} pinned to the
   * version: like {@link #workflowVersionsInUse} an operator's query, here for a migration, which reads
   * every booking's latest row once over all its pages. Booking ids are ordered as the booking_id column
   * compares them (binary on MariaDB, the column's collation on PostgreSQL, UTF-16 order on H2), and
   * reading on after a booking uses the same comparison, so paging never skips or repeats one. Outside a
   * host's transaction the rows read are remembered, so that migrating each booking need not read it
   * again.
   *
   * @throws AuditEntryCorruptedException naming the booking and stored sequence of a latest row found that
   *     cannot be read as an entry; a latest row with only one of the two workflow columns set is found
   *     whatever version is sought, and refused so, rather than left out of every migration
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public List<AuditEntry> findPinnedTo(WorkflowVersion version, WorkflowVersion unpinnedAs, String afterBookingId,
      int limit) {
    requireNonNull(version, "version");
    requireNonNull(unpinnedAs, "unpinnedAs");
    AuditTrail.requireBatchLimit(limit);
    boolean ownConnection = joined.get() == null;
    List<RawRow> rows = read("findPinnedTo", null,
        c -> table.pinnedTo(c, version, version.equals(unpinnedAs), afterBookingId, limit));
    List<AuditEntry> pinned = new ArrayList<>(rows.size());
    for (RawRow raw : rows) {
      StoredRow latest = raw.toStoredRow();
      if (ownConnection) {
        // Read outside a host's transaction, it is committed; the migration entry continues it.
        recent.remember(latest);
      }
      pinned.add(latest.entry());
    }
    return pinned;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One read on a connection of its own. Marks are kept to the microsecond, cut down.
   *
   * @throws IllegalArgumentException if the key is empty, longer than 64 characters, or holds NUL or an
   *     unpaired surrogate, which a database would refuse or change
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public Optional<Instant> timerSweptTo(String timer) {
    requireTimerKey(timer);
    return onOwnConnection("timerSweptTo", null, "could not read the mark of timer " + timer,
        c -> sweeps.sweptTo(c, timer));
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a connection of its own, in short transactions: an UPDATE that moves the mark only if it is
   * earlier; if that changed nothing, a read of whether the mark is already at or after {@code sweptTo};
   * if not, an INSERT of the timer's first mark, and if another sweep inserted one first, all of it again.
   * Marks are kept to the microsecond, cut down, within the years 1000 to 9999.
   *
   * @throws IllegalArgumentException if the key is empty, longer than 64 characters, or holds NUL or an
   *     unpaired surrogate, which a database would refuse or change
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public void advanceTimerSweep(String timer, Instant sweptTo) {
    requireTimerKey(timer);
    requireNonNull(sweptTo, "sweptTo");
    onOwnConnection("advanceTimerSweep", null, "could not record the mark of timer " + timer, c -> {
      for (int attempt = 1; ; attempt++) {
        boolean done = Transactions.readCommitted(c, tx -> sweeps.advance(tx, timer, sweptTo))
            || sweeps.reached(c, timer, sweptTo);
        Transactions.endReads(c);
        if (done) {
          return null;
        }
        // No mark yet, or one inserted since the UPDATE looked, which the next UPDATE moves.
        try {
          Transactions.readCommitted(c, tx -> {
            sweeps.insert(tx, timer, sweptTo);
            return null;
          });
          return null;
        } catch (SQLException e) {
          // Another sweep gave the timer its first mark meanwhile: the UPDATE runs again.
          if (!Dialect.isWriteConflict(e) || attempt == CONFIRM_ATTEMPTS) {
            throw e;
          }
        }
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a connection of its own: first places the changes committed since the feed was last read,
   * like {@link #changesSince}, then inserts the delivery, in a short transaction, unless the consumer
   * has one at the change's feed position (the primary key refuses a second, so of several callers at
   * once exactly one creates it). A change recorded before the feed's tables existed is placed on its
   * own, owed to no consumer and owing the payment provider nothing. The due time is kept to the
   * microsecond, cut down. A change appended in a host's transaction counts as recorded once the host
   * commits.
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public boolean scheduleDelivery(String consumer, String bookingId, long sequence, Instant dueAt) {
    requireNonNull(consumer, "consumer");
    requireArgument(AuditTrail.isScheduledConsumer(consumer), "'%s' is not a scheduled consumer", consumer);
    AuditTrail.requireConsumerName(consumer);
    requireNonNull(bookingId, "bookingId");
    requireNonNull(dueAt, "dueAt");
    // No entry has an id that cannot be stored, and a driver could change it on the way.
    requireArgument(isStorableId(bookingId), "no change %s:%d is recorded in %s", bookingId, sequence, table.name());
    return onOwnConnection("scheduleDelivery", bookingId, "could not schedule the delivery of sequence " + sequence
        + " to " + consumer, c -> {
          long position = placed(c, bookingId, sequence);
          for (int attempt = 1; ; attempt++) {
            try {
              Transactions.readCommitted(c, tx -> {
                deliveries.schedule(tx, consumer, position, bookingId, sequence, dueAt);
                return null;
              });
              return true;
            } catch (SQLException e) {
              if (!Dialect.isWriteConflict(e)) {
                throw e;
              }
              boolean taken = deliveries.exists(c, consumer, position);
              Transactions.endReads(c);
              if (taken) {
                return false;
              }
              // Refused with nothing stored: a deadlock or serialization victim, which may try again.
              if (attempt == CONFIRM_ATTEMPTS) {
                throw e;
              }
            }
          }
        });
  }

  // The change's feed position. Every committed change is placed by the sequencer; one recorded before
  // the feed's tables existed has no change row and is placed on its own.
  private long placed(Connection connection, String bookingId, long sequence) throws SQLException {
    for (int round = 1; round <= CONFIRM_ATTEMPTS; round++) {
      sequencer.run(connection);
      OptionalLong position = changes.position(connection, bookingId, sequence);
      if (position.isPresent() && position.getAsLong() > 0) {
        Transactions.endReads(connection);
        return position.getAsLong();
      }
      if (position.isEmpty()) {
        boolean recorded = table.row(connection, bookingId, sequence) != null;
        Transactions.endReads(connection);
        requireArgument(recorded, "no change %s:%d is recorded in %s", bookingId, sequence, table.name());
        sequencer.placeRecordedBefore(connection, bookingId, sequence);
      }
      // Otherwise its change row was committed after the sequencer looked: the next run places it.
    }
    throw new SQLException("change " + bookingId + ":" + sequence + " could not be placed in the feed of "
        + table.name());
  }

  /**
   * Checks the booking's hash chain: that its rows run 1, 2, 3 … without gaps, that each row's content
   * still hashes to its stored hash, and that each row names its predecessor's hash. See
   * {@link ChainVerification} for what the chain cannot show.
   *
   * <p>Rows are hashed as stored, column by column, without being read as entries first, so a row edited
   * into something no entry can be (an unknown role, an empty note, a garbled state, a time outside the
   * declared range) is reported like any other change: not intact, at the first sequence that does not
   * check out. Stored content never makes this method throw.
   *
   * @param bookingId the booking to check
   * @return the outcome; intact with no entries for an unknown booking
   * @throws InvalidBookingInputException if the id is longer than {@link #limits()} allow or is not
   *     well-formed UTF-16: no entry can have it
   * @throws JdbcAuditTrailException if the database fails
   * @throws NullPointerException if the id is null
   */
  public ChainVerification verify(String bookingId) {
    checkBookingId(bookingId);
    List<RawRow> rows = read("verify", bookingId, c -> table.history(c, bookingId));
    String expectedPrev = RowHasher.GENESIS;
    long expectedSequence = 1;
    for (RawRow row : rows) {
      long sequence = row.sequence();
      String problem = null;
      if (sequence != expectedSequence) {
        problem = "row " + expectedSequence + " is missing: the next row stored is " + sequence;
      } else if (!RowHasher.hash(row).equals(row.rowHash())) {
        problem = "row " + sequence + " was altered: its content no longer matches its hash";
      } else if (!expectedPrev.equals(row.prevHash())) {
        problem = "row " + sequence + " does not follow row " + (sequence - 1)
            + ": its previous hash differs from that row's hash, so one of them was altered or replaced";
      }
      if (problem != null) {
        return new ChainVerification(bookingId, false, OptionalLong.of(expectedSequence), rows.size(), problem,
            rows.get(rows.size() - 1).rowHash());
      }
      expectedPrev = row.rowHash();
      expectedSequence++;
    }
    return new ChainVerification(bookingId, true, OptionalLong.empty(), rows.size(), null,
        rows.isEmpty() ? null : expectedPrev);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a connection of its own: first places the changes committed since the feed was last read, in
   * short transactions under the feed head's lock (see the class description), then reads the page. The
   * cursor stays valid for as long as the rows are kept.
   *
   * @throws AuditEntryCorruptedException naming the booking and sequence of a change whose audit row is
   *     missing or cannot be read as an entry; nothing is skipped
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public ChangePage changesSince(ChangeCursor after, int limit) {
    requireNonNull(after, "after");
    AuditTrail.requireBatchLimit(limit);
    List<RawChange> rows = onOwnConnection("changesSince", null, "could not read the feed of " + table.name(), c -> {
      sequencer.run(c);
      return changes.after(c, after.position(), limit);
    });
    List<FeedChange> page = rows.stream().map(RawChange::toFeedChange).toList();
    return new ChangePage(page, page.isEmpty() ? after : page.get(page.size() - 1).cursor());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The registration takes the feed head's lock and first places every change committed before it, so
   * those are not owed to the consumer, and every change placed after this method returns is. A change
   * whose host transaction commits after the registration enters the feed after it, and is owed.
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public void registerConsumer(String consumer) {
    AuditTrail.requireConsumerName(consumer);
    requireArgument(!DeliveryWorker.SETTLEMENT.equals(consumer), "'%s' is the built-in settlement consumer",
        consumer);
    requireArgument(!AuditTrail.isScheduledConsumer(consumer), "'%s' is the name of a scheduled consumer",
        consumer);
    if (registered.contains(consumer)) {
      return;
    }
    onOwnConnection("registerConsumer", null, "could not register consumer " + consumer,
        c -> sequencer.register(c, consumer, Instant.now()));
    registered.add(consumer);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One read of the change's holds on a connection of its own, also inside {@link #inTransaction}, so
   * that it sees every hold committed, whoever recorded it.
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public PaymentAttempt paymentAttempt(String bookingId, long sequence, String actionName) {
    requireNonNull(bookingId, "bookingId");
    requireNonNull(actionName, "actionName");
    return onOwnConnection("paymentAttempt", bookingId, "could not read the payment attempts of sequence " + sequence,
        c -> holds.nextAttempt(c, bookingId, sequence, actionName));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One INSERT on a connection of its own, committed before this returns, also inside
   * {@link #inTransaction}: the hold must outlive a host transaction that rolls back. The attempt is part
   * of the primary key, so of several instances recording the same attempt at once one inserts it and the
   * others change nothing. Its amount is stored as whole minor units and an ISO 4217 code, exactly.
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public void recordHold(PaymentRequest secure, Instant recordedAt) {
    requireNonNull(secure, "secure");
    requireNonNull(recordedAt, "recordedAt");
    requireArgument(secure.moment() == PaymentMoment.SECURE, "a hold is recorded for a SECURE request, not %s",
        secure.moment());
    onOwnConnection("recordHold", secure.bookingId(), "could not record the hold " + secure.idempotencyKey(), c -> {
      try {
        holds.insert(c, secure, recordedAt);
      } catch (SQLException e) {
        if (!Dialect.isWriteConflict(e)) {
          throw e;
        }
        // Recorded already, by a retry or a double submit of the same change.
      }
      return null;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One conditional UPDATE of the attempt's row on a connection of its own, committed before this
   * returns.
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public void markHoldDeclined(PaymentRequest secure) {
    requireNonNull(secure, "secure");
    onOwnConnection("markHoldDeclined", secure.bookingId(), "could not mark the hold " + secure.idempotencyKey()
        + " declined", c -> holds.markDeclined(c, secure));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One short READ COMMITTED transaction on a connection of its own that locks the holds it returns
   * ({@code SKIP LOCKED} where the database takes it, so a hold an append is claiming right now is passed
   * over) and marks those still held abandoned. Each request carries its hold's attempt and amount as
   * recorded.
   *
   * @throws JdbcAuditTrailException if the database fails, or a hold's stored amount is not one (an amount
   *     without a currency, a negative amount, an unknown code): nothing is then marked or returned
   */
  @Override
  public List<PaymentRequest> claimAbandonedHolds(Instant recordedBefore, int limit) {
    requireNonNull(recordedBefore, "recordedBefore");
    AuditTrail.requireBatchLimit(limit);
    return onOwnConnection("claimAbandonedHolds", null, "could not claim abandoned holds",
        c -> Transactions.readCommitted(c, tx -> holds.abandon(tx, recordedBefore, limit, skipLocked)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One conditional UPDATE of the attempt's row on a connection of its own, committed before this
   * returns; the row is kept.
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public void markHoldReleased(PaymentRequest secure) {
    requireNonNull(secure, "secure");
    onOwnConnection("markHoldReleased", secure.bookingId(), "could not mark the hold " + secure.idempotencyKey()
        + " released", c -> holds.markReleased(c, secure));
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a connection of its own: first places the changes committed since the feed was last read (not for a
   * scheduled consumer, whose deliveries {@link #scheduleDelivery} makes only once their change is placed), then
   * locks the due deliveries in one short READ COMMITTED transaction ({@code FOR UPDATE SKIP LOCKED} where
   * the database takes it, else {@code FOR UPDATE}), moves their due time to {@code leaseUntil} and
   * commits, and then reads their changes. Times are kept to the microsecond, cut down.
   *
   * @throws AuditEntryCorruptedException naming the booking and sequence of a claimed change whose rows
   *     are missing or cannot be read as an entry
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public List<Delivery> claimDue(String consumer, Instant now, Instant leaseUntil, int limit) {
    requireNonNull(consumer, "consumer");
    requireNonNull(now, "now");
    requireNonNull(leaseUntil, "leaseUntil");
    AuditTrail.requireBatchLimit(limit);
    List<StoredDelivery> claimed = onOwnConnection("claimDue", null, "could not claim deliveries for consumer "
        + consumer, c -> {
          requireRegistered(c, consumer);
          // A scheduled consumer's deliveries are made only by scheduleDelivery, which places its change
          // first, so there is nothing to place for it.
          if (!AuditTrail.isScheduledConsumer(consumer)) {
            sequencer.run(c);
          }
          List<DeliveryTable.Stored> leased = Transactions.readCommitted(c, tx -> deliveries.lease(tx, consumer,
              deliveries.lockDue(tx, consumer, now, limit, skipLocked), now, leaseUntil));
          return withChanges(c, leased);
        });
    return deliveries(consumer, claimed);
  }

  /**
   * {@inheritDoc}
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public boolean markDelivered(Delivery delivery) {
    requireNonNull(delivery, "delivery");
    return onOwnConnection("markDelivered", delivery.change().bookingId(), "could not mark the delivery of sequence "
        + delivery.change().sequence() + " to " + delivery.consumer() + " done",
        c -> deliveries.markDone(c, delivery.consumer(), key(delivery)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The error is stored as a diagnostic: shortened to {@link #limits()}' text length, with NUL and
   * unpaired surrogates replaced by U+FFFD.
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public void markFailed(Delivery delivery, String error, Instant retryAt) {
    requireNonNull(delivery, "delivery");
    requireNonNull(error, "error");
    String storable = DeliveryTable.storableError(error, limits.maxTextLength());
    onOwnConnection("markFailed", delivery.change().bookingId(), "could not record the failed delivery of sequence "
        + delivery.change().sequence() + " to " + delivery.consumer(), c -> {
          deliveries.markFailed(c, delivery.consumer(), key(delivery), delivery.failedAttempts() + 1, storable,
              retryAt);
          return null;
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException also if the consumer is neither registered nor a scheduled one
   * @throws AuditEntryCorruptedException naming the booking and sequence of a change whose rows are
   *     missing or cannot be read as an entry
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public List<Delivery> deadLetters(String consumer, int limit) {
    requireNonNull(consumer, "consumer");
    AuditTrail.requireBatchLimit(limit);
    List<StoredDelivery> dead = onOwnConnection("deadLetters", null, "could not read the dead letters of consumer "
        + consumer, c -> {
          requireRegistered(c, consumer);
          return withChanges(c, deliveries.dead(c, consumer, limit));
        });
    return deliveries(consumer, dead);
  }

  /**
   * {@inheritDoc}
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public long deadLetterCount(String consumer) {
    requireNonNull(consumer, "consumer");
    if (!isConsumerName(consumer)) {
      return 0;
    }
    return onOwnConnection("deadLetterCount", null, "could not count the dead letters of consumer " + consumer,
        c -> deliveries.countDead(c, consumer));
  }

  /**
   * {@inheritDoc}
   *
   * @throws JdbcAuditTrailException if the database fails
   */
  @Override
  public boolean resubmit(String consumer, String bookingId, long sequence, Instant now) {
    requireNonNull(consumer, "consumer");
    requireNonNull(bookingId, "bookingId");
    requireNonNull(now, "now");
    // No delivery can name what no entry can have, and a driver could change it on the way.
    if (!isConsumerName(consumer) || !isStorableId(bookingId)) {
      return false;
    }
    return onOwnConnection("resubmit", bookingId, "could not resubmit the dead letter of sequence " + sequence
        + " to " + consumer, c -> deliveries.resubmit(c, consumer, bookingId, sequence, now));
  }

  @Override
  public String toString() {
    return "JdbcAuditTrail[" + dialect + " table " + table.name() + "]";
  }

  private void check(AuditEntry entry) {
    requireNonNull(entry, "entry");
    // Also refuses times finer than a microsecond or outside the years 1000 to 9999, which not every
    // database could store exactly.
    limits.check(entry);
  }

  // An id no entry can have is refused rather than looked up: the driver would send an unpaired
  // surrogate as '?' and find another booking's rows.
  private void checkBookingId(String bookingId) {
    requireNonNull(bookingId, "bookingId");
    limits.checkId(bookingId, "booking id");
  }

  // Converted after the connection is handed back: a corrupted row is the data's fault, not the query's.
  private static List<AuditEntry> entries(List<RawRow> rows) {
    return rows.stream().map(row -> row.toStoredRow().entry()).toList();
  }

  private static StoredRow stored(RawRow row) {
    return row == null ? null : row.toStoredRow();
  }

  // Reads the latest row, checks continuation and inserts both rows, in the host's transaction.
  private void appendOn(Connection connection, AuditEntry entry, PaymentMoment paymentMoment) {
    try {
      StoredRow row = chain(entry, stored(table.latest(connection, entry.bookingId())));
      claimHold(connection, entry, paymentMoment);
      table.insert(connection, row);
      changes.insert(connection, entry.bookingId(), entry.sequence(), paymentMoment);
    } catch (SQLException e) {
      throw failure(entry, e, "");
    }
  }

  // A change that secures before recording (SECURE, CHARGE) takes its held hold, whichever attempt it is,
  // in its own transaction: once the worker has given the hold up as abandoned (and is releasing the
  // payment), or the provider declined it, the change can no longer be recorded with it.
  private void claimHold(Connection connection, AuditEntry entry, PaymentMoment paymentMoment) throws SQLException {
    if (!paymentMoment.securesBeforeRecording()) {
      return;
    }
    if (!holds.claim(connection, entry.bookingId(), entry.sequence(), entry.actionName())) {
      throw new BookingChangedConcurrentlyException(entry.bookingId(), entry.fromState(), entry.actionName(),
          entry.actor(), entry.sequence(), "it has no payment hold to claim: none was recorded, or the last was "
          + "declined or given up as abandoned and is being released", null);
    }
  }

  // Checks that the entry continues the latest row (null if none) and returns the row that stores it.
  private static StoredRow chain(AuditEntry entry, StoredRow latest) {
    AuditTrail.requireContinuation(latest == null ? null : latest.entry(), entry);
    String prevHash = latest == null ? RowHasher.GENESIS : latest.rowHash();
    return new StoredRow(entry, prevHash, RowHasher.hash(entry, prevHash));
  }

  private RuntimeException failure(AuditEntry entry, SQLException e, String outcome) {
    if (Dialect.isWriteConflict(e)) {
      return new BookingChangedConcurrentlyException(entry.bookingId(), entry.fromState(), entry.actionName(),
          entry.actor(), entry.sequence(), "another writer recorded sequence " + entry.sequence() + " first", e);
    }
    return new JdbcAuditTrailException("append", entry.bookingId(),
        "could not record sequence " + entry.sequence() + " in " + table.name() + outcome, e);
  }

  // One short transaction: the audit row and its change row commit together or not at all. Rows are never
  // updated, so the latest row read before the INSERT stays what it was, and of two writers of the same
  // sequence the primary key lets one in. A connection handed out in auto-commit mode is put back in it.
  private void appendAndCommit(AuditEntry entry, PaymentMoment paymentMoment) {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw new JdbcAuditTrailException("append", entry.bookingId(), "could not get a connection", e);
    }
    StoredRow row;
    boolean switched = false;
    // Set when the commit failed in a way that does not say whether the rows are stored.
    SQLException uncertain = null;
    try {
      try {
        if (connection.getAutoCommit()) {
          connection.setAutoCommit(false);
          switched = true;
        }
        row = chain(entry, predecessor(connection, entry));
        claimHold(connection, entry, paymentMoment);
        table.insert(connection, row);
        changes.insert(connection, entry.bookingId(), entry.sequence(), paymentMoment);
        try {
          connection.commit();
        } catch (SQLException e) {
          if (Dialect.isRefused(e)) {
            // The database answered that it rolled the transaction back, e.g. a Galera certification failure:
            // decided here, not by a lookup, which on a Galera node could run before the winner's write set
            // is applied there and find no row.
            throw failure(entry, e, "; the commit was refused and nothing was recorded");
          }
          uncertain = e;
        }
      } catch (SQLException e) {
        // Nothing is committed before commit(), so any failure here is final.
        RuntimeException failure = failure(entry, e, "; nothing was recorded");
        rollback(connection, failure);
        throw failure;
      } catch (RuntimeException e) {
        rollback(connection, e);
        throw e;
      } finally {
        if (switched) {
          Transactions.restoreAutoCommit(connection, true);
        }
      }
    } finally {
      close(connection);
    }
    if (uncertain != null) {
      confirm(entry, row.rowHash(), "commit", uncertain);
    }
    recent.remember(row);
  }

  /*
   * The row the entry must continue. A creation continues nothing: whether sequence 1 is free is for the
   * primary key to say, and asking first would cost a round trip per new booking to learn what the INSERT
   * learns anyway. Otherwise the row this trail remembers committing, or else the latest in the table.
   * (In the host's transaction the latest row is always read first: on PostgreSQL a refused INSERT
   * would abort the host's whole transaction.)
   */
  private StoredRow predecessor(Connection connection, AuditEntry entry) throws SQLException {
    if (entry.sequence() == 1) {
      return null;
    }
    StoredRow remembered = recent.predecessorOf(entry);
    return remembered != null ? remembered : stored(table.latest(connection, entry.bookingId()));
  }

  // The statement may have failed after the server committed (the connection died on the way back), so
  // whether the row exists decides the outcome, not the exception.
  private void confirm(AuditEntry entry, String rowHash, String step, SQLException stepFailure) {
    // Only the hash is compared, so the row is not read as an entry: the check cannot fail on its content.
    RawRow stored = null;
    SQLException checkFailure = null;
    // A pool may hand the dead connection back once before it notices, so a failed check is retried.
    for (int attempt = 0; attempt < CONFIRM_ATTEMPTS; attempt++) {
      try (Connection fresh = dataSource.getConnection()) {
        stored = table.row(fresh, entry.bookingId(), entry.sequence());
        if (!fresh.getAutoCommit()) {
          fresh.rollback();
        }
        checkFailure = null;
        break;
      } catch (SQLException e) {
        if (checkFailure != null) {
          e.addSuppressed(checkFailure);
        }
        checkFailure = e;
      }
    }
    if (checkFailure != null) {
      JdbcAuditTrailException unknown = new JdbcAuditTrailException("append", entry.bookingId(),
          "the " + step + " of sequence " + entry.sequence() + " failed and checking whether it took effect "
              + "failed too: the outcome is unknown; reload the booking before deciding again", stepFailure);
      unknown.addSuppressed(checkFailure);
      throw unknown;
    }
    if (stored != null && rowHash.equals(stored.rowHash())) {
      LOG.warn("booking {}: the {} of sequence {} reported a failure but the row is stored; the append "
          + "succeeded", entry.bookingId(), step, entry.sequence());
      return;
    }
    if (stored != null) {
      throw new BookingChangedConcurrentlyException(entry.bookingId(), entry.fromState(), entry.actionName(),
          entry.actor(), entry.sequence(), "the " + step + " failed and another writer has recorded sequence "
              + entry.sequence(), stepFailure);
    }
    throw new JdbcAuditTrailException("append", entry.bookingId(),
        "the " + step + " of sequence " + entry.sequence() + " failed and the row is not stored; nothing was "
            + "recorded", stepFailure);
  }

  private <T> T read(String operation, String bookingId, SqlWork<T> work) {
    Connection host = joined.get();
    try {
      if (host != null) {
        return work.run(host);
      }
      try (Connection connection = dataSource.getConnection()) {
        T result = work.run(connection);
        if (!connection.getAutoCommit()) {
          // Ends the read-only transaction a pool configured without auto-commit would leave open.
          connection.rollback();
        }
        return result;
      }
    } catch (SQLException e) {
      throw new JdbcAuditTrailException(operation, bookingId, "could not read " + table.name(), e);
    }
  }

  private static void rollback(Connection connection, RuntimeException failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // Closing the connection without a commit discards the insert anyway.
      failure.addSuppressed(e);
    }
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("could not close a connection", e);
    }
  }

  // Feed and delivery work never joins the host's transaction: it commits its own, and the sequencer
  // must see only committed changes.
  private <T> T onOwnConnection(String operation, String bookingId, String problem, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      T result = work.run(connection);
      if (!connection.getAutoCommit()) {
        // Commits what a pool configured without auto-commit would otherwise leave open.
        connection.commit();
      }
      return result;
    } catch (SQLException e) {
      throw new JdbcAuditTrailException(operation, bookingId, problem, e);
    }
  }

  private void requireRegistered(Connection connection, String consumer) throws SQLException {
    // Scheduled consumers need no registration: they are owed only what scheduleDelivery made.
    if (registered.contains(consumer) || (isConsumerName(consumer) && AuditTrail.isScheduledConsumer(consumer))) {
      return;
    }
    boolean known = isConsumerName(consumer) && consumers.exists(connection, consumer);
    requireArgument(known, "consumer '%s' is not registered with %s", consumer, this);
    registered.add(consumer);
  }

  private static boolean isConsumerName(String consumer) {
    try {
      AuditTrail.requireConsumerName(consumer);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // Any 1 to 64 characters a database stores as they are: no NUL, which PostgreSQL refuses, and no
  // unpaired surrogate, which drivers change into '?', so that two keys never meet in one row.
  private static void requireTimerKey(String timer) {
    requireNonNull(timer, "timer");
    boolean storable = !timer.isEmpty() && timer.length() <= 64 && timer.indexOf('\0') < 0;
    for (int i = 0; storable && i < timer.length(); i++) {
      char c = timer.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < timer.length() && Character.isLowSurrogate(timer.charAt(i + 1))) {
        i++;
      } else {
        storable = !Character.isSurrogate(c);
      }
    }
    requireArgument(storable, "a timer key is 1 to 64 characters, without NUL or unpaired surrogates, but was '%s'",
        timer);
  }

  private boolean isStorableId(String id) {
    try {
      limits.checkId(id, "booking id");
      return true;
    } catch (InvalidBookingInputException e) {
      return false;
    }
  }

  private static DeliveryTable.Stored key(Delivery delivery) {
    FeedChange change = delivery.change();
    return new DeliveryTable.Stored(change.cursor().position(), change.bookingId(), change.sequence(),
        delivery.failedAttempts(), delivery.lastError());
  }

  private List<StoredDelivery> withChanges(Connection connection, List<DeliveryTable.Stored> stored)
      throws SQLException {
    Map<Long, RawChange> found = changes.at(connection, stored.stream().map(DeliveryTable.Stored::position).toList());
    return stored.stream().map(delivery -> new StoredDelivery(delivery, found.get(delivery.position()))).toList();
  }

  // Converted after the connection is handed back, like entries.
  private static List<Delivery> deliveries(String consumer, List<StoredDelivery> stored) {
    List<Delivery> converted = new ArrayList<>(stored.size());
    for (StoredDelivery delivery : stored) {
      DeliveryTable.Stored row = delivery.stored();
      if (delivery.change() == null) {
        throw new AuditEntryCorruptedException(row.bookingId(), row.sequence(), "its delivery to " + consumer
            + " is at feed position " + row.position() + " but its change row is missing", null);
      }
      converted.add(new Delivery(consumer, delivery.change().toFeedChange(), row.failedAttempts(), row.lastError()));
    }
    return converted;
  }

  /** A stored delivery and its change, or {@code null} if the change row is missing. */
  private record StoredDelivery(DeliveryTable.Stored stored, RawChange change) {}

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Configures a {@link JdbcAuditTrail}; not thread-safe, and not needed once {@link #build()} returns.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String tableName = DEFAULT_TABLE_NAME;
    private boolean createTableIfMissing;
    private int maxIdLength = BookingLimits.DEFAULT_MAX_ID_LENGTH;
    private int maxTextLength = BookingLimits.DEFAULT_MAX_TEXT_LENGTH;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets the table; default {@value JdbcAuditTrail#DEFAULT_TABLE_NAME}.
     *
     * @param tableName a lowercase SQL identifier of at most 48 characters, optionally {@code schema.table}
     * @return this builder
     * @throws NullPointerException if the name is null
     * @throws IllegalArgumentException if the name is not such an identifier
     */
    public Builder withTableName(String tableName) {
      new AuditTable(tableName);
      this.tableName = tableName;
      return this;
    }

    /**
     * Sets whether {@link #build()} creates the tables and their indexes when they are missing; default
     * {@code false}. The audit table is created by the first schema script, the feed's tables by the
     * second, the timers' table and the audit table's indexes for timers by the third, which runs
     * whenever the timers' table is missing, the money columns of the audit table and the attempts of
     * the hold table by the fourth, which runs on whichever of the two lacks them, and the workflow
     * version columns of the audit table by the fifth, which runs whenever they are missing; so a table
     * created by an earlier version gets what the later scripts add. Meant for tests and quick starts: in production,
     * run the schema scripts with a migration tool and give the application's user only the privileges
     * the class description lists.
     *
     * @param createTableIfMissing whether to create the tables
     * @return this builder
     */
    public Builder withCreateTableIfMissing(boolean createTableIfMissing) {
      this.createTableIfMissing = createTableIfMissing;
      return this;
    }

    /**
     * Sets the longest ids and texts accepted, checked before any SQL; default the lengths of
     * {@link BookingLimits#defaults()}, which the columns of the schema scripts fit. Only the lengths are
     * taken: the time precision and range are the table's, see {@link JdbcAuditTrail#limits()}.
     *
     * @param limits the lengths to accept; at most the widths of the table's columns
     * @return this builder
     * @throws NullPointerException if the limits are null
     */
    public Builder withLimits(BookingLimits limits) {
      requireNonNull(limits, "limits");
      this.maxIdLength = limits.maxIdLength();
      this.maxTextLength = limits.maxTextLength();
      return this;
    }

    /**
     * Connects once to detect the database, creates the missing tables and columns if asked to, and checks
     * that the audit table, the feed's tables and the timers' table exist with columns wide enough for the
     * lengths, and with the columns of the fourth and fifth schema scripts.
     *
     * @return the trail
     * @throws IllegalArgumentException if the lengths exceed the schema scripts' columns or the tables'
     * @throws JdbcAuditTrailException if the database is unreachable or unsupported, or a table or column is
     *     missing, naming the schema script that creates it
     */
    public JdbcAuditTrail build() {
      requireArgument(maxIdLength <= AuditTable.ID_COLUMN_WIDTH && maxTextLength <= AuditTable.TEXT_COLUMN_WIDTH,
          "limits must fit the audit table's columns (ids %d, texts %,d characters) but were maxIdLength=%d, "
              + "maxTextLength=%,d", AuditTable.ID_COLUMN_WIDTH, AuditTable.TEXT_COLUMN_WIDTH, maxIdLength,
          maxTextLength);
      AuditTable table = new AuditTable(tableName);
      try (Connection connection = dataSource.getConnection()) {
        Dialect dialect;
        try {
          dialect = Dialect.of(connection.getMetaData());
        } catch (IllegalArgumentException e) {
          throw new JdbcAuditTrailException("build", null, e.getMessage(), null);
        }
        if (!connection.getAutoCommit()) {
          connection.setAutoCommit(true);
        }
        SQLException creation = null;
        if (createTableIfMissing && !exists(connection, table.probeSql())) {
          creation = create(connection, dialect, Dialect.SCRIPT_V1, table, List.of(table.name()));
        }
        checkColumns(connection, table.name(), table.probeSql(), creation, "table " + table.name()
            + " is missing or lacks the audit columns; run the schema scripts " + Dialect.SCRIPT_ROOT + "<database>/"
            + Dialect.SCRIPT_V1 + ", " + Dialect.SCRIPT_V2 + ", " + Dialect.SCRIPT_V3 + ", " + Dialect.SCRIPT_V4
            + " and " + Dialect.SCRIPT_V5 + " or build with withCreateTableIfMissing(true)");
        ChangeTable changes = new ChangeTable(table);
        FeedHead head = new FeedHead(table);
        ConsumerTable consumers = new ConsumerTable(table);
        DeliveryTable deliveries = new DeliveryTable(table);
        HoldTable holdTable = new HoldTable(table);
        Map<String, String> feedTables = new LinkedHashMap<>();
        feedTables.put(changes.name(), changes.probeSql());
        feedTables.put(head.name(), head.probeSql());
        feedTables.put(consumers.name(), consumers.probeSql());
        feedTables.put(deliveries.name(), deliveries.probeSql());
        feedTables.put(holdTable.name(), holdTable.probeSql());
        List<String> missing = feedTables.entrySet().stream().filter(t -> !exists(connection, t.getValue()))
            .map(Map.Entry::getKey).toList();
        if (!missing.isEmpty() && createTableIfMissing) {
          creation = create(connection, dialect, Dialect.SCRIPT_V2, table, missing);
        }
        for (Map.Entry<String, String> feedTable : feedTables.entrySet()) {
          checkColumns(connection, feedTable.getKey(), feedTable.getValue(), creation, "the change feed's table "
              + feedTable.getKey() + " is missing or lacks its columns; run the schema script "
              + Dialect.SCRIPT_ROOT + "<database>/" + Dialect.SCRIPT_V2 + " (after " + Dialect.SCRIPT_V1
              + ") or build with withCreateTableIfMissing(true)");
        }
        // The third script adds two indexes to the audit table and the timers' table: a missing table says it
        // never ran.
        TimerSweepTable sweeps = new TimerSweepTable(table);
        if (createTableIfMissing && !exists(connection, sweeps.probeSql())) {
          creation = create(connection, dialect, Dialect.SCRIPT_V3, table, List.of(table.name(), sweeps.name()));
        }
        checkColumns(connection, sweeps.name(), sweeps.probeSql(), creation, "the timers' table " + sweeps.name()
            + " is missing or lacks its columns; run the schema script " + Dialect.SCRIPT_ROOT + "<database>/"
            + Dialect.SCRIPT_V3 + " (after " + Dialect.SCRIPT_V1 + " and " + Dialect.SCRIPT_V2
            + ") or build with withCreateTableIfMissing(true)");
        // The fourth script adds columns to the audit table and the hold table: either lacking them says it
        // never ran there. Its statements on the other table are not run again.
        Map<String, String> moneyColumns = new LinkedHashMap<>();
        moneyColumns.put(table.name(), table.moneyProbeSql());
        moneyColumns.put(holdTable.name(), holdTable.attemptProbeSql());
        List<String> unaltered = moneyColumns.entrySet().stream().filter(t -> !exists(connection, t.getValue()))
            .map(Map.Entry::getKey).toList();
        if (!unaltered.isEmpty() && createTableIfMissing) {
          creation = create(connection, dialect, Dialect.SCRIPT_V4, table, unaltered);
        }
        for (Map.Entry<String, String> altered : moneyColumns.entrySet()) {
          checkColumns(connection, altered.getKey(), altered.getValue(), creation, "table " + altered.getKey()
              + " lacks the columns of money and payment attempts; run the schema script " + Dialect.SCRIPT_ROOT
              + "<database>/" + Dialect.SCRIPT_V4 + " (after " + Dialect.SCRIPT_V1 + ", " + Dialect.SCRIPT_V2 + " and "
              + Dialect.SCRIPT_V3 + ") or build with withCreateTableIfMissing(true)");
        }
        // The fifth script adds the workflow columns to the audit table: lacking them says it never ran.
        if (createTableIfMissing && !exists(connection, table.workflowProbeSql())) {
          creation = create(connection, dialect, Dialect.SCRIPT_V5, table, List.of(table.name()));
        }
        checkColumns(connection, table.name(), table.workflowProbeSql(), creation, "table " + table.name()
            + " lacks the workflow version columns; run the schema script " + Dialect.SCRIPT_ROOT + "<database>/"
            + Dialect.SCRIPT_V5 + " (after " + Dialect.SCRIPT_V1 + " to " + Dialect.SCRIPT_V4
            + ") or build with withCreateTableIfMissing(true)");
        // Detected once: on a Galera node every statement that decides something waits for the cluster.
        AuditTable statements = new AuditTable(tableName, dialect.isGaleraNode(connection));
        return new JdbcAuditTrail(this, statements, dialect, deliveries.supportsSkipLocked(connection));
      } catch (SQLException e) {
        throw new JdbcAuditTrailException("build", null, "could not check table " + tableName, e);
      }
    }

    private static boolean exists(Connection connection, String probeSql) {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(probeSql)) {
        return rows.getMetaData().getColumnCount() > 0;
      } catch (SQLException e) {
        return false;
      }
    }

    /*
     * Runs the script's statements on the tables named, in the script's order, each on its own. Another
     * process may be creating the same tables at the same time: a statement it ran first fails here and is
     * passed over, and a table's seed row is inserted even when its CREATE failed, so that whichever
     * process inserts it first, the row is there once this returns (the primary key refuses a second).
     * The checks that follow say whether the tables are there; the first failure is returned for their
     * report.
     */
    private static SQLException create(Connection connection, Dialect dialect, String script, AuditTable table,
        List<String> tables) {
      SQLException first = null;
      for (String sql : SchemaScript.statements(dialect, script, table.name())) {
        if (!tables.contains(SchemaScript.target(sql))) {
          continue;
        }
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql);
        } catch (SQLException e) {
          LOG.debug("building on {}: '{}' failed, as it does when another process ran it first", table.name(), sql,
              e);
          first = first == null ? e : first;
        }
      }
      return first;
    }

    private void checkColumns(Connection connection, String name, String probeSql, SQLException creation,
        String missing) {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(probeSql)) {
        ResultSetMetaData columns = rows.getMetaData();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          String column = columns.getColumnLabel(i).toLowerCase(Locale.ROOT);
          int required = switch (column) {
            case "booking_id", "actor_id", "customer_id", "gigsta_id" -> maxIdLength;
            case "note", "reason", "last_error" -> maxTextLength;
            default -> 0;
          };
          int width = columns.getPrecision(i);
          requireArgument(width <= 0 || width >= required, "limits must fit table %s but column %s holds %,d "
              + "characters and the limit is %,d", name, column, width, required);
        }
      } catch (SQLException e) {
        JdbcAuditTrailException failure = new JdbcAuditTrailException("build", null, missing, e);
        if (creation != null) {
          failure.addSuppressed(creation);
        }
        throw failure;
      }
    }
  }
}
