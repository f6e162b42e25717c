//! GL batches: the settings they balance in, creating one (the pipelined
//! chunks through the plugin), posting it, deleting an unposted one, and
//! the receipt-discount query.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, mpsc};

use rusqlite::{OptionalExtension, Transaction, params};

use crate::actor::Actor;
use crate::store::postings::StoredChunk;
use crate::units::minor_rate;
use crate::wit::{
    Account, ArTransaction, ArTransactions, BatchIssue, GlLine, Ledger, LineRole, Postings,
    TransactionKind,
};

use super::{
    BatchFilter, BatchSummary, BatchTotal, CHUNK, Decimals, Gl, GlError, GlSettings, MAX_ISSUES,
    Packer, REVERSAL_PREFIX, Snapshot, SnapshotFacts, check_postings, decimals_in, is_date,
    receivable_effect, span_of, text, worker_gone,
};

/// A chunk's lines summed per (day, currency, account), the day and
/// currency as indices of the chunk's texts, the account as an index of the
/// plugin's accounts: (debit, credit, amount, lines).
type DaySums = HashMap<(u32, u32, u32), (i64, i64, i64, i64), Quick>;

/// FxHash (`rustc-hash`): the keys are short texts and indices the host
/// made itself, so a fast hasher without DoS resistance is right.
type Quick = rustc_hash::FxBuildHasher;

