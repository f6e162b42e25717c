//! What stores of schema 8 and before hold, frozen: settings JSON of
//! format 1 (the Rust names contract 0.4.0's generated bindings gave the
//! record's members, serde's layout of its nested records and enums) and
//! the sync ledger's digests of format 1 (sha256 of the postcard encoding
//! of 0.4.0's generated `customer-group`, then the `adopt` byte).
//!
//! Both are written out here, member by member, rather than taken from
//! today's bindings: the next contract version changes those, never what
//! an old store holds. Migration 009 reads format 1 through this module;
//! the daemon compares a format-1 digest the migration could not convert
//! ([`super::digest::declaration_v1`]).

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::fields::json::{CodecError, settings_from_json_of};
use crate::fields::{self, Value};
use crate::wit::{CustomerGroup, PeriodUnit, Settings};

/// How a member of format 1's settings maps to form fields.
enum Member {
    /// One field, the same value.
    Field(&'static str),
    /// A `due-terms` record: `count`, `unit`, `day` to these fields.
    Period([&'static str; 3]),
    /// A `prompt-discount` record: `percent`, then `within`'s parts.
    Discount([&'static str; 4]),
    /// A list of rule records: each member to the column of that name.
    Rows(&'static str, &'static [(&'static str, &'static str)]),
}

const VALIDITY: [(&str, &str); 2] = [("valid_from", "valid-from"), ("valid_to", "valid-to")];

/// The members of format 1's settings object, in the record's order.
const MEMBERS: &[(&str, Member)] = &[
    ("currency", Member::Field("currency")),
    ("receivable_account", Member::Field("receivable-account")),
    ("discount_account", Member::Field("discount-account")),
    (
        "sales_discount_account",
        Member::Field("sales-discount-account"),
    ),
    (
        "reward_expense_account",
        Member::Field("reward-expense-account"),
    ),
    ("write_off_account", Member::Field("write-off-account")),
    ("bank_account", Member::Field("bank-account")),
    ("price_list", Member::Field("price-list")),
    ("price_code", Member::Field("price-code")),
    ("payment_terms", Member::Field("payment-terms")),
    ("credit_limit", Member::Field("credit-limit")),
    ("shared_credit_limit", Member::Field("shared-credit-limit")),
    (
        "due_terms",
        Member::Period(["due-count", "due-unit", "due-day"]),
    ),
    (
        "prompt_payment_discount",
        Member::Discount([
            "payment-discount",
            "discount-count",
            "discount-unit",
            "discount-day",
        ]),
    ),
    ("statement_count", Member::Field("statement-count")),
    ("statement_aging", Member::Field("statement-aging")),
    ("tax_regime", Member::Field("tax-regime")),
    ("gst_override", Member::Field("gst-override")),
    ("peppol_eas", Member::Field("peppol-eas")),
    (
        "sales_discount_rules",
        Member::Rows(
            "sales-discount-rules",
            &[
                VALIDITY[0],
                VALIDITY[1],
                ("min_amount", "min-amount"),
                ("percent", "percent"),
            ],
        ),
    ),
    (
        "payment_discount_rules",
        Member::Rows(
            "payment-discount-rules",
            &[
                VALIDITY[0],
                VALIDITY[1],
                ("within_days", "within-days"),
                ("percent", "percent"),
            ],
        ),
    ),
    (
        "product_gift_rules",
        Member::Rows(
            "product-gift-rules",
            &[
                VALIDITY[0],
                VALIDITY[1],
                ("min_amount", "min-amount"),
                ("product", "product"),
                ("quantity", "quantity"),
            ],
        ),
    ),
    (
        "points_rules",
        Member::Rows(
            "points-rules",
            &[
                VALIDITY[0],
                VALIDITY[1],
                ("min_amount", "min-amount"),
                ("amount_per_point", "amount-per-point"),
            ],
        ),
    ),
];

/// A period unit as format 1 spells it (serde's variant names).
fn unit(json: &Json) -> Json {
    match json.as_str() {
        Some("Days") => Json::from("days"),
        Some("Weeks") => Json::from("weeks"),
        Some("Months") => Json::from("months"),
        _ => json.clone(),
    }
}

/// Settings from JSON of format 1 (a group's settings, the AR settings, or
/// a customer's terms: the same members, a customer's only five), taking
/// only the fields `accept`s. A member this list does not know, or a value
/// of another shape, is an error: nothing is dropped.
pub(crate) fn settings_v1(
    text: &str,
    accept: impl Fn(&fields::Field) -> bool,
) -> Result<Settings, CodecError> {
    let json: Json = serde_json::from_str(text)?;
    let Json::Object(old) = json else {
        return Err(CodecError::NotAnObject(text.chars().take(60).collect()));
    };
    let mut new = Map::new();
    for (key, value) in old {
        let (_, member) = MEMBERS
            .iter()
            .find(|(name, _)| *name == key)
            .ok_or_else(|| CodecError::UnknownField(key.clone()))?;
        if value.is_null() {
            continue;
        }
        let part = |record: &Json, name: &str| record.get(name).cloned().unwrap_or(Json::Null);
        match member {
            Member::Field(field) => {
                let is_unit = fields::find(field).is_some_and(|f| f.shape == fields::Shape::Unit);
                new.insert((*field).into(), if is_unit { unit(&value) } else { value });
            }
            Member::Period([count, unit_field, day]) => {
                new.insert((*count).into(), part(&value, "count"));
                new.insert((*unit_field).into(), unit(&part(&value, "unit")));
                new.insert((*day).into(), part(&value, "day"));
            }
            Member::Discount([percent, count, unit_field, day]) => {
                let within = part(&value, "within");
                new.insert((*percent).into(), part(&value, "percent"));
                new.insert((*count).into(), part(&within, "count"));
                new.insert((*unit_field).into(), unit(&part(&within, "unit")));
                new.insert((*day).into(), part(&within, "day"));
            }
            Member::Rows(field, columns) => {
                let rows = value.as_array().ok_or_else(|| CodecError::Value {
                    field: key.clone(),
                    expected: fields::find(field).map_or(fields::Shape::Text, |f| f.shape),
                    found: value.to_string(),
                })?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let cells = row.as_object().ok_or_else(|| CodecError::Value {
                        field: key.clone(),
                        expected: fields::find(field).map_or(fields::Shape::Text, |f| f.shape),
                        found: row.to_string(),
                    })?;
                    let mut cells_out = Map::new();
                    for (name, cell) in cells {
                        let (_, column) = columns
                            .iter()
                            .find(|(old, _)| old == name)
                            .ok_or_else(|| CodecError::UnknownField(format!("{key}.{name}")))?;
                        cells_out.insert((*column).into(), cell.clone());
                    }
                    out.push(Json::Object(cells_out));
                }
                new.insert((*field).into(), Json::Array(out));
            }
        }
    }
    settings_from_json_of(&Json::Object(new).to_string(), accept)
}

/// 0.4.0's `period-unit`, as postcard encodes serde's enums: by index.
#[derive(Serialize)]
enum UnitV1 {
    Days,
    Weeks,
    Months,
}

/// 0.4.0's `due-terms`.
#[derive(Serialize)]
struct TermsV1 {
    count: u32,
    unit: UnitV1,
    day: Option<u8>,
}

/// 0.4.0's `prompt-discount`.
#[derive(Serialize)]
struct DiscountV1 {
    percent: u32,
    within: TermsV1,
}

/// A row of one of 0.4.0's rule records: its members in order.
#[derive(Serialize)]
#[serde(untagged)]
enum CellV1 {
    Text(String),
    OptionalText(Option<String>),
    Money(i64),
    Count(u32),
}

/// A rule record's members one after another, as postcard encodes a
/// record (no length before them, unlike a list).
struct RowV1(Vec<CellV1>);

impl Serialize for RowV1 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut members = serializer.serialize_tuple(self.0.len())?;
        for cell in &self.0 {
            members.serialize_element(cell)?;
        }
        members.end()
    }
}

/// 0.4.0's `settings`, member by member.
#[derive(Serialize)]
struct SettingsV1 {
    currency: Option<String>,
    receivable_account: Option<String>,
    discount_account: Option<String>,
    sales_discount_account: Option<String>,
    reward_expense_account: Option<String>,
    write_off_account: Option<String>,
    bank_account: Option<String>,
    price_list: Option<String>,
    price_code: Option<String>,
    payment_terms: Option<String>,
    credit_limit: Option<i64>,
    shared_credit_limit: Option<i64>,
    due_terms: Option<TermsV1>,
    prompt_payment_discount: Option<DiscountV1>,
    statement_count: Option<u32>,
    statement_aging: Option<UnitV1>,
    tax_regime: Option<String>,
    gst_override: Option<String>,
    peppol_eas: Option<String>,
    sales_discount_rules: Option<Vec<RowV1>>,
    payment_discount_rules: Option<Vec<RowV1>>,
    product_gift_rules: Option<Vec<RowV1>>,
    points_rules: Option<Vec<RowV1>>,
}

/// 0.4.0's `customer-group`.
#[derive(Serialize)]
struct GroupV1 {
    code: String,
    name: String,
    parent: Option<String>,
    is_group: bool,
    inactive: bool,
    settings: SettingsV1,
}

/// The bytes format-1 digests hashed: `group` encoded with postcard as
/// 0.4.0's generated `customer-group`, its values taken by form field name.
pub(crate) fn postcard_v1(group: &CustomerGroup) -> Vec<u8> {
    let get = |name: &str| fields::find(name).and_then(|f| f.get(group));
    let text = |name: &str| match get(name) {
        Some(Value::Text(t)) => Some(t),
        _ => None,
    };
    let money = |name: &str| match get(name) {
        Some(Value::Money(m)) => Some(m),
        _ => None,
    };
    let count = |name: &str| match get(name) {
        Some(Value::Count(n)) => Some(n),
        _ => None,
    };
    let unit = |name: &str| match get(name) {
        Some(Value::Unit(u)) => Some(unit_v1(u)),
        _ => None,
    };
    let day = |name: &str| match get(name) {
        Some(Value::Day(d)) => Some(d),
        _ => None,
    };
    let flag = |name: &str| matches!(get(name), Some(Value::Flag(true)));
    let terms = |[c, u, d]: [&str; 3]| {
        Some(TermsV1 {
            count: count(c)?,
            unit: unit(u)?,
            day: day(d),
        })
    };
    let rows = |name: &str| match get(name) {
        Some(Value::Rows(rows)) => Some(
            rows.into_iter()
                .map(|row| {
                    RowV1(
                        row.into_iter()
                            .enumerate()
                            .map(|(i, cell)| match (i, cell) {
                                // `valid-to` is the one optional member.
                                (1, Some(Value::Date(d))) => CellV1::OptionalText(Some(d)),
                                (1, _) => CellV1::OptionalText(None),
                                (_, Some(Value::Text(t) | Value::Date(t))) => CellV1::Text(t),
                                (_, Some(Value::Money(m))) => CellV1::Money(m),
                                (_, Some(Value::Count(n) | Value::Percent(n))) => CellV1::Count(n),
                                (_, _) => CellV1::OptionalText(None),
                            })
                            .collect(),
                    )
                })
                .collect(),
        ),
        _ => None,
    };
    let discount = match (
        get("payment-discount"),
        terms(["discount-count", "discount-unit", "discount-day"]),
    ) {
        (Some(Value::Percent(percent)), Some(within)) => Some(DiscountV1 { percent, within }),
        _ => None,
    };
    let v1 = GroupV1 {
        code: text("code").unwrap_or_default(),
        name: text("name").unwrap_or_default(),
        parent: text("parent"),
        is_group: flag("is-group"),
        inactive: flag("inactive"),
        settings: SettingsV1 {
            currency: text("currency"),
            receivable_account: text("receivable-account"),
            discount_account: text("discount-account"),
            sales_discount_account: text("sales-discount-account"),
            reward_expense_account: text("reward-expense-account"),
            write_off_account: text("write-off-account"),
            bank_account: text("bank-account"),
            price_list: text("price-list"),
            price_code: text("price-code"),
            payment_terms: text("payment-terms"),
            credit_limit: money("credit-limit"),
            shared_credit_limit: money("shared-credit-limit"),
            due_terms: terms(["due-count", "due-unit", "due-day"]),
            prompt_payment_discount: discount,
            statement_count: count("statement-count"),
            statement_aging: unit("statement-aging"),
            tax_regime: text("tax-regime"),
            gst_override: text("gst-override"),
            peppol_eas: text("peppol-eas"),
            sales_discount_rules: rows("sales-discount-rules"),
            payment_discount_rules: rows("payment-discount-rules"),
            product_gift_rules: rows("product-gift-rules"),
            points_rules: rows("points-rules"),
        },
    };
    // Plain data into a vector: encoding cannot fail.
    postcard::to_allocvec(&v1).unwrap_or_default()
}

fn unit_v1(unit: PeriodUnit) -> UnitV1 {
    match unit {
        PeriodUnit::Days => UnitV1::Days,
        PeriodUnit::Weeks => UnitV1::Weeks,
        PeriodUnit::Months => UnitV1::Months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::tests::full;
    use crate::wit::adapt::Adapt;

    /// Groups setting a little, and everything.
    fn groups() -> Vec<CustomerGroup> {
        let mut some = CustomerGroup::new("VIP", "VIP Customers");
        some.settings.price_list = Some("VIP".into());
        some.settings.sales_discount_rules = Some(Vec::new());
        let mut all = CustomerGroup::new("ALL", "Everything");
        all.settings = full();
        vec![CustomerGroup::new("0000", "Default"), some, all]
    }

    /// `settings` as the 0.4.0 bindings hold them (the settings added
    /// since dropped), and as they read back.
    fn as_0_4(settings: &Settings) -> (Old, Settings) {
        let old: Old = settings.clone().adapt();
        (old.clone(), old.adapt())
    }

    type Old = crate::wit::v0_4::bindings::erp::customer_group::types::Settings;

    #[test]
    fn format_1_json_reads_as_it_was_written() {
        // As schema 8 stored settings: serde of the 0.4.0 bindings.
        for group in groups() {
            let (old, then) = as_0_4(&group.settings);
            let old = serde_json::to_string(&old).expect("json");
            assert_eq!(settings_v1(&old, |_| true).expect("reads"), then);
        }
        let (old, ar) = as_0_4(&full());
        let old = serde_json::to_string(&old).expect("json");
        assert!(old.contains("\"Months\""), "{old}");
        assert_eq!(settings_v1(&old, |_| true).expect("reads"), ar);
        assert_eq!(
            settings_v1("{}", |_| true).expect("empty"),
            Settings::inherit_all()
        );
        assert!(settings_v1(r#"{"loyalty":"x"}"#, |_| true).is_err());
    }

    /// The frozen encoding is 0.4.0's generated bindings', byte for byte,
    /// for what 0.4.0 had (the settings added since are not encoded: a
    /// group setting one was never digested by 0.4.0).
    #[test]
    fn the_frozen_postcard_layout_is_0_4_0_s() {
        type OldGroup = crate::wit::v0_4::bindings::erp::customer_group::types::CustomerGroup;
        for mut group in groups() {
            group.settings = as_0_4(&group.settings).1;
            group.parent = Some("LOKAL".into());
            group.settings.statement_aging = Some(PeriodUnit::Weeks);
            group.settings.due_terms = Some(crate::wit::DueTerms {
                count: 3,
                unit: PeriodUnit::Months,
                day: Some(20),
            });
            let old: OldGroup = group.clone().adapt();
            let generated = postcard::to_allocvec(&old).expect("postcard");
            assert_eq!(postcard_v1(&group), generated, "{}", group.code);
        }
    }
}
