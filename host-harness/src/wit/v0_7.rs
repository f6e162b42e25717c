//! The frozen 0.7.0 contract (`wit/since_v0.7.0/`): its bindings, and its
//! types adapted to the current ones, so that a plugin built against 0.7.0
//! keeps installing and serving. Older versions adapt to these types in
//! turn ([`super::v0_5`]), one step at a time.
//!
//! What changed since, and how it is adapted:
//! - `form.field` gained `per-company`: a 0.7.0 plugin marks no field, so
//!   nothing it validates differs per company (a host with several
//!   companies keeps no per-company settings of a group under it, and
//!   says which contract they need);
//! - `validation.validate-company-settings` is new: a 0.7.0 plugin lacks
//!   it, and [`super::Plugin`] says so instead of calling it.
//!
//! Everything else is the same but for its version: the `host` interface
//! is answered through the current implementation ([`same_host`]).

use super::adapt::{Adapt, enums, records, same_host, variants};
use super::bindings::erp::customer_group::types;
use super::bindings::exports::erp::customer_group::{form, gl, inheritance, lifecycle, validation};

/// The 0.7.0 bindings, generated from `wit/since_v0.7.0`.
#[allow(missing_docs, unsafe_code)]
pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/since_v0.7.0",
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
pub const VERSION: &str = "0.7.0";

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

/// A 0.7.0 field is the same for every company: its contract knew none.
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
            needs,
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
            needs: needs.adapt(),
            per_company: false,
        }
    }
}

enums!(old_form <=> form: FieldRight { Accounting, CreditControl });

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_frozen_package_line() {
        let wit = include_str!("../../../wit/since_v0.7.0/world.wit");
        assert!(
            wit.lines()
                .any(|l| l == format!("package {}@{VERSION};", super::super::PACKAGE)),
            "wit/since_v0.7.0 is not {VERSION}"
        );
    }

    #[test]
    fn a_0_7_field_is_the_same_for_every_company() {
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
            needs: Some(old_form::FieldRight::Accounting),
        }
        .adapt();
        assert_eq!(
            (field.name.as_str(), field.needs, field.per_company),
            ("credit-limit", Some(form::FieldRight::Accounting), false)
        );
    }
}
