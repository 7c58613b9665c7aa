package com.gigsta.booking.benchmarks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark groups with the quick or the full settings and prints each result's ratio to its
 * peers and whether its target was met. Not thread-safe; a command-line program.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar quick            # every group, short iterations, one fork
 * java -jar benchmarks/target/benchmarks.jar full             # every group, longer iterations, more forks
 * java -jar benchmarks/target/benchmarks.jar quick available transition --prof=stack
 * java -jar benchmarks/target/benchmarks.jar full perform --dbs=postgresql,mariadb
 * </pre>
 *
 * <p>Arguments after the pass name choose groups ({@link Group}); {@code --dbs=h2,postgresql,mariadb}
 * chooses the databases of the database groups, {@code --rows=10000,1000000} the table sizes of the scale
 * group, {@code --bookings=10000,1000000} those of the timers group's reads, and each
 * {@code --prof=NAME[:OPTIONS]} adds a JMH profiler to the GC profiler that always runs. Every run also
 * writes JMH's JSON result and the ratio table next to the jar.
 */
public final class Main {

  /**
   * How long to measure. The database groups' warm-up is one long iteration (two at 8 threads in the
   * full pass, see {@link Timing}): ours goes through the engine, the trail, JDBC and SHA-256, and needs
   * about 5 s to settle where the raw INSERT needs 1 s; with 2 x 1 s, the quick pass measured ours'
   * warm-up and reported it at half the raw throughput. The history settles in about 3 s. The quick pass
   * measures 3 x 0.7 s, to keep its forks to a few minutes with three samples per fork. In the full
   * pass the database groups' forks are rounds (see {@link #main}); the append group, whose ratios swing
   * most between rounds, gets five, the perform, history and worker groups three. The worker's warm-up
   * needs its owed settlements loaded before it, a few seconds per 5 s of warm-up, so the quick pass
   * warms it up for 3 s only; the full pass for 5 s as the others. The timers group's reads are timed as
   * the scale group, its sweeps that fire as the worker group.
   *
   * <p>The large-trail transition runs many short iterations: its trail keeps every booking it adds,
   * hundreds of thousands a second, so each iteration starts on a trail refilled to exactly 1M bookings
   * (see {@link TransitionBenchmark.LargeTrail}), and 0.3 s keeps it well under 1.5M, where its hash table
   * would double in size in the middle of a measurement. Each refill and the collection after it take
   * longer than the iteration.
   */
  enum Pass {
    QUICK(new Timing(1, 2, 2, 2000, 3, 700), new Timing(1, 4, 4, 300, 4, 300), new Timing(1, 1, 1, 5000, 3, 700),
        new Timing(1, 1, 1, 5000, 3, 700), new Timing(1, 1, 1, 3000, 3, 700), new Timing(1, 1, 1, 2000, 3, 700),
        new Timing(1, 1, 1, 3000, 3, 700)),
    FULL(new Timing(3, 4, 4, 2000, 4, 2000), new Timing(3, 6, 6, 300, 8, 300), new Timing(5, 1, 2, 5000, 3, 2000),
        new Timing(3, 1, 2, 5000, 3, 2000), new Timing(3, 1, 1, 5000, 3, 2000), new Timing(1, 3, 3, 2000, 5, 2000),
        new Timing(3, 1, 1, 5000, 3, 2000));

    final Timing memory;
    final Timing largeTrail;
    final Timing append;
    final Timing perform;
    final Timing history;
    final Timing scale;
    final Timing worker;

    Pass(Timing memory, Timing largeTrail, Timing append, Timing perform, Timing history, Timing scale,
        Timing worker) {
      this.memory = memory;
      this.largeTrail = largeTrail;
      this.append = append;
      this.perform = perform;
      this.history = history;
      this.scale = scale;
      this.worker = worker;
    }

    Timing of(Group group) {
      return switch (group) {
        case AVAILABLE, TRANSITION, VERSIONS -> memory;
        case LARGE_TRAIL -> largeTrail;
        case APPEND -> append;
        case PERFORM, OBSERVATION -> perform;
        case HISTORY -> history;
        case SCALE, TIMER_READS -> scale;
        case WORKER, TIMER_SWEEPS -> worker;
      };
    }
  }

