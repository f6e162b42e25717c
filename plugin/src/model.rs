//! The inheritable settings, listed once: every part of the plugin that walks
//! the settings (inheritance, provenance, default accounts) goes through this
//! table instead of naming thirty fields again. Which accounts each account
//! setting takes is the account check's ([`crate::accounts::ROLES`]).

use crate::bindings::erp::customer_group::types::Settings;

macro_rules! settings_table {
    ($($field:ident: $name:literal),* $(,)?) => {
        /// Every setting's name, in form order. Provenance and issues use these.
        pub const SETTINGS: &[&str] = &[$($name),*];

        /// Whether `settings` sets the setting `name`.
        pub fn is_set(settings: &Settings, name: &str) -> bool {
            match name {
                $($name => settings.$field.is_some(),)*
                _ => false,
            }
        }

        /// Copies the setting `name` from `from` into `to`.
        pub fn copy(to: &mut Settings, from: &Settings, name: &str) {
            match name {
                $($name => to.$field = from.$field.clone(),)*
                _ => {}
            }
        }

        /// Settings that set nothing: everything inherits.
        pub fn empty() -> Settings {
            Settings { $($field: None),* }
        }
    };
}

settings_table! {
    currency: "currency",
    receivable_account: "receivable-account",
    discount_account: "discount-account",
    sales_discount_account: "sales-discount-account",
    reward_expense_account: "reward-expense-account",
    write_off_account: "write-off-account",
    bank_account: "bank-account",
    price_list: "price-list",
    price_code: "price-code",
    payment_terms: "payment-terms",
    credit_limit: "credit-limit",
    shared_credit_limit: "shared-credit-limit",
    bypass_credit_check: "bypass-credit-check",
    credit_counts_unposted: "credit-counts-unposted",
    due_terms: "due-terms",
    prompt_payment_discount: "prompt-payment-discount",
    statement_count: "statement-count",
    statement_aging: "statement-aging",
    tax_regime: "tax-regime",
    gst_override: "gst-override",
    peppol_eas: "peppol-eas",
    sales_discount_rules: "sales-discount-rules",
    payment_discount_rules: "payment-discount-rules",
    product_gift_rules: "product-gift-rules",
    points_rules: "points-rules",
}

/// The account code setting `name` holds, if it is an account setting.
pub fn account<'s>(settings: &'s Settings, name: &str) -> Option<&'s str> {
    let code = match name {
        "receivable-account" => settings.receivable_account.as_deref(),
        "discount-account" => settings.discount_account.as_deref(),
        "sales-discount-account" => settings.sales_discount_account.as_deref(),
        "reward-expense-account" => settings.reward_expense_account.as_deref(),
        "write-off-account" => settings.write_off_account.as_deref(),
        "bank-account" => settings.bank_account.as_deref(),
        _ => None,
    };
    code.filter(|c| !c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_and_is_set_cover_every_setting() {
        let mut full = empty();
        full.currency = Some("IDR".into());
        let mut to = empty();
        for name in SETTINGS {
            copy(&mut to, &full, name);
        }
        assert!(is_set(&to, "currency"));
        assert!(!is_set(&to, "price-list"));
        assert!(!is_set(&to, "no-such-setting"));
        assert_eq!(SETTINGS.len(), 25);
    }
}
