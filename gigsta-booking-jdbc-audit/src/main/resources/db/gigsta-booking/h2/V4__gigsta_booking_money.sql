-- The GigSta booking money and payment attempts for H2 2.x, beside the tables of V1 to V3. Audit rows
-- stay as they are: never updated or deleted, and a row written before this script reads back with no
-- price and its hash unchanged. Every name here is the audit table's name plus a suffix.

-- A booking's price, repeated on each of its rows like the scheduled start, and the money each change
-- moves (secured, captured, released, refunded or paid out) and what a refund keeps back, all in whole
-- minor units of the price's ISO 4217 currency: a BIGINT holds every amount a Java long does, exactly.
-- All four are NULL on rows of bookings without a price; amount_minor and fee_minor are NULL on rows of
-- changes that move no money.
ALTER TABLE gigsta_booking_audit ADD COLUMN (
    price_minor    BIGINT,
    price_currency CHAR(3),
    amount_minor   BIGINT,
    fee_minor      BIGINT);

-- Each attempt to secure payment for a change is a hold of its own, keyed by its attempt, with the
-- amount it secures. A hold is kept after the provider declined it (DECLINED) or after its payment was
-- released (RELEASED), so that its attempt, and its idempotency key, is never used again; the
-- change's append marks the HELD one it claims CLAIMED and keeps it too, so that a late repeat of the
-- same attempt cannot record it as held again. Holds recorded before this script are
-- attempt 1 of their change, as they were. H2 makes one change per statement: the amount's columns come
-- last, so that the table has them only once the key and the check are changed.
ALTER TABLE gigsta_booking_audit_hold ADD COLUMN attempt INT DEFAULT 1 NOT NULL;

ALTER TABLE gigsta_booking_audit_hold DROP CONSTRAINT gigsta_booking_audit_hold_pk;

ALTER TABLE gigsta_booking_audit_hold
    ADD CONSTRAINT gigsta_booking_audit_hold_pk PRIMARY KEY (booking_id, sequence, action_name, attempt);

ALTER TABLE gigsta_booking_audit_hold DROP CONSTRAINT gigsta_booking_audit_hold_ck;

ALTER TABLE gigsta_booking_audit_hold ADD CONSTRAINT gigsta_booking_audit_hold_status_ck
    CHECK (status IN ('HELD', 'CLAIMED', 'DECLINED', 'ABANDONED', 'RELEASED'));

-- Serves the settlement worker's look for holds to release (ABANDONED ones, and HELD ones recorded before
-- a cutoff, oldest first) now that declined and released holds stay in the table.
CREATE INDEX gigsta_booking_audit_hold_claim_ix ON gigsta_booking_audit_hold (status, recorded_at);

ALTER TABLE gigsta_booking_audit_hold ADD COLUMN (
    amount_minor    BIGINT,
    amount_currency CHAR(3));
