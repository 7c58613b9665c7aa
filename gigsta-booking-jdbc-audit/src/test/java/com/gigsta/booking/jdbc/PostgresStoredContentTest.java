package com.gigsta.booking.jdbc;

/** Runs the stored-content tests on the PostgreSQL test server, one table per test. */
class PostgresStoredContentTest extends StoredContentTest {

  PostgresStoredContentTest() {
    super(DatabaseExtension.postgresql());
  }

  @Override
  protected String timeNoEntryCanHave() {
    // The driver reads it as LocalDateTime.MAX, nanoseconds and all.
    return "TIMESTAMP 'infinity'";
  }
}
