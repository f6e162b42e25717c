//! GL batch creation: arbitrary AR transactions (amounts in minor units at
//! the edges of `i64`, odd dates, rates and currencies, missing, inactive and
//! wrong-kind accounts) into GL batches, posted and deleted.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use host_harness::fields;
use host_harness::gl::{BatchFilter, BatchSummary, GlError, GlSettings, NewTransaction};
use host_harness::wit::TransactionKind;
use host_harness::{Actor, AdminError, Db};
use rusqlite::params;

use super::input::{ACCOUNTS, CODES, CURRENCIES, Gen, LOCALES};
use super::{Fresh, Template, customer, dump, fresh, fuzz_actor, trace};

/// Customers of the company template with their currencies, and unknown ones.
const CUSTOMERS: &[(&str, &str)] = &[
    ("C1", "IDR"),
    ("V1", "IDR"),
    ("X1", "USD"),
    ("J1", "JPY"),
    ("I1", "IDR"),
    ("C2", "IDR"),
    ("L2", "USD"),
    ("NOPE", "IDR"),
    ("c1", "IDR"),
];

/// Groups whose settings a run may edit.
const GROUPS: &[&str] = &[
    "LOKAL", "L001", "VIP", "EXPO", "EXPORT", "NODE2", "D1", "JP",
];

/// Invariants:
///
/// - the plugin never fails, and the host never finds the real plugin's
///   postings unsound;
/// - a batch creation, posting or deletion that fails leaves every GL table
///   and every transaction's batch exactly as before;
/// - a created batch takes exactly the unbatched transactions its filter
///   matches, each with one posting that balances in its currency and in the
///   base currency; its sums are the sums of its lines, and its debits equal
///   its credits and its recorded total; nothing else changes;
/// - posting copies exactly the batch's sums into the ledger; deleting
///   releases exactly its transactions; the ledger balances.
pub fn gl_batch(data: &[u8]) {
    let fx = fresh(Template::Company);
    let mut g = Gen::new(data);
    let locale = g.text(LOCALES);
    let actor = fuzz_actor(&locale);
    setup(&fx, &mut g, &actor);
    for _ in 0..g.below(12) {
        transaction(&fx, &mut g);
    }
    for _ in 0..1 + g.below(5) {
        match g.below(6) {
            0..=2 => create(&fx, &mut g, &actor),
            3 | 4 => post(&fx, &mut g, &actor),
            _ => delete(&fx, &mut g),
        }
    }
    for id in batch_ids(fx.db()) {
        check_batch(fx.db(), id);
    }
    check_ledger(fx.db());
    check_owed(fx.db());
}

/// The ledger, groups, customers and chart as a run finds them: through the
/// host's validated operations, and sometimes as older data might have left
/// them (written directly).
fn setup(fx: &Fresh, g: &mut Gen<'_>, actor: &Actor) {
    let db = fx.db();
    if g.maybe(64) {
        let settings = GlSettings {
            base_currency: g.text(CURRENCIES),
            rounding_account: g.opt_text(ACCOUNTS),
        };
        let _ = fx.admin.gl().set_gl_settings(&settings);
    }
    if g.maybe(40) {
        let currency = g.pick(CURRENCIES);
        let _ = db.set_currency_decimals(currency, g.below(5) as u32);
    }
    for _ in 0..g.below(3) {
        let code = g.pick(GROUPS);
        let edited = fx.admin.update_group(
            code,
            |group| {
                for _ in 0..1 + g.below(3) {
                    match g.below(6) {
                        0 => group.is_group = !group.is_group,
                        1 => group.parent = g.opt_text(GROUPS),
                        _ => g.set_one(&mut group.settings),
                    }
                }
            },
            actor,
        );
        if let Err(AdminError::Plugin(e)) = edited {
            panic!("update_group: the plugin failed: {e}");
        }
    }
    if g.maybe(40) {
        let mut defaults = db.ar_settings().expect("AR settings");
        g.set_one(&mut defaults);
        if let Err(AdminError::Plugin(e)) = fx.admin.set_ar_settings(defaults, actor) {
            panic!("set_ar_settings: the plugin failed: {e}");
        }
    }
    if g.maybe(48) {
        let (code, currency) = g.pick(&[("C2", "IDR"), ("L2", "USD")]);
        let group = g.text(CODES);
        let currency = if g.chance(200) {
            currency.to_owned()
        } else {
            g.text(CURRENCIES)
        };
        let added = fx
            .admin
            .create_customer(customer(code, &group, &currency, true), actor);
        if let Err(AdminError::Plugin(e)) = added {
            panic!("create_customer: the plugin failed: {e}");
        }
    }
    // Older data, written directly: what earlier versions or other modules
    // of the host may have left (the checks on entry are newer than it).
    for _ in 0..g.below(3) {
        let conn = db.conn();
        let _ = match g.below(4) {
            0 => conn.execute(
                "UPDATE accounts SET active = 0 WHERE code = ?1",
                [g.pick(ACCOUNTS)],
            ),
            1 => conn.execute(
                "UPDATE accounts SET kind = ?2 WHERE code = ?1",
                params![
                    g.pick(ACCOUNTS),
                    g.pick(&["receivable", "bank", "income", "expense", "liability"])
                ],
            ),
            2 => {
                // One of the AR settings' accounts gone (the host's field
                // table's account settings; stored by form field name).
                let accounts: Vec<&str> = fields::settings_fields()
                    .map(|f| f.name)
                    .filter(|name| name.ends_with("-account"))
                    .collect();
                let field = g.pick(&accounts);
                conn.execute(
                    "UPDATE ar_settings SET settings = json_remove(settings, ?1)",
                    [fields::json::path(field)],
                )
            }
            _ => conn.execute(
                "INSERT INTO customers (code, name, group_code, currency, active) \
                 VALUES ('L2', 'Legacy', ?1, ?2, 1)",
                params![g.pick(GROUPS), g.text(CURRENCIES)],
            ),
        };
    }
}

