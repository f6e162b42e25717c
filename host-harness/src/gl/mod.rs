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
use crate::store::{Db, StoreError};
use crate::wit::{BatchIssue, GlLine, LineRole};

mod batch;
pub mod entry;
mod snapshot;
mod verify;

pub(crate) use crate::store::ledger::decimals_in;
pub use crate::store::ledger::{
    BatchFilter, BatchLine, BatchSummary, BatchTotal, Decimals, GlSettings, NewTransaction,
    TransactionRecord,
};
pub(crate) use batch::Packer;
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

/// Whether `text` is a calendar date `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        text.get(r)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1900 && (1..=days).contains(&d)
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
}
