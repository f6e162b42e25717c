//! What administrators type, turned into field values by the field's shape
//! (the host's field table, [`crate::fields`]): amounts, percentages,
//! counts, units, dates and rule rows. Only syntax is checked here; whether
//! a value is acceptable is the plugin's call.

use crate::fields::{Column, Row, Rules, Shape, Value};

pub use crate::fields::text::typed;

/// A value of `shape` as typed: a rule row as [`parse_row`] reads it (one
/// row), any other shape as the field table reads it.
pub fn parse_value(shape: Shape, text: &str) -> Result<Value, String> {
    match shape {
        Shape::Rows(rules) => parse_row(rules, text).map(|row| Value::Rows(vec![row])),
        shape => crate::fields::text::parse_scalar(shape, text),
    }
}

/// One slot of a rule row as typed: a column, or a range of two date
/// columns (`valid-from`, then the optional `valid-to`) written `FROM[..TO]`.
enum Slot<'c> {
    One(&'c Column),
    Range(&'c Column, &'c Column),
}

/// The slots of a rule table's row, in column order.
fn slots(rules: Rules) -> Vec<Slot<'static>> {
    let columns = rules.columns();
    let mut slots = Vec::new();
    let mut i = 0;
    while i < columns.len() {
        let here = &columns[i];
        match columns.get(i + 1) {
            Some(next)
                if here.shape == Shape::Date
                    && next.shape == Shape::Date
                    && here.required
                    && !next.required =>
            {
                slots.push(Slot::Range(here, next));
                i += 2;
            }
            _ => {
                slots.push(Slot::One(here));
                i += 1;
            }
        }
    }
    slots
}

/// A column's name as a row's syntax shows it: `MIN-AMOUNT`.
fn upper(name: &str) -> String {
    name.to_ascii_uppercase()
}

/// A date range's ends as the syntax shows them: what follows the part the
/// two names share (`valid-from`, `valid-to`: `FROM[..TO]`).
fn range_names(from: &str, to: &str) -> (String, String) {
    let shared = from
        .char_indices()
        .zip(to.chars())
        .take_while(|((_, a), b)| a == b)
        .filter(|((_, a), _)| *a == '-')
        .map(|((i, _), _)| i + 1)
        .last()
        .unwrap_or(0);
    (upper(&from[shared..]), upper(&to[shared..]))
}