/// One AR transaction: through the host's checks, or written directly as
/// data migrated from an older schema (any date text, any rate).
fn transaction(fx: &Fresh, g: &mut Gen<'_>) {
    let (customer, currency) = g.pick(CUSTOMERS);
    let currency = if g.chance(210) {
        currency.to_owned()
    } else {
        g.text(CURRENCIES)
    };
    let kind = g.pick(&TransactionKind::ALL);
    let amount = if g.chance(128) {
        1 + g.below(10_000_000) as i64
    } else {
        g.amount()
    };
    // Tax and discount mostly where the kind takes them (else 0), so that
    // most transactions are sound and extreme amounts reach the batch.
    let share = |g: &mut Gen<'_>, fits: bool| match g.below(if fits { 4 } else { 16 }) {
        2 => amount / 10,
        3 => g.amount(),
        _ => 0,
    };
    let taxed = matches!(kind, TransactionKind::Invoice | TransactionKind::CreditNote);
    let entry = NewTransaction {
        kind,
        date: g.date(),
        customer: customer.to_owned(),
        currency,
        // Now and then no rate: the plugin takes the base currency's, or
        // refuses another currency's.
        rate_nanos: if g.chance(64) {
            None
        } else if g.chance(128) {
            Some(1_000_000_000)
        } else {
            Some(g.rate())
        },
        amount,
        tax: share(g, taxed),
        discount: share(g, kind == TransactionKind::Receipt),
        account: g.opt_text(ACCOUNTS),
        tax_account: g.opt_text(ACCOUNTS),
        reference: g.text(&["INV-1", "RC-1", "", " "]),
    };
    trace!("gl: transaction {entry:?}");
    if g.chance(190) {
        match fx.admin.gl().add_transaction(
            entry,
            host_harness::gl::credit::CreditPolicy::enforce(host_harness::actor::By::HOST),
            "en",
        ) {
            Err(GlError::Plugin(e)) => panic!("add_transaction: the plugin failed: {e}"),
            Err(GlError::Unsound(p)) => panic!("add_transaction: unsound: {p:?}"),
            _ => {}
        }
    } else {
        let _ = fx.db().conn().execute(
            "INSERT INTO ar_transactions (customer_code, kind, date, currency, rate_nanos, \
             amount_minor, tax_minor, discount_minor, account, tax_account, reference) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                entry.customer,
                entry.kind.as_str(),
                entry.date,
                entry.currency,
                entry
                    .rate_nanos
                    .map(|r| i64::try_from(r).unwrap_or(i64::MAX)),
                entry.amount,
                entry.tax,
                entry.discount,
                entry.account,
                entry.tax_account,
                entry.reference,
            ],
        );
    }
}

