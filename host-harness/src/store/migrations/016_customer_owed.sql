-- What each customer owes, kept as its transactions are entered, corrected,
-- deleted and posted (issue 14): the credit check weighs every invoice
-- entered against its customer and every group on its path, and summing
-- a million transactions for each would take a second an invoice. These
-- triggers are the only writers, so the sums hold however a row changes,
-- from the host or from a database client; what posting adds comes from
-- the batch's own per-customer sums (`gl_batch_owed`, below).
--
-- `entered_*` counts every transaction, `posted_*` those in a posted GL
-- batch; `*_minor` in the transaction's currency as its effect is stored
-- (`receivable_minor`), `*_base` in base minor units. A sum saturates at
-- the 64-bit bounds, as the credit check's own sums do: SQLite's `+` would
-- turn an overflow into a float.
CREATE TABLE customer_owed (
    customer_code TEXT PRIMARY KEY,
    entered_minor INTEGER NOT NULL DEFAULT 0,
    entered_base  INTEGER NOT NULL DEFAULT 0,
    posted_minor  INTEGER NOT NULL DEFAULT 0,
    posted_base   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- What the store holds already, one row at a time (an upsert from a
-- SELECT takes each row in turn, so that each sum saturates).
INSERT INTO customer_owed (customer_code, entered_minor, entered_base, posted_minor, posted_base)
SELECT code, owed_minor, owed_base,
       CASE WHEN posted THEN owed_minor ELSE 0 END, CASE WHEN posted THEN owed_base ELSE 0 END
FROM (SELECT t.customer_code AS code, coalesce(t.receivable_minor, 0) AS owed_minor,
             coalesce(t.receivable_base, 0) AS owed_base,
             EXISTS (SELECT 1 FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
                     WHERE m.transaction_id = t.id AND b.status = 'posted') AS posted
      FROM ar_transactions t)
WHERE true
ON CONFLICT (customer_code) DO UPDATE SET
    entered_minor = CASE
        WHEN excluded.entered_minor > 0 AND entered_minor > 9223372036854775807 - excluded.entered_minor THEN 9223372036854775807
        WHEN excluded.entered_minor < 0 AND entered_minor < -9223372036854775807 - 1 - excluded.entered_minor THEN -9223372036854775807 - 1
        ELSE entered_minor + excluded.entered_minor END,
    entered_base = CASE
        WHEN excluded.entered_base > 0 AND entered_base > 9223372036854775807 - excluded.entered_base THEN 9223372036854775807
        WHEN excluded.entered_base < 0 AND entered_base < -9223372036854775807 - 1 - excluded.entered_base THEN -9223372036854775807 - 1
        ELSE entered_base + excluded.entered_base END,
    posted_minor = CASE
        WHEN excluded.posted_minor > 0 AND posted_minor > 9223372036854775807 - excluded.posted_minor THEN 9223372036854775807
        WHEN excluded.posted_minor < 0 AND posted_minor < -9223372036854775807 - 1 - excluded.posted_minor THEN -9223372036854775807 - 1
        ELSE posted_minor + excluded.posted_minor END,
    posted_base = CASE
        WHEN excluded.posted_base > 0 AND posted_base > 9223372036854775807 - excluded.posted_base THEN 9223372036854775807
        WHEN excluded.posted_base < 0 AND posted_base < -9223372036854775807 - 1 - excluded.posted_base THEN -9223372036854775807 - 1
        ELSE posted_base + excluded.posted_base END;

-- A new transaction is never posted yet.
CREATE TRIGGER customer_owed_insert
AFTER INSERT ON ar_transactions
BEGIN
    INSERT INTO customer_owed (customer_code, entered_minor, entered_base)
    VALUES (new.customer_code, coalesce(new.receivable_minor, 0), coalesce(new.receivable_base, 0))
    ON CONFLICT (customer_code) DO UPDATE SET
        entered_minor = CASE
            WHEN excluded.entered_minor > 0 AND entered_minor > 9223372036854775807 - excluded.entered_minor THEN 9223372036854775807
            WHEN excluded.entered_minor < 0 AND entered_minor < -9223372036854775807 - 1 - excluded.entered_minor THEN -9223372036854775807 - 1
            ELSE entered_minor + excluded.entered_minor END,
        entered_base = CASE
            WHEN excluded.entered_base > 0 AND entered_base > 9223372036854775807 - excluded.entered_base THEN 9223372036854775807
            WHEN excluded.entered_base < 0 AND entered_base < -9223372036854775807 - 1 - excluded.entered_base THEN -9223372036854775807 - 1
            ELSE entered_base + excluded.entered_base END;
END;

-- A deleted transaction was never posted (posted and batched rows cannot
-- be deleted).
CREATE TRIGGER customer_owed_delete
AFTER DELETE ON ar_transactions
BEGIN
    UPDATE customer_owed SET
        entered_minor = CASE
            WHEN coalesce(old.receivable_minor, 0) < 0 AND entered_minor > 9223372036854775807 + coalesce(old.receivable_minor, 0) THEN 9223372036854775807
            WHEN coalesce(old.receivable_minor, 0) > 0 AND entered_minor < -9223372036854775807 - 1 + coalesce(old.receivable_minor, 0) THEN -9223372036854775807 - 1
            ELSE entered_minor - coalesce(old.receivable_minor, 0) END,
        entered_base = CASE
            WHEN coalesce(old.receivable_base, 0) < 0 AND entered_base > 9223372036854775807 + coalesce(old.receivable_base, 0) THEN 9223372036854775807
            WHEN coalesce(old.receivable_base, 0) > 0 AND entered_base < -9223372036854775807 - 1 + coalesce(old.receivable_base, 0) THEN -9223372036854775807 - 1
            ELSE entered_base - coalesce(old.receivable_base, 0) END
    WHERE customer_code = old.customer_code;
END;

-- A correction, a move to another customer, or an effect filled in: the
-- old row is taken off its customer, the new one added to its own (to the
-- posted sums too for a posted row, whose effect may be filled in once).
CREATE TRIGGER customer_owed_update
AFTER UPDATE OF customer_code, receivable_minor, receivable_base ON ar_transactions
BEGIN
    UPDATE customer_owed SET
        entered_minor = CASE
            WHEN coalesce(old.receivable_minor, 0) < 0 AND entered_minor > 9223372036854775807 + coalesce(old.receivable_minor, 0) THEN 9223372036854775807
            WHEN coalesce(old.receivable_minor, 0) > 0 AND entered_minor < -9223372036854775807 - 1 + coalesce(old.receivable_minor, 0) THEN -9223372036854775807 - 1
            ELSE entered_minor - coalesce(old.receivable_minor, 0) END,
        entered_base = CASE
            WHEN coalesce(old.receivable_base, 0) < 0 AND entered_base > 9223372036854775807 + coalesce(old.receivable_base, 0) THEN 9223372036854775807
            WHEN coalesce(old.receivable_base, 0) > 0 AND entered_base < -9223372036854775807 - 1 + coalesce(old.receivable_base, 0) THEN -9223372036854775807 - 1
            ELSE entered_base - coalesce(old.receivable_base, 0) END,
        posted_minor = CASE
            WHEN NOT EXISTS (SELECT 1 FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
                             WHERE m.transaction_id = old.id AND b.status = 'posted') THEN posted_minor
            WHEN coalesce(old.receivable_minor, 0) < 0 AND posted_minor > 9223372036854775807 + coalesce(old.receivable_minor, 0) THEN 9223372036854775807
            WHEN coalesce(old.receivable_minor, 0) > 0 AND posted_minor < -9223372036854775807 - 1 + coalesce(old.receivable_minor, 0) THEN -9223372036854775807 - 1
            ELSE posted_minor - coalesce(old.receivable_minor, 0) END,
        posted_base = CASE
            WHEN NOT EXISTS (SELECT 1 FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
                             WHERE m.transaction_id = old.id AND b.status = 'posted') THEN posted_base
            WHEN coalesce(old.receivable_base, 0) < 0 AND posted_base > 9223372036854775807 + coalesce(old.receivable_base, 0) THEN 9223372036854775807
            WHEN coalesce(old.receivable_base, 0) > 0 AND posted_base < -9223372036854775807 - 1 + coalesce(old.receivable_base, 0) THEN -9223372036854775807 - 1
            ELSE posted_base - coalesce(old.receivable_base, 0) END
    WHERE customer_code = old.customer_code;
    INSERT INTO customer_owed (customer_code, entered_minor, entered_base, posted_minor, posted_base)
    SELECT new.customer_code, coalesce(new.receivable_minor, 0), coalesce(new.receivable_base, 0),
           CASE WHEN p.posted THEN coalesce(new.receivable_minor, 0) ELSE 0 END,
           CASE WHEN p.posted THEN coalesce(new.receivable_base, 0) ELSE 0 END
    FROM (SELECT EXISTS (SELECT 1 FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
                         WHERE m.transaction_id = new.id AND b.status = 'posted') AS posted) p
    WHERE true
    ON CONFLICT (customer_code) DO UPDATE SET
        entered_minor = CASE
            WHEN excluded.entered_minor > 0 AND entered_minor > 9223372036854775807 - excluded.entered_minor THEN 9223372036854775807
            WHEN excluded.entered_minor < 0 AND entered_minor < -9223372036854775807 - 1 - excluded.entered_minor THEN -9223372036854775807 - 1
            ELSE entered_minor + excluded.entered_minor END,
        entered_base = CASE
            WHEN excluded.entered_base > 0 AND entered_base > 9223372036854775807 - excluded.entered_base THEN 9223372036854775807
            WHEN excluded.entered_base < 0 AND entered_base < -9223372036854775807 - 1 - excluded.entered_base THEN -9223372036854775807 - 1
            ELSE entered_base + excluded.entered_base END,
        posted_minor = CASE
            WHEN excluded.posted_minor > 0 AND posted_minor > 9223372036854775807 - excluded.posted_minor THEN 9223372036854775807
            WHEN excluded.posted_minor < 0 AND posted_minor < -9223372036854775807 - 1 - excluded.posted_minor THEN -9223372036854775807 - 1
            ELSE posted_minor + excluded.posted_minor END,
        posted_base = CASE
            WHEN excluded.posted_base > 0 AND posted_base > 9223372036854775807 - excluded.posted_base THEN 9223372036854775807
            WHEN excluded.posted_base < 0 AND posted_base < -9223372036854775807 - 1 - excluded.posted_base THEN -9223372036854775807 - 1
            ELSE posted_base + excluded.posted_base END;
END;

-- What a batch's postings put on what each of its customers owes, summed
-- when the batch is made (as its day and account totals are), so that
-- posting a batch of a million transactions adds a thousand sums instead of
-- reading a million rows. Final once the batch is posted.
CREATE TABLE gl_batch_owed (
    batch_id      INTEGER NOT NULL REFERENCES gl_batches (id),
    customer_code TEXT NOT NULL,
    owed_minor    INTEGER NOT NULL,
    owed_base     INTEGER NOT NULL,
    PRIMARY KEY (batch_id, customer_code)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER gl_batch_owed_posted_no_insert
BEFORE INSERT ON gl_batch_owed
WHEN (SELECT status FROM gl_batches WHERE id = new.batch_id) IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;
CREATE TRIGGER gl_batch_owed_posted_no_update
BEFORE UPDATE ON gl_batch_owed
WHEN (SELECT status FROM gl_batches WHERE id = old.batch_id) IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;
CREATE TRIGGER gl_batch_owed_posted_no_delete
BEFORE DELETE ON gl_batch_owed
WHEN (SELECT status FROM gl_batches WHERE id = old.batch_id) IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;

-- The unposted batches made before this migration, summed the same way.
INSERT INTO gl_batch_owed (batch_id, customer_code, owed_minor, owed_base)
SELECT m.batch_id, t.customer_code, coalesce(t.receivable_minor, 0), coalesce(t.receivable_base, 0)
FROM gl_batch_members m JOIN gl_batches b ON b.id = m.batch_id
JOIN ar_transactions t ON t.id = m.transaction_id
WHERE b.status = 'unposted'
ON CONFLICT (batch_id, customer_code) DO UPDATE SET
    owed_minor = CASE
        WHEN excluded.owed_minor > 0 AND owed_minor > 9223372036854775807 - excluded.owed_minor THEN 9223372036854775807
        WHEN excluded.owed_minor < 0 AND owed_minor < -9223372036854775807 - 1 - excluded.owed_minor THEN -9223372036854775807 - 1
        ELSE owed_minor + excluded.owed_minor END,
    owed_base = CASE
        WHEN excluded.owed_base > 0 AND owed_base > 9223372036854775807 - excluded.owed_base THEN 9223372036854775807
        WHEN excluded.owed_base < 0 AND owed_base < -9223372036854775807 - 1 - excluded.owed_base THEN -9223372036854775807 - 1
        ELSE owed_base + excluded.owed_base END;

-- Posting a batch adds its sums to what its customers owe as posted.
CREATE TRIGGER customer_owed_posting
AFTER UPDATE OF status ON gl_batches
WHEN old.status = 'unposted' AND new.status = 'posted'
BEGIN
    UPDATE customer_owed SET
        posted_minor = CASE
            WHEN s.owed_minor > 0 AND posted_minor > 9223372036854775807 - s.owed_minor THEN 9223372036854775807
            WHEN s.owed_minor < 0 AND posted_minor < -9223372036854775807 - 1 - s.owed_minor THEN -9223372036854775807 - 1
            ELSE posted_minor + s.owed_minor END,
        posted_base = CASE
            WHEN s.owed_base > 0 AND posted_base > 9223372036854775807 - s.owed_base THEN 9223372036854775807
            WHEN s.owed_base < 0 AND posted_base < -9223372036854775807 - 1 - s.owed_base THEN -9223372036854775807 - 1
            ELSE posted_base + s.owed_base END
    FROM gl_batch_owed AS s
    WHERE s.batch_id = new.id AND customer_owed.customer_code = s.customer_code;
END;
