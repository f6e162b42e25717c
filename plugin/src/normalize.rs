//! Normalisation: a group and its settings in the form they are checked,
//! stored and compared in (codes trimmed and upper-cased in A-Z only, texts
//! trimmed, blanks as no value). It judges nothing; the rules come after.

use crate::bindings::erp::customer_group::types::{CustomerGroup, Settings, Span};

/// Trims and upper-cases (A-Z only) a code: the form in which codes are stored
/// and compared. Other letters stay as they are, for the code rules to refuse:
/// `vıp` must not pass as `VIP`.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// [`normalize_code`] of each code of `text` that `codes` spans, packed the
/// same way: the normalised codes one after another, and their spans. A span
/// outside `text` (or not on character boundaries) is an empty code.
pub fn normalize_codes(text: &str, codes: &[Span]) -> (String, Vec<Span>) {
    let mut out = String::with_capacity(text.len());
    let spans = codes
        .iter()
        .map(|span| {
            let code = usize::try_from(span.start)
                .ok()
                .zip(usize::try_from(span.len).ok())
                .and_then(|(start, len)| text.get(start..start.checked_add(len)?))
                .unwrap_or_default();
            let start = out.len();
            out.push_str(&normalize_code(code));
            let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            Span {
                start: at(start),
                len: at(out.len() - start),
            }
        })
        .collect();
    (out, spans)
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
        bypass_credit_check: s.bypass_credit_check,
        credit_counts_unposted: s.credit_counts_unposted,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_normalise_one_by_one_and_packed_alike() {
        let codes = [" vip ", "l001", "v\u{131}p", "\u{a0}x\u{a0}", ""];
        let mut text = String::new();
        let mut spans = Vec::new();
        for code in codes {
            let start = text.len() as u32;
            text.push_str(code);
            spans.push(Span {
                start,
                len: text.len() as u32 - start,
            });
        }
        spans.push(Span { start: 2, len: 99 });
        let (out, got) = normalize_codes(&text, &spans);
        let each: Vec<&str> = got
            .iter()
            .map(|s| &out[s.start as usize..(s.start + s.len) as usize])
            .collect();
        let one_by_one: Vec<String> = codes.iter().map(|c| normalize_code(c)).collect();
        assert_eq!(each[..codes.len()], one_by_one);
        assert_eq!(each[..3], ["VIP", "L001", "V\u{131}P"]);
        assert_eq!(each[codes.len()], "", "a span outside the text");
    }
}
