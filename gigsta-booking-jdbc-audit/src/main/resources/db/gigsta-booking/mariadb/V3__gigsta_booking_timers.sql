-- The GigSta booking timers for MariaDB 10.6+ and MySQL 8, beside the tables of V1 and V2. Audit rows
-- stay as they are: never updated or deleted. Timed rules and reminders fall due from times the audit
-- rows already hold, so all this adds is two indexes on the audit table and one small table. Every name
-- here is the audit table's name plus a suffix. Times are DATETIME(6) holding UTC, and names use the
-- binary collation, as in V1.

-- Serves timers that count from the scheduled start: the bookings whose latest row entered state S with
-- a scheduled start in a range, in scheduled_start order, each checked against the primary key for a
-- later row. Rows without a scheduled start are never read.
CREATE INDEX gigsta_booking_audit_scheduled_ix ON gigsta_booking_audit (to_state, scheduled_start, booking_id, sequence);

-- Serves timers that count from the booking's creation: the first rows (sequence 1) in occurred_at
-- order, each joined to its booking's latest row through the primary key.
CREATE INDEX gigsta_booking_audit_created_ix ON gigsta_booking_audit (sequence, occurred_at, booking_id);

-- How far each timer (a timed rule or a reminder of one state, named by a digest of its definition) was
-- swept: swept_to (UTC) only ever moves forward.
CREATE TABLE gigsta_booking_audit_timer_sweep (
    timer    VARCHAR(64)  NOT NULL,
    swept_to DATETIME(6)  NOT NULL,
    CONSTRAINT gigsta_booking_audit_timer_sweep_pk PRIMARY KEY (timer)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
