//! The facts the rules need from the host, and the group tree as a batch of
//! changes would leave it.

use std::collections::{BTreeSet, HashMap, HashSet};

use rustc_hash::FxBuildHasher;

mod cached;
pub use cached::Cached;

/// A hash map with a fixed, fast hasher (rustc's Fx hash, from
/// `rustc-hash`). Not `HashMap`'s default: its random seed would import
/// `wasi:random`, which a plugin is not granted. Keys come from the host's
/// records, and a plugin call's fuel bounds what colliding keys could cost.
/// Ordered maps compared their string keys with the guest's byte-by-byte
/// `memcmp` (a fifth of validating a batch), and SipHash with fixed keys
/// took a tenth.
pub type Map<K, V> = HashMap<K, V, FxBuildHasher>;

/// A hash set with the same fixed hasher as [`Map`].
pub type Set<K> = HashSet<K, FxBuildHasher>;

use crate::bindings::erp::customer_group::types::{
    Account, Customer, CustomerGroup, GroupUsage, ReferenceKind, Settings,
};

/// The facts the rules need from the host. The component implements it over
/// the `host` imports; unit tests implement it over maps.
pub trait Facts {
    /// The chart-of-accounts entry with this code.
    fn account(&self, code: &str) -> Option<Account>;
    /// The stored group with this code.
    fn group(&self, code: &str) -> Option<CustomerGroup>;
    /// Another stored group with this name (case-insensitive), by code.
    fn group_named(&self, name: &str, except_code: &str) -> Option<String>;
    /// [`Facts::group`] of each code, in order: one question of the host.
    fn groups(&self, codes: &[String]) -> Vec<Option<CustomerGroup>> {
        codes.iter().map(|code| self.group(code)).collect()
    }
    /// [`Facts::group_named`] of each (name, except code), in order: one
    /// question of the host.
    fn groups_named(&self, questions: &[(String, String)]) -> Vec<Option<String>> {
        questions
            .iter()
            .map(|(name, except)| self.group_named(name, except))
            .collect()
    }
    /// A batch is about to ask about these groups and names: facts that
    /// remember their answers ask for them all at once. Others need not.
    fn prefetch(&self, codes: &[String], names: &[(String, String)]) {
        let _ = (codes, names);
    }
    /// Whether the host's master data has this record.
    fn reference_exists(&self, kind: ReferenceKind, code: &str) -> bool;
    /// How much the group is in use.
    fn usage(&self, code: &str) -> GroupUsage;
    /// The codes of the group's stored child groups.
    fn child_groups(&self, code: &str) -> Vec<String>;
    /// The group's customers.
    fn customers(&self, group: &str) -> Vec<Customer>;
    /// The AR settings: the defaults at the root of the tree.
    fn settings(&self) -> Settings;
}

/// The group tree as the host stores it, with a batch of changes laid over:
/// groups the batch creates or updates are seen as proposed, groups it
/// deletes are gone.
pub struct Tree<'f, F> {
    facts: &'f F,
    batch: Map<String, Option<CustomerGroup>>,
    /// Children by parent among the batch's proposed groups (in no order:
    /// [`Tree::children`] sorts; a set ordered by code cost a batch of
    /// 10,000 children of one parent a tenth of its time in comparisons).
    batch_children: Map<String, Set<String>>,
}

/// Why the ancestors of a group cannot be listed.
#[derive(Debug, PartialEq, Eq)]
pub enum Broken {
    /// A parent does not exist.
    Missing(String),
    /// The parents loop: the codes around the loop, in order.
    Cycle(Vec<String>),
}

/// The tree-depth limit: a group has at most this many ancestors. The rules
/// walk no deeper; a longer chain of parents is refused as a cycle
/// (`parent.cycle`), so no stored group is deeper. The one definition: the
/// host's and the daemon's tree walks need no depth, only a guard against a
/// loop of parents in a store edited by hand.
pub const MAX_DEPTH: usize = 64;

impl<'f, F: Facts> Tree<'f, F> {
    /// The stored tree with nothing laid over.
    pub fn new(facts: &'f F) -> Self {
        Self {
            facts,
            batch: Map::default(),
            batch_children: Map::default(),
        }
    }

    /// Makes room for `more` proposals.
    pub fn reserve(&mut self, more: usize) {
        self.batch.reserve(more);
    }

