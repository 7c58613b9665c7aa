-- The service's own table: who takes part in which booking. The audit trail's table is created by
-- JdbcAuditTrail itself. Portable between H2 and PostgreSQL.
CREATE TABLE IF NOT EXISTS booking_index (
  booking_id  VARCHAR(128) NOT NULL PRIMARY KEY,
  customer_id VARCHAR(128) NOT NULL,
  gigsta_id   VARCHAR(128) NOT NULL,
  created_at  TIMESTAMP    NOT NULL
);
CREATE INDEX IF NOT EXISTS booking_index_customer ON booking_index (customer_id, created_at);
CREATE INDEX IF NOT EXISTS booking_index_gigsta ON booking_index (gigsta_id, created_at);
