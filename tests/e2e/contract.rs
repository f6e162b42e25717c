//! The contract's compatibility promises (issue 12, item 4): a plugin built
//! against 0.4.0, committed as a fixture with its sha256, keeps installing
//! and serving after the contract moved on, through every export of its
//! contract, and answers as the current plugin does; the version is written
//! once; a released contract never changes.

use std::path::Path;

use e2e_tests::{Run, TestHost, actor};
use host_harness::admin::{self, digest};
use host_harness::engine::{WIT_PACKAGE, WIT_VERSION};
use host_harness::store::Role;
use host_harness::wit::{
    ArTransaction, ArTransactions, Change, CreditLimitSource, CreditRequest, CreditScope, Customer,
    CustomerGroup, DiscountRule, DueTerms, FormDefinition, Ledger, Owed, PeriodUnit, SettingSource,
    Settings, Span, TransactionKind, Update, Version, v0_4,
};
use host_harness::{Actor, Admin, AdminError, PLUGIN_WASM, PluginRuntime, sample};

/// Where the fixture lives, beside the host's own tests.
const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../host-harness/tests/fixtures"
);
/// The plugin built against 0.4.0 (at commit fc62596, before the contract
/// moved on).
const FIXTURE: &[u8] =
    include_bytes!("../../host-harness/tests/fixtures/customer-group-0.4.0.wasm");
/// Its sha256, as `sha256sum` writes it.
const FIXTURE_SHA256: &str =
    include_str!("../../host-harness/tests/fixtures/customer-group-0.4.0.wasm.sha256");

fn fixture_digest() -> &'static str {
    FIXTURE_SHA256
        .split_whitespace()
        .next()
        .expect("a digest in the .sha256 file")
}

/// A host with the sample data, `plugin` installed, and the sample groups
/// created through it.
fn host_with(plugin: &[u8]) -> TestHost {
    let host = TestHost::empty();
    let db = host.db();
    sample::seed(&db).expect("seed sample data");
    admin::install_plugin(&db, plugin, None, "installer").expect("install");
    let admin = host.admin();
    for group in sample::groups() {
        admin
            .create_group(group, &actor("en"))
            .expect("sample group");
    }
    host
}

/// The same host twice: with the 0.4.0 plugin, and with the current one.
fn old_and_new() -> (TestHost, TestHost) {
    (host_with(FIXTURE), host_with(PLUGIN_WASM))
}