    /// Lays a proposed group (`Some`) or a deletion (`None`) over the tree.
    pub fn propose(&mut self, code: String, group: Option<CustomerGroup>) {
        if let Some(Some(old)) = self.batch.get(&code)
            && let Some(parent) = &old.parent
            && let Some(siblings) = self.batch_children.get_mut(parent)
        {
            siblings.remove(&code);
        }
        if let Some(parent) = group.as_ref().and_then(|g| g.parent.clone()) {
            self.batch_children
                .entry(parent)
                .or_default()
                .insert(code.clone());
        }
        self.batch.insert(code, group);
    }

    /// The host's facts, as stored.
    pub fn facts(&self) -> &'f F {
        self.facts
    }

    /// The group as the batch would leave it.
    pub fn group(&self, code: &str) -> Option<CustomerGroup> {
        match self.batch.get(code) {
            Some(proposed) => proposed.clone(),
            None => self.facts.group(code),
        }
    }

    /// The group's children as the batch would leave them.
    pub fn children(&self, code: &str) -> Vec<String> {
        // Only a stored group has stored children: the host stores a group
        // only once its parent is stored. Creating a group (the bulk of a
        // first sync) then costs no question of the host about children.
        let stored = match self.facts.group(code) {
            Some(_) => self.facts.child_groups(code),
            None => Vec::new(),
        };
        let mut children: BTreeSet<String> = stored
            .into_iter()
            .filter(|child| match self.batch.get(child) {
                Some(Some(proposed)) => proposed.parent.as_deref() == Some(code),
                Some(None) => false,
                None => true,
            })
            .collect();
        if let Some(proposed) = self.batch_children.get(code) {
            children.extend(proposed.iter().cloned());
        }
        children.into_iter().collect()
    }

    /// The ancestors of a group whose parent is `parent`, nearest first,
    /// checking that none of them is `code` itself.
    pub fn ancestors(
        &self,
        code: &str,
        parent: Option<&str>,
    ) -> Result<Vec<CustomerGroup>, Broken> {
        let mut path = vec![code.to_owned()];
        let mut ancestors = Vec::new();
        let mut next = parent.map(str::to_owned);
        while let Some(current) = next {
            if let Some(at) = path.iter().position(|c| *c == current) {
                let mut cycle = path[at..].to_vec();
                cycle.push(current);
                return Err(Broken::Cycle(cycle));
            }
            if path.len() > MAX_DEPTH {
                return Err(Broken::Cycle(path));
            }
            let Some(group) = self.group(&current) else {
                return Err(Broken::Missing(current));
            };
            path.push(current);
            next = group.parent.clone();
            ancestors.push(group);
        }
        Ok(ancestors)
    }

    /// Every descendant of `code` (children, their children, ...).
    pub fn descendants(&self, code: &str) -> Vec<CustomerGroup> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::from([code.to_owned()]);
        let mut queue = vec![code.to_owned()];
        while let Some(current) = queue.pop() {
            for child in self.children(&current) {
                if seen.insert(child.clone())
                    && let Some(group) = self.group(&child)
                {
                    queue.push(child);
                    out.push(group);
                }
            }
        }
        out
    }
}

/// A host's facts held in maps, for unit tests.
#[cfg(test)]
pub mod testing {
    use std::collections::BTreeMap;

    use super::Facts;
    use crate::bindings::erp::customer_group::types::{
        Account, AccountKind, Customer, CustomerGroup, GroupUsage, ReferenceKind, Settings,
    };
    use crate::model;

    /// The facts.
    #[derive(Default)]
    #[allow(missing_docs)]
    pub struct MapFacts {
        pub accounts: BTreeMap<String, Account>,
        pub groups: BTreeMap<String, CustomerGroup>,
        pub references: Vec<(ReferenceKind, String)>,
        pub customers: Vec<Customer>,
        pub transactions: BTreeMap<String, u64>,
        pub defaults: Option<Settings>,
    }

