//! The ledger's tables as the host reads them: its settings, AR
//! transactions, GL batches with their sums and lines, the ledger itself,
//! and each currency's decimals. Writing them is the ledger's
//! ([`crate::gl`]): entry, batch creation and posting.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::postings::stored_postings;
use super::{Db, StoreError};
use crate::wit::TransactionKind;

/// The ledger's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GlSettings {
    /// The base currency every batch balances in; blank until set.
    pub base_currency: String,
    /// Where conversion differences go.
    pub rounding_account: Option<String>,
}

/// An AR transaction as entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewTransaction {
    /// What it is.
    #[serde(serialize_with = "kind_name")]
    pub kind: TransactionKind,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// The customer.
    pub customer: String,
    /// Its currency (the customer's).
    pub currency: String,
    /// Base-currency units per unit of `currency`, in billionths; none when
    /// the user gave none (the plugin's posting rules say what that means).
    pub rate_nanos: Option<u64>,
    /// Gross amount in minor units of `currency`.
    pub amount: i64,
    /// Tax included in `amount`.
    pub tax: i64,
    /// Settlement discount taken (receipts).
    pub discount: i64,
    /// The account it names (sales, journal counter account, bank, reward source).
    pub account: Option<String>,
    /// The tax account.
    pub tax_account: Option<String>,
    /// The document reference.
    pub reference: String,
}

fn kind_name<S: serde::Serializer>(kind: &TransactionKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// A stored AR transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransactionRecord {
    /// Its id.
    pub id: i64,
    /// What was entered.
    #[serde(flatten)]
    pub entered: NewTransaction,
    /// The batch it is in.
    pub batch: Option<i64>,
}

/// What `gl batch create` takes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchFilter {
    /// Transactions dated on or after.
    pub from: Option<String>,
    /// Transactions dated on or before.
    pub to: Option<String>,
    /// Customers of this group and its descendants only.
    pub group: Option<String>,
}

/// A batch, without its lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BatchSummary {
    /// Its id.
    pub id: i64,
    /// `unposted` or `posted`.
    pub status: String,
    /// The filter it was created with.
    #[serde(flatten)]
    pub filter: BatchFilter,
    /// The base currency.
    pub base_currency: String,
    /// Transactions in it.
    pub transactions: i64,
    /// Total debits (= total credits) in base minor units.
    pub debit_total: i64,
    /// Who created it, when.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Who posted it.
    pub posted_by: Option<String>,
    /// When.
    pub posted_at: Option<String>,
    /// The company whose batch it is.
    pub company: String,
}

/// A batch's lines summed per day, account and currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BatchTotal {
    /// The day.
    pub date: String,
    /// The account.
    pub account: String,
    /// The transactions' currency.
    pub currency: String,
    /// Debits, base minor units.
    pub debit: i64,
    /// Credits, base minor units.
    pub credit: i64,
    /// Net, minor units of `currency`.
    pub amount: i64,
    /// Lines summed.
    pub lines: i64,
}

/// One line of a batch, with its transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BatchLine {
    /// The transaction.
    pub transaction: i64,
    /// Its date.
    pub date: String,
    /// The account.
    pub account: String,
    /// What the line does.
    pub role: String,
    /// The description.
    pub description: String,
    /// The transaction's currency.
    pub currency: String,
    /// Minor units of `currency`, debit positive.
    pub amount: i64,
    /// Base minor units, debit positive.
    pub base_amount: i64,
}

/// Minor-unit decimals per currency code.
pub type Decimals = HashMap<String, u32>;

impl Db {
    /// The default company's ledger settings.
    pub fn gl_settings(&self) -> Result<GlSettings, StoreError> {
        self.gl_settings_of(super::DEFAULT_COMPANY)
    }

