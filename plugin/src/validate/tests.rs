//! The tests of the validation of changes and their settings.

use super::*;
use crate::bindings::erp::customer_group::types::PromptDiscount;
use crate::bindings::erp::customer_group::types::{DueTerms, PeriodUnit, SalesDiscountRule};
use crate::bindings::exports::erp::customer_group::validation::Update;
use crate::facts::testing::{MapFacts, customer, facts, group};
use crate::model;

fn rules(verdict: &Verdict) -> Vec<&str> {
    verdict.issues.iter().map(|i| i.rule.as_str()).collect()
}

fn check(facts: &MapFacts, change: Change) -> Verdict {
    Validator::new(facts, Locale::En).validate(change)
}

#[test]
fn a_valid_group_is_normalised() {
    let verdict = check(
        &facts(),
        Change::Create(group(" l001 ", "  Lokal 1 ", Some(" 1100"))),
    );
    assert_eq!(rules(&verdict), Vec::<&str>::new());
    let saved = verdict.normalized.expect("valid");
    assert_eq!(saved.code, "L001");
    assert_eq!(saved.name, "Lokal 1");
    assert_eq!(saved.settings.receivable_account.as_deref(), Some("1100"));
}

#[test]
fn every_error_is_reported_at_once() {
    let mut bad = group("TOO-LONG-CODE", "", Some("1000"));
    bad.settings.reward_expense_account = Some("9999".into());
    bad.settings.sales_discount_account = None;
    let verdict = check(&facts(), Change::Create(bad));
    assert_eq!(
        rules(&verdict),
        [
            "code.too-long",
            "code.invalid-character",
            "name.required",
            "account.wrong-kind",
            "account.required",
            "account.unknown",
        ]
    );
    assert!(verdict.normalized.is_none());
}

#[test]
fn blank_account_resolves_through_ar_settings() {
    let mut facts = facts();
    facts.defaults = Some(model::empty());
    facts.defaults.as_mut().expect("set").receivable_account = Some("1100".into());
    let verdict = check(&facts, Change::Create(group("A1", "A", None)));
    assert!(verdict.issues.is_empty(), "{:?}", rules(&verdict));
    assert_eq!(
        verdict
            .normalized
            .expect("valid")
            .settings
            .receivable_account,
        None
    );
}

#[test]
fn an_unusable_default_is_an_error_on_the_blank_field() {
    let mut facts = facts();
    facts.defaults = Some(model::empty());
    facts.defaults.as_mut().expect("set").receivable_account = Some("4900".into());
    let verdict = check(&facts, Change::Create(group("A1", "A", None)));
    assert_eq!(rules(&verdict), ["account.wrong-kind"]);
    assert!(
        verdict.issues[0]
            .message
            .starts_with("Accounts Receivable (AR settings default): account 4900"),
        "{}",
        verdict.issues[0].message
    );
}

#[test]
fn codes_are_immutable_and_unique() {
    let facts = facts();
    let verdict = check(
        &facts,
        Change::Create(group("0000", "Another", Some("1100"))),
    );
    assert_eq!(rules(&verdict), ["code.duplicate"]);
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "0000".into(),
            proposed: group("0001", "Default", Some("1100")),
        }),
    );
    assert_eq!(rules(&verdict), ["code.immutable"]);
}

#[test]
fn the_default_group_is_never_deleted_or_inactive() {
    let facts = facts();
    assert_eq!(
        rules(&check(&facts, Change::Delete(" 0000".into()))),
        ["delete.default-group"]
    );
    let mut inactive = group("0000", "Default", Some("1100"));
    inactive.inactive = true;
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "0000".into(),
            proposed: inactive,
        }),
    );
    assert_eq!(rules(&verdict), ["inactive.default-group"]);
}

#[test]
fn a_group_in_use_is_not_deleted_and_inactivating_it_warns() {
    let mut facts = facts();
    facts
        .groups
        .insert("VIP".into(), group("VIP", "VIP Customers", Some("1100")));
    facts.customers.push(customer("C1", "VIP", "IDR"));
    facts.customers.push(customer("C2", "VIP", "IDR"));
    let mut gone = customer("C3", "VIP", "IDR");
    gone.active = false;
    facts.customers.push(gone);
    facts.transactions.insert("VIP".into(), 7);
    let verdict = check(&facts, Change::Delete("vip".into()));
    assert_eq!(rules(&verdict), ["delete.in-use"]);
    assert!(
        verdict.issues[0]
            .message
            .contains("3 customer(s), 7 transaction(s)")
    );
    let mut inactive = group("VIP", "VIP Customers", Some("1100"));
    inactive.inactive = true;
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "VIP".into(),
            proposed: inactive,
        }),
    );
    assert_eq!(rules(&verdict), ["inactive.has-active-customers"]);
    assert!(verdict.normalized.is_some(), "a warning does not block");
}

