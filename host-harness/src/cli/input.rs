//! What administrators type, turned into the contract's values: amounts,
//! percentages, periods and rule rows. Only syntax is checked here; whether a
//! value is acceptable is the plugin's call.

use anyhow::{Context, Result, bail};

#[cfg(test)]
use crate::units::percent_text;
use crate::units::{parse_money, parse_percent};
use clap::Args;

use crate::wit::{
    DueTerms, PaymentDiscountRule, PeriodUnit, PointsRule, ProductGiftRule, PromptDiscount,
    SalesDiscountRule, Settings,
};

/// Parses a period unit.
pub fn parse_unit(text: &str) -> Result<PeriodUnit, String> {
    PeriodUnit::parse(text.trim()).ok_or_else(|| "expected days, weeks or months".to_owned())
}

/// `FROM[..TO]`: the validity of a rule row.
fn validity(text: &str) -> (String, Option<String>) {
    match text.split_once("..") {
        Some((from, to)) if !to.trim().is_empty() => (from.trim().into(), Some(to.trim().into())),
        Some((from, _)) => (from.trim().into(), None),
        None => (text.trim().into(), None),
    }
}

fn fields<'a>(text: &'a str, want: usize, shape: &str) -> Result<Vec<&'a str>> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() != want {
        bail!("{text:?} is not a rule row: expected {shape}");
    }
    Ok(parts)
}

/// `FROM[..TO]:MIN-AMOUNT:PERCENT`.
pub fn parse_sales_discount_rule(text: &str) -> Result<SalesDiscountRule> {
    let p = fields(
        text,
        3,
        "FROM[..TO]:MIN-AMOUNT:PERCENT, e.g. 2026-01-01..2026-12-31:1000000:5",
    )?;
    let (valid_from, valid_to) = validity(p[0]);
    Ok(SalesDiscountRule {
        valid_from,
        valid_to,
        min_amount: parse_money(p[1])?,
        percent: parse_percent(p[2])?,
    })
}

/// `FROM[..TO]:WITHIN-DAYS:PERCENT`.
pub fn parse_payment_discount_rule(text: &str) -> Result<PaymentDiscountRule> {
    let p = fields(
        text,
        3,
        "FROM[..TO]:WITHIN-DAYS:PERCENT, e.g. 2026-01-01:7:3",
    )?;
    let (valid_from, valid_to) = validity(p[0]);
    Ok(PaymentDiscountRule {
        valid_from,
        valid_to,
        within_days: p[1]
            .trim()
            .parse()
            .with_context(|| format!("{:?} is not a number of days", p[1]))?,
        percent: parse_percent(p[2])?,
    })
}

/// `FROM[..TO]:MIN-AMOUNT:PRODUCT:QUANTITY`.
pub fn parse_product_gift_rule(text: &str) -> Result<ProductGiftRule> {
    let p = fields(
        text,
        4,
        "FROM[..TO]:MIN-AMOUNT:PRODUCT:QUANTITY, e.g. 2026-11-01:1000000:GIFT-MUG:1",
    )?;
    let (valid_from, valid_to) = validity(p[0]);
    Ok(ProductGiftRule {
        valid_from,
        valid_to,
        min_amount: parse_money(p[1])?,
        product: p[2].trim().into(),
        quantity: p[3]
            .trim()
            .parse()
            .with_context(|| format!("{:?} is not a quantity", p[3]))?,
    })
}

/// `FROM[..TO]:MIN-AMOUNT:AMOUNT-PER-POINT`.
pub fn parse_points_rule(text: &str) -> Result<PointsRule> {
    let p = fields(
        text,
        3,
        "FROM[..TO]:MIN-AMOUNT:AMOUNT-PER-POINT, e.g. 2026-01-01:100000:10000",
    )?;
    let (valid_from, valid_to) = validity(p[0]);
    Ok(PointsRule {
        valid_from,
        valid_to,
        min_amount: parse_money(p[1])?,
        amount_per_point: parse_money(p[2])?,
    })
}

