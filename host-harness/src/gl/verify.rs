//! The host's checks of every batch a plugin returns, before anything is
//! stored: spans and indices in range, each posting balanced, at its rate,
//! and on the accounts its role allows.

use std::collections::HashMap;

use crate::units::to_base;
use crate::wit::{Account, ArTransaction, ArTransactions, LineRole, Posting, Postings, Span};

/// The rate the contract says a plugin converts a transaction without one
/// at (`ar-transaction.rate-nanos`: none is the base currency's own rate,
/// and any other currency is refused). The host checks a plugin's postings
/// against it and never applies it: a rate not given stays none from entry
/// to the plugin.
const NO_RATE_GIVEN: u64 = 1_000_000_000;

/// A text of a chunk the host packed (its indices are always in range).
pub(crate) fn text(chunk: &ArTransactions, index: u32) -> &str {
    chunk.texts.get(index as usize).map_or("", String::as_str)
}

/// The bytes of `text` a span names, if they are whole characters of it.
pub(super) fn span_of(text: &str, span: Span) -> Option<&str> {
    let start = usize::try_from(span.start).ok()?;
    text.get(start..start.checked_add(usize::try_from(span.len).ok()?)?)
}

/// The host's own checks of a plugin's postings for a chunk of
/// transactions: one posting per transaction asked about, no more, no less;
/// spans and indices within what the plugin returned, lines laid out posting
/// after posting; every line on an active account, converted at the
/// transaction's rate (a line may be off by one minor unit: rounding; a
/// transaction without a rate at [`NO_RATE_GIVEN`]); at
/// most one rounding line a posting, on the ledger's `rounding` account, no
/// larger than those units; every posting balanced exactly in both
/// currencies. The postings with their transactions, and the problems.
pub fn check_postings<'c>(
    chunk: &'c ArTransactions,
    out: &'c Postings,
    accounts: &HashMap<String, Account>,
    rounding: Option<&str>,
) -> (Vec<(&'c Posting, &'c ArTransaction)>, Vec<String>) {
    let mut problems = Vec::new();
    let pairs = paired(&chunk.entries, &out.postings, &mut problems);
    // Each account the lines use is looked up once.
    let usable: Vec<Option<&str>> = out
        .accounts
        .iter()
        .map(|code| match accounts.get(code) {
            None => Some("does not exist"),
            Some(a) if !a.active => Some("is inactive"),
            Some(_) => None,
        })
        .collect();
    let mut next_line = 0usize;
    for &(posting, tx) in &pairs {
        if span_of(&out.descriptions, posting.description).is_none() {
            problems.push(format!(
                "transaction {}: its description is not within the batch's descriptions",
                tx.id
            ));
        }
        let (first, count) = (posting.lines.start as usize, posting.lines.len as usize);
        let Some(lines) = out.lines.get(first..first.saturating_add(count)) else {
            problems.push(format!(
                "transaction {}: its lines are not within the batch's lines",
                tx.id
            ));
            continue;
        };
        if first != next_line {
            problems.push(format!(
                "transaction {}: its lines do not follow the previous posting's",
                tx.id
            ));
        }
        next_line = first + count;
        let (mut amount, mut base) = (0i128, 0i128);
        let converted = lines
            .iter()
            .filter(|l| l.role != LineRole::Rounding)
            .count();
        let mut rounded = false;
        for line in lines {
            let code = out.accounts.get(line.account as usize);
            match (code, usable.get(line.account as usize)) {
                (Some(code), Some(Some(why))) => {
                    problems.push(format!("transaction {}: account {code} {why}", tx.id));
                }
                (Some(_), _) => {}
                (None, _) => problems.push(format!(
                    "transaction {}: a line names account number {} of {} returned",
                    tx.id,
                    line.account,
                    out.accounts.len()
                )),
            }
            if line.role == LineRole::Rounding {
                let on = code.map_or("", String::as_str);
                if line.amount != 0 {
                    problems.push(format!(
                        "transaction {}: a rounding line with a foreign amount",
                        tx.id
                    ));
                } else if rounded {
                    problems.push(format!("transaction {}: a second rounding line", tx.id));
                } else if rounding != Some(on) {
                    problems.push(format!(
                        "transaction {}: a rounding line on {on}, not the ledger's rounding account",
                        tx.id
                    ));
                } else if line.base_amount.unsigned_abs() > converted as u64 {
                    problems.push(format!(
                        "transaction {}: a rounding line of {} minor units for {converted} \
                         converted line(s)",
                        tx.id, line.base_amount
                    ));
                }
                rounded = true;
            } else if to_base(line.amount, tx.rate_nanos.unwrap_or(NO_RATE_GIVEN))
                .is_none_or(|b| (i128::from(b) - i128::from(line.base_amount)).abs() > 1)
            {
                problems.push(format!(
                    "transaction {}: {} in {} is not {} in base currency at its rate",
                    tx.id,
                    line.amount,
                    text(chunk, tx.currency),
                    line.base_amount
                ));
            }
            amount += i128::from(line.amount);
            base += i128::from(line.base_amount);
        }
        if lines.is_empty() {
            problems.push(format!("transaction {} has no lines", tx.id));
        } else if amount != 0 || base != 0 {
            problems.push(format!(
                "transaction {} does not balance: {amount} in {} and {base} in base currency",
                tx.id,
                text(chunk, tx.currency)
            ));
        }
    }
    if problems.is_empty() && next_line != out.lines.len() {
        problems.push(format!(
            "{} lines belong to no posting",
            out.lines.len().saturating_sub(next_line)
        ));
    }
    (pairs, problems)
}

/// Each posting with its transaction: by position when the plugin kept the
/// order (the contract asks it to), else by id, noting postings for
/// transactions not asked about, transactions posted twice and transactions
/// left out.
fn paired<'t, 'p>(
    transactions: &'t [ArTransaction],
    postings: &'p [Posting],
    problems: &mut Vec<String>,
) -> Vec<(&'p Posting, &'t ArTransaction)> {
    if postings.len() == transactions.len()
        && postings
            .iter()
            .zip(transactions)
            .all(|(p, t)| p.transaction == t.id)
    {
        return postings.iter().zip(transactions).collect();
    }
    let by_id: HashMap<u64, &ArTransaction> = transactions.iter().map(|t| (t.id, t)).collect();
    let mut posted = std::collections::HashSet::with_capacity(postings.len());
    let mut pairs = Vec::with_capacity(postings.len());
    for posting in postings {
        let Some(tx) = by_id.get(&posting.transaction) else {
            problems.push(format!(
                "a posting for transaction {}, which was not asked about",
                posting.transaction
            ));
            continue;
        };
        if !posted.insert(tx.id) {
            problems.push(format!("transaction {} is posted twice", tx.id));
            continue;
        }
        pairs.push((posting, *tx));
    }
    for tx in transactions {
        if !posted.contains(&tx.id) {
            problems.push(format!("transaction {} has no lines", tx.id));
        }
    }
    pairs
}