  /**
   * Forks, warm-up iterations with one thread and with several, their length, measured iterations and
   * their length, in milliseconds. With 8 threads the database's backends keep both cores busy and the JIT
   * compiles more slowly, so ours and the raw INSERT each need 10–15 s to settle.
   */
  record Timing(int forks, int warmups, int threadedWarmups, int warmupMillis, int iterations,
      int iterationMillis) {}

  /**
   * A group of benchmarks that run together and are compared with each other: a benchmark class, or one
   * method of it that needs settings of its own (the class's group then leaves it out), with the name that
   * chooses it on the command line (several groups may share one) and the heap and the fixed young
   * generation each fork gets. The young generation is fixed because the first pass through fresh heap
   * memory takes a page fault per 4 KB (about 2 s per GB on a 2-core virtual machine): when G1 grew the
   * young generation during a run, the allocating benchmarks slowed up to tenfold for whole iterations. A
   * fixed young generation is faulted in once, in the first second of warm-up, and then reused;
   * pre-touching the whole heap instead did the same but cost 4 s per fork.
   */
  enum Group {
    /** The available actions. */
    AVAILABLE(AvailableActionsBenchmark.class, null, "2g", "512m"),
    /** The available actions and one transition in memory, with one workflow version hosted and with three. */
    VERSIONS(WorkflowVersionsBenchmark.class, null, "2g", "512m"),
    /** One transition in memory, on a trail that never holds more than a few thousand bookings. */
    TRANSITION(TransitionBenchmark.class, null, "2g", "512m"),
    /** One transition in memory with 1M bookings in the trail. */
    LARGE_TRAIL(TransitionBenchmark.class, "oursOnMillionBookingTrail", "2g", "512m"),
    /** The append of one transition to the database. */
    APPEND(AppendBenchmark.class, null, "512m", "128m"),
    /** One change by booking id and expected version on the database, the read of the booking included. */
    PERFORM(PerformBenchmark.class, null, "512m", "128m"),
    /** One change as in the perform group, with the Spring Boot starter's observer on and off. */
    OBSERVATION(ObservationBenchmark.class, null, "512m", "128m"),
    /** The history of a booking with 20 entries. */
    HISTORY(HistoryBenchmark.class, null, "512m", "128m"),
    /** Append, history and the change feed's read as the tables grow. */
    SCALE(ScaleBenchmark.class, null, "512m", "128m"),
    /** The settlement worker's deliveries. */
    WORKER(WorkerBenchmark.class, null, "512m", "128m"),
    /** The reads of a sweep of the expiry timer as the tables grow; chosen as {@code timers}. */
    TIMER_READS(TimerQueryBenchmark.class, null, "timers", "512m", "128m"),
    /** The expiries a sweep takes; chosen as {@code timers}. */
    TIMER_SWEEPS(TimerFiringBenchmark.class, null, "timers", "512m", "128m");

    final Class<?> benchmark;
    // The one method this group runs, or null for every method its class has that no other group runs.
    final String method;
    final String command;
    final String heap;
    final String youngGeneration;

    Group(Class<?> benchmark, String method, String heap, String youngGeneration) {
      this(benchmark, method, null, heap, youngGeneration);
    }

    Group(Class<?> benchmark, String method, String command, String heap, String youngGeneration) {
      this.benchmark = benchmark;
      this.method = method;
      this.command = command == null ? name().toLowerCase(Locale.ROOT) : command;
      this.heap = heap;
      this.youngGeneration = youngGeneration;
    }
  }

  private Main() {}

