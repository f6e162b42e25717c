//! The check at entry: each chunk of transactions to enter goes through the
//! plugin's posting rules (the very call a GL batch makes later), against
//! facts read once inside the entry's SQLite transaction; and the problems
//! found, gathered per line up to [`MAX_ISSUES`].

use std::sync::Arc;

use rusqlite::Transaction;

use crate::gl::{
    Decimals, Gl, GlError, MAX_ISSUES, NewTransaction, Packer, Snapshot, SnapshotFacts,
    check_postings, decimals_in, receivable_effect,
};
use crate::messages::{self as m, Locale};
use crate::store::Scope;
use crate::units::{amount_text, minor_rate};
use crate::wit::{ArTransaction, ArTransactions, BatchIssue, Ledger, Postings};

/// A transaction about to be stored: where it came from and its group.
pub(super) struct Pending {
    pub(super) line: usize,
    pub(super) entry: NewTransaction,
    pub(super) group: String,
    /// The transaction it reverses.
    pub(super) reverses: Option<i64>,
}

/// The plugin's rule id for a transaction in a currency other than the
/// base currency entered without a rate.
const MISSING_RATE: &str = "gl.missing-rate";

/// What the plugin's posting rules made of one transaction: its receivable
/// effect, or its problems (none: unknown, the plugin refused others of its chunk).
pub(super) type Verdict = Result<(i64, i64), Vec<BatchIssue>>;

/// A chunk as the plugin got it, and its answer: postings or problems.
pub(super) type Asked = (ArTransactions, Result<Postings, Vec<BatchIssue>>);

/// The facts an entry is checked against, read once inside its SQLite
/// transaction (the connection is busy writing meanwhile).
pub(super) struct Checker<'a> {
    pub(super) gl: Gl<'a>,
    pub(super) facts: Arc<Snapshot>,
    pub(super) ledger: Ledger,
    pub(super) decimals: Decimals,
    pub(super) base_decimals: u32,
    /// The company whose facts these are.
    pub(super) company: String,
    pub(super) locale: &'a str,
}

impl<'a> Checker<'a> {
    /// The facts of `scope`'s company, read inside `tx`.
    pub(super) fn load(
        gl: Gl<'a>,
        tx: &Transaction<'_>,
        locale: &'a str,
        scope: &Scope,
    ) -> Result<Self, GlError> {
        let (base_currency, rounding_account): (String, Option<String>) = tx.query_row(
            "SELECT base_currency, rounding_account FROM gl_settings WHERE company = ?1",
            [&scope.company],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let decimals = decimals_in(tx)?;
        Ok(Self {
            gl,
            facts: Arc::new(Snapshot::load(tx, scope)?),
            base_decimals: decimals.get(&base_currency).copied().unwrap_or(2),
            decimals,
            ledger: Ledger {
                base_currency,
                rounding_account,
            },
            company: scope.company.clone(),
            locale,
        })
    }

    /// The plugin's verdict on each of `pending` (at most [`CHUNK`]), and
    /// the problems of the whole chunk (`transaction` 0). The plugin
    /// returns no postings when it refuses any transaction of a call, so
    /// the others are asked again without the refused ones.
    pub(super) fn check(
        &self,
        pending: &[Pending],
    ) -> Result<(Vec<Verdict>, Vec<BatchIssue>), GlError> {
        let (mut verdicts, whole) = self.check_once(pending)?;
        let unknown: Vec<usize> = (0..pending.len())
            .filter(|&i| matches!(&verdicts[i], Err(issues) if issues.is_empty()))
            .collect();
        if whole.is_empty() && !unknown.is_empty() && unknown.len() < pending.len() {
            let again: Vec<Pending> = unknown
                .iter()
                .map(|&i| {
                    let p = &pending[i];
                    Pending {
                        line: p.line,
                        entry: p.entry.clone(),
                        group: p.group.clone(),
                        reverses: p.reverses,
                    }
                })
                .collect();
            let (second, _) = self.check_once(&again)?;
            for (i, verdict) in unknown.into_iter().zip(second) {
                verdicts[i] = verdict;
            }
        }
        Ok((verdicts, whole))
    }

    /// `pending` packed as the plugin takes them (ids 1, 2, ...), and what
    /// its posting rules make of them.
    pub(super) fn ask(&self, pending: &[Pending]) -> Result<Asked, GlError> {
        let mut packer = Packer::new();
        for (n, p) in pending.iter().enumerate() {
            let e = &p.entry;
            let (currency, from) = packer.currency(&e.currency, |code| {
                self.decimals.get(code).copied().unwrap_or(2)
            });
            let entry = ArTransaction {
                id: n as u64 + 1,
                kind: e.kind,
                date: packer.text(&e.date),
                customer: packer.text(&e.customer),
                group: packer.text(&p.group),
                currency,
                rate_nanos: e
                    .rate_nanos
                    .map(|r| minor_rate(r, from, self.base_decimals).unwrap_or(0)),
                amount: e.amount,
                tax: e.tax,
                discount: e.discount,
                account: e.account.as_deref().map(|a| packer.text(a)),
                tax_account: e.tax_account.as_deref().map(|a| packer.text(a)),
                reference: packer.reference(&e.reference),
            };
            packer.push(entry);
        }
        let chunk = packer.finish();
        let facts = Box::new(SnapshotFacts(self.facts.clone()));
        let out = self
            .gl
            .plugin()
            .build_batch(facts, &self.ledger, &chunk, self.locale)?;
        Ok((chunk, out))
    }

    /// The host's words for a transaction the plugin's posting rules refuse
    /// for want of a rate (`gl.missing-rate`): which rate is needed and how
    /// to give it (`--rate`, the CSV's column), as the host asked before the
    /// rule was the plugin's alone. None when no issue is that one.
    pub(super) fn rate_question(
        &self,
        issues: &[BatchIssue],
        entry: &NewTransaction,
    ) -> Option<String> {
        issues.iter().any(|i| i.rule == MISSING_RATE).then(|| {
            let lang = Locale::from_tag(self.locale);
            let base = match self.ledger.base_currency.as_str() {
                "" => m::base_units(lang),
                base => base.to_owned(),
            };
            m::rate_needed(lang, &entry.currency, &base)
        })
    }

    pub(super) fn check_once(
        &self,
        pending: &[Pending],
    ) -> Result<(Vec<Verdict>, Vec<BatchIssue>), GlError> {
        let (chunk, out) = self.ask(pending)?;
        // Unknown until the plugin says: when it refuses some transactions
        // of a chunk it returns no postings, so the others stay unknown.
        let mut verdicts: Vec<Verdict> = vec![Err(Vec::new()); pending.len()];
        let mut whole = Vec::new();
        match out {
            Err(issues) => {
                for issue in issues {
                    // The chunk's transactions are numbered from 1; none
                    // (or anything else) is the chunk as a whole.
                    let at = issue
                        .transaction
                        .and_then(|id| usize::try_from(id).ok()?.checked_sub(1));
                    match at.and_then(|at| verdicts.get_mut(at)) {
                        Some(Err(list)) => list.push(issue),
                        Some(Ok(_)) | None => whole.push(issue),
                    }
                }
            }
            Ok(postings) => {
                let rounding = self.ledger.rounding_account.as_deref();
                let (pairs, problems) =
                    check_postings(&chunk, &postings, &self.facts.accounts, rounding);
                if !problems.is_empty() {
                    return Err(GlError::Unsound(problems));
                }
                for (posting, tx) in pairs {
                    let (first, count) = (posting.lines.start as usize, posting.lines.len as usize);
                    let lines = postings.lines[first..first + count].iter().copied();
                    let effect = receivable_effect(lines).ok_or_else(|| {
                        GlError::Input("a transaction's receivable lines do not fit".into())
                    })?;
                    let at = tx.id as usize - 1;
                    verdicts[at] = Ok(if pending[at].reverses.is_some() {
                        (-effect.0, -effect.1)
                    } else {
                        effect
                    });
                }
            }
        }
        Ok((verdicts, whole))
    }
}

/// Problems gathered while entering, up to [`MAX_ISSUES`].
pub(super) struct Problems {
    /// (line, problem): shown in line order.
    pub(super) list: Vec<(usize, String)>,
    pub(super) more: usize,
    pub(super) locale: Locale,
}

impl Problems {
    pub(super) fn new(locale: Locale) -> Self {
        Self {
            list: Vec::new(),
            more: 0,
            locale,
        }
    }

