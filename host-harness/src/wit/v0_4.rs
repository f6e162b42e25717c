//! The frozen 0.4.0 contract (`wit/since_v0.4.0/`): its bindings, and its
//! types adapted to the current ones, so that a plugin built against 0.4.0
//! keeps installing and serving.
//!
//! What changed since, and how each is adapted:
//! - `gl.batch-issue.transaction` was a `u64` with 0 for "the batch as a
//!   whole": 0 becomes `none`, any other id `some(id)`;
//! - `gl.credit-line.scope` was `customer` or a group code, and
//!   `.source` `customer`, a group code or `ar-settings`: the strings become
//!   the variants they name (a group code is never `customer` or
//!   `ar-settings`: codes are upper case);
//! - `gl.discount-offer.rule` was `payment-discount-rules[N]` or
//!   `prompt-payment-discount`, and `.source` a group code, or `AR settings`
//!   when the AR settings grant the discount: the strings become the
//!   variants; a rule string of any other shape is refused
//!   ([`ContractViolation`]);
//! - `gl.ar-transaction.rate-nanos` was a `u64` the host had to give: a
//!   rate the user did not give (`none`) is passed as 1000000000 in the
//!   base currency, what 0.4.0 documents for it, and as 0 in any other,
//!   which 0.4.0 plugins refuse ([`ar_transactions`]);
//! - `validation.normalize-code` did not exist: [`normalize_code`] applies
//!   the normalisation 0.4.0 documents instead.
//!
//! Each is adapted to 0.5.0's types, and through them to today's
//! ([`super::v0_5`]).
//!
//! The `host` interface is the same but for its version: [`Older`] answers a
//! 0.4.0 plugin's imports through the current `host` implementation.

use super::adapt::{Adapt, ContractViolation, Older, enums, records, through};
use super::bindings::erp::customer_group::{host as current_host, types as now_types};
use super::bindings::exports::erp::customer_group::{
    form as now_form, gl as now_gl, inheritance as now_inheritance, lifecycle as now_lifecycle,
    validation as now_validation,
};
// The next version, 0.5.0, that 0.4.0 adapts to (and through it to today's).
use super::v0_5::bindings::erp::customer_group::types;
use super::v0_5::bindings::exports::erp::customer_group::{
    form, gl, inheritance, lifecycle, validation,
};

/// The 0.4.0 bindings, generated from `wit/since_v0.4.0`.
#[allow(missing_docs, unsafe_code)]
pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/since_v0.4.0",
        world: "plugin",
        // What the store wrote while these were the host's bindings (format
        // 1 JSON, postcard digests): its tests compare against them.
        additional_derives: [serde::Serialize],
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
pub const VERSION: &str = "0.4.0";

/// The normalisation of a group code a 0.4.0 plugin stands for: 0.4.0 has
/// no `normalize-code`, and documents a normalised code as "trimmed and
/// upper-cased" (`customer-group.code`, `verdict.normalized`). Its plugins
/// upper-case ASCII letters only, as the current contract writes down.
/// Frozen with the version; current plugins answer for themselves.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

enums!(old_types <=> types:
    AccountKind { Receivable, Bank, OtherAsset, Liability, Equity, Income, Expense }
    ReferenceKind { Currency, PriceList, PriceCode, PaymentTerms, TaxRegime, TaxCode, Product }
    PeriodUnit { Days, Weeks, Months }
);

records!(old_types <=> types:
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
        payment_terms, credit_limit, shared_credit_limit, due_terms, prompt_payment_discount,
        statement_count, statement_aging, tax_regime, gst_override, peppol_eas,
        sales_discount_rules, payment_discount_rules, product_gift_rules, points_rules,
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
records!(validation => old_validation: Update { code, proposed });
records!(old_validation => validation:
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

records!(old_gl <=> types: Span { start, len });

/// The rate of the base currency a 0.4.0 plugin stands for: 0.4.0's
/// `rate-nanos` is a `u64` the host must give, and its contract documents it
/// as "1000000000 when both are the same unit" (the base currency's own
/// rate). Frozen with the version; current plugins take the base currency's
/// rate themselves.
const BASE_RATE_NANOS: u64 = 1_000_000_000;

/// `transactions` as a 0.4.0 plugin takes them. Its `rate-nanos` was a
/// number the host had to give: a rate the user did not give (`none`) is
/// [`BASE_RATE_NANOS`] in the base currency, as 0.4.0 documents, and 0 in
/// any other, a rate every 0.4.0 plugin refuses (`gl.zero-rate`) where 1
/// would post the amounts unconverted.
pub(crate) fn ar_transactions(
    ledger: &gl::Ledger,
    transactions: &gl::ArTransactions,
) -> old_gl::ArTransactions {
    let gl::ArTransactions {
        texts,
        references,
        entries,
    } = transactions;
    let base = texts
        .iter()
        .position(|t| *t == ledger.base_currency)
        .and_then(|at| u32::try_from(at).ok());
    let entries = entries
        .iter()
        .map(|tx| old_gl::ArTransaction {
            id: tx.id,
            kind: tx.kind.adapt(),
            date: tx.date,
            customer: tx.customer,
            group: tx.group,
            currency: tx.currency,
            rate_nanos: tx.rate_nanos.unwrap_or(if Some(tx.currency) == base {
                BASE_RATE_NANOS
            } else {
                0
            }),
            amount: tx.amount,
            tax: tx.tax,
            discount: tx.discount,
            account: tx.account,
            tax_account: tx.tax_account,
            reference: tx.reference.adapt(),
        })
        .collect();
    old_gl::ArTransactions {
        texts: texts.clone(),
        references: references.clone(),
        entries,
    }
}

records!(gl => old_gl:
    Ledger { base_currency, rounding_account }
    CreditRequest {
        customer, group, customer_limit, customer_balance, amount, base_amount, group_balances,
    }
);

records!(old_gl => gl:
    GlLine { account, role, amount, base_amount }
    Posting { transaction, description, lines }
    Postings { accounts, descriptions, postings, lines }
    CreditVerdict { allowed, lines, reasons }
);

/// 0.4.0 named the batch as a whole by transaction 0.
impl Adapt<gl::BatchIssue> for old_gl::BatchIssue {
    fn adapt(self) -> gl::BatchIssue {
        let old_gl::BatchIssue {
            transaction,
            field,
            rule,
            message,
        } = self;
        gl::BatchIssue {
            transaction: (transaction != 0).then_some(transaction),
            field,
            rule,
            message,
        }
    }
}

/// 0.4.0's `credit-line.scope` and `.source` were strings.
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
            scope: match scope.as_str() {
                "customer" => gl::CreditScope::Customer,
                _ => gl::CreditScope::Group(scope),
            },
            limit,
            exposure,
            available,
            source: match source.as_str() {
                "customer" => gl::CreditLimitSource::Customer,
                "ar-settings" => gl::CreditLimitSource::ArSettings,
                _ => gl::CreditLimitSource::Group(source),
            },
        }
    }
}

