-- The GigSta booking workflow versions for H2 2.x, beside the tables of V1 to V4. Audit rows stay as they
-- are: never updated or deleted, and a row written before this script reads back without a workflow
-- version and its hash unchanged. Every name here is the audit table's name plus a suffix.

-- The workflow version a booking is pinned to after each change: the workflow's name and the version's
-- number, repeated on each of the booking's rows like the price, changed only by a migration entry
-- (action migrate_workflow). Both are NULL on rows written before this script, and on the later rows of
-- their bookings until one is migrated: such a booking was recorded before bookings were pinned, and an
-- engine reads it as version 1 of its workflow. Nullable columns without a default. H2 makes one change
-- per statement: the check comes after the columns it checks.
ALTER TABLE gigsta_booking_audit ADD COLUMN (
    workflow_name    VARCHAR(64),
    workflow_version INT);

-- A version has both its name and its number, from 1; a row without a version has neither.
ALTER TABLE gigsta_booking_audit ADD CONSTRAINT gigsta_booking_audit_workflow_ck
    CHECK ((workflow_name IS NULL AND workflow_version IS NULL)
        OR (workflow_name IS NOT NULL AND workflow_version IS NOT NULL AND workflow_version >= 1));
