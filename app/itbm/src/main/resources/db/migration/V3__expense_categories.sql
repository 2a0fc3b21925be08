-- v1.4: expense categories. New table, new column, backfill of existing expenses into 'general', then NOT NULL.
CREATE TABLE expense_categories (
  id   BIGSERIAL PRIMARY KEY,
  code VARCHAR(20)  NOT NULL UNIQUE,
  name VARCHAR(200) NOT NULL
);
INSERT INTO expense_categories (code, name) VALUES ('general', 'General');

ALTER TABLE expenses ADD COLUMN category_id BIGINT REFERENCES expense_categories(id);
UPDATE expenses SET category_id = (SELECT id FROM expense_categories WHERE code = 'general') WHERE category_id IS NULL;
ALTER TABLE expenses ALTER COLUMN category_id SET NOT NULL;
