//! GL batches at volume, in one run: creating and posting a batch of
//! 1,000,000 AR transactions (through the real plugin) next to writing the
//! same number of rows with a plain rusqlite loop, over a few rounds (the
//! least disturbed of each counts); the posting rules of one chunk through
//! the component and natively; and the CSV import.
//!
//! Run: `cargo run --release -p benches --bin gl-bench [-- COUNT [ROUNDS]]`

use std::time::Duration;

use benches::native::{NativeFacts, convert};
use benches::{best, peak_rss_mb, timed};

use customer_group_plugin::bindings::exports::erp::customer_group::gl::{
    Ledger as NativeLedger, TransactionKind as Kind,
};
use customer_group_plugin::gl::{self, Entry};
use customer_group_plugin::i18n::Locale;
use host_harness::actor::By;
use host_harness::gl::credit::CreditPolicy;
use host_harness::gl::entry::{Duplicates, Imported};
use host_harness::gl::input::{EntryContext, read_csv};
use host_harness::gl::{BatchFilter, CHUNK};
use host_harness::wit::{ArTransactions, Ledger};
use host_harness::{Actor, Admin, Db, PLUGIN_WASM, admin, sample};

/// Customer `n` of the 1,000: (code, group, currency); every tenth exports
/// in USD.
fn customer(n: usize) -> (String, &'static str, &'static str) {
    if n % 10 == 9 {
        (format!("X{n:03}"), "EXPORT", "USD")
    } else {
        (format!("C{n:03}"), ["L001", "VIP", "EXPO"][n % 3], "IDR")
    }
}

/// Transaction `n`: every kind over a year, 1,000 customers (amounts in
/// minor units, whole currency units).
fn transaction(n: usize) -> OwnedEntry {
    let (customer, group, currency) = customer(n % 1_000);
    let foreign = currency != "IDR";
    let amount = (100 + (n as i64 * 7919) % 1_000_000) * 100;
    let tax = amount / 1100 * 100;
    let (kind, account, tax_account, tax, discount, signed, prefix) = match n % 10 {
        0..=4 => (
            Kind::Invoice,
            Some("4000"),
            Some("2200"),
            tax,
            0,
            amount,
            "INV",
        ),
        5 => (
            Kind::CreditNote,
            Some("4000"),
            Some("2200"),
            tax,
            0,
            amount,
            "CN",
        ),
        6 | 7 => (
            Kind::Receipt,
            None,
            None,
            0,
            amount / 5000 * 100,
            amount,
            "RC",
        ),
        8 => (Kind::Journal, Some("3000"), None, 0, 0, -amount, "JN"),
        _ => (Kind::WriteOff, None, None, 0, 0, amount, "WO"),
    };
    OwnedEntry {
        id: n as u64 + 1,
        kind,
        date: format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
        customer,
        group: group.into(),
        currency: currency.into(),
        // The base currency's rate is not given: the plugin takes it.
        rate_nanos: foreign.then_some(15_555_500_000_000),
        amount: signed,
        tax,
        discount,
        account: account.map(Into::into),
        tax_account: tax_account.map(Into::into),
        reference: format!("{prefix}-{n}"),
    }
}

