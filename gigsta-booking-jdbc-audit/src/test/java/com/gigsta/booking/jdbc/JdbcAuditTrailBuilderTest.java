package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.BookingLimits;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.Role;
import com.gigsta.booking.jdbc.internal.Dialect;
import com.gigsta.booking.jdbc.internal.SchemaScript;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checks what {@link JdbcAuditTrail.Builder#build()} refuses, creates and declares, and the trail's
 * refusal of programming errors, on H2.
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
}
