//! What a front end shows of a stored group beside the form's own fields:
//! a cell of the group list, and the audit fields the host fills in. Shared
//! by the CLI and the console, so that both show the same text.

pub mod history;

use crate::fields::{self, SettingValue, Value};
use crate::messages::{self as m, Locale};
use crate::store::{GroupColumn, GroupRecord};
use crate::units::{money_text, percent_text};
use crate::wit::{Customer, DueTerms, FormDefinition, Settings, Source};

/// One cell of the group list.
pub fn cell(record: &GroupRecord, column: GroupColumn, l: Locale) -> String {
    let g = &record.group;
    let yes = |b: bool| if b { m::yes(l) } else { String::new() };
    match column {
        GroupColumn::Code => g.code.clone(),
        GroupColumn::Name => g.name.clone(),
        GroupColumn::Parent => g.parent.clone().unwrap_or_default(),
        GroupColumn::IsGroup => yes(g.is_group),
        GroupColumn::Currency => g.settings.currency.clone().unwrap_or_default(),
        GroupColumn::ReceivableAccount => g.settings.receivable_account.clone().unwrap_or_default(),
        GroupColumn::PriceList => g.settings.price_list.clone().unwrap_or_default(),
        GroupColumn::CreditLimit => g.settings.credit_limit.map(money_text).unwrap_or_default(),
        GroupColumn::Inactive => yes(g.inactive),
        GroupColumn::UpdatedAt => record.updated_at.clone(),
    }
    .replace(['\n', '\r', '\t'], " ")
}

/// The audit fields the host fills in, by the form's field names, with
/// their values in `record`: who created the group and when, who saved it
/// last and when.
pub fn audit(record: &GroupRecord) -> [(&'static str, String); 4] {
    [
        ("created-by", record.created_by.clone()),
        ("created-at", record.created_at.clone()),
        ("updated-by", record.updated_by.clone()),
        ("updated-at", record.updated_at.clone()),
    ]
}

/// A member customer's value in column `column` of the form's read-only
/// Customers table; `None` for a column this host does not know.
pub fn member_cell(customer: &Customer, column: &str, l: Locale) -> Option<String> {
    Some(match column {
        "code" => customer.code.clone(),
        "name" => customer.name.clone(),
        "currency" => customer.currency.clone(),
        "active" => {
            if customer.active {
                m::yes(l)
            } else {
                m::no(l)
            }
        }
        _ => return None,
    })
}

/// A field's value as text in `l`.
pub fn value_text(value: &Value, l: Locale) -> String {
    match value {
        Value::Text(t) | Value::Date(t) => t.clone(),
        Value::Flag(b) => {
            if *b {
                m::yes(l)
            } else {
                m::no(l)
            }
        }
        Value::Money(minor) => money_text(*minor),
        Value::Percent(bp) => percent_text(*bp),
        Value::Count(n) => n.to_string(),
        Value::Day(d) => d.to_string(),
        Value::Unit(u) => u.as_str().to_owned(),
        Value::Rows(rows) => match rows.len() {
            0 => m::no_rules(l),
            1 => m::one_rule(l),
            n => m::rules(l, n),
        },
    }
}

/// Where an effective setting comes from, as the CLI and the console say
/// it ("inherited from LOKAL"); `None` when the group sets it itself.
pub fn source_text(source: &Source, l: Locale) -> Option<String> {
    match source {
        Source::Own => None,
        Source::Inherited(code) => Some(m::inherited_from(l, code)),
        Source::ArDefault => Some(m::ar_settings_default(l)),
        Source::Unset => Some(m::not_set(l)),
    }
}

/// The value setting `name` (a setting of the field table: `due-terms`,
/// `currency`) has in `s`, as text in `l`; `None` when unset.
pub fn setting_text(s: &Settings, name: &str, l: Locale) -> Option<String> {
    let period = |t: &DueTerms| match t.day {
        Some(day) => m::period_with_day(l, t.count, t.unit.as_str(), day),
        None => format!("{} {}", t.count, t.unit.as_str()),
    };
    Some(match fields::setting_value(s, name)? {
        SettingValue::Single(value) => value_text(&value, l),
        SettingValue::Period(terms) => period(&terms),
        SettingValue::Discount { percent, within } => {
            m::discount_within(l, &percent_text(percent), &period(&within))
        }
    })
}

/// The value a customer's term `name` (a setting it shares with its
/// group: `payment-terms`, `due-terms`, `price-code`) has, as text in `l`;
/// `None` when unset.
pub fn customer_setting_text(c: &Customer, name: &str, l: Locale) -> Option<String> {
    let mut s = Settings::inherit_all();
    s.payment_terms = c.payment_terms.clone();
    s.due_terms = c.due_terms;
    s.prompt_payment_discount = c.prompt_payment_discount;
    s.statement_aging = c.statement_aging;
    s.price_code = c.price_code.clone();
    setting_text(&s, name, l)
}

/// The caption of list column `field` in `form` (its field name when the
/// form has no such column).
pub fn column_caption(form: &FormDefinition, field: &str) -> String {
    form.list_columns
        .iter()
        .find(|c| c.field == field)
        .map_or_else(|| field.to_owned(), |c| c.label.clone())
}

/// A page of the group list as text: the headings (the running number's
/// first, then `columns`') and each row's cells, the first row numbered
/// `first_row + 1`. What the CLI and the console print.
pub fn list_table(
    form: &FormDefinition,
    groups: &[GroupRecord],
    first_row: u64,
    columns: &[GroupColumn],
    l: Locale,
) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = std::iter::once(column_caption(form, ROW_NUMBER))
        .chain(columns.iter().map(|c| column_caption(form, c.field())))
        .collect();
    let rows = groups
        .iter()
        .enumerate()
        .map(|(i, record)| {
            std::iter::once(format!("{}.", first_row + i as u64 + 1))
                .chain(columns.iter().map(|c| cell(record, *c, l)))
                .collect()
        })
        .collect();
    (headers, rows)
}

/// The list column that is the running number, not a field of the group.
pub const ROW_NUMBER: &str = "row-number";

/// Writes `headers` and `rows` as CSV (RFC 4180, CRLF line ends), each
/// cell quoted where it must be, and a cell a spreadsheet would take for
/// a formula (`=`, `+`, `-`, `@` first) defused with a leading `'`.
pub fn write_csv(
    headers: &[String],
    rows: &[Vec<String>],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for row in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        write!(out, "{}\r\n", cells.join(","))?;
    }
    Ok(())
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(['=', '+', '-', '@']) {
        // Quote, and defuse spreadsheet formulas.
        let text = if text.starts_with(['=', '+', '-', '@']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
