-- The GigSta booking change feed and deliveries for MariaDB 10.6+ and MySQL 8, beside the audit table of
-- V1. Audit rows stay as they are: never updated or deleted. Every name here is the audit table's name
-- plus a suffix. Times are DATETIME(6) holding UTC, and ids use the binary collation, as in V1.

-- One row per audit row, inserted in the same transaction: what the change owes the payment provider and
-- its place in the feed, given once the change is committed and the feed is next read (NULL until then).
CREATE TABLE gigsta_booking_audit_change (
    booking_id     VARCHAR(128) NOT NULL,
    sequence       BIGINT       NOT NULL,
    payment_moment VARCHAR(16)  NOT NULL,
    feed_position  BIGINT,
    CONSTRAINT gigsta_booking_audit_change_pk PRIMARY KEY (booking_id, sequence)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Serves both the changes still to be placed (feed_position IS NULL) and reads of the feed in order.
CREATE INDEX gigsta_booking_audit_change_feed_ix ON gigsta_booking_audit_change (feed_position, booking_id, sequence);

-- The last feed position given. Positions are given under a lock on this one row, so they are never
-- given twice, and never given to a change after a reader has read past them.
CREATE TABLE gigsta_booking_audit_feed_head (
    id            INT    NOT NULL,
    feed_position BIGINT NOT NULL,
    CONSTRAINT gigsta_booking_audit_feed_head_pk PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

INSERT INTO gigsta_booking_audit_feed_head (id, feed_position) VALUES (1, 0);

-- The durable consumers each owed one delivery per change entering the feed; the built-in settlement
-- consumer only of the changes that owe a release, refund or capture. registered_at is UTC.
CREATE TABLE gigsta_booking_audit_consumer (
    consumer         VARCHAR(64)  NOT NULL,
    settlements_only BOOLEAN      NOT NULL,
    registered_at    DATETIME(6)  NOT NULL,
    CONSTRAINT gigsta_booking_audit_consumer_pk PRIMARY KEY (consumer)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

INSERT INTO gigsta_booking_audit_consumer (consumer, settlements_only, registered_at)
    VALUES ('settlement', TRUE, UTC_TIMESTAMP(6));

-- One row per consumer and change owed to it: PENDING until done, DEAD after its last failed attempt.
-- due_at (UTC) is when it may be claimed: a claim leases it by moving due_at forward.
CREATE TABLE gigsta_booking_audit_delivery (
    consumer        VARCHAR(64)   NOT NULL,
    feed_position   BIGINT        NOT NULL,
    booking_id      VARCHAR(128)  NOT NULL,
    sequence        BIGINT        NOT NULL,
    status          VARCHAR(8)    NOT NULL,
    failed_attempts INT           NOT NULL,
    due_at          DATETIME(6)   NOT NULL,
    last_error      VARCHAR(2000),
    CONSTRAINT gigsta_booking_audit_delivery_pk PRIMARY KEY (consumer, feed_position),
    CONSTRAINT gigsta_booking_audit_delivery_ck CHECK (status IN ('PENDING', 'DONE', 'DEAD'))
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Serves claims of due deliveries in feed order (a claim stops after the rows it takes) and the dead
-- letters of one consumer.
CREATE INDEX gigsta_booking_audit_delivery_ix ON gigsta_booking_audit_delivery (consumer, status, feed_position, due_at);

-- Payments about to be secured for a change: recorded before the provider is called, deleted by the
-- change's append in the same transaction. A hold still HELD long after recorded_at (UTC) belongs to a
-- change never recorded; the settlement worker marks it ABANDONED, which no append can claim, releases
-- its payment and deletes it.
CREATE TABLE gigsta_booking_audit_hold (
    booking_id  VARCHAR(128) NOT NULL,
    sequence    BIGINT       NOT NULL,
    action_name VARCHAR(64)  NOT NULL,
    customer_id VARCHAR(128) NOT NULL,
    gigsta_id   VARCHAR(128) NOT NULL,
    status      VARCHAR(10)  NOT NULL,
    recorded_at DATETIME(6) NOT NULL,
    CONSTRAINT gigsta_booking_audit_hold_pk PRIMARY KEY (booking_id, sequence, action_name),
    CONSTRAINT gigsta_booking_audit_hold_ck CHECK (status IN ('HELD', 'ABANDONED'))
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
