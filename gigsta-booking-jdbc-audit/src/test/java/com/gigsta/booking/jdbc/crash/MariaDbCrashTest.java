package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The crash test on the MariaDB test server. */
class MariaDbCrashTest extends CrashTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.mariadb();

  @Override
  protected CrashDatabase database(String prefix) {
    return new CrashDatabase(db.url(), db.user(), db.password(), prefix);
  }
}
