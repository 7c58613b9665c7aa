package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timed transitions swept by workers on two JVMs, killed and replaced, on the MariaDB test server. */
class MariaDbTimerCrashTest extends TimerCrashTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.mariadb();

  @Override
  protected CrashDatabase database(String prefix) {
    return new CrashDatabase(db.url(), db.user(), db.password(), prefix);
  }
}