/// Every GL table and every transaction's batch, leaving out batch `except`
/// (its rows, and its transactions' membership).
fn gl_state(db: &Db, except: i64) -> Vec<Vec<String>> {
    vec![
        dump(
            db,
            &format!("SELECT * FROM gl_batches WHERE id <> {except} ORDER BY id"),
        ),
        dump(
            db,
            &format!(
                "SELECT * FROM gl_batch_postings WHERE batch_id <> {except} ORDER BY batch_id, chunk"
            ),
        ),
        dump(
            db,
            &format!(
                "SELECT * FROM gl_batch_totals WHERE batch_id <> {except} \
                 ORDER BY batch_id, date, account, currency"
            ),
        ),
        dump(
            db,
            &format!("SELECT * FROM gl_entries WHERE batch_id <> {except} ORDER BY id"),
        ),
        dump(
            db,
            "SELECT id, customer_code, kind, date, currency, rate_nanos, amount_minor, tax_minor, \
             discount_minor, account, tax_account, reference, group_code, reverses \
             FROM ar_transactions ORDER BY id",
        ),
        // What a transaction does to its customer's balance: a batch keeps
        // its own transactions' as their postings say (batch `except`'s
        // members are left out; before it existed, none were members).
        dump(
            db,
            &format!(
                "SELECT id, receivable_minor, receivable_base FROM ar_transactions t \
                 WHERE NOT EXISTS (SELECT 1 FROM gl_batch_members m \
                                   WHERE m.transaction_id = t.id AND m.batch_id = {except}) \
                 ORDER BY id"
            ),
        ),
        dump(
            db,
            &format!(
                "SELECT * FROM gl_batch_members WHERE batch_id <> {except} ORDER BY transaction_id"
            ),
        ),
    ]
}

fn batch_ids(db: &Db) -> Vec<i64> {
    let conn = db.conn();
    let mut stmt = conn
        .prepare("SELECT id FROM gl_batches ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query batches")
        .collect::<Result<_, _>>()
        .expect("read batches")
}

/// An existing batch mostly; sometimes one that does not exist.
fn some_batch(db: &Db, g: &mut Gen<'_>) -> i64 {
    let mut ids = batch_ids(db);
    ids.extend([0, -1, 999]);
    if g.chance(230) && ids.len() > 3 {
        g.pick(&ids[..ids.len() - 3])
    } else {
        g.pick(&ids)
    }
}

/// Unbatched transactions: id -> (date, customer's group).
fn unbatched(db: &Db) -> BTreeMap<i64, (String, Option<String>)> {
    let conn = db.conn();
    let mut stmt = conn
        .prepare(
            "SELECT t.id, t.date, c.group_code FROM ar_transactions t \
             LEFT JOIN customers c ON c.code = t.customer_code \
             WHERE NOT EXISTS (SELECT 1 FROM gl_batch_members m WHERE m.transaction_id = t.id)",
        )
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .expect("query transactions")
        .collect::<Result<_, _>>()
        .expect("read transactions")
}

fn members(db: &Db, batch: i64) -> BTreeSet<i64> {
    let conn = db.conn();
    let mut stmt = conn
        .prepare("SELECT transaction_id FROM gl_batch_members WHERE batch_id = ?1")
        .expect("prepare");
    stmt.query_map([batch], |r| r.get(0))
        .expect("query members")
        .collect::<Result<_, _>>()
        .expect("read members")
}

/// The codes of `root` and its descendants.
fn subtree(db: &Db, root: &str) -> BTreeSet<String> {
    let conn = db.conn();
    let mut stmt = conn
        .prepare(
            "WITH RECURSIVE s(code) AS (SELECT ?1 UNION \
             SELECT g.code FROM customer_groups g JOIN s ON g.parent = s.code) SELECT code FROM s",
        )
        .expect("prepare");
    stmt.query_map([root], |r| r.get(0))
        .expect("query subtree")
        .collect::<Result<_, _>>()
        .expect("read subtree")
}

