//! The toolbar's operations (seed 004): Default GL Accounts, Apply Default
//! Terms, Reassign, and the check of a customer against its group.

use crate::bindings::erp::customer_group::types::{Customer, CustomerGroup};
use crate::bindings::exports::erp::customer_group::lifecycle::CustomerUpdate;
use crate::bindings::exports::erp::customer_group::validation::Issue;
use crate::facts::{Facts, Tree};
use crate::form::field;
use crate::i18n::{Locale, msg};
use crate::issues::Issues;
use crate::normalize::normalize_code;
use crate::{accounts, inherit, model};

fn not_found(code: &str, locale: Locale, issues: &mut Issues) {
    issues.error(
        field::RECORD,
        "record.not-found",
        msg!(
            locale,
            "there is no customer group with code {code:?}",
            "tidak ada kelompok pelanggan dengan kode {code:?}",
        ),
    );
}

/// "Default GL Accounts": the group with each account set to the AR settings
/// default; a blank default leaves the group's account as it is.
pub fn default_gl_accounts(
    facts: &impl Facts,
    code: &str,
    locale: Locale,
) -> Result<CustomerGroup, Vec<Issue>> {
    let code = normalize_code(code);
    let Some(mut group) = facts.group(&code) else {
        let mut issues = Issues::default();
        not_found(&code, locale, &mut issues);
        return Err(issues.into_list());
    };
    let defaults = facts.settings();
    for role in accounts::settings() {
        if model::account(&defaults, role.field).is_some() {
            model::copy(&mut group.settings, &defaults, role.field);
        }
    }
    Ok(group)
}

/// "Apply Default Terms": each customer whose payment terms, due terms,
/// discount terms, statement aging or price code differ from what the group
/// resolves to, before and after. A setting the group leaves unresolved is
/// not applied: a customer's terms are never blanked.
pub fn plan_default_terms(
    facts: &impl Facts,
    code: &str,
    locale: Locale,
) -> Result<Vec<CustomerUpdate>, Vec<Issue>> {
    let code = normalize_code(code);
    let Some(effective) = inherit::effective(facts, &code) else {
        let mut issues = Issues::default();
        not_found(&code, locale, &mut issues);
        return Err(issues.into_list());
    };
    let terms = effective.values;
    let mut plan = Vec::new();
    for before in facts.customers(&code) {
        let mut after = before.clone();
        let mut changed = Vec::new();
        macro_rules! apply {
            ($($field:ident => $name:literal),*) => {$(
                if let Some(value) = &terms.$field
                    && after.$field.as_ref() != Some(value)
                {
                    after.$field = Some(value.clone());
                    changed.push($name.to_owned());
                }
            )*};
        }
        apply!(
            payment_terms => "payment-terms",
            due_terms => "due-terms",
            prompt_payment_discount => "prompt-payment-discount",
            statement_aging => "statement-aging",
            price_code => "price-code"
        );
        if !changed.is_empty() {
            plan.push(CustomerUpdate {
                before,
                after,
                changed,
            });
        }
    }
    Ok(plan)
}

/// "Reassign": whether every customer of `from` may move to `to`.
pub fn check_reassign(facts: &impl Facts, from: &str, to: &str, locale: Locale) -> Vec<Issue> {
    let (from, to) = (normalize_code(from), normalize_code(to));
    let mut issues = Issues::default();
    if facts.group(&from).is_none() {
        not_found(&from, locale, &mut issues);
    }
    if from == to {
        issues.error(
            "to",
            "reassign.same-group",
            msg!(
                locale,
                "customers are already in group {to}; choose another group",
                "pelanggan sudah berada di kelompok {to}; pilih kelompok lain",
            ),
        );
    }
    let Some(target) = check_target(facts, &to, "to", true, locale, &mut issues) else {
        return issues.into_list();
    };
    let customers = facts.customers(&from);
    if customers.is_empty() && !issues.has_errors() {
        issues.warning(
            "from",
            "reassign.nothing-to-move",
            msg!(
                locale,
                "group {from} has no customers to move",
                "kelompok {from} tidak memiliki pelanggan untuk dipindahkan",
            ),
        );
    }
    if let Some(currency) = target_currency(facts, &target) {
        let other = customers.iter().filter(|c| c.currency != currency).count();
        if other > 0 {
            issues.error(
                "to",
                "customer.currency-differs",
                msg!(
                    locale,
                    "{other} customer(s) of {from} trade in another currency than {to}'s {currency}; customers must have their group's currency",
                    "{other} pelanggan {from} memakai mata uang selain {currency} milik {to}; pelanggan harus memakai mata uang kelompoknya",
                ),
            );
        }
    }
    issues.into_list()
}

