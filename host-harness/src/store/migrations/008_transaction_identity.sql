-- AR transactions rebuilt for entry at speed, and a transaction's identity
-- (kind, customer, reference) made a fact of the schema (issue 11):
--
-- * `kind IN ('invoice', ...)` with more than two constants makes SQLite
--   build a lookup table each time the statement runs: an INSERT of one row
--   opened, filled and closed a temporary b-tree, 5 us of a 10 us insert.
--   The same rule written as comparisons costs nothing (SQLite cannot
--   change a CHECK in place, hence the rebuild).
-- * One unique index replaces the index by customer and the identity
--   index: an entry is one b-tree insert that also finds a duplicate,
--   instead of a probe and two inserts.

DROP TRIGGER ar_transactions_batched_undeletable;
DROP TRIGGER ar_transactions_posted_immutable;
DROP TRIGGER ar_transactions_posted_effect_final;
DROP TRIGGER ar_transactions_batched_values_fixed;

-- Renamed out of the way first (its own `reverses` reference goes with it),
-- so the new table's references name the new table from the start:
-- SQLite counts deferred foreign-key violations rather than checking again,
-- so copying into a second table and renaming it would fail at commit.
ALTER TABLE ar_transactions RENAME TO ar_transactions_v7;
CREATE TABLE ar_transactions (
    id               INTEGER PRIMARY KEY,
    customer_code    TEXT NOT NULL REFERENCES customers (code),
    kind             TEXT NOT NULL CHECK (kind = 'invoice' OR kind = 'credit-note'
                                          OR kind = 'journal' OR kind = 'receipt'
                                          OR kind = 'write-off' OR kind = 'sales-discount'
                                          OR kind = 'reward'),
    date             TEXT NOT NULL,
    currency         TEXT NOT NULL,
    rate_nanos       INTEGER NOT NULL DEFAULT 1000000000 CHECK (rate_nanos > 0),
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
       receivable_base, reverses,
       CASE WHEN reference <> '' AND reverses IS NULL THEN nullif(first_value(id) OVER same, id) END
FROM ar_transactions_v7
WINDOW same AS (PARTITION BY customer_code, kind, reference, reference <> '' AND reverses IS NULL
                ORDER BY id)
ORDER BY id;
DROP TABLE ar_transactions_v7;

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
