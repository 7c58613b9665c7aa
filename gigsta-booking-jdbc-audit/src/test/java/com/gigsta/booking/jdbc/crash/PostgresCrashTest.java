package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The crash test on the PostgreSQL test server. */
class PostgresCrashTest extends CrashTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.postgresql();

  @Override
  protected CrashDatabase database(String prefix) {
    return new CrashDatabase(db.url(), db.user(), db.password(), prefix);
  }
}
