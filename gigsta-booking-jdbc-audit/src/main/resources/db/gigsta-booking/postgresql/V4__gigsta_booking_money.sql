-- The GigSta booking money and payment attempts for PostgreSQL 12+, beside the tables of V1 to V3. Audit
-- rows stay as they are: never updated or deleted, and a row written before this script reads back with
-- no price and its hash unchanged. Every name here is the audit table's name plus a suffix.

-- A booking's price, repeated on each of its rows like the scheduled start, and the money each change
-- moves (secured, captured, released, refunded or paid out) and what a refund keeps back, all in whole
-- minor units of the price's ISO 4217 currency: a BIGINT holds every amount a Java long does, exactly.
-- All four are NULL on rows of bookings without a price; amount_minor and fee_minor are NULL on rows of
-- changes that move no money. Nullable columns without a default: adding them rewrites no row.
ALTER TABLE gigsta_booking_audit
    ADD COLUMN price_minor    BIGINT,
    ADD COLUMN price_currency CHAR(3),
    ADD COLUMN amount_minor   BIGINT,
    ADD COLUMN fee_minor      BIGINT;

-- Each attempt to secure payment for a change is a hold of its own, keyed by its attempt, with the
-- amount it secures. A hold is kept after the provider declined it (DECLINED) or after its payment was
-- released (RELEASED), so that its attempt, and its idempotency key, is never used again; the
-- change's append marks the HELD one it claims CLAIMED and keeps it too, so that a late repeat of the
-- same attempt cannot record it as held again. Holds recorded before this script are
-- attempt 1 of their change, without an amount, as they were. One statement, so the table is never
-- left half changed.
ALTER TABLE gigsta_booking_audit_hold
    ADD COLUMN attempt         INT     NOT NULL DEFAULT 1,
    ADD COLUMN amount_minor    BIGINT,
    ADD COLUMN amount_currency CHAR(3),
    DROP CONSTRAINT gigsta_booking_audit_hold_pk,
    ADD CONSTRAINT gigsta_booking_audit_hold_pk PRIMARY KEY (booking_id, sequence, action_name, attempt),
    DROP CONSTRAINT gigsta_booking_audit_hold_ck,
    ADD CONSTRAINT gigsta_booking_audit_hold_status_ck
        CHECK (status IN ('HELD', 'CLAIMED', 'DECLINED', 'ABANDONED', 'RELEASED'));

-- Serves the settlement worker's look for holds to release (ABANDONED ones, and HELD ones recorded before
-- a cutoff, oldest first) now that declined and released holds stay in the table.
CREATE INDEX gigsta_booking_audit_hold_claim_ix ON gigsta_booking_audit_hold (status, recorded_at);
