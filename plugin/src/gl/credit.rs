//! The group credit check: the customer's own credit limit, else its group's
//! (per customer), and every group on its path that sets a shared credit
//! limit, over its subtree.

use super::context::Context;
use crate::bindings::exports::erp::customer_group::gl::{
    CreditLimitSource, CreditLine, CreditRequest, CreditScope, CreditVerdict,
};
use crate::facts::Facts;
use crate::i18n::{Locale, msg};

/// The group credit check of a customer about to owe `request.amount` more.
pub fn credit_check(facts: &impl Facts, request: &CreditRequest, locale: Locale) -> CreditVerdict {
    let mut cx = Context::new(facts, locale);
    let mut lines = Vec::new();
    let mut reasons = Vec::new();
    let customer = &request.customer;
    // The customer's own limit, else its group's credit limit (per customer).
    let own = request
        .customer_limit
        .map(|l| (l, CreditLimitSource::Customer));
    let inherited = cx.group(&request.group).and_then(|g| {
        let limit = g.values.credit_limit?;
        let source = g
            .sources
            .iter()
            .find(|(name, _)| name == "credit-limit")
            .and_then(|(_, from)| from.clone())
            .map_or(CreditLimitSource::ArSettings, CreditLimitSource::Group);
        Some((limit, source))
    });
    if let Some((limit, source)) = own.or(inherited) {
        let exposure = request.customer_balance.saturating_add(request.amount);
        let available = limit.saturating_sub(exposure);
        if available < 0 {
            let over = -available;
            let source = source_text(&source);
            reasons.push(msg!(
                locale,
                "customer {customer} would owe {exposure}, {over} over its credit limit of {limit} (from {source})",
                "pelanggan {customer} akan berutang {exposure}, {over} melebihi batas kreditnya {limit} (dari {source})",
            ));
        }
        lines.push(CreditLine {
            scope: CreditScope::Customer,
            limit,
            exposure,
            available,
            source,
        });
    }
    // Every group on the path that sets a shared limit itself.
    for (code, balance) in &request.group_balances {
        let Some(group) = facts.group(code) else {
            continue;
        };
        let Some(limit) = group.settings.shared_credit_limit else {
            continue;
        };
        let exposure = balance.saturating_add(request.base_amount);
        let available = limit.saturating_sub(exposure);
        if available < 0 {
            let over = -available;
            reasons.push(msg!(
                locale,
                "group {code} and its subgroups would owe {exposure}, {over} over their shared credit limit of {limit}",
                "kelompok {code} beserta subkelompoknya akan berutang {exposure}, {over} melebihi batas kredit bersama {limit}",
            ));
        }
        lines.push(CreditLine {
            scope: CreditScope::Group(code.clone()),
            limit,
            exposure,
            available,
            source: CreditLimitSource::Group(code.clone()),
        });
    }
    CreditVerdict {
        allowed: reasons.is_empty(),
        lines,
        reasons,
    }
}

/// Where a limit comes from, as messages name it.
fn source_text(source: &CreditLimitSource) -> &str {
    match source {
        CreditLimitSource::Customer => "customer",
        CreditLimitSource::Group(code) => code,
        CreditLimitSource::ArSettings => "ar-settings",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gl::testing::facts;

    #[test]
    fn credit_checks_the_customer_and_every_shared_limit_on_its_path() {
        let mut facts = facts();
        if let Some(node) = facts.groups.get_mut("LOKAL") {
            node.settings.credit_limit = Some(1_000);
            node.settings.shared_credit_limit = Some(5_000);
        }
        let request = |limit: Option<i64>, amount: i64| CreditRequest {
            customer: "C1".into(),
            group: "L001".into(),
            customer_limit: limit,
            customer_balance: 600,
            amount,
            base_amount: amount,
            group_balances: vec![("L001".into(), 600), ("LOKAL".into(), 4_800)],
        };
        let ok = credit_check(&facts, &request(None, 100), Locale::En);
        assert!(ok.allowed, "{:?}", ok.reasons);
        let got: Vec<(CreditScope, i64, i64, CreditLimitSource)> = ok
            .lines
            .iter()
            .map(|l| (l.scope.clone(), l.limit, l.available, l.source.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    CreditScope::Customer,
                    1_000,
                    300,
                    CreditLimitSource::Group("LOKAL".into())
                ),
                (
                    CreditScope::Group("LOKAL".into()),
                    5_000,
                    100,
                    CreditLimitSource::Group("LOKAL".into())
                )
            ]
        );
        let over = credit_check(&facts, &request(Some(2_000), 300), Locale::En);
        assert!(!over.allowed);
        assert_eq!(
            over.lines[0].source,
            CreditLimitSource::Customer,
            "the customer's own limit wins"
        );
        assert_eq!(over.reasons.len(), 1, "{:?}", over.reasons);
        assert!(
            over.reasons[0].contains("group LOKAL"),
            "{:?}",
            over.reasons
        );
    }
}
