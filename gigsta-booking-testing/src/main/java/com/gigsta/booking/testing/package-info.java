/**
 * Test suites every implementation of a port runs, written once: extend
 * {@link com.gigsta.booking.testing.AuditTrailContract} and return your trail from
 * {@link com.gigsta.booking.testing.AuditTrailContract#createTrail(com.gigsta.booking.BookingLimits)}.
 * And a card processor in memory, {@link com.gigsta.booking.testing.FakeProcessor}, whose hooks a test
 * gives the engine to see what happens to each booking's money.
 *
 * <p>A package of its own, outside the core module's packages, so that modular implementations and the
 * core's own tests never split a package with it.
 */
package com.gigsta.booking.testing;
