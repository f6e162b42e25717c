-- Rights per field (issue 14): the `accounting` right, which the plugin's
-- form marks GL accounts and credit limits with. The accountant and
-- administrator roles hold it without a grant; granted, it lets others (a
-- sales master) change those fields. SQLite cannot change a CHECK, so the
-- table is rebuilt with its rows.
CREATE TABLE user_rights_017 (
    user       TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    right_name TEXT NOT NULL CHECK (right_name IN ('accounting', 'credit-controller')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user, right_name)
) WITHOUT ROWID;
INSERT INTO user_rights_017 SELECT user, right_name, granted_by, granted_at FROM user_rights;
DROP TABLE user_rights;
ALTER TABLE user_rights_017 RENAME TO user_rights;