/// A CSV of the [`transaction`]s numbered `rows`.
fn csv(rows: std::ops::Range<usize>) -> String {
    let count = rows.len();
    let money = |minor: i64| match minor {
        0 => String::new(),
        m => {
            let (sign, abs) = (if m < 0 { "-" } else { "" }, m.unsigned_abs());
            format!("{sign}{}.{:02}", abs / 100, abs % 100)
        }
    };
    let mut text = String::with_capacity(count * 64);
    text.push_str("kind,date,customer,amount,tax,discount,account,tax-account,rate,reference\n");
    for n in rows {
        let t = transaction(n);
        let kind = match t.kind {
            Kind::Invoice => "invoice",
            Kind::CreditNote => "credit-note",
            Kind::Receipt => "receipt",
            Kind::Journal => "journal",
            Kind::WriteOff => "write-off",
            Kind::SalesDiscount => "sales-discount",
            Kind::Reward => "reward",
        };
        let rate = match t.rate_nanos {
            None => String::new(),
            Some(rate) => {
                let fraction = format!("{:09}", rate % 1_000_000_000);
                format!(
                    "{}.{}",
                    rate / 1_000_000_000,
                    fraction.trim_end_matches('0')
                )
            }
        };
        text.push_str(&format!(
            "{kind},{},{},{},{},{},{},{},{rate},{}\n",
            t.date,
            t.customer,
            money(t.amount),
            money(t.tax),
            money(t.discount),
            t.account.as_deref().unwrap_or(""),
            t.tax_account.as_deref().unwrap_or(""),
            t.reference
        ));
    }
    text
}

/// A transaction with its texts owned, for [`Entry`] to borrow.
struct OwnedEntry {
    id: u64,
    kind: Kind,
    date: String,
    customer: String,
    group: String,
    currency: String,
    rate_nanos: Option<u64>,
    amount: i64,
    tax: i64,
    discount: i64,
    account: Option<String>,
    tax_account: Option<String>,
    reference: String,
}

impl OwnedEntry {
    fn entry(&self) -> Entry<'_> {
        Entry {
            id: self.id,
            kind: self.kind,
            date: &self.date,
            customer: &self.customer,
            group: &self.group,
            currency: &self.currency,
            rate_nanos: self.rate_nanos,
            amount: self.amount,
            tax: self.tax,
            discount: self.discount,
            account: self.account.as_deref(),
            tax_account: self.tax_account.as_deref(),
            reference: &self.reference,
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3).max(1);
    let dir = tempfile::tempdir().expect("dir");
    let db = Db::open(&dir.path().join("erp.sqlite")).expect("db");
    sample::seed(&db).expect("sample");
    admin::install_plugin(&db, PLUGIN_WASM, None, "bench").expect("plugin");
    let admin = Admin::open(db).expect("admin");
    let actor = Actor {
        user: "bench".into(),
        locale: "en".into(),
        via: host_harness::actor::Via::Cli,
    };
    for group in sample::groups() {
        admin.create_group(group, &actor).expect("group");
    }
    // A year of a VIP customer's trade owes more than the sample's limit:
    // one high enough that every invoice is weighed and none refused.
    admin
        .update_group(
            "VIP",
            |vip| vip.settings.credit_limit = Some(100_000_000_000_000),
            &actor,
        )
        .expect("VIP's credit limit");
    {
        let conn = admin.db().conn();
        for n in 0..1_000 {
            let (code, group, currency) = customer(n);
            conn.execute(
                "INSERT INTO customers (code, name, group_code, currency) VALUES (?1, ?1, ?2, ?3)",
                (code, group, currency),
            )
            .expect("customer");
        }
    }

    // The plugin's posting rules on one chunk: through the component (a
    // fresh instance, the packed call, host imports over SQLite) and
    // natively, side by side.
    let owned: Vec<OwnedEntry> = (0..CHUNK).map(transaction).collect();
    let borrowed: Vec<Entry<'_>> = owned.iter().map(OwnedEntry::entry).collect();
    let native_chunk = gl::pack(&borrowed);
    let host_chunk: ArTransactions = convert(&native_chunk);
    let native_ledger = NativeLedger {
        base_currency: "IDR".into(),
        rounding_account: Some("7900".into()),
    };
    let host_ledger: Ledger = convert(&native_ledger);
    let facts = NativeFacts(admin.db().clone());
    let component_rules = best(5, CHUNK, || {
        let out = admin
            .plugin()
            .build_batch(admin.db().facts(), &host_ledger, &host_chunk, "en")
            .expect("the plugin ran");
        assert!(out.is_ok(), "the chunk posts: {out:?}");
    });
    let native_rules = best(5, CHUNK, || {
        let out = gl::build_batch(&facts, &native_ledger, &native_chunk, Locale::En);
        assert!(out.is_ok(), "the chunk posts");
    });

