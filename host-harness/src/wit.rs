//! The WIT contract on the host side: generated bindings, and the `host`
//! imports implemented over a [`Facts`] source.

#[allow(missing_docs, unsafe_code)]
mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "plugin",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        imports: { default: trappable },
    });
}

pub use bindings::erp::customer_group::types::{
    Account, AccountKind, Customer, CustomerGroup, DueTerms, GroupUsage, PaymentDiscountRule,
    PeriodUnit, PointsRule, ProductGiftRule, PromptDiscount, ReferenceKind, SalesDiscountRule,
    Settings,
};
pub use bindings::exports::erp::customer_group::form::{
    Action, Choice, Column, Field, FieldKind, FormDefinition, ListColumn, MatchMode,
    MatchModeOption, MenuEntry, SearchKey, Section,
};
pub use bindings::exports::erp::customer_group::gl::{
    ArTransaction, ArTransactions, BatchIssue, CreditLine, CreditRequest, CreditVerdict,
    DiscountOffer, GlLine, Ledger, LineRole, Posting, Postings, Span, TransactionKind,
};
pub use bindings::exports::erp::customer_group::inheritance::{
    EffectiveSettings, Provenance, Source,
};
pub use bindings::exports::erp::customer_group::lifecycle::CustomerUpdate;
pub use bindings::exports::erp::customer_group::validation::{
    Change, Issue, Severity, Update, Verdict,
};
pub(crate) use bindings::{Plugin, PluginPre};

use crate::engine::HostState;
use crate::store::StoreError;

/// The facts a plugin may ask the host for: the `host` interface of the WIT
/// contract, as a Rust trait. The store implements it over SQLite.
///
/// A failing query aborts the plugin call with
/// [`PluginError::Facts`](crate::PluginError::Facts): the plugin never
/// mistakes a database error for a missing record.
pub trait Facts: Send {
    /// The chart-of-accounts entry with this exact code.
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, StoreError>;
    /// The stored group with this exact code.
    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, StoreError>;
    /// The code of another group (not `except_code`) with this name, ignoring case.
    fn find_group_named(
        &mut self,
        name: &str,
        except_code: &str,
    ) -> Result<Option<String>, StoreError>;
    /// Whether the host's master data has a record of this kind and code.
    fn reference_exists(&mut self, kind: ReferenceKind, code: &str) -> Result<bool, StoreError>;
    /// How many customers and transactions the group has.
    fn usage(&mut self, code: &str) -> Result<GroupUsage, StoreError>;
    /// The codes of the group's child groups.
    fn child_groups(&mut self, code: &str) -> Result<Vec<String>, StoreError>;
    /// The group's customers.
    fn customers(&mut self, group: &str) -> Result<Vec<Customer>, StoreError>;
    /// The AR settings: the defaults at the root of the group tree.
    fn ar_settings(&mut self) -> Result<Settings, StoreError>;
}

impl bindings::erp::customer_group::types::Host for HostState {}

impl bindings::erp::customer_group::host::Host for HostState {
    fn find_account(&mut self, code: String) -> wasmtime::Result<Option<Account>> {
        Ok(self.facts.find_account(&code)?)
    }
    fn find_group(&mut self, code: String) -> wasmtime::Result<Option<CustomerGroup>> {
        Ok(self.facts.find_group(&code)?)
    }
    fn find_group_named(
        &mut self,
        name: String,
        except_code: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.facts.find_group_named(&name, &except_code)?)
    }
    fn reference_exists(&mut self, kind: ReferenceKind, code: String) -> wasmtime::Result<bool> {
        Ok(self.facts.reference_exists(kind, &code)?)
    }
    fn usage(&mut self, code: String) -> wasmtime::Result<GroupUsage> {
        Ok(self.facts.usage(&code)?)
    }
    fn child_groups(&mut self, code: String) -> wasmtime::Result<Vec<String>> {
        Ok(self.facts.child_groups(&code)?)
    }
    fn customers(&mut self, group: String) -> wasmtime::Result<Vec<Customer>> {
        Ok(self.facts.customers(&group)?)
    }
    fn ar_settings(&mut self) -> wasmtime::Result<Settings> {
        Ok(self.facts.ar_settings()?)
    }
}

impl std::fmt::Display for AccountKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AccountKind {
    /// Every kind, in chart-of-accounts order.
    pub const ALL: [AccountKind; 7] = [
        AccountKind::Receivable,
        AccountKind::Bank,
        AccountKind::OtherAsset,
        AccountKind::Liability,
        AccountKind::Equity,
        AccountKind::Income,
        AccountKind::Expense,
    ];

