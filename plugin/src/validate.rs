//! Validation of proposed changes to customer groups: [`Validator`] checks a
//! create, update or delete (code, name, parent and tree, node or leaf,
//! inactive through the tree, deletion in use), a batch of them laid over
//! the stored tree (`validate_many`), and the AR settings
//! (`validate_defaults`). The settings rules are in `validate/settings.rs`,
//! the account check in [`crate::accounts`], the rule tables and periods in
//! [`crate::rules`]; a change is normalised first ([`crate::normalize`]).
//!
//! The host and the daemon call these rules through the component; they
//! never re-implement them. All problems with a change are collected and
//! returned together ([`Issues`]), errors and warnings alike.

use std::cell::OnceCell;

use crate::bindings::erp::customer_group::types::{CustomerGroup, Settings};
use crate::bindings::exports::erp::customer_group::validation::{Change, Issue, Verdict};
pub use crate::facts::Facts;
use crate::facts::{Broken, Map, Tree};
use crate::form::{self, CODE_MAX, NAME_MAX, field};
use crate::i18n::{Locale, msg};
use crate::issues::Issues;
use crate::model;
use crate::normalize::{normalize, normalize_code, normalize_settings};

mod settings;
#[cfg(test)]
mod tests;

/// The default group: always exists, cannot be deleted or made inactive.
pub const DEFAULT_GROUP: &str = "0000";

/// Validates one change, or many as one batch, against a host's facts.
pub struct Validator<'f, F> {
    tree: Tree<'f, F>,
    locale: Locale,
    settings: OnceCell<Settings>,
}

impl<'f, F: Facts> Validator<'f, F> {
    /// A validator whose messages are in `locale`.
    pub fn new(facts: &'f F, locale: Locale) -> Self {
        Self {
            tree: Tree::new(facts),
            locale,
            settings: OnceCell::new(),
        }
    }

    /// Validates and normalises one change.
    pub fn validate(&self, change: Change) -> Verdict {
        self.validate_normal(Normal::from(change))
    }

    fn validate_normal(&self, change: Normal) -> Verdict {
        let mut issues = Issues::default();
        let normalized = match change {
            Normal::Create(group) => self.create(group, &mut issues),
            Normal::Update { code, group } => self.update(&code, group, &mut issues),
            Normal::Delete(code) => {
                self.delete(&code, &mut issues);
                None
            }
        };
        issues.into_verdict(normalized)
    }

    /// Validates many changes as one batch to be applied together: each sees
    /// the tree as the whole batch leaves it, and a code that more than one
    /// change touches is an error on every one of them.
    pub fn validate_many(mut self, changes: Vec<Change>) -> Vec<Verdict> {
        let changes: Vec<Normal> = changes.into_iter().map(Normal::from).collect();
        // What the batch will ask about each record, asked of the host at
        // once: the group by its code and its parent's, and its name. (In
        // windows of 1,000 records it took 34 us a record against 18-27:
        // a host bounds a call's records instead, as the daemon's chunks do.)
        let mut asked = Vec::with_capacity(changes.len() * 2);
        let mut names = Vec::with_capacity(changes.len());
        self.tree.reserve(changes.len());
        for change in &changes {
            let proposed = match change {
                Normal::Create(group) => group.clone(),
                Normal::Update { code, group } => CustomerGroup {
                    code: code.clone(),
                    ..group.clone()
                },
                Normal::Delete(code) => {
                    asked.push(code.clone());
                    self.tree.propose(code.clone(), None);
                    continue;
                }
            };
            asked.push(proposed.code.clone());
            asked.extend(proposed.parent.clone());
            names.push((proposed.name.clone(), proposed.code.clone()));
            self.tree.propose(proposed.code.clone(), Some(proposed));
        }
        self.facts().prefetch(&asked, &names);
        drop((asked, names));
        let codes: Vec<Option<String>> = changes.iter().map(Normal::touched_code).collect();
        let mut verdicts: Vec<Verdict> = changes
            .into_iter()
            .map(|c| self.validate_normal(c))
            .collect();
        let mut touched: Map<&str, Vec<usize>> = Map::default();
        for (i, code) in codes.iter().enumerate() {
            if let Some(code) = code {
                touched.entry(code).or_default().push(i);
            }
        }
        for run in touched.values().filter(|run| run.len() > 1) {
            for &i in run {
                let code = codes[i].as_deref().unwrap_or_default();
                let times = run.len();
                let mut issues = Issues::default();
                issues.error(
                    field::CODE,
                    "code.duplicate-in-batch",
                    msg!(
                        self.locale,
                        "code {code} appears {times} times in this batch; each code may appear once",
                        "kode {code} muncul {times} kali dalam kumpulan ini; setiap kode hanya boleh muncul sekali",
                    ),
                );
                let verdict = &mut verdicts[i];
                verdict.issues.extend(issues.list);
                verdict.normalized = None;
            }
        }
        verdicts
    }

