//! The frozen 0.5.0 contract (`wit/since_v0.5.0/`): its bindings, and its
//! types adapted to 0.6.0's ([`super::v0_6`]) and through them to the
//! current ones, so that a plugin built against 0.5.0 keeps installing and
//! serving. Older versions adapt to these types in turn
//! ([`super::v0_4`]), one step at a time.
//!
//! What changed in 0.6.0, and how each is adapted:
//! - `types.settings` gained `bypass-credit-check` and
//!   `credit-counts-unposted`: a 0.5.0 plugin neither sees nor returns them
//!   (they are `none` in what it returns: its rules know nothing of them);
//! - `gl.credit-request` carries what is owed two ways (`owed`): a 0.5.0
//!   plugin gets the `entered` counts, what its contract meant by a
//!   balance;
//! - `gl.credit-line.counts-unposted` and `gl.credit-verdict.bypass` are
//!   new: a 0.5.0 plugin's lines count unposted transactions (they were
//!   given nothing else) and its verdicts never bypass.
//!
//! The `host` interface is the same but for its version: it is answered
//! through the current implementation ([`same_host`]).

use super::adapt::{Adapt, enums, records, same_host, through, variants};
use super::bindings::erp::customer_group::types as now_types;
use super::bindings::exports::erp::customer_group::{
    form as now_form, gl as now_gl, inheritance as now_inheritance, lifecycle as now_lifecycle,
    validation as now_validation,
};
// The next version, 0.6.0, that 0.5.0 adapts to (and through it to today's).
use super::v0_6::bindings::erp::customer_group::types;
use super::v0_6::bindings::exports::erp::customer_group::{
    form, gl, inheritance, lifecycle, validation,
};

/// The 0.5.0 bindings, generated from `wit/since_v0.5.0`.
#[allow(missing_docs, unsafe_code)]
pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/since_v0.5.0",
        world: "plugin",
        additional_derives: [PartialEq],
        imports: { default: trappable },
    });
}

use bindings::erp::customer_group::{host as old_host, types as old_types};
use bindings::exports::erp::customer_group::{
    form as old_form, gl as old_gl, inheritance as old_inheritance, lifecycle as old_lifecycle,
    validation as old_validation,
};

/// The version, as its frozen package line says (checked by `build.rs`
/// against the folder's name, and by a test against the package line).
pub const VERSION: &str = "0.5.0";

pub(crate) use old_gl::{ArTransactions, Ledger};

enums!(old_types <=> types:
    AccountKind { Receivable, Bank, OtherAsset, Liability, Equity, Income, Expense }
    ReferenceKind { Currency, PriceList, PriceCode, PaymentTerms, TaxRegime, TaxCode, Product }
    PeriodUnit { Days, Weeks, Months }
);

records!(old_types <=> types:
    Span { start, len }
    Account { code, name, kind, active }
    DueTerms { count, unit, day }
    PromptDiscount { percent, within }
    SalesDiscountRule { valid_from, valid_to, min_amount, percent }
    PaymentDiscountRule { valid_from, valid_to, within_days, percent }
    ProductGiftRule { valid_from, valid_to, min_amount, product, quantity }
    PointsRule { valid_from, valid_to, min_amount, amount_per_point }
    CustomerGroup { code, name, parent, is_group, inactive, settings }
    GroupUsage { customers, active_customers, transactions }
    Customer {
        code, name, group, currency, active, payment_terms, due_terms,
        prompt_payment_discount, statement_aging, price_code,
    }
);

