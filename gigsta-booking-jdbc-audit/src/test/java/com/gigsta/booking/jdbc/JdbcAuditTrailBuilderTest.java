package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Money;
import com.gigsta.booking.Role;
import com.gigsta.booking.ChangeCursor;
import com.gigsta.booking.FeedChange;
import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.jdbc.internal.RowHasher;
import com.gigsta.booking.jdbc.internal.SchemaScript;
import com.gigsta.booking.jdbc.internal.StoredRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checks what {@link JdbcAuditTrail.Builder#build()} refuses, creates, alters and declares, and the
 * trail's refusal of programming errors, on H2.
 */
class JdbcAuditTrailBuilderTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.h2();

  private static AuditEntry creation(String bookingId) {
    return new AuditEntry(bookingId, 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, Instant.parse("2026-05-01T10:00:00.000001Z"), "note", null, null);
  }

  @Test
  void shouldRefuseAMissingTableUnlessAskedToCreateIt() {
    JdbcAuditTrailException missing = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());

    assertThat(missing.operation()).isEqualTo("build");
    assertThat(missing.getMessage()).contains(db.tableName(), "V1__gigsta_booking_audit.sql", "withCreateTableIfMissing");
    assertThat(missing.sqlState()).isNotNull();
  }

  @Test
  void shouldUseTheDefaultTableName() {
    JdbcAuditTrail trail = JdbcAuditTrail.builder(db.dataSource()).withCreateTableIfMissing(true).build();
    db.onCleanup("DROP TABLE IF EXISTS " + JdbcAuditTrail.DEFAULT_TABLE_NAME);
    trail.append(creation("b-1"));

    assertThat(trail.tableName()).isEqualTo("gigsta_booking_audit");
    assertThat(JdbcAuditTrail.builder(db.dataSource()).build().history("b-1")).hasSize(1);
  }

  @Test
  void shouldCreateATableInAnotherSchema() {
    db.execute("CREATE SCHEMA audit");
    db.onCleanup("DROP SCHEMA IF EXISTS audit CASCADE");
    JdbcAuditTrail trail = JdbcAuditTrail.builder(db.dataSource()).withTableName("audit.booking_log")
        .withCreateTableIfMissing(true).build();
    trail.append(creation("b-1"));

    assertThat(trail.verify("b-1").intact()).isTrue();
  }

  @Test
  void shouldBuildTwiceOnTheSameTable() {
    db.builder().build().append(creation("b-1"));

    assertThat(db.builder().build().latest("b-1")).isPresent();
  }

  @Test
  void shouldRefuseTableNamesThatAreNotPlainLowercaseIdentifiersWithIllegalArgumentException() {
    for (String name : new String[] {"", "Audit", "audit-log", "1audit", "audit; DROP TABLE x", "a.b.c", "x".repeat(49)}) {
      assertThatThrownBy(() -> JdbcAuditTrail.builder(db.dataSource()).withTableName(name))
          .as(name).isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("tableName");
    }
  }

  @Test
  void shouldRefuseMissingBuilderArgumentsWithNullPointerException() {
    assertThatNullPointerException().isThrownBy(() -> JdbcAuditTrail.builder(null))
        .withMessage("dataSource is required but was null");
    assertThatNullPointerException().isThrownBy(() -> JdbcAuditTrail.builder(db.dataSource()).withTableName(null))
        .withMessage("tableName is required but was null");
    assertThatNullPointerException().isThrownBy(() -> JdbcAuditTrail.builder(db.dataSource()).withLimits(null))
        .withMessage("limits is required but was null");
  }

  @Test
  void shouldRefuseMissingConnectionsAndWorkWithNullPointerException() throws Exception {
    JdbcAuditTrail trail = db.builder().build();
    AuditEntry entry = creation("b-misuse");

    assertThatNullPointerException().isThrownBy(() -> trail.append(null, entry))
        .withMessage("connection is required but was null");
    assertThatNullPointerException().isThrownBy(() -> trail.inTransaction(null, () -> "work"))
        .withMessage("connection is required but was null");
    assertThatNullPointerException().isThrownBy(() -> trail.verify(null))
        .withMessage("bookingId is required but was null");
    try (Connection connection = db.dataSource().getConnection()) {
      assertThatNullPointerException().isThrownBy(() -> trail.append(connection, null))
          .withMessage("entry is required but was null");
      assertThatNullPointerException().isThrownBy(() -> trail.inTransaction(connection, null))
          .withMessage("work is required but was null");
    }
    assertThat(trail.history("b-misuse")).isEmpty();
  }

  @Test
  void shouldDeclareTheDefaultLengthsAndTheTimesEveryDatabaseHolds() {
    BookingLimits limits = db.builder().build().limits();

    assertThat(limits).isEqualTo(new BookingLimits(128, 2_000, ChronoUnit.MICROS,
        Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z")));
  }

  @Test
  void shouldTakeOnlyTheLengthsOfTheConfiguredLimits() {
    BookingLimits configured = new BookingLimits(64, 500, ChronoUnit.NANOS, Instant.MIN, Instant.MAX);

    BookingLimits declared = db.builder().withLimits(configured).build().limits();

    assertThat(declared).isEqualTo(new BookingLimits(64, 500, ChronoUnit.MICROS,
        Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z")));
  }

  @Test
  void shouldRefuseLimitsBeyondTheColumnsWithIllegalArgumentException() {
    assertThatIllegalArgumentException().isThrownBy(() -> db.builder().withLimits(new BookingLimits(129, 2_000)).build())
        .withMessageContaining("maxIdLength=129");
    assertThatIllegalArgumentException().isThrownBy(() -> db.builder().withLimits(new BookingLimits(128, 2_001)).build())
        .withMessageContaining("maxTextLength=2,001");
  }

  @Test
  void shouldRefuseLimitsBeyondATableWithNarrowerColumns() {
    String narrow = String.join(";", SchemaScript.statements(Dialect.H2, db.tableName()))
        .replace("booking_id      VARCHAR(128)", "booking_id      VARCHAR(64)");
    db.execute(narrow.split(";"));

    assertThatIllegalArgumentException().isThrownBy(() -> db.builder().build())
        .withMessageContaining("column booking_id holds 64");
    assertThat(db.builder().withLimits(new BookingLimits(64, 2_000)).build().limits().maxIdLength()).isEqualTo(64);
  }

  @Test
  void shouldRenameEveryObjectOfTheScriptForTheTable() {
    assertThat(SchemaScript.statements(Dialect.POSTGRESQL, "app.booking_log")).allSatisfy(statement ->
        assertThat(statement).doesNotContain("gigsta_booking_audit").doesNotContain("--"))
        .anySatisfy(statement -> assertThat(statement).startsWith("CREATE TABLE app.booking_log ("))
        .anySatisfy(statement -> assertThat(statement).contains("CONSTRAINT booking_log_pk PRIMARY KEY"))
        .anySatisfy(statement -> assertThat(statement).startsWith("CREATE INDEX booking_log_state_ix ON app.booking_log"));
  }
  @Test
  void shouldRefuseATableWithoutTheFeedsTablesUnlessAskedToCreateThem() {
    db.execute(SchemaScript.statements(Dialect.H2, db.tableName()).toArray(String[]::new));
    AuditEntry old = creation("b-old");
    try (Connection connection = db.dataSource().getConnection()) {
      OldRows.insert(connection, db.tableName(), new StoredRow(old, RowHasher.GENESIS,
          RowHasher.hash(old, RowHasher.GENESIS)));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }

    JdbcAuditTrailException missing = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(missing.operation()).isEqualTo("build");
    assertThat(missing.getMessage()).contains(db.tableName() + "_change", "V2__gigsta_booking_feed.sql",
        "withCreateTableIfMissing");

    JdbcAuditTrail upgraded = db.builder().build();
    AuditEntry created = creation("b-new");
    upgraded.append(created);
    assertThat(upgraded.history("b-old")).containsExactly(old);
    assertThat(upgraded.changesSince(ChangeCursor.start(), 10).changes()).extracting(FeedChange::entry)
        .containsExactly(created);
    assertThat(JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build().latest("b-new"))
        .contains(created);
  }

  @Test
  void shouldCreateOnlyTheFeedsTablesThatAreMissing() {
    JdbcAuditTrail first = db.builder().build();
    first.append(creation("b-1"));
    assertThat(first.changesSince(ChangeCursor.start(), 10).changes()).hasSize(1);
    db.execute("DROP TABLE " + db.tableName() + "_delivery");

    JdbcAuditTrail second = db.builder().build();
    second.append(creation("b-2"));

    assertThat(second.changesSince(ChangeCursor.start(), 10).changes()).extracting(change -> change.cursor().position())
        .as("the feed head kept its position").containsExactly(1L, 2L);
    assertThat(count("SELECT COUNT(*) FROM " + db.tableName() + "_consumer")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM " + db.tableName() + "_feed_head")).isEqualTo(1);
  }

  @Test
  void shouldRenameEveryObjectOfTheFeedScriptForTheTableWithinEveryDatabasesNameLimit() {
    String longest = "a" + "b".repeat(47);
    Pattern identifier = Pattern.compile("\\b" + longest + "[a-z0-9_]*");
    for (Dialect dialect : Dialect.values()) {
      assertThat(SchemaScript.statements(dialect, Dialect.SCRIPT_V2, "app.booking_log")).as(dialect.name())
          .allSatisfy(statement -> assertThat(statement).doesNotContain("gigsta_booking_audit").doesNotContain("--"))
          .anySatisfy(statement -> assertThat(statement).startsWith("CREATE TABLE app.booking_log_change ("))
          .anySatisfy(statement -> assertThat(statement).contains("CONSTRAINT booking_log_change_pk PRIMARY KEY"))
          .anySatisfy(statement -> assertThat(statement)
              .startsWith("CREATE INDEX booking_log_change_feed_ix ON app.booking_log_change ("))
          .anySatisfy(statement -> assertThat(statement).startsWith("INSERT INTO app.booking_log_feed_head"))
          .anySatisfy(statement -> assertThat(statement).startsWith("INSERT INTO app.booking_log_consumer"))
          .anySatisfy(statement -> assertThat(statement)
              .startsWith("CREATE INDEX booking_log_delivery_ix ON app.booking_log_delivery ("));
      List<String> names = new ArrayList<>();
      for (String statement : SchemaScript.statements(dialect, Dialect.SCRIPT_V2, longest)) {
        identifier.matcher(statement).results().forEach(match -> names.add(match.group()));
      }
      assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63));
    }
  }

  @Test
  void shouldCreateTheTimersTableAgainWhenItAloneIsMissing() {
    Instant sweptTo = Instant.parse("2026-05-01T10:00:00.000001Z");
    db.builder().build().advanceTimerSweep("timer", sweptTo);
    db.execute("DROP TABLE " + db.tableName() + "_timer_sweep");

    JdbcAuditTrailException missing = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(missing.operation()).isEqualTo("build");
    assertThat(missing.getMessage()).contains(db.tableName() + "_timer_sweep", "V3__gigsta_booking_timers.sql",
        "withCreateTableIfMissing");

    // The audit table's indexes of the same script are there already; only the table is made.
    JdbcAuditTrail again = db.builder().build();
    assertThat(again.timerSweptTo("timer")).isEmpty();
    again.advanceTimerSweep("timer", sweptTo);
    assertThat(JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build().timerSweptTo("timer"))
        .contains(sweptTo);
  }

  @Test
  void shouldRenameEveryObjectOfTheTimersScriptForTheTableWithinEveryDatabasesNameLimit() {
    String longest = "a" + "b".repeat(47);
    Pattern identifier = Pattern.compile("\\b" + longest + "[a-z0-9_]*");
    for (Dialect dialect : Dialect.values()) {
      assertThat(SchemaScript.statements(dialect, Dialect.SCRIPT_V3, "app.booking_log")).as(dialect.name())
          .hasSize(3)
          .allSatisfy(statement -> assertThat(statement).doesNotContain("gigsta_booking_audit").doesNotContain("--"))
          .anySatisfy(statement -> assertThat(statement)
              .startsWith("CREATE INDEX booking_log_scheduled_ix ON app.booking_log ("))
          .anySatisfy(statement -> assertThat(statement)
              .startsWith("CREATE INDEX booking_log_created_ix ON app.booking_log ("))
          .anySatisfy(statement -> assertThat(statement).startsWith("CREATE TABLE app.booking_log_timer_sweep ("))
          .anySatisfy(statement -> assertThat(statement).contains("CONSTRAINT booking_log_timer_sweep_pk PRIMARY KEY"));
      List<String> names = new ArrayList<>();
      for (String statement : SchemaScript.statements(dialect, Dialect.SCRIPT_V3, longest)) {
        identifier.matcher(statement).results().forEach(match -> names.add(match.group()));
      }
      assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63));
    }
  }

  @Test
  void shouldRefuseATableWithoutTheMoneyColumnsUnlessAskedToAddThem() {
    for (String script : List.of(Dialect.SCRIPT_V1, Dialect.SCRIPT_V2, Dialect.SCRIPT_V3)) {
      db.execute(SchemaScript.statements(Dialect.H2, script, db.tableName()).toArray(String[]::new));
    }
    AuditEntry old = creation("b-old");
    try (Connection connection = db.dataSource().getConnection()) {
      OldRows.insert(connection, db.tableName(), new StoredRow(old, RowHasher.GENESIS,
          RowHasher.hash(old, RowHasher.GENESIS)));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }

    JdbcAuditTrailException missing = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(missing.operation()).isEqualTo("build");
    assertThat(missing.getMessage()).contains("table " + db.tableName() + " lacks", "V4__gigsta_booking_money.sql",
        "withCreateTableIfMissing");

    JdbcAuditTrail upgraded = db.builder().build();
    AuditEntry priced = new AuditEntry("b-new", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, Instant.parse("2026-05-01T10:00:00.000001Z"), "note", null, null,
        Money.of(1_999, "CHF"), null, null);
    upgraded.append(priced);
    assertThat(upgraded.history("b-old")).containsExactly(old);
    assertThat(JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build().latest("b-new"))
        .contains(priced);
    assertThat(upgraded.verify("b-old").intact()).isTrue();
    assertThat(upgraded.verify("b-new").intact()).isTrue();
  }

  @Test
  void shouldAlterOnlyTheTableThatLacksTheMoneyColumns() {
    JdbcAuditTrail first = db.builder().build();
    AuditEntry priced = new AuditEntry("b-1", 1, "request_booking", Role.CUSTOMER, "c-1", "c-1", "g-1", null,
        BookingState.REQUESTED, Instant.parse("2026-05-01T10:00:00.000001Z"), "note", null, null,
        Money.of(500, "EUR"), null, null);
    first.append(priced);
    // The hold table as the second script made it, the audit table as the fourth left it.
    db.execute("DROP TABLE " + db.tableName() + "_hold");
    db.execute(SchemaScript.statements(Dialect.H2, Dialect.SCRIPT_V2, db.tableName()).stream()
        .filter(statement -> SchemaScript.target(statement).equals(db.tableName() + "_hold")).toArray(String[]::new));

    JdbcAuditTrailException missing = catchThrowableOfType(JdbcAuditTrailException.class,
        () -> JdbcAuditTrail.builder(db.dataSource()).withTableName(db.tableName()).build());
    assertThat(missing.getMessage())
        .contains("table " + db.tableName() + "_hold lacks", "V4__gigsta_booking_money.sql");

    JdbcAuditTrail second = db.builder().build();
    assertThat(second.latest("b-1")).contains(priced);
    assertThat(second.paymentAttempt("b-1", 2, "accept_booking").number()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM " + db.tableName() + "_hold WHERE attempt = 1")).isZero();
  }

  @Test
  void shouldRenameEveryObjectOfTheMoneyScriptForTheTableWithinEveryDatabasesNameLimit() {
    String longest = "a" + "b".repeat(47);
    Pattern identifier = Pattern.compile("\\b" + longest + "[a-z0-9_]*");
    for (Dialect dialect : Dialect.values()) {
      List<String> statements = SchemaScript.statements(dialect, Dialect.SCRIPT_V4, "app.booking_log");
      assertThat(statements).as(dialect.name())
          .allSatisfy(statement -> assertThat(statement).doesNotContain("gigsta_booking_audit").doesNotContain("--"))
          .anySatisfy(statement -> assertThat(statement).matches("(?s)ALTER TABLE app\\.booking_log\\s.*")
              .contains("price_minor", "price_currency", "amount_minor", "fee_minor"))
          .anySatisfy(statement -> assertThat(statement)
              .contains("CONSTRAINT booking_log_hold_pk PRIMARY KEY (booking_id, sequence, action_name, attempt)"))
          .anySatisfy(statement -> assertThat(statement)
              .contains("CONSTRAINT booking_log_hold_status_ck", "'HELD', 'CLAIMED', 'DECLINED', 'ABANDONED', 'RELEASED'"))
          .anySatisfy(statement -> assertThat(statement)
              .startsWith("CREATE INDEX booking_log_hold_claim_ix ON app.booking_log_hold ("));
      assertThat(statements).extracting(SchemaScript::target)
          .containsOnly("app.booking_log", "app.booking_log_hold");
      List<String> names = new ArrayList<>();
      for (String statement : SchemaScript.statements(dialect, Dialect.SCRIPT_V4, longest)) {
        identifier.matcher(statement).results().forEach(match -> names.add(match.group()));
      }
      assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63));
    }
  }

  @Test
  void shouldRenameEveryObjectOfTheWorkflowVersionScriptForTheTableWithinEveryDatabasesNameLimit() {
    String longest = "a" + "b".repeat(47);
    Pattern identifier = Pattern.compile("\\b" + longest + "[a-z0-9_]*");
    for (Dialect dialect : Dialect.values()) {
      List<String> statements = SchemaScript.statements(dialect, Dialect.SCRIPT_V5, "app.booking_log");
      assertThat(statements).as(dialect.name())
          .allSatisfy(statement -> assertThat(statement).doesNotContain("gigsta_booking_audit").doesNotContain("--"))
          .anySatisfy(statement -> assertThat(statement).matches("(?s)ALTER TABLE app\\.booking_log\\s.*")
              .contains("workflow_name", "VARCHAR(64)", "workflow_version"));
      if (dialect != Dialect.MARIADB) {
        assertThat(statements).as(dialect.name()).anySatisfy(statement -> assertThat(statement).contains(
            "CONSTRAINT booking_log_workflow_ck", "CHECK ((workflow_name IS NULL AND workflow_version IS NULL)"));
      }
      assertThat(statements).extracting(SchemaScript::target).containsOnly("app.booking_log");
      List<String> names = new ArrayList<>();
      for (String statement : SchemaScript.statements(dialect, Dialect.SCRIPT_V5, longest)) {
        identifier.matcher(statement).results().forEach(match -> names.add(match.group()));
      }
      assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63));
    }
  }

  private long count(String sql) {
    try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
