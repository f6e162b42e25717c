-- The plugin asks for a group's children and for a group by name once per
-- record it validates. Both answers are ordered by code; with the code in
-- the index the order is the index's, and SQLite no longer builds a
-- temporary b-tree to sort each answer (half the cost of each question).
DROP INDEX customer_groups_by_parent;
CREATE INDEX customer_groups_by_parent ON customer_groups (parent, code);
DROP INDEX customer_groups_by_name;
CREATE INDEX customer_groups_by_name ON customer_groups (name COLLATE NOCASE, code);
-- A group's customers, asked when a group changes, likewise by code.
DROP INDEX customers_by_group;
CREATE INDEX customers_by_group ON customers (group_code, code);
