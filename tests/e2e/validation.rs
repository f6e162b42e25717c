//! Every validation rule, table-driven, through the real component: each
//! case names the change, the locale, and the rules it must break. A rejected
//! change must leave the database exactly as it was.

use e2e_tests::{TestHost, actor, group};
use host_harness::AdminError;
use host_harness::wit::{Change, CustomerGroup, Severity, Update};

struct Case {
    name: &'static str,
    change: Change,
    locale: &'static str,
    /// The rules broken, errors and warnings, in the order reported.
    rules: &'static [&'static str],
    /// A fragment the first message must contain (checks the locale).
    message: &'static str,
}

fn with(code: &str, name: &str, edit: impl FnOnce(&mut CustomerGroup)) -> CustomerGroup {
    let mut g = group(code, name);
    edit(&mut g);
    g
}

fn create(g: CustomerGroup) -> Change {
    Change::Create(g)
}

fn update(code: &str, g: CustomerGroup) -> Change {
    Change::Update(Update {
        code: code.into(),
        proposed: g,
    })
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "code required",
            change: create(group("  ", "Blank")),
            locale: "en",
            rules: &["code.required"],
            message: "Group Code is required",
        },
        Case {
            name: "code required, Indonesian",
            change: create(group("", "Kosong")),
            locale: "id-ID",
            rules: &["code.required"],
            message: "Kode Kelompok wajib diisi",
        },
        Case {
            name: "code longer than 8",
            change: create(group("ABCDEFGHI", "Nine")),
            locale: "en",
            rules: &["code.too-long"],
            message: "9 characters; at most 8",
        },
        Case {
            name: "code with punctuation",
            change: create(group("L-01", "Dash")),
            locale: "en",
            rules: &["code.invalid-character"],
            message: "'-'",
        },
        Case {
            name: "code with non-ASCII letters",
            change: create(group("KÖLN", "Umlaut")),
            locale: "id",
            rules: &["code.invalid-character"],
            message: "hanya boleh berisi huruf A-Z",
        },
        Case {
            name: "code already taken, after normalising",
            change: create(group(" l001 ", "Another Lokal")),
            locale: "en",
            rules: &["code.duplicate"],
            message: "L001 already exists",
        },
        Case {
            name: "the default code is taken too",
            change: create(group("0000", "Default again")),
            locale: "en",
            rules: &["code.duplicate"],
            message: "0000 already exists",
        },
        Case {
            name: "name required",
            change: create(group("N1", "   ")),
            locale: "en",
            rules: &["name.required"],
            message: "Group Name is required",
        },
        Case {
            name: "name too long",
            change: create(group("N2", &"x".repeat(61))),
            locale: "en",
            rules: &["name.too-long"],
            message: "61 characters; at most 60",
        },
        Case {
            name: "name with a control character",
            change: create(group("N3", "Tab\there")),
            locale: "en",
            rules: &["name.control-character"],
            message: "'\\t'",
        },
        Case {
            name: "name with a right-to-left override",
            change: create(group("N4", "VIP\u{202e}lanigiro")),
            locale: "id",
            rules: &["name.direction-override"],
            message: "U+202E",
        },
        Case {
            name: "unknown account",
            change: create(with("A1", "Unknown", |g| {
                g.settings.receivable_account = Some("9999".into())
            })),
            locale: "en",
            rules: &["account.unknown"],
            message: "\"9999\" does not exist",
        },
        Case {
            name: "receivable must be a receivable account",
            change: create(with("A2", "Bank", |g| {
                g.settings.receivable_account = Some("1000".into())
            })),
            locale: "en",
            rules: &["account.wrong-kind"],
            message: "is a bank account; this field needs a receivable account",
        },
        Case {
            name: "reward expense must be an expense account",
            change: create(with("A3", "Income", |g| {
                g.settings.reward_expense_account = Some("4000".into())
            })),
            locale: "id",
            rules: &["account.wrong-kind"],
            message: "memerlukan akun beban",
        },
        Case {
            name: "sales discount may not be a liability",
            change: create(with("A4", "Liab", |g| {
                g.settings.sales_discount_account = Some("2100".into())
            })),
            locale: "en",
            rules: &["account.wrong-kind"],
            message: "needs an income or an expense account",
        },
        Case {
            name: "write-off may not be a receivable",
            change: create(with("A5", "Recv", |g| {
                g.settings.write_off_account = Some("1100".into())
            })),
            locale: "en",
            rules: &["account.wrong-kind"],
            message: "needs an expense or an income account",
        },
        Case {
            name: "inactive account",
            change: create(with("A6", "Old", |g| {
                g.settings.receivable_account = Some("1190".into())
            })),
            locale: "en",
            rules: &["account.inactive"],
            message: "1190 Old Debtors is inactive",
        },
        Case {
            name: "every error at once",
            change: create(with("BAD CODE 1", "", |g| {
                g.settings.receivable_account = Some("1000".into());
                g.settings.write_off_account = Some("nope".into());
            })),
            locale: "en",
            rules: &[
                "code.too-long",
                "code.invalid-character",
                "name.required",
                "account.wrong-kind",
                "account.unknown",
            ],
            message: "",
        },
        Case {
            name: "codes are immutable",
            change: update("L001", group("L002", "Lokal 1")),
            locale: "en",
            rules: &["code.immutable"],
            message: "cannot be changed once a group is created",
        },
        Case {
            name: "update of a group that does not exist",
            change: update("NOPE", group("NOPE", "Nope")),
            locale: "en",
            rules: &["record.not-found"],
            message: "no customer group with code \"NOPE\"",
        },
        Case {
            name: "the default group stays active",
            change: update("0000", with("0000", "Default", |g| g.inactive = true)),
            locale: "en",
            rules: &["inactive.default-group"],
            message: "cannot be made inactive",
        },
        Case {
            name: "the default group is never deleted",
            change: Change::Delete("0000".into()),
            locale: "id",
            rules: &["delete.default-group"],
            message: "tidak dapat dihapus",
        },
        Case {
            name: "a group with customers and transactions is not deleted",
            change: Change::Delete("l001".into()),
            locale: "en",
            rules: &["delete.in-use"],
            message: "2 customer(s), 1 transaction(s)",
        },
        Case {
            name: "delete of a group that does not exist",
            change: Change::Delete("GHOST".into()),
            locale: "en",
            rules: &["record.not-found"],
            message: "GHOST",
        },
    ]
}

