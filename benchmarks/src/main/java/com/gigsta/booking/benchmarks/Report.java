package com.gigsta.booking.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH results into two Markdown tables: every result with its time and allocation per operation,
 * then each comparison of ours with a peer, its ratio and whether the target was met. Stateless.
 */
final class Report {

  /** Allocation below this many bytes per operation is JMH's measuring noise, and counts as none. */
  private static final double NO_ALLOCATION = 1.0;

  /**
   * One comparison: ours against a peer (another method of the same benchmark class, or the same
   * method with other parameters), and the largest ratio of ours to the peer's time per operation that
   * meets the target; {@code maxRatio} is NaN where there is no target.
   */
  record Check(String benchmark, String ours, Map<String, String> oursParams, String peer,
      Map<String, String> peerParams, double maxRatio, String target) {

    static Check of(Class<?> benchmark, String ours, String peer, double maxRatio, String target) {
      return new Check(benchmark.getSimpleName(), ours, Map.of(), peer, Map.of(), maxRatio, target);
    }
  }

  /** The comparisons and targets of BENCHMARKS.md. */
  static final List<Check> CHECKS = new ArrayList<>(List.of(
      Check.of(AvailableActionsBenchmark.class, "ours", "limit", 2.0, "at most 2x the precomputed lookup"),
      Check.of(AvailableActionsBenchmark.class, "ours", "stateless4j", 1 / 20.0, "at least 20x faster"),
      Check.of(AvailableActionsBenchmark.class, "ours", "springReset", 1 / 1000.0, "at least 1,000x faster"),
      Check.of(AvailableActionsBenchmark.class, "ours", "springBuildPerBooking", 1 / 1000.0,
          "at least 1,000x faster"),
      Check.of(AvailableActionsBenchmark.class, "diagnoseLimitWithVersionLookup", "limit", Double.NaN,
          "diagnostic: what finding the booking's workflow version adds to the lookup"),
      Check.of(AvailableActionsBenchmark.class, "ours", "diagnoseLimitWithVersionLookup", Double.NaN,
          "diagnostic: ours against the lookup that also finds the booking's version"),
      Check.of(TransitionBenchmark.class, "ours", "floor", 1.5,
          "at most 1.5x the floor (raw StatefulJ + clock read + stored entry)"),
      Check.of(TransitionBenchmark.class, "ours", "statefuljOnEvent", Double.NaN, "none"),
      Check.of(TransitionBenchmark.class, "ours", "stateless4jFire", Double.NaN, "none"),
      Check.of(TransitionBenchmark.class, "diagnoseFixedClock", "statefuljOnEvent", Double.NaN,
          "diagnostic: ours without reading the system clock"),
      Check.of(TransitionBenchmark.class, "diagnoseStatefuljWithClock", "statefuljOnEvent", Double.NaN,
          "diagnostic: raw StatefulJ plus one clock read"),
      Check.of(TransitionBenchmark.class, "floor", "statefuljOnEvent", Double.NaN,
          "none: what the floor adds to raw StatefulJ"),
      // No target: the issue asks for the figure, and what it adds to ours is the heap keeping every booking
      // (see BENCHMARKS.md), not work the engine could skip.
      Check.of(TransitionBenchmark.class, "oursOnMillionBookingTrail", "ours", Double.NaN,
          "none: 1M bookings kept in the trail against a trail replaced every 8,192 bookings"),
      Check.of(TransitionBenchmark.class, "oursOnMillionBookingTrail", "floor", Double.NaN,
          "none: 1M bookings in the trail against the floor"),
      Check.of(WorkflowVersionsBenchmark.class, "availableThreeVersions", "availableOneVersion", 1.1,
          "available actions, bookings pinned to the current version: three versions hosted at most 1.1x one"),
      Check.of(WorkflowVersionsBenchmark.class, "availableThreeVersionsSpread", "availableOneVersion", 1.1,
          "available actions, bookings spread over three versions: at most 1.1x one version hosted"),
      Check.of(WorkflowVersionsBenchmark.class, "transitionThreeVersions", "transitionOneVersion", 1.1,
          "one transition, bookings pinned to the current version: three versions hosted at most 1.1x one"),
      Check.of(WorkflowVersionsBenchmark.class, "transitionThreeVersionsSpread", "transitionOneVersion", 1.1,
          "one transition, bookings spread over three versions: at most 1.1x one version hosted"),
      new Check("AppendBenchmark", "ours", Map.of("db", "postgresql"), "raw", Map.of(), 1 / 0.85,
          "append with durable settlement: at least 0.85x raw SQL throughput (the same two INSERTs in one"
              + " transaction)"),
      new Check("AppendBenchmark", "ours", Map.of("db", "mariadb"), "raw", Map.of(), 1 / 0.85,
          "append with durable settlement: at least 0.85x raw SQL throughput (the same two INSERTs in one"
              + " transaction)"),
      new Check("AppendBenchmark", "ours", Map.of("db", "galera"), "raw", Map.of(), 1 / 0.85,
          "append with durable settlement on a three-node Galera cluster: at least 0.85x raw SQL throughput (the"
              + " same two INSERTs in one transaction, certified by the cluster)"),
      new Check("AppendBenchmark", "ours", Map.of("db", "h2"), "raw", Map.of(), Double.NaN, "none"),
      Check.of(AppendBenchmark.class, "raw", "diagnoseSingleInsert", Double.NaN,
          "diagnostic: what the change row and the transaction add to one auto-committed INSERT"),
      Check.of(AppendBenchmark.class, "ours", "diagnoseSingleInsert", Double.NaN,
          "diagnostic: ours against one auto-committed INSERT (the previous target's peer)"),
      new Check("PerformBenchmark", "ours", Map.of("db", "postgresql"), "raw", Map.of(), 1 / 0.85,
          "at least 0.85x raw SELECT + two INSERTs in a transaction, throughput"),
      new Check("PerformBenchmark", "ours", Map.of("db", "mariadb"), "raw", Map.of(), 1 / 0.85,
          "at least 0.85x raw SELECT + two INSERTs in a transaction, throughput"),
      new Check("PerformBenchmark", "ours", Map.of("db", "h2"), "raw", Map.of(), Double.NaN, "none"),
      new Check("ObservationBenchmark", "observed", Map.of("db", "postgresql"), "unobserved", Map.of(), 1.05,
          "observed (the starter's Micrometer observer) at most 1.05x unobserved"),
      Check.of(HistoryBenchmark.class, "ours", "raw", 1 / 0.8, "at least 0.8x raw SELECT throughput"),
      new Check("ScaleBenchmark", "append", Map.of("rows", "1000000"), "append", Map.of("rows", "10000"), 1.5,
          "1M rows at most 1.5x 10k rows"),
      new Check("ScaleBenchmark", "history", Map.of("rows", "1000000"), "history", Map.of("rows", "10000"), 1.5,
          "1M rows at most 1.5x 10k rows"),
      new Check("ScaleBenchmark", "feed", Map.of("rows", "1000000"), "feed", Map.of("rows", "10000"), 1.5,
          "feed read (100 changes after a cursor among the latest 10k): 1M rows at most 1.5x 10k rows"),
      new Check("ScaleBenchmark", "diagnoseFeedAnywhere", Map.of("rows", "1000000"), "diagnoseFeedAnywhere",
          Map.of("rows", "10000"), Double.NaN, "none"),
      new Check("ScaleBenchmark", "append", Map.of("rows", "100000"), "append", Map.of("rows", "10000"),
          Double.NaN, "none"),
      new Check("ScaleBenchmark", "history", Map.of("rows", "100000"), "history", Map.of("rows", "10000"),
          Double.NaN, "none"),
      new Check("ScaleBenchmark", "feed", Map.of("rows", "100000"), "feed", Map.of("rows", "10000"),
          Double.NaN, "none"),
      new Check("WorkerBenchmark", "ours", Map.of("db", "postgresql"), "rawInsert", Map.of(), 1 / 0.5,
          "settlements delivered per second: at least 0.5x raw single-row INSERTs per second"),
      new Check("WorkerBenchmark", "ours", Map.of("db", "mariadb"), "rawInsert", Map.of(), Double.NaN, "none"),
      new Check("WorkerBenchmark", "ours", Map.of("db", "h2"), "rawInsert", Map.of(), Double.NaN, "none"),
      new Check("TimerQueryBenchmark", "dueTimers", Map.of("bookings", "1000000"), "dueTimers",
          Map.of("bookings", "10000"), 1.5, "the expiry sweep's three reads: 1M bookings at most 1.5x 10k bookings"),
      new Check("TimerFiringBenchmark", "ours", Map.of("db", "postgresql"), "rawInsert", Map.of(), 1 / 0.5,
          "expiries taken per second: at least 0.5x raw single-row INSERTs per second"),
      new Check("TimerFiringBenchmark", "ours", Map.of("db", "mariadb"), "rawInsert", Map.of(), Double.NaN, "none"),
      new Check("TimerFiringBenchmark", "ours", Map.of("db", "h2"), "rawInsert", Map.of(), Double.NaN, "none")));

