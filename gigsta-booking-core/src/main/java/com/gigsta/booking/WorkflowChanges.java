package com.gigsta.booking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed from one version of a workflow to another, as {@link Workflow#changesFrom(Workflow)} finds
 * it. A rule is identified by its source state, action and role; the same rule leading to another state is
 * retargeted, and leading to the same state with anything else different (label, note, criticality,
 * payment moment, refund policy, guard name, deadline) is changed. Guards are compared by name. Immutable
 * and thread-safe.
 *
 * @param statesAdded states the later version has and the earlier had not, in the later's order
 * @param statesRemoved states the earlier version had and the later has not, in the earlier's order
 * @param rulesAdded rules only the later version has
 * @param rulesRemoved rules only the earlier version had
 * @param rulesRetargeted rules of both that lead to another state now
 * @param rulesChanged rules of both that lead to the same state but differ otherwise
 */
public record WorkflowChanges(List<BookingState> statesAdded, List<BookingState> statesRemoved,
    List<WorkflowRule> rulesAdded, List<WorkflowRule> rulesRemoved, List<RuleChange> rulesRetargeted,
    List<RuleChange> rulesChanged) {

  /**
   * Copies the lists so the value stays immutable.
   *
   * @param statesAdded states added
   * @param statesRemoved states removed
   * @param rulesAdded rules added
   * @param rulesRemoved rules removed
   * @param rulesRetargeted rules leading elsewhere now
   * @param rulesChanged rules changed otherwise
   */
  public WorkflowChanges {
    statesAdded = List.copyOf(statesAdded);
    statesRemoved = List.copyOf(statesRemoved);
    rulesAdded = List.copyOf(rulesAdded);
    rulesRemoved = List.copyOf(rulesRemoved);
    rulesRetargeted = List.copyOf(rulesRetargeted);
    rulesChanged = List.copyOf(rulesChanged);
  }

  /**
   * One rule as the earlier version declared it and as the later one does.
   *
   * @param before the earlier version's rule
   * @param after the later version's rule, with the same source state, action and role
   */
  public record RuleChange(WorkflowRule before, WorkflowRule after) {}

  static WorkflowChanges between(Workflow earlier, Workflow later) {
    List<BookingState> statesAdded = new ArrayList<>(later.states());
    statesAdded.removeAll(earlier.states());
    List<BookingState> statesRemoved = new ArrayList<>(earlier.states());
    statesRemoved.removeAll(later.states());
    Map<String, WorkflowRule> before = byIdentity(earlier);
    Map<String, WorkflowRule> after = byIdentity(later);
    List<WorkflowRule> rulesAdded = new ArrayList<>();
    List<RuleChange> retargeted = new ArrayList<>();
    List<RuleChange> changed = new ArrayList<>();
    after.forEach((identity, rule) -> {
      WorkflowRule old = before.get(identity);
      if (old == null) {
        rulesAdded.add(rule);
      } else if (!old.to().equals(rule.to())) {
        retargeted.add(new RuleChange(old, rule));
      } else if (!sameApartFromTarget(old, rule)) {
        changed.add(new RuleChange(old, rule));
      }
    });
    List<WorkflowRule> rulesRemoved = before.entrySet().stream().filter(entry -> !after.containsKey(entry.getKey()))
        .map(Map.Entry::getValue).toList();
    return new WorkflowChanges(statesAdded, statesRemoved, rulesAdded, rulesRemoved, retargeted, changed);
  }

  /**
   * Returns whether nothing changed.
   *
   * @return true when both versions declare the same states and rules
   */
  public boolean isEmpty() {
    return statesAdded.isEmpty() && statesRemoved.isEmpty() && rulesAdded.isEmpty() && rulesRemoved.isEmpty()
        && rulesRetargeted.isEmpty() && rulesChanged.isEmpty();
  }

  /**
   * Describes the changes one per line: {@code + state DISPUTED}, {@code - rule …},
   * {@code ~ cancel_booking by CUSTOMER from ACCEPTED: CANCELLED_BY_CUSTOMER -> DISPUTED}, or
   * {@code no changes}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    if (isEmpty()) {
      return "no changes";
    }
    List<String> lines = new ArrayList<>();
    statesAdded.forEach(state -> lines.add("+ state " + state));
    statesRemoved.forEach(state -> lines.add("- state " + state));
    rulesAdded.forEach(rule -> lines.add("+ rule " + describe(rule) + " -> " + rule.to()));
    rulesRemoved.forEach(rule -> lines.add("- rule " + describe(rule) + " -> " + rule.to()));
    rulesRetargeted.forEach(change -> lines.add("~ " + describe(change.after()) + ": " + change.before().to()
        + " -> " + change.after().to()));
    rulesChanged.forEach(change -> lines.add("* " + describe(change.after()) + ": changed"));
    return String.join("\n", lines);
  }

  private static Map<String, WorkflowRule> byIdentity(Workflow workflow) {
    Map<String, WorkflowRule> rules = new LinkedHashMap<>();
    for (WorkflowRule rule : workflow.rules()) {
      rules.put(rule.from() + "/" + rule.actionName() + "/" + rule.role(), rule);
    }
    return rules;
  }

  private static boolean sameApartFromTarget(WorkflowRule a, WorkflowRule b) {
    return a.action().equals(b.action()) && a.payment() == b.payment()
        && Objects.equals(a.refundPolicy(), b.refundPolicy()) && Objects.equals(a.guardName(), b.guardName())
        && Objects.equals(a.deadline(), b.deadline());
  }

  private static String describe(WorkflowRule rule) {
    return rule.actionName() + " by " + rule.role() + " from " + rule.from();
  }
}
