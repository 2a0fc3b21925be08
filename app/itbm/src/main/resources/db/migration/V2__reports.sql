-- v1.3: monthly reports produced by the worker from jobs in Redis.
CREATE TABLE reports (
  id         BIGSERIAL PRIMARY KEY,
  kind       VARCHAR(40) NOT NULL,
  period     CHAR(7)     NOT NULL,
  body       JSONB       NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (kind, period)
);