/// `text` with every timestamp (`2026-12-01T13:59:19Z`) replaced, so that
/// two hosts' outputs compare.
fn untimed(text: &str) -> String {
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let stamp = bytes.len() - i >= shape.len()
            && shape.iter().zip(&bytes[i..]).all(|(s, b)| match s {
                b'd' => b.is_ascii_digit(),
                other => other == b,
            });
        if stamp {
            out.push_str("<time>");
            i += shape.len();
        } else {
            let c = text[i..].chars().next().expect("a character");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn shown(run: &Run) -> (u8, String, String) {
    (run.code, untimed(&run.stdout), untimed(&run.stderr))
}

/// The settings added since 0.4.0 (0.6.0's credit control): an older
/// plugin's form lacks them, by design.
const ADDED: [&str; 2] = ["bypass-credit-check", "credit-counts-unposted"];
/// Their captions, in English and Indonesian.
const ADDED_LABELS: [&str; 4] = [
    "Bypass Credit Check",
    "Count Unposted Transactions",
    "Lewati Pemeriksaan Kredit",
    "Hitung Transaksi Belum Diposting",
];

/// What today's plugin showed, without the settings added since 0.4.0:
/// a line naming one (and the help line under it), or in JSON a field.
fn without_added(text: &str) -> String {
    /// Drops every member named after an added setting, and every item
    /// of a list that names one (`name` or `field`).
    fn strip(json: &mut serde_json::Value) {
        let names = |v: &serde_json::Value| {
            ["name", "field"]
                .iter()
                .any(|k| ADDED.iter().any(|a| v.get(k).is_some_and(|n| n == *a)))
        };
        match json {
            serde_json::Value::Array(items) => {
                items.retain(|item| !names(item));
                items.iter_mut().for_each(strip);
            }
            serde_json::Value::Object(members) => {
                // A form field's `needs` (0.7.0) and `per_company`
                // (0.8.0): what an older plugin cannot mark.
                members.retain(|key, _| {
                    !ADDED.contains(&key.as_str()) && key != "needs" && key != "per_company"
                });
                members.values_mut().for_each(strip);
            }
            _ => {}
        }
    }
    if let Ok(mut json) = serde_json::from_str::<serde_json::Value>(text) {
        strip(&mut json);
        let mut out = serde_json::to_string_pretty(&json).expect("JSON");
        out.push('\n');
        return out;
    }
    let mut out = String::new();
    let mut under_added = false;
    for line in text.lines() {
        let added = ADDED.iter().chain(&ADDED_LABELS).any(|a| line.contains(a));
        if added || (under_added && line.starts_with("      ")) {
            under_added = added;
            continue;
        }
        under_added = false;
        out.push_str(line);
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

#[test]
fn the_0_4_0_fixture_is_the_component_its_sha256_names() {
    assert_eq!(digest(FIXTURE), fixture_digest());
    assert!(
        FIXTURE_SHA256
            .trim_end()
            .ends_with("  customer-group-0.4.0.wasm"),
        "{FIXTURE_SHA256:?}"
    );
    let runtime = PluginRuntime::load(FIXTURE, Default::default()).expect("loads");
    assert_eq!(runtime.wit_version(), v0_4::VERSION);
    assert_eq!(runtime.served_as(), Version::V0_4);
    assert_ne!(v0_4::VERSION, WIT_VERSION, "the contract has moved on");
    let current = PluginRuntime::load(PLUGIN_WASM, Default::default()).expect("loads");
    assert_eq!(current.wit_version(), WIT_VERSION);
    assert_eq!(current.served_as(), Version::Current);
}

#[test]
fn a_0_4_0_plugin_installs_with_its_pinned_digest_through_the_cli() {
    let host = TestHost::empty();
    sample::seed(&host.db()).expect("seed");
    let file = Path::new(FIXTURES).join("customer-group-0.4.0.wasm");
    let file = file.to_str().expect("a UTF-8 path");
    let run = host.cli(&["plugin", "install", file, "--sha256", fixture_digest()]);
    let run = run.ok();
    assert!(run.stdout.contains(fixture_digest()), "{}", run.stdout);
    let installed = host
        .db()
        .installed_plugin()
        .expect("read")
        .expect("installed");
    assert_eq!(installed.wit_version, v0_4::VERSION);
    assert_eq!(installed.sha256, fixture_digest());
    let show = host.cli(&["plugin", "show"]).ok();
    assert!(show.stdout.contains(v0_4::VERSION), "{}", show.stdout);
    // A wrong pin refuses it, and records nothing new.
    let other = TestHost::empty();
    other
        .cli(&["plugin", "install", file, "--sha256", &"0".repeat(64)])
        .failed();
    assert!(other.db().installed_plugin().expect("read").is_none());
    // The menu entry came from the 0.4.0 plugin's form, as from today's.
    let menu = host.cli(&["menu"]).ok();
    let today = TestHost::new();
    assert_eq!(menu.stdout, today.cli(&["menu"]).ok().stdout);
}

/// Every export of the 0.4.0 contract reached through the host's own
/// commands, in order, with the exit code each must end with: forms,
/// validation (one change, the AR settings), inheritance, the lifecycle
/// operations, customer checks, the posting rules at entry and in batches,
/// discounts and the credit check. Arguments split at spaces; `'...'`
/// quotes one with spaces (or an empty one).
const SCRIPT: &[(u8, &str)] = &[
    // form.definition
    (0, "form"),
    (0, "--locale id form"),
    (0, "form --json"),
    (0, "menu"),
    // validation.validate, with host lookups
    (
        0,
        "group new --code ' vip2 ' --name 'VIP Two' --parent lokal",
    ),
    (1, "group new --code X-1 --name ''"),
    (1, "group new --code G1 --name G --write-off 6300"),
    (0, "group edit VIP2 --name 'lokal 1'"),
    (1, "group edit VIP2 --parent VIP2"),
    (1, "group delete LOKAL"),
    (0, "group delete VIP2"),
    (0, "group tree"),
    (0, "group list"),
    // validation.validate-defaults
    (0, "settings set --payment-discount 1 --discount-count 30"),
    (1, "settings set --receivable 4000"),
    (0, "settings show"),
    // lifecycle.check-customer
    (
        0,
        "customer new --code C1 --name C1 --group L001 --currency IDR",
    ),
    (
        0,
        "customer new --code V1 --name V1 --group VIP --currency IDR",
    ),
    (
        0,
        "customer new --code X1 --name X1 --group EXPORT --currency USD",
    ),
    (
        1,
        "customer new --code B1 --name B --group LOKAL --currency IDR",
    ),
    (
        1,
        "customer new --code B2 --name B --group EXPORT --currency IDR",
    ),
    // inheritance.effective
    (0, "group show VIP"),
    (0, "group show L001 --json"),
    // lifecycle.default-gl-accounts, plan-default-terms, check-reassign
    (0, "group edit EXPO --clear all"),
    (0, "group default-accounts EXPORT"),
    (0, "group apply-terms VIP"),
    (0, "group apply-terms VIP --yes"),
    (1, "group reassign L001 EXPORT"),
    (0, "group reassign L001 EXPO"),
    (0, "group reassign EXPO L001"),
    // gl.build-batch at entry (one transaction each; transaction 1 is the
    // invoice the discounts below are about), then for batches
    (
        0,
        "transaction new --kind invoice --date 2026-03-01 --customer V1 --amount 1110000 \
         --tax 110000 --account 4000 --tax-account 2200 --reference INV-1",
    ),
    (
        0,
        "transaction new --kind credit-note --date 2026-03-02 --customer C1 --amount 111000 \
         --tax 11000 --account 4000 --tax-account 2200 --reference CN-1",
    ),
    (
        0,
        "transaction new --kind journal --date 2026-03-03 --customer C1 --amount -5000 \
         --account 3000 --reference J-1",
    ),
    (
        0,
        "transaction new --kind receipt --date 2026-03-04 --customer V1 --amount 500000 \
         --discount 10000 --reference 'R-1 caf\u{e9}'",
    ),
    (
        0,
        "transaction new --kind write-off --date 2026-03-05 --customer C1 --amount 700",
    ),
    (
        0,
        "transaction new --kind sales-discount --date 2026-03-06 --customer V1 --amount 900",
    ),
    (
        0,
        "transaction new --kind reward --date 2026-03-07 --customer V1 --amount 300",
    ),
    (
        0,
        "transaction new --kind invoice --date 2026-03-08 --customer X1 --amount 123.45 \
         --rate 15500 --account 4000 --reference EXP-1",
    ),
    (
        1,
        "transaction new --kind invoice --date 2026-03-09 --customer C1 --amount 0 \
         --account 4000",
    ),
    (
        1,
        "transaction new --kind receipt --date 2026-03-09 --customer C1 --amount 100 \
         --discount 100",
    ),
    (0, "transaction list"),
    (0, "gl batch create --group EXPORT"),
    (0, "gl batch create"),
    (0, "gl batch create"),
    (0, "gl batch list"),
    (0, "gl batch show 2 --lines"),
    (0, "gl batch show 1 --json"),
    (0, "gl batch post 2"),
    (0, "gl entries"),
    (0, "transaction reverse 1 --date 2026-03-20"),
    (0, "gl batch create"),
    (0, "gl batch show 3 --lines"),
    // gl.receipt-discount: the best tier, the next, the prompt discount,
    // nothing, and a bad date
    (0, "gl discount --invoice 1 --paid-on 2026-03-05"),
    (0, "gl discount --invoice 1 --paid-on 2026-03-12"),
    (0, "gl discount --invoice 1 --paid-on 2026-03-15"),
    (0, "gl discount --invoice 1 --paid-on 2026-04-30"),
    (0, "gl discount --invoice 1 --paid-on 2026-02-01"),
    (1, "gl discount --invoice 1 --paid-on 2026-02-30"),
    // gl.credit-check: over and within the customer's limit, a shared one
    (0, "report credit --customer V1 --amount 100000000"),
    (0, "report credit --customer V1 --amount 1000"),
    (0, "report credit --customer C1"),
    (0, "customer credit-limit C1 500"),
    (0, "group edit LOKAL --shared-credit-limit 1000"),
    (0, "report credit --customer C1 --amount 600"),
    (0, "report receivables"),
];

/// A command line of [`SCRIPT`] split into its arguments.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' | '\n' if !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

#[test]
fn every_command_prints_the_same_with_the_0_4_0_plugin_as_with_the_current_one() {
    let (old, new) = old_and_new();
    for (exit, line) in SCRIPT {
        let args = words(line);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (was, is) = (old.cli(&args), new.cli(&args));
        let normal = |run: &Run| {
            let (code, stdout, stderr) = shown(run);
            (code, without_added(&stdout), stderr)
        };
        assert_eq!(normal(&was), normal(&is), "erp-host {line}");
        assert_eq!(
            is.code, *exit,
            "erp-host {line}: {}{}",
            is.stdout, is.stderr
        );
    }
    // The first transaction entered is the invoice the discounts asked about.
    let first = old.cli(&["transaction", "list"]).ok();
    assert!(first.stdout.contains("INV-1"), "{}", first.stdout);
}

/// The changes, facts and questions the direct comparisons ask both plugins.
fn changes() -> Vec<Change> {
    let mut child = CustomerGroup::new(" new2 ", "New Two");
    child.parent = Some("new1".into());
    let mut parent = CustomerGroup::new("new1", "New One");
    parent.is_group = true;
    let mut bad = CustomerGroup::new("TOO-LONG-CODE", " ");
    bad.settings.receivable_account = Some("4000".into());
    bad.settings.sales_discount_rules = Some(vec![host_harness::wit::SalesDiscountRule {
        valid_from: "2026-02-30".into(),
        valid_to: None,
        min_amount: 0,
        percent: 20_000,
    }]);
    let mut vip = sample::groups()
        .into_iter()
        .find(|g| g.code == "VIP")
        .expect("VIP");
    vip.name = "lokal 1".into();
    vip.settings.due_terms = Some(DueTerms {
        count: 1,
        unit: PeriodUnit::Months,
        day: Some(31),
    });
    vec![
        Change::Create(child),
        Change::Create(parent),
        Change::Create(bad),
        Change::Update(Update {
            code: "vip".into(),
            proposed: vip,
        }),
        Change::Delete("LOKAL".into()),
        Change::Delete("EXPO".into()),
        Change::Create(CustomerGroup::new("dup", "A")),
        Change::Create(CustomerGroup::new("DUP", "B")),
    ]
}

/// A batch of every kind for the customers of [`with_customers`].
fn transactions() -> ArTransactions {
    let texts: Vec<String> = [
        "2026-03-01",
        "C1",
        "L001",
        "IDR",
        "4000",
        "2200",
        "X1",
        "EXPORT",
        "USD",
        "V1",
        "VIP",
        "3000",
    ]
    .map(String::from)
    .to_vec();
    let mut references = String::new();
    let mut entries = Vec::new();
    let mut push = |id, kind, (customer, group, currency), amount, (tax, discount), account| {
        let start = references.len() as u32;
        references.push_str(&format!("R-{id} caf\u{e9}"));
        entries.push(ArTransaction {
            id,
            kind,
            date: 0,
            customer,
            group,
            currency,
            rate_nanos: Some(if currency == 8 {
                15_500_000_000_000
            } else {
                1_000_000_000
            }),
            amount,
            tax,
            discount,
            account,
            tax_account: (tax > 0).then_some(5),
            reference: Span {
                start,
                len: references.len() as u32 - start,
            },
        });
    };
    let (c1, x1, v1) = ((1, 2, 3), (6, 7, 8), (9, 10, 3));
    push(
        1,
        TransactionKind::Invoice,
        c1,
        111_000,
        (11_000, 0),
        Some(4),
    );
    push(
        2,
        TransactionKind::CreditNote,
        v1,
        11_100,
        (1_100, 0),
        Some(4),
    );
    push(3, TransactionKind::Journal, c1, -500, (0, 0), Some(11));
    push(4, TransactionKind::Receipt, v1, 50_000, (0, 1_000), None);
    push(5, TransactionKind::WriteOff, c1, 70, (0, 0), None);
    push(6, TransactionKind::SalesDiscount, v1, 90, (0, 0), None);
    push(7, TransactionKind::Reward, v1, 30, (0, 0), None);
    push(8, TransactionKind::Invoice, x1, 12_345, (0, 0), Some(4));
    ArTransactions {
        texts,
        references,
        entries,
    }
}

/// Both hosts with customers C1 (L001), V1 (VIP, with terms of its own) and
/// X1 (EXPORT, USD).
fn with_customers() -> (TestHost, TestHost) {
    let (old, new) = old_and_new();
    for host in [&old, &new] {
        host.add_customer("C1", "L001", true);
        host.add_customer("V1", "VIP", true);
        host.add_customer_in("X1", "EXPORT", "USD", true);
        host.add_customer("Q1", "VIP", false);
    }
    (old, new)
}

/// Each 0.4.0 export called through the runtime with the same arguments
/// and facts as the current plugin, and what both return compared, typed
/// results included (the 0.4.0 strings adapted to today's types).
#[test]
fn every_0_4_0_export_answers_as_the_current_plugin_does() {
    let (old, new) = with_customers();
    let (old_admin, new_admin) = (old.admin(), new.admin());
    assert_eq!(old_admin.plugin().served_as(), Version::V0_4);
    assert_eq!(new_admin.plugin().served_as(), Version::Current);
    // Each call asks the same question of both plugins, each over its own
    // host's facts, and gets the same answer.
    macro_rules! both {
        (|$plugin:ident, $facts:ident| $call:expr) => {{
            let answer = |admin: &Admin| {
                let $plugin = admin.plugin();
                let $facts = admin.db().facts();
                $call.expect("the call completes")
            };
            let (was, is) = (answer(&old_admin), answer(&new_admin));
            assert_eq!(was, is, "{}", stringify!($call));
            is
        }};
    }
    for locale in ["en", "id"] {
        let form = |admin: &Admin| {
            admin
                .plugin()
                .form(admin.db().facts(), locale)
                .expect("form")
        };
        let (was, mut is) = (form(&old_admin), form(&new_admin));
        let before = is.fields.len();
        is.fields.retain(|f| !ADDED.contains(&f.name.as_str()));
        unmark(&mut is);
        assert_eq!(
            before - is.fields.len(),
            ADDED.len(),
            "today's form has them"
        );
        assert_eq!(was, is, "the 0.4.0 form is today's without what was added");
    }
    // validation
    let changes = changes();
    for change in &changes {
        both!(|p, f| p.validate(f, change, "en"));
    }
    let verdicts = both!(|p, f| p.validate_many(f, &changes, "id"));
    assert!(
        verdicts[0].normalized.is_some(),
        "a parent in the same batch"
    );
    assert!(
        verdicts[6]
            .issues
            .iter()
            .any(|i| i.rule == "code.duplicate-in-batch")
    );
    let mut defaults = sample::ar_settings();
    defaults.bank_account = Some("1100".into());
    defaults.statement_count = Some(13);
    let (normalized, issues) = both!(|p, f| p.validate_defaults(f, &defaults, "en"));
    assert!(normalized.is_none() && issues.len() >= 2, "{issues:?}");
    both!(|p, f| p.validate_defaults(f, &sample::ar_settings(), "en"));
    let codes = [" vip ", "l001", "v\u{131}p", "ab-1", "\u{a0}x\u{a0}", ""];
    let keys = both!(|p, f| p.normalize_codes(f, &codes));
    assert_eq!(keys[..2], ["VIP", "L001"]);
    // inheritance
    for code in ["L001", "vip", "EXPORT", "NOPE"] {
        // Today's provenance also names the settings added since 0.4.0.
        both!(|p, f| p.effective(f, code).map(|e| {
            e.map(|mut e| {
                e.sources.retain(|s| !ADDED.contains(&s.field.as_str()));
                e
            })
        }));
    }
    // lifecycle
    for code in ["EXPORT", "VIP", "NOPE", "LOKAL"] {
        let _accounts = both!(|p, f| p.default_gl_accounts(f, code, "en"));
        let _terms = both!(|p, f| p.plan_default_terms(f, code, "id"));
    }
    for (from, to) in [
        ("L001", "VIP"),
        ("L001", "EXPORT"),
        ("VIP", "LOKAL"),
        ("NOPE", "VIP"),
    ] {
        both!(|p, f| p.check_reassign(f, from, to, "en"));
    }
    let customer = |group: &str, currency: &str| Customer {
        code: "N1".into(),
        name: "New".into(),
        group: group.into(),
        currency: currency.into(),
        active: true,
        payment_terms: Some("NET14".into()),
        due_terms: None,
        prompt_payment_discount: None,
        statement_aging: Some(PeriodUnit::Weeks),
        price_code: None,
    };
    for (group, currency, is_new) in [
        ("L001", "IDR", true),
        ("LOKAL", "IDR", true),
        ("EXPORT", "IDR", false),
        ("NOPE", "IDR", true),
    ] {
        both!(|p, f| p.check_customer(f, &customer(group, currency), is_new, "en"));
    }
    // gl.build-batch: postings, problems per transaction, and the batch as
    // a whole (0.4.0's transaction 0 is none today)
    let ledger = Ledger {
        base_currency: "IDR".into(),
        rounding_account: Some("7900".into()),
    };
    let batch = transactions();
    let postings = both!(|p, f| p.build_batch(f, &ledger, &batch, "en"));
    let postings = postings.expect("every transaction posts");
    assert_eq!(postings.postings.len(), batch.entries.len());
    let mut broken = batch.clone();
    broken.entries[1].amount = 0;
    broken.entries[2].group = 99;
    let issues = both!(|p, f| p.build_batch(f, &ledger, &broken, "id")).expect_err("refused");
    assert!(issues.iter().all(|i| i.transaction.is_some()), "{issues:?}");
    let no_base = Ledger {
        base_currency: " ".into(),
        rounding_account: None,
    };
    let issues = both!(|p, f| p.build_batch(f, &no_base, &batch, "en")).expect_err("refused");
    let whole: Vec<_> = issues.iter().filter(|i| i.transaction.is_none()).collect();
    assert_eq!(whole.len(), 1, "{issues:?}");
    assert_eq!(whole[0].rule, "gl.no-base-currency");
    // gl.receipt-discount: a tier of the group's rules (rows from 1), the
    // prompt discount, nothing, and problems (about no transaction)
    let offer = |paid_on: &str| {
        both!(|p, f| p.receipt_discount(f, "vip", "2026-03-01", 1_000_000, paid_on, "en"))
            .expect("an answer")
    };
    let tier = offer("2026-03-05").expect("the first tier");
    assert_eq!(tier.rule, DiscountRule::PaymentDiscountRule(1));
    assert_eq!(tier.source, SettingSource::Group("VIP".into()));
    let second = offer("2026-03-12").expect("the second tier");
    assert_eq!(second.rule, DiscountRule::PaymentDiscountRule(2));
    assert_eq!(offer("2026-04-30"), None);
    let from_defaults =
        both!(|p, f| p.receipt_discount(f, "L001", "2026-03-01", 1_000, "2026-03-02", "en"));
    assert_eq!(from_defaults.expect("an answer"), None);
    let issues = both!(|p, f| p.receipt_discount(f, "NOPE", "2026-02-30", 0, "x", "id"))
        .expect_err("refused");
    assert!(issues.len() >= 3 && issues.iter().all(|i| i.transaction.is_none()));
    // gl.credit-check: the customer's limit (from its group), a shared limit
    let owed = |entered| Owed {
        posted: entered / 2,
        entered,
    };
    let request = CreditRequest {
        customer: "V1".into(),
        group: "VIP".into(),
        customer_limit: None,
        customer_owed: owed(4_000_000_000),
        amount: 2_000_000_000,
        base_amount: 2_000_000_000,
        group_owed: vec![
            ("VIP".into(), owed(4_000_000_000)),
            ("LOKAL".into(), owed(4_500_000_000)),
        ],
    };
    let verdict = both!(|p, f| p.credit_check(f, &request, "en"));
    assert!(!verdict.allowed);
    assert_eq!(verdict.lines[0].scope, CreditScope::Customer);
    assert_eq!(
        verdict.lines[0].source,
        CreditLimitSource::Group("VIP".into())
    );
    let own = CreditRequest {
        customer_limit: Some(10),
        group: "L001".into(),
        ..request
    };
    let verdict = both!(|p, f| p.credit_check(f, &own, "id"));
    assert_eq!(verdict.lines[0].source, CreditLimitSource::Customer);
}

/// The prompt discount a group inherits from the AR settings names them as
/// its source, with the 0.4.0 plugin (`AR settings`) as with today's.
#[test]
fn a_discount_from_the_ar_settings_names_them_in_both_versions() {
    let (old, new) = old_and_new();
    let mut answers = Vec::new();
    for host in [&old, &new] {
        let admin = host.admin();
        let mut defaults = sample::ar_settings();
        defaults.prompt_payment_discount = Some(host_harness::wit::PromptDiscount {
            percent: 150,
            within: DueTerms {
                count: 10,
                unit: PeriodUnit::Days,
                day: None,
            },
        });
        admin
            .set_ar_settings(defaults, &actor("en"))
            .expect("AR settings");
        let offer = admin
            .plugin()
            .receipt_discount(
                admin.db().facts(),
                "L001",
                "2026-03-01",
                10_000,
                "2026-03-05",
                "en",
            )
            .expect("the call completes")
            .expect("an answer")
            .expect("a discount");
        assert_eq!(offer.source, SettingSource::ArSettings);
        assert_eq!(offer.rule, DiscountRule::PromptPaymentDiscount);
        answers.push(offer);
    }
    assert_eq!(answers[0], answers[1]);
}

/// The sync daemon plans and applies through a 0.4.0 plugin (its codes
/// normalised by the rule 0.4.0 documents, its batch by `validate-many`) as
/// through today's.
#[test]
fn the_daemon_syncs_through_a_0_4_0_plugin_as_through_the_current_one() {
    let (old, new) = old_and_new();
    let dir = tempfile::tempdir().expect("config dir");
    std::fs::write(
        dir.path().join("groups.toml"),
        r#"
[[group]]
code = "north"
name = "North"
is-group = true

[[group]]
code = " n001 "
name = "North 1"
parent = "NORTH"
credit-limit = "1500.50"

[[group]]
code = "l001"
name = "Lokal 1"
adopt = true
parent = "lokal"
"#,
    )
    .expect("write config");
    let options = daemon::reconcile::Options {
        dir: dir.path().to_owned(),
        drift: daemon::reconcile::DriftMode::Report,
        prune: false,
        max_removal_percent: 50,
        force: false,
        locale: "en".into(),
        user: "sync".into(),
    };
    let mut reports = Vec::new();
    for host in [&old, &new] {
        let admin = host.admin();
        let report = daemon::reconcile::reconcile(&admin, &options, false).expect("reconcile");
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        reports.push(format!("{:?} {:?}", report.outcome, report.steps));
        let again = daemon::reconcile::reconcile(&admin, &options, false).expect("again");
        assert!(again.steps.is_empty(), "{:?}", again.steps);
    }
    assert_eq!(reports[0], reports[1]);
    let stored = |host: &TestHost| {
        host.db()
            .group("N001")
            .expect("read")
            .map(|r| (r.group.parent, r.group.settings))
    };
    assert_eq!(stored(&old), stored(&new));
    assert!(
        stored(&new).is_some_and(|(parent, settings): (Option<String>, Settings)| {
            parent.as_deref() == Some("NORTH") && settings.credit_limit == Some(150_050)
        })
    );
}

/// The contract's version is written once, in the `package` line of
/// `wit/`: every other mention of the package with a version names it,
/// and the host's constants are read from it.
#[test]
fn the_contract_version_is_written_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut lines = Vec::new();
    for name in std::fs::read_dir(root.join("wit")).expect("wit/").flatten() {
        let path = name.path();
        if path.extension().is_some_and(|e| e == "wit") {
            let text = std::fs::read_to_string(&path).expect("read");
            lines.extend(
                text.lines()
                    .filter(|l| l.starts_with("package "))
                    .map(str::to_owned),
            );
        }
    }
    assert_eq!(lines, [format!("package {WIT_PACKAGE}@{WIT_VERSION};")]);

    let mention = format!("{WIT_PACKAGE}@");
    let mut stale = Vec::new();
    let mut files = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    for dir in [
        "plugin",
        "host-harness/src",
        "daemon/src",
        "tests/e2e",
        "tests/src",
    ] {
        collect(&root.join(dir), &mut files);
    }
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            for (at, _) in line.match_indices(&mention) {
                let version: String = line[at + mention.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let version = version.trim_end_matches('.');
                if !version.is_empty() && version != WIT_VERSION {
                    stale.push(format!("{}:{}: {line}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "mentions of another version than {WIT_VERSION} (write an earlier one without the package name):\n{}",
        stale.join("\n")
    );
}

/// Every `.rs`, `.md` and `.toml` file under `dir`.
fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "md" || e == "toml")
        {
            out.push(path);
        }
    }
}

/// A released contract is frozen: its WIT never changes, byte for byte,
/// or the plugins built against it would no longer match what the host
/// binds them with.
#[test]
fn a_frozen_contract_never_changes() {
    let frozen = include_bytes!("../../wit/since_v0.4.0/customer-group.wit");
    assert_eq!(
        digest(frozen),
        "58101b2b72e9a5af21667f08f657e0e239903a4a86e902584326a57a6bb8da1b",
        "wit/since_v0.4.0 changed: a released contract is frozen"
    );
    // And it is the contract the fixture was built against.
    let runtime = PluginRuntime::load(FIXTURE, Default::default()).expect("loads");
    assert_eq!(runtime.wit_version(), v0_4::VERSION);
    // The later ones, a file per interface, hashed in name order (as
    // `cat wit/since_vX.Y.Z/*.wit | sha256sum` does).
    macro_rules! frozen {
        ($dir:literal) => {
            [
                include_bytes!(concat!("../../wit/", $dir, "/form.wit")).as_slice(),
                include_bytes!(concat!("../../wit/", $dir, "/gl.wit")),
                include_bytes!(concat!("../../wit/", $dir, "/host.wit")),
                include_bytes!(concat!("../../wit/", $dir, "/inheritance.wit")),
                include_bytes!(concat!("../../wit/", $dir, "/lifecycle.wit")),
                include_bytes!(concat!("../../wit/", $dir, "/types.wit")),
                include_bytes!(concat!("../../wit/", $dir, "/validation.wit")),
                include_bytes!(concat!("../../wit/", $dir, "/world.wit")),
            ]
            .concat()
        };
    }
    for (dir, bytes, pinned) in [
        (
            "since_v0.5.0",
            frozen!("since_v0.5.0"),
            "4d9eeb7442c1ba0d79e8b93ba860b3db6a87503aa9458dbd1326e864736ce646",
        ),
        (
            "since_v0.6.0",
            frozen!("since_v0.6.0"),
            "d2d80b8244ce1a75c01ba25386687761f83ddca69e619858c4fb6758626f37b7",
        ),
        (
            "since_v0.7.0",
            frozen!("since_v0.7.0"),
            "8264dbbd67633dba5d45e001fe8e89381df48b4d30e661f81f9089c4415e93f6",
        ),
    ] {
        assert_eq!(
            digest(&bytes),
            pinned,
            "wit/{dir} changed: a released contract is frozen"
        );
    }
}

/// The plugin built against 0.5.0 (at commit 2eedfe9, before credit
/// control changed the contract).
const FIXTURE_0_5: &[u8] =
    include_bytes!("../../host-harness/tests/fixtures/customer-group-0.5.0.wasm");

/// A 0.5.0 plugin keeps installing and serving through `wit/since_v0.5.0`:
/// its form is today's without the credit settings, its credit check
/// weighs what was entered and never bypasses, and the runtime asks it
/// once per invoice where today's plugin takes them all at once.
#[test]
fn a_0_5_0_plugin_serves_through_its_frozen_contract() {
    let sha = include_str!("../../host-harness/tests/fixtures/customer-group-0.5.0.wasm.sha256");
    assert_eq!(
        sha.split_whitespace().next(),
        Some(digest(FIXTURE_0_5).as_str()),
        "the fixture is the one committed"
    );
    let (old, new) = (host_with(FIXTURE_0_5), host_with(PLUGIN_WASM));
    for host in [&old, &new] {
        host.add_customer("V1", "VIP", true);
    }
    let (old, new) = (old.admin(), new.admin());
    assert_eq!(old.plugin().served_as(), Version::V0_5);
    let form = |admin: &Admin| admin.plugin().form(admin.db().facts(), "id").expect("form");
    let (was, mut is) = (form(&old), form(&new));
    is.fields.retain(|f| !ADDED.contains(&f.name.as_str()));
    unmark(&mut is);
    assert_eq!(was, is);
    let many = |admin: &Admin| credit_check_two(admin);
    let (was, is) = (many(&old), many(&new));
    assert_eq!(was, is, "the same verdicts, one call or one per request");
    assert_eq!(
        was.iter()
            .map(|v| (v.allowed, v.bypass.clone()))
            .collect::<Vec<_>>(),
        [(false, None), (true, None)]
    );
    assert!(
        was.iter()
            .all(|v| v.lines.iter().all(|l| l.counts_unposted))
    );
}

/// The verdicts of two credit requests of customer V1 of VIP, in one
/// call: over VIP's 50,000,000.00 by what was entered (within it by what
/// was posted, nothing, had the group counted posted only), and within it.
fn credit_check_two(admin: &Admin) -> Vec<host_harness::wit::CreditVerdict> {
    let owed = |entered| Owed { posted: 0, entered };
    let request = CreditRequest {
        customer: "V1".into(),
        group: "VIP".into(),
        customer_limit: None,
        customer_owed: owed(4_000_000_000),
        amount: 2_000_000_000,
        base_amount: 2_000_000_000,
        group_owed: vec![("VIP".into(), owed(4_000_000_000))],
    };
    let requests = [
        request.clone(),
        CreditRequest {
            amount: 1,
            base_amount: 1,
            ..request
        },
    ];
    admin
        .plugin()
        .credit_check_many(admin.db().facts(), &requests, "en")
        .expect("checked")
}

/// `form` with no field needing a right: what a plugin built before 0.7.0
/// says of every field (its contract could not say otherwise), and none
/// kept per company (before 0.8.0).
fn unmark(form: &mut FormDefinition) {
    assert!(
        form.fields.iter().any(|f| f.needs.is_some()),
        "today's form marks fields with rights"
    );
    for field in &mut form.fields {
        field.needs = None;
    }
    unmark_companies(form);
}

/// `form` with no field kept per company: what a plugin built before
/// 0.8.0 says of every field.
fn unmark_companies(form: &mut FormDefinition) {
    assert!(
        form.fields.iter().any(|f| f.per_company),
        "today's form keeps fields per company"
    );
    for field in &mut form.fields {
        field.per_company = false;
    }
}

/// The plugin built against 0.6.0 (at commit 4a22c16, before rights per
/// field changed the form).
const FIXTURE_0_6: &[u8] =
    include_bytes!("../../host-harness/tests/fixtures/customer-group-0.6.0.wasm");

/// A 0.6.0 plugin keeps installing and serving through `wit/since_v0.6.0`:
/// its form is today's but that it marks no field with a right, so that
/// under it a sales master may change a credit limit, which today's
/// plugin refuses them; its credit checks are today's, many in one call.
#[test]
fn a_0_6_0_plugin_serves_through_its_frozen_contract() {
    let sha = include_str!("../../host-harness/tests/fixtures/customer-group-0.6.0.wasm.sha256");
    assert_eq!(
        sha.split_whitespace().next(),
        Some(digest(FIXTURE_0_6).as_str()),
        "the fixture is the one committed"
    );
    let (old, new) = (host_with(FIXTURE_0_6), host_with(PLUGIN_WASM));
    for host in [&old, &new] {
        host.add_customer("V1", "VIP", true);
        host.db()
            .create_user(
                "sara",
                Role::SalesMaster,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$bm9sb2dpbg",
                "tester",
            )
            .expect("user");
    }
    let (old, new) = (old.admin(), new.admin());
    assert_eq!(old.plugin().served_as(), Version::V0_6);
    for locale in ["en", "id"] {
        let form = |admin: &Admin| {
            admin
                .plugin()
                .form(admin.db().facts(), locale)
                .expect("form")
        };
        let (was, mut is) = (form(&old), form(&new));
        unmark(&mut is);
        assert_eq!(was, is, "the 0.6.0 form is today's without the rights");
    }
    assert_eq!(credit_check_two(&old), credit_check_two(&new));
    let sara = Actor {
        user: "sara".into(),
        ..actor("en")
    };
    let raise = |g: &mut CustomerGroup| g.settings.credit_limit = Some(9_000_000_000);
    assert!(old.update_group("VIP", raise, &sara).is_ok());
    match new.update_group("VIP", raise, &sara) {
        Err(AdminError::Rejected(issues)) => assert_eq!(
            issues
                .iter()
                .map(|i| (i.field.as_str(), i.rule.as_str()))
                .collect::<Vec<_>>(),
            [("credit-limit", "host.right-needed")]
        ),
        other => panic!("a sales master changed a credit limit: {other:?}"),
    }
}

/// The plugin built against 0.7.0 (at commit 5031c6e, before several
/// companies changed the form and added an export).
const FIXTURE_0_7: &[u8] =
    include_bytes!("../../host-harness/tests/fixtures/customer-group-0.7.0.wasm");

/// A 0.7.0 plugin keeps installing and serving through `wit/since_v0.7.0`:
/// its form is today's but that it keeps no field per company; it checks
/// rights per field and credit as today's does; and a host with several
/// companies refuses a group's settings for a company under it, saying
/// which contract they need, while the company's own AR settings are still
/// checked against its chart.
#[test]
fn a_0_7_0_plugin_serves_through_its_frozen_contract() {
    let sha = include_str!("../../host-harness/tests/fixtures/customer-group-0.7.0.wasm.sha256");
    assert_eq!(
        sha.split_whitespace().next(),
        Some(digest(FIXTURE_0_7).as_str()),
        "the fixture is the one committed"
    );
    let (old, new) = (host_with(FIXTURE_0_7), host_with(PLUGIN_WASM));
    for host in [&old, &new] {
        host.add_customer("V1", "VIP", true);
        host.cli(&["company", "new", "--code", "BETA", "--name", "Beta"])
            .ok();
        host.cli(&[
            "account",
            "new",
            "--company",
            "BETA",
            "--code",
            "B1100",
            "--name",
            "Debtors",
            "--kind",
            "receivable",
        ])
        .ok();
    }
    let (old_admin, new_admin) = (old.admin(), new.admin());
    assert_eq!(old_admin.plugin().served_as(), Version::V0_7);
    for locale in ["en", "id"] {
        let form = |admin: &Admin| {
            admin
                .plugin()
                .form(admin.db().facts(), locale)
                .expect("form")
        };
        let (was, mut is) = (form(&old_admin), form(&new_admin));
        unmark_companies(&mut is);
        assert_eq!(
            was, is,
            "the 0.7.0 form is today's without per-company fields"
        );
    }
    assert_eq!(credit_check_two(&old_admin), credit_check_two(&new_admin));
    let edit = [
        "group",
        "edit",
        "VIP",
        "--company",
        "BETA",
        "--receivable-account",
        "B1100",
    ];
    let refused = old.cli(&edit).failed();
    assert!(
        refused.stderr.contains("contract 0.7.0") && refused.stderr.contains("0.8.0"),
        "{}",
        refused.stderr
    );
    new.cli(&edit).ok();
    for host in [&old, &new] {
        let wrong = host
            .cli(&[
                "settings",
                "set",
                "--company",
                "BETA",
                "--receivable-account",
                "1100",
            ])
            .failed();
        assert!(wrong.stderr.contains("1100"), "{}", wrong.stderr);
        host.cli(&[
            "settings",
            "set",
            "--company",
            "BETA",
            "--receivable-account",
            "B1100",
        ])
        .ok();
    }
}
