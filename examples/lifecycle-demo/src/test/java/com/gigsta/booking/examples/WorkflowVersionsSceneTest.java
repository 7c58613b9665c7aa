package com.gigsta.booking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.spi.AuditTrail;
import com.gigsta.booking.spi.InMemoryAuditTrail;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the lifecycle demo's workflow versions scene alone, on a trail with no other booking, and checks
 * that its output shows what the scene is there to show: what version 2 changes, the same state offering
 * different actions under each version, the migration's result and entry, and the migrated booking offered
 * the new action. The demo runs it on H2; the in-memory trail is the reference for what a trail stores.
 */
class WorkflowVersionsSceneTest {

  static Stream<Arguments> trails() {
    Supplier<AuditTrail> inMemory = InMemoryAuditTrail::new;
    Supplier<AuditTrail> h2 = () -> {
      JdbcDataSource dataSource = new JdbcDataSource();
      dataSource.setURL("jdbc:h2:mem:versions-scene-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return JdbcAuditTrail.builder(dataSource).withCreateTableIfMissing(true).build();
    };
    return Stream.of(Arguments.of("in memory", inMemory), Arguments.of("H2", h2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trails")
  void shouldShowPinnedBookingsOfferedTheirVersionsActionsUntilMigrated(String name, Supplier<AuditTrail> trail)
      throws Exception {
    String output = runScene(new LifecycleDemo(trail.get()));

    assertThat(output).contains("""
        gigsta v2 adds a state for disputes; v2.changesFrom(v1):
          + state DISPUTED
          + rule open_dispute by CUSTOMER from ACCEPTED -> DISPUTED
          + rule open_dispute by CUSTOMER from IN_PROGRESS -> DISPUTED
          + rule resolve_for_customer by OPERATOR from DISPUTED -> CANCELLED_BY_GIGSTA
          + rule resolve_for_gigsta by OPERATOR from DISPUTED -> COMPLETED
        """);
    // The start-up check, and the refusal of an engine that lacks the version.
    assertThat(output).contains("  workflowVersionsInUse() = {gigsta v1=1}\n",
        "missingWorkflowVersions() = {gigsta v1=1}, so it must not start",
        "refused, UNKNOWN_WORKFLOW_VERSION: booking 'booking-10' in state ACCEPTED is pinned to workflow gigsta v1",
        "withWorkflow(v2).withEarlierVersions(v1): missingWorkflowVersions() = {}\n");
    // The same state, different actions.
    String pinnedToV1 = line(output, "  booking-10, ACCEPTED, gigsta v1: CUSTOMER:anna ");
    String pinnedToV2 = line(output, "  booking-11, ACCEPTED, gigsta v2: CUSTOMER:anna ");
    assertThat(pinnedToV1).contains("\"action_name\":\"cancel_booking\"").doesNotContain("open_dispute");
    assertThat(pinnedToV2).contains("\"action_name\":\"cancel_booking\"", "\"action_name\":\"open_dispute\"",
        "\"button_label\":\"Report a problem\"");
    // The migration: its result, resumed with nothing left, and its entry.
    assertThat(output).contains("  migrateAll: 1 migrated, 0 stayed, 0 migrated elsewhere\n",
        "  migrateAll: 0 migrated, 0 stayed, 0 migrated elsewhere\n");
    assertThat(line(output, "  gigsta v2 {\"booking_id\":\"booking-10\",\"sequence\":3,")).contains(
        "\"action_name\":\"migrate_workflow\"", "\"actor_role\":\"OPERATOR\"", "\"actor_id\":\"olga\"",
        "\"from_state\":\"ACCEPTED\"", "\"to_state\":\"ACCEPTED\"",
        "\"note\":\"Moved from workflow gigsta v1 (ACCEPTED) to gigsta v2 (ACCEPTED)\"",
        "\"reason\":\"Disputes are open to bookings already accepted\"");
    // Migrated, the older booking is offered the new action; the dispute ends with the whole price refunded.
    String afterMigration = output.substring(output.indexOf("booking-10 now follows gigsta v2"));
    assertThat(line(afterMigration, "  CUSTOMER:anna ")).contains("\"action_name\":\"open_dispute\"");
    assertThat(output).contains("booking-10 is DISPUTED (version 4)", "booking-10 is CANCELLED_BY_GIGSTA (version 5)",
        "captured 80.00 EUR, refunded 80.00 EUR, paid out  0.00 EUR, charged  0.00 EUR");
  }

  private static String runScene(LifecycleDemo demo) throws Exception {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      demo.workflowVersions();
    } finally {
      System.setOut(console);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    console.print(output);
    return output;
  }

  /** The first line of the output that starts with the prefix. */
  private static String line(String output, String prefix) {
    List<String> lines = output.lines().filter(line -> line.startsWith(prefix)).toList();
    assertThat(lines).as("a line starting with '%s' in%n%s", prefix, output).isNotEmpty();
    return lines.get(0);
  }
}