    let text = csv(0..count);
    let (imported, import) = timed(|| import_csv(&admin, &text));
    assert_eq!(imported.ids.len(), count);
    drop(text);

    // Rounds of: the raw write (a fresh table each time), then creating the
    // batch; every round's batch but the last is deleted (releasing its
    // transactions) and the last is posted.
    let mut results = Vec::with_capacity(rounds);
    let mut post = Duration::ZERO;
    let mut sums = 0;
    for round in 0..rounds {
        let raw = raw_write(&admin, count, round);
        let (batch, create) = timed(|| {
            admin
                .gl()
                .create_batch(&BatchFilter::default(), &actor)
                .expect("batch")
        });
        assert_eq!(batch.transactions as usize, count);
        if round + 1 < rounds {
            admin.gl().delete_batch(batch.id).expect("delete");
        } else {
            post = timed(|| admin.gl().post_batch(batch.id, &actor).expect("post")).1;
            sums = admin.db().batch_totals(batch.id).expect("totals").len();
        }
        results.push((raw, create));
    }

    // The next day's work: a thousand new transactions after all of those.
    let (_, next_day) = timed(|| {
        import_csv(&admin, &csv(count..count + 1_000));
        let batch = admin
            .gl()
            .create_batch(&BatchFilter::default(), &actor)
            .expect("batch");
        assert_eq!(batch.transactions, 1_000);
    });

    // The credit check's cost at entry, with all of those stored: an
    // invoice (weighed: what its customer and every group on its path owe,
    // then the plugin's verdict) next to a credit note of the same amount
    // (not weighed, the same path otherwise), alternating; typed one at a
    // time, and imported 10,000 to a file.
    let (typed_invoice, typed_note) = alternate(9, |round| {
        let pair = |kind: &str| {
            let n = round * 2 + usize::from(kind == "invoice");
            format!(
                "kind,date,customer,amount,tax,discount,account,tax-account,rate,reference\n\
                 {kind},2026-06-01,C{:03},1000.00,,,4000,2200,,TYPED-{kind}-{n}\n",
                (n % 900) / 9 * 10 + n % 9
            )
        };
        (
            enter(&admin, &pair("invoice")),
            enter(&admin, &pair("credit-note")),
        )
    });
    let (import_invoices, import_notes) = alternate(3, |round| {
        let file = |kind: &str| {
            let mut text = String::from(
                "kind,date,customer,amount,tax,discount,account,tax-account,rate,reference\n",
            );
            for n in 0..10_000 {
                text.push_str(&format!(
                    "{kind},2026-06-02,C{:03},10.00,,,4000,2200,,FILE-{kind}-{round}-{n}\n",
                    (n % 900) / 9 * 10 + n % 9
                ));
            }
            text
        };
        (
            enter(&admin, &file("invoice")),
            enter(&admin, &file("credit-note")),
        )
    });

