/**
 * The JDBC audit trail's implementation: SQL (one class per table), the feed's sequencer, row hashing,
 * database detection and schema scripts. Not exported; free to change in any release.
 */
package com.gigsta.booking.jdbc.internal;