fn create(fx: &Fresh, g: &mut Gen<'_>, actor: &Actor) {
    let db = fx.db();
    let filter = BatchFilter {
        from: g.maybe(64).then(|| g.date()),
        to: g.maybe(64).then(|| g.date()),
        group: g.maybe(64).then(|| g.text(CODES)),
    };
    let before = gl_state(db, 0);
    let open = unbatched(db);
    let created = fx.admin.gl().create_batch(&filter, actor);
    trace!(
        "gl: {} unbatched; create: {}",
        open.len(),
        match &created {
            Ok(b) => format!(
                "batch {} of {} transactions, {}",
                b.id, b.transactions, b.debit_total
            ),
            Err(e) => e.to_string().lines().take(2).collect::<Vec<_>>().join(" "),
        }
    );
    match created {
        Err(GlError::Plugin(e)) => panic!("create_batch: the plugin failed: {e}\n{filter:?}"),
        Err(GlError::Unsound(problems)) => {
            panic!("create_batch: the host found the real plugin's postings unsound: {problems:#?}")
        }
        Err(e) => assert!(
            gl_state(db, 0) == before,
            "a failed batch creation changed the store: {e}"
        ),
        Ok(summary) => {
            let mut before = before;
            // The batch's members' effects, left out after, are left out before.
            before[5] = dump(
                db,
                &format!(
                    "SELECT id, receivable_minor, receivable_base FROM ar_transactions t \
                     WHERE NOT EXISTS (SELECT 1 FROM gl_batch_members m \
                                       WHERE m.transaction_id = t.id AND m.batch_id = {}) \
                     ORDER BY id",
                    summary.id
                ),
            )
            .into_iter()
            .filter(|row| before[5].contains(row))
            .collect();
            assert!(
                gl_state(db, summary.id) == before,
                "creating batch {} changed more than the batch and its transactions",
                summary.id
            );
            check_batch(db, summary.id);
            check_scope(db, &summary, &open);
        }
    }
}

/// A new batch took exactly the unbatched transactions its filter matches.
fn check_scope(db: &Db, summary: &BatchSummary, open: &BTreeMap<i64, (String, Option<String>)>) {
    let scope = summary.filter.group.as_deref().map(|g| subtree(db, g));
    let matching: BTreeSet<i64> = open
        .iter()
        .filter(|(_, (date, group))| {
            summary
                .filter
                .from
                .as_deref()
                .is_none_or(|f| date.as_str() >= f)
                && summary
                    .filter
                    .to
                    .as_deref()
                    .is_none_or(|t| date.as_str() <= t)
                && scope
                    .as_ref()
                    .is_none_or(|s| group.as_ref().is_some_and(|g| s.contains(g)))
        })
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(
        members(db, summary.id),
        matching,
        "batch {} did not take exactly the unbatched transactions its filter {:?} matches",
        summary.id,
        summary.filter
    );
}

/// A batch's sums per (day, account, currency): (debit, credit, amount in
/// the currency, lines).
type Sums = BTreeMap<(String, String, String), (i128, i128, i128, i64)>;

