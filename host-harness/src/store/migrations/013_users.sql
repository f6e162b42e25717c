-- The console's users (issue 13): who may log in to `erp-host serve`, with
-- one role each. The password is kept only as an argon2id PHC string
-- (`$argon2id$v=19$m=...`); there is no default user and no default
-- password: the first administrator's password is generated and printed
-- once by `erp-host user add`.
CREATE TABLE users (
    name          TEXT PRIMARY KEY
                  CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9._@-]*'),
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'sales-master', 'accountant', 'administrator')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;
