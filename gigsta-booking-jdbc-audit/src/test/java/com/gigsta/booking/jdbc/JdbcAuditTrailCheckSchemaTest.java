package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checks that {@link JdbcAuditTrail#checkSchema()} passes on complete tables and names what is missing. */
class JdbcAuditTrailCheckSchemaTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.h2();

  @Test
  void shouldPassOnTheTablesBuildCreated() {
    JdbcAuditTrail trail = db.builder().withCreateTableIfMissing(true).build();

    trail.checkSchema();

    assertThat(trail.tableName()).isEqualTo(db.tableName());
  }

  @Test
  void shouldNameATableDroppedAfterBuild() {
    JdbcAuditTrail trail = db.builder().withCreateTableIfMissing(true).build();
    db.execute("DROP TABLE " + db.tableName() + "_delivery");

    JdbcAuditTrailException missing = catchThrowableOfType(JdbcAuditTrailException.class, trail::checkSchema);

    assertThat(missing.operation()).isEqualTo("checkSchema");
    assertThat(missing.getMessage()).contains(db.tableName() + "_delivery is missing");
  }

  @Test
  void shouldNameAColumnDroppedAfterBuild() {
    JdbcAuditTrail trail = db.builder().withCreateTableIfMissing(true).build();
    db.execute("ALTER TABLE " + db.tableName() + " DROP CONSTRAINT IF EXISTS " + db.tableName() + "_workflow_ck",
        "ALTER TABLE " + db.tableName() + " DROP COLUMN workflow_version");

    JdbcAuditTrailException missing = catchThrowableOfType(JdbcAuditTrailException.class, trail::checkSchema);

    assertThat(missing.getMessage()).contains("table " + db.tableName() + " is missing or lacks columns");
  }
}
