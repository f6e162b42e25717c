//! The general-ledger side of AR (seed 004): AR transactions, GL batches
//! built by the plugin's posting rules, posting, and the checks the host makes
//! of every batch a plugin returns before it stores it.
//!
//! A batch is created in one SQLite transaction: the unbatched transactions
//! are read in chunks, the plugin turns each chunk into lines (answering its
//! questions from a snapshot taken inside the same transaction), the host
//! checks the lines, claims the transactions (`gl_batch_members`), keeps the
//! lines packed and sums them per day, account and currency. Posting copies those sums into the ledger and makes
//! the batch immutable; deleting an unposted batch releases its transactions.

use crate::engine::{PluginError, PluginRuntime};
use crate::messages::{self as m, Locale, Localize};
use crate::store::{Db, Scope, StoreError};
use crate::wit::{BatchIssue, GlLine, LineRole};

mod batch;
mod checker;
pub mod credit;
pub mod entry;
pub mod input;
mod packer;
mod settle;
mod snapshot;
mod verify;

pub(crate) use crate::store::ledger::decimals_in;
pub use crate::store::ledger::{
    BatchFilter, BatchLine, BatchSummary, BatchTotal, Decimals, GlSettings, NewTransaction,
    TransactionRecord,
};
pub(crate) use packer::Packer;
pub(crate) use snapshot::{Snapshot, SnapshotFacts};
pub use verify::check_postings;
use verify::span_of;
pub(crate) use verify::text;

/// The ledger's services: AR transactions as entered ([`entry`]),
/// GL batches, posting, and the credit check; over the host's store and
/// the installed plugin, whose posting rules they ask.
#[derive(Clone, Copy)]
pub struct Gl<'a> {
    db: &'a Db,
    plugin: &'a PluginRuntime,
}

impl<'a> Gl<'a> {
    /// The services over `db`, asking `plugin`.
    pub fn new(db: &'a Db, plugin: &'a PluginRuntime) -> Self {
        Self { db, plugin }
    }

    /// The store.
    pub fn db(&self) -> &'a Db {
        self.db
    }

    /// The plugin.
    pub fn plugin(&self) -> &'a PluginRuntime {
        self.plugin
    }

    /// Whose facts the plugin is given for `company` (a stored company's
    /// code, normalised first; the default company when none): for a
    /// company other than the default, the installed plugin's per-company
    /// fields come with it.
    pub fn scope(&self, company: Option<&str>) -> Result<Scope, GlError> {
        let company = self.db.company_or_default(company)?;
        if company.is_default {
            return Ok(Scope::default_company());
        }
        let form = self.plugin.form(self.db.facts(), "en")?;
        Ok(Scope {
            company: company.code,
            per_company: Some(crate::fields::per_company(&form)),
        })
    }
}

/// Transactions sent to the plugin in one call.
pub const CHUNK: usize = 10_000;

/// Most plugin problems gathered before a batch is given up.
pub(crate) const MAX_ISSUES: usize = 200;

/// Why a GL operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum GlError {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The plugin failed.
    #[error(transparent)]
    Plugin(#[from] PluginError),
    /// The ledger has no base currency.
    #[error(
        "the ledger has no base currency; set it with `erp-host gl settings set --base-currency CODE`"
    )]
    NoBaseCurrency,
    /// The plugin's posting rules refused some transactions: nothing was batched.
    #[error("{}", refused_message(.issues, *.more))]
    Refused {
        /// The problems, per transaction.
        issues: Vec<BatchIssue>,
        /// Problems not listed.
        more: usize,
    },
    /// The plugin returned a batch the host will not store.
    #[error("the plugin returned an unsound batch; nothing was stored:\n  {}", .0.join("\n  "))]
    Unsound(Vec<String>),
    /// No transaction matched.
    #[error("no unbatched transactions match; nothing to do")]
    NothingToBatch,
    /// No such batch.
    #[error("there is no GL batch {0}")]
    NoSuchBatch(i64),
    /// The batch is posted.
    #[error("GL batch {0} is posted; a posted batch never changes")]
    Posted(i64),
    /// Bad input, with where it is.
    #[error("{0}")]
    Input(String),
}

