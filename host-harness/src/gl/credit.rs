//! Credit control at entry (issue 14): before an invoice is stored, the
//! plugin's credit check weighs what its customer, and every group on the
//! customer's path, would owe with it. What is owed is read here, counted
//! two ways (posted, and everything entered), inside the entry's own SQLite
//! transaction, and kept up as an import stores its rows, so that each
//! invoice of a file is weighed with the rows before it.
//!
//! An invoice the check holds back is refused, unless its customer's group
//! bypasses the check (the plugin says so, `credit-verdict.bypass`) or a
//! user holding the `credit-controller` right gives a reason; either way
//! the exception is recorded (`credit_exceptions`, append-only). Who may
//! override is the host's right, checked here in the same transaction, so
//! no front end can forget it.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::actor::By;
use crate::gl::checker::{Checker, Problems};
use crate::gl::{Gl, GlError, NewTransaction};
use crate::messages::{self as m, Locale};
use crate::store::{Right, holds_right};
use crate::units::amount_text;
use crate::wit::{CreditRequest, CreditScope, CreditVerdict, Owed, SettingSource, TransactionKind};

/// Who enters invoices, and whether they override the credit check.
#[derive(Clone, Copy, Debug)]
pub struct CreditPolicy<'a> {
    /// Who enters them: recorded with any invoice let past a limit.
    pub by: By<'a>,
    /// A credit controller's reason for entering invoices past their
    /// credit limits; `None`: such invoices are refused.
    pub override_reason: Option<&'a str>,
}

impl<'a> CreditPolicy<'a> {
    /// Invoices over a limit are refused (unless their group bypasses).
    pub fn enforce(by: By<'a>) -> Self {
        Self {
            by,
            override_reason: None,
        }
    }
}

/// What is owed, nothing yet.
const NOTHING: Owed = Owed {
    posted: 0,
    entered: 0,
};

/// What each customer and each group's subtree owes, read once per entry
/// as first needed and kept up as rows are stored.
#[derive(Default)]
struct Owing {
    /// Customer -> (its own credit limit, what it owes in its currency).
    customers: HashMap<String, (Option<i64>, Owed)>,
    /// Group -> what its customers and its descendants' owe, base currency.
    groups: HashMap<String, Owed>,
    /// Group -> its parent.
    parents: HashMap<String, Option<String>>,
}

/// What the rows of `rows` (what is owed as entered, as posted) owe
/// together, saturating: SQLite's `sum` refuses an overflow, and a store
/// may hold amounts whose sum does not fit (the batch refuses them later).
fn owed_by(mut rows: rusqlite::Rows<'_>) -> Result<Owed, GlError> {
    let mut owed = NOTHING;
    while let Some(row) = rows.next()? {
        owed.entered = owed.entered.saturating_add(row.get(0)?);
        owed.posted = owed.posted.saturating_add(row.get(1)?);
    }
    Ok(owed)
}

impl Owing {
    /// The customer's group and each of its ancestors, nearest first (a
    /// loop of parents, in a store edited by hand, ends the path).
    fn path(&mut self, tx: &Connection, group: &str) -> Result<Vec<String>, GlError> {
        let mut path: Vec<String> = Vec::new();
        let mut next = Some(group.to_owned());
        while let Some(code) = next.take() {
            if path.contains(&code) {
                break;
            }
            let parent = match self.parents.get(&code) {
                Some(parent) => parent.clone(),
                None => {
                    let parent: Option<String> = tx
                        .prepare_cached("SELECT parent FROM customer_groups WHERE code = ?1")?
                        .query_row([&code], |r| r.get(0))
                        .optional()?
                        .flatten();
                    self.parents.insert(code.clone(), parent.clone());
                    parent
                }
            };
            path.push(code);
            next = parent;
        }
        Ok(path)
    }

