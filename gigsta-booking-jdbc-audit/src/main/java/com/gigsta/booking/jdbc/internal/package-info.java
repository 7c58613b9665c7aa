/**
 * The JDBC audit trail's implementation: SQL, row hashing, database detection and schema scripts. Not
 * exported; free to change in any release.
 */
package com.gigsta.booking.jdbc.internal;
