-- The budgets every plugin call runs under, as an administrator set them
-- (`erp-host plugin limits set`). One row at most; without it the host's
-- defaults apply. The host checks the ranges before writing; the CHECKs are
-- the backstop for anyone writing SQL by hand.
CREATE TABLE plugin_limits (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    fuel_per_call     INTEGER NOT NULL CHECK (fuel_per_call > 0),
    fuel_per_record   INTEGER NOT NULL CHECK (fuel_per_record >= 0),
    deadline_ms       INTEGER NOT NULL CHECK (deadline_ms > 0),
    memory_bytes      INTEGER NOT NULL CHECK (memory_bytes > 0),
    memory_per_record INTEGER NOT NULL CHECK (memory_per_record >= 0),
    updated_by        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
