-- The GigSta booking workflow versions for MariaDB 10.6+ and MySQL 8, beside the tables of V1 to V4. Audit
-- rows stay as they are: never updated or deleted, and a row written before this script reads back
-- without a workflow version and its hash unchanged. Every name here is the audit table's name plus a
-- suffix.

-- The workflow version a booking is pinned to after each change: the workflow's name and the version's
-- number, repeated on each of the booking's rows like the price, changed only by a migration entry
-- (action migrate_workflow). Both are NULL on rows written before this script, and on the later rows of
-- their bookings until one is migrated: such a booking was recorded before bookings were pinned, and an
-- engine reads it as version 1 of its workflow. Nullable columns added last: MariaDB 10.3+ and MySQL 8
-- add them without copying rows. No check that both or neither hold a value: MariaDB adds a table check
-- only by copying the whole table, so here the trail alone refuses, on reading, a row with one of the
-- two.
ALTER TABLE gigsta_booking_audit
    ADD COLUMN workflow_name    VARCHAR(64),
    ADD COLUMN workflow_version INT;
