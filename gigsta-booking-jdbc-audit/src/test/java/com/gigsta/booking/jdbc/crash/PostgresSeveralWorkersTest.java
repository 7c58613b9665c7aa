package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.jdbc.DatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several workers on two JVMs over one trail on the PostgreSQL test server. */
class PostgresSeveralWorkersTest extends SeveralWorkersTest {

  @RegisterExtension
  final DatabaseExtension db = DatabaseExtension.postgresql();

  @Override
  protected CrashDatabase database(String prefix) {
    return new CrashDatabase(db.url(), db.user(), db.password(), prefix);
  }
}
