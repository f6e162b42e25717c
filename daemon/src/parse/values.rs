//! One TOML value read as the kind a field holds (text, flag, whole
//! number, exact decimal, money, percentage, period unit, date), or a
//! problem at the value. Money and percentages are read from the source
//! text, never through `f64`.

use host_harness::messages::{self as m, Locale, Localize};
use std::borrow::Cow;

use host_harness::fields::{self, Shape};
use host_harness::units;
use host_harness::wit::PeriodUnit;
use toml::Spanned;
use toml::de::DeValue;

use crate::parse::problems::Problems;

/// A value with its span in the file.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// A string.
pub fn string(p: &mut Problems<'_>, value: &Value<'_>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        other => {
            p.push(
                value.span(),
                m::file_expected_string(p.locale(), &kind(p.locale(), other)),
                None,
            );
            None
        }
    }
}

/// `true` or `false`.
pub fn boolean(p: &mut Problems<'_>, value: &Value<'_>) -> Option<bool> {
    match value.get_ref() {
        DeValue::Boolean(b) => Some(*b),
        other => {
            p.push(
                value.span(),
                m::file_expected_bool(p.locale(), &kind(p.locale(), other)),
                None,
            );
            None
        }
    }
}

/// A whole number (decimal), in the range of `T`.
pub fn integer<T: TryFrom<i64>>(p: &mut Problems<'_>, value: &Value<'_>) -> Option<T> {
    let parsed = match value.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', "").parse::<i64>().ok(),
        other => {
            p.push(
                value.span(),
                m::file_expected_integer(p.locale(), &kind(p.locale(), other)),
                None,
            );
            return None;
        }
    };
    match parsed.and_then(|n| T::try_from(n).ok()) {
        Some(n) => Some(n),
        None => {
            let message = m::file_out_of_range(p.locale());
            p.push(value.span(), message, None);
            None
        }
    }
}

/// An exact decimal: a string, an integer, or a TOML float read from its
/// source text (never through `f64`).
fn decimal<'v>(p: &mut Problems<'_>, value: &'v Value<'_>) -> Option<Cow<'v, str>> {
    match value.get_ref() {
        DeValue::String(s) => Some(Cow::Borrowed(s.as_ref())),
        DeValue::Integer(i) if i.radix() == 10 => Some(Cow::Borrowed(i.as_str())),
        DeValue::Float(f) => Some(Cow::Borrowed(f.as_str())),
        other => {
            p.push(
                value.span(),
                m::file_expected_number(p.locale(), &kind(p.locale(), other)),
                None,
            );
            None
        }
    }
}

/// An amount of money, in minor units.
pub fn money(p: &mut Problems<'_>, value: &Value<'_>) -> Option<i64> {
    let text = decimal(p, value)?.into_owned();
    match units::parse_money(&text) {
        Ok(minor) => Some(minor),
        Err(e) => {
            let message = e.localize(p.locale());
            p.push(value.span(), message, None);
            None
        }
    }
}

/// A percentage, in basis points.
pub fn percent(p: &mut Problems<'_>, value: &Value<'_>) -> Option<u32> {
    let text = decimal(p, value)?.into_owned();
    match units::parse_percent(&text) {
        Ok(bp) => Some(bp),
        Err(e) => {
            let message = e.localize(p.locale());
            p.push(value.span(), message, None);
            None
        }
    }
}

/// A period unit: `days`, `weeks` or `months`.
pub fn unit(p: &mut Problems<'_>, value: &Value<'_>) -> Option<PeriodUnit> {
    let text = string(p, value)?;
    let unit = PeriodUnit::parse(text.trim());
    if unit.is_none() {
        let l = p.locale();
        p.push(
            value.span(),
            m::file_not_a_unit(l, &text),
            Some(m::file_units_help(l)),
        );
    }
    unit
}

/// A date: a TOML local date, or a string (the plugin checks it).
pub fn date(p: &mut Problems<'_>, value: &Value<'_>) -> Option<String> {
    match value.get_ref() {
        DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => Some(d.to_string()),
        DeValue::String(s) => Some(s.to_string()),
        other => {
            p.push(
                value.span(),
                m::file_expected_date(p.locale(), &kind(p.locale(), other)),
                None,
            );
            None
        }
    }
}

/// A value read as a field of `shape` holds it (a rule table's rows are
/// [`crate::parse::rows`]'s); `None` after a problem.
pub fn of_shape(p: &mut Problems<'_>, shape: Shape, value: &Value<'_>) -> Option<fields::Value> {
    Some(match shape {
        Shape::Text => fields::Value::Text(string(p, value)?),
        Shape::Flag => fields::Value::Flag(boolean(p, value)?),
        Shape::Money => fields::Value::Money(money(p, value)?),
        Shape::Percent => fields::Value::Percent(percent(p, value)?),
        Shape::Count => fields::Value::Count(integer(p, value)?),
        Shape::Day => fields::Value::Day(integer(p, value)?),
        Shape::Unit => fields::Value::Unit(unit(p, value)?),
        Shape::Date => fields::Value::Date(date(p, value)?),
        Shape::Rows(_) => {
            let message = m::file_table_in_cell(p.locale());
            p.push(value.span(), message, None);
            return None;
        }
    })
}

/// What a value is, as a problem names it.
pub fn kind(l: Locale, value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(_) => m::file_found_string(l),
        DeValue::Integer(_) => m::file_found_integer(l),
        DeValue::Float(_) => m::file_found_float(l),
        DeValue::Boolean(_) => m::file_found_boolean(l),
        DeValue::Datetime(_) => m::file_found_datetime(l),
        DeValue::Array(_) => m::file_found_array(l),
        DeValue::Table(_) => m::file_found_table(l),
    }
}
