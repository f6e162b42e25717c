//! AR transactions as they are entered (seed 004): typed or read from a CSV
//! file, checked by the plugin's posting rules at entry (the very call, and
//! so the very rule ids, a GL batch makes later: one rule, asked at two
//! moments), and stored with the group they were entered under and what
//! their posting does to the customer's balance. While a transaction is in
//! no batch it can be corrected or deleted; once posted, only reversed by a
//! new transaction that names it.
//!
//! A transaction's identity is its kind, customer and reference: entering
//! one whose identity is stored already is refused (an import may skip the
//! rows it finds exactly as stored: a file imported twice). A transaction
//! without a reference has no identity to check.
//!
//! What a person types or a CSV holds is read in [`super::input`]; the
//! plugin's check at entry is `checker.rs`; this file stores.

use std::collections::HashMap;
use std::sync::mpsc;

use rusqlite::{OptionalExtension, Transaction, params};

use crate::gl::checker::{Checker, Pending, Problems, Verdict, issue_text};
use crate::gl::credit::{Control, CreditPolicy};
use crate::gl::input::EntryRow;
use crate::gl::{CHUNK, Gl, GlError, NewTransaction, worker_gone as checker_gone};
use crate::messages::{self as m, Locale};
use crate::store::StoreError;
use crate::wit::BatchIssue;

/// What an import does with a row whose identity (kind, customer,
/// reference) is stored already.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Duplicates {
    /// Refuse the import, naming each such row.
    #[default]
    Refuse,
    /// Skip a row stored exactly as it is (a file imported again); a row
    /// with the identity of a stored one but other values is still refused.
    SkipIdentical,
}

/// What an import stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// The new transactions' ids, in file order.
    pub ids: Vec<i64>,
    /// (line, id of the stored transaction) of every row skipped as a duplicate.
    pub skipped: Vec<(usize, i64)>,
}

/// A stored transaction with this one's identity, if any: (id, the same values).
fn stored_identity(
    tx: &Transaction<'_>,
    entry: &NewTransaction,
    except: Option<i64>,
) -> Result<Option<(i64, bool)>, GlError> {
    if entry.reference.is_empty() {
        return Ok(None);
    }
    let mut find = tx.prepare_cached(
        "SELECT id, date, currency, rate_nanos, amount_minor, tax_minor, discount_minor, account, \
                tax_account \
         FROM ar_transactions INDEXED BY ar_transactions_identity \
         WHERE customer_code = ?1 AND kind = ?2 AND identity_reference = ?3 AND id IS NOT ?4",
    )?;
    Ok(find
        .query_row(
            params![entry.customer, entry.kind.as_str(), entry.reference, except],
            |r| {
                let same = r.get::<_, String>(1)? == entry.date
                    && r.get::<_, String>(2)? == entry.currency
                    // No rate given (NULL) is the same as no rate given.
                    && r.get::<_, Option<i64>>(3)?
                        == entry.rate_nanos.map(|r| i64::try_from(r).unwrap_or(-1))
                    && r.get::<_, i64>(4)? == entry.amount
                    && r.get::<_, i64>(5)? == entry.tax
                    && r.get::<_, i64>(6)? == entry.discount
                    && r.get::<_, Option<String>>(7)? == entry.account
                    && r.get::<_, Option<String>>(8)? == entry.tax_account;
                Ok((r.get(0)?, same))
            },
        )
        .optional()?)
}

/// Rows read from the file are handed to the storing thread this many at a time.
const READ_BLOCK: usize = 1_000;

/// A customer's (currency, active, group), if there is one.
fn customer(tx: &Transaction<'_>, code: &str) -> Result<Option<Customer>, GlError> {
    let mut lookup = tx.prepare_cached(
        "SELECT currency, active, group_code, company FROM customers WHERE code = ?1",
    )?;
    Ok(lookup
        .query_row([code], |r| {
            Ok(Customer {
                currency: r.get(0)?,
                active: r.get(1)?,
                group: r.get(2)?,
                company: r.get(3)?,
            })
        })
        .optional()?)
}

/// A customer as entry needs it.
#[derive(Clone)]
struct Customer {
    currency: String,
    active: bool,
    group: String,
    company: String,
}

