package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several workers on two JVMs over one trail on the MariaDB test server. */
class MariaDbSeveralWorkersTest extends SeveralWorkersTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.mariadb();

  @Override
  protected CrashDatabase database(String prefix) {
    return new CrashDatabase(db.url(), db.user(), db.password(), prefix);
  }
}