/// The syntax of one row of `rules`: `FROM[..TO]:MIN-AMOUNT:PERCENT`.
pub fn row_syntax(rules: Rules) -> String {
    slots(rules)
        .iter()
        .map(|slot| match slot {
            Slot::One(c) => upper(c.name),
            Slot::Range(from, to) => {
                let (from, to) = range_names(from.name, to.name);
                format!("{from}[..{to}]")
            }
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// An example row of `rules`: `2026-01-01..2026-12-31:1000000:5`.
fn row_example(rules: Rules) -> String {
    slots(rules)
        .iter()
        .map(|slot| match slot {
            Slot::Range(..) => "2026-01-01..2026-12-31".to_owned(),
            Slot::One(c) => match c.shape {
                Shape::Date => "2026-01-01",
                Shape::Money => "1000000",
                Shape::Percent => "5",
                Shape::Count | Shape::Day => "7",
                Shape::Unit => "days",
                _ => "CODE",
            }
            .to_owned(),
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// `FROM[..TO]`: a range as typed.
fn validity(text: &str) -> (String, Option<String>) {
    match text.split_once("..") {
        Some((from, to)) if !to.trim().is_empty() => (from.trim().into(), Some(to.trim().into())),
        Some((from, _)) => (from.trim().into(), None),
        None => (text.trim().into(), None),
    }
}

/// One row of `rules` as typed: its slots separated by `:`, each cell by
/// its column's shape.
pub fn parse_row(rules: Rules, text: &str) -> Result<Row, String> {
    let slots = slots(rules);
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() != slots.len() {
        return Err(format!(
            "{text:?} is not a rule row: expected {}, e.g. {}",
            row_syntax(rules),
            row_example(rules)
        ));
    }
    let mut row = Row::with_capacity(rules.columns().len());
    for (slot, part) in slots.iter().zip(parts) {
        match slot {
            Slot::Range(..) => {
                let (from, to) = validity(part);
                row.push(Some(Value::Date(from)));
                row.push(to.map(Value::Date));
            }
            Slot::One(column) => {
                let cell = match column.shape {
                    Shape::Text => Value::Text(part.trim().to_owned()),
                    shape => parse_value(shape, part)?,
                };
                row.push(Some(cell));
            }
        }
    }
    Ok(row)
}

/// A row of `rules` as it is typed: what [`parse_row`] reads back.
pub fn typed_row(rules: Rules, row: &Row) -> String {
    let mut cells = row.iter();
    slots(rules)
        .iter()
        .map(|slot| {
            let mut next = || cells.next().cloned().flatten();
            match slot {
                Slot::One(_) => next().map(|v| typed(&v)).unwrap_or_default(),
                Slot::Range(..) => {
                    let from = next().map(|v| typed(&v)).unwrap_or_default();
                    match next() {
                        Some(to) => format!("{from}..{}", typed(&to)),
                        None => from,
                    }
                }
            }
        })
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::find;
    use crate::units::{parse_percent, percent_text};
    use crate::wit::{PaymentDiscountRule, SalesDiscountRule, Settings};

    /// A typed row of `table`, as the record holds it.
    fn settings_with(table: &str, text: &str) -> Result<Settings, String> {
        let field = find(table).expect("a rule table");
        let Shape::Rows(rules) = field.shape else {
            panic!("{table} is a rule table");
        };
        let row = parse_row(rules, text)?;
        let mut s = Settings::inherit_all();
        field
            .set_setting(&mut s, Some(Value::Rows(vec![row])))
            .map_err(|e| e.to_string())?;
        Ok(s)
    }

    fn parse_sales_discount_rule(text: &str) -> Result<SalesDiscountRule, String> {
        let s = settings_with("sales-discount-rules", text)?;
        Ok(s.sales_discount_rules.expect("set").remove(0))
    }

    fn parse_payment_discount_rule(text: &str) -> Result<PaymentDiscountRule, String> {
        let s = settings_with("payment-discount-rules", text)?;
        Ok(s.payment_discount_rules.expect("set").remove(0))
    }

    fn parse_points_rule(text: &str) -> Result<(), String> {
        settings_with("points-rules", text).map(drop)
    }

    #[test]
    fn percents_and_rules() {
        assert_eq!(parse_percent("2.5%").expect("2.5%"), 250);
        assert_eq!(parse_percent("100").expect("100"), 10_000);
        assert!(parse_percent("2.555").is_err());
        assert_eq!(percent_text(250), "2.5%");
        let rule = parse_sales_discount_rule("2026-01-01..2026-06-30:1000000:5").expect("rule");
        assert_eq!(rule.valid_to.as_deref(), Some("2026-06-30"));
        assert_eq!((rule.min_amount, rule.percent), (100_000_000, 500));
        let open = parse_payment_discount_rule("2026-01-01:7:3").expect("rule");
        assert_eq!((open.valid_to, open.within_days), (None, 7));
        assert!(parse_points_rule("2026-01-01:1").is_err());
    }

    #[test]
    fn a_row_s_syntax_comes_from_its_columns() {
        assert_eq!(
            row_syntax(Rules::SalesDiscount),
            "FROM[..TO]:MIN-AMOUNT:PERCENT"
        );
        assert_eq!(
            row_syntax(Rules::ProductGift),
            "FROM[..TO]:MIN-AMOUNT:PRODUCT:QUANTITY"
        );
        assert_eq!(
            row_syntax(Rules::Points),
            "FROM[..TO]:MIN-AMOUNT:AMOUNT-PER-POINT"
        );
        let gift = parse_row(Rules::ProductGift, "2026-11-01:1000000: GIFT-MUG :1").expect("row");
        assert_eq!(gift[3], Some(Value::Text("GIFT-MUG".into())));
        let wrong = parse_row(Rules::PaymentDiscount, "2026-01-01:seven:3").expect_err("bad");
        assert!(wrong.contains("not a whole number"), "{wrong}");
    }
}