    pub(super) fn push(&mut self, line: usize, problem: String) {
        if self.list.len() >= MAX_ISSUES {
            self.more += 1;
        } else if line == 0 {
            self.list.push((line, problem));
        } else {
            self.list
                .push((line, m::at_line(self.locale, line, &problem)));
        }
    }

    /// A problem whose text names its line already.
    pub(super) fn push_located(&mut self, line: usize, problem: String) {
        if self.list.len() >= MAX_ISSUES {
            self.more += 1;
        } else {
            self.list.push((line, problem));
        }
    }

    pub(super) fn into_result(mut self) -> Result<(), GlError> {
        if self.list.is_empty() {
            return Ok(());
        }
        // Rows are checked in chunks: the plugin's problems with a chunk
        // come after the host's; the user reads them by line.
        self.list.sort_by_key(|(line, _)| *line);
        let mut lines: Vec<String> = self.list.into_iter().map(|(_, p)| p).collect();
        if self.more > 0 {
            lines.push(m::and_more(self.locale, self.more));
        }
        Err(GlError::Input(format!(
            "{}\n  {}",
            m::nothing_stored(self.locale),
            lines.join("\n  ")
        )))
    }
}

/// One issue of the plugin about an entry, with the amounts it is about in
/// the currency's units (the plugin does not know the currency's decimals).
pub(super) fn issue_text(
    issue: &BatchIssue,
    entry: &NewTransaction,
    decimals: &Decimals,
) -> String {
    let d = decimals.get(&entry.currency).copied().unwrap_or(2);
    let shown = |value: i64| format!("{} {}", amount_text(value, d), entry.currency);
    let values = match issue.field.as_str() {
        "amount" => format!(" (amount {})", shown(entry.amount)),
        "tax" => format!(
            " (tax {}, amount {})",
            shown(entry.tax),
            shown(entry.amount)
        ),
        "discount" => format!(
            " (discount {}, amount {})",
            shown(entry.discount),
            shown(entry.amount)
        ),
        _ => String::new(),
    };
    format!(
        "{}: {}{values} [{}]",
        issue.field, issue.message, issue.rule
    )
}