    /// Validates and normalises new AR settings (the defaults at the root of
    /// the tree): what is set must be valid; nothing is required.
    pub fn validate_defaults(self, defaults: Settings) -> (Option<Settings>, Vec<Issue>) {
        let defaults = normalize_settings(defaults);
        // The accounts of the new defaults resolve to themselves.
        let _ = self.settings.set(defaults.clone());
        let mut issues = Issues::default();
        let root = CustomerGroup {
            code: String::new(),
            name: String::new(),
            parent: None,
            is_group: true,
            inactive: false,
            settings: defaults,
        };
        self.check_settings(&root, Some(&[]), false, &mut issues);
        let ok = !issues.has_errors();
        (ok.then_some(root.settings), issues.into_list())
    }

    /// Validates and normalises what a group sets for `company`, a company
    /// other than the host's default (the facts are that company's): only
    /// the fields the form marks per company may be set; what is set must
    /// be valid as a group's own setting; nothing is required.
    pub fn validate_company_settings(
        self,
        company: &str,
        settings: Settings,
    ) -> (Option<Settings>, Vec<Issue>) {
        let settings = normalize_settings(settings);
        let mut issues = Issues::default();
        let locale = self.locale;
        for name in model::SETTINGS {
            if model::is_set(&settings, name) && !form::is_per_company(name) {
                let label = form::label(name, locale);
                issues.error(
                    name,
                    "company.not-per-company",
                    msg!(
                        locale,
                        "{label} is the same for every company: set it on the group itself, not for company {company}",
                        "{label} sama untuk semua perusahaan: tetapkan pada kelompok itu sendiri, bukan untuk perusahaan {company}",
                    ),
                );
            }
        }
        let row = CustomerGroup {
            code: String::new(),
            name: String::new(),
            parent: None,
            is_group: true,
            inactive: false,
            settings,
        };
        self.check_settings(&row, None, false, &mut issues);
        let ok = !issues.has_errors();
        (ok.then_some(row.settings), issues.into_list())
    }

