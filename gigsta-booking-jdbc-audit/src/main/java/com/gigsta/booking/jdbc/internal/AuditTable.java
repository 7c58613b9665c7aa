package com.gigsta.booking.jdbc.internal;

import static com.gigsta.booking.internal.Preconditions.requireArgument;
import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.Timepoint;
import com.gigsta.booking.WorkflowVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The statements on one audit table: entries are written from {@link StoredRow}s and read back as
 * {@link RawRow}s, the columns' values as stored, which the caller turns into entries. Immutable and
 * thread-safe.
 *
 * <p>Times are bound and read as {@link LocalDateTime} in UTC into columns without a time zone, so
 * neither the JVM's default zone nor the session's zone can shift them on any of the databases. Money is
 * bound and read as whole minor units in BIGINT columns and the price's ISO 4217 code in a CHAR(3)
 * column (the fourth schema script's), which keep every {@link Money} exactly. A workflow version is
 * bound and read as the workflow's name in a VARCHAR(64) column, as long as a workflow name may be, and
 * the version's number in an INT column (the fifth schema script's).
 */
public final class AuditTable {

  /** The default table name. */
  public static final String DEFAULT_NAME = "gigsta_booking_audit";
  /** The width of the id columns in the schema scripts. */
  public static final int ID_COLUMN_WIDTH = 128;
  /** The width of the note and reason columns in the schema scripts. */
  public static final int TEXT_COLUMN_WIDTH = 2_000;
  /** The earliest instant every supported database stores (MariaDB's DATETIME starts in year 1000). */
  public static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
  /** The latest instant every supported database stores. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
  /**
   * The times the table holds exactly on every supported database, with the default lengths: whole
   * microseconds (the columns' precision) from {@link #EARLIEST} to {@link #LATEST}. One table
   * definition thus behaves the same wherever it runs.
   */
  public static final BookingLimits STORABLE = BookingLimits.defaults()
      .withTimes(ChronoUnit.MICROS, EARLIEST, LATEST);

  // Lowercase only: unquoted names fold to upper case on H2 and to lower case on PostgreSQL, and are
  // case-sensitive on MariaDB, so only lowercase names mean the same table everywhere. At most 48
  // characters leaves room for the constraint and index suffixes within every database's name limit.
  private static final Pattern NAME = Pattern.compile("([a-z][a-z0-9_]{0,47}\\.)?[a-z][a-z0-9_]{0,47}");

  // The one definition of the columns' order: every SELECT lists them in it, the INSERT binds in it, and
  // rows are read back by these positions, so the statements and the reader cannot drift apart. Each
  // column names the schema script that adds it.
  private enum Column {
    BOOKING_ID(1), SEQUENCE(1), ACTION_NAME(1), ACTOR_ROLE(1), ACTOR_ID(1), CUSTOMER_ID(1), GIGSTA_ID(1),
    FROM_STATE(1), TO_STATE(1), OCCURRED_AT(1), NOTE(1), REASON(1), SCHEDULED_START(1), PRICE_MINOR(4),
    PRICE_CURRENCY(4), AMOUNT_MINOR(4), FEE_MINOR(4), WORKFLOW_NAME(5), WORKFLOW_VERSION(5), PREV_HASH(1),
    ROW_HASH(1);

    final int script;

    Column(int script) {
      this.script = script;
    }

    // JDBC counts from 1.
    int at() {
      return ordinal() + 1;
    }
  }