/// Whether a customer may be saved in its group: the group exists, is a
/// leaf, takes new customers (when `is_new`: a new customer, or one moving
/// in), and has the customer's currency.
pub fn check_customer(
    facts: &impl Facts,
    customer: &Customer,
    is_new: bool,
    locale: Locale,
) -> Vec<Issue> {
    let mut issues = Issues::default();
    if customer.code.trim().is_empty() {
        issues.error(
            "code",
            "customer.code-required",
            msg!(
                locale,
                "a customer needs a code",
                "pelanggan memerlukan kode"
            ),
        );
    }
    if customer.name.trim().is_empty() {
        issues.error(
            "name",
            "customer.name-required",
            msg!(
                locale,
                "a customer needs a name",
                "pelanggan memerlukan nama"
            ),
        );
    }
    let code = normalize_code(&customer.group);
    let Some(group) = check_target(facts, &code, "group", is_new, locale, &mut issues) else {
        return issues.into_list();
    };
    if let Some(currency) = target_currency(facts, &group)
        && customer.currency != currency
    {
        let (name, theirs) = (&customer.code, &customer.currency);
        issues.error(
            "currency",
            "customer.currency-differs",
            msg!(
                locale,
                "customer {name} trades in {theirs}, but group {code} is in {currency}; customers must have their group's currency",
                "pelanggan {name} memakai {theirs}, tetapi kelompok {code} memakai {currency}; pelanggan harus memakai mata uang kelompoknya",
            ),
        );
    }
    issues.into_list()
}

/// Checks that `code` is a group customers can go to; the group if it exists.
fn check_target(
    facts: &impl Facts,
    code: &str,
    field: &str,
    arriving: bool,
    locale: Locale,
    issues: &mut Issues,
) -> Option<CustomerGroup> {
    let Some(group) = facts.group(code) else {
        not_found(code, locale, issues);
        return None;
    };
    if group.is_group {
        issues.error(
            field,
            "customer.group-node",
            msg!(
                locale,
                "group {code} is a group node; customers go in its leaf groups",
                "kelompok {code} adalah node kelompok; pelanggan masuk ke kelompok daunnya",
            ),
        );
    }
    if arriving && group.inactive {
        issues.error(
            field,
            "customer.inactive-group",
            msg!(
                locale,
                "group {code} is inactive and takes no new customers",
                "kelompok {code} tidak aktif dan tidak menerima pelanggan baru",
            ),
        );
    } else if arriving
        && let Some(closed) = Tree::new(facts)
            .ancestors(&group.code, group.parent.as_deref())
            .unwrap_or_default()
            .into_iter()
            .find(|a| a.inactive)
    {
        // Inactive applies to the whole subtree.
        let closed = &closed.code;
        issues.error(
            field,
            "customer.inactive-group",
            msg!(
                locale,
                "group {code} is under inactive group {closed} and takes no new customers",
                "kelompok {code} berada di bawah kelompok tidak aktif {closed} dan tidak menerima pelanggan baru",
            ),
        );
    }
    Some(group)
}

