//! The frozen 0.6.0 contract (`wit/since_v0.6.0/`): its bindings, and its
//! types adapted to 0.7.0's ([`super::v0_7`]) and through them to the
//! current ones, so that a plugin built against 0.6.0 keeps installing and
//! serving. Older versions adapt to these types in turn ([`super::v0_5`]),
//! one step at a time.
//!
//! What changed in 0.7.0, and how it is adapted: `form.field` gained
//! `needs`, the right a user must hold to change the field. A 0.6.0 plugin
//! marks no field, so its fields need no right: every user who may edit a
//! group may change every field, as under 0.6.0.
//!
//! Everything else is the same but for its version: the `host` interface
//! is answered through the current implementation ([`same_host`]).

use super::adapt::{Adapt, enums, records, same_host, through, variants};
use super::bindings::erp::customer_group::types as now_types;
use super::bindings::exports::erp::customer_group::{
    form as now_form, gl as now_gl, inheritance as now_inheritance, lifecycle as now_lifecycle,
    validation as now_validation,
};
// The next version, 0.7.0, that 0.6.0 adapts to (and through it to today's).
use super::v0_7::bindings::erp::customer_group::types;
use super::v0_7::bindings::exports::erp::customer_group::{
    form, gl, inheritance, lifecycle, validation,
};

/// The 0.6.0 bindings, generated from `wit/since_v0.6.0`.
#[allow(missing_docs, unsafe_code)]
pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/since_v0.6.0",
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
pub const VERSION: &str = "0.6.0";

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
    Settings {
        currency, receivable_account, discount_account, sales_discount_account,
        reward_expense_account, write_off_account, bank_account, price_list, price_code,
        payment_terms, credit_limit, shared_credit_limit, bypass_credit_check,
        credit_counts_unposted, due_terms, prompt_payment_discount, statement_count,
        statement_aging, tax_regime, gst_override, peppol_eas, sales_discount_rules,
        payment_discount_rules, product_gift_rules, points_rules,
    }
    CustomerGroup { code, name, parent, is_group, inactive, settings }
    GroupUsage { customers, active_customers, transactions }
    Customer {
        code, name, group, currency, active, payment_terms, due_terms,
        prompt_payment_discount, statement_aging, price_code,
    }
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

/// A 0.6.0 field needs no right: its contract knew none.
impl Adapt<form::Field> for old_form::Field {
    fn adapt(self) -> form::Field {
        let old_form::Field {
            name,
            label,
            help,
            kind,
            section,
            required,
            inheritable,
            read_only,
            immutable,
            max_length,
            lookup,
            quick_create,
            options,
            columns,
        } = self;
        form::Field {
            name,
            label,
            help,
            kind: kind.adapt(),
            section,
            required,
            inheritable,
            read_only,
            immutable,
            max_length,
            lookup,
            quick_create,
            options: options.adapt(),
            columns: columns.adapt(),
            needs: None,
        }
    }
}

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
    Owed { posted, entered }
    CreditRequest {
        customer, group, customer_limit, customer_owed, amount, base_amount, group_owed,
    }
    CreditLine { scope, limit, exposure, available, source, counts_unposted }
    CreditVerdict { allowed, lines, reasons, bypass }
);

variants!(gl <=> old_gl:
    SettingSource { Group(code), ArSettings }
    DiscountRule { PaymentDiscountRule(row), PromptPaymentDiscount }
    CreditScope { Customer, Group(code) }
    CreditLimitSource { Customer, Group(code), ArSettings }
);

same_host!(old_host, old_types);

through!(now_types => types => old_types:
    Account, AccountKind, CustomerGroup, GroupUsage, Customer, Settings, Span, ReferenceKind,
    PeriodUnit, DueTerms, PromptDiscount, SalesDiscountRule, PaymentDiscountRule, ProductGiftRule,
    PointsRule);
through!(old_types => types => now_types:
    Account, AccountKind, CustomerGroup, GroupUsage, Customer, Settings, Span, ReferenceKind,
    PeriodUnit, DueTerms, PromptDiscount, SalesDiscountRule, PaymentDiscountRule, ProductGiftRule,
    PointsRule);
through!(now_validation => validation => old_validation: Change, Update, Issue, Severity, Verdict);
through!(old_validation => validation => now_validation: Change, Update, Issue, Severity, Verdict);
through!(old_form => form => now_form:
    FormDefinition, Field, FieldKind, MatchMode, MenuEntry, Choice, Column, Section, ListColumn,
    MatchModeOption, SearchKey, Action);
through!(old_inheritance => inheritance => now_inheritance: EffectiveSettings, Provenance, Source);
through!(old_lifecycle => lifecycle => now_lifecycle: CustomerUpdate);
through!(now_gl => gl => old_gl:
    Ledger, ArTransactions, ArTransaction, TransactionKind, CreditRequest, Owed, Postings,
    BatchIssue, CreditVerdict, DiscountOffer, GlLine, Posting, LineRole, CreditLine, CreditScope,
    CreditLimitSource, SettingSource, DiscountRule);
through!(old_gl => gl => now_gl:
    Ledger, ArTransactions, ArTransaction, TransactionKind, CreditRequest, Owed, Postings,
    BatchIssue, CreditVerdict, DiscountOffer, GlLine, Posting, LineRole, CreditLine, CreditScope,
    CreditLimitSource, SettingSource, DiscountRule);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_frozen_package_line() {
        let wit = include_str!("../../../wit/since_v0.6.0/world.wit");
        assert!(
            wit.lines()
                .any(|l| l == format!("package {}@{VERSION};", super::super::PACKAGE)),
            "wit/since_v0.6.0 is not {VERSION}"
        );
    }

    #[test]
    fn a_0_6_field_needs_no_right() {
        let field: form::Field = old_form::Field {
            name: "credit-limit".into(),
            label: "Credit Limit".into(),
            help: String::new(),
            kind: old_form::FieldKind::Money,
            section: "pricing-terms".into(),
            required: false,
            inheritable: true,
            read_only: false,
            immutable: false,
            max_length: None,
            lookup: None,
            quick_create: None,
            options: Vec::new(),
            columns: Vec::new(),
        }
        .adapt();
        assert_eq!(
            (field.name.as_str(), field.kind, field.needs),
            ("credit-limit", form::FieldKind::Money, None)
        );
    }
}
