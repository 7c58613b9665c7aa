package com.gigsta.booking.jdbc.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started from this JVM's {@code java} with the test class path, its standard output read
 * line by line on a thread of its own, its standard error appended to a log file.
 */
public final class ChildJvm implements AutoCloseable {

  /** The exit value Java reports for a process ended by SIGKILL (signal 9): 128 + 9. */
  static final int KILLED_BY_SIGKILL = 137;

  private static final String END = "\u0000end";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path log;
  private volatile long turn = System.nanoTime();

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("READ FAILED " + e);
      } finally {
        lines.add(END);
      }
    }, "child-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with the arguments; its standard error is appended to {@code log}. */
  public static ChildJvm start(Class<?> main, List<String> arguments, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    // Surefire may start the test JVM from a manifest-only jar; its own property names the real class path.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData", "-Xmx256m",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.org.mariadb.jdbc=error",
        "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=error",
        main.getName()));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new ChildJvm(process, log);
  }

  /** Notes that the child was given its turn now. */
  void markTurn() {
    turn = System.nanoTime();
  }

  /** Returns the milliseconds since the child was given its turn, or else since it was started. */
  long millisSinceTurn() {
    return (System.nanoTime() - turn) / 1_000_000;
  }

  public long pid() {
    return process.pid();
  }

  /** Returns the next line, or null once the child closed its output; fails after {@code seconds}. */
  public String nextLine(long seconds) throws InterruptedException {
    String line = lines.poll(seconds, TimeUnit.SECONDS);
    if (line == null) {
      process.destroyForcibly();
      throw new IllegalStateException("child " + process.pid() + " said nothing for " + seconds + " s; see " + log);
    }
    return line.equals(END) ? null : line;
  }

  /** Writes one line to the child's standard input. */
  public void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Closes the child's standard input, telling it that no more commands come. */
  public void closeInput() throws IOException {
    process.getOutputStream().close();
  }

  /** Sends SIGKILL (what {@link Process#destroyForcibly()} does on Linux) and returns the exit value. */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("child " + process.pid() + " outlived SIGKILL by 30 s");
    }
    return process.exitValue();
  }

  /** Waits for the child to exit by itself and returns its exit value. */
  public int exitValue(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("child " + process.pid() + " did not exit within " + seconds + " s; see " + log);
    }
    return process.exitValue();
  }

  Path log() {
    return log;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