  private static final String COLUMNS = Arrays.stream(Column.values())
      .map(column -> column.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
  private static final String PLACEHOLDERS = String.join(", ", Collections.nCopies(Column.values().length, "?"));

  /**
   * What a statement that must see every commit the cluster has certified starts with on a MariaDB Galera
   * node: the node first applies every write set certified before the statement arrived. It covers reads
   * (bit 1) and UPDATEs and DELETEs (bit 2), for the statement it prefixes only.
   */
  static final String CAUSAL_PREFIX = "SET STATEMENT wsrep_sync_wait = 3 FOR ";

  private final String name;
  private final boolean causal;
  private final String selectLatest;
  private final String selectHistory;
  private final String selectRow;
  // By timepoint: the statement from a lower bound, and the one that reads on after a booking at it.
  private final Map<Timepoint, String> selectCandidates = new EnumMap<>(Timepoint.class);
  private final Map<Timepoint, String> selectCandidatesAfter = new EnumMap<>(Timepoint.class);
  // By whether bookings without a version are sought too, and whether the page reads on after a booking.
  private final String[][] selectPinned = new String[2][2];
  private final String selectVersionsInUse;
  private final String insert;
  private final String probe;
  private final String moneyProbe;
  private final String workflowProbe;

  /**
   * Creates the statements for the named table.
   *
   * @param name the table's name, optionally qualified by a schema
   * @throws NullPointerException if the name is null
   * @throws IllegalArgumentException if the name is not a lowercase SQL identifier, optionally qualified
   *     by a schema
   */
  public AuditTable(String name) {
    this(name, false);
  }

  /**
   * Creates the statements for the named table, those whose result decides something made causal if asked
   * (see {@link #causal(String)}).
   *
   * @param name the table's name, optionally qualified by a schema
   * @param causal whether the database is a MariaDB Galera node, whose reads must wait for the cluster
   * @throws NullPointerException if the name is null
   * @throws IllegalArgumentException if the name is not a lowercase SQL identifier, optionally qualified
   *     by a schema
   */
  public AuditTable(String name, boolean causal) {
    requireNonNull(name, "tableName");
    requireArgument(NAME.matcher(name).matches(), "tableName must be a lowercase SQL identifier of at most 48 "
        + "characters (a-z, 0-9, '_', starting with a letter), optionally as schema.table, but was '%s'", name);
    this.name = name;
    this.causal = causal;
    this.selectLatest = causal("SELECT " + COLUMNS + " FROM " + name
        + " WHERE booking_id = ? ORDER BY sequence DESC LIMIT 1");
    this.selectHistory = causal("SELECT " + COLUMNS + " FROM " + name + " WHERE booking_id = ? ORDER BY sequence");
    this.selectRow = causal("SELECT " + COLUMNS + " FROM " + name + " WHERE booking_id = ? AND sequence = ?");
    for (Timepoint timepoint : Timepoint.values()) {
      selectCandidates.put(timepoint, causal(selectCandidates(name, timepoint, false)));
      selectCandidatesAfter.put(timepoint, causal(selectCandidates(name, timepoint, true)));
    }
    for (int unpinned = 0; unpinned < 2; unpinned++) {
      for (int after = 0; after < 2; after++) {
        selectPinned[unpinned][after] = causal(selectPinned(name, unpinned == 1, after == 1));
      }
    }
    this.selectVersionsInUse = causal("SELECT a.workflow_name, a.workflow_version, COUNT(*), MIN(a.booking_id) FROM "
        + name + " a WHERE " + isLatest(name) + " GROUP BY a.workflow_name, a.workflow_version");
    this.insert = "INSERT INTO " + name + " (" + COLUMNS + ") VALUES (" + PLACEHOLDERS + ")";
    this.probe = probe(name, 1);
    this.moneyProbe = probe(name, 4);
    this.workflowProbe = probe(name, 5);
  }

  // A row a is its booking's latest exactly when no row has the next sequence: rows are never updated, so
  // the primary key answers it without a flag that would need updating.
  private static String isLatest(String name) {
    return "NOT EXISTS (SELECT 1 FROM " + name + " b WHERE b.booking_id = a.booking_id"
        + " AND b.sequence = a.sequence + 1)";
  }

  /*
   * The latest rows of the bookings pinned to one version, in booking_id order from a booking on: the
   * keyset condition and the ORDER BY compare booking_id alike (the column's collation), so pages never
   * skip or repeat a booking. A row with only one of the two workflow columns set is returned whatever
   * version is sought, so that reading it reports it rather than a migration passing it over.
   */
  private static String selectPinned(String name, boolean unpinned, boolean after) {
    String pinned = "(a.workflow_name = ? AND a.workflow_version = ?)";
    String others = unpinned ? "a.workflow_name IS NULL OR a.workflow_version IS NULL"
        : "(a.workflow_name IS NULL AND a.workflow_version IS NOT NULL)"
            + " OR (a.workflow_name IS NOT NULL AND a.workflow_version IS NULL)";
    return "SELECT " + columns("a") + " FROM " + name + " a WHERE (" + pinned + " OR " + others + ")"
        + (after ? " AND a.booking_id > ?" : "") + " AND " + isLatest(name) + " ORDER BY a.booking_id LIMIT ?";
  }

  // Selects no row but the columns the script adds.
  private static String probe(String name, int script) {
    return "SELECT " + Arrays.stream(Column.values()).filter(column -> column.script == script)
        .map(column -> column.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + " FROM " + name
        + " WHERE 1 = 0";
  }

  /**
   * Returns the table's name as configured.
   *
   * @return the name, optionally qualified by a schema
   */
  public String name() {
    return name;
  }

  /**
   * Returns the statement as it must run when its result decides something: on a MariaDB Galera node
   * prefixed with {@code SET STATEMENT wsrep_sync_wait = 3 FOR}, so that the node first applies every
   * write set the cluster certified before the statement arrived and the statement sees every commit
   * acknowledged anywhere in the cluster; elsewhere unchanged, as a single server or a PostgreSQL primary
   * already shows every commit. Every SELECT of the trail's tables and every conditional UPDATE goes
   * through here, so a read or a row count never decides on a node that has not applied a commit made
   * on another; except the UPDATEs of rows a causal {@code SELECT ... FOR UPDATE} has just locked in the
   * same transaction (placing changes in the feed, leasing deliveries, abandoning holds), which that read
   * has already made wait. INSERTs do not, because a key another node committed makes certification
   * refuse them. MariaDB waits only before a statement in auto-commit mode or one that starts a
   * transaction, so the trail starts each of its transactions with its decisive read.
   *
   * @param statement a SELECT, UPDATE or DELETE
   * @return the statement to prepare
   */
  public String causal(String statement) {
    return causal ? CAUSAL_PREFIX + statement : statement;
  }

  /**
   * Returns the statement that selects no row but every column of the first schema script, to check the
   * table exists.
   *
   * @return the SQL
   */
  public String probeSql() {
    return probe;
  }

  /**
   * Returns the statement that selects no row but the money columns of the fourth schema script, to check
   * they were added.
   *
   * @return the SQL
   */
  public String moneyProbeSql() {
    return moneyProbe;
  }

  /**
   * Returns the statement that selects no row but the workflow columns of the fifth schema script, to
   * check they were added.
   *
   * @return the SQL
   */
  public String workflowProbeSql() {
    return workflowProbe;
  }

  /**
   * Returns the booking's latest row as stored.
   *
   * @param connection where to read
   * @param bookingId the booking
   * @return the row with the highest sequence, or {@code null} if the booking has none
   * @throws SQLException if the database fails
   */
  public RawRow latest(Connection connection, String bookingId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectLatest)) {
      statement.setString(1, bookingId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? read(rows) : null;
      }
    }
  }