/// The settings a group (or the AR settings) can carry, as options. An option
/// left out keeps the current value; `--clear NAME` makes a setting inherit.
#[derive(Args, Default)]
pub struct SettingsArgs {
    /// Currency (ISO 4217, e.g. IDR).
    #[arg(long, help_heading = "Settings")]
    pub currency: Option<String>,
    /// Accounts Receivable (GL Debtor).
    #[arg(long, help_heading = "Settings")]
    pub receivable: Option<String>,
    /// GL Discount: settlement discounts on receipts.
    #[arg(long, help_heading = "Settings")]
    pub discount: Option<String>,
    /// Sales Discount account.
    #[arg(long, help_heading = "Settings")]
    pub sales_discount: Option<String>,
    /// Reward Expense account.
    #[arg(long, help_heading = "Settings")]
    pub reward_expense: Option<String>,
    /// Gain/Loss on Receivable Write-off account.
    #[arg(long, help_heading = "Settings")]
    pub write_off: Option<String>,
    /// Default bank account for receipts.
    #[arg(long, help_heading = "Settings")]
    pub bank: Option<String>,
    /// Default price list.
    #[arg(long, help_heading = "Settings")]
    pub price_list: Option<String>,
    /// Price code.
    #[arg(long, help_heading = "Settings")]
    pub price_code: Option<String>,
    /// Default payment terms template.
    #[arg(long, help_heading = "Settings")]
    pub payment_terms: Option<String>,
    /// Credit limit, e.g. 50000000.00.
    #[arg(long, value_parser = parse_money_arg, allow_hyphen_values = true, help_heading = "Settings")]
    pub credit_limit: Option<i64>,
    /// A credit limit shared by the group and its descendants, in the base currency.
    #[arg(long, value_parser = parse_money_arg, allow_hyphen_values = true, help_heading = "Settings")]
    pub shared_credit_limit: Option<i64>,
    /// Due count: units after the invoice date.
    #[arg(long, help_heading = "Settings")]
    pub due_count: Option<u32>,
    /// Due unit: days, weeks or months.
    #[arg(long, value_parser = parse_unit, help_heading = "Settings")]
    pub due_unit: Option<PeriodUnit>,
    /// Due day of the month (months only).
    #[arg(long, help_heading = "Settings")]
    pub due_day: Option<u8>,
    /// Statement count.
    #[arg(long, help_heading = "Settings")]
    pub statement_count: Option<u32>,
    /// Statement aging: days, weeks or months.
    #[arg(long, value_parser = parse_unit, help_heading = "Settings")]
    pub statement_aging: Option<PeriodUnit>,
    /// Tax regime.
    #[arg(long, help_heading = "Settings")]
    pub tax_regime: Option<String>,
    /// GST override tax code.
    #[arg(long, help_heading = "Settings")]
    pub gst_override: Option<String>,
    /// Peppol EAS code, e.g. 0088.
    #[arg(long, help_heading = "Settings")]
    pub peppol_eas: Option<String>,
    /// Prompt payment discount percent, e.g. 2.5.
    #[arg(long, value_parser = parse_percent_arg, help_heading = "Settings")]
    pub payment_discount: Option<u32>,
    /// Prompt payment discount period count.
    #[arg(long, help_heading = "Settings")]
    pub discount_count: Option<u32>,
    /// Prompt payment discount period unit.
    #[arg(long, value_parser = parse_unit, help_heading = "Settings")]
    pub discount_unit: Option<PeriodUnit>,
    /// Prompt payment discount day of the month (months only).
    #[arg(long, help_heading = "Settings")]
    pub discount_day: Option<u8>,
    /// A sales discount rule FROM[..TO]:MIN-AMOUNT:PERCENT; repeat for more.
    /// Replaces the group's sales discount rules.
    #[arg(long, value_parser = rule_arg(parse_sales_discount_rule), help_heading = "Rules")]
    pub sales_discount_rule: Vec<SalesDiscountRule>,
    /// A payment discount rule FROM[..TO]:WITHIN-DAYS:PERCENT; repeat for tiers.
    #[arg(long, value_parser = rule_arg(parse_payment_discount_rule), help_heading = "Rules")]
    pub payment_discount_rule: Vec<PaymentDiscountRule>,
    /// A product gift rule FROM[..TO]:MIN-AMOUNT:PRODUCT:QUANTITY; repeat for more.
    #[arg(long, value_parser = rule_arg(parse_product_gift_rule), help_heading = "Rules")]
    pub gift_rule: Vec<ProductGiftRule>,
    /// A points rule FROM[..TO]:MIN-AMOUNT:AMOUNT-PER-POINT; repeat for more.
    #[arg(long, value_parser = rule_arg(parse_points_rule), help_heading = "Rules")]
    pub points_rule: Vec<PointsRule>,
    /// Make a setting inherit again (or a rule table: `sales-discount-rules`,
    /// ...); `--clear all` clears every setting. Repeatable.
    #[arg(long, value_name = "SETTING", help_heading = "Settings", hide_possible_values = true,
          value_parser = clap::builder::PossibleValuesParser::new(
              std::iter::once("all").chain(SETTING_NAMES.iter().copied())))]
    pub clear: Vec<String>,
    /// Set a rule table to "no rules" instead of inheriting (e.g. `points-rules`).
    #[arg(long, value_name = "RULES", help_heading = "Rules", value_parser = RULE_TABLES)]
    pub no_rules: Vec<String>,
}

