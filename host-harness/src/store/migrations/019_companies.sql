-- Several companies (issue 14, part 5). A host holds one or more
-- companies, each with its base currency and rounding account (its ledger,
-- `gl_settings`), its AR settings (`ar_settings`) and its chart of accounts
-- (the accounts whose `company` it is). Customers and GL batches belong to
-- a company; a transaction's company is its customer's, which cannot change
-- once the customer has transactions. Groups are shared: a group's own
-- settings are those of the default company, and what differs per company
-- is a row of `group_company_settings`.
--
-- A store from before holds one company, `MAIN`, the default: it takes
-- the ledger settings, the AR settings, every account, customer and batch.

CREATE TABLE companies (
    code       TEXT PRIMARY KEY NOT NULL
               CHECK (length(code) BETWEEN 1 AND 8 AND code NOT GLOB '*[^A-Z0-9]*'),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX companies_one_default ON companies (is_default) WHERE is_default = 1;

INSERT INTO companies (code, name, is_default, created_by, created_at)
VALUES ('MAIN', 'Main company', 1, 'system', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

CREATE TRIGGER companies_code_immutable
BEFORE UPDATE OF code, is_default ON companies
WHEN new.code IS NOT old.code OR new.is_default IS NOT old.is_default
BEGIN
    SELECT RAISE(ABORT, 'a company''s code, and which company is the default, never change');
END;

CREATE TRIGGER companies_are_kept
BEFORE DELETE ON companies
BEGIN
    SELECT RAISE(ABORT, 'companies are never deleted');
END;

-- The ledger settings, one row per company.
CREATE TABLE gl_settings_019 (
    company          TEXT PRIMARY KEY NOT NULL REFERENCES companies (code),
    base_currency    TEXT NOT NULL DEFAULT '',
    rounding_account TEXT REFERENCES accounts (code)
) STRICT;
INSERT INTO gl_settings_019 (company, base_currency, rounding_account)
SELECT 'MAIN', base_currency, rounding_account FROM gl_settings;
DROP TABLE gl_settings;
ALTER TABLE gl_settings_019 RENAME TO gl_settings;

-- The AR settings (the defaults at the root of the group tree), one row per
-- company.
CREATE TABLE ar_settings_019 (
    company  TEXT PRIMARY KEY NOT NULL REFERENCES companies (code),
    settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings))
) STRICT;
INSERT INTO ar_settings_019 (company, settings) SELECT 'MAIN', settings FROM ar_settings;
DROP TABLE ar_settings;
ALTER TABLE ar_settings_019 RENAME TO ar_settings;

-- A company has its ledger and AR settings from the moment it exists.
CREATE TRIGGER companies_have_settings
AFTER INSERT ON companies
BEGIN
    INSERT INTO gl_settings (company) VALUES (new.code);
    INSERT INTO ar_settings (company) VALUES (new.code);
END;

-- Account numbers stay unique across the host (as ERPNext's account names
-- are, which carry the company's abbreviation): each account is in the
-- chart of exactly one company, for good.
ALTER TABLE accounts ADD COLUMN company TEXT NOT NULL DEFAULT 'MAIN';
CREATE INDEX accounts_by_company ON accounts (company, code);

CREATE TRIGGER accounts_company_exists
BEFORE INSERT ON accounts
WHEN NOT EXISTS (SELECT 1 FROM companies WHERE code = new.company)
BEGIN
    SELECT RAISE(ABORT, 'an account belongs to a company that exists');
END;

CREATE TRIGGER accounts_company_fixed
BEFORE UPDATE OF company ON accounts
WHEN new.company IS NOT old.company
BEGIN
    SELECT RAISE(ABORT, 'an account never moves to another company');
END;

-- A company's rounding account is in its own chart.
CREATE TRIGGER gl_settings_rounding_in_chart
BEFORE UPDATE OF rounding_account ON gl_settings
WHEN new.rounding_account IS NOT NULL
 AND (SELECT company FROM accounts WHERE code = new.rounding_account) IS NOT new.company
BEGIN
    SELECT RAISE(ABORT, 'a rounding account is in its company''s chart of accounts');
END;

-- The base currency every batch of a company balances in stays while the
-- company has batches.
CREATE TRIGGER gl_settings_base_currency_fixed
BEFORE UPDATE OF base_currency ON gl_settings
WHEN new.base_currency IS NOT old.base_currency
 AND EXISTS (SELECT 1 FROM gl_batches WHERE company = old.company)
BEGIN
    SELECT RAISE(ABORT, 'GL batches exist in the base currency; it cannot change');
END;

-- A customer trades with one company; its transactions are that company's.
ALTER TABLE customers ADD COLUMN company TEXT NOT NULL DEFAULT 'MAIN';
CREATE INDEX customers_by_company ON customers (company, code);

CREATE TRIGGER customers_company_exists
BEFORE INSERT ON customers
WHEN NOT EXISTS (SELECT 1 FROM companies WHERE code = new.company)
BEGIN
    SELECT RAISE(ABORT, 'a customer belongs to a company that exists');
END;

CREATE TRIGGER customers_company_fixed
BEFORE UPDATE OF company ON customers
WHEN new.company IS NOT old.company
 AND (NOT EXISTS (SELECT 1 FROM companies WHERE code = new.company)
      OR EXISTS (SELECT 1 FROM ar_transactions WHERE customer_code = old.code))
BEGIN
    SELECT RAISE(ABORT, 'a customer with transactions stays with its company');
END;

-- A batch is one company's: its transactions are that company's customers'.
ALTER TABLE gl_batches ADD COLUMN company TEXT NOT NULL DEFAULT 'MAIN';
CREATE INDEX gl_batches_by_company ON gl_batches (company, status);

CREATE TRIGGER gl_batches_company_exists
BEFORE INSERT ON gl_batches
WHEN NOT EXISTS (SELECT 1 FROM companies WHERE code = new.company)
BEGIN
    SELECT RAISE(ABORT, 'a GL batch belongs to a company that exists');
END;

-- What a group sets differently for a company other than the default: the
-- per-company fields of the plugin's form (which fields those are, the
-- plugin says), as the plugin's `settings` record by form field name.
CREATE TABLE group_company_settings (
    group_code TEXT NOT NULL REFERENCES customer_groups (code) ON DELETE CASCADE,
    company    TEXT NOT NULL REFERENCES companies (code),
    settings   TEXT NOT NULL CHECK (json_valid(settings)),
    PRIMARY KEY (group_code, company)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_company_settings_by_company ON group_company_settings (company);

CREATE TRIGGER group_company_settings_not_default
BEFORE INSERT ON group_company_settings
WHEN (SELECT is_default FROM companies WHERE code = new.company) = 1
BEGIN
    SELECT RAISE(ABORT, 'a group''s settings for the default company are its own settings');
END;
