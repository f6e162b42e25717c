//! The WIT contract on the host side: one binding per supported version,
//! and the `Facts` a host answers the plugin's `host` imports from
//! (implemented by the runtime, [`crate::engine`]).
//!
//! The current contract is `wit/` ([`VERSION`]); the rest of the host
//! speaks only its types, re-exported here. Each earlier version the host
//! still serves is frozen in `wit/since_vX.Y.Z/` with a binding module of
//! its own that adapts its types to the next version's ([`v0_7`] to the
//! current ones, [`v0_6`] to 0.7.0's, [`v0_5`] to 0.6.0's, [`v0_4`] to
//! 0.5.0's, each through the next to the current), and `Plugin` calls a
//! plugin of any of them through the current types.
//!
//! - [`v0_8`]: the current contract's bindings;
//! - [`v0_7`]: the frozen 0.7.0 contract's bindings and their adaptation;
//! - [`v0_6`]: the frozen 0.6.0 contract's bindings and their adaptation;
//! - [`v0_5`]: the frozen 0.5.0 contract's bindings and their adaptation;
//! - [`v0_4`]: the frozen 0.4.0 contract's bindings and their adaptation;
//! - `adapt`: the conversion between versions' copies of a type;
//! - `plugin`: a plugin of any supported version, called as the current one;
//! - `names`: the contract's names of its enums' cases, and how the host
//!   prints the typed GL results.

pub(crate) mod adapt;
mod names;
mod plugin;
pub mod v0_4;
pub mod v0_5;
pub mod v0_6;
pub mod v0_7;

pub use adapt::ContractViolation;
pub(crate) use plugin::{Plugin, PluginPre};
pub use plugin::{Version, semver_compatible};

/// The current contract, `wit/`: the bindings the host speaks.
#[allow(missing_docs, unsafe_code)]
pub mod v0_8 {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "plugin",
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
        imports: { default: trappable },
    });
}
/// The current contract's bindings, whatever its version.
pub(crate) use v0_8 as bindings;

/// The contract's package, from the `package` line of `wit/` (read by
/// `build.rs`).
pub const PACKAGE: &str = env!("ERP_WIT_PACKAGE");
/// The current contract's version, from the `package` line of `wit/`: the
/// one place it is written.
pub const VERSION: &str = env!("ERP_WIT_VERSION");

pub use bindings::erp::customer_group::types::{
    Account, AccountKind, Customer, CustomerGroup, DueTerms, GroupUsage, PaymentDiscountRule,
    PeriodUnit, PointsRule, ProductGiftRule, PromptDiscount, ReferenceKind, SalesDiscountRule,
    Settings, Span,
};
pub use bindings::exports::erp::customer_group::form::{
    Action, Choice, Column, Field, FieldKind, FieldRight, FormDefinition, ListColumn, MatchMode,
    MatchModeOption, MenuEntry, SearchKey, Section,
};
pub use bindings::exports::erp::customer_group::gl::{
    ArTransaction, ArTransactions, BatchIssue, CreditLimitSource, CreditLine, CreditRequest,
    CreditScope, CreditVerdict, DiscountOffer, DiscountRule, GlLine, Ledger, LineRole, Owed,
    Posting, Postings, SettingSource, TransactionKind,
};
pub use bindings::exports::erp::customer_group::inheritance::{
    EffectiveSettings, Provenance, Source,
};
pub use bindings::exports::erp::customer_group::lifecycle::CustomerUpdate;
pub use bindings::exports::erp::customer_group::validation::{
    Change, Issue, Severity, Update, Verdict,
};

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
    /// [`Facts::find_group`] of each code, in order. One question at a time
    /// unless the facts can do better (the store asks SQLite once).
    fn find_groups(&mut self, codes: &[String]) -> Result<Vec<Option<CustomerGroup>>, FactsError> {
        codes.iter().map(|code| self.find_group(code)).collect()
    }
    /// [`Facts::find_group_named`] of each (name, except code), in order.
    fn find_groups_named(
        &mut self,
        questions: &[(String, String)],
    ) -> Result<Vec<Option<String>>, FactsError> {
        questions
            .iter()
            .map(|(name, except)| self.find_group_named(name, except))
            .collect()
    }
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
