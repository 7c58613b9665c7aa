package com.gigsta.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DiagramTest {

  @Test
  void shouldDrawOneArrowPerRuleWithTheDeadlinesOfTimedRulesAndANotePerReminder() {
    assertThat(Workflow.gigsta().toMermaid()).isEqualTo("""
        stateDiagram-v2
            [*] --> REQUESTED: request_booking (CUSTOMER)
            REQUESTED --> ACCEPTED: accept_booking (GIGSTA, charge)
            REQUESTED --> DECLINED: decline_booking (GIGSTA)
            REQUESTED --> CANCELLED_BY_CUSTOMER: cancel_booking (CUSTOMER)
            ACCEPTED --> CANCELLED_BY_CUSTOMER: cancel_booking (CUSTOMER, refund)
            ACCEPTED --> CANCELLED_BY_GIGSTA: cancel_booking (GIGSTA, refund)
            ACCEPTED --> IN_PROGRESS: mark_in_progress (GIGSTA)
            IN_PROGRESS --> COMPLETED: mark_completed (GIGSTA, payout)
            REQUESTED --> EXPIRED: expire_booking (SYSTEM, earliest of (6d after CREATED, 1d after SCHEDULED_START))
            note right of REQUESTED: remind_gigsta_to_answer to GIGSTA, 1d before earliest of (6d after CREATED, 1d after SCHEDULED_START)
            DECLINED --> [*]
            COMPLETED --> [*]
            CANCELLED_BY_CUSTOMER --> [*]
            CANCELLED_BY_GIGSTA --> [*]
            EXPIRED --> [*]
        """);
  }

  @Test
  void shouldMatchTheRuleTableInTheReadme() throws Exception {
    // The README restates the table for readers; this keeps GigstaWorkflow the only source of its rules.
    String table = Workflow.gigsta().toRuleTable();
    assertThat(table).startsWith("""
        | action_name | who | from | to | button_label | is_critical | payment | when |
        |---|---|---|---|---|---|---|---|
        | request_booking | CUSTOMER | (creation) | REQUESTED | | | none | on request |
        | accept_booking | GIGSTA | REQUESTED | ACCEPTED | Accept booking | false | \
        charge: secured before recording, captured right after | on request |
        """);

    assertThat(Files.readString(Path.of("..", "README.md"))).as("README rule table; regenerate it from GigstaWorkflow")
        .contains(table);
  }

  @Test
  void shouldMatchTheDiagramInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher mermaid = Pattern.compile("```mermaid\\n(.*?)```", Pattern.DOTALL).matcher(readme);

    assertThat(mermaid.find()).as("README.md has a mermaid block").isTrue();
    assertThat(mermaid.group(1)).as("README diagram; regenerate it with Workflow.gigsta().toMermaid()")
        .isEqualTo(Workflow.gigsta().toMermaid());
  }
}
