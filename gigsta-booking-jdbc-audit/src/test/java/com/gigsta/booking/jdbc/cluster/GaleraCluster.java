package com.gigsta.booking.jdbc.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The three-node MariaDB Galera cluster the project's script {@code .ci/galera} starts: its nodes' JDBC URLs,
 * pools on them, and the script's {@code kill-node} and {@code start-node}. It can also hold a node back:
 * desynced and under a global read lock, the node applies no write set from the others until let go, but
 * still answers reads, so a test sees what a node that has not caught up answers.
 *
 * <p>Found through {@code GIGSTA_GALERA_URLS} (comma-separated, node 1 first), {@code GIGSTA_GALERA_USER},
 * {@code GIGSTA_GALERA_PASSWORD} and {@code GIGSTA_GALERA_SCRIPT}, defaulting to what {@code .ci/galera env}
 * prints. An unreachable cluster skips the test with a printed reason, or fails it when
 * {@code GIGSTA_DB_REQUIRED=true}, as the other database tests do.
 */
final class GaleraCluster {

  private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("GIGSTA_DB_REQUIRED"));

  final List<String> urls;
  final String user;
  final String password;
  private final Path script;

  private GaleraCluster(List<String> urls, String user, String password, Path script) {
    this.urls = urls;
    this.user = user;
    this.password = password;
    this.script = script;
  }

  /** Returns the cluster, or aborts (fails, when required) the calling test if a node is unreachable. */
  static GaleraCluster require() {
    String urls = env("GIGSTA_GALERA_URLS", "jdbc:mariadb://127.0.0.1:3311/test,jdbc:mariadb://127.0.0.1:3312/test,"
        + "jdbc:mariadb://127.0.0.1:3313/test");
    GaleraCluster cluster = new GaleraCluster(Arrays.stream(urls.split(",")).map(String::trim).toList(),
        env("GIGSTA_GALERA_USER", "root"), env("GIGSTA_GALERA_PASSWORD", ""),
        Path.of(env("GIGSTA_GALERA_SCRIPT", Path.of("..", ".ci", "galera").toString())));
    String problem = cluster.problem();
    if (problem != null) {
      String message = "the Galera cluster at " + urls + " is not usable (" + problem + "); start it with "
          + ".ci/galera start";
      if (REQUIRED) {
        throw new IllegalStateException(message + " and GIGSTA_DB_REQUIRED=true");
      }
      System.out.println("SKIPPED: " + message + "; set GIGSTA_DB_REQUIRED=true to fail instead");
      Assumptions.abort(message);
    }
    return cluster;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  // Null when every node is reachable, a Galera node and Synced.
  private String problem() {
    if (urls.size() != 3) {
      return "expected 3 node URLs but got " + urls.size();
    }
    DriverManager.setLoginTimeout(5);
    for (String url : urls) {
      try (Connection connection = DriverManager.getConnection(url, user, password);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SHOW STATUS LIKE 'wsrep_local_state_comment'")) {
        String state = rows.next() ? rows.getString(2) : "no wsrep status";
        if (!state.equals("Synced")) {
          return url + " is " + state;
        }
      } catch (SQLException e) {
        return url + ": " + e.getMessage();
      }
    }
    return null;
  }

  /** Returns node n's URL, 1 to 3. */
  String url(int node) {
    return urls.get(node - 1);
  }

  /**
   * Returns a URL for node n that fails over to the other nodes in order, as a service instance that
   * writes to one node and moves when it dies would use.
   */
  String failoverUrl(int node) {
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      String url = urls.get((node - 1 + i) % urls.size());
      String rest = url.substring("jdbc:mariadb://".length());
      hosts.add(rest.substring(0, rest.indexOf('/')));
    }
    String first = url(node);
    String path = first.substring(first.indexOf('/', "jdbc:mariadb://".length()));
    return "jdbc:mariadb:sequential://" + String.join(",", hosts) + path;
  }

  /** Returns a pool on the URL; the caller closes it. */
  HikariDataSource pool(String url, int size, boolean autoCommit) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setAutoCommit(autoCommit);
    config.setConnectionTimeout(30_000);
    config.setPoolName("galera");
    return new HikariDataSource(config);
  }

  /** Runs statements on node n. */
  void execute(int node, String... sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url(node), user, password);
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }

  /** Drops the tables on node 1; DDL runs on every node at once. */
  void drop(List<String> tables) throws SQLException {
    List<String> drops = tables.stream().map(table -> "DROP TABLE IF EXISTS " + table).toList();
    execute(1, drops.toArray(String[]::new));
  }

  /**
   * Holds node n back until the returned handle is closed: it stops applying the others' write sets but
   * answers reads with what it has. A causal read on it waits until it is let go.
   */
  HeldBack holdBack(int node) throws SQLException {
    Connection connection = DriverManager.getConnection(url(node), user, password);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET GLOBAL wsrep_desync = ON");
      statement.execute("FLUSH TABLES WITH READ LOCK");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return new HeldBack(connection);
  }

  /** A node held back; closing lets it go and waits until it has caught up. */
  static final class HeldBack implements AutoCloseable {
    private final Connection connection;
    private boolean closed;

    private HeldBack(Connection connection) {
      this.connection = connection;
    }

    @Override
    public synchronized void close() throws SQLException {
      if (closed) {
        return;
      }
      closed = true;
      try (Statement statement = connection.createStatement()) {
        statement.execute("UNLOCK TABLES");
        statement.execute("SET GLOBAL wsrep_desync = OFF");
        // Returns once the node has applied everything certified so far.
        statement.execute("SET SESSION wsrep_sync_wait = 1");
        statement.executeQuery("SELECT 1").close();
      } finally {
        connection.close();
      }
    }
  }

  /** Kills node n with SIGKILL through the project's script. */
  void killNode(int node) throws IOException, InterruptedException {
    run("kill-node", Integer.toString(node));
  }

  /** Starts node n again through the project's script, which returns once it is Synced. */
  void startNode(int node) throws IOException, InterruptedException {
    run("start-node", Integer.toString(node));
  }

  private void run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(script.toAbsolutePath().toString()));
    command.addAll(List.of(arguments));
    Path log = Files.createTempFile("galera-script", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within 120 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(command + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