/// The currency a group resolves to.
fn target_currency(facts: &impl Facts, group: &CustomerGroup) -> Option<String> {
    let ancestors = Tree::new(facts)
        .ancestors(&group.code, group.parent.as_deref())
        .unwrap_or_default();
    inherit::resolve(&group.settings, &ancestors, &facts.settings())
        .0
        .currency
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::erp::customer_group::types::{DueTerms, PeriodUnit};
    use crate::facts::testing::{customer, facts, group};

    fn rules(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.rule.as_str()).collect()
    }

    #[test]
    fn default_gl_accounts_never_blank_an_account() {
        let mut facts = facts();
        let mut defaults = model::empty();
        defaults.receivable_account = Some("1110".into());
        facts.defaults = Some(defaults);
        facts
            .groups
            .insert("VIP".into(), group("VIP", "VIP", Some("1100")));
        let g = default_gl_accounts(&facts, "vip", Locale::En).expect("exists");
        assert_eq!(g.settings.receivable_account.as_deref(), Some("1110"));
        assert_eq!(
            g.settings.reward_expense_account.as_deref(),
            Some("6100"),
            "blank default kept"
        );
        let err = default_gl_accounts(&facts, "NOPE", Locale::En).expect_err("missing");
        assert_eq!(rules(&err), ["record.not-found"]);
    }

    #[test]
    fn default_terms_plan_lists_only_what_changes() {
        let mut facts = facts();
        let mut vip = group("VIP", "VIP", Some("1100"));
        let net30 = DueTerms {
            count: 30,
            unit: PeriodUnit::Days,
            day: None,
        };
        vip.settings.due_terms = Some(net30);
        vip.settings.price_code = Some("RETAIL".into());
        facts.groups.insert("VIP".into(), vip);
        let mut same = customer("SAME", "VIP", "IDR");
        same.due_terms = Some(net30);
        same.price_code = Some("RETAIL".into());
        let mut other = customer("OTHER", "VIP", "IDR");
        other.payment_terms = Some("COD".into());
        facts.customers = vec![same, other];
        let plan = plan_default_terms(&facts, "VIP", Locale::En).expect("exists");
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].before.code, "OTHER");
        assert_eq!(plan[0].changed, ["due-terms", "price-code"]);
        assert_eq!(
            plan[0].after.payment_terms.as_deref(),
            Some("COD"),
            "never blanked"
        );
    }

    #[test]
    fn an_inactive_ancestor_closes_its_subtree_to_new_customers() {
        // Moved from validate's inactive_rules_apply_through_the_tree.
        let mut facts = facts();
        let mut node = group("NODE", "Node", Some("1100"));
        node.is_group = true;
        let mut kid = group("KID", "Kid", Some("1100"));
        kid.parent = Some("NODE".into());
        facts.groups.insert("KID".into(), kid);
        facts.customers.push(customer("C1", "KID", "IDR"));
        let mut closed = node;
        closed.inactive = true;
        facts.groups.insert("NODE".into(), closed);
        let newcomer = customer("C2", "KID", "IDR");
        let issues = check_customer(&facts, &newcomer, true, Locale::En);
        assert!(
            issues
                .iter()
                .any(|i| i.rule == "customer.inactive-group" && i.message.contains("NODE")),
            "{issues:?}"
        );
        assert!(check_customer(&facts, &newcomer, false, Locale::En).is_empty());
    }

    #[test]
    fn reassign_and_customer_checks() {
        let mut facts = facts();
        let mut usd = group("USD1", "Dollar", Some("1100"));
        usd.settings.currency = Some("USD".into());
        let mut closed = group("OLD", "Old", Some("1100"));
        closed.inactive = true;
        let mut node = group("NODE", "Node", Some("1100"));
        node.is_group = true;
        for g in [usd, closed, node, group("L001", "Lokal 1", Some("1100"))] {
            facts.groups.insert(g.code.clone(), g);
        }
        facts.customers.push(customer("C1", "L001", "IDR"));
        assert_eq!(
            rules(&check_reassign(&facts, "L001", "USD1", Locale::En)),
            ["customer.currency-differs"]
        );
        assert_eq!(
            rules(&check_reassign(&facts, "L001", "OLD", Locale::En)),
            ["customer.inactive-group"]
        );
        assert_eq!(
            rules(&check_reassign(&facts, "L001", "NODE", Locale::En)),
            ["customer.group-node"]
        );
        assert_eq!(
            rules(&check_reassign(&facts, "L001", "l001", Locale::En)),
            ["reassign.same-group"]
        );
        assert_eq!(
            rules(&check_reassign(&facts, "OLD", "L001", Locale::En)),
            ["reassign.nothing-to-move"]
        );
        assert!(check_reassign(&facts, "L001", "0000", Locale::En).is_empty());
        let staying = customer("C9", "OLD", "IDR");
        assert!(check_customer(&facts, &staying, false, Locale::En).is_empty());
        assert_eq!(
            rules(&check_customer(&facts, &staying, true, Locale::En)),
            ["customer.inactive-group"]
        );
    }
}
