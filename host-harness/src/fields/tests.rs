use super::json::{group_canonical, settings_from_json, settings_to_json};
use super::*;
use crate::wit::{
    PaymentDiscountRule, PointsRule, ProductGiftRule, PromptDiscount, SalesDiscountRule,
};

/// Settings with every setting set, each to something other than a default
/// (shared with `store::legacy`'s tests).
pub(crate) fn full() -> Settings {
    let text = |t: &str| Some(t.to_owned());
    let mut s = Settings {
        currency: text("IDR"),
        receivable_account: text("1100"),
        discount_account: text("5100"),
        sales_discount_account: text("4100"),
        reward_expense_account: text("6100"),
        write_off_account: text("6200"),
        bank_account: text("1000"),
        price_list: text("Standard Selling"),
        price_code: text("RETAIL"),
        payment_terms: text("NET30"),
        statement_count: Some(1),
        statement_aging: Some(PeriodUnit::Months),
        tax_regime: text("DOMESTIC"),
        sales_discount_rules: Some(vec![SalesDiscountRule {
            valid_from: "2026-01-01".into(),
            valid_to: None,
            min_amount: 1_000_000_000,
            percent: 500,
        }]),
        payment_discount_rules: Some(vec![
            PaymentDiscountRule {
                valid_from: "2026-01-01".into(),
                valid_to: None,
                within_days: 7,
                percent: 300,
            },
            PaymentDiscountRule {
                valid_from: "2026-01-01".into(),
                valid_to: Some("2026-12-31".into()),
                within_days: 14,
                percent: 200,
            },
        ]),
        product_gift_rules: Some(vec![ProductGiftRule {
            valid_from: "2026-11-01".into(),
            valid_to: Some("2026-11-30".into()),
            min_amount: 100_000_000,
            product: "GIFT-MUG".into(),
            quantity: 1,
        }]),
        points_rules: Some(vec![PointsRule {
            valid_from: "2026-01-01".into(),
            valid_to: Some("2026-12-31".into()),
            min_amount: 10_000_000,
            amount_per_point: 1_000_000,
        }]),
        ..Settings::inherit_all()
    };
    s.credit_limit = Some(-12_345_678_901);
    s.shared_credit_limit = Some(i64::MAX);
    s.bypass_credit_check = Some(true);
    s.credit_counts_unposted = Some(false);
    s.due_terms = Some(DueTerms {
        count: 1,
        unit: PeriodUnit::Months,
        day: Some(31),
    });
    s.prompt_payment_discount = Some(PromptDiscount {
        percent: 250,
        within: DueTerms {
            count: 14,
            unit: PeriodUnit::Weeks,
            day: Some(0),
        },
    });
    s.gst_override = Some("ZERO".into());
    s.peppol_eas = Some("0088".into());
    s
}

#[test]
fn every_setting_round_trips_through_the_stored_json() {
    let s = full();
    for name in settings() {
        assert!(setting_value(&s, name).is_some(), "{name} is set");
    }
    let json = settings_to_json(&s);
    assert!(json.contains("\"receivable-account\":\"1100\""), "{json}");
    assert!(json.contains("\"due-day\":31"), "{json}");
    assert!(json.contains("\"discount-unit\":\"weeks\""), "{json}");
    assert!(!json.contains('_'), "no generated names: {json}");
    assert_eq!(settings_from_json(&json).expect("decodes"), s);
    assert_eq!(settings_to_json(&Settings::inherit_all()), "{}");
    assert_eq!(
        settings_from_json("{}").expect("empty"),
        Settings::inherit_all()
    );
    let none = Settings {
        sales_discount_rules: Some(Vec::new()),
        ..Settings::inherit_all()
    };
    assert_eq!(settings_to_json(&none), "{\"sales-discount-rules\":[]}");
}

#[test]
fn a_key_or_value_the_table_does_not_know_is_an_error() {
    for bad in [
        r#"{"colour":"red"}"#,
        r#"{"code":"VIP"}"#,
        r#"{"due-unit":"years"}"#,
        r#"{"due-day":256}"#,
        r#"{"credit-limit":"10"}"#,
        r#"{"points-rules":[{"valid-from":"2026-01-01","min-amount":1}]}"#,
        r#"{"points-rules":[{"valid-from":"2026-01-01","min-amount":1,"amount-per-point":1,"x":1}]}"#,
        r#"[1]"#,
    ] {
        assert!(settings_from_json(bad).is_err(), "{bad}");
    }
}