/// Whether a transaction's customer may take it (in the company whose facts
/// `checker` has); its group if so.
fn admissible(
    customer: Option<Customer>,
    entry: &NewTransaction,
    checker: &Checker<'_>,
    lang: Locale,
) -> Result<String, String> {
    let Some(customer) = customer else {
        return Err(m::no_customer(lang, &entry.customer));
    };
    if !customer.active {
        return Err(m::inactive_customer(lang, &entry.customer));
    }
    if customer.company != checker.company {
        return Err(m::other_companys_customer(
            lang,
            &entry.customer,
            &customer.company,
            &checker.company,
        ));
    }
    if customer.currency != entry.currency {
        return Err(m::not_the_customers_currency(
            lang,
            &entry.customer,
            &customer.currency,
            &entry.currency,
        ));
    }
    if !checker.decimals.contains_key(&entry.currency) {
        return Err(m::unknown_currency(lang, &entry.currency));
    }
    Ok(customer.group)
}

/// The storing end of an import: checked chunks become rows, or problems.
struct Storing<'t, 'c> {
    tx: &'t Transaction<'t>,
    checker: &'c Checker<'c>,
    credit: Control<'c>,
    duplicates: Duplicates,
    problems: Problems,
    imported: Imported,
    /// The lines of the rows stored so far, beside `imported.ids`.
    lines: Vec<usize>,
    whole_seen: bool,
}

impl Storing<'_, '_> {
    /// Stores the transactions of a chunk the plugin accepted, unless their
    /// identity is stored already; the others become problems.
    fn settle(
        &mut self,
        pending: Vec<Pending>,
        (verdicts, whole): (Vec<Verdict>, Vec<BatchIssue>),
    ) -> Result<(), GlError> {
        let lang = self.problems.locale;
        if !self.whole_seen {
            for issue in &whole {
                self.problems
                    .push(0, format!("{} [{}]", issue.message, issue.rule));
            }
            self.whole_seen = !whole.is_empty();
        }
        for (p, verdict) in pending.into_iter().zip(verdicts) {
            let effect = match verdict {
                Ok(effect) => effect,
                Err(issues) => {
                    // A rate the user must give comes first: the other
                    // problems are of amounts not yet convertible. One typed
                    // transaction gets that question alone.
                    if let Some(question) = self.checker.rate_question(&issues, &p.entry) {
                        if p.line == 0 {
                            return Err(GlError::Input(question));
                        }
                        self.problems.push(p.line, question);
                        continue;
                    }
                    for issue in issues {
                        let text = issue_text(&issue, &p.entry, &self.checker.decimals);
                        self.problems.push(p.line, text);
                    }
                    continue;
                }
            };
            if let Some(id) = insert(self.tx, &p, effect)? {
                self.imported.ids.push(id);
                self.lines.push(p.line);
                self.credit
                    .stored(self.tx, (p.line, id), &p.entry, &p.group, effect)?;
                continue;
            }
            // The identity index refused it: which row holds the identity.
            let Some((id, same)) = stored_identity(self.tx, &p.entry, None)? else {
                return Err(identity_lost(&p.entry));
            };
            let ids = &self.imported.ids;
            let first = ids.first().copied().unwrap_or(i64::MAX);
            let earlier = (id >= first)
                .then(|| ids.binary_search(&id).ok())
                .flatten()
                .map(|at| self.lines[at]);
            let e = &p.entry;
            let (kind, reference, customer) = (e.kind.as_str(), &e.reference, &e.customer);
            let problem = match earlier {
                Some(line) => m::duplicate_in_file(lang, kind, reference, customer, line),
                None if same && self.duplicates == Duplicates::SkipIdentical => {
                    self.imported.skipped.push((p.line, id));
                    continue;
                }
                // The hint about a file imported again is for files; one
                // typed transaction is just there.
                None if p.line == 0 => m::duplicate_of(lang, kind, reference, customer, id),
                None if same => m::duplicate_same(lang, kind, reference, customer, id),
                None => m::duplicate_other(lang, kind, reference, customer, id),
            };
            self.problems.push(p.line, problem);
        }
        self.credit.weigh(self.tx, self.checker, &mut self.problems)
    }
}

