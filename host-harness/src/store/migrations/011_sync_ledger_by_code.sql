-- The sync ledger kept in the order of its key (WITHOUT ROWID): a row was
-- two b-tree inserts, the table's and its primary key's, and the daemon
-- writes one for every group it creates or changes (a fifth of writing a
-- first sync of 100,000 groups). Same columns, same rules.

CREATE TABLE sync_ledger_v11 (
    code            TEXT PRIMARY KEY NOT NULL,
    source_file     TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    applied_version INTEGER NOT NULL,
    applied_at      TEXT NOT NULL,
    -- Deactivated (or kept) because no file declares it any more.
    removed         INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1))
) STRICT, WITHOUT ROWID;
INSERT INTO sync_ledger_v11 (code, source_file, content_hash, applied_version, applied_at, removed)
SELECT code, source_file, content_hash, applied_version, applied_at, removed FROM sync_ledger;
DROP TABLE sync_ledger;
ALTER TABLE sync_ledger_v11 RENAME TO sync_ledger;
