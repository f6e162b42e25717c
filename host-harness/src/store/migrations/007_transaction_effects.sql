-- What the plugin's posting rules make of each AR transaction, kept with it
-- from the moment it is entered (issue 11): every balance (receivables by
-- group, credit exposure) is the sum of these, never a second copy of the
-- rules in the host.

-- Changing the posted-transaction guard (below) needs it out of the way.
DROP TRIGGER ar_transactions_posted_immutable;

-- The group the customer was in when the transaction was entered: its
-- posting uses that group's accounts and reports count it there, so moving
-- a customer never moves its history.
ALTER TABLE ar_transactions ADD COLUMN group_code TEXT;
-- The sum of the posting's GL Debtor (receivable) lines, in minor units of
-- the transaction's currency and in base minor units: what it does to the
-- customer's balance. NULL: not asked yet (rows from before this migration
-- until the host asks the plugin, or rows the posting rules refuse).
ALTER TABLE ar_transactions ADD COLUMN receivable_minor INTEGER;
ALTER TABLE ar_transactions ADD COLUMN receivable_base INTEGER;
-- A reversal names the transaction it reverses; each is reversed at most once.
ALTER TABLE ar_transactions ADD COLUMN reverses INTEGER REFERENCES ar_transactions (id);

UPDATE ar_transactions
SET group_code = (SELECT c.group_code FROM customers c WHERE c.code = ar_transactions.customer_code);

CREATE INDEX ar_transactions_unasked ON ar_transactions (id) WHERE receivable_minor IS NULL;
CREATE UNIQUE INDEX ar_transactions_reversed_once ON ar_transactions (reverses)
    WHERE reverses IS NOT NULL;
-- A transaction's identity: kind, customer and reference (when it has one).
-- Reference first: files list references in order, so a million new rows
-- are appended near a few places instead of across every customer's range
-- (the identity check and this index cost 4 us a row the other way round).
CREATE INDEX ar_transactions_identity ON ar_transactions (reference, customer_code, kind)
    WHERE reference <> '';

-- A posted transaction never changes; its effect may only be filled in
-- once, when it was not known (rows posted before this migration).
CREATE TRIGGER ar_transactions_posted_immutable
BEFORE UPDATE OF id, customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor,
                 discount_minor, account, tax_account, reference, group_code, reverses
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
-- An unposted batch holds postings made of its transactions' values: they
-- change only after the batch is deleted.
CREATE TRIGGER ar_transactions_batched_values_fixed
BEFORE UPDATE OF customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor,
                 discount_minor, account, tax_account, reference, group_code, reverses
ON ar_transactions
WHEN EXISTS (SELECT 1 FROM gl_batch_members WHERE transaction_id = old.id)
BEGIN
    SELECT RAISE(ABORT, 'a transaction in a GL batch cannot be changed; delete the unposted batch first');
END;