#[test]
fn inactive_rules_apply_through_the_tree() {
    let mut facts = facts();
    let mut node = group("NODE", "Node", Some("1100"));
    node.is_group = true;
    let mut kid = group("KID", "Kid", Some("1100"));
    kid.parent = Some("NODE".into());
    facts.groups.insert("NODE".into(), node.clone());
    facts.groups.insert("KID".into(), kid.clone());
    facts.customers.push(customer("C1", "KID", "IDR"));
    // Deactivating the node warns about the active subgroup it leaves.
    let mut closed = node.clone();
    closed.inactive = true;
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "NODE".into(),
            proposed: closed.clone(),
        }),
    );
    assert_eq!(rules(&verdict), ["inactive.has-active-subgroups"]);
    assert!(
        verdict.issues[0]
            .message
            .contains("(KID) with 1 active customer(s)")
    );
    assert!(verdict.normalized.is_some(), "a warning does not block");
    // Declared inactive together with an active child, in one batch.
    let fresh = crate::facts::testing::facts();
    let mut new_node = closed.clone();
    new_node.code = "N2".into();
    let mut new_kid = kid.clone();
    new_kid.code = "K2".into();
    new_kid.parent = Some("N2".into());
    let verdicts = Validator::new(&fresh, Locale::En)
        .validate_many(vec![Change::Create(new_node), Change::Create(new_kid)]);
    assert_eq!(rules(&verdicts[0]), ["inactive.has-active-subgroups"]);
    assert_eq!(rules(&verdicts[1]), ["inactive.under-inactive-group"]);
    // An inactive ancestor closes the subtree to new customers: lifecycle's
    // an_inactive_ancestor_closes_its_subtree_to_new_customers.
}

#[test]
fn inactive_accounts_and_control_characters_are_refused() {
    let verdict = check(
        &facts(),
        Change::Create(group("B1", "Bad\u{7}Name", Some("1190"))),
    );
    assert_eq!(
        rules(&verdict),
        ["name.control-character", "account.inactive"]
    );
}

#[test]
fn letters_outside_a_z_are_refused_not_upper_cased_into_it() {
    for (code, bad) in [
        ("v\u{131}p", "'\u{131}'"),
        ("\u{17f}ale", "'\u{17f}'"),
        ("\u{fb00}1", "'\u{fb00}'"),
    ] {
        let verdict = check(
            &facts(),
            Change::Create(group(code, "Look-alike", Some("1100"))),
        );
        assert_eq!(rules(&verdict), ["code.invalid-character"], "{code}");
        assert!(
            verdict.issues[0].message.contains(bad),
            "{}",
            verdict.issues[0].message
        );
    }
    let verdict = check(
        &facts(),
        Change::Create(group(" vip\t", "Plain", Some("1100"))),
    );
    assert!(rules(&verdict).is_empty(), "{:?}", verdict.issues);
    assert_eq!(verdict.normalized.expect("stored").code, "VIP");
}

#[test]
fn direction_overrides_are_refused_and_direction_marks_allowed() {
    let verdict = check(
        &facts(),
        Change::Create(group("B1", "VIP\u{202e}lanigiro", Some("1100"))),
    );
    assert_eq!(rules(&verdict), ["name.direction-override"]);
    assert!(verdict.issues[0].message.contains("U+202E"));
    let verdict = check(
        &facts(),
        Change::Create(group("B2", "\u{2067}Nama\u{2069}", Some("1100"))),
    );
    assert_eq!(rules(&verdict), ["name.direction-override"]);
    let verdict = check(
        &facts(),
        Change::Create(group(
            "B3",
            "Toko \u{200f}\u{627}\u{644}\u{200e} 1",
            Some("1100"),
        )),
    );
    assert!(rules(&verdict).is_empty(), "{:?}", verdict.issues);
}

#[test]
fn a_batch_may_not_touch_a_code_twice() {
    let facts = facts();
    let verdicts = Validator::new(&facts, Locale::Id).validate_many(vec![
        Change::Create(group("x1", "One", Some("1100"))),
        Change::Create(group("X2", "Two", Some("1100"))),
        Change::Create(group(" X1", "Three", Some("1100"))),
    ]);
    assert_eq!(rules(&verdicts[0]), ["code.duplicate-in-batch"]);
    assert!(verdicts[1].issues.is_empty());
    assert!(verdicts[2].issues[0].message.contains("muncul 2 kali"));
}

fn node(code: &str, parent: Option<&str>) -> CustomerGroup {
    let mut g = group(code, code, Some("1100"));
    g.parent = parent.map(Into::into);
    g.is_group = true;
    g
}

