//! Checks of the rule tables (sales discount, payment discount, product gift,
//! points) and of the period settings (due terms, prompt payment discount).

use crate::bindings::erp::customer_group::types::{
    DueTerms, PaymentDiscountRule, PeriodUnit, PointsRule, ProductGiftRule, SalesDiscountRule,
};
use crate::date::Date;
use crate::i18n::{Locale, msg};
use crate::issues::Issues;
use crate::money::{FULL_PERCENT, percent_text};

/// The parts every rule row shares.
struct Row<'a> {
    valid_from: &'a str,
    valid_to: Option<&'a str>,
    /// What "the same threshold" means for this table.
    threshold: String,
}

/// Checks one rule table: dates, thresholds, percents and overlaps, with the
/// row-specific checks in `check_row`. Issues name cells as `table[n].column`
/// with `n` counted from 1.
fn check_table<T>(
    table: &str,
    rows: &[T],
    locale: Locale,
    issues: &mut Issues,
    row_of: impl Fn(&T) -> Row<'_>,
    mut check_row: impl FnMut(&T, &str, &mut Issues),
) {
    let mut spans: Vec<(String, Date, Option<Date>, usize)> = Vec::new();
    for (i, item) in rows.iter().enumerate() {
        let n = i + 1;
        let at = |column: &str| format!("{table}[{n}].{column}");
        let row = row_of(item);
        let from = Date::parse(row.valid_from);
        if from.is_none() {
            let text = row.valid_from;
            issues.error(
                &at("valid-from"),
                "rules.bad-date",
                msg!(
                    locale,
                    "row {n}: valid-from {text:?} is not a date (YYYY-MM-DD)",
                    "baris {n}: berlaku-dari {text:?} bukan tanggal (TTTT-BB-HH)",
                ),
            );
        }
        let to = match row.valid_to {
            None => None,
            Some(text) => match Date::parse(text) {
                Some(date) => Some(date),
                None => {
                    issues.error(
                        &at("valid-to"),
                        "rules.bad-date",
                        msg!(
                            locale,
                            "row {n}: valid-to {text:?} is not a date (YYYY-MM-DD)",
                            "baris {n}: berlaku-sampai {text:?} bukan tanggal (TTTT-BB-HH)",
                        ),
                    );
                    None
                }
            },
        };
        let ordered = !matches!((from, to), (Some(from), Some(to)) if to < from);
        if !ordered {
            issues.error(
                &at("valid-to"),
                "rules.ends-before-start",
                msg!(
                    locale,
                    "row {n}: valid-to is before valid-from",
                    "baris {n}: berlaku-sampai sebelum berlaku-dari",
                ),
            );
        }
        check_row(item, &format!("{table}[{n}]"), issues);
        if let Some(from) = from
            && ordered
            && (row.valid_to.is_none() || to.is_some())
        {
            for (threshold, other_from, other_to, m) in &spans {
                let overlaps = *threshold == row.threshold
                    && to.is_none_or(|to| *other_from <= to)
                    && other_to.is_none_or(|other_to| from <= other_to);
                if overlaps {
                    let what = &row.threshold;
                    issues.error(
                        &at("valid-from"),
                        "rules.overlap",
                        msg!(
                            locale,
                            "row {n} overlaps row {m} in time for the same threshold ({what}); end one before the other starts",
                            "baris {n} tumpang tindih waktunya dengan baris {m} untuk ambang yang sama ({what}); akhiri salah satu sebelum yang lain mulai",
                        ),
                    );
                }
            }
            spans.push((row.threshold, from, to, n));
        }
    }
}

/// Checks that column `what` of row `at` is at least 1.
fn positive(value: i64, at: &str, what: &str, locale: Locale, issues: &mut Issues) {
    if value < 1 {
        let cell = format!("{at}.{what}");
        issues.error(
            &cell,
            "rules.not-positive",
            msg!(
                locale,
                "{cell}: {what} must be at least 1, not {value}",
                "{cell}: {what} minimal 1, bukan {value}",
            ),
        );
    }
}

fn percent(bp: u32, cell: &str, locale: Locale, issues: &mut Issues) {
    if bp == 0 || bp > FULL_PERCENT {
        let shown = percent_text(bp);
        issues.error(
            cell,
            "percent.out-of-range",
            msg!(
                locale,
                "{cell}: {shown} is not a percentage above 0% and at most 100%",
                "{cell}: {shown} bukan persentase di atas 0% dan paling banyak 100%",
            ),
        );
    }
}

/// Sales discount rules.
pub fn sales_discount(rows: &[SalesDiscountRule], locale: Locale, issues: &mut Issues) {
    check_table(
        "sales-discount-rules",
        rows,
        locale,
        issues,
        |r| Row {
            valid_from: &r.valid_from,
            valid_to: r.valid_to.as_deref(),
            threshold: r.min_amount.to_string(),
        },
        |r, at, issues| {
            positive(r.min_amount, at, "min-amount", locale, issues);
            percent(r.percent, &format!("{at}.percent"), locale, issues);
        },
    );
}

