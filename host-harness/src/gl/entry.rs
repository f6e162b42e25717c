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

use std::collections::HashMap;
use std::sync::{Arc, mpsc};

use rusqlite::{OptionalExtension, Transaction, params};

use crate::gl::{
    CHUNK, Decimals, Gl, GlError, MAX_ISSUES, NewTransaction, Packer, Snapshot, SnapshotFacts,
    check_postings, decimals_in, receivable_effect, worker_gone as checker_gone,
};
use crate::messages::{self as m, Locale, Localize};
use crate::store::StoreError;
use crate::units::{amount_text, minor_rate};
use crate::wit::{ArTransaction, ArTransactions, BatchIssue, Ledger, Postings, TransactionKind};

/// One row to enter: (its line in the source, the transaction), or (its
/// line, why it could not be read).
pub type EntryRow = Result<(usize, NewTransaction), (usize, String)>;

/// A rate of exactly 1, in billionths.
pub const RATE_ONE: u64 = 1_000_000_000;

/// A transaction as typed or read from a CSV row, before it is checked.
#[derive(Clone, Debug, Default)]
pub struct EntryText {
    /// `invoice`, `credit-note`, `journal`, `receipt`, `write-off`,
    /// `sales-discount` or `reward`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The customer code.
    pub customer: String,
    /// The currency; the customer's when blank.
    pub currency: Option<String>,
    /// Base-currency units per unit of the currency; required unless the
    /// currency is the base currency (then 1).
    pub rate: Option<String>,
    /// The gross amount, e.g. `1500000.50`.
    pub amount: String,
    /// Tax included in the amount.
    pub tax: Option<String>,
    /// Settlement discount (receipts).
    pub discount: Option<String>,
    /// The account the transaction names.
    pub account: Option<String>,
    /// The tax account.
    pub tax_account: Option<String>,
    /// The document reference.
    pub reference: Option<String>,
}

/// What reading entries needs to know of the host.
pub struct EntryContext {
    /// Customer code -> currency.
    pub customers: HashMap<String, String>,
    /// Currency -> decimals.
    pub decimals: Decimals,
    /// The ledger's base currency (blank until set).
    pub base_currency: String,
    /// The locale of the messages.
    pub locale: Locale,
}

impl Gl<'_> {
    /// What [`parse_entry`] needs: customers' currencies, currency decimals
    /// and the base currency; its messages in `locale`.
    pub fn entry_context(&self, locale: &str) -> Result<EntryContext, StoreError> {
        let conn = self.db().conn();
        let mut stmt = conn.prepare_cached("SELECT code, currency FROM customers")?;
        let customers = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let base_currency = conn.query_row(
            "SELECT base_currency FROM gl_settings WHERE id = 1",
            [],
            |row| row.get(0),
        )?;
        Ok(EntryContext {
            customers,
            decimals: decimals_in(&conn)?,
            base_currency,
            locale: Locale::from_tag(locale),
        })
    }
}

/// Reads a typed transaction; errors name the field.
pub fn parse_entry(text: &EntryText, cx: &EntryContext) -> Result<NewTransaction, String> {
    let blank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let locale = cx.locale;
    let kind = TransactionKind::parse(text.kind.trim()).ok_or_else(|| {
        let kinds: Vec<&str> = TransactionKind::ALL.iter().map(|k| k.as_str()).collect();
        m::not_a_kind(locale, &text.kind, &kinds.join(", "))
    })?;
    let customer = text.customer.trim().to_owned();
    let currency = match blank(&text.currency) {
        Some(c) => c.to_ascii_uppercase(),
        None => cx
            .customers
            .get(&customer)
            .cloned()
            .ok_or_else(|| m::no_customer(locale, &customer))?,
    };
    let decimals = *cx
        .decimals
        .get(&currency)
        .ok_or_else(|| m::unknown_currency(locale, &currency))?;
    let money = |field: &str, value: &str| {
        crate::units::parse_amount(value, &currency, decimals)
            .map_err(|e| m::bad_field(locale, field, &e.localize(locale)))
    };
    let optional = |field: &str, value: &Option<String>| match blank(value) {
        Some(v) => money(field, &v),
        None => Ok(0),
    };
    let amount = money("amount", &text.amount)?;
    let tax = optional("tax", &text.tax)?;
    let discount = optional("discount", &text.discount)?;
    let rate = match blank(&text.rate) {
        Some(r) => crate::units::parse_rate(&r)
            .map_err(|e| m::bad_field(locale, "rate", &e.localize(locale)))?,
        // A rate of 1 is what the base currency has by definition; any
        // other currency's rate is a fact of the day only the user knows.
        None if currency == cx.base_currency => RATE_ONE,
        None => {
            let base = if cx.base_currency.is_empty() {
                m::base_units(locale)
            } else {
                cx.base_currency.clone()
            };
            return Err(m::rate_needed(locale, &currency, &base));
        }
    };
    Ok(NewTransaction {
        kind,
        date: text.date.trim().to_owned(),
        customer,
        rate_nanos: rate,
        amount,
        tax,
        discount,
        account: blank(&text.account),
        tax_account: blank(&text.tax_account),
        reference: blank(&text.reference).unwrap_or_default(),
        currency,
    })
}

