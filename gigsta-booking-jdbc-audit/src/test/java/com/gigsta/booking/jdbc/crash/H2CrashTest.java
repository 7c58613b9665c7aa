package com.gigsta.booking.jdbc.crash;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test on an embedded H2 file database in a temporary folder, opened by one child at a time.
 * WRITE_DELAY=0 makes H2 write every commit to the file before the commit returns; with H2's default
 * delay (500 ms) a process killed soon after a commit loses it, the file keeping an earlier, consistent
 * state. {@code -Dgigsta.crash.h2.settings} replaces {@code ;WRITE_DELAY=0}, e.g. with an empty value to
 * see that.
 */
class H2CrashTest extends CrashTest {

  @TempDir
  Path folder;

  @Override
  protected CrashDatabase database(String prefix) {
    String settings = System.getProperty("gigsta.crash.h2.settings", ";WRITE_DELAY=0");
    return new CrashDatabase("jdbc:h2:file:" + folder.resolve("crash").toAbsolutePath() + settings, "sa", "", prefix);
  }
}
