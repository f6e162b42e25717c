-- The general ledger side of AR (seed 004): the ledger's settings, AR
-- transactions in full, GL batches and the entries posting writes.

-- How many decimals a currency's minor unit has (2 for IDR and USD, 0 for JPY).
ALTER TABLE reference_data ADD COLUMN decimals INTEGER NOT NULL DEFAULT 2
    CHECK (decimals BETWEEN 0 AND 4);

-- A customer's own credit limit, minor units of its currency (else its
-- group's credit limit applies).
ALTER TABLE customers ADD COLUMN credit_limit_minor INTEGER CHECK (credit_limit_minor >= 0);

-- One row: the base currency every batch balances in, and where conversion
-- differences go.
CREATE TABLE gl_settings (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    base_currency    TEXT NOT NULL DEFAULT '',
    rounding_account TEXT REFERENCES accounts (code)
) STRICT;
INSERT INTO gl_settings (id) VALUES (1);

-- A batch is unposted (it may be deleted, releasing its transactions) or
-- posted (it never changes again). Numbers are never reused.
CREATE TABLE gl_batches (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    status        TEXT NOT NULL DEFAULT 'unposted' CHECK (status IN ('unposted', 'posted')),
    from_date     TEXT,
    to_date       TEXT,
    group_code    TEXT,
    base_currency TEXT NOT NULL,
    plugin_sha256 TEXT NOT NULL,
    transactions  INTEGER NOT NULL DEFAULT 0,
    debit_total   INTEGER NOT NULL DEFAULT 0,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    posted_by     TEXT,
    posted_at     TEXT
) STRICT;

-- A batch's lines summed per day, account and currency: what posting writes.
-- Each transaction's own lines stay with the transaction (`gl_lines`).
CREATE TABLE gl_batch_totals (
    batch_id    INTEGER NOT NULL REFERENCES gl_batches (id),
    date        TEXT NOT NULL,
    account     TEXT NOT NULL REFERENCES accounts (code),
    currency    TEXT NOT NULL,
    debit       INTEGER NOT NULL,
    credit      INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    lines       INTEGER NOT NULL,
    PRIMARY KEY (batch_id, date, account, currency)
) STRICT, WITHOUT ROWID;

-- The general ledger: written only by posting, never changed.
CREATE TABLE gl_entries (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES gl_batches (id),
    date        TEXT NOT NULL,
    account     TEXT NOT NULL REFERENCES accounts (code),
    currency    TEXT NOT NULL,
    debit       INTEGER NOT NULL,
    credit      INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    description TEXT NOT NULL
) STRICT;
CREATE INDEX gl_entries_by_account ON gl_entries (account, date);

-- Each batched transaction's posting, one row per chunk of transactions, as
-- JSON: [[transaction, description, [[account, role, amount, base amount], ...]], ...].
CREATE TABLE gl_batch_postings (
    batch_id INTEGER NOT NULL REFERENCES gl_batches (id),
    chunk    INTEGER NOT NULL,
    postings TEXT NOT NULL,
    PRIMARY KEY (batch_id, chunk)
) STRICT;

-- AR transactions in full. Amounts are minor units of `currency`; `rate_nanos`
-- is base-currency units per unit of `currency`, in billionths.
CREATE TABLE ar_transactions_v3 (
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
    reference      TEXT NOT NULL DEFAULT '',
    batch_id       INTEGER REFERENCES gl_batches (id)
) STRICT;
INSERT INTO ar_transactions_v3 (id, customer_code, kind, date, currency, amount_minor)
SELECT t.id, t.customer_code,
       CASE WHEN t.kind IN ('invoice', 'credit-note', 'journal', 'receipt', 'write-off',
                            'sales-discount', 'reward') THEN t.kind ELSE 'journal' END,
       t.date, c.currency, t.amount_minor
FROM ar_transactions t JOIN customers c ON c.code = t.customer_code;
DROP TABLE ar_transactions;
ALTER TABLE ar_transactions_v3 RENAME TO ar_transactions;
CREATE INDEX ar_transactions_by_customer ON ar_transactions (customer_code);
-- No index on batch_id: claiming a million rows for a batch would pay for it
-- on every row, and a batch is read in id order anyway.

-- A posted batch never changes, nor do its transactions or the ledger.
CREATE TRIGGER gl_batches_posted_immutable
BEFORE UPDATE ON gl_batches WHEN old.status = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;
CREATE TRIGGER gl_batches_posted_undeletable
BEFORE DELETE ON gl_batches WHEN old.status = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be deleted');
END;
CREATE TRIGGER gl_batch_totals_posted_immutable
BEFORE DELETE ON gl_batch_totals
WHEN (SELECT status FROM gl_batches WHERE id = old.batch_id) = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;
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
CREATE TRIGGER gl_entries_immutable
BEFORE UPDATE ON gl_entries
BEGIN
    SELECT RAISE(ABORT, 'GL entries cannot be changed');
END;
CREATE TRIGGER gl_entries_undeletable
BEFORE DELETE ON gl_entries
BEGIN
    SELECT RAISE(ABORT, 'GL entries cannot be deleted');
END;
CREATE TRIGGER ar_transactions_posted_immutable
BEFORE UPDATE OF customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor,
                 discount_minor, account, tax_account, reference ON ar_transactions
WHEN old.batch_id IS NOT NULL
     AND (SELECT status FROM gl_batches WHERE id = old.batch_id) = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a posted GL batch cannot be changed');
END;
CREATE TRIGGER ar_transactions_posted_undeletable
BEFORE DELETE ON ar_transactions
WHEN old.batch_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a GL batch cannot be deleted; delete the unposted batch first');
END;