/// The settings of 0.5.0 and today's, but for the two credit settings
/// 0.5.0 lacks. Both ways list every field, so that a field added to
/// either side does not compile until it is adapted here.
macro_rules! settings {
    ($($field:ident),* $(,)?) => {
        impl Adapt<types::Settings> for old_types::Settings {
            fn adapt(self) -> types::Settings {
                let old_types::Settings { $($field),* } = self;
                types::Settings {
                    $($field: $field.adapt(),)*
                    bypass_credit_check: None,
                    credit_counts_unposted: None,
                }
            }
        }
        impl Adapt<old_types::Settings> for types::Settings {
            fn adapt(self) -> old_types::Settings {
                let types::Settings {
                    $($field,)*
                    bypass_credit_check: _,
                    credit_counts_unposted: _,
                } = self;
                old_types::Settings { $($field: $field.adapt()),* }
            }
        }
    };
}

settings!(
    currency,
    receivable_account,
    discount_account,
    sales_discount_account,
    reward_expense_account,
    write_off_account,
    bank_account,
    price_list,
    price_code,
    payment_terms,
    credit_limit,
    shared_credit_limit,
    due_terms,
    prompt_payment_discount,
    statement_count,
    statement_aging,
    tax_regime,
    gst_override,
    peppol_eas,
    sales_discount_rules,
    payment_discount_rules,
    product_gift_rules,
    points_rules,
);

enums!(old_form <=> form:
    FieldKind {
        Code, Text, Boolean, Reference, Timestamp, User, Money, Percent, Integer, Date, Choice,
        Table,
    }
    MatchMode { AnyPart, Start, Exact }
);

records!(old_form => form:
    MenuEntry { path, route }
    Choice { value, label }
    Column { name, label, kind, required, options, lookup }
    Field {
        name, label, help, kind, section, required, inheritable, read_only, immutable,
        max_length, lookup, quick_create, options, columns,
    }
    Section { name, label }
    ListColumn { field, label, default_visible }
    MatchModeOption { mode, label }
    SearchKey { field, label }
    Action { name, label, help }
    FormDefinition {
        id, locale, title, description, menu, list_columns, search_keys, match_modes, sections,
        fields, actions,
    }
);

enums!(old_validation <=> validation: Severity { Error, Warning });
records!(old_validation <=> validation:
    Update { code, proposed }
    Issue { field, severity, rule, message }
    Verdict { normalized, issues }
);

variants!(old_validation <=> validation: Change { Create(group), Update(update), Delete(code) });
variants!(old_inheritance => inheritance:
    Source { Own, Inherited(code), ArDefault, Unset }
);

records!(old_inheritance => inheritance:
    Provenance { field, source }
    EffectiveSettings { code, ancestors, values, sources }
);

records!(old_lifecycle => lifecycle: CustomerUpdate { before, after, changed });

enums!(old_gl <=> gl:
    TransactionKind { Invoice, CreditNote, Journal, Receipt, WriteOff, SalesDiscount, Reward }
    LineRole {
        Receivable, Sales, Tax, Bank, SettlementDiscount, Journal, WriteOff, SalesDiscount,
        Reward, RewardSource, Rounding,
    }
);

records!(gl <=> old_gl:
    Ledger { base_currency, rounding_account }
    ArTransaction {
        id, kind, date, customer, group, currency, rate_nanos, amount, tax, discount, account,
        tax_account, reference,
    }
    ArTransactions { texts, references, entries }
    GlLine { account, role, amount, base_amount }
    Posting { transaction, description, lines }
    Postings { accounts, descriptions, postings, lines }
    BatchIssue { transaction, field, rule, message }
    DiscountOffer { percent, amount, pay_by, rule, source }
);

variants!(gl <=> old_gl:
    SettingSource { Group(code), ArSettings }
    DiscountRule { PaymentDiscountRule(row), PromptPaymentDiscount }
    CreditScope { Customer, Group(code) }
    CreditLimitSource { Customer, Group(code), ArSettings }
);

/// A 0.5.0 plugin weighs what was entered: what its contract's balances
/// were.
impl Adapt<old_gl::CreditRequest> for gl::CreditRequest {
    fn adapt(self) -> old_gl::CreditRequest {
        let gl::CreditRequest {
            customer,
            group,
            customer_limit,
            customer_owed,
            amount,
            base_amount,
            group_owed,
        } = self;
        old_gl::CreditRequest {
            customer,
            group,
            customer_limit,
            customer_balance: customer_owed.entered,
            amount,
            base_amount,
            group_balances: group_owed
                .into_iter()
                .map(|(code, owed)| (code, owed.entered))
                .collect(),
        }
    }
}

