package com.gigsta.booking;

/**
 * What one run of {@link BookingEngine#migrateAll(WorkflowMigration, Actor, String)} did. Immutable and
 * thread-safe.
 *
 * @param migrated bookings this run moved to the later version, one migration entry each
 * @param stayed bookings left pinned to the earlier version, because the migration keeps their state
 * @param migratedElsewhere bookings another run, or another instance, moved first
 */
public record MigrationResult(long migrated, long stayed, long migratedElsewhere) {

  /**
   * Returns the counts as one line.
   *
   * @return e.g. {@code 120 migrated, 8 stayed, 3 migrated elsewhere}
   */
  @Override
  public String toString() {
    return migrated + " migrated, " + stayed + " stayed, " + migratedElsewhere + " migrated elsewhere";
  }
}
