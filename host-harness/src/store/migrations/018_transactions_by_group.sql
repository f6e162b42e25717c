-- A transaction remembers the group it was entered under (issue 14):
-- reports count it there, and a group that history names is in use, so it
-- cannot be deleted once its customers have moved on. Counting a group's
-- transactions by that group needs this index (a scan of a million rows
-- per question otherwise).
CREATE INDEX ar_transactions_by_group ON ar_transactions (group_code);