  /**
   * Returns the booking's row at the sequence as stored.
   *
   * @param connection where to read
   * @param bookingId the booking
   * @param sequence the row's sequence
   * @return the row, or {@code null} if there is none
   * @throws SQLException if the database fails
   */
  public RawRow row(Connection connection, String bookingId, long sequence) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectRow)) {
      statement.setString(1, bookingId);
      statement.setLong(2, sequence);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? read(rows) : null;
      }
    }
  }

  /**
   * Returns the booking's rows as stored.
   *
   * @param connection where to read
   * @param bookingId the booking
   * @return the rows in sequence order; empty if the booking has none
   * @throws SQLException if the database fails
   */
  public List<RawRow> history(Connection connection, String bookingId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectHistory)) {
      statement.setString(1, bookingId);
      try (ResultSet rows = statement.executeQuery()) {
        List<RawRow> history = new ArrayList<>();
        while (rows.next()) {
          history.add(read(rows));
        }
        return history;
      }
    }
  }

  // Stored times are whole microseconds, so "at or after t" means the same for t rounded up to a
  // microsecond (as "at or before t" does for t cut down); rounding down would take in rows of the same
  // microsecond.
  private static Instant roundUpToMicros(Instant instant) {
    Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
    return truncated.isBefore(instant) ? truncated.plus(1, ChronoUnit.MICROS) : truncated;
  }

  /**
   * Returns the bookings whose latest row is in the state and whose timepoint lies from {@code from} to
   * {@code to}, both inclusive, in timepoint and booking id order, at most {@code limit}, each with its
   * latest row and the time of its first. With {@code afterBookingId}, bookings at exactly {@code from}
   * only if their id is greater. Bounds outside the times the table holds are allowed.
   *
   * @param connection where to read
   * @param state the current state sought
   * @param timepoint which time the bounds apply to
   * @param from the lower bound, or {@code null} for none
   * @param afterBookingId with {@code from}: the booking to read on after, or {@code null}
   * @param to the upper bound
   * @param limit the most to return, at least 1
   * @return the rows as stored, in timepoint and booking id order
   * @throws SQLException if the database fails
   */
  public List<RawTimes> timerCandidates(Connection connection, BookingState state, Timepoint timepoint, Instant from,
      String afterBookingId, Instant to, int limit) throws SQLException {
    if (to.isBefore(EARLIEST) || (from != null && from.isAfter(LATEST))) {
      return List.of();
    }
    // Bounds outside the stored range are clamped before rounding, which would overflow at Instant.MAX.
    Instant lower = from == null || from.isBefore(EARLIEST) ? EARLIEST : roundUpToMicros(from);
    Instant upper = to.isAfter(LATEST) ? LATEST : to.truncatedTo(ChronoUnit.MICROS);
    if (lower.isAfter(upper)) {
      return List.of();
    }
    // Only a bound the table can hold has rows at exactly it; past any other bound every row is after it.
    boolean after = afterBookingId != null && lower.equals(from);
    try (PreparedStatement statement = connection.prepareStatement(
        (after ? selectCandidatesAfter : selectCandidates).get(timepoint))) {
      int next = 1;
      statement.setString(next++, state.name());
      statement.setObject(next++, toLocal(lower));
      statement.setObject(next++, toLocal(upper));
      if (after) {
        statement.setObject(next++, toLocal(lower));
        statement.setString(next++, afterBookingId);
      }
      statement.setInt(next, limit);
      try (ResultSet rows = statement.executeQuery()) {
        List<RawTimes> found = new ArrayList<>();
        while (rows.next()) {
          found.add(new RawTimes(read(rows), rows.getObject(Column.values().length + 1, LocalDateTime.class)));
        }
        return found;
      }
    }
  }

  /*
   * One statement per timepoint, each a range scan of one index in the order asked for, so that bookings
   * that left the state, or fall due outside the bounds, are never read. A row is its booking's latest
   * exactly when no row has the next sequence: rows are never updated, so "current state" is found with
   * the primary key instead of a flag that would need updating.
   *  - STATE_ENTERED: rows a in the state by the (to_state, occurred_at) index;
   *  - SCHEDULED_START: likewise by the (to_state, scheduled_start) index; no range holds a NULL;
   *  - CREATED: first rows c by the (sequence, occurred_at) index, each joined by the primary key to its
   *    booking's rows a.
   * The first row is outer-joined where it is not the one read by the index, so a booking whose first
   * row is missing is reported, not skipped. Reading on after a booking at exactly the lower bound adds a
   * row-value comparison on the index's two columns, (time, booking_id) > (bound, booking), which each
   * database reads as the start of the same range. The equivalent "time > bound OR booking_id > booking"
   * let PostgreSQL's planner switch, with some statistics, to two bitmap scans and a sort.
   */
  private static String selectCandidates(String name, Timepoint timepoint, boolean after) {
    boolean created = timepoint == Timepoint.CREATED;
    String value = switch (timepoint) {
      case STATE_ENTERED -> "a.occurred_at";
      case SCHEDULED_START -> "a.scheduled_start";
      case CREATED -> "c.occurred_at";
    };
    String bookingId = created ? "c.booking_id" : "a.booking_id";
    String tables = created
        ? name + " c JOIN " + name + " a ON a.booking_id = c.booking_id"
        : name + " a LEFT JOIN " + name + " c ON c.booking_id = a.booking_id AND c.sequence = 1";
    return "SELECT " + columns("a") + ", c.occurred_at FROM " + tables
        + " WHERE a.to_state = ?" + (created ? " AND c.sequence = 1" : "")
        + " AND " + value + " >= ? AND " + value + " <= ?"
        + (after ? " AND (" + value + ", " + bookingId + ") > (?, ?)" : "")
        + " AND NOT EXISTS (SELECT 1 FROM " + name + " b WHERE b.booking_id = a.booking_id"
        + " AND b.sequence = a.sequence + 1)"
        + " ORDER BY " + value + ", " + bookingId + " LIMIT ?";
  }

  /**
   * Returns how many bookings' latest rows hold each pair of workflow columns, as stored: one statement
   * that reads every booking's latest row, each checked against the primary key for a later row.
   *
   * @param connection where to read
   * @return one count per pair of values, in no particular order; the pair of nulls counts the bookings
   *     recorded before bookings were pinned
   * @throws SQLException if the database fails
   */
  public List<VersionCount> versionsInUse(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(selectVersionsInUse);
        ResultSet rows = statement.executeQuery()) {
      List<VersionCount> counts = new ArrayList<>();
      while (rows.next()) {
        counts.add(new VersionCount(rows.getString(1), number(rows, 2), rows.getLong(3), rows.getString(4)));
      }
      return counts;
    }
  }

  /**
   * The bookings whose latest rows hold one pair of workflow columns, as stored.
   *
   * @param workflowName workflow_name, or {@code null}
   * @param workflowVersion workflow_version, or {@code null}
   * @param bookings how many bookings
   * @param firstBookingId the least of their ids, to name one of them
   */
  public record VersionCount(String workflowName, Integer workflowVersion, long bookings, String firstBookingId) {}

  /**
   * Returns the latest rows of the bookings pinned to the version, with an id after {@code afterBookingId}
   * if given, in booking id order, at most {@code limit}; with {@code unpinned}, also those of bookings
   * without a version. Rows with only one of the two workflow columns set are returned too, whatever the
   * version, for the caller to refuse.
   *
   * @param connection where to read
   * @param version the version sought
   * @param unpinned whether the rows without a version are sought too
   * @param afterBookingId the booking to read on after, or {@code null} for the first page
   * @param limit the most to return, at least 1
   * @return the rows as stored, in booking id order as the booking_id column compares
   * @throws SQLException if the database fails
   */
  public List<RawRow> pinnedTo(Connection connection, WorkflowVersion version, boolean unpinned,
      String afterBookingId, int limit) throws SQLException {
    boolean after = afterBookingId != null;
    try (PreparedStatement statement = connection.prepareStatement(selectPinned[unpinned ? 1 : 0][after ? 1 : 0])) {
      int next = 1;
      statement.setString(next++, version.name());
      statement.setInt(next++, version.number());
      if (after) {
        statement.setString(next++, afterBookingId);
      }
      statement.setInt(next, limit);
      try (ResultSet rows = statement.executeQuery()) {
        List<RawRow> found = new ArrayList<>();
        while (rows.next()) {
          found.add(read(rows));
        }
        return found;
      }
    }
  }

  /**
   * Inserts the row; the primary key refuses a sequence already taken.
   *
   * @param connection where to write; committed by the caller or by auto-commit
   * @param row the entry and its two hashes
   * @throws SQLException if the database refuses or fails, a taken sequence included
   */
  public void insert(Connection connection, StoredRow row) throws SQLException {
    AuditEntry entry = row.entry();
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setString(Column.BOOKING_ID.at(), entry.bookingId());
      statement.setLong(Column.SEQUENCE.at(), entry.sequence());
      statement.setString(Column.ACTION_NAME.at(), entry.actionName());
      statement.setString(Column.ACTOR_ROLE.at(), entry.actorRole().name());
      statement.setString(Column.ACTOR_ID.at(), entry.actorId());
      statement.setString(Column.CUSTOMER_ID.at(), entry.customerId());
      statement.setString(Column.GIGSTA_ID.at(), entry.gigstaId());
      if (entry.fromState() == null) {
        statement.setNull(Column.FROM_STATE.at(), Types.VARCHAR);
      } else {
        statement.setString(Column.FROM_STATE.at(), entry.fromState().name());
      }
      statement.setString(Column.TO_STATE.at(), entry.toState().name());
      statement.setObject(Column.OCCURRED_AT.at(), toLocal(entry.occurredAt()));
      statement.setString(Column.NOTE.at(), entry.note());
      if (entry.reason() == null) {
        statement.setNull(Column.REASON.at(), Types.VARCHAR);
      } else {
        statement.setString(Column.REASON.at(), entry.reason());
      }
      if (entry.scheduledStart() == null) {
        statement.setNull(Column.SCHEDULED_START.at(), Types.TIMESTAMP);
      } else {
        statement.setObject(Column.SCHEDULED_START.at(), toLocal(entry.scheduledStart()));
      }
      // A price's currency is an ISO 4217 code, three letters, which CHAR(3) keeps as it is; amounts in
      // minor units are longs, which BIGINT keeps exactly. Amount and fee are in the price's currency.
      Money price = entry.price();
      setMinor(statement, Column.PRICE_MINOR, price);
      if (price == null) {
        statement.setNull(Column.PRICE_CURRENCY.at(), Types.CHAR);
      } else {
        statement.setString(Column.PRICE_CURRENCY.at(), price.currencyCode());
      }
      setMinor(statement, Column.AMOUNT_MINOR, entry.amount());
      setMinor(statement, Column.FEE_MINOR, entry.fee());
      WorkflowVersion version = entry.workflowVersion();
      if (version == null) {
        statement.setNull(Column.WORKFLOW_NAME.at(), Types.VARCHAR);
        statement.setNull(Column.WORKFLOW_VERSION.at(), Types.INTEGER);
      } else {
        statement.setString(Column.WORKFLOW_NAME.at(), version.name());
        statement.setInt(Column.WORKFLOW_VERSION.at(), version.number());
      }
      statement.setString(Column.PREV_HASH.at(), row.prevHash());
      statement.setString(Column.ROW_HASH.at(), row.rowHash());
      statement.executeUpdate();
    }
  }

  private static void setMinor(PreparedStatement statement, Column column, Money money) throws SQLException {
    if (money == null) {
      statement.setNull(column.at(), Types.BIGINT);
    } else {
      statement.setLong(column.at(), money.amountMinor());
    }
  }

  // By position, in the order the SELECT lists the columns: no look-up by name per column and row. The
  // values are taken as they are; whether they still make an entry is for RawRow to say.
  private static RawRow read(ResultSet rows) throws SQLException {
    return read(rows, 0);
  }

  /**
   * Returns the audit columns, in the order {@link #read(ResultSet, int)} reads them, each qualified by
   * the alias, for statements that join the audit table.
   *
   * @param alias the audit table's alias in the statement
   * @return the column list, e.g. {@code "a.booking_id, a.sequence, ..."}
   */
  static String columns(String alias) {
    return Arrays.stream(Column.values()).map(column -> alias + "." + column.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  /**
   * Reads the audit columns listed by {@link #columns(String)} from the current row, as stored.
   *
   * @param rows the result, on a row
   * @param before how many columns the statement lists before the audit columns
   * @return the row, or {@code null} if an outer join found no audit row (its booking id is null)
   * @throws SQLException if the database fails
   */
  static RawRow read(ResultSet rows, int before) throws SQLException {
    if (before > 0 && rows.getString(before + Column.BOOKING_ID.at()) == null) {
      return null;
    }
    return new RawRow(
        rows.getString(before + Column.BOOKING_ID.at()),
        rows.getLong(before + Column.SEQUENCE.at()),
        rows.getString(before + Column.ACTION_NAME.at()),
        rows.getString(before + Column.ACTOR_ROLE.at()),
        rows.getString(before + Column.ACTOR_ID.at()),
        rows.getString(before + Column.CUSTOMER_ID.at()),
        rows.getString(before + Column.GIGSTA_ID.at()),
        rows.getString(before + Column.FROM_STATE.at()),
        rows.getString(before + Column.TO_STATE.at()),
        rows.getObject(before + Column.OCCURRED_AT.at(), LocalDateTime.class),
        rows.getString(before + Column.NOTE.at()),
        rows.getString(before + Column.REASON.at()),
        rows.getObject(before + Column.SCHEDULED_START.at(), LocalDateTime.class),
        minor(rows, before + Column.PRICE_MINOR.at()),
        rows.getString(before + Column.PRICE_CURRENCY.at()),
        minor(rows, before + Column.AMOUNT_MINOR.at()),
        minor(rows, before + Column.FEE_MINOR.at()),
        rows.getString(before + Column.WORKFLOW_NAME.at()),
        number(rows, before + Column.WORKFLOW_VERSION.at()),
        rows.getString(before + Column.PREV_HASH.at()),
        rows.getString(before + Column.ROW_HASH.at()));
  }

  // A BIGINT as stored, or null.
  private static Long minor(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  // An INT as stored, or null.
  private static Integer number(ResultSet rows, int column) throws SQLException {
    int value = rows.getInt(column);
    return rows.wasNull() ? null : value;
  }

  static LocalDateTime toLocal(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