/// The columns a transactions CSV may have (a header row names them).
pub const CSV_COLUMNS: &[&str] = &[
    "kind",
    "date",
    "customer",
    "amount",
    "currency",
    "rate",
    "tax",
    "discount",
    "account",
    "tax-account",
    "reference",
];

/// Reads a transactions CSV: (line, entry) per row, or an error naming the
/// line and column. The header must name `kind`, `date`, `customer` and
/// `amount`; other columns of [`CSV_COLUMNS`] are optional.
pub fn read_csv<'a, R: std::io::Read + 'a>(
    reader: R,
    cx: &'a EntryContext,
) -> Result<impl Iterator<Item = EntryRow> + 'a, String> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(reader);
    let locale = cx.locale;
    let headers = csv
        .headers()
        .map_err(|e| m::on_line(locale, 1, &e.to_string()))?
        .clone();
    let mut index = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.to_lowercase().replace('_', "-");
        if !CSV_COLUMNS.contains(&name.as_str()) {
            return Err(m::unknown_column(
                locale,
                i + 1,
                &name,
                &CSV_COLUMNS.join(", "),
            ));
        }
        index.insert(name, i);
    }
    for required in ["kind", "date", "customer", "amount"] {
        if !index.contains_key(required) {
            return Err(m::missing_column(locale, required));
        }
    }
    Ok(csv.into_records().map(move |record| {
        let record = record.map_err(|e| match e.position() {
            Some(p) => (
                p.line() as usize,
                m::on_line(locale, p.line() as usize, &e.to_string()),
            ),
            None => (0, e.to_string()),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::to_owned)
        };
        let text = EntryText {
            kind: get("kind").unwrap_or_default(),
            date: get("date").unwrap_or_default(),
            customer: get("customer").unwrap_or_default(),
            currency: get("currency"),
            rate: get("rate"),
            amount: get("amount").unwrap_or_default(),
            tax: get("tax"),
            discount: get("discount"),
            account: get("account"),
            tax_account: get("tax-account"),
            reference: get("reference"),
        };
        parse_entry(&text, cx)
            .map(|entry| (line, entry))
            .map_err(|e| (line, m::at_line(locale, line, &e)))
    }))
}

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

/// A transaction about to be stored: where it came from and its group.
struct Pending {
    line: usize,
    entry: NewTransaction,
    group: String,
    /// The transaction it reverses.
    reverses: Option<i64>,
}

/// What the plugin's posting rules made of one transaction: its receivable
/// effect, or its problems (none: unknown, the plugin refused others of its chunk).
type Verdict = Result<(i64, i64), Vec<BatchIssue>>;

/// A chunk as the plugin got it, and its answer: postings or problems.
type Asked = (ArTransactions, Result<Postings, Vec<BatchIssue>>);

/// The facts an entry is checked against, read once inside its SQLite
/// transaction (the connection is busy writing meanwhile).
struct Checker<'a> {
    gl: Gl<'a>,
    facts: Arc<Snapshot>,
    ledger: Ledger,
    decimals: Decimals,
    base_decimals: u32,
    locale: &'a str,
}

