package com.gigsta.booking.jdbc.internal;

import com.gigsta.booking.AuditEntry;

/**
 * One row of the audit table: the entry and the two hashes that chain it to its predecessor. Immutable.
 *
 * @param entry the entry the row holds
 * @param prevHash the previous row's hash as stored in this row
 * @param rowHash this row's hash as stored
 */
public record StoredRow(AuditEntry entry, String prevHash, String rowHash) {}