/// A 0.5.0 plugin's lines count unposted transactions (it was given
/// nothing else to count).
impl Adapt<gl::CreditLine> for old_gl::CreditLine {
    fn adapt(self) -> gl::CreditLine {
        let old_gl::CreditLine {
            scope,
            limit,
            exposure,
            available,
            source,
        } = self;
        gl::CreditLine {
            scope: scope.adapt(),
            limit,
            exposure,
            available,
            source: source.adapt(),
            counts_unposted: true,
        }
    }
}

/// A 0.5.0 plugin's verdicts never bypass: it knows no such setting.
impl Adapt<gl::CreditVerdict> for old_gl::CreditVerdict {
    fn adapt(self) -> gl::CreditVerdict {
        let old_gl::CreditVerdict {
            allowed,
            lines,
            reasons,
        } = self;
        gl::CreditVerdict {
            allowed,
            lines: lines.adapt(),
            reasons,
            bypass: None,
        }
    }
}

same_host!(old_host, old_types);

through!(now_types => types => old_types: Account, CustomerGroup, GroupUsage, Customer, Settings, Span);
through!(old_types => types => now_types: ReferenceKind, Settings, CustomerGroup, Span);
through!(now_validation => validation => old_validation: Change);
through!(old_validation => validation => now_validation: Verdict, Issue);
through!(old_form => form => now_form: FormDefinition);
through!(old_inheritance => inheritance => now_inheritance: EffectiveSettings);
through!(old_lifecycle => lifecycle => now_lifecycle: CustomerUpdate);
through!(now_gl => gl => old_gl: Ledger, ArTransactions, CreditRequest);
through!(old_gl => gl => now_gl: Postings, BatchIssue, CreditVerdict, DiscountOffer);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_frozen_package_line() {
        let wit = include_str!("../../../wit/since_v0.5.0/world.wit");
        assert!(
            wit.lines()
                .any(|l| l == format!("package {}@{VERSION};", super::super::PACKAGE)),
            "wit/since_v0.5.0 is not {VERSION}"
        );
    }

    #[test]
    fn what_0_5_lacks_is_adapted_as_it_meant() {
        let owed = |posted, entered| gl::Owed { posted, entered };
        let request: old_gl::CreditRequest = gl::CreditRequest {
            customer: "C1".into(),
            group: "L001".into(),
            customer_limit: Some(1_000),
            customer_owed: owed(500, 600),
            amount: 300,
            base_amount: 300,
            group_owed: vec![
                ("L001".into(), owed(500, 600)),
                ("LOKAL".into(), owed(7, 9)),
            ],
        }
        .adapt();
        assert_eq!(
            (request.customer_balance, request.group_balances),
            (600, vec![("L001".into(), 600), ("LOKAL".into(), 9)])
        );
        let verdict: gl::CreditVerdict = old_gl::CreditVerdict {
            allowed: false,
            lines: vec![old_gl::CreditLine {
                scope: old_gl::CreditScope::Customer,
                limit: 1_000,
                exposure: 1_100,
                available: -100,
                source: old_gl::CreditLimitSource::ArSettings,
            }],
            reasons: vec!["over".into()],
        }
        .adapt();
        assert_eq!(verdict.bypass, None);
        assert!(verdict.lines[0].counts_unposted);
        let mut settings = now_types::Settings::inherit_all();
        settings.credit_limit = Some(5);
        settings.bypass_credit_check = Some(true);
        let old: old_types::Settings = settings.adapt();
        let back: now_types::Settings = old.adapt();
        assert_eq!(
            (back.credit_limit, back.bypass_credit_check),
            (Some(5), None)
        );
    }
}
