//! The WIT contract on the host side: generated bindings, and the `host`
//! imports implemented over a [`Facts`] source.

#[allow(missing_docs, unsafe_code)]
mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "plugin",
        additional_derives: [serde::Serialize, PartialEq],
        imports: { default: trappable },
    });
}

pub use bindings::erp::customer_group::types::{
    Account, AccountKind, ArSettings, CustomerGroup, GroupUsage,
};
pub use bindings::exports::erp::customer_group::form::{
    Action, Field, FieldKind, FormDefinition, ListColumn, MatchMode, MatchModeOption, MenuEntry,
    SearchKey, Section,
};
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
    /// How many customers and transactions the group has.
    fn usage(&mut self, code: &str) -> Result<GroupUsage, StoreError>;
    /// The AR settings.
    fn settings(&mut self) -> Result<ArSettings, StoreError>;
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
    fn usage(&mut self, code: String) -> wasmtime::Result<GroupUsage> {
        Ok(self.facts.usage(&code)?)
    }
    fn settings(&mut self) -> wasmtime::Result<ArSettings> {
        Ok(self.facts.settings()?)
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
        }
    }
}