/// A batch balances, and its sums are its lines'.
fn check_batch(db: &Db, id: i64) {
    let (status, transactions, debit_total): (String, i64, i64) = db
        .conn()
        .query_row(
            "SELECT status, transactions, debit_total FROM gl_batches WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("read the batch");
    let members = members(db, id);
    assert_eq!(
        transactions,
        members.len() as i64,
        "batch {id} ({status}) counts {transactions} transactions but holds {}",
        members.len()
    );
    // (date, currency) of each member.
    let facts: HashMap<i64, (String, String)> = {
        let conn = db.conn();
        let mut stmt = conn
            .prepare(
                "SELECT t.id, t.date, t.currency FROM ar_transactions t \
                 JOIN gl_batch_members m ON m.transaction_id = t.id WHERE m.batch_id = ?1",
            )
            .expect("prepare");
        stmt.query_map([id], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .expect("query members")
            .collect::<Result<_, _>>()
            .expect("read members")
    };
    let chunks: Vec<Vec<u8>> = {
        let conn = db.conn();
        let mut stmt = conn
            .prepare("SELECT postings FROM gl_batch_postings WHERE batch_id = ?1 ORDER BY chunk")
            .expect("prepare");
        stmt.query_map([id], |r| r.get(0))
            .expect("query postings")
            .collect::<Result<_, _>>()
            .expect("read postings")
    };
    let mut posted = BTreeSet::new();
    let mut sums = Sums::new();
    for chunk in &chunks {
        let postings =
            host_harness::store::postings::stored_postings(chunk).expect("stored postings decode");
        for (tx, description, lines) in postings {
            assert!(
                posted.insert(tx),
                "batch {id}: transaction {tx} is posted twice"
            );
            let Some((date, currency)) = facts.get(&tx) else {
                panic!("batch {id} holds a posting of transaction {tx}, which is not in it");
            };
            assert!(
                !lines.is_empty(),
                "batch {id}: transaction {tx} has no lines"
            );
            assert!(
                !description.is_empty(),
                "batch {id}: transaction {tx} has no description"
            );
            let amount: i128 = lines.iter().map(|l| i128::from(l.2)).sum();
            let base: i128 = lines.iter().map(|l| i128::from(l.3)).sum();
            assert!(
                amount == 0 && base == 0,
                "batch {id}: transaction {tx} does not balance ({amount} in {currency}, {base} in base)\n{lines:?}"
            );
            for (account, _, amount, base) in lines {
                let sum = sums
                    .entry((date.clone(), account, currency.clone()))
                    .or_default();
                if base >= 0 {
                    sum.0 += i128::from(base);
                } else {
                    sum.1 -= i128::from(base);
                }
                sum.2 += i128::from(amount);
                sum.3 += 1;
            }
        }
    }
    assert_eq!(
        posted, members,
        "batch {id}: the transactions posted are not the transactions in it"
    );
    let totals: Sums = {
        let conn = db.conn();
        let mut stmt = conn
            .prepare(
                "SELECT date, account, currency, debit, credit, amount, lines \
                 FROM gl_batch_totals WHERE batch_id = ?1",
            )
            .expect("prepare");
        stmt.query_map([id], |r| {
            Ok((
                (r.get(0)?, r.get(1)?, r.get(2)?),
                (
                    i128::from(r.get::<_, i64>(3)?),
                    i128::from(r.get::<_, i64>(4)?),
                    i128::from(r.get::<_, i64>(5)?),
                    r.get(6)?,
                ),
            ))
        })
        .expect("query totals")
        .collect::<Result<_, _>>()
        .expect("read totals")
    };
    assert_eq!(
        totals, sums,
        "batch {id}: the stored sums are not the sums of its lines"
    );
    let debit: i128 = totals.values().map(|t| t.0).sum();
    let credit: i128 = totals.values().map(|t| t.1).sum();
    assert!(
        debit == credit,
        "batch {id} ({status}) does not balance: debits {debit}, credits {credit}"
    );
    assert_eq!(
        i128::from(debit_total),
        debit,
        "batch {id}: the recorded total is not its debits"
    );
}

fn post(fx: &Fresh, g: &mut Gen<'_>, actor: &Actor) {
    let db = fx.db();
    let id = some_batch(db, g);
    let before = gl_state(db, 0);
    let others = gl_state(db, id);
    let posted = fx.admin.gl().post_batch(id, actor);
    trace!(
        "gl: post {id}: {}",
        posted
            .as_ref()
            .map_or_else(|e| e.to_string(), |_| "posted".into())
    );
    match posted {
        Err(GlError::Plugin(e)) => panic!("post_batch: the plugin failed: {e}"),
        Err(GlError::Unsound(problems)) => {
            panic!("post_batch {id}: a stored batch is unsound: {problems:?}")
        }
        Err(e) => assert!(
            gl_state(db, 0) == before,
            "a failed posting of batch {id} changed the store: {e}"
        ),
        Ok(summary) => {
            assert_eq!(summary.status, "posted");
            let totals = dump(
                db,
                &format!(
                    "SELECT date, account, currency, debit, credit, amount FROM gl_batch_totals \
                     WHERE batch_id = {id} ORDER BY date, account, currency"
                ),
            );
            let entries = dump(
                db,
                &format!(
                    "SELECT date, account, currency, debit, credit, amount FROM gl_entries \
                     WHERE batch_id = {id} ORDER BY date, account, currency"
                ),
            );
            assert_eq!(entries, totals, "posting batch {id} did not copy its sums");
            assert!(
                gl_state(db, id) == others,
                "posting batch {id} changed other batches or transactions"
            );
            check_batch(db, id);
        }
    }
}

fn delete(fx: &Fresh, g: &mut Gen<'_>) {
    let db = fx.db();
    let id = some_batch(db, g);
    let before = gl_state(db, 0);
    let others = gl_state(db, id);
    let held = members(db, id);
    let deleted = fx.admin.gl().delete_batch(id);
    trace!(
        "gl: delete {id}: {:?}",
        deleted.as_ref().map_err(|e| e.to_string())
    );
    match deleted {
        Err(GlError::Plugin(e)) => panic!("delete_batch: the plugin failed: {e}"),
        Err(e) => assert!(
            gl_state(db, 0) == before,
            "a failed deletion of batch {id} changed the store: {e}"
        ),
        Ok(released) => {
            assert_eq!(
                released,
                held.len() as i64,
                "deleting batch {id} released {released} of its {} transactions",
                held.len()
            );
            let left = dump(
                db,
                &format!(
                    "SELECT 'batch' FROM gl_batches WHERE id = {id} \
                     UNION ALL SELECT 'postings' FROM gl_batch_postings WHERE batch_id = {id} \
                     UNION ALL SELECT 'totals' FROM gl_batch_totals WHERE batch_id = {id} \
                     UNION ALL SELECT 'member' FROM gl_batch_members WHERE batch_id = {id}"
                ),
            );
            assert!(left.is_empty(), "deleting batch {id} left {left:?} behind");
            // The released transactions keep what their postings did to
            // their customers' balances; only the others are compared.
            let mut after = gl_state(db, id);
            after[5].retain(|row| {
                let tx = row.split('|').next().and_then(|id| id.parse().ok());
                !tx.is_some_and(|tx: i64| held.contains(&tx))
            });
            assert!(
                after == others,
                "deleting batch {id} changed other batches or transactions"
            );
        }
    }
}

/// The ledger balances, and holds exactly the sums of the posted batches.
fn check_ledger(db: &Db) {
    let (debit, credit): (i64, i64) = db
        .conn()
        .query_row(
            "SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) FROM gl_entries",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("sum the ledger");
    assert_eq!(debit, credit, "the ledger does not balance");
    let posted = dump(
        db,
        "SELECT t.batch_id, t.date, t.account, t.currency, t.debit, t.credit, t.amount \
         FROM gl_batch_totals t JOIN gl_batches b ON b.id = t.batch_id \
         WHERE b.status = 'posted' ORDER BY 1, 2, 3, 4",
    );
    let entries = dump(
        db,
        "SELECT batch_id, date, account, currency, debit, credit, amount FROM gl_entries \
         ORDER BY 1, 2, 3, 4",
    );
    assert_eq!(
        entries, posted,
        "the ledger is not the sums of the posted batches"
    );
}

/// What each customer owes, as the store's triggers keep it, is what its
/// transactions sum to (entered; posted), recounted here exactly, for
/// every customer no partial sum of whose amounts can leave 64 bits (the
/// kept sums saturate there, and are not exact after).
fn check_owed(db: &Db) {
    let conn = db.conn();
    // Per customer: the four sums, and the sum of every amount's size.
    let mut exact: BTreeMap<String, ([i128; 4], i128)> = BTreeMap::new();
    let mut rows = conn
        .prepare(
            "SELECT t.customer_code, coalesce(t.receivable_minor, 0), \
             coalesce(t.receivable_base, 0), EXISTS (SELECT 1 FROM gl_batch_members m \
             JOIN gl_batches b ON b.id = m.batch_id WHERE m.transaction_id = t.id \
             AND b.status = 'posted') FROM ar_transactions t",
        )
        .expect("prepare");
    let mut rows = rows.query([]).expect("query");
    while let Some(r) = rows.next().expect("row") {
        let (minor, base): (i64, i64) = (r.get(1).expect("minor"), r.get(2).expect("base"));
        let posted: bool = r.get(3).expect("posted");
        let (sums, size) = exact.entry(r.get(0).expect("customer")).or_default();
        *size += i128::from(minor).abs() + i128::from(base).abs();
        sums[0] += i128::from(minor);
        sums[1] += i128::from(base);
        if posted {
            sums[2] += i128::from(minor);
            sums[3] += i128::from(base);
        }
    }
    for (customer, (sums, size)) in exact {
        if i64::try_from(size).is_err() {
            continue;
        }
        let kept: [i64; 4] = conn
            .query_row(
                "SELECT entered_minor, entered_base, posted_minor, posted_base \
                 FROM customer_owed WHERE customer_code = ?1",
                [&customer],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
            )
            .expect("a customer with transactions has its sums kept");
        assert_eq!(
            kept.map(i128::from),
            sums,
            "what {customer} owes (entered, base, posted, base) is not what its transactions sum to"
        );
    }
}