impl Gl<'_> {
    /// Sets the default company's ledger settings (see
    /// [`Gl::set_gl_settings_of`]).
    pub fn set_gl_settings(&self, settings: &GlSettings) -> Result<(), GlError> {
        self.set_gl_settings_of(None, settings)
    }

    /// Sets the ledger settings of `company` (the default when none): the
    /// base currency must be a known currency, and stays while the company
    /// has batches; the rounding account must exist in the company's chart
    /// and be active.
    pub fn set_gl_settings_of(
        &self,
        company: Option<&str>,
        settings: &GlSettings,
    ) -> Result<(), GlError> {
        let company = self.db().company_or_default(company)?.code;
        let decimals = self.db().currency_decimals()?;
        let base = settings.base_currency.trim().to_ascii_uppercase();
        if !decimals.contains_key(&base) {
            return Err(GlError::Input(format!(
                "base currency {base:?} is not a currency of the host; add it with `erp-host reference new currency`"
            )));
        }
        if let Some(code) = &settings.rounding_account {
            match self.db().account_in(&company, code)? {
                Some(a) if a.active => {}
                Some(_) => return Err(GlError::Input(format!("account {code} is inactive"))),
                None => match self.db().account_company(code)? {
                    Some(other) => {
                        return Err(GlError::Input(format!(
                            "account {code} is in the chart of company {other}, not {company}"
                        )));
                    }
                    None => return Err(GlError::Input(format!("account {code} does not exist"))),
                },
            }
        }
        let conn = self.db().conn();
        let batched: i64 = conn.query_row(
            "SELECT count(*) FROM gl_batches WHERE company = ?2 AND base_currency <> ?1",
            [&base, &company],
            |r| r.get(0),
        )?;
        if batched > 0 {
            return Err(GlError::Input(format!(
                "{batched} batch(es) exist in another base currency; the base currency cannot change"
            )));
        }
        conn.execute(
            "UPDATE gl_settings SET base_currency = ?1, rounding_account = ?2 WHERE company = ?3",
            params![base, settings.rounding_account, company],
        )?;
        Ok(())
    }

    /// `gl batch create`: every unbatched transaction matching `filter`,
    /// turned into postings by the plugin, checked, stored as one unposted
    /// batch, in one SQLite transaction. The plugin works on one chunk on a
    /// thread of its own while the store reads the next and writes the last.
    pub fn create_batch(
        &self,
        filter: &BatchFilter,
        actor: &Actor,
    ) -> Result<BatchSummary, GlError> {
        self.create_batch_for(None, filter, actor)
    }

    /// [`Gl::create_batch`] for `company` (the default when none): its
    /// customers' transactions, posted by the plugin with the company's
    /// facts, balanced in its base currency.
    pub fn create_batch_for(
        &self,
        company: Option<&str>,
        filter: &BatchFilter,
        actor: &Actor,
    ) -> Result<BatchSummary, GlError> {
        let scope = self.scope(company)?;
        let settings = self.db().gl_settings_of(&scope.company)?;
        // With one company every transaction is its own: no filter to pay for.
        let only = self
            .db()
            .several_companies()?
            .then(|| scope.company.clone());
        if settings.base_currency.is_empty() {
            return Err(GlError::NoBaseCurrency);
        }
        for date in [&filter.from, &filter.to].into_iter().flatten() {
            if !is_date(date) {
                return Err(GlError::Input(format!(
                    "{date:?} is not a date (YYYY-MM-DD)"
                )));
            }
        }
        let group = match &filter.group {
            Some(code) => Some(
                self.db()
                    .find_group(code)?
                    .ok_or_else(|| GlError::Input(format!("there is no customer group {code:?}")))?
                    .group
                    .code,
            ),
            None => None,
        };
        let ledger = Ledger {
            base_currency: settings.base_currency.clone(),
            rounding_account: settings.rounding_account.clone(),
        };
        let sha256 = self.db().plugin_component()?.1;
        let id = self.db().write(|w| -> Result<i64, GlError> {
            let tx = w.tx();
            let snapshot = Arc::new(Snapshot::load(tx, &scope)?);
            tx.execute(
                "INSERT INTO gl_batches (from_date, to_date, group_code, base_currency, \
                 plugin_sha256, created_by, created_at, company) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?7)",
                params![
                    filter.from,
                    filter.to,
                    group,
                    ledger.base_currency,
                    sha256,
                    actor.user,
                    scope.company
                ],
            )?;
            let batch = tx.last_insert_rowid();
            let guard = MembersGuard::lift(tx)?;
            let mut writer = BatchWriter {
                tx,
                batch,
                filter,
                group: group.as_deref(),
                company: only.as_deref(),
                base: &ledger.base_currency,
                rounding: ledger.rounding_account.as_deref(),
                decimals: decimals_in(tx)?,
                groups: tx
                    .prepare("SELECT code, group_code FROM customers")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?,
                ids: tx.query_row(
                    "SELECT (SELECT min(id) FROM ar_transactions), (SELECT max(id) FROM ar_transactions)",
                    [],
                    |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
                )?,
                chunk: 0,
                count: 0,
                totals: BTreeMap::new(),
                owed: HashMap::default(),
                issues: Vec::new(),
                more: 0,
                sides: std::collections::VecDeque::new(),
            };
            let plugin = self.plugin();
            let (ledger, locale) = (&ledger, actor.locale.as_str());
            std::thread::scope(|scope| -> Result<(), GlError> {
                let (chunks, chunks_in) = mpsc::sync_channel::<ArTransactions>(1);
                let (done_out, done) = mpsc::sync_channel(1);
                let worker_snapshot = snapshot.clone();
                scope.spawn(move || {
                    for chunk in chunks_in {
                        let facts = Box::new(SnapshotFacts(worker_snapshot.clone()));
                        let out = plugin.build_batch(facts, ledger, &chunk, locale);
                        if done_out.send((chunk, out)).is_err() {
                            break;
                        }
                    }
                });
                // Both ends go when this returns, so the worker stops too.
                let mut pipeline = move || -> Result<(), GlError> {
                    let (mut in_flight, mut exhausted) = (0usize, false);
                    loop {
                        if !exhausted {
                            let chunk = writer.claim_chunk()?;
                            if chunk.entries.is_empty() {
                                exhausted = true;
                            } else {
                                chunks.send(chunk).map_err(|_| worker_gone())?;
                                in_flight += 1;
                            }
                        }
                        if in_flight == 0 {
                            return writer.finish();
                        }
                        if exhausted || in_flight > 1 {
                            let (chunk, out) = done.recv().map_err(|_| worker_gone())?;
                            in_flight -= 1;
                            writer.take(&chunk, out?, &snapshot.accounts)?;
                            if writer.more > 0 {
                                return writer.finish();
                            }
                        }
                    }
                };
                pipeline()
            })?;
            guard.restore(tx)?;
            Ok(batch)
        })?;
        self.db().batch(id)?.ok_or(GlError::NoSuchBatch(id))
    }

    /// Posts an unposted batch: its sums become GL entries and the batch
    /// never changes again; in one transaction.
    pub fn post_batch(&self, id: i64, actor: &Actor) -> Result<BatchSummary, GlError> {
        self.db().write(|w| -> Result<(), GlError> {
            let tx = w.tx();
            let status: Option<String> = tx
                .query_row("SELECT status FROM gl_batches WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            match status.as_deref() {
                None => return Err(GlError::NoSuchBatch(id)),
                Some("posted") => return Err(GlError::Posted(id)),
                _ => {}
            }
            let (debit, credit): (i64, i64) = tx.query_row(
                "SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) FROM gl_batch_totals \
                 WHERE batch_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if debit != credit {
                return Err(GlError::Unsound(vec![format!(
                    "batch {id} does not balance: debits {debit}, credits {credit}"
                )]));
            }
            // The status change is the posting: a trigger writes the ledger
            // (migration 006), so nothing else can.
            tx.execute(
                "UPDATE gl_batches SET status = 'posted', posted_by = ?2, \
                 posted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
                params![id, actor.user],
            )?;
            Ok(())
        })?;
        self.db().batch(id)?.ok_or(GlError::NoSuchBatch(id))
    }

    /// Deletes an unposted batch, releasing its transactions; in one transaction.
    pub fn delete_batch(&self, id: i64) -> Result<i64, GlError> {
        self.db().write(|w| -> Result<i64, GlError> {
            let tx = w.tx();
            let status: Option<String> = tx
                .query_row("SELECT status FROM gl_batches WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            match status.as_deref() {
                None => return Err(GlError::NoSuchBatch(id)),
                Some("posted") => return Err(GlError::Posted(id)),
                _ => {}
            }
            let released = tx.execute("DELETE FROM gl_batch_members WHERE batch_id = ?1", [id])?;
            tx.execute("DELETE FROM gl_batch_postings WHERE batch_id = ?1", [id])?;
            tx.execute("DELETE FROM gl_batch_totals WHERE batch_id = ?1", [id])?;
            tx.execute("DELETE FROM gl_batch_owed WHERE batch_id = ?1", [id])?;
            tx.execute("DELETE FROM gl_batches WHERE id = ?1", [id])?;
            Ok(released as i64)
        })
    }
}