    /// The ledger settings of `company`.
    pub fn gl_settings_of(&self, company: &str) -> Result<GlSettings, StoreError> {
        let conn = self.conn();
        conn.prepare_cached(
            "SELECT base_currency, rounding_account FROM gl_settings WHERE company = ?1",
        )?
        .query_row([company], |row| {
            Ok(GlSettings {
                base_currency: row.get(0)?,
                rounding_account: row.get(1)?,
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "company",
            key: company.to_owned(),
        })
    }

    /// Every currency's minor-unit decimals.
    pub fn currency_decimals(&self) -> Result<Decimals, StoreError> {
        let conn = self.conn();
        decimals_in(&conn)
    }

    /// One transaction.
    pub fn transaction(&self, id: i64) -> Result<Option<TransactionRecord>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {TRANSACTION_COLUMNS} FROM {TRANSACTIONS_WITH_BATCH} WHERE t.id = ?1"
            ))?
            .query_row([id], transaction_from_row)
            .optional()?)
    }

    /// Transactions, newest first: of one customer, or in one batch, at most `limit`.
    pub fn transactions(
        &self,
        customer: Option<&str>,
        batch: Option<i64>,
        limit: usize,
    ) -> Result<Vec<TransactionRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {TRANSACTION_COLUMNS} FROM {TRANSACTIONS_WITH_BATCH} \
             WHERE (?1 IS NULL OR t.customer_code = ?1) AND (?2 IS NULL OR m.batch_id = ?2) \
             ORDER BY t.date DESC, t.id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(
            params![customer, batch, i64::try_from(limit).unwrap_or(i64::MAX)],
            transaction_from_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every batch, newest first.
    pub fn batches(&self) -> Result<Vec<BatchSummary>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM gl_batches ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([], batch_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One batch.
    pub fn batch(&self, id: i64) -> Result<Option<BatchSummary>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {BATCH_COLUMNS} FROM gl_batches WHERE id = ?1"
            ))?
            .query_row([id], batch_from_row)
            .optional()?)
    }

    /// A batch's sums per day, account and currency.
    pub fn batch_totals(&self, id: i64) -> Result<Vec<BatchTotal>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT date, account, currency, debit, credit, amount, lines FROM gl_batch_totals \
             WHERE batch_id = ?1 ORDER BY date, account, currency",
        )?;
        let rows = stmt.query_map([id], |row| {
            Ok(BatchTotal {
                date: row.get(0)?,
                account: row.get(1)?,
                currency: row.get(2)?,
                debit: row.get(3)?,
                credit: row.get(4)?,
                amount: row.get(5)?,
                lines: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A batch's lines, transaction by transaction (at most `limit` transactions).
    pub fn batch_lines(&self, id: i64, limit: usize) -> Result<Vec<BatchLine>, StoreError> {
        let conn = self.conn();
        let mut chunks = conn.prepare_cached(
            "SELECT postings FROM gl_batch_postings WHERE batch_id = ?1 ORDER BY chunk",
        )?;
        let mut of =
            conn.prepare_cached("SELECT date, currency FROM ar_transactions WHERE id = ?1")?;
        let mut rows = chunks.query([id])?;
        let (mut out, mut seen) = (Vec::new(), 0usize);
        while let Some(row) = rows.next()? {
            let blob = row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
            let postings = stored_postings(blob)?;
            for (transaction, description, lines) in postings {
                if seen == limit {
                    return Ok(out);
                }
                seen += 1;
                let (date, currency): (String, String) =
                    of.query_row([transaction], |r| Ok((r.get(0)?, r.get(1)?)))?;
                for (account, role, amount, base_amount) in lines {
                    out.push(BatchLine {
                        transaction,
                        date: date.clone(),
                        account,
                        role,
                        description: description.clone(),
                        currency: currency.clone(),
                        amount,
                        base_amount,
                    });
                }
            }
        }
        Ok(out)
    }

    /// The ledger: posted entries of `account` (all when `None`), in date order.
    pub fn gl_entries(&self, account: Option<&str>) -> Result<Vec<(i64, BatchTotal)>, StoreError> {
        self.gl_entries_of(None, account)
    }

    /// The posted ledger of `company` (every company's when none), in
    /// posting order: (batch id, entry); only `account`'s when given.
    pub fn gl_entries_of(
        &self,
        company: Option<&str>,
        account: Option<&str>,
    ) -> Result<Vec<(i64, BatchTotal)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT e.batch_id, e.date, e.account, e.currency, e.debit, e.credit, e.amount \
             FROM gl_entries e JOIN gl_batches b ON b.id = e.batch_id \
             WHERE (?1 IS NULL OR e.account = ?1) AND (?2 IS NULL OR b.company = ?2) \
             ORDER BY e.date, e.id",
        )?;
        let rows = stmt.query_map([account, company], |row| {
            Ok((
                row.get(0)?,
                BatchTotal {
                    date: row.get(1)?,
                    account: row.get(2)?,
                    currency: row.get(3)?,
                    debit: row.get(4)?,
                    credit: row.get(5)?,
                    amount: row.get(6)?,
                    lines: 1,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const TRANSACTION_COLUMNS: &str = "t.id, t.kind, t.date, t.customer_code, t.currency, \
     t.rate_nanos, t.amount_minor, t.tax_minor, t.discount_minor, t.account, t.tax_account, \
     t.reference, m.batch_id";

/// Transactions `t` with their batch membership `m`.
const TRANSACTIONS_WITH_BATCH: &str =
    "ar_transactions t LEFT JOIN gl_batch_members m ON m.transaction_id = t.id";

fn transaction_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TransactionRecord> {
    let kind = row.get_ref(1)?.as_str().unwrap_or_default();
    let rate: Option<i64> = row.get(5)?;
    Ok(TransactionRecord {
        id: row.get(0)?,
        entered: NewTransaction {
            kind: TransactionKind::parse(kind).unwrap_or(TransactionKind::Journal),
            date: row.get(2)?,
            customer: row.get(3)?,
            currency: row.get(4)?,
            rate_nanos: rate.and_then(|r| u64::try_from(r).ok()),
            amount: row.get(6)?,
            tax: row.get(7)?,
            discount: row.get(8)?,
            account: row.get(9)?,
            tax_account: row.get(10)?,
            reference: row.get(11)?,
        },
        batch: row.get(12)?,
    })
}

const BATCH_COLUMNS: &str = "id, status, from_date, to_date, group_code, base_currency, \
     transactions, debit_total, created_by, created_at, posted_by, posted_at, company";

fn batch_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<BatchSummary> {
    Ok(BatchSummary {
        id: row.get(0)?,
        status: row.get(1)?,
        filter: BatchFilter {
            from: row.get(2)?,
            to: row.get(3)?,
            group: row.get(4)?,
        },
        base_currency: row.get(5)?,
        transactions: row.get(6)?,
        debit_total: row.get(7)?,
        created_by: row.get(8)?,
        created_at: row.get(9)?,
        posted_by: row.get(10)?,
        posted_at: row.get(11)?,
        company: row.get(12)?,
    })
}

pub(crate) fn decimals_in(conn: &rusqlite::Connection) -> Result<Decimals, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT code, decimals FROM reference_data WHERE kind = 'currency'")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
