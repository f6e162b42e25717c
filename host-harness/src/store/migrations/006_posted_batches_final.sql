-- A posted batch is final in the schema itself: every INSERT, UPDATE and
-- DELETE that would change a posted batch, its members, sums or postings,
-- or the ledger other than by posting, is refused. 003 and 005 guarded the
-- updates and deletes; these guard the inserts and the rest.

-- Posting *is* the change of a batch's status from unposted to posted: the
-- ledger's entries are written by this trigger, as a copy of the batch's
-- sums, and by nothing else.
CREATE TRIGGER gl_batches_posting_writes_the_ledger
AFTER UPDATE OF status ON gl_batches
WHEN old.status = 'unposted' AND new.status = 'posted'
BEGIN
    INSERT INTO gl_entries (batch_id, date, account, currency, debit, credit, amount, description)
    SELECT batch_id, date, account, currency, debit, credit, amount, 'AR batch ' || batch_id
    FROM gl_batch_totals WHERE batch_id = new.id ORDER BY date, account, currency;
END;

-- An entry is one of a posted batch's sums, exactly, and only once.
CREATE UNIQUE INDEX gl_entries_one_per_sum ON gl_entries (batch_id, date, account, currency);
CREATE TRIGGER gl_entries_only_by_posting
BEFORE INSERT ON gl_entries
WHEN (SELECT status FROM gl_batches WHERE id = new.batch_id) IS NOT 'posted'
     OR new.description IS NOT 'AR batch ' || new.batch_id
     OR NOT EXISTS (SELECT 1 FROM gl_batch_totals t
                    WHERE t.batch_id = new.batch_id AND t.date = new.date
                      AND t.account = new.account AND t.currency = new.currency
                      AND t.debit = new.debit AND t.credit = new.credit
                      AND t.amount = new.amount)
BEGIN
    SELECT RAISE(ABORT, 'GL entries are written only by posting a GL batch');
END;

-- A batch is born unposted.
CREATE TRIGGER gl_batches_born_unposted
BEFORE INSERT ON gl_batches WHEN new.status IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a GL batch is created unposted and posted by erp-host gl batch post');
END;

-- Sums: none added to, moved into or changed in a posted batch.
CREATE TRIGGER gl_batch_totals_posted_no_insert
BEFORE INSERT ON gl_batch_totals
WHEN (SELECT status FROM gl_batches WHERE id = new.batch_id) IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;
CREATE TRIGGER gl_batch_totals_posted_no_update
BEFORE UPDATE ON gl_batch_totals
WHEN (SELECT status FROM gl_batches WHERE id = old.batch_id) IS NOT 'unposted'
     OR (SELECT status FROM gl_batches WHERE id = new.batch_id) IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;

-- Postings: none added to a posted batch (updates were refused already).
CREATE TRIGGER gl_batch_postings_posted_no_insert
BEFORE INSERT ON gl_batch_postings
WHEN (SELECT status FROM gl_batches WHERE id = new.batch_id) IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a posted GL batch cannot be changed');
END;

-- Members: none added to a posted batch. Checked per row, this would cost
-- a lookup for each of a million claimed transactions; `create_batch`, the
-- one writer of members, lifts it inside its own SQLite transaction (which
-- adds members only to the batch it has just created) and puts it back
-- before it commits, so no other connection ever sees the schema without it.
CREATE TRIGGER gl_batch_members_posted_no_insert
BEFORE INSERT ON gl_batch_members
WHEN (SELECT status FROM gl_batches WHERE id = new.batch_id) IS NOT 'unposted'
BEGIN
    SELECT RAISE(ABORT, 'a transaction cannot join a posted GL batch');
END;

-- The base currency every batch balances in stays while batches exist.
CREATE TRIGGER gl_settings_base_currency_fixed
BEFORE UPDATE OF base_currency ON gl_settings
WHEN new.base_currency IS NOT old.base_currency AND EXISTS (SELECT 1 FROM gl_batches)
BEGIN
    SELECT RAISE(ABORT, 'GL batches exist in the base currency; it cannot change');
END;
