//! Normalisation: a group and its settings in the form they are checked,
//! stored and compared in (codes trimmed and upper-cased in A-Z only, texts
//! trimmed, blanks as no value). It judges nothing; the rules come after.

use crate::bindings::erp::customer_group::types::{CustomerGroup, Settings};

/// Trims and upper-cases (A-Z only) a code: the form in which codes are stored
/// and compared. Other letters stay as they are, for the code rules to refuse:
/// `vıp` must not pass as `VIP`.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// Trims text; blank is no value.
fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Trims and upper-cases a code setting; blank is no value.
fn code(value: Option<String>) -> Option<String> {
    text(value).map(|v| v.to_ascii_uppercase())
}

/// A group in the form it is checked and stored in: codes trimmed and
/// upper-cased, texts trimmed, blanks as no value.
pub fn normalize(group: CustomerGroup) -> CustomerGroup {
    CustomerGroup {
        code: normalize_code(&group.code),
        name: group.name.trim().to_owned(),
        parent: code(group.parent),
        is_group: group.is_group,
        inactive: group.inactive,
        settings: normalize_settings(group.settings),
    }
}

/// Settings in the form they are checked and stored in.
pub fn normalize_settings(s: Settings) -> Settings {
    let trim_dates = |from: String, to: Option<String>| (from.trim().to_owned(), text(to));
    Settings {
        currency: code(s.currency),
        receivable_account: text(s.receivable_account),
        discount_account: text(s.discount_account),
        sales_discount_account: text(s.sales_discount_account),
        reward_expense_account: text(s.reward_expense_account),
        write_off_account: text(s.write_off_account),
        bank_account: text(s.bank_account),
        price_list: text(s.price_list),
        price_code: text(s.price_code),
        payment_terms: text(s.payment_terms),
        credit_limit: s.credit_limit,
        shared_credit_limit: s.shared_credit_limit,
        due_terms: s.due_terms,
        prompt_payment_discount: s.prompt_payment_discount,
        statement_count: s.statement_count,
        statement_aging: s.statement_aging,
        tax_regime: text(s.tax_regime),
        gst_override: text(s.gst_override),
        peppol_eas: code(s.peppol_eas),
        sales_discount_rules: s.sales_discount_rules.map(|rows| {
            rows.into_iter()
                .map(|mut r| {
                    (r.valid_from, r.valid_to) = trim_dates(r.valid_from, r.valid_to);
                    r
                })
                .collect()
        }),
        payment_discount_rules: s.payment_discount_rules.map(|rows| {
            rows.into_iter()
                .map(|mut r| {
                    (r.valid_from, r.valid_to) = trim_dates(r.valid_from, r.valid_to);
                    r
                })
                .collect()
        }),
        product_gift_rules: s.product_gift_rules.map(|rows| {
            rows.into_iter()
                .map(|mut r| {
                    (r.valid_from, r.valid_to) = trim_dates(r.valid_from, r.valid_to);
                    r.product = r.product.trim().to_owned();
                    r
                })
                .collect()
        }),
        points_rules: s.points_rules.map(|rows| {
            rows.into_iter()
                .map(|mut r| {
                    (r.valid_from, r.valid_to) = trim_dates(r.valid_from, r.valid_to);
                    r
                })
                .collect()
        }),
    }
}