/// The identity index refused a row whose identity no row holds: the
/// index and the query that reads it disagree (a bug, not an input error).
fn identity_lost(entry: &NewTransaction) -> GlError {
    GlError::Store(StoreError::Inconsistent(format!(
        "ar_transactions_identity refused {} {:?} of {} but holds no such row",
        entry.kind.as_str(),
        entry.reference,
        entry.customer
    )))
}

/// How a stored transaction stands: in no batch, or in which and whether posted.
fn standing(tx: &Transaction<'_>, id: i64) -> Result<Option<Option<(i64, bool)>>, GlError> {
    let found: Option<(Option<i64>, Option<String>)> = tx
        .query_row(
            "SELECT m.batch_id, b.status FROM ar_transactions t \
             LEFT JOIN gl_batch_members m ON m.transaction_id = t.id \
             LEFT JOIN gl_batches b ON b.id = m.batch_id WHERE t.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.map(|(batch, status)| batch.map(|b| (b, status.as_deref() == Some("posted")))))
}

impl Gl<'_> {
    /// Checks and stores one AR transaction; its id. An invoice is
    /// weighed by the credit check ([`super::credit`]) under `credit`.
    pub fn add_transaction(
        &self,
        entry: NewTransaction,
        credit: CreditPolicy<'_>,
        locale: &str,
    ) -> Result<i64, GlError> {
        // Line 0: not from a file, so problems name no line. The
        // transaction is its customer's company's.
        let company = self.db().customer_company(&entry.customer)?;
        let imported = self.import_transactions_for(
            company.as_deref(),
            std::iter::once(Ok((0, entry))),
            Duplicates::Refuse,
            credit,
            locale,
            |_| {},
        )?;
        Ok(imported.ids.first().copied().unwrap_or_default())
    }

    /// Checks and stores many AR transactions in one SQLite transaction: all
    /// or none. Each item is (its line in the source, the transaction); an
    /// item may be an error already (a malformed row). Every transaction is
    /// checked by the plugin's posting rules, [`CHUNK`] to a call, in the
    /// group its customer is in. `progress` hears how many were stored so
    /// far. Every problem is reported, up to a limit. Each invoice is
    /// weighed by the credit check with the rows before it, under `credit`.
    pub fn import_transactions(
        &self,
        entries: impl Iterator<Item = EntryRow> + Send,
        duplicates: Duplicates,
        credit: CreditPolicy<'_>,
        locale: &str,
        progress: impl FnMut(usize),
    ) -> Result<Imported, GlError> {
        self.import_transactions_for(None, entries, duplicates, credit, locale, progress)
    }

    /// [`Gl::import_transactions`] of `company`'s customers (the default
    /// company when none): checked by the plugin with the company's facts;
    /// a row of another company's customer is refused with its line.
    pub fn import_transactions_for(
        &self,
        company: Option<&str>,
        entries: impl Iterator<Item = EntryRow> + Send,
        duplicates: Duplicates,
        credit: CreditPolicy<'_>,
        locale: &str,
        mut progress: impl FnMut(usize),
    ) -> Result<Imported, GlError> {
        let scope = self.scope(company)?;
        // Rows arrive in file order, so the identity index (customer first)
        // takes them all over the table: with SQLite's 2 MB page cache a
        // million rows spill and re-read its pages; 64 MB keeps them.
        let _cache = self.db().page_cache_mib(64)?;
        self.db().write(|w| {
            let tx = w.tx();
            let checker = Checker::load(*self, tx, locale, &scope)?;
            let lang = Locale::from_tag(locale);
            let mut store = Storing {
                tx,
                checker: &checker,
                credit: Control::new(tx, credit, lang)?,
                duplicates,
                problems: Problems::new(lang),
                imported: Imported::default(),
                lines: Vec::new(),
                whole_seen: false,
            };
            // Three stages, one thread each (as a GL batch is made): reading
            // the file, the plugin's posting rules on a chunk, and this one,
            // which owns the connection: customers, identities, inserts.
            std::thread::scope(|scope| -> Result<(), GlError> {
                let (blocks, blocks_in) = mpsc::sync_channel::<Vec<EntryRow>>(4);
                scope.spawn(move || {
                    let mut block = Vec::with_capacity(READ_BLOCK);
                    for entry in entries {
                        block.push(entry);
                        if block.len() == READ_BLOCK
                            && blocks.send(std::mem::take(&mut block)).is_err()
                        {
                            return;
                        }
                    }
                    // The receiver is gone only when storing failed.
                    let _ = blocks.send(block);
                });
                let (chunks, chunks_in) = mpsc::sync_channel::<Vec<Pending>>(1);
                let (done_out, done) = mpsc::sync_channel(1);
                let worker = &checker;
                scope.spawn(move || {
                    for pending in chunks_in {
                        let out = worker.check(&pending);
                        if done_out.send((pending, out)).is_err() {
                            break;
                        }
                    }
                });
                // Both ends go when this returns, so the workers stop too.
                let mut customers: HashMap<String, Option<Customer>> = HashMap::new();
                let mut pending = Vec::with_capacity(CHUNK);
                let mut in_flight = 0usize;
                let mut settle_one = |store: &mut Storing<'_, '_>| -> Result<(), GlError> {
                    let (pending, out) = done.recv().map_err(|_| checker_gone())?;
                    store.settle(pending, out?)?;
                    progress(store.imported.ids.len());
                    Ok(())
                };
                for entry in blocks_in.into_iter().flatten() {
                    let (line, entry) = match entry {
                        Ok(item) => item,
                        Err((line, message)) => {
                            store.problems.push_located(line, message);
                            continue;
                        }
                    };
                    let customer = match customers.get(&entry.customer) {
                        Some(found) => found.clone(),
                        None => {
                            let found = customer(tx, &entry.customer)?;
                            customers.insert(entry.customer.clone(), found.clone());
                            found
                        }
                    };
                    match admissible(customer, &entry, &checker, lang) {
                        Err(problem) => store.problems.push(line, problem),
                        Ok(group) => pending.push(Pending {
                            line,
                            entry,
                            group,
                            reverses: None,
                        }),
                    }
                    if pending.len() == CHUNK {
                        let full = std::mem::replace(&mut pending, Vec::with_capacity(CHUNK));
                        chunks.send(full).map_err(|_| checker_gone())?;
                        in_flight += 1;
                        if in_flight > 1 {
                            settle_one(&mut store)?;
                            in_flight -= 1;
                        }
                    }
                }
                if !pending.is_empty() {
                    chunks.send(pending).map_err(|_| checker_gone())?;
                    in_flight += 1;
                }
                for _ in 0..in_flight {
                    settle_one(&mut store)?;
                }
                Ok(())
            })?;
            let Storing {
                problems, imported, ..
            } = store;
            problems.into_result()?;
            progress(imported.ids.len());
            Ok(imported)
        })
    }

    /// Corrects a transaction in no batch: `entry` replaces its values,
    /// checked like a new one (in the group its customer is in now).
    pub fn correct_transaction(
        &self,
        id: i64,
        entry: NewTransaction,
        credit: CreditPolicy<'_>,
        locale: &str,
    ) -> Result<(), GlError> {
        let lang = Locale::from_tag(locale);
        let company = self.db().customer_company(&entry.customer)?;
        let scope = self.scope(company.as_deref())?;
        self.db().write(|w| {
            let tx = w.tx();
            unbatched(tx, id, m::corrected(lang), lang)?;
            let reverses: Option<i64> = tx.query_row(
                "SELECT reverses FROM ar_transactions WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            if let Some(original) = reverses {
                return Err(GlError::Input(m::reversal_not_corrected(
                    lang, id, original,
                )));
            }
            let checker = Checker::load(*self, tx, locale, &scope)?;
            // An inactive customer takes no new transactions, but its
            // unbatched ones may still be put right.
            let standing = customer(tx, &entry.customer)?.map(|c| Customer { active: true, ..c });
            let group = admissible(standing, &entry, &checker, lang).map_err(GlError::Input)?;
            let pending = [Pending {
                line: 0,
                entry,
                group,
                reverses: None,
            }];
            let effect = checked(&checker, &pending)?;
            let [p] = pending;
            if let Some((other, _)) = stored_identity(tx, &p.entry, Some(id))? {
                return Err(GlError::Input(m::duplicate_of(
                    lang,
                    p.entry.kind.as_str(),
                    &p.entry.reference,
                    &p.entry.customer,
                    other,
                )));
            }
            tx.prepare_cached(concat!(
                "UPDATE ar_transactions SET (",
                entered_columns!(),
                ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14), \
                 duplicate_of = NULL WHERE id = ?15"
            ))?
            .execute(rusqlite::params_from_iter(
                entered_values(&p, effect)
                    .into_iter()
                    .chain([rusqlite::types::Value::Integer(id)]),
            ))?;
            // An invoice corrected upwards is weighed as entered anew.
            let mut control = Control::new(tx, credit, lang)?;
            let mut problems = Problems::new(lang);
            control.stored(tx, (0, id), &p.entry, &p.group, effect)?;
            control.weigh(tx, &checker, &mut problems)?;
            problems.into_result()?;
            Ok(())
        })
    }

    /// Deletes a transaction in no batch.
    pub fn delete_transaction(&self, id: i64, locale: &str) -> Result<(), GlError> {
        let lang = Locale::from_tag(locale);
        self.db().write(|w| {
            let tx = w.tx();
            unbatched(tx, id, m::deleted(lang), lang)?;
            tx.execute("DELETE FROM ar_transactions WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Reverses a posted transaction: a new transaction dated `date` with
    /// its values, in the group it was entered under, that names it and
    /// posts the mirror image of its posting; its id. Refused when its
    /// posting today would not be the one posted (the group's accounts
    /// changed since): then enter a correcting transaction instead.
    pub fn reverse_transaction(
        &self,
        id: i64,
        date: &str,
        reference: Option<&str>,
        locale: &str,
    ) -> Result<i64, GlError> {
        let lang = Locale::from_tag(locale);
        let original = self
            .db()
            .transaction(id)?
            .ok_or_else(|| GlError::Input(m::no_transaction(lang, id)))?;
        let posted_lines = match original.batch {
            Some(batch) => self
                .db()
                .batch_lines(batch, usize::MAX)?
                .into_iter()
                .filter(|l| l.transaction == id)
                .map(|l| (l.account, l.role, l.amount, l.base_amount))
                .collect::<Vec<_>>(),
            None => Vec::new(),
        };
        let company = self.db().customer_company(&original.entered.customer)?;
        let scope = self.scope(company.as_deref())?;
        self.db().write(|w| {
            let tx = w.tx();
            match standing(tx, id)? {
                None => return Err(GlError::Input(m::no_transaction(lang, id))),
                Some(None) => return Err(GlError::Input(m::reverse_unbatched(lang, id))),
                Some(Some((batch, false))) => {
                    return Err(GlError::Input(m::reverse_unposted(lang, id, batch)));
                }
                Some(Some((_, true))) => {}
            }
            let (group, reversed, by): (Option<String>, bool, Option<i64>) = tx.query_row(
                "SELECT t.group_code, t.reverses IS NOT NULL, \
                        (SELECT r.id FROM ar_transactions r WHERE r.reverses = t.id) \
                 FROM ar_transactions t WHERE t.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if let Some(by) = by {
                return Err(GlError::Input(m::reversed_already(lang, id, by)));
            }
            if reversed {
                return Err(GlError::Input(m::reverse_a_reversal(lang, id)));
            }
            let group = match group {
                Some(group) => group,
                None => tx.query_row(
                    "SELECT group_code FROM customers WHERE code = ?1",
                    [&original.entered.customer],
                    |r| r.get(0),
                )?,
            };
            let checker = Checker::load(*self, tx, locale, &scope)?;
            let mut entry = original.entered.clone();
            entry.date = date.to_owned();
            if let Some(reference) = reference {
                entry.reference = reference.to_owned();
            }
            let pending = [Pending {
                line: 0,
                entry,
                group,
                reverses: Some(id),
            }];
            let effect = checked(&checker, &pending)?;
            // The mirror of what was posted, or nothing.
            let today = mirror_now(&checker, &pending[0])?;
            let mut then = posted_lines.clone();
            let mut now = today;
            then.sort();
            now.sort();
            if then != now {
                return Err(GlError::Input(m::reverse_changed(lang, id)));
            }
            // A reversal has no identity of its own (NULL in the index).
            insert(tx, &pending[0], effect)?.ok_or_else(|| identity_lost(&pending[0].entry))
        })
    }
}

/// The lines `p`'s values post now, as (account, role, amount, base).
fn mirror_now(
    checker: &Checker<'_>,
    p: &Pending,
) -> Result<Vec<(String, String, i64, i64)>, GlError> {
    let (_, out) = checker.ask(std::slice::from_ref(p))?;
    let out = out.map_err(|issues| GlError::Refused { issues, more: 0 })?;
    Ok(out
        .lines
        .iter()
        .map(|l| {
            (
                out.accounts[l.account as usize].clone(),
                l.role.as_str().to_owned(),
                l.amount,
                l.base_amount,
            )
        })
        .collect())
}

/// The effect of the one transaction of `pending`, or its problems as an error.
fn checked(checker: &Checker<'_>, pending: &[Pending; 1]) -> Result<(i64, i64), GlError> {
    let (mut verdicts, whole) = checker.check(pending)?;
    let mut problems = Problems::new(Locale::from_tag(checker.locale));
    for issue in &whole {
        problems.push(0, format!("{} [{}]", issue.message, issue.rule));
    }
    match verdicts.pop() {
        Some(Ok(effect)) if whole.is_empty() => Ok(effect),
        Some(Err(issues)) => {
            if let Some(question) = checker.rate_question(&issues, &pending[0].entry) {
                return Err(GlError::Input(question));
            }
            for issue in issues {
                problems.push(0, issue_text(&issue, &pending[0].entry, &checker.decimals));
            }
            problems.into_result()?;
            Err(GlError::Input(
                "the plugin refused the transaction without saying why".into(),
            ))
        }
        _ => {
            problems.into_result()?;
            Err(GlError::Input(
                "the plugin gave no posting for the transaction".into(),
            ))
        }
    }
}

/// Refuses unless transaction `id` exists and is in no batch; `done` says
/// what would have been done to it.
fn unbatched(tx: &Transaction<'_>, id: i64, done: String, lang: Locale) -> Result<(), GlError> {
    match standing(tx, id)? {
        None => Err(GlError::Input(m::no_transaction(lang, id))),
        Some(None) => Ok(()),
        Some(Some((batch, false))) => {
            Err(GlError::Input(m::in_unposted_batch(lang, id, batch, &done)))
        }
        Some(Some((batch, true))) => Err(GlError::Input(m::posted_transaction(
            lang, id, batch, &done,
        ))),
    }
}

/// The columns a transaction is entered into, in the order of
/// [`entered_values`] (the reversal it names aside).
macro_rules! entered_columns {
    () => {
        "customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor, \
         discount_minor, account, tax_account, reference, group_code, receivable_minor, \
         receivable_base"
    };
}
use entered_columns;

/// A checked transaction's values for [`entered_columns!`].
fn entered_values(p: &Pending, effect: (i64, i64)) -> [rusqlite::types::Value; 14] {
    use rusqlite::types::Value::{Integer, Null, Text};
    let e = &p.entry;
    let text = |t: &str| Text(t.to_owned());
    let optional = |t: &Option<String>| t.as_deref().map_or(Null, text);
    [
        text(&e.customer),
        text(e.kind.as_str()),
        text(&e.date),
        text(&e.currency),
        e.rate_nanos
            .map_or(Null, |r| Integer(i64::try_from(r).unwrap_or(i64::MAX))),
        Integer(e.amount),
        Integer(e.tax),
        Integer(e.discount),
        optional(&e.account),
        optional(&e.tax_account),
        text(&e.reference),
        text(&p.group),
        Integer(effect.0),
        Integer(effect.1),
    ]
}

/// Stores a checked transaction; its id, or `None` when a stored one has
/// its identity (the unique index `ar_transactions_identity` said so).
fn insert(tx: &Transaction<'_>, p: &Pending, effect: (i64, i64)) -> Result<Option<i64>, GlError> {
    let reverses = p.reverses.map_or(
        rusqlite::types::Value::Null,
        rusqlite::types::Value::Integer,
    );
    let stored = tx
        .prepare_cached(concat!(
            "INSERT INTO ar_transactions (",
            entered_columns!(),
            ", reverses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
         ON CONFLICT (customer_code, kind, identity_reference) DO NOTHING"
        ))?
        .execute(rusqlite::params_from_iter(
            entered_values(p, effect).into_iter().chain([reverses]),
        ))?;
    Ok((stored == 1).then(|| tx.last_insert_rowid()))
}
