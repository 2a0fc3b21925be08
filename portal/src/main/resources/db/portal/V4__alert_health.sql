-- The alerter also tells when a customer reports itself unhealthy (issue 14): what it last told is now one of
-- ok, stale, unhealthy. The stale column stays (true exactly when state is stale) for readers of V3.
ALTER TABLE alert_state ADD COLUMN state VARCHAR(16);
UPDATE alert_state SET state = CASE WHEN stale THEN 'stale' ELSE 'ok' END;