    impl Facts for MapFacts {
        fn account(&self, code: &str) -> Option<Account> {
            self.accounts.get(code).cloned()
        }
        fn group(&self, code: &str) -> Option<CustomerGroup> {
            self.groups.get(code).cloned()
        }
        fn group_named(&self, name: &str, except_code: &str) -> Option<String> {
            self.groups
                .values()
                .find(|g| g.code != except_code && g.name.eq_ignore_ascii_case(name))
                .map(|g| g.code.clone())
        }
        fn reference_exists(&self, kind: ReferenceKind, code: &str) -> bool {
            self.references.iter().any(|(k, c)| *k == kind && c == code)
        }
        fn usage(&self, code: &str) -> GroupUsage {
            let mine = self.customers.iter().filter(|c| c.group == code);
            GroupUsage {
                customers: mine.clone().count() as u32,
                active_customers: mine.filter(|c| c.active).count() as u32,
                transactions: self.transactions.get(code).copied().unwrap_or(0),
            }
        }
        fn child_groups(&self, code: &str) -> Vec<String> {
            self.groups
                .values()
                .filter(|g| g.parent.as_deref() == Some(code))
                .map(|g| g.code.clone())
                .collect()
        }
        fn customers(&self, group: &str) -> Vec<Customer> {
            self.customers
                .iter()
                .filter(|c| c.group == group)
                .cloned()
                .collect()
        }
        fn settings(&self) -> Settings {
            self.defaults.clone().unwrap_or_else(model::empty)
        }
    }

    /// A chart of accounts, reference data and the default group `0000`.
    pub fn facts() -> MapFacts {
        let mut facts = MapFacts::default();
        for (code, kind, active) in [
            ("1100", AccountKind::Receivable, true),
            ("1110", AccountKind::Receivable, true),
            ("1000", AccountKind::Bank, true),
            ("1190", AccountKind::Receivable, false),
            ("4900", AccountKind::Income, true),
            ("6100", AccountKind::Expense, true),
        ] {
            facts.accounts.insert(
                code.into(),
                Account {
                    code: code.into(),
                    name: format!("Account {code}"),
                    kind,
                    active,
                },
            );
        }
        for (kind, code) in [
            (ReferenceKind::Currency, "IDR"),
            (ReferenceKind::Currency, "USD"),
            (ReferenceKind::PriceList, "Standard Selling"),
            (ReferenceKind::PriceCode, "RETAIL"),
            (ReferenceKind::PaymentTerms, "NET30"),
            (ReferenceKind::TaxRegime, "EXPORT"),
            (ReferenceKind::TaxCode, "ZERO"),
            (ReferenceKind::Product, "MUG"),
        ] {
            facts.references.push((kind, code.into()));
        }
        facts
            .groups
            .insert("0000".into(), group("0000", "Default", None));
        facts
    }

    /// A leaf group whose required accounts are all set.
    pub fn group(code: &str, name: &str, receivable: Option<&str>) -> CustomerGroup {
        let mut settings = model::empty();
        settings.receivable_account = receivable.map(Into::into);
        settings.reward_expense_account = Some("6100".into());
        settings.sales_discount_account = Some("4900".into());
        settings.write_off_account = Some("6100".into());
        CustomerGroup {
            code: code.into(),
            name: name.into(),
            parent: None,
            is_group: false,
            inactive: false,
            settings,
        }
    }

    /// A customer of `group` in `currency`.
    pub fn customer(code: &str, group: &str, currency: &str) -> Customer {
        Customer {
            code: code.into(),
            name: code.into(),
            group: group.into(),
            currency: currency.into(),
            active: true,
            payment_terms: None,
            due_terms: None,
            prompt_payment_discount: None,
            statement_aging: None,
            price_code: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{facts, group};
    use super::*;

    #[test]
    fn a_group_has_at_most_max_depth_ancestors() {
        let mut facts = facts();
        // G0 at the top, G(n) under G(n-1).
        for n in 0..=MAX_DEPTH {
            let mut g = group(&format!("G{n}"), "Deep", Some("1100"));
            g.is_group = true;
            g.parent = n.checked_sub(1).map(|p| format!("G{p}"));
            facts.groups.insert(g.code.clone(), g);
        }
        let tree = Tree::new(&facts);
        let deepest = format!("G{}", MAX_DEPTH - 1);
        let ancestors = tree.ancestors("NEW", Some(&deepest)).expect("deep enough");
        assert_eq!(ancestors.len(), MAX_DEPTH);
        let too_deep = format!("G{MAX_DEPTH}");
        assert!(matches!(
            tree.ancestors("NEW", Some(&too_deep)),
            Err(Broken::Cycle(_))
        ));
    }
}
