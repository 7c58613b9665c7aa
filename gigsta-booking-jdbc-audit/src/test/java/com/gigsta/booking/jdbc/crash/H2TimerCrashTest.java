package com.gigsta.booking.jdbc.crash;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timed transitions swept by workers on two JVMs, killed and replaced, on an H2 file database in a
 * temporary folder. The test JVM serves the file over H2's TCP server so that the child JVMs can open it at
 * once; killing a child ends one client, never the database.
 */
class H2TimerCrashTest extends TimerCrashTest {

  @TempDir
  Path folder;

  private Server server;

  @Override
  protected CrashDatabase database(String prefix) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir",
        folder.toAbsolutePath().toString()).start();
    return new CrashDatabase("jdbc:h2:tcp://localhost:" + server.getPort() + "/timers;WRITE_DELAY=0", "sa", "",
        prefix);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }
}
