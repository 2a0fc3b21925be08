-- v1.0: the core ledger. Amounts in the customer's currency with two decimals; periods are calendar months.
CREATE TABLE cost_centres (
  id         BIGSERIAL PRIMARY KEY,
  code       VARCHAR(20)  NOT NULL UNIQUE,
  name       VARCHAR(200) NOT NULL,
  created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE budgets (
  id             BIGSERIAL PRIMARY KEY,
  cost_centre_id BIGINT        NOT NULL REFERENCES cost_centres(id),
  period         CHAR(7)       NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  amount         NUMERIC(14,2) NOT NULL CHECK (amount >= 0),
  UNIQUE (cost_centre_id, period)
);

CREATE TABLE expenses (
  id             BIGSERIAL PRIMARY KEY,
  cost_centre_id BIGINT        NOT NULL REFERENCES cost_centres(id),
  spent_on       DATE          NOT NULL,
  amount         NUMERIC(14,2) NOT NULL CHECK (amount > 0),
  description    VARCHAR(500)  NOT NULL DEFAULT '',
  created_at     TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX expenses_centre_date ON expenses (cost_centre_id, spent_on);
