//! A field's value as a person types it and reads it back: amounts,
//! percentages, counts, units, dates, flags (the command line's options and
//! the console's inputs alike). Only syntax is checked here; whether a value
//! is acceptable is the plugin's call.

use super::{Shape, Value};
use crate::units::{parse_money, parse_percent};
use crate::wit::PeriodUnit;

/// Parses a period unit.
pub fn parse_unit(text: &str) -> Result<PeriodUnit, String> {
    PeriodUnit::parse(text.trim()).ok_or_else(|| "expected days, weeks or months".to_owned())
}

/// A value of `shape` as typed; a rule table ([`Shape::Rows`]) has no one
/// text (its cells are read one by one, by their columns' shapes).
pub fn parse_scalar(shape: Shape, text: &str) -> Result<Value, String> {
    let number = |what: &str| format!("{text:?} is not {what}");
    Ok(match shape {
        Shape::Text => Value::Text(text.to_owned()),
        Shape::Date => Value::Date(text.trim().to_owned()),
        Shape::Flag => Value::Flag(match text.trim() {
            "true" => true,
            "false" => false,
            _ => return Err("expected true or false".into()),
        }),
        Shape::Money => Value::Money(parse_money(text).map_err(|e| e.to_string())?),
        Shape::Percent => Value::Percent(parse_percent(text).map_err(|e| e.to_string())?),
        Shape::Count => Value::Count(text.trim().parse().map_err(|_| number("a whole number"))?),
        Shape::Day => Value::Day(
            text.trim()
                .parse()
                .map_err(|_| number("a day of the month"))?,
        ),
        Shape::Unit => Value::Unit(parse_unit(text)?),
        Shape::Rows(_) => return Err("a rule table is read cell by cell".into()),
    })
}

/// `value` (not rows) as it is typed: what [`parse_scalar`] reads back.
pub fn typed(value: &Value) -> String {
    match value {
        Value::Text(t) | Value::Date(t) => t.clone(),
        Value::Flag(b) => b.to_string(),
        Value::Money(minor) => crate::units::money_text(*minor),
        Value::Percent(bp) => crate::units::percent_text(*bp),
        Value::Count(n) => n.to_string(),
        Value::Day(d) => d.to_string(),
        Value::Unit(u) => u.as_str().to_owned(),
        Value::Rows(_) => String::new(),
    }
}