/// Payment discount rules.
pub fn payment_discount(rows: &[PaymentDiscountRule], locale: Locale, issues: &mut Issues) {
    check_table(
        "payment-discount-rules",
        rows,
        locale,
        issues,
        |r| Row {
            valid_from: &r.valid_from,
            valid_to: r.valid_to.as_deref(),
            threshold: format!("{} days", r.within_days),
        },
        |r, at, issues| {
            positive(i64::from(r.within_days), at, "within-days", locale, issues);
            percent(r.percent, &format!("{at}.percent"), locale, issues);
        },
    );
}

/// Product gift rules; `product_exists` asks the host.
pub fn product_gift(
    rows: &[ProductGiftRule],
    locale: Locale,
    issues: &mut Issues,
    product_exists: impl Fn(&str) -> bool,
) {
    check_table(
        "product-gift-rules",
        rows,
        locale,
        issues,
        |r| Row {
            valid_from: &r.valid_from,
            valid_to: r.valid_to.as_deref(),
            threshold: format!("{} {}", r.min_amount, r.product),
        },
        |r, at, issues| {
            positive(r.min_amount, at, "min-amount", locale, issues);
            positive(i64::from(r.quantity), at, "quantity", locale, issues);
            let product = &r.product;
            if !product_exists(product) {
                issues.error(
                    &format!("{at}.product"),
                    "reference.unknown",
                    msg!(
                        locale,
                        "{at}: product {product:?} does not exist",
                        "{at}: produk {product:?} tidak ada",
                    ),
                );
            }
        },
    );
}

/// Points rules.
pub fn points(rows: &[PointsRule], locale: Locale, issues: &mut Issues) {
    check_table(
        "points-rules",
        rows,
        locale,
        issues,
        |r| Row {
            valid_from: &r.valid_from,
            valid_to: r.valid_to.as_deref(),
            threshold: r.min_amount.to_string(),
        },
        |r, at, issues| {
            positive(r.min_amount, at, "min-amount", locale, issues);
            positive(r.amount_per_point, at, "amount-per-point", locale, issues);
        },
    );
}

/// Checks a period: a count within reason, and a day of the month only for
/// months. `count_field` and `day_field` name the form fields.
pub fn period(
    terms: &DueTerms,
    count_field: &str,
    day_field: &str,
    min_count: u32,
    locale: Locale,
    issues: &mut Issues,
) {
    let count = terms.count;
    let max = match terms.unit {
        PeriodUnit::Days => 999,
        PeriodUnit::Weeks => 104,
        PeriodUnit::Months => 36,
    };
    if count < min_count || count > max {
        issues.error(
            count_field,
            "period.count-out-of-range",
            msg!(
                locale,
                "{count_field}: {count} is out of range; use {min_count} to {max}",
                "{count_field}: {count} di luar rentang; gunakan {min_count} sampai {max}",
            ),
        );
    }
    match (terms.unit, terms.day) {
        (PeriodUnit::Months, Some(day)) if !(1..=31).contains(&day) => issues.error(
            day_field,
            "period.day-out-of-range",
            msg!(
                locale,
                "{day_field}: {day} is not a day of the month (1 to 31)",
                "{day_field}: {day} bukan tanggal dalam bulan (1 sampai 31)",
            ),
        ),
        (PeriodUnit::Days | PeriodUnit::Weeks, Some(_)) => issues.error(
            day_field,
            "period.day-without-months",
            msg!(
                locale,
                "{day_field} applies only when the unit is months",
                "{day_field} hanya berlaku bila satuannya bulan",
            ),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(from: &str, to: Option<&str>, min: i64, bp: u32) -> SalesDiscountRule {
        SalesDiscountRule {
            valid_from: from.into(),
            valid_to: to.map(Into::into),
            min_amount: min,
            percent: bp,
        }
    }

    fn rules_of(rows: &[SalesDiscountRule]) -> Vec<String> {
        let mut issues = Issues::default();
        sales_discount(rows, Locale::En, &mut issues);
        issues
            .list
            .iter()
            .map(|i| format!("{} {}", i.field, i.rule))
            .collect()
    }

    #[test]
    fn overlapping_validity_for_the_same_threshold_is_refused() {
        let ok = [
            rule("2025-01-01", Some("2025-06-30"), 100_000, 500),
            rule("2025-07-01", None, 100_000, 700),
            rule("2025-03-01", None, 500_000, 1000),
        ];
        assert!(rules_of(&ok).is_empty(), "{:?}", rules_of(&ok));
        let overlapping = [
            rule("2025-01-01", None, 100_000, 500),
            rule("2026-01-01", Some("2026-12-31"), 100_000, 700),
        ];
        assert_eq!(
            rules_of(&overlapping),
            ["sales-discount-rules[2].valid-from rules.overlap"]
        );
    }

    #[test]
    fn bad_rows_name_their_cells() {
        let bad = [
            rule("2025-02-30", None, 0, 0),
            rule("2025-05-01", Some("2025-04-01"), 10, 10_001),
        ];
        assert_eq!(
            rules_of(&bad),
            [
                "sales-discount-rules[1].valid-from rules.bad-date",
                "sales-discount-rules[1].min-amount rules.not-positive",
                "sales-discount-rules[1].percent percent.out-of-range",
                "sales-discount-rules[2].valid-to rules.ends-before-start",
                "sales-discount-rules[2].percent percent.out-of-range",
            ]
        );
    }
}