fn under(code: &str, parent: &str) -> CustomerGroup {
    let mut g = group(code, code, None);
    g.parent = Some(parent.into());
    g.settings = model::empty();
    g
}

fn tree() -> MapFacts {
    let mut facts = facts();
    for g in [node("ALL", None), node("ASIA", Some("ALL"))] {
        facts.groups.insert(g.code.clone(), g);
    }
    facts.groups.insert("JKT".into(), under("JKT", "ASIA"));
    facts
}

#[test]
fn parents_must_exist_be_group_nodes_and_not_loop() {
    let facts = tree();
    let cases = [
        (under("X1", "NOPE"), "parent.unknown"),
        (under("X2", "JKT"), "parent.not-group"),
        (under("X3", "X3"), "parent.self"),
    ];
    for (g, rule) in cases {
        assert_eq!(rules(&check(&facts, Change::Create(g))), [rule]);
    }
    // ALL under ASIA: ASIA is under ALL already.
    let mut all = node("ALL", Some("asia"));
    all.name = "ALL".into();
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "ALL".into(),
            proposed: all,
        }),
    );
    assert_eq!(rules(&verdict), ["parent.cycle"]);
    assert!(
        verdict.issues[0].message.contains("ALL > ASIA > ALL"),
        "{}",
        verdict.issues[0].message
    );
}

#[test]
fn a_batch_sees_its_own_parents_and_its_own_cycles() {
    let facts = facts();
    let ok = Validator::new(&facts, Locale::En).validate_many(vec![
        Change::Create(under("LEAF", "TOP")),
        Change::Create(node("TOP", None)),
    ]);
    assert!(ok.iter().all(|v| v.issues.is_empty()), "{ok:?}");
    let looped = Validator::new(&facts, Locale::En).validate_many(vec![
        Change::Create(node("A", Some("B"))),
        Change::Create(node("B", Some("A"))),
    ]);
    assert_eq!(rules(&looped[0]), ["parent.cycle"]);
    assert_eq!(rules(&looped[1]), ["parent.cycle"]);
}

#[test]
fn nodes_hold_groups_and_leaves_hold_customers() {
    let mut facts = tree();
    facts.customers.push(customer("C1", "JKT", "IDR"));
    let mut jkt = under("JKT", "ASIA");
    jkt.is_group = true;
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "JKT".into(),
            proposed: jkt,
        }),
    );
    assert_eq!(rules(&verdict), ["is-group.has-customers"]);
    let mut asia = node("ASIA", Some("ALL"));
    asia.is_group = false;
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "ASIA".into(),
            proposed: asia,
        }),
    );
    assert_eq!(rules(&verdict), ["is-group.has-children"]);
    let mut default = group("0000", "Default", None);
    default.is_group = true;
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "0000".into(),
            proposed: default,
        }),
    );
    assert!(rules(&verdict).contains(&"is-group.default-group"));
    assert_eq!(
        rules(&check(&facts, Change::Delete("ASIA".into()))),
        ["delete.in-use"]
    );
}

#[test]
fn blank_accounts_resolve_through_the_tree() {
    let facts = tree();
    // JKT sets nothing: every account comes from ALL (receivable) or is missing.
    let verdict = check(&facts, Change::Create(under("BDG", "ASIA")));
    assert_eq!(rules(&verdict), Vec::<&str>::new());
    let mut facts = tree();
    facts
        .groups
        .get_mut("ASIA")
        .expect("ASIA")
        .settings
        .receivable_account = None;
    facts
        .groups
        .get_mut("ALL")
        .expect("ALL")
        .settings
        .receivable_account = Some("1000".into());
    let verdict = check(&facts, Change::Create(under("BDG", "ASIA")));
    assert_eq!(rules(&verdict), ["account.wrong-kind"]);
    assert!(
        verdict.issues[0]
            .message
            .starts_with("Accounts Receivable (inherited from ALL)"),
        "{}",
        verdict.issues[0].message
    );
}

#[test]
fn a_currency_change_is_refused_while_customers_trade_in_another() {
    let mut facts = tree();
    facts.customers.push(customer("C1", "JKT", "IDR"));
    facts.customers.push(customer("C2", "JKT", "IDR"));
    let mut asia = node("ASIA", Some("ALL"));
    asia.settings.currency = Some("usd".into());
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "ASIA".into(),
            proposed: asia.clone(),
        }),
    );
    assert_eq!(rules(&verdict), ["currency.customers-differ"]);
    assert!(verdict.issues[0].message.contains("2 of its customers"));
    asia.settings.currency = Some("IDR".into());
    let verdict = check(
        &facts,
        Change::Update(Update {
            code: "ASIA".into(),
            proposed: asia,
        }),
    );
    assert!(verdict.issues.is_empty(), "{:?}", rules(&verdict));
}