#[test]
fn every_field_reads_back_what_was_written() {
    let mut group = CustomerGroup::new("", "");
    let source = CustomerGroup {
        code: "VIP".into(),
        name: "VIP".into(),
        parent: Some("LOKAL".into()),
        is_group: true,
        inactive: true,
        settings: full(),
    };
    for field in all() {
        let value = field.get(&source);
        assert!(value.is_some(), "{} holds a value", field.name);
        field.set(&mut group, value.clone()).expect("written");
        assert_eq!(field.get(&group), value, "{}", field.name);
    }
    assert_eq!(group, source);
    let canonical = group_canonical(&group);
    assert!(canonical.starts_with("{\"bank-account\":"), "{canonical}");
    // Clearing a period's count clears the period; its day only the day.
    let due = find("due-day").expect("due-day");
    due.set(&mut group, None).expect("cleared");
    assert_eq!(group.settings.due_terms.map(|t| t.day), Some(None));
    find("due-count")
        .expect("due-count")
        .set(&mut group, None)
        .expect("cleared");
    assert_eq!(group.settings.due_terms, None);
    // A part written alone makes the period around it.
    find("discount-day")
        .expect("discount-day")
        .set(&mut CustomerGroup::new("G", "G"), Some(Value::Day(5)))
        .expect("written");
}

#[test]
fn a_value_of_another_shape_is_refused_and_changes_nothing() {
    let mut group = CustomerGroup::new("G", "G");
    let credit = find("credit-limit").expect("credit-limit");
    assert!(matches!(
        credit.set(&mut group, Some(Value::Text("10".into()))),
        Err(FieldError::Shape { .. })
    ));
    assert_eq!(group, CustomerGroup::new("G", "G"));
    let rules = find("sales-discount-rules").expect("rules");
    let short_row = vec![Some(Value::Date("2026-01-01".into()))];
    assert!(matches!(
        rules.set(&mut group, Some(Value::Rows(vec![short_row]))),
        Err(FieldError::RowWidth { .. })
    ));
    let missing = vec![None, None, Some(Value::Money(1)), Some(Value::Percent(1))];
    assert!(matches!(
        rules.set(&mut group, Some(Value::Rows(vec![missing]))),
        Err(FieldError::MissingCell { .. })
    ));
    assert!(matches!(
        find("code")
            .expect("code")
            .set_setting(&mut Settings::inherit_all(), None),
        Err(FieldError::NotASetting("code"))
    ));
    let ok = vec![
        Some(Value::Date("2026-01-01".into())),
        None,
        Some(Value::Money(1)),
        Some(Value::Percent(1)),
    ];
    rules
        .set(&mut group, Some(Value::Rows(vec![ok])))
        .expect("a row");
    assert_eq!(
        group.settings.sales_discount_rules,
        Some(vec![SalesDiscountRule {
            valid_from: "2026-01-01".into(),
            valid_to: None,
            min_amount: 1,
            percent: 1,
        }])
    );
}

#[test]
fn settings_are_listed_once_each_and_clear_whole() {
    let names = settings();
    assert_eq!(names.len(), 25);
    assert!(names.contains(&"due-terms") && names.contains(&"prompt-payment-discount"));
    let mut s = full();
    for name in &names {
        assert!(clear_setting(&mut s, name), "{name}");
    }
    assert_eq!(s, Settings::inherit_all());
    assert!(!clear_setting(&mut s, "colour"));
}

#[test]
fn the_canonical_text_is_serde_jsons_own_rendering_of_the_fields() {
    // The text is written directly; what it must equal is `serde_json`'s
    // compact rendering of the same object (keys sorted), escapes included:
    // the daemon's stored digests hash it.
    let group = CustomerGroup {
        code: "VIP".into(),
        name: "\"Ünï\" \\ <tab>\t".into(),
        parent: Some("LOKAL".into()),
        is_group: true,
        inactive: false,
        settings: full(),
    };
    let object: serde_json::Map<String, serde_json::Value> = all()
        .iter()
        .filter_map(|field| {
            let value = field.get(&group)?;
            Some((
                field.name.to_owned(),
                json::value_to_json(field.shape, &value),
            ))
        })
        .collect();
    assert_eq!(
        group_canonical(&group),
        serde_json::Value::Object(object).to_string()
    );
}