/// The rule tables `--no-rules` accepts.
pub const RULE_TABLES: [&str; 4] = [
    "sales-discount-rules",
    "payment-discount-rules",
    "product-gift-rules",
    "points-rules",
];

fn parse_money_arg(text: &str) -> Result<i64, String> {
    parse_money(text).map_err(|e| e.to_string())
}

fn parse_percent_arg(text: &str) -> Result<u32, String> {
    parse_percent(text).map_err(|e| e.to_string())
}

fn rule_arg<T>(parse: fn(&str) -> Result<T>) -> impl Fn(&str) -> Result<T, String> + Clone {
    move |text| parse(text).map_err(|e| e.to_string())
}

/// The setting names `--clear` accepts.
pub const SETTING_NAMES: &[&str] = &[
    "currency",
    "receivable-account",
    "discount-account",
    "sales-discount-account",
    "reward-expense-account",
    "write-off-account",
    "bank-account",
    "price-list",
    "price-code",
    "payment-terms",
    "credit-limit",
    "shared-credit-limit",
    "due-terms",
    "prompt-payment-discount",
    "statement-count",
    "statement-aging",
    "tax-regime",
    "gst-override",
    "peppol-eas",
    "sales-discount-rules",
    "payment-discount-rules",
    "product-gift-rules",
    "points-rules",
];