#[test]
fn settings_are_checked_field_by_field() {
    let facts = facts();
    let mut g = group("S1", "Settings", Some("1100"));
    let s = &mut g.settings;
    s.currency = Some("rupiah".into());
    s.price_list = Some("Nope".into());
    s.bank_account = Some("1100".into());
    s.credit_limit = Some(-1);
    s.due_terms = Some(DueTerms {
        count: 30,
        unit: PeriodUnit::Days,
        day: Some(5),
    });
    s.prompt_payment_discount = Some(PromptDiscount {
        percent: 20_000,
        within: DueTerms {
            count: 0,
            unit: PeriodUnit::Months,
            day: Some(40),
        },
    });
    s.statement_count = Some(13);
    s.peppol_eas = Some("88".into());
    s.sales_discount_rules = Some(vec![SalesDiscountRule {
        valid_from: "2025-13-01".into(),
        valid_to: None,
        min_amount: 100,
        percent: 500,
    }]);
    let verdict = check(&facts, Change::Create(g));
    let fields: Vec<(&str, &str)> = verdict
        .issues
        .iter()
        .map(|i| (i.field.as_str(), i.rule.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("bank-account", "account.wrong-kind"),
            ("currency", "currency.invalid"),
            ("price-list", "reference.unknown"),
            ("credit-limit", "credit-limit.negative"),
            ("due-day", "period.day-without-months"),
            ("payment-discount", "percent.out-of-range"),
            ("discount-count", "period.count-out-of-range"),
            ("discount-day", "period.day-out-of-range"),
            ("statement-count", "statement-count.out-of-range"),
            ("peppol-eas", "peppol-eas.unknown"),
            ("sales-discount-rules[1].valid-from", "rules.bad-date"),
        ]
    );
}

#[test]
fn defaults_are_checked_but_nothing_is_required() {
    let facts = facts();
    let mut defaults = model::empty();
    let (normalized, issues) =
        Validator::new(&facts, Locale::En).validate_defaults(defaults.clone());
    assert!(issues.is_empty() && normalized.is_some());
    defaults.receivable_account = Some("4900".into());
    defaults.currency = Some("XYZ".into());
    let (normalized, issues) = Validator::new(&facts, Locale::En).validate_defaults(defaults);
    let rules: Vec<&str> = issues.iter().map(|i| i.rule.as_str()).collect();
    assert_eq!(rules, ["account.wrong-kind", "reference.unknown"]);
    assert!(normalized.is_none());
}

#[test]
fn valid_settings_are_normalised() {
    let facts = facts();
    let mut g = group("S2", "Settings", Some("1100"));
    g.settings.currency = Some(" idr ".into());
    g.settings.peppol_eas = Some("0088".into());
    g.settings.tax_regime = Some("EXPORT".into());
    g.settings.gst_override = Some(" ZERO".into());
    g.settings.price_code = Some("".into());
    let verdict = check(&facts, Change::Create(g));
    assert!(verdict.issues.is_empty(), "{:?}", rules(&verdict));
    let s = verdict.normalized.expect("valid").settings;
    assert_eq!(s.currency.as_deref(), Some("IDR"));
    assert_eq!(s.gst_override.as_deref(), Some("ZERO"));
    assert_eq!(s.price_code, None);
}

/// What a group sets for another company: its per-company fields only
/// (a field shared by every company is refused by name), each checked as
/// the group's own would be; nothing is required there.
#[test]
fn company_settings_take_only_per_company_fields() {
    let facts = facts();
    let validate =
        |s: Settings| Validator::new(&facts, Locale::En).validate_company_settings("BETA", s);
    let mut row = model::empty();
    row.receivable_account = Some(" 1100 ".into());
    row.credit_limit = Some(5_000);
    row.bypass_credit_check = Some(true);
    let (normalized, issues) = validate(row.clone());
    assert!(issues.is_empty(), "{issues:?}");
    let normalized = normalized.expect("valid");
    assert_eq!(normalized.receivable_account.as_deref(), Some("1100"));
    assert_eq!(normalized.credit_limit, Some(5_000));

    row.currency = Some("IDR".into());
    row.due_terms = Some(DueTerms {
        count: 30,
        unit: PeriodUnit::Days,
        day: None,
    });
    row.credit_limit = Some(-1);
    row.bank_account = Some("4900".into());
    let (normalized, issues) = validate(row);
    assert!(normalized.is_none());
    let found: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.field.as_str(), i.rule.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("currency", "company.not-per-company"),
            ("due-terms", "company.not-per-company"),
            ("bank-account", "account.wrong-kind"),
            ("credit-limit", "credit-limit.negative"),
        ]
    );
    assert!(
        issues[0].message.contains("company BETA"),
        "{}",
        issues[0].message
    );
}
