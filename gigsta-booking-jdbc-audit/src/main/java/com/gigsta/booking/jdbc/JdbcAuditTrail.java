package com.gigsta.booking.jdbc;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.AuditEntryCorruptedException;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.jdbc.internal.AuditTable;
import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.jdbc.internal.RawRow;
import com.gigsta.booking.jdbc.internal.RecentRows;
import com.gigsta.booking.jdbc.internal.RowHasher;
import com.gigsta.booking.jdbc.internal.SchemaScript;
import com.gigsta.booking.jdbc.internal.StoredRow;
import com.gigsta.booking.spi.AuditTrail;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditTrail} in one table of a relational database, reached through plain JDBC: H2 2.x,
 * PostgreSQL 12+, MariaDB 10.6+ or MySQL 8. Thread-safe: one instance may serve any number of threads,
 * and any number of instances and processes may share the table. Its configuration is fixed by
 * {@link Builder#build()}; the only state it keeps is a bounded memory of rows it committed (see
 * Concurrency) and, per thread, the connection joined by {@link #inTransaction(Connection, Supplier)}.
 *
 * <pre>{@code
 * JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).build();
 * BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
 * }</pre>
 *
 * <p><b>What it stores.</b> {@link #limits()} declares it: ids and texts up to the configured lengths, and
 * times in whole microseconds from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, the same on every
 * supported database. {@link #append(AuditEntry)} refuses anything else with
 * {@link com.gigsta.booking.InvalidBookingInputException} before any SQL runs; nothing is shortened or
 * rounded. Together with the content rules every {@link AuditEntry} obeys (well-formed UTF-16 among them,
 * which UTF-8 columns need), every entry appended reads back equal on every database.
 *
 * <p><b>Reading.</b> Rows are read as stored and then turned into entries. A row that cannot be one, for
 * example after a hand edit left an unknown role, an empty note, a malformed state or action name or a
 * time outside the range above, makes {@link #history(String)}, {@link #latest(String)},
 * {@link #findInStateChangedBetween} and an append that must continue that row throw
 * {@link AuditEntryCorruptedException} naming the booking and the stored sequence, with the original
 * failure as its cause; nothing is repaired, guessed or skipped. Reads do not check hashes: a hand edit
 * that still makes a valid entry is returned as stored, and only {@link #verify(String)} shows it.
 *
 * <p><b>Concurrency.</b> The primary key (booking_id, sequence) is the only guard: an append reads the
 * booking's latest row, checks the entry continues it ({@link AuditTrail#requireContinuation}), and
 * inserts. Of two writers of the same sequence the database lets one insert; the other gets
 * {@link BookingChangedConcurrentlyException}. Nothing is locked beyond what the insert itself locks.
 * Because rows are never updated, the trail remembers the latest committed row it wrote, or read with
 * {@link #latest(String)} outside a host's transaction, for each of the last bookings it used (a bounded
 * number), and skips the read when the entry directly follows that row; a row another writer stored in between still makes the primary key refuse the insert. A new
 * booking's first entry is inserted without a read, as it continues nothing: the primary key refuses it
 * whenever the booking has a first row. The trail therefore assumes that rows are never deleted
 * ({@link #verify(String)} finds gaps, and a first row written again after its deletion breaks the chain).
 *
 * <p><b>Transactions.</b> Appends through {@link #append(AuditEntry)} are one INSERT in auto-commit mode
 * on a connection of their own, durable when the method returns; no transaction is opened, and a
 * connection the pool hands out without auto-commit is committed instead.
 * To record a change in the host's own transaction, run the engine inside
 * {@link #inTransaction(Connection, Supplier)}, or call {@link #append(Connection, AuditEntry)}; then the
 * host commits or rolls back, and must roll back whenever the trail throws (PostgreSQL refuses further
 * statements in a transaction after a failed insert). Such transactions must be at least READ COMMITTED.
 *
 * <p><b>Tamper evidence.</b> Each row stores the SHA-256 of its content and of the previous row's hash;
 * {@link #verify(String)} checks a booking's chain. It hashes each row's values as stored, without reading
 * them as an entry, so it reports any hand edit of any column, readable or not, as a broken chain at the
 * first sequence affected, and throws only when the database fails. The table's users need only INSERT
 * and SELECT.
 */
public final class JdbcAuditTrail implements AuditTrail {

  /** The table used unless {@link Builder#withTableName(String)} names another. */
  public static final String DEFAULT_TABLE_NAME = AuditTable.DEFAULT_NAME;

  private static final int CONFIRM_ATTEMPTS = 3;
  // Enough for the bookings a busy process changes within seconds, and a bound on the memory held.
  private static final int RECENT_ROWS = 1_024;
  // SLF4J, as in the core, so the host configures the logging of both in one place.
  private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditTrail.class);

  private final DataSource dataSource;
  private final AuditTable table;
  private final Dialect dialect;
  private final BookingLimits limits;
  // The latest committed row this trail wrote or read for recently used bookings.
  private final RecentRows recent = new RecentRows(RECENT_ROWS);
  // The host connection joined by inTransaction on each thread, if any.
  private final ThreadLocal<Connection> joined = new ThreadLocal<>();

  private JdbcAuditTrail(Builder builder, AuditTable table, Dialect dialect) {
    this.dataSource = builder.dataSource;
    this.table = table;
    this.dialect = dialect;
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
   * {@inheritDoc}
   *
   * <p>Ids and texts up to the lengths configured with {@link Builder#withLimits(BookingLimits)} (by
   * default those of {@link BookingLimits#defaults()}, which the schema scripts' columns fit), and times
   * in whole microseconds from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z. The times are the
   * same on H2, PostgreSQL and MariaDB: the precision of the schema scripts' time columns, and the range
   * all three hold (MariaDB's DATETIME starts in the year 1000), so what a trail accepts never depends on
   * the database under it.
   */
  @Override
  public BookingLimits limits() {
    return limits;
  }

  /**
   * Records the entry. Inside {@link #inTransaction(Connection, Supplier)} it goes into the joined
   * transaction and is not committed; otherwise it is committed on a connection of its own before this
   * method returns.
   *
   * <p>If the statement that commits the row (the INSERT in auto-commit mode, else the commit) fails other
   * than on the primary key, the row is looked up by its key on a fresh connection: when exactly this row
   * is there the append succeeded and returns normally; when it is not, nothing was recorded.
   *
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry
   * @throws InvalidBookingInputException if the entry is outside {@link #limits()}; checked before any SQL
   *     runs
   * @throws AuditEntryCorruptedException if the booking's latest row, which the entry must continue,
   *     cannot be read as an entry
   * @throws JdbcAuditTrailException if the database fails; nothing was recorded unless the message says
   *     the outcome is unknown
   * @throws NullPointerException if the entry is null
   */
  @Override
  public void append(AuditEntry entry) {
    check(entry);
    Connection host = joined.get();
    if (host != null) {
      appendOn(host, entry);
    } else {
      appendAndCommit(entry);
    }
  }

  /**
   * Records the entry in the host's transaction on the given connection; never commits, rolls back or
   * changes its auto-commit mode. On any exception the host must roll back.
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
    requireNonNull(connection, "connection");
    check(entry);
    appendOn(connection, entry);
  }

  /**
   * Runs {@code work} with this trail joined to the host's connection on the current thread: every read
   * and append the work makes through this trail, e.g. by calling {@code engine.perform(...)}, uses that
   * connection and commits nothing, so the host's own rows and the audit row commit or roll back
   * together. Calls nest; the innermost connection wins until its work returns.
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
   * <p>One query: a range scan of the (to_state, occurred_at) index between the two bounds, each row
   * checked against the primary key for a successor. Its cost grows with the rows in {@code state}
   * within the bounds that were since superseded, so give a lower bound for states most bookings leave.
   *
   * @throws AuditEntryCorruptedException naming the booking and stored sequence of a found row that cannot
   *     be read as an entry; nothing is skipped silently
   * @throws JdbcAuditTrailException if the database fails
   * @throws NullPointerException if the state or {@code changedBefore} is null
   * @throws IllegalArgumentException if the limit is negative
   */
  @Override
  public List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom, Instant changedBefore,
      int limit) {
    requireNonNull(state, "state");
    requireNonNull(changedBefore, "changedBefore");
    requireArgument(limit >= 0, "limit must not be negative but was %d", limit);
    return entries(read("findInStateChangedBetween", null,
        c -> table.inStateChangedBetween(c, state, changedFrom, changedBefore, limit)));
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

  // Reads the latest row, checks continuation and inserts, in the host's transaction.
  private void appendOn(Connection connection, AuditEntry entry) {
    try {
      table.insert(connection, chain(entry, stored(table.latest(connection, entry.bookingId()))));
    } catch (SQLException e) {
      throw failure(entry, e);
    }
  }

  // Checks that the entry continues the latest row (null if none) and returns the row that stores it.
  private static StoredRow chain(AuditEntry entry, StoredRow latest) {
    AuditTrail.requireContinuation(latest == null ? null : latest.entry(), entry);
    String prevHash = latest == null ? RowHasher.GENESIS : latest.rowHash();
    return new StoredRow(entry, prevHash, RowHasher.hash(entry, prevHash));
  }

  private RuntimeException failure(AuditEntry entry, SQLException e) {
    if (Dialect.isWriteConflict(e)) {
      return new BookingChangedConcurrentlyException(entry.bookingId(), entry.fromState(), entry.actionName(),
          entry.actor(), entry.sequence(), "another writer recorded sequence " + entry.sequence() + " first", e);
    }
    return new JdbcAuditTrailException("append", entry.bookingId(),
        "could not record sequence " + entry.sequence() + " in " + table.name(), e);
  }

  // No transaction of its own: rows are never updated, so the latest row read before the INSERT stays
  // what it was, and of two writers of the same sequence the primary key lets one in. In auto-commit mode
  // the single INSERT is atomic and durable when it returns; the connection's mode is left as the pool set
  // it, and only a connection handed out without auto-commit is committed here.
  private void appendAndCommit(AuditEntry entry) {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw new JdbcAuditTrailException("append", entry.bookingId(), "could not get a connection", e);
    }
    StoredRow row;
    boolean autoCommit = true;
    // Set when the statement that commits failed in a way that does not say whether the row is stored.
    SQLException uncertain = null;
    try {
      try {
        autoCommit = connection.getAutoCommit();
        row = chain(entry, predecessor(connection, entry));
        try {
          table.insert(connection, row);
        } catch (SQLException e) {
          // Without auto-commit nothing is committed before commit(), so any failure here is final.
          if (!autoCommit || Dialect.isWriteConflict(e)) {
            throw e;
          }
          uncertain = e;
        }
        if (!autoCommit) {
          try {
            connection.commit();
          } catch (SQLException e) {
            uncertain = e;
          }
        }
      } catch (SQLException e) {
        RuntimeException failure = failure(entry, e);
        if (!autoCommit) {
          rollback(connection, failure);
        }
        throw failure;
      } catch (RuntimeException e) {
        if (!autoCommit) {
          rollback(connection, e);
        }
        throw e;
      }
    } finally {
      close(connection);
    }
    if (uncertain != null) {
      confirm(entry, row.rowHash(), autoCommit ? "insert" : "commit", uncertain);
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
     * Sets whether {@link #build()} creates the table and its index when they are missing; default
     * {@code false}. Meant for tests and quick starts: in production, run the schema scripts with a
     * migration tool and give the application's user only INSERT and SELECT.
     *
     * @param createTableIfMissing whether to create the table
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
     * Connects once to detect the database, creates the table if asked to, and checks that the table
     * exists with columns wide enough for the lengths.
     *
     * @return the trail
     * @throws IllegalArgumentException if the lengths exceed the schema scripts' columns or the table's
     * @throws JdbcAuditTrailException if the database is unreachable or unsupported, or the table is missing
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
        if (createTableIfMissing && !exists(connection, table)) {
          create(connection, dialect, table);
        }
        checkColumns(connection, table);
        return new JdbcAuditTrail(this, table, dialect);
      } catch (SQLException e) {
        throw new JdbcAuditTrailException("build", null, "could not check table " + tableName, e);
      }
    }

    private static boolean exists(Connection connection, AuditTable table) {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(table.probeSql())) {
        return rows.getMetaData().getColumnCount() > 0;
      } catch (SQLException e) {
        return false;
      }
    }

    private static void create(Connection connection, Dialect dialect, AuditTable table) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        for (String sql : SchemaScript.statements(dialect, table.name())) {
          statement.execute(sql);
        }
      } catch (SQLException e) {
        // Another process may have created the table at the same time; only its absence is a failure.
        if (!exists(connection, table)) {
          throw new JdbcAuditTrailException("build", null, "could not create table " + table.name(), e);
        }
      }
    }

    private void checkColumns(Connection connection, AuditTable table) throws SQLException {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(table.probeSql())) {
        ResultSetMetaData columns = rows.getMetaData();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          String column = columns.getColumnLabel(i).toLowerCase(Locale.ROOT);
          int required = switch (column) {
            case "booking_id", "actor_id", "customer_id", "gigsta_id" -> maxIdLength;
            case "note", "reason" -> maxTextLength;
            default -> 0;
          };
          int width = columns.getPrecision(i);
          requireArgument(width <= 0 || width >= required, "limits must fit table %s but column %s holds %,d "
              + "characters and the limit is %,d", table.name(), column, width, required);
        }
      } catch (SQLException e) {
        throw new JdbcAuditTrailException("build", null, "table " + table.name() + " is missing or lacks the "
            + "audit columns; run the schema script " + Dialect.SCRIPT_ROOT + "<database>/" + Dialect.SCRIPT_V1
            + " or build with withCreateTableIfMissing(true)", e);
      }
    }
  }
}
