package com.gigsta.booking.jdbc;

/** Runs the stored-content tests on a fresh in-memory H2 database per test. */
class H2StoredContentTest extends StoredContentTest {

  H2StoredContentTest() {
    super(DatabaseExtension.h2());
  }

  @Override
  protected String timeNoEntryCanHave() {
    // The largest year H2 holds: whole microseconds since 1970 no longer fit a long.
    return "TIMESTAMP '+999999999-12-31 23:59:59.999999'";
  }
}
