-- The host ERP's initial schema: chart of accounts, AR settings, customer
-- groups, customers, AR transactions, installed plugins and the menu.

CREATE TABLE accounts (
    code   TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('receivable', 'bank', 'other-asset', 'liability',
                                         'equity', 'income', 'expense')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- The Integration tab of the AR settings: one row.
CREATE TABLE ar_settings (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    receivable_account     TEXT REFERENCES accounts (code),
    reward_expense_account TEXT REFERENCES accounts (code),
    sales_discount_account TEXT REFERENCES accounts (code),
    write_off_account      TEXT REFERENCES accounts (code)
) STRICT;
INSERT INTO ar_settings (id) VALUES (1);

CREATE TABLE customer_groups (
    code                   TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 8),
    name                   TEXT NOT NULL,
    receivable_account     TEXT REFERENCES accounts (code),
    reward_expense_account TEXT REFERENCES accounts (code),
    sales_discount_account TEXT REFERENCES accounts (code),
    write_off_account      TEXT REFERENCES accounts (code),
    inactive               INTEGER NOT NULL DEFAULT 0 CHECK (inactive IN (0, 1)),
    version                INTEGER NOT NULL DEFAULT 1,
    created_by             TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
) STRICT;
CREATE INDEX customer_groups_by_name ON customer_groups (name COLLATE NOCASE);

INSERT INTO customer_groups (code, name, created_by, created_at, updated_by, updated_at)
VALUES ('0000', 'Default', 'system', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
        'system', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

CREATE TRIGGER customer_groups_keep_default
BEFORE DELETE ON customer_groups WHEN old.code = '0000'
BEGIN
    SELECT RAISE(ABORT, 'the default customer group 0000 cannot be deleted');
END;

CREATE TRIGGER customer_groups_code_immutable
BEFORE UPDATE OF code ON customer_groups WHEN new.code IS NOT old.code
BEGIN
    SELECT RAISE(ABORT, 'customer group codes are immutable');
END;

CREATE TABLE customers (
    code       TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    group_code TEXT NOT NULL DEFAULT '0000' REFERENCES customer_groups (code),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
CREATE INDEX customers_by_group ON customers (group_code);

CREATE TABLE ar_transactions (
    id            INTEGER PRIMARY KEY,
    customer_code TEXT NOT NULL REFERENCES customers (code),
    kind          TEXT NOT NULL,
    date          TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL
) STRICT;
CREATE INDEX ar_transactions_by_customer ON ar_transactions (customer_code);

-- Installed plugins, one per form; the component itself is kept so that every
-- process (CLI, daemon) runs exactly the bytes that were verified at install.
CREATE TABLE plugins (
    form_id      TEXT PRIMARY KEY NOT NULL,
    sha256       TEXT NOT NULL,
    wit_version  TEXT NOT NULL,
    component    BLOB NOT NULL,
    installed_by TEXT NOT NULL,
    installed_at TEXT NOT NULL
) STRICT;

CREATE TABLE menu_entries (
    route    TEXT PRIMARY KEY NOT NULL,
    path     TEXT NOT NULL,
    plugin   TEXT REFERENCES plugins (form_id) ON DELETE CASCADE,
    position INTEGER NOT NULL
) STRICT;

-- The host's own menu entries; plugins add theirs at install.
INSERT INTO menu_entries (route, path, plugin, position) VALUES
    ('/form/customer', 'Sales & POS > Customers & Sales Team > Customer', NULL, 1),
    ('/form/salesperson', 'Sales & POS > Customers & Sales Team > Sales Person', NULL, 2),
    ('/form/salesinvoice', 'Sales & POS > Sales Invoice', NULL, 3),
    ('/form/account', 'Accounting > Chart of Accounts', NULL, 4),
    ('/form/arsettings', 'Accounting > Accounts Receivable > Settings', NULL, 5),
    ('/form/glbatch', 'Accounting > General Ledger > GL Batches', NULL, 6);
