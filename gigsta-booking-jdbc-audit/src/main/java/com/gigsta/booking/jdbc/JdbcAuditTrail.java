package com.gigsta.booking.jdbc;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.jdbc.internal.AuditTable;
import com.gigsta.booking.jdbc.internal.Dialect;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditTrail} in one table of a relational database, reached through plain JDBC: H2 2.x,
 * PostgreSQL 12+, MariaDB 10.6+ or MySQL 8. Thread-safe and immutable; safe for any number of threads
 * and processes sharing the table.
 *
 * <pre>{@code
 * JdbcAuditTrail trail = JdbcAuditTrail.builder(dataSource).build();
 * BookingEngine engine = BookingEngine.builder().withAuditTrail(trail).build();
 * }</pre>
 *
 * <p><b>Concurrency.</b> The primary key (booking_id, sequence) is the only guard: an append reads the
 * booking's latest row, checks the entry continues it ({@link AuditTrail#requireContinuation}), and
 * inserts. Of two writers of the same sequence the database lets one insert; the other gets
 * {@link BookingChangedConcurrentlyException}. Nothing is locked beyond what the insert itself locks.
 * Because rows are never updated, the trail remembers the row it last committed for each of the last
 * bookings it appended to (a bounded number), and skips the read when the entry directly follows that
 * row; a row another writer stored in between still makes the primary key refuse the insert. A new
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
 * {@link #verify(String)} checks a booking's chain. The table's users need only INSERT and SELECT.
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
  // The latest row this trail committed for recently appended bookings.
  private final RecentRows recent = new RecentRows(RECENT_ROWS);
  // The host connection joined by inTransaction on each thread, if any.
  private final ThreadLocal<Connection> joined = new ThreadLocal<>();

  private JdbcAuditTrail(Builder builder, AuditTable table, Dialect dialect) {
    this.dataSource = builder.dataSource;
    this.table = table;
    this.dialect = dialect;
    this.limits = builder.limits;
  }

  /** Returns a builder for a trail that takes its connections from the data source. */
  public static Builder builder(DataSource dataSource) {
    if (dataSource == null) {
      throw new InvalidBookingInputException("dataSource", "dataSource is required but was null");
    }
    return new Builder(dataSource);
  }

  /** Returns the table's name as configured. */
  public String tableName() {
    return table.name();
  }

  /** Returns the limits entries are checked against before any SQL runs. */
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
   * @throws InvalidBookingInputException if an id or text is over the limits, or a time cannot be stored
   *     exactly
   * @throws JdbcAuditTrailException if the database fails; nothing was recorded unless the message says
   *     the outcome is unknown
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
   * @throws BookingChangedConcurrentlyException if the sequence is taken or the entry does not continue
   *     the booking's latest entry
   * @throws InvalidBookingInputException if an id or text is over the limits
   * @throws JdbcAuditTrailException if the database fails
   */
  public void append(Connection connection, AuditEntry entry) {
    requireConnection(connection);
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
   * @return what {@code work} returns
   */
  public <T> T inTransaction(Connection connection, Supplier<T> work) {
    requireConnection(connection);
    if (work == null) {
      throw new InvalidBookingInputException("work", "work is required but was null");
    }
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

  @Override
  public List<AuditEntry> history(String bookingId) {
    limits.checkId(bookingId, "booking id");
    return read("history", bookingId, c -> table.history(c, bookingId)).stream().map(StoredRow::entry).toList();
  }

  @Override
  public Optional<AuditEntry> latest(String bookingId) {
    limits.checkId(bookingId, "booking id");
    return Optional.ofNullable(read("latest", bookingId, c -> table.latest(c, bookingId))).map(StoredRow::entry);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One query: a range scan of the (to_state, occurred_at) index between the two bounds, each row
   * checked against the primary key for a successor. Its cost grows with the rows in {@code state}
   * within the bounds that were since superseded, so give a lower bound for states most bookings leave.
   */
  @Override
  public List<AuditEntry> findInStateChangedBetween(BookingState state, Instant changedFrom, Instant changedBefore,
      int limit) {
    if (state == null || changedBefore == null) {
      throw new InvalidBookingInputException(state == null ? "state" : "changedBefore",
          (state == null ? "state" : "changedBefore") + " is required but was null");
    }
    if (limit < 0) {
      throw new InvalidBookingInputException("limit", "limit must not be negative but was " + limit);
    }
    return read("findInStateChangedBetween", null,
        c -> table.inStateChangedBetween(c, state, changedFrom, changedBefore, limit))
        .stream().map(StoredRow::entry).toList();
  }

  /**
   * Checks the booking's hash chain: that its rows run 1, 2, 3 … without gaps, that each row's content
   * still hashes to its stored hash, and that each row names its predecessor's hash. See
   * {@link ChainVerification} for what the chain cannot show.
   *
   * @return the outcome; intact with no entries for an unknown booking
   * @throws JdbcAuditTrailException if the database fails
   */
  public ChainVerification verify(String bookingId) {
    limits.checkId(bookingId, "booking id");
    List<StoredRow> rows = read("verify", bookingId, c -> table.history(c, bookingId));
    String expectedPrev = RowHasher.GENESIS;
    long expectedSequence = 1;
    for (StoredRow row : rows) {
      long sequence = row.entry().sequence();
      String problem = null;
      if (sequence != expectedSequence) {
        problem = "row " + expectedSequence + " is missing: the next row stored is " + sequence;
      } else if (!RowHasher.hash(row.entry(), row.prevHash()).equals(row.rowHash())) {
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
    if (entry == null) {
      throw new InvalidBookingInputException("entry", "entry is required but was null");
    }
    // Also refuses times finer than a microsecond or outside the years 1000 to 9999, which not every
    // database could store exactly.
    limits.check(entry);
  }

  private static void requireConnection(Connection connection) {
    if (connection == null) {
      throw new InvalidBookingInputException("connection", "connection is required but was null");
    }
  }

  // Reads the latest row, checks continuation and inserts, in the host's transaction.
  private void appendOn(Connection connection, AuditEntry entry) {
    try {
      table.insert(connection, chain(entry, table.latest(connection, entry.bookingId())));
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
    return remembered != null ? remembered : table.latest(connection, entry.bookingId());
  }

  // The statement may have failed after the server committed (the connection died on the way back), so
  // whether the row exists decides the outcome, not the exception.
  private void confirm(AuditEntry entry, String rowHash, String step, SQLException stepFailure) {
    StoredRow stored = null;
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
    private BookingLimits limits = BookingLimits.defaults();

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets the table; default {@value JdbcAuditTrail#DEFAULT_TABLE_NAME}.
     *
     * @param tableName a lowercase SQL identifier of at most 48 characters, optionally {@code schema.table}
     * @throws InvalidBookingInputException if the name is not such an identifier
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
     */
    public Builder withCreateTableIfMissing(boolean createTableIfMissing) {
      this.createTableIfMissing = createTableIfMissing;
      return this;
    }

    /**
     * Sets the longest ids and texts accepted, checked before any SQL; default
     * {@link BookingLimits#defaults()}, which the columns of the schema scripts fit.
     */
    public Builder withLimits(BookingLimits limits) {
      if (limits == null) {
        throw new InvalidBookingInputException("limits", "limits is required but was null");
      }
      this.limits = limits;
      return this;
    }

    /**
     * Connects once to detect the database, creates the table if asked to, and checks that the table
     * exists with columns wide enough for the limits.
     *
     * @throws InvalidBookingInputException if the limits exceed the columns
     * @throws JdbcAuditTrailException if the database is unreachable or unsupported, or the table is missing
     */
    public JdbcAuditTrail build() {
      if (limits.maxIdLength() > AuditTable.ID_COLUMN_WIDTH || limits.maxTextLength() > AuditTable.TEXT_COLUMN_WIDTH) {
        throw new InvalidBookingInputException("limits", String.format("limits must fit the audit table's columns "
            + "(ids %d, texts %,d characters) but were maxIdLength=%d, maxTextLength=%,d", AuditTable.ID_COLUMN_WIDTH,
            AuditTable.TEXT_COLUMN_WIDTH, limits.maxIdLength(), limits.maxTextLength()));
      }
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
          String column = columns.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
          int required = switch (column) {
            case "booking_id", "actor_id", "customer_id", "gigsta_id" -> limits.maxIdLength();
            case "note", "reason" -> limits.maxTextLength();
            default -> 0;
          };
          int width = columns.getPrecision(i);
          if (width > 0 && width < required) {
            throw new InvalidBookingInputException("limits", String.format("limits must fit table %s but column "
                + "%s holds %,d characters and the limit is %,d", table.name(), column, width, required));
          }
        }
      } catch (SQLException e) {
        throw new JdbcAuditTrailException("build", null, "table " + table.name() + " is missing or lacks the "
            + "audit columns; run the schema script " + Dialect.SCRIPT_ROOT + "<database>/" + Dialect.SCRIPT_V1
            + " or build with withCreateTableIfMissing(true)", e);
      }
    }
  }
}