impl SettingsArgs {
    /// Applies the options to `settings`: given values replace, `--clear`
    /// names are reset to inherit. Text is passed as typed: the plugin
    /// normalises it.
    pub fn apply(self, s: &mut Settings) -> Result<()> {
        for name in &self.clear {
            if name == "all" {
                *s = Settings::inherit_all();
                continue;
            }
            match name.as_str() {
                "currency" => s.currency = None,
                "receivable-account" => s.receivable_account = None,
                "discount-account" => s.discount_account = None,
                "sales-discount-account" => s.sales_discount_account = None,
                "reward-expense-account" => s.reward_expense_account = None,
                "write-off-account" => s.write_off_account = None,
                "bank-account" => s.bank_account = None,
                "price-list" => s.price_list = None,
                "price-code" => s.price_code = None,
                "payment-terms" => s.payment_terms = None,
                "credit-limit" => s.credit_limit = None,
                "shared-credit-limit" => s.shared_credit_limit = None,
                "due-terms" => s.due_terms = None,
                "prompt-payment-discount" => s.prompt_payment_discount = None,
                "statement-count" => s.statement_count = None,
                "statement-aging" => s.statement_aging = None,
                "tax-regime" => s.tax_regime = None,
                "gst-override" => s.gst_override = None,
                "peppol-eas" => s.peppol_eas = None,
                "sales-discount-rules" => s.sales_discount_rules = None,
                "payment-discount-rules" => s.payment_discount_rules = None,
                "product-gift-rules" => s.product_gift_rules = None,
                "points-rules" => s.points_rules = None,
                other => bail!(
                    "--clear {other:?}: no such setting; one of: all, {}",
                    SETTING_NAMES.join(", ")
                ),
            }
        }
        for name in &self.no_rules {
            match name.as_str() {
                "sales-discount-rules" => s.sales_discount_rules = Some(Vec::new()),
                "payment-discount-rules" => s.payment_discount_rules = Some(Vec::new()),
                "product-gift-rules" => s.product_gift_rules = Some(Vec::new()),
                "points-rules" => s.points_rules = Some(Vec::new()),
                other => bail!(
                    "--no-rules {other:?}: one of sales-discount-rules, payment-discount-rules, \
                     product-gift-rules, points-rules"
                ),
            }
        }
        let texts = [
            (self.currency, &mut s.currency),
            (self.receivable, &mut s.receivable_account),
            (self.discount, &mut s.discount_account),
            (self.sales_discount, &mut s.sales_discount_account),
            (self.reward_expense, &mut s.reward_expense_account),
            (self.write_off, &mut s.write_off_account),
            (self.bank, &mut s.bank_account),
            (self.price_list, &mut s.price_list),
            (self.price_code, &mut s.price_code),
            (self.payment_terms, &mut s.payment_terms),
            (self.tax_regime, &mut s.tax_regime),
            (self.gst_override, &mut s.gst_override),
            (self.peppol_eas, &mut s.peppol_eas),
        ];
        for (value, slot) in texts {
            if let Some(value) = value {
                // An empty value clears, like --clear.
                *slot = Some(value).filter(|v| !v.trim().is_empty());
            }
        }
        if self.credit_limit.is_some() {
            s.credit_limit = self.credit_limit;
        }
        if self.shared_credit_limit.is_some() {
            s.shared_credit_limit = self.shared_credit_limit;
        }
        if self.statement_count.is_some() {
            s.statement_count = self.statement_count;
        }
        if self.statement_aging.is_some() {
            s.statement_aging = self.statement_aging;
        }
        if self.due_count.is_some() || self.due_unit.is_some() || self.due_day.is_some() {
            let mut terms = s.due_terms.unwrap_or(DueTerms {
                count: 0,
                unit: PeriodUnit::Days,
                day: None,
            });
            terms.count = self.due_count.unwrap_or(terms.count);
            terms.unit = self.due_unit.unwrap_or(terms.unit);
            terms.day = self.due_day.or(terms.day);
            s.due_terms = Some(terms);
        }
        if self.payment_discount.is_some()
            || self.discount_count.is_some()
            || self.discount_unit.is_some()
            || self.discount_day.is_some()
        {
            let mut discount = s.prompt_payment_discount.unwrap_or(PromptDiscount {
                percent: 0,
                within: DueTerms {
                    count: 0,
                    unit: PeriodUnit::Days,
                    day: None,
                },
            });
            discount.percent = self.payment_discount.unwrap_or(discount.percent);
            discount.within.count = self.discount_count.unwrap_or(discount.within.count);
            discount.within.unit = self.discount_unit.unwrap_or(discount.within.unit);
            discount.within.day = self.discount_day.or(discount.within.day);
            s.prompt_payment_discount = Some(discount);
        }
        if !self.sales_discount_rule.is_empty() {
            s.sales_discount_rules = Some(self.sales_discount_rule);
        }
        if !self.payment_discount_rule.is_empty() {
            s.payment_discount_rules = Some(self.payment_discount_rule);
        }
        if !self.gift_rule.is_empty() {
            s.product_gift_rules = Some(self.gift_rule);
        }
        if !self.points_rule.is_empty() {
            s.points_rules = Some(self.points_rule);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