  /** Benchmarks whose ours must allocate nothing, with the target's wording. */
  static final Map<String, String> ZERO_ALLOCATION =
      Map.of(AvailableActionsBenchmark.class.getSimpleName() + ".ours", "0 bytes/op (no guards)");

  /**
   * Printed under a quick pass's tables: its database verdicts come from one fork each, and commit times
   * drift too much between forks for one to decide a target near its bound.
   */
  static final String QUICK_DATABASE_CAVEAT = "The quick pass measures each database benchmark in one fork;"
      + " a commit's flush time moves by about 40% between forks, so a quick database verdict is a hint and"
      + " the full pass's rounds decide (see BENCHMARKS.md, \"The machine and the conditions\").";

  private Report() {}

  /** One measured result, flattened. */
  record Row(String benchmark, String method, Map<String, String> params, int threads, double score,
      double error, String unit, double bytesPerOp) {

    String key() {
      return benchmark + "." + method;
    }

    String paramText() {
      List<String> parts = new ArrayList<>();
      params.forEach((name, value) -> parts.add(name + "=" + value));
      if (threads > 1) {
        parts.add("threads=" + threads);
      }
      return parts.isEmpty() ? "" : String.join(" ", parts);
    }
  }

  static String render(String pass, List<RunResult> results) {
    List<Row> rows = new ArrayList<>();
    for (RunResult result : mergeRounds(results)) {
      rows.add(row(result));
    }
    rows.sort(Comparator.comparing(Row::benchmark).thenComparing(Row::paramText).thenComparing(Row::method));
    StringBuilder out = new StringBuilder();
    out.append("Pass: ").append(pass).append("\n\n");
    out.append("| benchmark | method | params | time/op | bytes/op |\n");
    out.append("|---|---|---|---:|---:|\n");
    for (Row row : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s ± %s %s | %s |%n", row.benchmark(), row.method(),
          row.paramText(), number(row.score()), number(row.error()), row.unit(), bytes(row.bytesPerOp())));
    }
    out.append("\n| benchmark | ours | peer | params | ours/peer time | peer/ours time | target | verdict |\n");
    out.append("|---|---|---|---|---:|---:|---|---|\n");
    for (Check check : CHECKS) {
      for (Row ours : rows) {
        if (!ours.benchmark().equals(check.benchmark()) || !ours.method().equals(check.ours())
            || !ours.params().entrySet().containsAll(check.oursParams().entrySet())) {
          continue;
        }
        Map<String, String> wanted = new TreeMap<>(ours.params());
        wanted.putAll(check.peerParams());
        for (Row peer : rows) {
          if (peer.benchmark().equals(check.benchmark()) && peer.method().equals(check.peer())
              && peer.params().equals(wanted) && peer.threads() == ours.threads()) {
            double ratio = ours.score() / peer.score();
            String verdict = Double.isNaN(check.maxRatio()) ? "-" : ratio <= check.maxRatio() ? "met" : "MISSED";
            String peerName = check.peerParams().isEmpty() ? peer.method()
                : peer.method() + " " + peer.paramText();
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", ours.benchmark(),
                ours.method(), peerName, ours.paramText(), ratio(ratio), ratio(1 / ratio), check.target(), verdict));
          }
        }
      }
    }
    for (Row row : rows) {
      String target = ZERO_ALLOCATION.get(row.key());
      if (target != null) {
        out.append(String.format(Locale.ROOT, "| %s | %s | (allocation) | %s | %s B/op | | %s | %s |%n",
            row.benchmark(), row.method(), row.paramText(), bytes(row.bytesPerOp()), target,
            row.bytesPerOp() < NO_ALLOCATION ? "met" : "MISSED"));
      }
    }
    if (pass.equals("quick")) {
      out.append("\n").append(QUICK_DATABASE_CAVEAT).append("\n");
    }
    return out.toString();
  }

  /** Joins the forks of results measured in separate rounds with the same benchmark, parameters and threads. */
  static List<RunResult> mergeRounds(List<RunResult> results) {
    Map<String, List<RunResult>> byRun = new LinkedHashMap<>();
    for (RunResult result : results) {
      BenchmarkParams params = result.getParams();
      String key = params.getBenchmark() + " " + params.getThreads() + " " + params.getParamsKeys().stream()
          .map(name -> name + "=" + params.getParam(name)).toList();
      byRun.computeIfAbsent(key, k -> new ArrayList<>()).add(result);
    }
    List<RunResult> merged = new ArrayList<>();
    for (List<RunResult> rounds : byRun.values()) {
      List<BenchmarkResult> forks = new ArrayList<>();
      rounds.forEach(round -> forks.addAll(round.getBenchmarkResults()));
      merged.add(rounds.size() == 1 ? rounds.get(0) : new RunResult(rounds.get(0).getParams(), forks));
    }
    return merged;
  }

  private static Row row(RunResult result) {
    String benchmark = result.getParams().getBenchmark();
    int dot = benchmark.lastIndexOf('.');
    String method = benchmark.substring(dot + 1);
    String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
    Map<String, String> params = new LinkedHashMap<>();
    for (Object key : result.getParams().getParamsKeys()) {
      params.put(key.toString(), result.getParams().getParam(key.toString()));
    }
    Result<?> primary = result.getPrimaryResult();
    Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
    return new Row(className, method, new TreeMap<>(params), result.getParams().getThreads(), primary.getScore(),
        primary.getScoreError(), primary.getScoreUnit(), alloc == null ? Double.NaN : alloc.getScore());
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "?";
    }
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.3g", value);
  }

  private static String bytes(double value) {
    return Double.isNaN(value) ? "?" : String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String ratio(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0fx", value);
    }
    if (value >= 0.1) {
      return String.format(Locale.ROOT, "%.2fx", value);
    }
    return String.format(Locale.ROOT, "%.2gx", value);
  }
}
