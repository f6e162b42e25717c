-- Which GL batch a transaction is in moves out of `ar_transactions` into a
-- table of its own. Claiming a million transactions for a batch used to
-- rewrite every page of `ar_transactions` (the whole table went through the
-- WAL again); now it appends a million small rows, and the primary key makes
-- "a transaction is in at most one batch" a fact of the schema.

CREATE TEMP TABLE members_v5 AS
    SELECT id AS transaction_id, batch_id FROM ar_transactions WHERE batch_id IS NOT NULL;

DROP TRIGGER ar_transactions_posted_immutable;
DROP TRIGGER ar_transactions_posted_undeletable;
CREATE TABLE ar_transactions_v5 (
    id             INTEGER PRIMARY KEY,
    customer_code  TEXT NOT NULL REFERENCES customers (code),
    kind           TEXT NOT NULL CHECK (kind IN ('invoice', 'credit-note', 'journal', 'receipt',
                                                 'write-off', 'sales-discount', 'reward')),
    date           TEXT NOT NULL,
    currency       TEXT NOT NULL,
    rate_nanos     INTEGER NOT NULL DEFAULT 1000000000 CHECK (rate_nanos > 0),
    amount_minor   INTEGER NOT NULL,
    tax_minor      INTEGER NOT NULL DEFAULT 0,
    discount_minor INTEGER NOT NULL DEFAULT 0,
    account        TEXT,
    tax_account    TEXT,
    reference      TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO ar_transactions_v5
SELECT id, customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor,
       discount_minor, account, tax_account, reference
FROM ar_transactions;
DROP TABLE ar_transactions;
ALTER TABLE ar_transactions_v5 RENAME TO ar_transactions;
CREATE INDEX ar_transactions_by_customer ON ar_transactions (customer_code);

-- A transaction's batch: at most one. Appended in id order when a batch
-- is created, deleted when an unposted batch is, never changed.
CREATE TABLE gl_batch_members (
    transaction_id INTEGER PRIMARY KEY,
    batch_id       INTEGER NOT NULL REFERENCES gl_batches (id)
) STRICT;
-- A batch_id naming no batch (one deleted by hand, foreign keys off) was
-- never a batch: its transaction is released.
INSERT INTO gl_batch_members
SELECT transaction_id, batch_id FROM members_v5
WHERE batch_id IN (SELECT id FROM gl_batches) ORDER BY transaction_id;
DROP TABLE members_v5;

CREATE TRIGGER gl_batch_members_unchangeable
BEFORE UPDATE ON gl_batch_members
BEGIN
    SELECT RAISE(ABORT, 'a transaction''s GL batch cannot be changed; delete the unposted batch');
END;
CREATE TRIGGER gl_batch_members_posted_undeletable
BEFORE DELETE ON gl_batch_members
WHEN (SELECT status FROM gl_batches WHERE id = old.batch_id) = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a posted GL batch cannot be released');
END;

-- A posted batch never changes, nor do its transactions.
CREATE TRIGGER ar_transactions_posted_immutable
BEFORE UPDATE ON ar_transactions
WHEN (SELECT b.status FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
      WHERE m.transaction_id = old.id) = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a posted GL batch cannot be changed');
END;
CREATE TRIGGER ar_transactions_batched_undeletable
BEFORE DELETE ON ar_transactions
WHEN EXISTS (SELECT 1 FROM gl_batch_members WHERE transaction_id = old.id)
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a GL batch cannot be deleted; delete the unposted batch first');
END;

-- A batch's postings are stored packed (postcard, see `gl::StoredChunk`),
-- about 60 bytes a transaction instead of 150 of JSON. The host re-encodes
-- the JSON of 003 into the new table right after this script
-- (`gl::convert_postings_v5`) and drops the old one.
DROP TRIGGER gl_batch_postings_posted_immutable;
DROP TRIGGER gl_batch_postings_unchangeable;
ALTER TABLE gl_batch_postings RENAME TO gl_batch_postings_v3;
CREATE TABLE gl_batch_postings (
    batch_id INTEGER NOT NULL REFERENCES gl_batches (id),
    chunk    INTEGER NOT NULL,
    postings BLOB NOT NULL,
    PRIMARY KEY (batch_id, chunk)
) STRICT;
CREATE TRIGGER gl_batch_postings_posted_immutable
BEFORE DELETE ON gl_batch_postings
WHEN (SELECT status FROM gl_batches WHERE id = old.batch_id) = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;
CREATE TRIGGER gl_batch_postings_unchangeable
BEFORE UPDATE ON gl_batch_postings
BEGIN
    SELECT RAISE(ABORT, 'a GL batch''s postings cannot be changed');
END;
