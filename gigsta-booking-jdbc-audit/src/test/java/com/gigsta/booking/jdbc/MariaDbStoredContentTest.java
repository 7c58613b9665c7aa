package com.gigsta.booking.jdbc;

/** Runs the stored-content tests on the MariaDB test server, one table per test. */
class MariaDbStoredContentTest extends StoredContentTest {

  MariaDbStoredContentTest() {
    super(DatabaseExtension.mariadb());
  }

  @Override
  protected String timeNoEntryCanHave() {
    // The zero date, which the default SQL mode lets into a NOT NULL column and the driver reads as null.
    return "'0000-00-00 00:00:00'";
  }
}