    /// Reads what `customer` and the groups of `path` owe, where not read
    /// yet; the store already holds a row of `effect` that this is read
    /// before, so it is taken off.
    fn load(
        &mut self,
        tx: &Connection,
        customer: &str,
        path: &[String],
        effect: (i64, i64),
    ) -> Result<(), GlError> {
        let less = |owed: Owed, by: i64| Owed {
            posted: owed.posted,
            entered: owed.entered.saturating_sub(by),
        };
        if !self.customers.contains_key(customer) {
            // What each customer owes is kept by the store's triggers
            // (migration 016), so this reads one row, not its history.
            let (limit, owed) = tx
                .prepare_cached(
                    "SELECT c.credit_limit_minor, coalesce(o.entered_minor, 0), \
                     coalesce(o.posted_minor, 0) FROM (SELECT ?1 AS code) q \
                     LEFT JOIN customers c ON c.code = q.code \
                     LEFT JOIN customer_owed o ON o.customer_code = q.code",
                )?
                .query_row([customer], |r| {
                    let limit: Option<i64> = r.get(0)?;
                    let owed = Owed {
                        entered: r.get(1)?,
                        posted: r.get(2)?,
                    };
                    Ok((limit, owed))
                })?;
            self.customers
                .insert(customer.to_owned(), (limit, less(owed, effect.0)));
        }
        for code in path {
            if self.groups.contains_key(code) {
                continue;
            }
            // The customers now in the group and its descendants, of the
            // customer's company (a shared limit is weighed per company, in
            // its base currency).
            let owed = owed_by(
                tx.prepare_cached(
                    "WITH RECURSIVE sub(code) AS ( \
                         SELECT ?1 UNION SELECT g.code FROM customer_groups g \
                         JOIN sub ON g.parent = sub.code) \
                     SELECT o.entered_base, o.posted_base \
                     FROM sub JOIN customers c ON c.group_code = sub.code \
                     JOIN customer_owed o ON o.customer_code = c.code \
                     WHERE c.company IS (SELECT company FROM customers WHERE code = ?2)",
                )?
                .query([code, customer])?,
            )?;
            self.groups.insert(code.clone(), less(owed, effect.1));
        }
        Ok(())
    }

    /// The credit request of `customer` of `group` (whose path is `path`,
    /// read already) about to owe `amount` more (its currency, base).
    fn request(
        &self,
        customer: &str,
        group: &str,
        path: &[String],
        amount: (i64, i64),
    ) -> CreditRequest {
        let (limit, owed) = self
            .customers
            .get(customer)
            .copied()
            .unwrap_or((None, NOTHING));
        CreditRequest {
            customer: customer.to_owned(),
            group: group.to_owned(),
            customer_limit: limit,
            customer_owed: owed,
            amount: amount.0,
            base_amount: amount.1,
            group_owed: path
                .iter()
                .map(|code| {
                    let owed = self.groups.get(code).copied().unwrap_or(NOTHING);
                    (code.clone(), owed)
                })
                .collect(),
        }
    }

    /// Counts a stored, unposted row of `effect` for `customer` and `path`.
    fn add(&mut self, customer: &str, path: &[String], effect: (i64, i64)) {
        if let Some((_, owed)) = self.customers.get_mut(customer) {
            owed.entered = owed.entered.saturating_add(effect.0);
        }
        for code in path {
            if let Some(owed) = self.groups.get_mut(code) {
                owed.entered = owed.entered.saturating_add(effect.1);
            }
        }
    }
}

/// The credit request of `customer` of `group` about to owe `amount`
/// more (its currency, base currency), what is owed read from `conn` as
/// stored.
pub(crate) fn request(
    conn: &Connection,
    customer: &str,
    group: &str,
    amount: (i64, i64),
) -> Result<CreditRequest, GlError> {
    let mut owing = Owing::default();
    let path = owing.path(conn, group)?;
    owing.load(conn, customer, &path, (0, 0))?;
    Ok(owing.request(customer, group, &path, amount))
}

/// An invoice stored and waiting for its credit check.
struct Weighed {
    line: usize,
    id: i64,
    customer: String,
    amount: i64,
    currency: String,
}

/// The credit control of one entry (a typed transaction, an import, a
/// correction): what is owed, the invoices stored and not yet weighed.
pub(super) struct Control<'p> {
    policy: CreditPolicy<'p>,
    owing: Owing,
    weighed: Vec<Weighed>,
    requests: Vec<CreditRequest>,
}

