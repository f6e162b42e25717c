//! The contract's names of its enums' cases (as the store and the CLI spell
//! them), constructors of empty records, and how the host prints the typed
//! GL results (in the words the 0.4.0 contract's strings used, so that what
//! the CLI prints did not change with the types).

use std::fmt;

use super::{
    AccountKind, CreditLimitSource, CreditScope, CustomerGroup, DiscountRule, FieldKind, LineRole,
    PeriodUnit, ReferenceKind, SettingSource, Settings, TransactionKind,
};
impl fmt::Display for AccountKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
            bypass_credit_check: None,
            credit_counts_unposted: None,
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

/// `payment-discount-rules[N]` (rows from 1) or `prompt-payment-discount`:
/// the setting's path as issues name it.
impl fmt::Display for DiscountRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscountRule::PaymentDiscountRule(row) => {
                f.pad(&format!("payment-discount-rules[{row}]"))
            }
            DiscountRule::PromptPaymentDiscount => f.pad("prompt-payment-discount"),
        }
    }
}

/// The group's code, or `AR settings`.
impl fmt::Display for SettingSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingSource::Group(code) => f.pad(code),
            SettingSource::ArSettings => f.pad("AR settings"),
        }
    }
}

/// `customer`, or the group's code.
impl fmt::Display for CreditScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreditScope::Customer => f.pad("customer"),
            CreditScope::Group(code) => f.pad(code),
        }
    }
}

/// `customer`, the group's code, or `ar-settings`.
impl fmt::Display for CreditLimitSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreditLimitSource::Customer => f.pad("customer"),
            CreditLimitSource::Group(code) => f.pad(code),
            CreditLimitSource::ArSettings => f.pad("ar-settings"),
        }
    }
}
