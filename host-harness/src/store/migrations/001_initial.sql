-- The host ERP's initial schema: chart of accounts, AR settings, customer
-- groups, customers, AR transactions, installed plugins and the menu.

CREATE TABLE accounts (
    code   TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('receivable', 'bank', 'other-asset', 'liability',
                                         'equity', 'income', 'expense')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- Master data of other host modules that group settings name by code.
CREATE TABLE reference_data (
    kind   TEXT NOT NULL CHECK (kind IN ('currency', 'price-list', 'price-code',
                                         'payment-terms', 'tax-regime', 'tax-code', 'product')),
    code   TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    name   TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    PRIMARY KEY (kind, code)
) STRICT;

-- The AR settings (Integration tab): one row. `settings` is the plugin's
-- `settings` record as JSON: the defaults at the root of the group tree.
CREATE TABLE ar_settings (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings))
) STRICT;
INSERT INTO ar_settings (id) VALUES (1);

-- `settings` is the plugin's `settings` record as JSON: what the group sets
-- itself; absent values inherit. What a valid group is, the plugin decides.
CREATE TABLE customer_groups (
    code       TEXT PRIMARY KEY NOT NULL CHECK (length(code) BETWEEN 1 AND 8),
    name       TEXT NOT NULL,
    parent     TEXT REFERENCES customer_groups (code),
    is_group   INTEGER NOT NULL DEFAULT 0 CHECK (is_group IN (0, 1)),
    inactive   INTEGER NOT NULL DEFAULT 0 CHECK (inactive IN (0, 1)),
    settings   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    version    INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (parent IS NULL OR parent <> code)
) STRICT;
CREATE INDEX customer_groups_by_name ON customer_groups (name COLLATE NOCASE);
CREATE INDEX customer_groups_by_parent ON customer_groups (parent);

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

-- `terms` holds the customer's payment terms, due and discount terms,
-- statement aging and price code as JSON (what Apply Default Terms sets).
CREATE TABLE customers (
    code       TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    group_code TEXT NOT NULL DEFAULT '0000' REFERENCES customer_groups (code),
    currency   TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    terms      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(terms))
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