impl<'p> Control<'p> {
    /// The control of an entry by `policy.by`; refused at once when it
    /// overrides without the right or without a reason.
    pub(super) fn new(
        tx: &Transaction<'_>,
        policy: CreditPolicy<'p>,
        lang: Locale,
    ) -> Result<Self, GlError> {
        if let Some(reason) = policy.override_reason {
            if reason.trim().is_empty() {
                return Err(GlError::Input(m::credit_override_without_reason(lang)));
            }
            if !holds_right(tx, policy.by.user, Right::CreditController)? {
                return Err(GlError::Input(m::not_a_credit_controller(
                    lang,
                    policy.by.user,
                )));
            }
        }
        Ok(Self {
            policy,
            owing: Owing::default(),
            weighed: Vec::new(),
            requests: Vec::new(),
        })
    }

    /// A transaction was stored as `id` (from line `line`), its posting
    /// putting `effect` (its currency, base currency) on what its customer
    /// owes: an invoice is weighed with everything stored before it.
    pub(super) fn stored(
        &mut self,
        tx: &Transaction<'_>,
        (line, id): (usize, i64),
        entry: &NewTransaction,
        group: &str,
        effect: (i64, i64),
    ) -> Result<(), GlError> {
        let path = self.owing.path(tx, group)?;
        // What is not read yet is read as stored, this row included, when
        // first needed; what is read already counts this row now.
        // An invoice adds to what is owed; a reversal of one is no invoice
        // to weigh.
        if entry.kind == TransactionKind::Invoice && effect.0 > 0 {
            self.owing.load(tx, &entry.customer, &path, effect)?;
            let request = self.owing.request(&entry.customer, group, &path, effect);
            self.requests.push(request);
            self.weighed.push(Weighed {
                line,
                id,
                customer: entry.customer.clone(),
                amount: entry.amount,
                currency: entry.currency.clone(),
            });
        }
        self.owing.add(&entry.customer, &path, effect);
        Ok(())
    }

    /// Asks the plugin's credit check of every invoice stored since the
    /// last time, in one call: one held back is a problem at its line,
    /// unless its group bypasses the check or the policy overrides it,
    /// which is recorded.
    pub(super) fn weigh(
        &mut self,
        tx: &Transaction<'_>,
        checker: &Checker<'_>,
        problems: &mut Problems,
    ) -> Result<(), GlError> {
        if self.requests.is_empty() {
            return Ok(());
        }
        let requests = std::mem::take(&mut self.requests);
        let weighed = std::mem::take(&mut self.weighed);
        let facts = Box::new(crate::gl::SnapshotFacts(checker.facts.clone()));
        let verdicts = checker
            .gl
            .plugin()
            .credit_check_many(facts, &requests, checker.locale)?;
        let lang = problems.locale;
        for ((request, invoice), verdict) in requests.iter().zip(weighed).zip(verdicts) {
            if verdict.allowed {
                continue;
            }
            let bypass = verdict.bypass.as_ref().map(|source| match source {
                SettingSource::Group(code) => code.clone(),
                SettingSource::ArSettings => "ar-settings".to_owned(),
            });
            let over = over_lines(&verdict, request, checker, &invoice.currency, lang);
            match (bypass, self.policy.override_reason) {
                (None, None) => problems.push(
                    invoice.line,
                    m::over_credit_limit(lang, &invoice.customer, &over.join("; ")),
                ),
                (bypass, reason) => {
                    self.record(tx, &invoice, &verdict, &over, bypass, reason)?;
                }
            }
        }
        Ok(())
    }

    /// Records an invoice entered past a limit: `over`, each limit it
    /// goes past in words, is what the record says the check said.
    fn record(
        &self,
        tx: &Transaction<'_>,
        invoice: &Weighed,
        verdict: &CreditVerdict,
        over: &[String],
        bypass: Option<String>,
        reason: Option<&str>,
    ) -> Result<(), GlError> {
        let by = self.policy.by;
        let lines = serde_json::to_string(&verdict.lines)
            .map_err(|e| GlError::Input(format!("the credit check's lines: {e}")))?;
        tx.prepare_cached(
            "INSERT INTO credit_exceptions (transaction_id, at, user, via, customer_code, \
             amount_minor, currency, bypass, reason, reasons, lines) VALUES \
             (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            invoice.id,
            by.user,
            by.via.as_str(),
            invoice.customer,
            invoice.amount,
            invoice.currency,
            // A bypass needs no reason: the group's setting is the reason.
            bypass,
            if bypass.is_some() {
                None
            } else {
                reason.map(str::trim)
            },
            over.join("\n"),
            lines,
        ])?;
        Ok(())
    }
}

