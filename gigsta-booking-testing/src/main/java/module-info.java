/**
 * Test suites for implementations of gigsta-booking's ports, starting with
 * {@link com.gigsta.booking.testing.AuditTrailContract}, and a card processor in memory,
 * {@link com.gigsta.booking.testing.FakeProcessor}. Used with scope test; the suites are JUnit
 * Jupiter tests written with AssertJ, and both are required transitively where a subclass sees them.
 */
module com.gigsta.booking.testing {
  requires transitive com.gigsta.booking;
  // A subclass inherits the suite's JUnit annotations and runs it with the implementer's own engine.
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports com.gigsta.booking.testing;
}