    let per = |d: Duration| d.as_secs_f64() * 1e6 / count as f64;
    let ratio = |create: Duration, raw: Duration| (create + post).as_secs_f64() / raw.as_secs_f64();
    println!(
        "{count} AR transactions, 1000 customers, every kind, a tenth in USD; {rounds} round(s)"
    );
    println!(
        "posting rules, {CHUNK} per call:  component {:.2} us/transaction, native {:.2} us ({:.2}x)",
        component_rules.as_secs_f64() * 1e6,
        native_rules.as_secs_f64() * 1e6,
        component_rules.as_secs_f64() / native_rules.as_secs_f64()
    );
    println!(
        "CSV import (parse, plugin's posting rules, identity, insert): {import:>10.2?}  ({:.2} us/row)",
        per(import)
    );
    for (round, &(raw, create)) in results.iter().enumerate() {
        println!(
            "round {}: raw write (rusqlite loop) {raw:>9.2?} ({:.2} us/row), batch create {create:>9.2?} ({:.2} us/transaction): {:.2}x",
            round + 1,
            per(raw),
            per(create),
            ratio(create, raw)
        );
    }
    let best_raw = results.iter().map(|r| r.0).min().unwrap_or_default();
    let best_create = results.iter().map(|r| r.1).min().unwrap_or_default();
    println!(
        "batch post:                                 {post:>10.2?}  ({sums} day/account sums)"
    );
    println!(
        "create + post vs raw write, best of each:   {:>9.2}x  (target <= 3x)",
        ratio(best_create, best_raw)
    );
    println!(
        "CSV import vs raw write, best raw:          {:>9.2}x  ({:.2} vs {:.2} us/row)",
        import.as_secs_f64() / best_raw.as_secs_f64(),
        per(import),
        per(best_raw)
    );
    println!(
        "typed entry, best of 9: invoice (credit-checked) {typed_invoice:>9.2?}, credit note {typed_note:>9.2?}: {:.2}x, the check {:.2?}",
        typed_invoice.as_secs_f64() / typed_note.as_secs_f64(),
        typed_invoice.saturating_sub(typed_note)
    );
    println!(
        "import of 10,000, best of 3: invoices {import_invoices:>9.2?}, credit notes {import_notes:>9.2?}: {:.2}x, the check {:.2} us/invoice",
        import_invoices.as_secs_f64() / import_notes.as_secs_f64(),
        import_invoices.saturating_sub(import_notes).as_secs_f64() * 1e6 / 10_000.0
    );
    println!("1,000 new transactions imported and batched after those: {next_day:>9.2?}");
    println!(
        "peak memory (VmHWM):                        {:>9.1} MB",
        peak_rss_mb()
    );
}

/// Imports the CSV `text` under the credit check, as the host enters it.
fn import_csv(admin: &Admin, text: &str) -> Imported {
    let cx: EntryContext = admin.gl().entry_context("en").expect("context");
    let rows = read_csv(text.as_bytes(), &cx).expect("header");
    admin
        .gl()
        .import_transactions(
            rows,
            Duplicates::Refuse,
            CreditPolicy::enforce(By::HOST),
            "en",
            |_| {},
        )
        .expect("entered")
}

/// [`import_csv`], timed.
fn enter(admin: &Admin, text: &str) -> Duration {
    timed(|| import_csv(admin, text)).1
}

/// The best of `rounds` of two timings taken side by side by `pair`.
fn alternate(
    rounds: usize,
    mut pair: impl FnMut(usize) -> (Duration, Duration),
) -> (Duration, Duration) {
    (0..rounds)
        .map(&mut pair)
        .fold((Duration::MAX, Duration::MAX), |(a, b), (x, y)| {
            (a.min(x), b.min(y))
        })
}

/// Writes `count` rows shaped like transactions with a plain prepared
/// statement loop in one transaction, into a fresh table.
fn raw_write(admin: &Admin, count: usize, round: usize) -> Duration {
    timed(|| {
        let mut conn = admin.db().conn();
        conn.execute_batch(&format!(
            "CREATE TABLE raw_rows_{round} (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, \
             kind TEXT NOT NULL, date TEXT NOT NULL, amount INTEGER NOT NULL, account TEXT)"
        ))
        .expect("table");
        let tx = conn.transaction().expect("tx");
        {
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO raw_rows_{round} (customer, kind, date, amount, account) \
                     VALUES (?1, ?2, ?3, ?4, ?5)"
                ))
                .expect("prepare");
            for n in 0..count {
                insert
                    .execute((
                        format!("C{:03}", n % 1_000),
                        "invoice",
                        format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
                        (n * 7919 % 1_000_000) as i64,
                        "4000",
                    ))
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
    })
    .1
}