  /**
   * Runs the chosen pass and groups.
   *
   * @param args {@code quick|full} then optional group names and options; see the class comment
   */
  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length == 0 || !(args[0].equals("quick") || args[0].equals("full"))) {
      System.err.println("usage: java -jar benchmarks.jar quick|full"
          + " [available|transition|large_trail|versions|append|perform|observation|history|scale|worker|timers ...]"
          + " [--dbs=h2,postgresql,mariadb] [--rows=10000,100000,1000000] [--bookings=10000,1000000]"
          + " [--prof=NAME[:OPTIONS]]");
      System.exit(2);
    }
    Pass pass = Pass.valueOf(args[0].toUpperCase(Locale.ROOT));
    List<Group> groups = new ArrayList<>();
    List<String> profilers = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : Arrays.asList(args).subList(1, args.length)) {
      if (arg.startsWith("--prof=")) {
        profilers.add(arg.substring("--prof=".length()));
      } else if (arg.startsWith("--") && arg.contains("=")) {
        settings.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        String command = arg.toLowerCase(Locale.ROOT);
        List<Group> named = Arrays.stream(Group.values()).filter(group -> group.command.equals(command)).toList();
        if (named.isEmpty()) {
          throw new IllegalArgumentException("no group is named " + arg);
        }
        groups.addAll(named);
      }
    }
    if (groups.isEmpty()) {
      groups.addAll(Arrays.asList(Group.values()));
    }

    Path out = outputDirectory();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    List<RunResult> results = new ArrayList<>();
    for (Group group : groups) {
      Timing timing = pass.of(group);
      // A commit's flush time drifts over minutes, and JMH runs every fork of one method before the next
      // method's, so ours and the raw peer would see different disks. The database groups therefore run
      // one fork per round, one database per run, so each round measures ours and its peer back to back;
      // Report merges the rounds' forks as if JMH had run them together. Diagnostics, which have no
      // target, run in the first round only. The versions group runs in rounds too: its targets are ratios
      // within 10% between methods of separate forks, and in rounds whatever else the machine does over
      // minutes reaches both sides of each ratio alike.
      boolean inRounds = group == Group.APPEND || group == Group.PERFORM || group == Group.OBSERVATION
          || group == Group.HISTORY
          || group == Group.WORKER || group == Group.TIMER_SWEEPS || group == Group.VERSIONS;
      int rounds = inRounds ? timing.forks() : 1;
      for (Options run : runsOf(group, pass, settings)) {
        for (int round = 1; round <= rounds; round++) {
          String name = "jmh-" + pass.name().toLowerCase(Locale.ROOT) + "-" + stamp + "-"
              + group.name().toLowerCase(Locale.ROOT) + run.suffix + (inRounds ? "-round" + round : "") + ".json";
          results.addAll(runJmh(group, pass, timing, inRounds ? 1 : timing.forks(), run, round == 1, profilers,
              out.resolve(name)));
        }
      }
    }

    String table = Report.render(pass.name().toLowerCase(Locale.ROOT), results);
    System.out.println();
    System.out.println(table);
    Path report = out.resolve("results-" + pass.name().toLowerCase(Locale.ROOT) + "-" + stamp + ".md");
    Files.writeString(report, table);
    System.out.println("Ratio table written to " + report);
  }

  private static Collection<RunResult> runJmh(Group group, Pass pass, Timing timing, int forks, Options run,
      boolean diagnostics, List<String> profilers, Path result) throws RunnerException {
    String methods = Pattern.quote(group.benchmark.getName()) + "\\.";
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(methods + (group.method == null ? "" : Pattern.quote(group.method) + "$"))
        .forks(forks)
        .warmupIterations(run.threads > 1 ? timing.threadedWarmups() : timing.warmups())
        .warmupTime(TimeValue.milliseconds(timing.warmupMillis()))
        .measurementIterations(timing.iterations())
        .measurementTime(TimeValue.milliseconds(timing.iterationMillis()))
        .threads(run.threads)
        .jvmArgsAppend("-Xms" + group.heap, "-Xmx" + group.heap, "-Xmn" + group.youngGeneration)
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .result(result.toString())
        .resultFormat(ResultFormatType.JSON);
    run.params.forEach((name, values) -> options.param(name, values));
    if (pass == Pass.QUICK || !diagnostics) {
      options.exclude("\\.diagnose\\w*$");
    }
    if (group.method == null) {
      for (Group other : Group.values()) {
        if (other.benchmark == group.benchmark && other.method != null) {
          options.exclude(methods + Pattern.quote(other.method) + "$");
        }
      }
    }
    for (String profiler : profilers) {
      int colon = profiler.indexOf(':');
      if (colon < 0) {
        options.addProfiler(profiler);
      } else {
        options.addProfiler(profiler.substring(0, colon), profiler.substring(colon + 1));
      }
    }
    return new Runner(options.build()).run();
  }

  /** One JMH run of a group: a thread count and parameter values. */
  record Options(int threads, Map<String, String[]> params, String suffix) {}

  private static List<Options> runsOf(Group group, Pass pass, Map<String, String> settings) {
    // The quick pass runs the databases with targets only, and the smallest and largest table sizes.
    String[] dbs = settings.getOrDefault("dbs", pass == Pass.QUICK ? "postgresql,mariadb" : "h2,postgresql,mariadb")
        .split(",");
    String[] scaleDbs = settings.getOrDefault("dbs", pass == Pass.QUICK ? "postgresql" : "h2,postgresql,mariadb")
        .split(",");
    // The perform group's target is set on PostgreSQL, so it runs there unless told otherwise; and at 1
    // thread only in the quick pass, to keep that pass short.
    String[] performDbs = settings.getOrDefault("dbs", "postgresql").split(",");
    // So is the worker group's, on one thread: one worker's throughput.
    String[] workerDbs = performDbs;
    int[] performThreads = pass == Pass.QUICK ? new int[] {1} : new int[] {1, 8};
    String[] rows = settings.getOrDefault("rows", pass == Pass.QUICK ? "10000,1000000" : "10000,100000,1000000")
        .split(",");
    // The timers group's reads compare 1M bookings with 10k, on PostgreSQL in the quick pass and on every
    // database in the full pass, as the scale group; its sweeps' target is set on PostgreSQL, and the full
    // pass reports the other two as well.
    String[] timerDbs = scaleDbs;
    String[] sweepDbs = settings.getOrDefault("dbs", pass == Pass.QUICK ? "postgresql" : "postgresql,mariadb,h2")
        .split(",");
    String[] bookings = settings.getOrDefault("bookings", "10000,1000000").split(",");
    return switch (group) {
      case AVAILABLE, TRANSITION, LARGE_TRAIL, VERSIONS -> List.of(new Options(1, Map.of(), ""));
      case APPEND -> Arrays.stream(dbs).flatMap(db -> Stream.of(
          new Options(1, Map.of("db", new String[] {db}), "-" + db + "-1thread"),
          new Options(8, Map.of("db", new String[] {db}), "-" + db + "-8threads"))).toList();
      case PERFORM, OBSERVATION -> Arrays.stream(performDbs).flatMap(db -> Arrays.stream(performThreads)
          .mapToObj(threads -> new Options(threads, Map.of("db", new String[] {db}), "-" + db + "-" + threads + "thread"
              + (threads > 1 ? "s" : "")))).toList();
      case HISTORY -> Arrays.stream(dbs).map(db -> new Options(1, Map.of("db", new String[] {db}), "-" + db)).toList();
      case SCALE -> List.of(new Options(1, Map.of("db", scaleDbs, "rows", rows), ""));
      case WORKER -> Arrays.stream(workerDbs).map(db -> new Options(1, Map.of("db", new String[] {db}), "-" + db)).toList();
      case TIMER_READS -> List.of(new Options(1, Map.of("db", timerDbs, "bookings", bookings), ""));
      case TIMER_SWEEPS -> Arrays.stream(sweepDbs).map(db -> new Options(1, Map.of("db", new String[] {db}), "-" + db))
          .toList();
    };
  }

  private static Path outputDirectory() throws IOException {
    Path jar;
    try {
      jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot tell where the benchmark jar is", e);
    }
    Path dir = (Files.isDirectory(jar) ? jar : jar.getParent()).resolve("results");
    return Files.createDirectories(dir);
  }
}