impl Gl<'_> {
    /// The prompt-payment discount paying invoice `invoice` on `paid_on`
    /// earns, by the rules of its customer's group.
    pub fn receipt_discount(
        &self,
        invoice: i64,
        paid_on: &str,
        locale: &str,
    ) -> Result<Option<crate::wit::DiscountOffer>, GlError> {
        let record = self
            .db()
            .transaction(invoice)?
            .ok_or_else(|| GlError::Input(format!("there is no transaction {invoice}")))?;
        if record.entered.kind != TransactionKind::Invoice {
            return Err(GlError::Input(format!(
                "transaction {invoice} is a {}, not an invoice",
                record.entered.kind.as_str()
            )));
        }
        let group = self
            .db()
            .customer(&record.entered.customer)?
            .map(|c| c.group)
            .ok_or_else(|| {
                GlError::Input(format!("customer {} is gone", record.entered.customer))
            })?;
        self.plugin()
            .receipt_discount(
                self.db().facts(),
                &group,
                &record.entered.date,
                record.entered.amount,
                paid_on,
                locale,
            )?
            .map_err(|issues| GlError::Refused { issues, more: 0 })
    }
}

/// A sum of a batch, or the refusal of a batch whose sums do not fit the
/// store's 64-bit integers (each posting balances, but a day's, an
/// account's or the batch's total may not fit).
fn fits(sum: Option<i64>) -> Result<i64, GlError> {
    sum.ok_or_else(|| {
        GlError::Input(format!(
            "the batch's amounts are too large: its totals would exceed {} minor units; \
             nothing was stored",
            i64::MAX
        ))
    })
}

/// The trigger that refuses members of a posted batch (migration 006), lifted
/// while a batch claims its transactions: checked per row it would cost a
/// lookup for each of a million claims. Only the batch's own SQLite
/// transaction runs without it, and it only adds members to the batch it has
/// just created; `restore` puts it back before the commit, and a rollback
/// brings it back by itself, so no other connection ever sees it missing.
struct MembersGuard(Option<String>);

