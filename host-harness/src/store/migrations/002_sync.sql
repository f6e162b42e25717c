-- The sync daemon's records: which groups it owns (and what it last wrote),
-- and a log of its runs.

-- No foreign key to customer_groups: a group deleted in the host while the
-- daemon owns it must stay visible as drift.
CREATE TABLE sync_ledger (
    code            TEXT PRIMARY KEY NOT NULL,
    source_file     TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    applied_version INTEGER NOT NULL,
    applied_at      TEXT NOT NULL,
    -- Deactivated (or kept) because no file declares it any more.
    removed         INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1))
) STRICT;

CREATE TABLE sync_runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    config_digest TEXT,
    outcome       TEXT NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'refused', 'failed')),
    created       INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    deactivated   INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    drifted       INTEGER NOT NULL DEFAULT 0,
    report        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(report))
) STRICT;
