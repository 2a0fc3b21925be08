-- What the alerter last told about each customer (stale or fresh), so a restart neither repeats nor misses an alert.
CREATE TABLE alert_state (
    customer_id VARCHAR(63)  PRIMARY KEY,
    stale       BOOLEAN      NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