impl<'a> Checker<'a> {
    fn load(gl: Gl<'a>, tx: &Transaction<'_>, locale: &'a str) -> Result<Self, GlError> {
        let (base_currency, rounding_account): (String, Option<String>) = tx.query_row(
            "SELECT base_currency, rounding_account FROM gl_settings WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let decimals = decimals_in(tx)?;
        Ok(Self {
            gl,
            facts: Arc::new(Snapshot::load(tx)?),
            base_decimals: decimals.get(&base_currency).copied().unwrap_or(2),
            decimals,
            ledger: Ledger {
                base_currency,
                rounding_account,
            },
            locale,
        })
    }

    /// The plugin's verdict on each of `pending` (at most [`CHUNK`]), and
    /// the problems of the whole chunk (`transaction` 0). The plugin
    /// returns no postings when it refuses any transaction of a call, so
    /// the others are asked again without the refused ones.
    fn check(&self, pending: &[Pending]) -> Result<(Vec<Verdict>, Vec<BatchIssue>), GlError> {
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
    fn ask(&self, pending: &[Pending]) -> Result<Asked, GlError> {
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
                rate_nanos: minor_rate(e.rate_nanos, from, self.base_decimals).unwrap_or(0),
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

    fn check_once(&self, pending: &[Pending]) -> Result<(Vec<Verdict>, Vec<BatchIssue>), GlError> {
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
                    && r.get::<_, i64>(3)? == i64::try_from(entry.rate_nanos).unwrap_or(-1)
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
    let mut lookup =
        tx.prepare_cached("SELECT currency, active, group_code FROM customers WHERE code = ?1")?;
    Ok(lookup
        .query_row([code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// A customer as entry needs it: (currency, active, group).
type Customer = (String, bool, String);

/// Whether a transaction's customer may take it; its group if so.
fn admissible(
    customer: Option<Customer>,
    entry: &NewTransaction,
    decimals: &Decimals,
    lang: Locale,
) -> Result<String, String> {
    match customer {
        None => Err(m::no_customer(lang, &entry.customer)),
        Some((_, false, _)) => Err(m::inactive_customer(lang, &entry.customer)),
        Some((currency, _, _)) if currency != entry.currency => Err(m::not_the_customers_currency(
            lang,
            &entry.customer,
            &currency,
            &entry.currency,
        )),
        Some(_) if !decimals.contains_key(&entry.currency) => {
            Err(m::unknown_currency(lang, &entry.currency))
        }
        Some((_, _, group)) => Ok(group),
    }
}

/// The storing end of an import: checked chunks become rows, or problems.
struct Storing<'t, 'c> {
    tx: &'t Transaction<'t>,
    checker: &'c Checker<'c>,
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
        Ok(())
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

/// Problems gathered while entering, up to [`MAX_ISSUES`].
struct Problems {
    /// (line, problem): shown in line order.
    list: Vec<(usize, String)>,
    more: usize,
    locale: Locale,
}

impl Problems {
    fn new(locale: Locale) -> Self {
        Self {
            list: Vec::new(),
            more: 0,
            locale,
        }
    }

    fn push(&mut self, line: usize, problem: String) {
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
    fn push_located(&mut self, line: usize, problem: String) {
        if self.list.len() >= MAX_ISSUES {
            self.more += 1;
        } else {
            self.list.push((line, problem));
        }
    }

    fn into_result(mut self) -> Result<(), GlError> {
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
fn issue_text(issue: &BatchIssue, entry: &NewTransaction, decimals: &Decimals) -> String {
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
    /// Checks and stores one AR transaction; its id.
    pub fn add_transaction(&self, entry: NewTransaction, locale: &str) -> Result<i64, GlError> {
        // Line 0: not from a file, so problems name no line.
        let imported = self.import_transactions(
            std::iter::once(Ok((0, entry))),
            Duplicates::Refuse,
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
    /// far. Every problem is reported, up to a limit.
    pub fn import_transactions(
        &self,
        entries: impl Iterator<Item = EntryRow> + Send,
        duplicates: Duplicates,
        locale: &str,
        mut progress: impl FnMut(usize),
    ) -> Result<Imported, GlError> {
        // Rows arrive in file order, so the identity index (customer first)
        // takes them all over the table: with SQLite's 2 MB page cache a
        // million rows spill and re-read its pages; 64 MB keeps them.
        let _cache = self.db().page_cache_mib(64)?;
        self.db().write(|w| {
            let tx = w.tx();
            let checker = Checker::load(*self, tx, locale)?;
            let lang = Locale::from_tag(locale);
            let mut store = Storing {
                tx,
                checker: &checker,
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
                    match admissible(customer, &entry, &checker.decimals, lang) {
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
        locale: &str,
    ) -> Result<(), GlError> {
        let lang = Locale::from_tag(locale);
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
            let checker = Checker::load(*self, tx, locale)?;
            // An inactive customer takes no new transactions, but its
            // unbatched ones may still be put right.
            let standing =
                customer(tx, &entry.customer)?.map(|(currency, _, group)| (currency, true, group));
            let group =
                admissible(standing, &entry, &checker.decimals, lang).map_err(GlError::Input)?;
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
            let checker = Checker::load(*self, tx, locale)?;
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
        Integer(i64::try_from(e.rate_nanos).unwrap_or(i64::MAX)),
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

impl Gl<'_> {
    /// Asks the plugin what the transactions stored before entry was checked
    /// (migration 007) do to their customers' balances: a batched one is
    /// what its batch posted, an unbatched one what its posting would be.
    /// Those the posting rules refuse stay unknown and count in no balance
    /// ([`crate::report::uncounted`]). How many became known.
    pub fn settle_unknown_effects(&self, locale: &str) -> Result<usize, GlError> {
        let batches: Vec<i64> = {
            let conn = self.db().conn();
            let unknown: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM ar_transactions WHERE receivable_minor IS NULL)",
                [],
                |r| r.get(0),
            )?;
            if !unknown {
                return Ok(0);
            }
            let mut stmt = conn.prepare(
                "SELECT DISTINCT m.batch_id FROM ar_transactions t \
                 JOIN gl_batch_members m ON m.transaction_id = t.id \
                 WHERE t.receivable_minor IS NULL ORDER BY 1",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        // What each batch posted, per transaction.
        let mut posted: HashMap<i64, (i64, i64)> = HashMap::new();
        for batch in batches {
            for line in self.db().batch_lines(batch, usize::MAX)? {
                if line.role == crate::wit::LineRole::Receivable.as_str() {
                    let sum = posted.entry(line.transaction).or_default();
                    sum.0 = sum.0.saturating_add(line.amount);
                    sum.1 = sum.1.saturating_add(line.base_amount);
                }
            }
        }
        self.db().write(|w| {
            let tx = w.tx();
            let mut set = tx.prepare_cached(
                "UPDATE ar_transactions SET receivable_minor = ?2, receivable_base = ?3 \
                 WHERE id = ?1 AND receivable_minor IS NULL",
            )?;
            let mut settled = 0;
            for (id, (minor, base)) in &posted {
                settled += set.execute(params![id, minor, base])?;
            }
            let checker = Checker::load(*self, tx, locale)?;
            let mut read = tx.prepare(
                "SELECT t.id, t.kind, t.date, t.customer_code, t.currency, t.rate_nanos, \
                        t.amount_minor, t.tax_minor, t.discount_minor, t.account, t.tax_account, \
                        t.reference, coalesce(t.group_code, c.group_code, ''), t.reverses \
                 FROM ar_transactions t LEFT JOIN customers c ON c.code = t.customer_code \
                 WHERE t.receivable_minor IS NULL \
                   AND NOT EXISTS (SELECT 1 FROM gl_batch_members m WHERE m.transaction_id = t.id) \
                 ORDER BY t.id",
            )?;
            let rows: Vec<(i64, Pending)> = read
                .query_map([], |r| {
                    let kind: String = r.get(1)?;
                    let rate: i64 = r.get(5)?;
                    Ok((
                        r.get(0)?,
                        Pending {
                            line: 0,
                            entry: NewTransaction {
                                kind: TransactionKind::parse(&kind)
                                    .unwrap_or(TransactionKind::Journal),
                                date: r.get(2)?,
                                customer: r.get(3)?,
                                currency: r.get(4)?,
                                rate_nanos: u64::try_from(rate).unwrap_or(0),
                                amount: r.get(6)?,
                                tax: r.get(7)?,
                                discount: r.get(8)?,
                                account: r.get(9)?,
                                tax_account: r.get(10)?,
                                reference: r.get(11)?,
                            },
                            group: r.get(12)?,
                            reverses: r.get(13)?,
                        },
                    ))
                })?
                .collect::<Result<_, _>>()?;
            for chunk in rows.chunks(CHUNK) {
                let pending: Vec<Pending> = chunk
                    .iter()
                    .map(|(_, p)| Pending {
                        line: 0,
                        entry: p.entry.clone(),
                        group: p.group.clone(),
                        reverses: p.reverses,
                    })
                    .collect();
                let (verdicts, _) = checker.check(&pending)?;
                for ((id, _), verdict) in chunk.iter().zip(verdicts) {
                    if let Ok((minor, base)) = verdict {
                        settled += set.execute(params![id, minor, base])?;
                    }
                }
            }
            Ok(settled)
        })
    }
}