/// Every limit the invoice goes past, as a person reads it: the limit,
/// what would be owed, what is left, in the line's currency's units (the
/// plugin's own reasons count minor units).
fn over_lines(
    verdict: &CreditVerdict,
    request: &CreditRequest,
    checker: &Checker<'_>,
    currency: &str,
    lang: Locale,
) -> Vec<String> {
    let customer_places = checker.decimals.get(currency).copied().unwrap_or(2);
    let base = checker.ledger.base_currency.as_str();
    verdict
        .lines
        .iter()
        .filter(|l| l.available < 0)
        .map(|l| {
            let (places, cur) = match l.scope {
                CreditScope::Customer => (customer_places, currency),
                CreditScope::Group(_) => (checker.base_decimals, base),
            };
            let money = |v: i64| format!("{} {cur}", amount_text(v, places));
            let whose = match &l.scope {
                CreditScope::Customer => request.customer.clone(),
                CreditScope::Group(code) => code.clone(),
            };
            m::credit_line_over(
                lang,
                &whose,
                &money(l.limit),
                &money(l.exposure),
                &money(l.available),
                &l.source.to_string(),
            )
        })
        .collect()
}

impl Gl<'_> {
    /// The invoices entered past a credit limit, newest first, at most
    /// `limit`.
    pub fn credit_exceptions(&self, limit: usize) -> Result<Vec<CreditException>, GlError> {
        let conn = self.db().conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {EXCEPTION_COLUMNS} FROM credit_exceptions ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], exception)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Gl<'_> {
    /// The credit exceptions recorded for the transactions `ids` (in
    /// ascending order, as an import returns them), oldest first.
    pub fn credit_exceptions_of(&self, ids: &[i64]) -> Result<Vec<CreditException>, GlError> {
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
            return Ok(Vec::new());
        };
        let conn = self.db().conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {EXCEPTION_COLUMNS} FROM credit_exceptions \
             WHERE transaction_id BETWEEN ?1 AND ?2 ORDER BY id"
        ))?;
        let rows = stmt.query_map([first, last], exception)?;
        let mut found = Vec::new();
        for row in rows {
            let row = row?;
            if ids.binary_search(&row.transaction).is_ok() {
                found.push(row);
            }
        }
        Ok(found)
    }
}

const EXCEPTION_COLUMNS: &str = "id, transaction_id, at, user, via, customer_code, amount_minor, \
     currency, bypass, reason, reasons";

fn exception(r: &rusqlite::Row<'_>) -> rusqlite::Result<CreditException> {
    Ok(CreditException {
        id: r.get(0)?,
        transaction: r.get(1)?,
        at: r.get(2)?,
        user: r.get(3)?,
        via: r.get(4)?,
        customer: r.get(5)?,
        amount: r.get(6)?,
        currency: r.get(7)?,
        bypass: r.get(8)?,
        reason: r.get(9)?,
        reasons: r.get(10)?,
    })
}

impl CreditException {
    /// Why it was entered past its limit, in words: the group that
    /// bypasses the check, or the credit controller and their reason.
    pub fn why(&self, lang: Locale) -> String {
        match (&self.bypass, &self.reason) {
            (Some(group), _) => m::credit_bypassed_by(lang, group),
            (None, reason) => {
                m::credit_overridden(lang, &self.user, reason.as_deref().unwrap_or(""))
            }
        }
    }
}

/// An invoice entered past a credit limit, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CreditException {
    /// The record's id.
    pub id: i64,
    /// The invoice's transaction id.
    pub transaction: i64,
    /// When (UTC).
    pub at: String,
    /// Who entered it.
    pub user: String,
    /// Through what (`cli`, `console`).
    pub via: String,
    /// The customer.
    pub customer: String,
    /// The invoice's amount, minor units of `currency`.
    pub amount: i64,
    /// Its currency.
    pub currency: String,
    /// The group whose bypass setting let it through (`ar-settings`), if so.
    pub bypass: Option<String>,
    /// The credit controller's reason, if so.
    pub reason: Option<String>,
    /// What the check said: each limit gone past, one per line, in the
    /// currency's units and the locale of whoever entered it (records made
    /// before stop 24 keep the plugin's words, in minor units).
    pub reasons: String,
}
