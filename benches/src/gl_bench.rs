//! GL batches at volume, in one run: creating and posting a batch of
//! 1,000,000 AR transactions (through the real plugin) next to writing the
//! same number of rows with a plain rusqlite loop, and the CSV import.
//!
//! Run: `cargo run --release -p benches --bin gl-bench [-- COUNT]`

use std::time::Duration;

use benches::{peak_rss_mb, timed};

use host_harness::gl::{BatchFilter, EntryContext, read_csv};
use host_harness::{Actor, Admin, Db, PLUGIN_WASM, admin, sample};

/// A CSV of `count` transactions of every kind over a year, 1,000 customers.
fn csv(count: usize) -> String {
    let mut text = String::with_capacity(count * 64);
    text.push_str("kind,date,customer,amount,tax,discount,account,tax-account,rate,reference\n");
    for n in 0..count {
        let customer = n % 1_000;
        let foreign = customer % 10 == 9;
        let code = if foreign {
            format!("X{customer:03}")
        } else {
            format!("C{customer:03}")
        };
        let date = format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
        let rate = if foreign { "15555.5" } else { "" };
        let amount = 100 + (n * 7919) % 1_000_000;
        let row = match n % 10 {
            0..=4 => format!(
                "invoice,{date},{code},{amount}.00,{}.00,,4000,2200,{rate},INV-{n}",
                amount / 11
            ),
            5 => format!(
                "credit-note,{date},{code},{amount}.00,{}.00,,4000,2200,{rate},CN-{n}",
                amount / 11
            ),
            6 | 7 => format!(
                "receipt,{date},{code},{amount}.00,,{}.00,,,{rate},RC-{n}",
                amount / 50
            ),
            8 => format!("journal,{date},{code},-{amount}.00,,,3000,,{rate},JN-{n}"),
            _ => format!("write-off,{date},{code},{amount}.00,,,,,{rate},WO-{n}"),
        };
        text.push_str(&row);
        text.push('\n');
    }
    text
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("dir");
    let db = Db::open(&dir.path().join("erp.sqlite")).expect("db");
    sample::seed(&db).expect("sample");
    admin::install_plugin(&db, PLUGIN_WASM, None, "bench").expect("plugin");
    let admin = Admin::open(db).expect("admin");
    let actor = Actor {
        user: "bench".into(),
        locale: "en".into(),
    };
    for group in sample::groups() {
        admin.create_group(group, &actor).expect("group");
    }
    {
        let conn = admin.db().conn();
        for n in 0..1_000 {
            let (code, group, currency) = if n % 10 == 9 {
                (format!("X{n:03}"), "EXPORT", "USD")
            } else {
                (format!("C{n:03}"), ["L001", "VIP", "EXPO"][n % 3], "IDR")
            };
            conn.execute(
                "INSERT INTO customers (code, name, group_code, currency) VALUES (?1, ?1, ?2, ?3)",
                (code, group, currency),
            )
            .expect("customer");
        }
    }

    // The raw write: the same number of rows, a plain prepared-statement loop
    // in one transaction, into a table shaped like the transactions.
    let (_, raw) = timed(|| {
        let mut conn = admin.db().conn();
        conn.execute_batch(
            "CREATE TABLE raw_rows (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, kind TEXT NOT NULL, \
             date TEXT NOT NULL, amount INTEGER NOT NULL, account TEXT)",
        )
        .expect("table");
        let tx = conn.transaction().expect("tx");
        {
            let mut insert = tx
                .prepare("INSERT INTO raw_rows (customer, kind, date, amount, account) VALUES (?1, ?2, ?3, ?4, ?5)")
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
    });

    let text = csv(count);
    let (imported, import) = timed(|| {
        let cx: EntryContext = admin.entry_context().expect("context");
        let rows = read_csv(text.as_bytes(), &cx).expect("header");
        admin.import_transactions(rows, |_| {}).expect("import")
    });
    assert_eq!(imported.len(), count);
    drop(text);

    let (batch, create) = timed(|| {
        admin
            .create_batch(&BatchFilter::default(), &actor)
            .expect("batch")
    });
    assert_eq!(batch.transactions as usize, count);
    let (_, post) = timed(|| admin.post_batch(batch.id, &actor).expect("post"));
    let totals = admin.db().batch_totals(batch.id).expect("totals");

    let per = |d: Duration| d.as_secs_f64() * 1e6 / count as f64;
    println!(
        "{count} AR transactions, {} customers, every kind, a tenth in USD",
        1_000
    );
    println!(
        "raw write of {count} rows (rusqlite loop):   {raw:>10.2?}  ({:.2} us/row)",
        per(raw)
    );
    println!(
        "CSV import (parse, check, insert):          {import:>10.2?}  ({:.2} us/row)",
        per(import)
    );
    println!(
        "batch create (plugin posting rules, checks): {create:>10.2?}  ({:.2} us/transaction, {} day/account sums)",
        per(create),
        totals.len()
    );
    println!("batch post:                                 {post:>10.2?}");
    println!(
        "create + post vs raw write:                 {:>9.2}x  (target <= 3x)",
        (create + post).as_secs_f64() / raw.as_secs_f64()
    );
    println!(
        "peak memory (VmHWM):                        {:>9.1} MB",
        peak_rss_mb()
    );
}
