//! The WIT contract on the host side: generated bindings, and the `Facts` a host answers the
//! plugin's `host` imports from (implemented by the runtime, [`crate::engine`]).

#[allow(missing_docs, unsafe_code)]
pub(crate) mod bindings {
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

/// Why the host could not answer one of the plugin's questions: the
/// answering side's own error (the store's, for the store), kept whole so
/// that a front end can show it in its locale.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct FactsError(Box<dyn std::error::Error + Send + Sync + 'static>);

impl FactsError {
    /// Wraps the answering side's error.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Box::new(error))
    }

    /// The answering side's error.
    pub fn inner(&self) -> &(dyn std::error::Error + 'static) {
        &*self.0
    }
}

/// The facts a plugin may ask the host for: the `host` interface of the WIT
/// contract, as a Rust trait. The store implements it over SQLite.
///
/// A failing query aborts the plugin call with
/// [`PluginError::Facts`](crate::PluginError::Facts): the plugin never
/// mistakes a database error for a missing record.
pub trait Facts: Send {
    /// The chart-of-accounts entry with this exact code.
    fn find_account(&mut self, code: &str) -> Result<Option<Account>, FactsError>;
    /// The stored group with this exact code.
    fn find_group(&mut self, code: &str) -> Result<Option<CustomerGroup>, FactsError>;
    /// The code of another group (not `except_code`) with this name, ignoring case.
    fn find_group_named(
        &mut self,
        name: &str,
        except_code: &str,
    ) -> Result<Option<String>, FactsError>;
    /// Whether the host's master data has a record of this kind and code.
    fn reference_exists(&mut self, kind: ReferenceKind, code: &str) -> Result<bool, FactsError>;
    /// How many customers and transactions the group has.
    fn usage(&mut self, code: &str) -> Result<GroupUsage, FactsError>;
    /// The codes of the group's child groups.
    fn child_groups(&mut self, code: &str) -> Result<Vec<String>, FactsError>;
    /// The group's customers.
    fn customers(&mut self, group: &str) -> Result<Vec<Customer>, FactsError>;
    /// The AR settings: the defaults at the root of the group tree.
    fn ar_settings(&mut self) -> Result<Settings, FactsError>;
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
