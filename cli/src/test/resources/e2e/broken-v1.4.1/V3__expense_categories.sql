-- The V3 of a BROKEN test release v1.4.1 (FailingMigrationIT builds itbm/backend:v1.4.1 from v1.4.0 with this file
-- in place of V3 in its jar). It starts like the real V3, also rewrites existing rows, and then adds a constraint
-- that the customer's existing data violates: the kind of migration that passes on the vendor's test data and fails
-- part-way on a customer's. It runs outside a transaction (V3__expense_categories.sql.conf), so what ran before the
-- failure stays in the database until budgetctl restores the backup it took before the migration.
CREATE TABLE expense_categories (
  id   BIGSERIAL PRIMARY KEY,
  code VARCHAR(20)  NOT NULL UNIQUE,
  name VARCHAR(200) NOT NULL
);
INSERT INTO expense_categories (code, name) VALUES ('general', 'General');

ALTER TABLE expenses ADD COLUMN category_id BIGINT REFERENCES expense_categories(id);
UPDATE expenses SET category_id = (SELECT id FROM expense_categories WHERE code = 'general') WHERE category_id IS NULL;
UPDATE cost_centres SET name = upper(name);

-- fails on existing rows such as 'CC-ALPHA': codes were free text before
ALTER TABLE cost_centres ADD CONSTRAINT cost_centres_code_numeric CHECK (code ~ '^CC-[0-9]+$');
ALTER TABLE expenses ALTER COLUMN category_id SET NOT NULL;
