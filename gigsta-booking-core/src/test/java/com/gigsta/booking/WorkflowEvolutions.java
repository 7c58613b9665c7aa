package com.gigsta.booking;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The changes {@link WorkflowEvolutionPropertyTest} deploys, each made from the previous version's
 * {@link Workflow#toBuilder()}, and the migrations it runs between versions, written out as plain maps so
 * that the test predicts what a migration does without asking {@link WorkflowMigration}.
 */
final class WorkflowEvolutions {

  /** One change from a version to the next. */
  enum Change { ADD_STATE, DROP_STATE, RETARGET_RULE, CHANGE_LABEL, ADD_GUARD }

  /** A guard that allows only on even booking versions (sequences). */
  static final Guard EVEN_VERSION = (booking, actor, clock) -> booking.version() % 2 == 0;
  /** A guard that allows only before noon UTC by the engine's clock. */
  static final Guard MORNINGS = (booking, actor, clock) -> clock.instant().atZone(ZoneOffset.UTC).getHour() < 12;

  private static final Role[] PEOPLE = {Role.CUSTOMER, Role.GIGSTA, Role.OPERATOR};
  // How many candidate definitions one change builds before giving up on that change.
  private static final int ATTEMPTS = 24;

  private WorkflowEvolutions() {}

  /** The next version and the change that made it; the change may differ from the one asked for. */
  record Evolution(Workflow workflow, Change change) {}

  /**
   * Returns the next version of {@code previous} with one change, the wanted one if some choice of it
   * builds, else the next change that does. The picks choose states, rules, roles and guards.
   */
  static Evolution evolve(Workflow previous, Change wanted, int a, int b, int c) {
    Change[] changes = Change.values();
    for (int i = 0; i < changes.length; i++) {
      Change change = changes[(wanted.ordinal() + i) % changes.length];
      Optional<Workflow> next = apply(previous, previous.version() + 1, change, a, b, c);
      if (next.isPresent()) {
        return new Evolution(next.get(), change);
      }
    }
    throw new AssertionError("no change applies to " + previous);
  }

  private static Optional<Workflow> apply(Workflow previous, int version, Change change, int a, int b, int c) {
    return switch (change) {
      case ADD_STATE -> Optional.of(addState(previous, version, a, b, c));
      case DROP_STATE -> dropState(previous, version, a);
      case RETARGET_RULE -> retargetRule(previous, version, a, b);
      case CHANGE_LABEL -> changeLabel(previous, version, a);
      case ADD_GUARD -> addGuard(previous, version, a, c);
    };
  }

  // A new state entered from a non-terminal one; terminal, or left again to any state.
  private static Workflow addState(Workflow previous, int version, int a, int b, int c) {
    BookingState added = BookingState.of("EXTRA_V" + version);
    BookingState source = pick(nonTerminal(previous), a);
    Workflow.Builder next = previous.toBuilder().version(version)
        .action("detour_v" + version).by(PEOPLE[b % PEOPLE.length]).from(source).to(added)
            .label("Take detour " + version).note("Detour " + version + " taken").add();
    if (c % 3 == 0) {
      next.terminalStates(added);
    } else {
      next.action("leave_v" + version).by(Role.values()[(b + c) % Role.values().length]).from(added)
          .to(pick(previous.states(), c)).label("Leave detour " + version).note("Detour " + version + " left").add();
    }
    return next.build();
  }

  // The first non-initial state, from pick a on, whose removal still builds.
  private static Optional<Workflow> dropState(Workflow previous, int version, int a) {
    List<BookingState> candidates = new ArrayList<>(previous.states());
    candidates.remove(previous.initialState());
    for (int i = 0; i < candidates.size(); i++) {
      BookingState dropped = pick(candidates, a + i);
      Optional<Workflow> next = tryBuild(previous.toBuilder().version(version).removeState(dropped));
      if (next.isPresent()) {
        return next;
      }
    }
    return Optional.empty();
  }

  // A rule leading to another of the version's states, the first such definition that builds.
  private static Optional<Workflow> retargetRule(Workflow previous, int version, int a, int b) {
    List<WorkflowRule> rules = previous.rules();
    List<BookingState> states = previous.states();
    for (int i = 0; i < ATTEMPTS; i++) {
      WorkflowRule rule = pick(rules, a + i / states.size());
      BookingState target = pick(states, b + i);
      if (target.equals(rule.to())) {
        continue;
      }
      Optional<Workflow> next = tryBuild(redeclare(previous.toBuilder().version(version), rule, target,
          rule.action().buttonLabel(), rule.guardName(), rule.guard()));
      if (next.isPresent()) {
        return next;
      }
    }
    return Optional.empty();
  }

  private static Optional<Workflow> changeLabel(Workflow previous, int version, int a) {
    List<WorkflowRule> people = previous.rules().stream().filter(rule -> rule.role() != Role.SYSTEM).toList();
    if (people.isEmpty()) {
      return Optional.empty();
    }
    WorkflowRule rule = pick(people, a);
    return tryBuild(redeclare(previous.toBuilder().version(version), rule, rule.to(),
        rule.action().buttonLabel() + " (v" + version + ")", rule.guardName(), rule.guard()));
  }

  // One of the two guards on an untimed rule that does not have that guard yet.
  private static Optional<Workflow> addGuard(Workflow previous, int version, int a, int c) {
    for (int i = 0; i < 2; i++) {
      boolean even = (c + i) % 2 == 0;
      String name = even ? "even_version" : "mornings_only";
      List<WorkflowRule> candidates = previous.rules().stream()
          .filter(rule -> !rule.isTimed() && !name.equals(rule.guardName())).toList();
      if (!candidates.isEmpty()) {
        WorkflowRule rule = pick(candidates, a);
        return tryBuild(redeclare(previous.toBuilder().version(version), rule, rule.to(),
            rule.action().buttonLabel(), name, even ? EVEN_VERSION : MORNINGS));
      }
    }
    return Optional.empty();
  }

  // Removes the rule and declares it again with this target, label and guard, everything else as it was.
  private static Workflow.Builder redeclare(Workflow.Builder builder, WorkflowRule rule, BookingState to,
      String label, String guardName, Guard guard) {
    Workflow.RuleBuilder again = builder.removeRule(rule.from(), rule.actionName(), rule.role())
        .action(rule.actionName()).by(rule.role()).from(rule.from()).to(to)
        .label(label).note(rule.action().note()).critical(rule.action().isCritical()).payment(rule.payment());
    if (rule.payment() == PaymentMoment.REFUND) {
      again.refund(rule.refundPolicy());
    }
    if (guard != null) {
      again.guard(guardName, guard);
    }
    if (rule.isTimed()) {
      again.after(rule.deadline());
    }
    return again.add();
  }

  private static Optional<Workflow> tryBuild(Workflow.Builder builder) {
    try {
      return Optional.of(builder.build());
    } catch (InvalidWorkflowException e) {
      return Optional.empty();
    }
  }

  static List<BookingState> nonTerminal(Workflow workflow) {
    return workflow.states().stream().filter(state -> !workflow.terminalStates().contains(state)).toList();
  }

  static <T> T pick(List<T> items, int index) {
    return items.get(Math.floorMod(index, items.size()));
  }

  /**
   * A migration as plain data: the states mapped and the states declared to stay. {@link #byName} makes
   * valid ones; {@link #mapping} and {@link #without} spoil them.
   */
  record MigrationPlan(Map<BookingState, BookingState> targets, Set<BookingState> staying) {

    /**
     * Maps each state of {@code from} that {@code to} has, terminal or not alike, to itself unless the mask
     * says it stays; every other non-terminal state stays, every other terminal state is left out.
     */
    static MigrationPlan byName(Workflow from, Workflow to, int mask) {
      Map<BookingState, BookingState> targets = new LinkedHashMap<>();
      Set<BookingState> staying = new LinkedHashSet<>();
      List<BookingState> states = from.states();
      for (int i = 0; i < states.size(); i++) {
        BookingState state = states.get(i);
        boolean terminal = from.terminalStates().contains(state);
        boolean shared = to.states().contains(state) && terminal == to.terminalStates().contains(state);
        // Three states in four are mapped where they can be.
        if (shared && ((mask >>> (2 * i % 32)) & 3) != 0) {
          targets.put(state, state);
        } else if (!terminal) {
          staying.add(state);
        }
      }
      return new MigrationPlan(targets, staying);
    }

    MigrationPlan mapping(BookingState state, BookingState target) {
      MigrationPlan copy = without(state);
      copy.targets.put(state, target);
      return copy;
    }

    MigrationPlan without(BookingState state) {
      Map<BookingState, BookingState> targets = new LinkedHashMap<>(this.targets);
      Set<BookingState> staying = new LinkedHashSet<>(this.staying);
      targets.remove(state);
      staying.remove(state);
      return new MigrationPlan(targets, staying);
    }

    WorkflowMigration.Builder builder(Workflow from, Workflow to) {
      WorkflowMigration.Builder builder = WorkflowMigration.between(from, to);
      targets.forEach(builder::map);
      return builder.stay(staying.toArray(BookingState[]::new));
    }
  }
}
