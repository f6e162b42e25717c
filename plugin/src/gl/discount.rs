//! The prompt-payment discount a receipt earns: the best payment-discount
//! tier the payment meets (rules valid on the invoice date), else the group's
//! prompt payment discount.

use super::context::{Context, Problems};
use crate::bindings::exports::erp::customer_group::gl::{
    BatchIssue, DiscountOffer, DiscountRule, SettingSource,
};
use crate::date::Date;
use crate::facts::Facts;
use crate::i18n::{Locale, msg};
use crate::money::{FULL_PERCENT, percent_of};

/// The discount paying `amount` of an invoice dated `invoice_date` on
/// `paid_on` earns for a customer of `group`.
pub fn receipt_discount(
    facts: &impl Facts,
    group: &str,
    invoice_date: &str,
    amount: i64,
    paid_on: &str,
    locale: Locale,
) -> Result<Option<DiscountOffer>, Vec<BatchIssue>> {
    let mut list = Vec::new();
    let mut problems = Problems {
        id: None,
        list: &mut list,
    };
    let mut date = |field: &str, text: &str| {
        let parsed = Date::parse(text);
        if parsed.is_none() {
            problems.push(
                field,
                "gl.bad-date",
                msg!(
                    locale,
                    "{field}: {text:?} is not a date (YYYY-MM-DD)",
                    "{field}: {text:?} bukan tanggal (YYYY-MM-DD)",
                ),
            );
        }
        parsed
    };
    let (invoiced, paid) = (date("invoice-date", invoice_date), date("paid-on", paid_on));
    let mut cx = Context::new(facts, locale);
    if cx.group(group).is_none() {
        problems.push(
            "group",
            "gl.unknown-group",
            msg!(
                locale,
                "group {group} does not exist",
                "kelompok {group} tidak ada",
            ),
        );
    }
    if amount <= 0 {
        problems.push(
            "amount",
            "gl.amount-not-positive",
            msg!(
                locale,
                "the invoice amount must be more than 0",
                "jumlah faktur harus lebih dari 0",
            ),
        );
    }
    let (Some(invoiced), Some(paid), Some(resolved)) = (invoiced, paid, cx.group(group)) else {
        return Err(list);
    };
    if !list.is_empty() {
        return Err(list);
    }
    let source_of = |field: &str| {
        resolved
            .sources
            .iter()
            .find(|(name, _)| name == field)
            .and_then(|(_, from)| from.clone())
            .map_or(SettingSource::ArSettings, SettingSource::Group)
    };
    let late = paid.days() - invoiced.days();
    if late < 0 {
        return Ok(None);
    }
    // Tiered rules valid on the invoice date: the best tier whose window is met.
    let tiers = resolved
        .values
        .payment_discount_rules
        .as_deref()
        .unwrap_or_default();
    let best = tiers
        .iter()
        .enumerate()
        .filter(|(_, rule)| {
            let from = Date::parse(&rule.valid_from);
            let to = rule.valid_to.as_deref().map(Date::parse);
            from.is_some_and(|from| from <= invoiced)
                && to.is_none_or(|to| to.is_some_and(|to| invoiced <= to))
                && late <= i64::from(rule.within_days)
        })
        .max_by(|(_, a), (_, b)| {
            a.percent
                .cmp(&b.percent)
                .then(b.within_days.cmp(&a.within_days))
        });
    if let Some((n, rule)) = best {
        let percent = rule.percent.min(FULL_PERCENT);
        return Ok(Some(DiscountOffer {
            percent,
            amount: percent_of(amount, percent),
            pay_by: Date::from_days(invoiced.days() + i64::from(rule.within_days)).to_string(),
            rule: DiscountRule::PaymentDiscountRule(u32::try_from(n + 1).unwrap_or(u32::MAX)),
            source: source_of("payment-discount-rules"),
        }));
    }
    if let Some(prompt) = &resolved.values.prompt_payment_discount {
        let pay_by = invoiced.after(&prompt.within);
        if paid <= pay_by && prompt.percent > 0 {
            let percent = prompt.percent.min(FULL_PERCENT);
            return Ok(Some(DiscountOffer {
                percent,
                amount: percent_of(amount, percent),
                pay_by: pay_by.to_string(),
                rule: DiscountRule::PromptPaymentDiscount,
                source: source_of("prompt-payment-discount"),
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::erp::customer_group::types::{
        DueTerms, PaymentDiscountRule, PeriodUnit, PromptDiscount,
    };
    use crate::gl::testing::facts;

    #[test]
    fn receipt_discount_takes_the_best_tier_met_else_the_prompt_discount() {
        let mut facts = facts();
        if let Some(node) = facts.groups.get_mut("LOKAL") {
            node.settings.payment_discount_rules = Some(vec![
                PaymentDiscountRule {
                    valid_from: "2026-01-01".into(),
                    valid_to: None,
                    within_days: 7,
                    percent: 300,
                },
                PaymentDiscountRule {
                    valid_from: "2026-01-01".into(),
                    valid_to: None,
                    within_days: 14,
                    percent: 200,
                },
            ]);
        }
        let offer = |paid: &str| {
            receipt_discount(&facts, "L001", "2026-03-01", 1_000_001, paid, Locale::En)
                .expect("offer")
                .map(|o| (o.percent, o.amount, o.pay_by, o.rule, o.source))
        };
        assert_eq!(
            offer("2026-03-05"),
            Some((
                300,
                30_000,
                "2026-03-08".into(),
                DiscountRule::PaymentDiscountRule(1),
                SettingSource::Group("LOKAL".into())
            ))
        );
        assert_eq!(offer("2026-03-15").map(|o| (o.0, o.1)), Some((200, 20_000)));
        assert_eq!(offer("2026-03-16"), None);
        // Rules not yet valid on the invoice date: the prompt discount of the
        // leaf, 2.5% to the 20th of the next month.
        let mut facts = self::facts();
        if let Some(leaf) = facts.groups.get_mut("L001") {
            leaf.settings.prompt_payment_discount = Some(PromptDiscount {
                percent: 250,
                within: DueTerms {
                    count: 1,
                    unit: PeriodUnit::Months,
                    day: Some(20),
                },
            });
        }
        let offer = receipt_discount(
            &facts,
            "L001",
            "2026-01-31",
            1_000,
            "2026-02-20",
            Locale::En,
        )
        .expect("offer")
        .expect("some");
        assert_eq!(
            (offer.amount, offer.pay_by.as_str(), offer.source),
            (25, "2026-02-20", SettingSource::Group("L001".into()))
        );
        assert!(
            receipt_discount(&facts, "NOPE", "2026-02-30", 0, "x", Locale::En)
                .expect_err("bad")
                .len()
                >= 4
        );
    }
}
