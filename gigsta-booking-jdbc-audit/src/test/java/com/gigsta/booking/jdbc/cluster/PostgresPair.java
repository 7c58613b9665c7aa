package com.gigsta.booking.jdbc.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL primary and synchronous standby of the project's script {@code .ci/pg-standby}, found
 * through {@code GIGSTA_PG_CLUSTER_URL} (what {@code .ci/pg-standby env} prints) and driven through the
 * script: a fresh pair, SIGKILL of the primary, promotion of the standby. Without the variable, or with
 * the pair unreachable, a test is skipped with a printed reason, or fails when
 * {@code GIGSTA_DB_REQUIRED=true}. Immutable.
 *
 * @param url the JDBC multi-host URL with {@code targetServerType=primary}
 * @param script the script that controls the pair
 */
record PostgresPair(String url, Path script) {

  static final String USER = "postgres";
  static final String PASSWORD = "";

  private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("GIGSTA_DB_REQUIRED"));

  /** Returns the pair, freshly started, or skips (fails when required) the calling test. */
  static PostgresPair freshOrSkip() throws Exception {
    String url = System.getenv("GIGSTA_PG_CLUSTER_URL");
    if (url == null || url.isBlank()) {
      return unavailable("GIGSTA_PG_CLUSTER_URL is not set; run .ci/pg-standby start and "
          + "eval \"$(.ci/pg-standby env)\"");
    }
    Path script = findScript();
    if (script == null) {
      return unavailable("no .ci/pg-standby in " + Path.of("").toAbsolutePath() + " or above it");
    }
    PostgresPair pair = new PostgresPair(url, script);
    String started = pair.run("start");
    if (started != null) {
      return unavailable(".ci/pg-standby start failed: " + started);
    }
    DriverManager.setLoginTimeout(5);
    // The driver remembers for a while which host it last found primary: after a failover in this JVM,
    // the fresh pair's primary is found only once its first attempt has corrected that memory.
    SQLException last = null;
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; ) {
      try (Connection connection = DriverManager.getConnection(url, USER, PASSWORD)) {
        if (connection.isValid(5)) {
          return pair;
        }
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(1_000);
    }
    return unavailable(url + " is unreachable (" + (last == null ? "no valid connection" : last.getMessage()) + ")");
  }

  private static PostgresPair unavailable(String reason) {
    String message = "the PostgreSQL primary and standby are unavailable: " + reason;
    if (REQUIRED) {
      throw new IllegalStateException(message + ", and GIGSTA_DB_REQUIRED=true");
    }
    System.out.println("SKIPPED: " + message + "; set GIGSTA_DB_REQUIRED=true to fail instead");
    Assumptions.abort(message);
    return null;
  }

  // Tests run in the module's directory; the script is at the project's root.
  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve(".ci").resolve("pg-standby");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    return null;
  }

  /** SIGKILLs the primary's postmaster and its children. */
  void killPrimary() throws Exception {
    requireDone("kill-primary");
  }

  /**
   * Stops the standby's WAL receiver (SIGSTOP): the primary's commits reach the standby's socket, and wait
   * for an acknowledgement that does not come.
   */
  void pauseReceiver() throws Exception {
    requireDone("pause-receiver");
  }

  /** Lets the standby's WAL receiver go on (SIGCONT); it reads what reached its socket. */
  void resumeReceiver() throws Exception {
    requireDone("resume-receiver");
  }

  /** Stops the primary's WAL sender (SIGSTOP): the primary's commits wait, never sent to the standby. */
  void pauseSender() throws Exception {
    requireDone("pause-sender");
  }

  /** Promotes the standby; from then on it is the primary the URL finds. */
  void promote() throws Exception {
    requireDone("promote");
  }

  private void requireDone(String command) throws Exception {
    String failure = run(command);
    if (failure != null) {
      throw new IllegalStateException(".ci/pg-standby " + command + " failed: " + failure);
    }
  }

  // Runs the script; returns null when it succeeded, else its exit value and output.
  private String run(String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "no answer within 120 s";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return process.exitValue() == 0 ? null : "exit value " + process.exitValue() + ": " + output;
  }
}