    /// The kind's name as the store and the CLI spell it (the WIT case name).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Receivable => "receivable",
            AccountKind::Bank => "bank",
            AccountKind::OtherAsset => "other-asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Income => "income",
            AccountKind::Expense => "expense",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl FieldKind {
    /// The kind's name as the WIT contract spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Code => "code",
            FieldKind::Text => "text",
            FieldKind::Boolean => "boolean",
            FieldKind::Reference => "reference",
            FieldKind::Timestamp => "timestamp",
            FieldKind::User => "user",
            FieldKind::Money => "money",
            FieldKind::Percent => "percent",
            FieldKind::Integer => "integer",
            FieldKind::Date => "date",
            FieldKind::Choice => "choice",
            FieldKind::Table => "table",
        }
    }
}

impl ReferenceKind {
    /// Every kind of reference data.
    pub const ALL: [ReferenceKind; 7] = [
        ReferenceKind::Currency,
        ReferenceKind::PriceList,
        ReferenceKind::PriceCode,
        ReferenceKind::PaymentTerms,
        ReferenceKind::TaxRegime,
        ReferenceKind::TaxCode,
        ReferenceKind::Product,
    ];

    /// The kind's name as the store and the CLI spell it (the WIT case name).
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Currency => "currency",
            ReferenceKind::PriceList => "price-list",
            ReferenceKind::PriceCode => "price-code",
            ReferenceKind::PaymentTerms => "payment-terms",
            ReferenceKind::TaxRegime => "tax-regime",
            ReferenceKind::TaxCode => "tax-code",
            ReferenceKind::Product => "product",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl PeriodUnit {
    /// The unit's name as the WIT contract spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodUnit::Days => "days",
            PeriodUnit::Weeks => "weeks",
            PeriodUnit::Months => "months",
        }
    }

    /// The unit named `name` (`days`, `weeks`, `months`), if any.
    pub fn parse(name: &str) -> Option<Self> {
        [PeriodUnit::Days, PeriodUnit::Weeks, PeriodUnit::Months]
            .into_iter()
            .find(|u| u.as_str() == name)
    }
}

impl Settings {
    /// Settings that set nothing: everything inherits.
    pub fn inherit_all() -> Self {
        Self {
            currency: None,
            receivable_account: None,
            discount_account: None,
            sales_discount_account: None,
            reward_expense_account: None,
            write_off_account: None,
            bank_account: None,
            price_list: None,
            price_code: None,
            payment_terms: None,
            credit_limit: None,
            shared_credit_limit: None,
            due_terms: None,
            prompt_payment_discount: None,
            statement_count: None,
            statement_aging: None,
            tax_regime: None,
            gst_override: None,
            peppol_eas: None,
            sales_discount_rules: None,
            payment_discount_rules: None,
            product_gift_rules: None,
            points_rules: None,
        }
    }
}

impl CustomerGroup {
    /// A top-level leaf group that sets nothing of its own.
    pub fn new(code: &str, name: &str) -> Self {
        Self {
            code: code.to_owned(),
            name: name.to_owned(),
            parent: None,
            is_group: false,
            inactive: false,
            settings: Settings::inherit_all(),
        }
    }
}

impl TransactionKind {
    /// Every kind.
    pub const ALL: [TransactionKind; 7] = [
        TransactionKind::Invoice,
        TransactionKind::CreditNote,
        TransactionKind::Journal,
        TransactionKind::Receipt,
        TransactionKind::WriteOff,
        TransactionKind::SalesDiscount,
        TransactionKind::Reward,
    ];

    /// The kind's name as the store and the CLI spell it (the WIT case name).
    pub fn as_str(self) -> &'static str {
        match self {
            TransactionKind::Invoice => "invoice",
            TransactionKind::CreditNote => "credit-note",
            TransactionKind::Journal => "journal",
            TransactionKind::Receipt => "receipt",
            TransactionKind::WriteOff => "write-off",
            TransactionKind::SalesDiscount => "sales-discount",
            TransactionKind::Reward => "reward",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl LineRole {
    /// Every role.
    pub const ALL: [LineRole; 11] = [
        LineRole::Receivable,
        LineRole::Sales,
        LineRole::Tax,
        LineRole::Bank,
        LineRole::SettlementDiscount,
        LineRole::Journal,
        LineRole::WriteOff,
        LineRole::SalesDiscount,
        LineRole::Reward,
        LineRole::RewardSource,
        LineRole::Rounding,
    ];

    /// The role's name as the WIT contract spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            LineRole::Receivable => "receivable",
            LineRole::Sales => "sales",
            LineRole::Tax => "tax",
            LineRole::Bank => "bank",
            LineRole::SettlementDiscount => "settlement-discount",
            LineRole::Journal => "journal",
            LineRole::WriteOff => "write-off",
            LineRole::SalesDiscount => "sales-discount",
            LineRole::Reward => "reward",
            LineRole::RewardSource => "reward-source",
            LineRole::Rounding => "rounding",
        }
    }

    /// The role named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }
}