impl MembersGuard {
    const NAME: &'static str = "gl_batch_members_posted_no_insert";

    fn lift(tx: &Transaction<'_>) -> Result<Self, GlError> {
        let sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [Self::NAME],
                |r| r.get(0),
            )
            .optional()?;
        if sql.is_some() {
            tx.execute_batch(&format!("DROP TRIGGER {}", Self::NAME))?;
        }
        Ok(Self(sql))
    }

    fn restore(self, tx: &Transaction<'_>) -> Result<(), GlError> {
        if let Some(sql) = self.0 {
            tx.execute_batch(&sql)?;
        }
        Ok(())
    }
}

/// Claims chunks of a batch's transactions and writes what the plugin made
/// of them, inside the batch's SQLite transaction.
struct BatchWriter<'a> {
    tx: &'a Transaction<'a>,
    batch: i64,
    filter: &'a BatchFilter,
    group: Option<&'a str>,
    /// The batch's company's customers only (none: every customer, the
    /// host's only company).
    company: Option<&'a str>,
    base: &'a str,
    /// The ledger's rounding account.
    rounding: Option<&'a str>,
    decimals: Decimals,
    /// Customer -> group, read in the batch's transaction.
    groups: HashMap<String, String>,
    /// The ids left to look at: from the lowest to the highest.
    ids: Option<(i64, i64)>,
    chunk: i64,
    count: i64,
    totals: BTreeMap<(String, String, String), BatchTotal>,
    /// Customer -> what the batch's postings put on what it owes (its
    /// transactions' currency, base), added to what it owes as posted
    /// when the batch is posted (migration 016).
    owed: HashMap<String, (i64, i64)>,
    issues: Vec<BatchIssue>,
    more: usize,
    /// What each claimed chunk's transactions carry beside what the plugin
    /// gets, in claim order (chunks come back from the worker in order).
    sides: std::collections::VecDeque<Vec<Side>>,
}

/// What a claimed transaction carries beside what the plugin gets.
#[derive(Clone, Copy, Debug)]
struct Side {
    /// Its id on the contract.
    id: u64,
    /// A reversal: its posting is the mirror image of its values' posting.
    reversal: bool,
    /// Its receivable effect as stored (minor, base), if known.
    effect: Option<(i64, i64)>,
}

/// The transactions a batch may take: within the filter (by date, and by
/// group with its descendants).
const SCOPE: &str = "WITH RECURSIVE scope(code) AS ( \
         SELECT ?4 WHERE ?4 IS NOT NULL \
         UNION ALL SELECT g.code FROM customer_groups g JOIN scope ON g.parent = scope.code) ";
const IN_FILTER: &str = "(?2 IS NULL OR t.date >= ?2) AND (?3 IS NULL OR t.date <= ?3) \
     AND (?4 IS NULL OR t.customer_code IN \
          (SELECT code FROM customers WHERE group_code IN (SELECT code FROM scope))) \
     AND (?6 IS NULL OR t.customer_code IN (SELECT code FROM customers WHERE company = ?6))";

/// Transactions claimed by one statement.
const CLAIM_ROWS: usize = 100;

/// Claims [`CLAIM_ROWS`] transactions (`?2`...) for a batch (`?1`).
static CLAIM_MANY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let rows: Vec<String> = (2..CLAIM_ROWS + 2).map(|n| format!("(?{n}, ?1)")).collect();
    format!(
        "INSERT INTO gl_batch_members (transaction_id, batch_id) VALUES {}",
        rows.join(", ")
    )
});

/// A transaction's id as it crosses the contract (`u64`): the rowid's bits,
/// so that even a negative id (only ever written by hand) stays itself.
fn wire_id(id: i64) -> u64 {
    id as u64
}

/// A transaction's rowid from its id on the contract ([`wire_id`]).
fn host_id(id: u64) -> i64 {
    id as i64
}

/// The text in column `i` of `row`, borrowed; `None` when it is null.
fn text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    let value = row.get_ref(i)?;
    value
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), e.into()))
}

