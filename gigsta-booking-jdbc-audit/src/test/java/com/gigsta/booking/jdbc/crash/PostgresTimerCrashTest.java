package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Timed transitions swept by workers on two JVMs, killed and replaced, on the PostgreSQL test server. */
class PostgresTimerCrashTest extends TimerCrashTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.postgresql();

  @Override
  protected CrashDatabase database(String prefix) {
    return new CrashDatabase(db.url(), db.user(), db.password(), prefix);
  }
}
