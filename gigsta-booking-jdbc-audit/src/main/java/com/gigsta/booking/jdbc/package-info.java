/**
 * The JDBC audit trail: {@link com.gigsta.booking.jdbc.JdbcAuditTrail}, its chain check
 * {@link com.gigsta.booking.jdbc.ChainVerification} and its storage failure
 * {@link com.gigsta.booking.jdbc.JdbcAuditTrailException}. Public API, stable within a major version.
 */
package com.gigsta.booking.jdbc;
