//! The plugin's rules called natively, in-process: the plugin crate linked
//! as a library, with the same SQLite queries behind its `Facts` that the
//! component's host imports make. Benchmarks set it beside the component to
//! show what the boundary costs.

use customer_group_plugin::bindings::erp::customer_group::types as native;
use customer_group_plugin::facts::Facts;
use host_harness::Db;

/// The plugin's facts answered natively from the same database, with the
/// same queries the component's host imports make.
#[derive(Clone)]
pub struct NativeFacts(pub Db);

/// Converts a rarely crossed value (a whole group, the AR settings) between
/// the host's and the plugin's copies of the contract's types.
pub fn convert<T: serde::Serialize, U: serde::de::DeserializeOwned>(value: T) -> U {
    serde_json::from_value(serde_json::to_value(value).expect("serialise")).expect("same shape")
}

fn kind(kind: host_harness::wit::AccountKind) -> native::AccountKind {
    use host_harness::wit::AccountKind as K;
    match kind {
        K::Receivable => native::AccountKind::Receivable,
        K::Bank => native::AccountKind::Bank,
        K::OtherAsset => native::AccountKind::OtherAsset,
        K::Liability => native::AccountKind::Liability,
        K::Equity => native::AccountKind::Equity,
        K::Income => native::AccountKind::Income,
        K::Expense => native::AccountKind::Expense,
    }
}

impl Facts for NativeFacts {
    fn account(&self, code: &str) -> Option<native::Account> {
        let a = self.0.account(code).ok().flatten()?;
        Some(native::Account {
            code: a.code,
            name: a.name,
            kind: kind(a.kind),
            active: a.active,
        })
    }
    fn group(&self, code: &str) -> Option<native::CustomerGroup> {
        self.0.group(code).ok().flatten().map(|r| convert(r.group))
    }
    fn group_named(&self, name: &str, except_code: &str) -> Option<String> {
        host_harness::Facts::find_group_named(&mut self.0.clone(), name, except_code)
            .ok()
            .flatten()
    }
    fn reference_exists(&self, kind: native::ReferenceKind, code: &str) -> bool {
        let kind: host_harness::wit::ReferenceKind = convert(kind);
        host_harness::Facts::reference_exists(&mut self.0.clone(), kind, code).unwrap_or(false)
    }
    fn usage(&self, code: &str) -> native::GroupUsage {
        let u = self.0.group_usage(code).expect("usage");
        native::GroupUsage {
            customers: u.customers,
            active_customers: u.active_customers,
            transactions: u.transactions,
        }
    }
    fn child_groups(&self, code: &str) -> Vec<String> {
        self.0.child_groups(code).expect("children")
    }
    fn customers(&self, group: &str) -> Vec<native::Customer> {
        convert(self.0.customers(Some(group)).expect("customers"))
    }
    fn settings(&self) -> native::Settings {
        convert(self.0.ar_settings().expect("settings"))
    }
}
