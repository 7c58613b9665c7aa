-- The GigSta booking audit trail for MariaDB 10.6+ and MySQL 8: one row per recorded change, never
-- updated or deleted. occurred_at and scheduled_start hold UTC wall-clock time at microsecond precision;
-- DATETIME(6), unlike TIMESTAMP, is never shifted by the session's time_zone. The binary collation
-- keeps ids case-sensitive, as they are everywhere else.
CREATE TABLE gigsta_booking_audit (
    booking_id      VARCHAR(128)  NOT NULL,
    sequence        BIGINT        NOT NULL,
    action_name     VARCHAR(64)   NOT NULL,
    actor_role      VARCHAR(16)   NOT NULL,
    actor_id        VARCHAR(128)  NOT NULL,
    customer_id     VARCHAR(128)  NOT NULL,
    gigsta_id       VARCHAR(128)  NOT NULL,
    from_state      VARCHAR(64),
    to_state        VARCHAR(64)   NOT NULL,
    occurred_at     DATETIME(6)   NOT NULL,
    note            VARCHAR(2000) NOT NULL,
    reason          VARCHAR(2000),
    scheduled_start DATETIME(6),
    prev_hash       CHAR(64)      NOT NULL,
    row_hash        CHAR(64)      NOT NULL,
    CONSTRAINT gigsta_booking_audit_pk PRIMARY KEY (booking_id, sequence),
    CONSTRAINT gigsta_booking_audit_sequence_ck CHECK (sequence >= 1)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Serves "bookings whose current state is S and whose last change is older than T": a range scan in
-- occurred_at order, each candidate checked against the primary key for a later row.
CREATE INDEX gigsta_booking_audit_state_ix ON gigsta_booking_audit (to_state, occurred_at, booking_id, sequence);