impl BatchWriter<'_> {
    /// Claims the next chunk of transactions for the batch, packed as the
    /// plugin takes them; none left when it is empty.
    fn claim_chunk(&mut self) -> Result<ArTransactions, GlError> {
        let select = format!(
            "{SCOPE} SELECT id, kind, date, customer_code, currency, rate_nanos, amount_minor, \
                    tax_minor, discount_minor, account, tax_account, reference, group_code, \
                    reverses IS NOT NULL, receivable_minor, receivable_base \
             FROM ar_transactions AS t WHERE t.id BETWEEN ?1 AND ?5 AND {IN_FILTER}"
        );
        // How much of a range batches hold, counted on the two primary keys:
        // a range no batch has touched (new transactions) is read without
        // asking, row by row, whether each is in a batch; a range batches
        // hold entirely (old transactions) is not read at all.
        let mut batched = self.tx.prepare_cached(
            "SELECT (SELECT count(*) FROM gl_batch_members m JOIN ar_transactions t \
                     ON t.id = m.transaction_id WHERE m.transaction_id BETWEEN ?1 AND ?2), \
                    (SELECT count(*) FROM ar_transactions WHERE id BETWEEN ?1 AND ?2)",
        )?;
        let mut read_fresh = self.tx.prepare_cached(&select)?;
        let mut read_unbatched = self.tx.prepare_cached(&format!(
            "{select} AND NOT EXISTS \
             (SELECT 1 FROM gl_batch_members m WHERE m.transaction_id = t.id)"
        ))?;
        let mut claim_one = self.tx.prepare_cached(
            "INSERT INTO gl_batch_members (transaction_id, batch_id) VALUES (?1, ?2)",
        )?;
        let mut claim_many = self.tx.prepare_cached(&CLAIM_MANY)?;
        // A window ends at its CHUNK-th transaction: ids may be sparse.
        let mut window_end = self.tx.prepare_cached(
            "SELECT id FROM ar_transactions WHERE id >= ?1 ORDER BY id LIMIT 1 OFFSET ?2",
        )?;
        let base_decimals = self.decimals.get(self.base).copied().unwrap_or(2);
        let mut packer = Packer::new();
        let mut ids = Vec::with_capacity(CHUNK);
        let mut sides = Vec::with_capacity(CHUNK);
        while let Some((low, high)) = self.ids {
            let last = window_end
                .query_row(params![low, CHUNK as i64 - 1], |r| r.get::<_, i64>(0))
                .optional()?
                .map_or(high, |end| end.min(high));
            self.ids = (last < high).then(|| (last + 1, high));
            let (held, all): (i64, i64) =
                batched.query_row([low, last], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let read = match held {
                0 => &mut read_fresh,
                _ if held >= all => continue,
                _ => &mut read_unbatched,
            };
            let mut rows = read.query(params![
                low,
                self.filter.from,
                self.filter.to,
                self.group,
                last,
                self.company
            ])?;
            while let Some(row) = rows.next()? {
                let id = self.pack_row(&mut packer, row, base_decimals)?;
                ids.push(id);
                let (minor, base): (Option<i64>, Option<i64>) = (row.get(14)?, row.get(15)?);
                sides.push(Side {
                    id: wire_id(id),
                    reversal: row.get(13)?,
                    effect: minor.zip(base),
                });
            }
            drop(rows);
            // Claimed after reading: the read is not disturbed by its own writes.
            let mut many = ids.chunks_exact(CLAIM_ROWS);
            for run in &mut many {
                claim_many.execute(rusqlite::params_from_iter(
                    std::iter::once(self.batch).chain(run.iter().copied()),
                ))?;
            }
            for &id in many.remainder() {
                claim_one.execute(params![id, self.batch])?;
            }
            ids.clear();
            if !packer.is_empty() {
                break;
            }
        }
        self.count += packer.len() as i64;
        if !sides.is_empty() {
            sides.sort_unstable_by_key(|s| s.id);
            self.sides.push_back(sides);
        }
        Ok(packer.finish())
    }

    /// Packs one row of a chunk's read; its id.
    fn pack_row(
        &self,
        packer: &mut Packer,
        row: &rusqlite::Row<'_>,
        base_decimals: u32,
    ) -> rusqlite::Result<i64> {
        let str_at = |i: usize| -> rusqlite::Result<&str> {
            text_at(row, i)?.ok_or_else(|| {
                rusqlite::Error::InvalidColumnType(i, "a text".into(), rusqlite::types::Type::Null)
            })
        };
        let id: i64 = row.get(0)?;
        let customer_code = str_at(3)?;
        let customer = packer.text(customer_code);
        // The group it was entered under; rows from before migration 007
        // that never got one, the customer's group now.
        let group = match text_at(row, 12)? {
            Some(entered) => packer.text(entered),
            None => packer.text(self.groups.get(customer_code).map_or("", String::as_str)),
        };
        let (currency, from) = packer.currency(str_at(4)?, |code| {
            self.decimals.get(code).copied().unwrap_or(2)
        });
        let rate: Option<i64> = row.get(5)?;
        let (account, tax_account) = (text_at(row, 9)?, text_at(row, 10)?);
        let entry = ArTransaction {
            id: wire_id(id),
            kind: TransactionKind::parse(str_at(1)?).unwrap_or(TransactionKind::Journal),
            date: packer.text(str_at(2)?),
            customer,
            group,
            currency,
            rate_nanos: rate.map(|r| {
                u64::try_from(r)
                    .ok()
                    .and_then(|r| minor_rate(r, from, base_decimals))
                    .unwrap_or(0)
            }),
            amount: row.get(6)?,
            tax: row.get(7)?,
            discount: row.get(8)?,
            account: account.map(|a| packer.text(a)),
            tax_account: tax_account.map(|a| packer.text(a)),
            reference: packer.reference(str_at(11)?),
        };
        packer.push(entry);
        Ok(id)
    }

    /// Checks and writes the plugin's postings of `chunk`, or keeps its problems.
    fn take(
        &mut self,
        chunk: &ArTransactions,
        out: Result<Postings, Vec<BatchIssue>>,
        accounts: &HashMap<String, Account>,
    ) -> Result<(), GlError> {
        let sides = self.sides.pop_front().unwrap_or_default();
        let out = match out {
            Ok(out) => out,
            Err(found) => {
                let room = MAX_ISSUES.saturating_sub(self.issues.len());
                self.more += found.len().saturating_sub(room);
                self.issues.extend(found.into_iter().take(room));
                return Ok(());
            }
        };
        if !self.issues.is_empty() {
            return Ok(()); // nothing will be stored; keep collecting problems
        }
        let (pairs, problems) = check_postings(chunk, &out, accounts, self.rounding);
        if !problems.is_empty() {
            return Err(GlError::Unsound(problems));
        }
        let mut sums: DaySums = HashMap::default();
        // Customer (an index of the chunk's texts) -> what the chunk's
        // postings put on what it owes: merged into the batch's by code
        // once per customer, not once per transaction.
        let mut owed: HashMap<u32, (i64, i64), Quick> = HashMap::default();
        let mut stored = StoredChunk {
            accounts: out.accounts.iter().map(String::as_str).collect(),
            roles: LineRole::ALL.iter().map(|r| r.as_str()).collect(),
            descriptions: "",
            postings: Vec::with_capacity(pairs.len()),
            lines: Vec::with_capacity(out.lines.len()),
        };
        let mut descriptions = String::with_capacity(out.descriptions.len());
        let mut effects = Vec::new();
        for (posting, tx) in pairs {
            let (first, count) = (posting.lines.start as usize, posting.lines.len as usize);
            let side = sides
                .binary_search_by_key(&tx.id, |s| s.id)
                .ok()
                .map(|at| sides[at]);
            let reversal = side.is_some_and(|s| s.reversal);
            let lines = out.lines[first..first + count].iter().map(|line| {
                if reversal {
                    // Negating both amounts keeps the posting balanced and at
                    // its rate: conversion rounds half away from zero.
                    GlLine {
                        amount: -line.amount,
                        base_amount: -line.base_amount,
                        ..*line
                    }
                } else {
                    *line
                }
            });
            let effect = receivable_effect(lines.clone());
            if let Some(side) = side
                && side.effect != effect
            {
                effects.push((host_id(tx.id), effect));
            }
            if let Some((minor, base)) = effect {
                let owed = owed.entry(tx.customer).or_default();
                owed.0 = fits(owed.0.checked_add(minor))?;
                owed.1 = fits(owed.1.checked_add(base))?;
            }
            for line in lines {
                let sum = sums
                    .entry((tx.date, tx.currency, line.account))
                    .or_default();
                if line.base_amount >= 0 {
                    sum.0 = fits(sum.0.checked_add(line.base_amount))?;
                } else {
                    sum.1 = fits(sum.1.checked_sub(line.base_amount))?;
                }
                sum.2 = fits(sum.2.checked_add(line.amount))?;
                sum.3 += 1;
                stored.lines.push((
                    line.account,
                    line.role as u32,
                    line.amount,
                    line.base_amount,
                ));
            }
            let description = span_of(&out.descriptions, posting.description).unwrap_or_default();
            let before = descriptions.len();
            if reversal {
                descriptions.push_str(REVERSAL_PREFIX);
            }
            descriptions.push_str(description);
            stored.postings.push((
                host_id(posting.transaction),
                u32::try_from(descriptions.len() - before).unwrap_or(u32::MAX),
                posting.lines.len,
            ));
        }
        stored.descriptions = &descriptions;
        for (customer, (minor, base)) in owed {
            let customer = text(chunk, customer);
            let total = match self.owed.get_mut(customer) {
                Some(total) => total,
                None => self.owed.entry(customer.to_owned()).or_default(),
            };
            total.0 = fits(total.0.checked_add(minor))?;
            total.1 = fits(total.1.checked_add(base))?;
        }
        for ((date, currency, account), (debit, credit, amount, lines)) in sums {
            let (date, currency) = (text(chunk, date), text(chunk, currency));
            let account = out.accounts[account as usize].as_str();
            let key = (date.to_owned(), account.to_owned(), currency.to_owned());
            let total = self.totals.entry(key).or_insert_with(|| BatchTotal {
                date: date.to_owned(),
                account: account.to_owned(),
                currency: currency.to_owned(),
                debit: 0,
                credit: 0,
                amount: 0,
                lines: 0,
            });
            total.debit = fits(total.debit.checked_add(debit))?;
            total.credit = fits(total.credit.checked_add(credit))?;
            total.amount = fits(total.amount.checked_add(amount))?;
            total.lines += lines;
        }
        // What a transaction does to its customer's balance is what its
        // posting does: where the stored effect differs (a plugin installed
        // since it was entered), the posting's is kept.
        let mut set_effect = self.tx.prepare_cached(
            "UPDATE ar_transactions SET receivable_minor = ?2, receivable_base = ?3 WHERE id = ?1",
        )?;
        for (id, effect) in effects {
            set_effect.execute(params![id, effect.map(|e| e.0), effect.map(|e| e.1)])?;
        }
        let blob = postcard::to_allocvec(&stored).map_err(|e| GlError::Input(e.to_string()))?;
        self.tx
            .prepare_cached(
                "INSERT INTO gl_batch_postings (batch_id, chunk, postings) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.batch, self.chunk, blob])?;
        self.chunk += 1;
        Ok(())
    }

    /// The sums, and the batch's totals; or why there is no batch.
    fn finish(&mut self) -> Result<(), GlError> {
        if !self.issues.is_empty() {
            return Err(GlError::Refused {
                issues: std::mem::take(&mut self.issues),
                more: self.more,
            });
        }
        if self.count == 0 {
            return Err(GlError::NothingToBatch);
        }
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO gl_batch_totals (batch_id, date, account, currency, debit, credit, amount, lines) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let (mut debit, mut credit) = (0i64, 0i64);
        for t in self.totals.values() {
            insert.execute(params![
                self.batch, t.date, t.account, t.currency, t.debit, t.credit, t.amount, t.lines
            ])?;
            debit = fits(debit.checked_add(t.debit))?;
            credit = fits(credit.checked_add(t.credit))?;
        }
        if debit != credit {
            return Err(GlError::Unsound(vec![format!(
                "the batch does not balance: debits {debit}, credits {credit}"
            )]));
        }
        let mut owes = self.tx.prepare_cached(
            "INSERT INTO gl_batch_owed (batch_id, customer_code, owed_minor, owed_base) \
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (customer, (minor, base)) in &self.owed {
            owes.execute(params![self.batch, customer, minor, base])?;
        }
        self.tx.execute(
            "UPDATE gl_batches SET transactions = ?2, debit_total = ?3 WHERE id = ?1",
            params![self.batch, self.count, debit],
        )?;
        Ok(())
    }
}