impl From<rusqlite::Error> for GlError {
    fn from(error: rusqlite::Error) -> Self {
        GlError::Store(StoreError::Sqlite(error))
    }
}

fn refused_message(issues: &[BatchIssue], more: usize) -> String {
    let mut out = String::from("the batch was not created:");
    for issue in issues {
        out.push_str(&format!(
            "\n  transaction {}: {}: {} [{}]",
            shown_transaction(issue),
            issue.field,
            issue.message,
            issue.rule
        ));
    }
    if more > 0 {
        out.push_str(&format!("\n  ... and {more} more"));
    }
    out
}

/// The transaction an issue names, as messages show it: the batch as a
/// whole (`none`) is transaction 0, as the 0.4.0 contract numbered it, so
/// that what the host prints did not change with the type.
fn shown_transaction(issue: &BatchIssue) -> u64 {
    issue.transaction.unwrap_or(0)
}

/// Whether `text` is a calendar date written as the contract writes dates,
/// `YYYY-MM-DD`: for the dates that filter a batch or a report. Which dates
/// a transaction may have (from 1900 on) is the plugin's rule, asked when
/// the transaction is entered.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    let number = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u16>().ok());
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    shape
        && u8::try_from(month)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .zip(u8::try_from(day).ok())
            .is_some_and(|(month, day)| {
                time::Date::from_calendar_date(i32::from(year), month, day).is_ok()
            })
}

pub(crate) fn worker_gone() -> GlError {
    GlError::Input("the plugin's worker thread stopped".into())
}

/// How a reversal's description starts in a batch's lines.
pub const REVERSAL_PREFIX: &str = "Reversal: ";

/// What a posting does to its customer's balance: the sum of its GL Debtor
/// (receivable) lines, in the transaction's currency and in base currency;
/// none if that does not fit.
pub fn receivable_effect(lines: impl IntoIterator<Item = GlLine>) -> Option<(i64, i64)> {
    let mut sum = (0i64, 0i64);
    for line in lines {
        if line.role == LineRole::Receivable {
            sum = (
                sum.0.checked_add(line.amount)?,
                sum.1.checked_add(line.base_amount)?,
            );
        }
    }
    Some(sum)
}

impl Localize for GlError {
    fn localize(&self, locale: Locale) -> String {
        match self {
            GlError::Store(e) => e.localize(locale),
            GlError::Plugin(e) => e.localize(locale),
            GlError::NoBaseCurrency => m::no_base_currency(locale),
            GlError::NothingToBatch => m::nothing_to_batch(locale),
            GlError::NoSuchBatch(id) => m::no_such_batch(locale, *id),
            GlError::Posted(id) => m::batch_posted(locale, *id),
            GlError::Refused { issues, more } => {
                let mut out = m::batch_not_created(locale);
                for i in issues {
                    out.push_str("\n  ");
                    out.push_str(&m::batch_problem(
                        locale,
                        shown_transaction(i),
                        &i.field,
                        &i.message,
                        &i.rule,
                    ));
                }
                if *more > 0 {
                    out.push_str("\n  ");
                    out.push_str(&m::and_more(locale, *more));
                }
                out
            }
            // Built in the user's locale where they arise (`entry`), or the
            // host's own checks of a plugin (English, for its author).
            GlError::Unsound(_) | GlError::Input(_) => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_line_names_its_role_by_its_place_in_every_role() {
        for (at, role) in LineRole::ALL.into_iter().enumerate() {
            assert_eq!(role as usize, at, "{role:?}");
        }
    }
    #[test]
    fn a_filter_date_is_a_calendar_date_in_the_contracts_form() {
        for good in ["2024-02-29", "2026-12-31", "1899-12-31", "0001-01-01"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-04-31",
            "2026-1-1",
            "+2026-01-1",
            "2026-01-01T00:00",
            "\u{ff12}\u{ff10}\u{ff12}\u{ff16}-01-01",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
