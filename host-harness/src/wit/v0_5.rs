//! The frozen 0.5.0 contract (`wit/since_v0.5.0/`): its bindings, and its
//! types adapted to the current ones, so that a plugin built against 0.5.0
//! keeps installing and serving. Older versions adapt to these types in
//! turn ([`super::v0_4`]), one step at a time.
//!
//! What changed since, and how each is adapted:
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
//! The `host` interface is the same but for its version: [`Older`] answers
//! a 0.5.0 plugin's imports through the current `host` implementation.

use super::adapt::{Adapt, Older, enums, records};
use super::bindings::erp::customer_group::{host as current_host, types};
use super::bindings::exports::erp::customer_group::{form, gl, inheritance, lifecycle, validation};

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

impl Adapt<old_validation::Change> for validation::Change {
    fn adapt(self) -> old_validation::Change {
        match self {
            validation::Change::Create(group) => old_validation::Change::Create(group.adapt()),
            validation::Change::Update(update) => old_validation::Change::Update(update.adapt()),
            validation::Change::Delete(code) => old_validation::Change::Delete(code),
        }
    }
}

impl Adapt<validation::Change> for old_validation::Change {
    fn adapt(self) -> validation::Change {
        match self {
            old_validation::Change::Create(group) => validation::Change::Create(group.adapt()),
            old_validation::Change::Update(update) => validation::Change::Update(update.adapt()),
            old_validation::Change::Delete(code) => validation::Change::Delete(code),
        }
    }
}

impl Adapt<inheritance::Source> for old_inheritance::Source {
    fn adapt(self) -> inheritance::Source {
        match self {
            old_inheritance::Source::Own => inheritance::Source::Own,
            old_inheritance::Source::Inherited(code) => inheritance::Source::Inherited(code),
            old_inheritance::Source::ArDefault => inheritance::Source::ArDefault,
            old_inheritance::Source::Unset => inheritance::Source::Unset,
        }
    }
}

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

impl Adapt<gl::SettingSource> for old_gl::SettingSource {
    fn adapt(self) -> gl::SettingSource {
        match self {
            old_gl::SettingSource::Group(code) => gl::SettingSource::Group(code),
            old_gl::SettingSource::ArSettings => gl::SettingSource::ArSettings,
        }
    }
}

impl Adapt<old_gl::SettingSource> for gl::SettingSource {
    fn adapt(self) -> old_gl::SettingSource {
        match self {
            gl::SettingSource::Group(code) => old_gl::SettingSource::Group(code),
            gl::SettingSource::ArSettings => old_gl::SettingSource::ArSettings,
        }
    }
}

impl Adapt<gl::DiscountRule> for old_gl::DiscountRule {
    fn adapt(self) -> gl::DiscountRule {
        match self {
            old_gl::DiscountRule::PaymentDiscountRule(row) => {
                gl::DiscountRule::PaymentDiscountRule(row)
            }
            old_gl::DiscountRule::PromptPaymentDiscount => gl::DiscountRule::PromptPaymentDiscount,
        }
    }
}

impl Adapt<old_gl::DiscountRule> for gl::DiscountRule {
    fn adapt(self) -> old_gl::DiscountRule {
        match self {
            gl::DiscountRule::PaymentDiscountRule(row) => {
                old_gl::DiscountRule::PaymentDiscountRule(row)
            }
            gl::DiscountRule::PromptPaymentDiscount => old_gl::DiscountRule::PromptPaymentDiscount,
        }
    }
}

impl Adapt<gl::CreditScope> for old_gl::CreditScope {
    fn adapt(self) -> gl::CreditScope {
        match self {
            old_gl::CreditScope::Customer => gl::CreditScope::Customer,
            old_gl::CreditScope::Group(code) => gl::CreditScope::Group(code),
        }
    }
}

impl Adapt<old_gl::CreditScope> for gl::CreditScope {
    fn adapt(self) -> old_gl::CreditScope {
        match self {
            gl::CreditScope::Customer => old_gl::CreditScope::Customer,
            gl::CreditScope::Group(code) => old_gl::CreditScope::Group(code),
        }
    }
}

impl Adapt<gl::CreditLimitSource> for old_gl::CreditLimitSource {
    fn adapt(self) -> gl::CreditLimitSource {
        match self {
            old_gl::CreditLimitSource::Customer => gl::CreditLimitSource::Customer,
            old_gl::CreditLimitSource::Group(code) => gl::CreditLimitSource::Group(code),
            old_gl::CreditLimitSource::ArSettings => gl::CreditLimitSource::ArSettings,
        }
    }
}

impl Adapt<old_gl::CreditLimitSource> for gl::CreditLimitSource {
    fn adapt(self) -> old_gl::CreditLimitSource {
        match self {
            gl::CreditLimitSource::Customer => old_gl::CreditLimitSource::Customer,
            gl::CreditLimitSource::Group(code) => old_gl::CreditLimitSource::Group(code),
            gl::CreditLimitSource::ArSettings => old_gl::CreditLimitSource::ArSettings,
        }
    }
}

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

impl<T> old_types::Host for Older<'_, T> {}

impl<T: current_host::Host> old_host::Host for Older<'_, T> {
    fn find_account(&mut self, code: String) -> wasmtime::Result<Option<old_types::Account>> {
        current_host::Host::find_account(self.0, code).map(Adapt::adapt)
    }
    fn find_group(&mut self, code: String) -> wasmtime::Result<Option<old_types::CustomerGroup>> {
        current_host::Host::find_group(self.0, code).map(Adapt::adapt)
    }
    fn find_group_named(
        &mut self,
        name: String,
        except_code: String,
    ) -> wasmtime::Result<Option<String>> {
        current_host::Host::find_group_named(self.0, name, except_code)
    }
    fn find_groups(
        &mut self,
        codes: Vec<String>,
    ) -> wasmtime::Result<Vec<Option<old_types::CustomerGroup>>> {
        current_host::Host::find_groups(self.0, codes).map(Adapt::adapt)
    }
    fn find_groups_named(
        &mut self,
        questions: Vec<(String, String)>,
    ) -> wasmtime::Result<Vec<Option<String>>> {
        current_host::Host::find_groups_named(self.0, questions)
    }
    fn reference_exists(
        &mut self,
        kind: old_types::ReferenceKind,
        code: String,
    ) -> wasmtime::Result<bool> {
        current_host::Host::reference_exists(self.0, kind.adapt(), code)
    }
    fn usage(&mut self, code: String) -> wasmtime::Result<old_types::GroupUsage> {
        current_host::Host::usage(self.0, code).map(Adapt::adapt)
    }
    fn child_groups(&mut self, code: String) -> wasmtime::Result<Vec<String>> {
        current_host::Host::child_groups(self.0, code)
    }
    fn customers(&mut self, group: String) -> wasmtime::Result<Vec<old_types::Customer>> {
        current_host::Host::customers(self.0, group).map(Adapt::adapt)
    }
    fn ar_settings(&mut self) -> wasmtime::Result<old_types::Settings> {
        current_host::Host::ar_settings(self.0).map(Adapt::adapt)
    }
}

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
        let mut settings = types::Settings::inherit_all();
        settings.credit_limit = Some(5);
        settings.bypass_credit_check = Some(true);
        let old: old_types::Settings = settings.adapt();
        let back: types::Settings = old.adapt();
        assert_eq!(
            (back.credit_limit, back.bypass_credit_check),
            (Some(5), None)
        );
    }
}
