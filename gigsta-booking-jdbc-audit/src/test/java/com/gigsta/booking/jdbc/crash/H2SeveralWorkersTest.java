package com.gigsta.booking.jdbc.crash;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several workers on two JVMs over one trail in an H2 file database opened with AUTO_SERVER: the test's
 * JVM opens it first and serves it, and the two children reach it over TCP.
 */
class H2SeveralWorkersTest extends SeveralWorkersTest {

  @TempDir
  Path folder;

  @Override
  protected CrashDatabase database(String prefix) {
    return new CrashDatabase("jdbc:h2:file:" + folder.resolve("workers").toAbsolutePath() + ";AUTO_SERVER=TRUE",
        "sa", "", prefix);
  }
}