fn prepared_host() -> TestHost {
    let host = TestHost::new();
    let admin = host.admin();
    admin
        .create_group(group("L001", "Lokal 1"), &actor("en"))
        .expect("create L001");
    host.add_customer("C1", "L001", true);
    host.add_customer("C2", "L001", false);
    host.add_transaction("C1");
    host.db()
        .conn()
        .execute(
            "INSERT INTO accounts (code, name, kind, active) \
             VALUES ('1190', 'Old Debtors', 'receivable', 0)",
            [],
        )
        .expect("inactive account");
    host
}

#[test]
fn every_rule_through_the_component() {
    let host = prepared_host();
    let admin = host.admin();
    let before = host.snapshot();
    let mut failures = Vec::new();
    for case in cases() {
        let verdict = admin.check(&case.change, case.locale).expect("plugin call");
        let rules: Vec<&str> = verdict.issues.iter().map(|i| i.rule.as_str()).collect();
        let first = verdict
            .issues
            .first()
            .map(|i| i.message.as_str())
            .unwrap_or("");
        if rules != case.rules || !first.contains(case.message) {
            failures.push(format!(
                "{}: got {rules:?} / {first:?}, want {:?} / {:?}",
                case.name, case.rules, case.message
            ));
        }
        if verdict.issues.iter().any(|i| i.severity == Severity::Error) {
            assert!(
                verdict.normalized.is_none(),
                "{}: normalised despite errors",
                case.name
            );
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert_eq!(host.snapshot(), before, "checking must not write");
}

#[test]
fn rejected_saves_write_nothing() {
    let host = prepared_host();
    let admin = host.admin();
    let before = host.snapshot();
    let who = actor("en");
    for case in cases() {
        let result = match case.change {
            Change::Create(g) => admin.create_group(g, &who).map(|_| ()),
            Change::Update(u) => {
                let proposed = u.proposed;
                admin
                    .update_group(&u.code, |g| *g = proposed, &who)
                    .map(|_| ())
            }
            Change::Delete(code) => admin.delete_group(&code, &who).map(|_| ()),
        };
        match result {
            Err(AdminError::Rejected(issues)) => assert!(!issues.is_empty(), "{}", case.name),
            Err(AdminError::NoSuchGroup(_)) => {}
            other => panic!("{}: expected a refusal, got {other:?}", case.name),
        }
    }
    assert_eq!(host.snapshot(), before);
}

#[test]
fn a_batch_reports_codes_it_touches_twice() {
    let host = TestHost::new();
    let admin = host.admin();
    let changes = vec![
        create(group("dup", "One")),
        create(group("OK1", "Fine")),
        create(group("DUP ", "Two")),
    ];
    let verdicts = admin
        .plugin()
        .validate_many(host.db().facts(), &changes, "en")
        .expect("bulk call");
    let rules: Vec<Vec<&str>> = verdicts
        .iter()
        .map(|v| v.issues.iter().map(|i| i.rule.as_str()).collect())
        .collect();
    assert_eq!(
        rules,
        [
            vec!["code.duplicate-in-batch"],
            vec![],
            vec!["code.duplicate-in-batch"]
        ]
    );
    assert_eq!(
        verdicts[1].normalized.as_ref().map(|g| g.code.as_str()),
        Some("OK1")
    );
}
