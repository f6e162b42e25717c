//! What the component boundary costs: the same validation rules called
//! through the wasm component (a fresh instance per call, host imports over
//! SQLite) and natively in-process (the plugin crate linked as a library,
//! the same SQLite queries behind the same per-call cache of its `Facts`),
//! side by side in one run.
//!
//! Run: `cargo run --release -p benches --bin validate-cost`

use std::hint::black_box;
use std::time::{Duration, Instant};

use benches::best;
use benches::native::{NativeFacts, convert};

use customer_group_plugin::bindings::erp::customer_group::types as native;
use customer_group_plugin::bindings::exports::erp::customer_group::validation as native_validation;
use customer_group_plugin::facts::Cached;
use customer_group_plugin::i18n::Locale;
use customer_group_plugin::validate::Validator;
use host_harness::wit::{Change, CustomerGroup};
use host_harness::{Db, Limits, PLUGIN_WASM, PluginRuntime, sample};

fn to_native(g: CustomerGroup) -> native::CustomerGroup {
    convert(g)
}

fn group(n: usize) -> CustomerGroup {
    let mut group = CustomerGroup::new(&format!("b{n}"), &format!(" Bench group {n} "));
    group.parent = Some("LOKAL".into());
    group.settings.receivable_account = Some("1100".into());
    group.settings.reward_expense_account = Some("6100".into());
    group.settings.write_off_account = Some("6200".into());
    group.settings.currency = Some("IDR".into());
    group.settings.price_list = Some("Wholesale".into());
    group
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("bench.sqlite")).expect("db");
    sample::seed(&db).expect("sample data");
    let lokal = sample::groups().into_iter().next().expect("LOKAL");
    db.create_group(&lokal, "bench").expect("LOKAL");

    let compile_start = Instant::now();
    let plugin = PluginRuntime::load(PLUGIN_WASM, Limits::default()).expect("load");
    let compile = compile_start.elapsed();
    let facts = NativeFacts(db.clone());

    // One call, one record.
    let one = group(1);
    let change = Change::Create(one.clone());
    let native_change = native_validation::Change::Create(to_native(one));
    let calls = 2_000;
    let component_one = best(5, calls, || {
        for _ in 0..calls {
            black_box(plugin.validate(db.facts(), &change, "en").expect("valid"));
        }
    });
    let native_one = best(5, calls, || {
        for _ in 0..calls {
            black_box(
                Validator::new(&Cached::new(facts.clone()), Locale::En)
                    .validate(native_change.clone()),
            );
        }
    });

    // One call, many records.
    let records = 10_000;
    let changes: Vec<Change> = (0..records).map(|n| Change::Create(group(n))).collect();
    let native_changes: Vec<native_validation::Change> = (0..records)
        .map(|n| native_validation::Change::Create(to_native(group(n))))
        .collect();
    let component_bulk = best(3, records, || {
        black_box(
            plugin
                .validate_many(db.facts(), &changes, "en")
                .expect("valid"),
        );
    });
    let native_bulk = best(3, records, || {
        black_box(
            Validator::new(&Cached::new(facts.clone()), Locale::En)
                .validate_many(native_changes.clone()),
        );
    });

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "component: {} bytes, compiled in {compile:.1?}",
        PLUGIN_WASM.len()
    );
    println!(
        "validate, 1 record per call:   component {component_one:>9.2?}  native {native_one:>9.2?}  ratio {:.2}x",
        ratio(component_one, native_one)
    );
    println!(
        "validate-many, {records} records: component {component_bulk:>9.2?}  native {native_bulk:>9.2?}  ratio {:.2}x  (per record; target <= 15µs end to end)",
        ratio(component_bulk, native_bulk)
    );
}
