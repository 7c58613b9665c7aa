package com.gigsta.booking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the root README's walkthrough of workflow versions equal to {@link DisputesWorkflow}: the
 * definition it shows, the diagram of version 2 and its rule table, each generated the way the core's
 * {@code DiagramTest} generates the default workflow's.
 */
class DisputesWorkflowReadmeTest {

  private static final Path README = Path.of("..", "..", "README.md");
  private static final Path SOURCE = Path.of("src", "main", "java", "com", "gigsta", "booking", "examples",
      "DisputesWorkflow.java");
  private static final String FIRST_LINE = "// From here to the return, the code is shown in the README as it is.";

  @Test
  void shouldShowTheDefinitionAsTheDemoDeclaresIt() throws Exception {
    List<String> lines = Files.readAllLines(SOURCE);
    int start = lines.indexOf("    " + FIRST_LINE);
    int end = lines.indexOf("    return v2;");
    assertThat(start).as("DisputesWorkflow.define() starts with the marker line").isNotNegative();
    assertThat(end).as("DisputesWorkflow.define() ends with 'return v2;'").isGreaterThan(start);
    List<String> definition = new ArrayList<>();
    for (String line : lines.subList(start + 1, end)) {
      definition.add(line.substring(4));
    }

    assertThat(Files.readString(README)).as("README definition of version 2; copy it from DisputesWorkflow")
        .contains("```java\n" + String.join("\n", definition) + "\n```\n");
  }

  @Test
  void shouldDrawVersionTwoAsTheCodeDefinesIt() throws Exception {
    Matcher mermaid = Pattern.compile("```mermaid\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(README));
    List<String> diagrams = new ArrayList<>();
    while (mermaid.find()) {
      diagrams.add(mermaid.group(1));
    }

    assertThat(diagrams).as("README diagrams; regenerate version 2's with DisputesWorkflow.V2.toMermaid()")
        .contains(DisputesWorkflow.V2.toMermaid());
  }

  @Test
  void shouldListVersionTwosRulesAsTheCodeDefinesThem() throws Exception {
    assertThat(Files.readString(README)).as("README rule table of version 2; regenerate it from DisputesWorkflow")
        .contains(DisputesWorkflow.V2.toRuleTable());
  }

  @Test
  void shouldBeTheDefaultWorkflowWithADisputeAdded() {
    Workflow v2 = DisputesWorkflow.V2;

    assertThat(v2.workflowVersion().toString()).isEqualTo("gigsta v2");
    assertThat(v2.changesFrom(Workflow.gigsta()).toString()).isEqualTo("""
        + state DISPUTED
        + rule open_dispute by CUSTOMER from ACCEPTED -> DISPUTED
        + rule open_dispute by CUSTOMER from IN_PROGRESS -> DISPUTED
        + rule resolve_for_customer by OPERATOR from DISPUTED -> CANCELLED_BY_GIGSTA
        + rule resolve_for_gigsta by OPERATOR from DISPUTED -> COMPLETED""");
  }
}