/// 0.4.0's `discount-offer.rule` and `.source` were strings; a rule of
/// another shape than the two 0.4.0 allowed has no current counterpart.
pub(crate) fn discount_offer(
    offer: old_gl::DiscountOffer,
) -> Result<gl::DiscountOffer, ContractViolation> {
    let old_gl::DiscountOffer {
        percent,
        amount,
        pay_by,
        rule,
        source,
    } = offer;
    let row = rule
        .strip_prefix("payment-discount-rules[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|row| row.parse::<u32>().ok());
    let rule = match (rule.as_str(), row) {
        ("prompt-payment-discount", _) => gl::DiscountRule::PromptPaymentDiscount,
        (_, Some(row)) if row >= 1 => gl::DiscountRule::PaymentDiscountRule(row),
        _ => {
            return Err(ContractViolation {
                package: super::PACKAGE,
                version: VERSION,
                what: "discount-offer.rule",
                value: rule,
            });
        }
    };
    Ok(gl::DiscountOffer {
        percent,
        amount,
        pay_by,
        rule,
        source: match source.as_str() {
            "AR settings" | "ar-settings" => gl::SettingSource::ArSettings,
            _ => gl::SettingSource::Group(source),
        },
    })
}

// Through 0.5.0 to today's: what the runtime passes a 0.4.0 plugin, and
// what it gets back.
through!(now_types => types => old_types: Account, CustomerGroup, GroupUsage, Customer, Settings);
through!(old_types => types => now_types: ReferenceKind, Settings, CustomerGroup);
through!(now_validation => validation => old_validation: Change);
through!(old_validation => validation => now_validation: Verdict, Issue);
through!(old_form => form => now_form: FormDefinition);
through!(old_inheritance => inheritance => now_inheritance: EffectiveSettings);
through!(old_lifecycle => lifecycle => now_lifecycle: CustomerUpdate);
through!(now_gl => gl => old_gl: Ledger, CreditRequest);
through!(old_gl => gl => now_gl: Postings, BatchIssue, CreditVerdict);

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
        let wit = include_str!("../../../wit/since_v0.4.0/customer-group.wit");
        assert!(
            wit.lines()
                .any(|l| l == format!("package {}@{VERSION};", super::super::PACKAGE)),
            "wit/since_v0.4.0 is not {VERSION}"
        );
    }

    #[test]
    fn the_strings_of_0_4_become_the_types_of_today() {
        let offer = |rule: &str, source: &str| {
            discount_offer(old_gl::DiscountOffer {
                percent: 300,
                amount: 30,
                pay_by: "2026-03-08".into(),
                rule: rule.into(),
                source: source.into(),
            })
            .map(|o| (o.rule, o.source))
        };
        assert_eq!(
            offer("payment-discount-rules[2]", "LOKAL").expect("adapted"),
            (
                gl::DiscountRule::PaymentDiscountRule(2),
                gl::SettingSource::Group("LOKAL".into())
            )
        );
        assert_eq!(
            offer("prompt-payment-discount", "AR settings").expect("adapted"),
            (
                gl::DiscountRule::PromptPaymentDiscount,
                gl::SettingSource::ArSettings
            )
        );
        for bad in [
            "payment-discount-rules[0]",
            "payment-discount-rules[x]",
            "sales",
        ] {
            let err = offer(bad, "LOKAL").expect_err(bad);
            assert!(err.to_string().contains("@0.4.0) returned"), "{err}");
        }
        let issue = |transaction| {
            let issue: gl::BatchIssue = old_gl::BatchIssue {
                transaction,
                field: "base-currency".into(),
                rule: "gl.no-base-currency".into(),
                message: String::new(),
            }
            .adapt();
            issue.transaction
        };
        assert_eq!((issue(0), issue(7)), (None, Some(7)));
        let line = |scope: &str, source: &str| {
            let line: gl::CreditLine = old_gl::CreditLine {
                scope: scope.into(),
                limit: 1,
                exposure: 0,
                available: 1,
                source: source.into(),
            }
            .adapt();
            (line.scope, line.source)
        };
        assert_eq!(
            line("customer", "ar-settings"),
            (gl::CreditScope::Customer, gl::CreditLimitSource::ArSettings)
        );
        assert_eq!(
            line("LOKAL", "customer"),
            (
                gl::CreditScope::Group("LOKAL".into()),
                gl::CreditLimitSource::Customer
            )
        );
        assert_eq!(
            line("customer", "VIP").1,
            gl::CreditLimitSource::Group("VIP".into())
        );
    }
}
