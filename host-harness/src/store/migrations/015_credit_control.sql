-- Credit control that acts (issue 14): rights a user holds beside their
-- role, and every invoice entered past a credit limit.
--
-- A right is granted by name (`erp-host user grant NAME RIGHT`); no role
-- implies one, so that entering invoices past their limits is a duty given
-- to named people, administrators included.
CREATE TABLE user_rights (
    user       TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    right_name TEXT NOT NULL CHECK (right_name IN ('credit-controller')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user, right_name)
) WITHOUT ROWID;

-- An invoice the credit check held back, entered anyway: because its
-- customer's group bypasses the check (`bypass`: the group that sets it,
-- or `ar-settings`), or because a credit controller gave `reason`. What
-- the check said is kept as the plugin said it (`reasons`, one per line)
-- with the limits weighed (`lines`: JSON, as `gl credit` prints them).
-- Rows are only ever added, and refer to the transaction by id only: the
-- record outlives a correction or a deletion of the unbatched invoice.
CREATE TABLE credit_exceptions (
    id             INTEGER PRIMARY KEY,
    transaction_id INTEGER NOT NULL,
    at             TEXT NOT NULL,
    user           TEXT NOT NULL,
    via            TEXT NOT NULL CHECK (via IN ('cli', 'console', 'daemon')),
    customer_code  TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    bypass         TEXT,
    reason         TEXT,
    reasons        TEXT NOT NULL,
    lines          TEXT NOT NULL,
    CHECK ((bypass IS NULL) <> (reason IS NULL))
) STRICT;
CREATE INDEX credit_exceptions_by_transaction ON credit_exceptions (transaction_id);

CREATE TRIGGER credit_exceptions_are_append_only_update
BEFORE UPDATE ON credit_exceptions
BEGIN
    SELECT RAISE(ABORT, 'the record of credit exceptions cannot be edited');
END;

CREATE TRIGGER credit_exceptions_are_append_only_delete
BEFORE DELETE ON credit_exceptions
BEGIN
    SELECT RAISE(ABORT, 'the record of credit exceptions cannot be edited');
END;
