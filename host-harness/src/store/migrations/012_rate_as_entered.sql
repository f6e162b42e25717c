-- A transaction's rate as entered (issue: one rule in one place). Until
-- now a blank rate was stored as 1000000000, the host repeating the
-- plugin's rule that a base-currency transaction's rate is 1 (a column
-- DEFAULT of it, too). The rule is the plugin's alone now: `rate_nanos` is
-- NULL when the user gave no rate, and the plugin's posting rules take the
-- base currency's own rate, or refuse any other currency without one. Rows
-- stored before keep their rates (a 1 stored for a blank rate stays 1).
-- SQLite cannot drop a NOT NULL or a DEFAULT in place, hence the rebuild,
-- done as migration 008 does it: same columns, generated column, indexes
-- and triggers.

DROP TRIGGER ar_transactions_batched_undeletable;
DROP TRIGGER ar_transactions_posted_immutable;
DROP TRIGGER ar_transactions_posted_effect_final;
DROP TRIGGER ar_transactions_batched_values_fixed;

-- Renamed out of the way first (its own `reverses` reference goes with it),
-- so the new table's references name the new table from the start:
-- SQLite counts deferred foreign-key violations rather than checking again,
-- so copying into a second table and renaming it would fail at commit.
ALTER TABLE ar_transactions RENAME TO ar_transactions_v11;
CREATE TABLE ar_transactions (
    id               INTEGER PRIMARY KEY,
    customer_code    TEXT NOT NULL REFERENCES customers (code),
    kind             TEXT NOT NULL CHECK (kind = 'invoice' OR kind = 'credit-note'
                                          OR kind = 'journal' OR kind = 'receipt'
                                          OR kind = 'write-off' OR kind = 'sales-discount'
                                          OR kind = 'reward'),
    date             TEXT NOT NULL,
    currency         TEXT NOT NULL,
    -- NULL: the user gave no rate (see the plugin's posting rules).
    rate_nanos       INTEGER CHECK (rate_nanos IS NULL OR rate_nanos > 0),
    amount_minor     INTEGER NOT NULL,
    tax_minor        INTEGER NOT NULL DEFAULT 0,
    discount_minor   INTEGER NOT NULL DEFAULT 0,
    account          TEXT,
    tax_account      TEXT,
    reference        TEXT NOT NULL DEFAULT '',
    group_code       TEXT,
    receivable_minor INTEGER,
    receivable_base  INTEGER,
    reverses         INTEGER REFERENCES ar_transactions (id),
    -- Set only here, on a row stored again before transactions had an
    -- identity: the earlier row it repeats. Correcting the row clears it.
    duplicate_of     INTEGER REFERENCES ar_transactions (id),
    -- The reference as part of the identity; NULL when the row has none
    -- (no reference, a reversal, an old duplicate). NULLs never collide in
    -- a unique index, so those rows are free of the identity rule.
    identity_reference TEXT GENERATED ALWAYS AS (
        CASE WHEN reverses IS NULL AND duplicate_of IS NULL THEN nullif(reference, '') END
    ) VIRTUAL
) STRICT;
-- In id order: the row a reversal or an old duplicate names comes first.
INSERT INTO ar_transactions (id, customer_code, kind, date, currency, rate_nanos,
                             amount_minor, tax_minor, discount_minor, account, tax_account,
                             reference, group_code, receivable_minor, receivable_base,
                             reverses, duplicate_of)
SELECT id, customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor,
       discount_minor, account, tax_account, reference, group_code, receivable_minor,
       receivable_base, reverses, duplicate_of
FROM ar_transactions_v11
ORDER BY id;
DROP TABLE ar_transactions_v11;

CREATE INDEX ar_transactions_unasked ON ar_transactions (id) WHERE receivable_minor IS NULL;
CREATE UNIQUE INDEX ar_transactions_reversed_once ON ar_transactions (reverses)
    WHERE reverses IS NOT NULL;
-- A transaction's identity, and the index by customer.
CREATE UNIQUE INDEX ar_transactions_identity
    ON ar_transactions (customer_code, kind, identity_reference);

CREATE TRIGGER ar_transactions_batched_undeletable
BEFORE DELETE ON ar_transactions
WHEN EXISTS (SELECT 1 FROM gl_batch_members WHERE transaction_id = old.id)
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a GL batch cannot be deleted; delete the unposted batch first');
END;
CREATE TRIGGER ar_transactions_posted_immutable
BEFORE UPDATE OF id, customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor,
                 discount_minor, account, tax_account, reference, group_code, reverses,
                 duplicate_of
ON ar_transactions
WHEN (SELECT b.status FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
      WHERE m.transaction_id = old.id) = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a posted GL batch cannot be changed; reverse it');
END;
CREATE TRIGGER ar_transactions_posted_effect_final
BEFORE UPDATE OF receivable_minor, receivable_base ON ar_transactions
WHEN old.receivable_minor IS NOT NULL
     AND (SELECT b.status FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
          WHERE m.transaction_id = old.id) = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a posted GL batch cannot be changed; reverse it');
END;
CREATE TRIGGER ar_transactions_batched_values_fixed
BEFORE UPDATE OF customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor,
                 discount_minor, account, tax_account, reference, group_code, reverses
ON ar_transactions
WHEN EXISTS (SELECT 1 FROM gl_batch_members WHERE transaction_id = old.id)
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a GL batch cannot be changed; delete the unposted batch first');
END;
