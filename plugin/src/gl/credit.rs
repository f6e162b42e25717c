//! The group credit check: the customer's own credit limit, else its group's
//! (per customer), and every group on its path that sets a shared credit
//! limit, over its subtree; what is owed counts unposted transactions or
//! not, as the group says; a group may let invoices past its limits.

use super::context::{Context, Resolved};
use crate::bindings::exports::erp::customer_group::gl::{
    CreditLimitSource, CreditLine, CreditRequest, CreditScope, CreditVerdict, Owed, SettingSource,
};
use crate::facts::Facts;
use crate::form::field;
use crate::i18n::{Locale, msg};

/// Where the resolved setting `name` comes from: the group that sets it,
/// or `None` for the AR settings.
fn source_of<'r>(resolved: &'r Resolved, name: &str) -> Option<&'r str> {
    resolved
        .sources
        .iter()
        .find(|(field, _)| field == name)
        .and_then(|(_, from)| from.as_deref())
}

/// What is owed as the group resolved as `resolved` counts it.
fn exposure(resolved: Option<&Resolved>, owed: Owed) -> (i64, bool) {
    let unposted = resolved
        .and_then(|r| r.values.credit_counts_unposted)
        .unwrap_or(true);
    (if unposted { owed.entered } else { owed.posted }, unposted)
}

/// The group credit check of a customer about to owe `request.amount` more.
pub fn credit_check(facts: &impl Facts, request: &CreditRequest, locale: Locale) -> CreditVerdict {
    check(&mut Context::new(facts, locale), request)
}

/// The credit check of each request, the groups resolved once for all.
pub fn credit_check_many(
    facts: &impl Facts,
    requests: &[CreditRequest],
    locale: Locale,
) -> Vec<CreditVerdict> {
    let mut cx = Context::new(facts, locale);
    requests.iter().map(|r| check(&mut cx, r)).collect()
}

fn check<F: Facts>(cx: &mut Context<'_, F>, request: &CreditRequest) -> CreditVerdict {
    let locale = cx.locale;
    let mut lines = Vec::new();
    let mut reasons = Vec::new();
    let customer = &request.customer;
    let group = cx.group(&request.group);
    // The customer's own limit, else its group's credit limit (per customer).
    let own = request
        .customer_limit
        .map(|l| (l, CreditLimitSource::Customer));
    let inherited = group.and_then(|g| {
        let limit = g.values.credit_limit?;
        let source = source_of(g, field::CREDIT_LIMIT)
            .map_or(CreditLimitSource::ArSettings, |code| {
                CreditLimitSource::Group(code.to_owned())
            });
        Some((limit, source))
    });
    let bypass = group
        .filter(|g| g.values.bypass_credit_check == Some(true))
        .map(|g| {
            source_of(g, field::BYPASS_CREDIT_CHECK).map_or(SettingSource::ArSettings, |code| {
                SettingSource::Group(code.to_owned())
            })
        });
    let (owed, counts_unposted) = exposure(group, request.customer_owed);
    if let Some((limit, source)) = own.or(inherited) {
        let exposure = owed.saturating_add(request.amount);
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
            counts_unposted,
        });
    }
    // Every group on the path that sets a shared limit itself, weighed as
    // that group counts what is owed.
    for (code, owed) in &request.group_owed {
        // A shared limit is the group's own: one it inherits is its
        // ancestor's, weighed on that ancestor's line.
        let Some(group) = cx.group(code) else {
            continue;
        };
        let Some(limit) = group
            .values
            .shared_credit_limit
            .filter(|_| source_of(group, field::SHARED_CREDIT_LIMIT) == Some(code))
        else {
            continue;
        };
        let (owed, counts_unposted) = exposure(Some(group), *owed);
        let exposure = owed.saturating_add(request.base_amount);
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
            counts_unposted,
        });
    }
    CreditVerdict {
        allowed: reasons.is_empty(),
        lines,
        reasons,
        bypass,
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

    /// Owed `entered`, of which 100 is not posted yet.
    fn owed(entered: i64) -> Owed {
        Owed {
            posted: entered - 100,
            entered,
        }
    }

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
            customer_owed: owed(600),
            amount,
            base_amount: amount,
            group_owed: vec![("L001".into(), owed(600)), ("LOKAL".into(), owed(4_800))],
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

    /// An invoice of 300 for a customer of L001 owing 600 (500 posted)
    /// against LOKAL's credit limit of 1,000, LOKAL sharing 5,000 over 4,800
    /// owed (4,700 posted): what the check says as (bypass-credit-check,
    /// credit-counts-unposted) are set on L001, on LOKAL and in the AR
    /// settings.
    #[test]
    fn bypass_and_what_counts_follow_the_tree() {
        type Set = (Option<bool>, Option<bool>);
        const NO: Set = (None, None);
        let ar = SettingSource::ArSettings;
        let lokal = SettingSource::Group("LOKAL".into());
        // (L001, LOKAL, AR settings) -> (allowed, bypass, customer's
        // exposure, LOKAL's exposure)
        /// (allowed, bypass, customer's exposure, LOKAL's exposure)
        type Expected = (bool, Option<SettingSource>, i64, i64);
        let cases: Vec<((Set, Set, Set), Expected)> = vec![
            ((NO, NO, NO), (false, None, 900, 5_100)),
            ((NO, (None, Some(false)), NO), (true, None, 800, 5_000)),
            (
                ((None, Some(true)), (None, Some(false)), NO),
                (true, None, 900, 5_000),
            ),
            ((NO, NO, (None, Some(false))), (true, None, 800, 5_000)),
            (
                (NO, (Some(true), None), NO),
                (false, Some(lokal.clone()), 900, 5_100),
            ),
            (
                ((Some(false), None), (Some(true), None), NO),
                (false, None, 900, 5_100),
            ),
            ((NO, NO, (Some(true), None)), (false, Some(ar), 900, 5_100)),
        ];
        for (i, ((l001, lokal, defaults), expected)) in cases.into_iter().enumerate() {
            let mut facts = facts();
            let set = |s: &mut crate::bindings::erp::customer_group::types::Settings, v: Set| {
                (s.bypass_credit_check, s.credit_counts_unposted) = v;
            };
            if let Some(node) = facts.groups.get_mut("LOKAL") {
                node.settings.credit_limit = Some(1_000);
                node.settings.shared_credit_limit = Some(5_000);
                set(&mut node.settings, lokal);
            }
            if let Some(leaf) = facts.groups.get_mut("L001") {
                set(&mut leaf.settings, l001);
            }
            let mut ar = crate::model::empty();
            set(&mut ar, defaults);
            facts.defaults = Some(ar);
            let request = CreditRequest {
                customer: "C1".into(),
                group: "L001".into(),
                customer_limit: None,
                customer_owed: owed(600),
                amount: 300,
                base_amount: 300,
                group_owed: vec![("L001".into(), owed(600)), ("LOKAL".into(), owed(4_800))],
            };
            let verdict = credit_check(&facts, &request, Locale::En);
            let exposures: Vec<i64> = verdict.lines.iter().map(|l| l.exposure).collect();
            let got = (verdict.allowed, verdict.bypass.clone(), exposures);
            let (allowed, bypass, customer, shared) = expected;
            assert_eq!(got, (allowed, bypass, vec![customer, shared]), "case {i}");
            assert_eq!(verdict.allowed, verdict.reasons.is_empty(), "case {i}");
        }
    }
}
