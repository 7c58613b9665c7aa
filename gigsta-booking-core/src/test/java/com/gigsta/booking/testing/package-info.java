/**
 * Test suites published in the core's test-jar for implementations of the ports, starting with
 * {@link com.gigsta.booking.testing.AuditTrailContract}. In a package of its own, outside the core module's
 * packages, so that modular implementations can compile against it.
 */
package com.gigsta.booking.testing;