    fn facts(&self) -> &'f F {
        self.tree.facts()
    }

    fn settings(&self) -> &Settings {
        self.settings.get_or_init(|| self.facts().settings())
    }

    fn create(&self, group: CustomerGroup, issues: &mut Issues) -> Option<CustomerGroup> {
        let code_ok = self.check_code(&group.code, issues);
        if code_ok && self.facts().group(&group.code).is_some() {
            let code = &group.code;
            issues.error(
                field::CODE,
                "code.duplicate",
                msg!(
                    self.locale,
                    "a customer group with code {code} already exists; open it to correct it, or choose another code",
                    "kelompok pelanggan dengan kode {code} sudah ada; buka untuk memperbaikinya, atau pilih kode lain",
                ),
            );
        }
        if group.inactive && group.code == DEFAULT_GROUP {
            self.default_group_stays_active(issues);
        } else if group.inactive {
            self.check_going_inactive(&group.code, issues);
        }
        self.check_body(&group, None, issues);
        (!issues.has_errors()).then_some(group)
    }

    /// A group going inactive takes no new customers, nor do the groups
    /// under it: a warning names the active subgroups that stay behind (and
    /// their active customers), so that nobody is surprised.
    fn check_going_inactive(&self, code: &str, issues: &mut Issues) {
        let active: Vec<CustomerGroup> = self
            .tree
            .descendants(code)
            .into_iter()
            .filter(|g| !g.inactive)
            .collect();
        if active.is_empty() {
            return;
        }
        let count = active.len();
        let customers: u32 = active
            .iter()
            .map(|g| self.facts().usage(&g.code).active_customers)
            .sum();
        let mut names: Vec<&str> = active.iter().take(5).map(|g| g.code.as_str()).collect();
        if count > names.len() {
            names.push("...");
        }
        let names = names.join(", ");
        issues.warning(
            field::INACTIVE,
            "inactive.has-active-subgroups",
            msg!(
                self.locale,
                "{count} subgroup(s) stay active under it ({names}) with {customers} active customer(s); while it is inactive they take no new customers",
                "{count} sub-kelompok tetap aktif di bawahnya ({names}) dengan {customers} pelanggan aktif; selama kelompok ini tidak aktif, sub-kelompok itu tidak menerima pelanggan baru",
            ),
        );
    }

    /// An active group under an inactive one takes no new customers.
    fn check_inactive_ancestor(
        &self,
        group: &CustomerGroup,
        ancestors: &[CustomerGroup],
        issues: &mut Issues,
    ) {
        if group.inactive {
            return;
        }
        if let Some(closed) = ancestors.iter().find(|a| a.inactive) {
            let closed = &closed.code;
            issues.warning(
                field::PARENT,
                "inactive.under-inactive-group",
                msg!(
                    self.locale,
                    "group {closed} above it is inactive; this group takes no new customers while it is",
                    "kelompok {closed} di atasnya tidak aktif; selama itu kelompok ini tidak menerima pelanggan baru",
                ),
            );
        }
    }

    fn update(
        &self,
        code: &str,
        mut group: CustomerGroup,
        issues: &mut Issues,
    ) -> Option<CustomerGroup> {
        let Some(stored) = self.facts().group(code) else {
            issues.error(
                field::RECORD,
                "record.not-found",
                msg!(
                    self.locale,
                    "there is no customer group with code {code:?} to update",
                    "tidak ada kelompok pelanggan dengan kode {code:?} untuk diubah",
                ),
            );
            return None;
        };
        if group.code != stored.code {
            let (old, new) = (&stored.code, &group.code);
            issues.error(
                field::CODE,
                "code.immutable",
                msg!(
                    self.locale,
                    "the code cannot be changed once a group is created (it is {old}, not {new:?}); create a new group and reassign the customers instead",
                    "kode tidak dapat diubah setelah kelompok dibuat (kodenya {old}, bukan {new:?}); buat kelompok baru dan pindahkan pelanggannya",
                ),
            );
            group.code = stored.code.clone();
        }
        if group.inactive && !stored.inactive {
            if stored.code == DEFAULT_GROUP {
                self.default_group_stays_active(issues);
            } else {
                let active = self.facts().usage(&stored.code).active_customers;
                if active > 0 {
                    issues.warning(
                        field::INACTIVE,
                        "inactive.has-active-customers",
                        msg!(
                            self.locale,
                            "the group still has {active} active customer(s); consider reassigning them to another group",
                            "kelompok ini masih memiliki {active} pelanggan aktif; sebaiknya pindahkan ke kelompok lain",
                        ),
                    );
                }
                self.check_going_inactive(&stored.code, issues);
            }
        }
        self.check_body(&group, Some(&stored), issues);
        (!issues.has_errors()).then_some(group)
    }

    fn delete(&self, code: &str, issues: &mut Issues) {
        if code == DEFAULT_GROUP {
            issues.error(
                field::CODE,
                "delete.default-group",
                msg!(
                    self.locale,
                    "group {DEFAULT_GROUP} is the default group and cannot be deleted",
                    "kelompok {DEFAULT_GROUP} adalah kelompok bawaan dan tidak dapat dihapus",
                ),
            );
            return;
        }
        if self.facts().group(code).is_none() {
            issues.error(
                field::RECORD,
                "record.not-found",
                msg!(
                    self.locale,
                    "there is no customer group with code {code:?} to delete",
                    "tidak ada kelompok pelanggan dengan kode {code:?} untuk dihapus",
                ),
            );
            return;
        }
        let usage = self.facts().usage(code);
        let (customers, transactions) = (usage.customers, usage.transactions);
        let children = self.tree.children(code).len();
        if customers > 0 || transactions > 0 || children > 0 {
            issues.error(
                field::RECORD,
                "delete.in-use",
                msg!(
                    self.locale,
                    "group {code} cannot be deleted: it has {customers} customer(s), {transactions} transaction(s) and {children} child group(s); make it inactive instead",
                    "kelompok {code} tidak dapat dihapus: memiliki {customers} pelanggan, {transactions} transaksi dan {children} sub-kelompok; jadikan tidak aktif saja",
                ),
            );
        }
    }

    fn default_group_stays_active(&self, issues: &mut Issues) {
        issues.error(
            field::INACTIVE,
            "inactive.default-group",
            msg!(
                self.locale,
                "group {DEFAULT_GROUP} is the default group and cannot be made inactive",
                "kelompok {DEFAULT_GROUP} adalah kelompok bawaan dan tidak dapat dinonaktifkan",
            ),
        );
    }

    /// Checks a normalised code's shape; whether it is well formed.
    fn check_code(&self, code: &str, issues: &mut Issues) -> bool {
        let label = || form::label(field::CODE, self.locale);
        if code.is_empty() {
            let label = label();
            issues.error(
                field::CODE,
                "code.required",
                msg!(self.locale, "{label} is required", "{label} wajib diisi"),
            );
            return false;
        }
        let mut ok = true;
        let len = code.chars().count();
        if len > CODE_MAX {
            ok = false;
            let label = label();
            issues.error(
                field::CODE,
                "code.too-long",
                msg!(
                    self.locale,
                    "{label} {code:?} has {len} characters; at most {CODE_MAX} are allowed",
                    "{label} {code:?} berisi {len} karakter; paling banyak {CODE_MAX}",
                ),
            );
        }
        if let Some(bad) = code.chars().find(|c| !c.is_ascii_alphanumeric()) {
            ok = false;
            let label = label();
            issues.error(
                field::CODE,
                "code.invalid-character",
                msg!(
                    self.locale,
                    "{label} may contain only letters A-Z and digits 0-9, not {bad:?}",
                    "{label} hanya boleh berisi huruf A-Z dan angka 0-9, bukan {bad:?}",
                ),
            );
        }
        ok
    }

    /// Checks everything but the code's shape and uniqueness.
    fn check_body(
        &self,
        group: &CustomerGroup,
        stored: Option<&CustomerGroup>,
        issues: &mut Issues,
    ) {
        self.check_name(&group.code, &group.name, issues);
        let ancestors = self.check_parent(group, issues);
        if let Some(ancestors) = &ancestors {
            self.check_inactive_ancestor(group, ancestors, issues);
        }
        self.check_node(group, stored, issues);
        self.check_settings(group, ancestors.as_deref(), true, issues);
        if let (Some(stored), Some(ancestors)) = (stored, &ancestors) {
            self.check_currency_change(group, stored, ancestors, issues);
        }
    }

    fn check_name(&self, code: &str, name: &str, issues: &mut Issues) {
        let label = || form::label(field::NAME, self.locale);
        if name.is_empty() {
            let label = label();
            issues.error(
                field::NAME,
                "name.required",
                msg!(self.locale, "{label} is required", "{label} wajib diisi"),
            );
            return;
        }
        let len = name.chars().count();
        if len > NAME_MAX {
            let label = label();
            issues.error(
                field::NAME,
                "name.too-long",
                msg!(
                    self.locale,
                    "{label} has {len} characters; at most {NAME_MAX} are allowed",
                    "{label} berisi {len} karakter; paling banyak {NAME_MAX}",
                ),
            );
        }
        if let Some(bad) = name.chars().find(|c| c.is_control()) {
            let label = label();
            issues.error(
                field::NAME,
                "name.control-character",
                msg!(
                    self.locale,
                    "{label} contains the control character {bad:?}; use printable text only",
                    "{label} berisi karakter kontrol {bad:?}; gunakan teks yang dapat dicetak",
                ),
            );
        }
        // Embeddings, overrides and isolates reorder how the rest of the
        // name is shown (in the menu, the list, reports): "VIP\u{202e}lanigiro"
        // can pass for another group. Direction marks (LRM, RLM) stay allowed.
        if let Some(bad) = name
            .chars()
            .find(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        {
            let point = format!("U+{:04X}", u32::from(bad));
            let label = label();
            issues.error(
                field::NAME,
                "name.direction-override",
                msg!(
                    self.locale,
                    "{label} contains the text-direction control {point}, which changes how the name is shown; remove it",
                    "{label} berisi kontrol arah teks {point} yang mengubah tampilan nama; hapus karakter itu",
                ),
            );
        }
        if let Some(other) = self.facts().group_named(name, code) {
            issues.warning(
                field::NAME,
                "name.duplicate",
                msg!(
                    self.locale,
                    "group {other} already has the name {name:?}; users may confuse the two",
                    "kelompok {other} sudah memakai nama {name:?}; pengguna bisa tertukar",
                ),
            );
        }
    }

    /// Checks the parent; the ancestors, nearest first, when the chain is sound.
    fn check_parent(
        &self,
        group: &CustomerGroup,
        issues: &mut Issues,
    ) -> Option<Vec<CustomerGroup>> {
        let Some(parent) = group.parent.as_deref() else {
            return Some(Vec::new());
        };
        let code = &group.code;
        if parent == code {
            issues.error(
                field::PARENT,
                "parent.self",
                msg!(
                    self.locale,
                    "a group cannot be its own parent",
                    "kelompok tidak dapat menjadi induknya sendiri",
                ),
            );
            return None;
        }
        match self.tree.ancestors(code, Some(parent)) {
            Ok(ancestors) => {
                if let Some(first) = ancestors.first()
                    && !first.is_group
                {
                    issues.error(
                        field::PARENT,
                        "parent.not-group",
                        msg!(
                            self.locale,
                            "parent {parent} is not a group node; only group nodes may have child groups",
                            "induk {parent} bukan node kelompok; hanya node kelompok yang boleh memiliki sub-kelompok",
                        ),
                    );
                }
                Some(ancestors)
            }
            Err(Broken::Missing(missing)) => {
                if missing == parent {
                    issues.error(
                        field::PARENT,
                        "parent.unknown",
                        msg!(
                            self.locale,
                            "parent group {parent:?} does not exist",
                            "kelompok induk {parent:?} tidak ada",
                        ),
                    );
                } else {
                    issues.error(
                        field::PARENT,
                        "parent.broken-chain",
                        msg!(
                            self.locale,
                            "ancestor group {missing:?} of {parent} does not exist",
                            "kelompok leluhur {missing:?} dari {parent} tidak ada",
                        ),
                    );
                }
                None
            }
            Err(Broken::Cycle(path)) => {
                let path = path.join(" > ");
                issues.error(
                    field::PARENT,
                    "parent.cycle",
                    msg!(
                        self.locale,
                        "parent {parent} would make a cycle: {path}",
                        "induk {parent} akan membentuk siklus: {path}",
                    ),
                );
                None
            }
        }
    }

    /// Group nodes hold groups, leaves hold customers.
    fn check_node(
        &self,
        group: &CustomerGroup,
        stored: Option<&CustomerGroup>,
        issues: &mut Issues,
    ) {
        let code = &group.code;
        if group.is_group {
            if *code == DEFAULT_GROUP {
                issues.error(
                    field::IS_GROUP,
                    "is-group.default-group",
                    msg!(
                        self.locale,
                        "group {DEFAULT_GROUP} takes customers whose group is unspecified, so it cannot be a group node",
                        "kelompok {DEFAULT_GROUP} menampung pelanggan tanpa kelompok, jadi tidak dapat menjadi node kelompok",
                    ),
                );
            } else if stored.is_some() {
                let customers = self.facts().usage(code).customers;
                if customers > 0 {
                    issues.error(
                        field::IS_GROUP,
                        "is-group.has-customers",
                        msg!(
                            self.locale,
                            "group {code} has {customers} customer(s); a group node cannot hold customers, so reassign them first",
                            "kelompok {code} memiliki {customers} pelanggan; node kelompok tidak dapat berisi pelanggan, jadi pindahkan dulu",
                        ),
                    );
                }
            }
        } else {
            let children = self.tree.children(code);
            if !children.is_empty() {
                let count = children.len();
                let list = children.join(", ");
                issues.error(
                    field::IS_GROUP,
                    "is-group.has-children",
                    msg!(
                        self.locale,
                        "group {code} has {count} child group(s) ({list}), so it must stay a group node",
                        "kelompok {code} memiliki {count} sub-kelompok ({list}), jadi harus tetap node kelompok",
                    ),
                );
            }
        }
    }
}

/// The code a create or update would write, for duplicate detection in a batch.
/// A change in the form its rules check: normalised once, codes included.
enum Normal {
    Create(CustomerGroup),
    Update { code: String, group: CustomerGroup },
    Delete(String),
}

impl From<Change> for Normal {
    fn from(change: Change) -> Self {
        match change {
            Change::Create(group) => Normal::Create(normalize(group)),
            Change::Update(update) => Normal::Update {
                code: normalize_code(&update.code),
                group: normalize(update.proposed),
            },
            Change::Delete(code) => Normal::Delete(normalize_code(&code)),
        }
    }
}

impl Normal {
    /// The code a change creates or updates (a deletion of a code a batch
    /// also touches is caught by the tree).
    fn touched_code(&self) -> Option<String> {
        match self {
            Normal::Create(group) => Some(group.code.clone()),
            Normal::Update { code, .. } => Some(code.clone()),
            Normal::Delete(_) => None,
        }
    }
}
