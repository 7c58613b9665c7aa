/**
 * JMH benchmarks of gigsta-booking against other state-machine libraries, raw JDBC and a precomputed
 * lookup. Not part of the library's API: run through {@link com.gigsta.booking.benchmarks.Main}, which
 * also prints each result's ratio to its peers and whether the targets in {@code BENCHMARKS.md} were met.
 */
package com.gigsta.booking.benchmarks;
