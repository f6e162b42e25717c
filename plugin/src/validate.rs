//! Validation and normalisation of proposed changes to customer groups.
//!
//! Every rule lives here, once. The host and the daemon call these rules
//! through the component; they never re-implement them. All problems with a
//! change are collected and returned together, errors and warnings alike.

use std::cell::OnceCell;

use crate::accounts::{self, Role, Scope};
use crate::bindings::erp::customer_group::types::{CustomerGroup, ReferenceKind, Settings};
use crate::bindings::exports::erp::customer_group::validation::{Change, Issue, Verdict};
pub use crate::facts::Facts;
use crate::facts::{Broken, Tree};
use crate::form::{self, CODE_MAX, NAME_MAX, REFERENCE_MAX, field};
use crate::i18n::{Locale, msg};
use crate::issues::Issues;
use crate::money::{FULL_PERCENT, percent_text};
use crate::normalize::{normalize, normalize_code, normalize_settings};
use crate::{eas, inherit, model, rules};

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
        let mut issues = Issues::default();
        let normalized = match change {
            Change::Create(group) => self.create(normalize(group), &mut issues),
            Change::Update(update) => {
                self.update(&update.code, normalize(update.proposed), &mut issues)
            }
            Change::Delete(code) => {
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
        let codes: Vec<Option<String>> = changes.iter().map(touched_code).collect();
        for change in &changes {
            match change {
                Change::Create(g) => {
                    let g = normalize(g.clone());
                    self.tree.propose(g.code.clone(), Some(g));
                }
                Change::Update(u) => {
                    let mut g = normalize(u.proposed.clone());
                    g.code = normalize_code(&u.code);
                    self.tree.propose(g.code.clone(), Some(g));
                }
                Change::Delete(code) => self.tree.propose(normalize_code(code), None),
            }
        }
        let mut verdicts: Vec<Verdict> = changes.into_iter().map(|c| self.validate(c)).collect();
        let mut order: Vec<usize> = (0..codes.len()).filter(|&i| codes[i].is_some()).collect();
        order.sort_by(|&a, &b| codes[a].cmp(&codes[b]));
        for run in order.chunk_by(|&a, &b| codes[a] == codes[b]) {
            if run.len() < 2 {
                continue;
            }
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
        let code = normalize_code(code);
        let Some(stored) = self.facts().group(&code) else {
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
        let code = normalize_code(code);
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
        if self.facts().group(&code).is_none() {
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
        let usage = self.facts().usage(&code);
        let (customers, transactions) = (usage.customers, usage.transactions);
        let children = self.tree.children(&code).len();
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
        let label = form::label(field::CODE, self.locale);
        if code.is_empty() {
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
        let label = form::label(field::NAME, self.locale);
        if name.is_empty() {
            issues.error(
                field::NAME,
                "name.required",
                msg!(self.locale, "{label} is required", "{label} wajib diisi"),
            );
            return;
        }
        let len = name.chars().count();
        if len > NAME_MAX {
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

    fn check_settings(
        &self,
        group: &CustomerGroup,
        ancestors: Option<&[CustomerGroup]>,
        require_accounts: bool,
        issues: &mut Issues,
    ) {
        let s = &group.settings;
        let locale = self.locale;
        for role in accounts::settings() {
            let required = role.required() && require_accounts;
            self.check_account(role, s, ancestors, required, issues);
        }
        if let Some(currency) = &s.currency
            && (currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()))
        {
            issues.error(
                field::CURRENCY,
                "currency.invalid",
                msg!(
                    locale,
                    "currency {currency:?} is not an ISO 4217 code of three letters, e.g. IDR",
                    "mata uang {currency:?} bukan kode ISO 4217 tiga huruf, mis. IDR",
                ),
            );
        } else {
            self.check_reference(
                field::CURRENCY,
                ReferenceKind::Currency,
                &s.currency,
                issues,
            );
        }
        for (name, kind, value) in [
            ("price-list", ReferenceKind::PriceList, &s.price_list),
            ("price-code", ReferenceKind::PriceCode, &s.price_code),
            (
                "payment-terms",
                ReferenceKind::PaymentTerms,
                &s.payment_terms,
            ),
            ("tax-regime", ReferenceKind::TaxRegime, &s.tax_regime),
            ("gst-override", ReferenceKind::TaxCode, &s.gst_override),
        ] {
            self.check_reference(name, kind, value, issues);
        }
        for (field, limit) in [
            (field::CREDIT_LIMIT, s.credit_limit),
            (field::SHARED_CREDIT_LIMIT, s.shared_credit_limit),
        ] {
            // No amount in the message: the plugin does not know the
            // currency's decimals, and minor units would mislead.
            if let Some(limit) = limit
                && limit < 0
            {
                let label = form::label(field, locale);
                issues.error(
                    field,
                    &format!("{field}.negative"),
                    msg!(
                        locale,
                        "{label} cannot be negative",
                        "{label} tidak boleh negatif",
                    ),
                );
            }
        }
        if let Some(terms) = &s.due_terms {
            rules::period(terms, field::DUE_COUNT, field::DUE_DAY, 0, locale, issues);
        }
        if let Some(discount) = &s.prompt_payment_discount {
            let bp = discount.percent;
            if bp == 0 || bp > FULL_PERCENT {
                let shown = percent_text(bp);
                issues.error(
                    field::PAYMENT_DISCOUNT,
                    "percent.out-of-range",
                    msg!(
                        locale,
                        "payment discount {shown} is not above 0% and at most 100%",
                        "potongan pembayaran {shown} tidak di atas 0% dan paling banyak 100%",
                    ),
                );
            }
            rules::period(
                &discount.within,
                field::DISCOUNT_COUNT,
                field::DISCOUNT_DAY,
                1,
                locale,
                issues,
            );
        }
        if let Some(count) = s.statement_count
            && !(1..=12).contains(&count)
        {
            issues.error(
                field::STATEMENT_COUNT,
                "statement-count.out-of-range",
                msg!(
                    locale,
                    "statement count {count} is out of range; use 1 to 12",
                    "jumlah laporan tagihan {count} di luar rentang; gunakan 1 sampai 12",
                ),
            );
        }
        if let Some(eas) = &s.peppol_eas
            && !eas::is_known(eas)
        {
            issues.error(
                field::PEPPOL_EAS,
                "peppol-eas.unknown",
                msg!(
                    locale,
                    "{eas:?} is not a Peppol EAS code; e.g. 0088 (GLN), 0195 (Singapore UEN), 9957 (French VAT)",
                    "{eas:?} bukan kode EAS Peppol; mis. 0088 (GLN), 0195 (UEN Singapura), 9957 (PPN Prancis)",
                ),
            );
        }
        if let Some(rows) = &s.sales_discount_rules {
            rules::sales_discount(rows, locale, issues);
        }
        if let Some(rows) = &s.payment_discount_rules {
            rules::payment_discount(rows, locale, issues);
        }
        if let Some(rows) = &s.product_gift_rules {
            rules::product_gift(rows, locale, issues, |product| {
                self.facts()
                    .reference_exists(ReferenceKind::Product, product)
            });
        }
        if let Some(rows) = &s.points_rules {
            rules::points(rows, locale, issues);
        }
    }

    fn check_reference(
        &self,
        name: &str,
        kind: ReferenceKind,
        value: &Option<String>,
        issues: &mut Issues,
    ) {
        let Some(code) = value else { return };
        let label = form::label(name, self.locale);
        let len = code.chars().count();
        if len > REFERENCE_MAX {
            issues.error(
                name,
                "reference.too-long",
                msg!(
                    self.locale,
                    "{label} has {len} characters; at most {REFERENCE_MAX} are allowed",
                    "{label} berisi {len} karakter; paling banyak {REFERENCE_MAX}",
                ),
            );
        } else if !self.facts().reference_exists(kind, code) {
            issues.error(
                name,
                "reference.unknown",
                msg!(
                    self.locale,
                    "{label}: {code:?} does not exist",
                    "{label}: {code:?} tidak ada",
                ),
            );
        }
    }

    /// Checks one account setting: its own value, or else what it resolves to
    /// (an ancestor's, or the AR settings default), which must be usable too.
    fn check_account(
        &self,
        role: &Role,
        settings: &Settings,
        ancestors: Option<&[CustomerGroup]>,
        required: bool,
        issues: &mut Issues,
    ) {
        let name = role.field;
        let label = form::label(name, self.locale);
        if let Some(code) = model::account(settings, name) {
            self.check_account_code(role, &label, code, issues);
            return;
        }
        // A broken parent chain is reported already; what it resolves to is unknown.
        let Some(ancestors) = ancestors else { return };
        if let Some(ancestor) = ancestors
            .iter()
            .find(|a| model::account(&a.settings, name).is_some())
        {
            let from = &ancestor.code;
            let label = msg!(
                self.locale,
                "{label} (inherited from {from})",
                "{label} (diwarisi dari {from})",
            );
            let code = model::account(&ancestor.settings, name).unwrap_or_default();
            self.check_account_code(role, &label, code, issues);
        } else if let Some(code) = model::account(self.settings(), name) {
            let label = msg!(
                self.locale,
                "{label} (AR settings default)",
                "{label} (bawaan pengaturan piutang)",
            );
            self.check_account_code(role, &label, code, issues);
        } else if required {
            issues.error(
                name,
                "account.required",
                msg!(
                    self.locale,
                    "{label} is required: choose an account, set one on a parent group, or set a default in the AR settings",
                    "{label} wajib diisi: pilih akun, tetapkan pada kelompok induk, atau tetapkan akun bawaan di pengaturan piutang",
                ),
            );
        }
    }

    /// The account check ([`accounts::check`]) of account `code` in `role`.
    fn check_account_code(&self, role: &Role, label: &str, code: &str, issues: &mut Issues) {
        let account = self.facts().account(code);
        accounts::check(
            Scope::Setting,
            role,
            code,
            account.as_ref(),
            label,
            self.locale,
            |rule, message| issues.error(role.field, rule, message),
        );
    }

    /// Customers have their group's currency: a change of the currency a
    /// group resolves to is refused while customers of the group, or of
    /// descendants inheriting it, trade in another.
    fn check_currency_change(
        &self,
        group: &CustomerGroup,
        stored: &CustomerGroup,
        ancestors: &[CustomerGroup],
        issues: &mut Issues,
    ) {
        let defaults = self.settings();
        let (new, _) = inherit::resolve(&group.settings, ancestors, defaults);
        let stored_ancestors = Tree::new(self.facts())
            .ancestors(&stored.code, stored.parent.as_deref())
            .unwrap_or_default();
        let (old, _) = inherit::resolve(&stored.settings, &stored_ancestors, defaults);
        let Some(currency) = new.currency else { return };
        if old.currency.as_deref() == Some(currency.as_str()) {
            return;
        }
        // The group and every descendant that inherits its currency.
        let mut affected = vec![group.code.clone()];
        let mut queue = vec![group.code.clone()];
        while let Some(code) = queue.pop() {
            for child in self.tree.children(&code) {
                if let Some(g) = self.tree.group(&child)
                    && g.settings.currency.is_none()
                    && !affected.contains(&child)
                {
                    affected.push(child.clone());
                    queue.push(child);
                }
            }
        }
        let mismatched: usize = affected
            .iter()
            .map(|code| {
                self.facts()
                    .customers(code)
                    .iter()
                    .filter(|c| c.currency != currency)
                    .count()
            })
            .sum();
        if mismatched > 0 {
            let code = &group.code;
            issues.error(
                field::CURRENCY,
                "currency.customers-differ",
                msg!(
                    self.locale,
                    "group {code} cannot change to {currency}: {mismatched} of its customers (including those of child groups that inherit the currency) trade in another currency; customers must have their group's currency",
                    "kelompok {code} tidak dapat diubah ke {currency}: {mismatched} pelanggannya (termasuk pelanggan sub-kelompok yang mewarisi mata uang) memakai mata uang lain; pelanggan harus memakai mata uang kelompoknya",
                ),
            );
        }
    }
}

/// The code a create or update would write, for duplicate detection in a batch.
fn touched_code(change: &Change) -> Option<String> {
    match change {
        Change::Create(group) => Some(normalize_code(&group.code)),
        Change::Update(update) => Some(normalize_code(&update.code)),
        Change::Delete(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::erp::customer_group::types::PromptDiscount;
    use crate::bindings::erp::customer_group::types::{DueTerms, PeriodUnit, SalesDiscountRule};
    use crate::bindings::exports::erp::customer_group::validation::Update;
    use crate::facts::testing::{MapFacts, customer, facts, group};

    fn rules(verdict: &Verdict) -> Vec<&str> {
        verdict.issues.iter().map(|i| i.rule.as_str()).collect()
    }

    fn check(facts: &MapFacts, change: Change) -> Verdict {
        Validator::new(facts, Locale::En).validate(change)
    }

    #[test]
    fn a_valid_group_is_normalised() {
        let verdict = check(
            &facts(),
            Change::Create(group(" l001 ", "  Lokal 1 ", Some(" 1100"))),
        );
        assert_eq!(rules(&verdict), Vec::<&str>::new());
        let saved = verdict.normalized.expect("valid");
        assert_eq!(saved.code, "L001");
        assert_eq!(saved.name, "Lokal 1");
        assert_eq!(saved.settings.receivable_account.as_deref(), Some("1100"));
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let mut bad = group("TOO-LONG-CODE", "", Some("1000"));
        bad.settings.reward_expense_account = Some("9999".into());
        bad.settings.sales_discount_account = None;
        let verdict = check(&facts(), Change::Create(bad));
        assert_eq!(
            rules(&verdict),
            [
                "code.too-long",
                "code.invalid-character",
                "name.required",
                "account.wrong-kind",
                "account.required",
                "account.unknown",
            ]
        );
        assert!(verdict.normalized.is_none());
    }

    #[test]
    fn blank_account_resolves_through_ar_settings() {
        let mut facts = facts();
        facts.defaults = Some(model::empty());
        facts.defaults.as_mut().expect("set").receivable_account = Some("1100".into());
        let verdict = check(&facts, Change::Create(group("A1", "A", None)));
        assert!(verdict.issues.is_empty(), "{:?}", rules(&verdict));
        assert_eq!(
            verdict
                .normalized
                .expect("valid")
                .settings
                .receivable_account,
            None
        );
    }

    #[test]
    fn an_unusable_default_is_an_error_on_the_blank_field() {
        let mut facts = facts();
        facts.defaults = Some(model::empty());
        facts.defaults.as_mut().expect("set").receivable_account = Some("4900".into());
        let verdict = check(&facts, Change::Create(group("A1", "A", None)));
        assert_eq!(rules(&verdict), ["account.wrong-kind"]);
        assert!(
            verdict.issues[0]
                .message
                .starts_with("Accounts Receivable (AR settings default): account 4900"),
            "{}",
            verdict.issues[0].message
        );
    }

    #[test]
    fn codes_are_immutable_and_unique() {
        let facts = facts();
        let verdict = check(
            &facts,
            Change::Create(group("0000", "Another", Some("1100"))),
        );
        assert_eq!(rules(&verdict), ["code.duplicate"]);
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "0000".into(),
                proposed: group("0001", "Default", Some("1100")),
            }),
        );
        assert_eq!(rules(&verdict), ["code.immutable"]);
    }

    #[test]
    fn the_default_group_is_never_deleted_or_inactive() {
        let facts = facts();
        assert_eq!(
            rules(&check(&facts, Change::Delete(" 0000".into()))),
            ["delete.default-group"]
        );
        let mut inactive = group("0000", "Default", Some("1100"));
        inactive.inactive = true;
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "0000".into(),
                proposed: inactive,
            }),
        );
        assert_eq!(rules(&verdict), ["inactive.default-group"]);
    }

    #[test]
    fn a_group_in_use_is_not_deleted_and_inactivating_it_warns() {
        let mut facts = facts();
        facts
            .groups
            .insert("VIP".into(), group("VIP", "VIP Customers", Some("1100")));
        facts.customers.push(customer("C1", "VIP", "IDR"));
        facts.customers.push(customer("C2", "VIP", "IDR"));
        let mut gone = customer("C3", "VIP", "IDR");
        gone.active = false;
        facts.customers.push(gone);
        facts.transactions.insert("VIP".into(), 7);
        let verdict = check(&facts, Change::Delete("vip".into()));
        assert_eq!(rules(&verdict), ["delete.in-use"]);
        assert!(
            verdict.issues[0]
                .message
                .contains("3 customer(s), 7 transaction(s)")
        );
        let mut inactive = group("VIP", "VIP Customers", Some("1100"));
        inactive.inactive = true;
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "VIP".into(),
                proposed: inactive,
            }),
        );
        assert_eq!(rules(&verdict), ["inactive.has-active-customers"]);
        assert!(verdict.normalized.is_some(), "a warning does not block");
    }

    #[test]
    fn inactive_rules_apply_through_the_tree() {
        let mut facts = facts();
        let mut node = group("NODE", "Node", Some("1100"));
        node.is_group = true;
        let mut kid = group("KID", "Kid", Some("1100"));
        kid.parent = Some("NODE".into());
        facts.groups.insert("NODE".into(), node.clone());
        facts.groups.insert("KID".into(), kid.clone());
        facts.customers.push(customer("C1", "KID", "IDR"));
        // Deactivating the node warns about the active subgroup it leaves.
        let mut closed = node.clone();
        closed.inactive = true;
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "NODE".into(),
                proposed: closed.clone(),
            }),
        );
        assert_eq!(rules(&verdict), ["inactive.has-active-subgroups"]);
        assert!(
            verdict.issues[0]
                .message
                .contains("(KID) with 1 active customer(s)")
        );
        assert!(verdict.normalized.is_some(), "a warning does not block");
        // Declared inactive together with an active child, in one batch.
        let fresh = crate::facts::testing::facts();
        let mut new_node = closed.clone();
        new_node.code = "N2".into();
        let mut new_kid = kid.clone();
        new_kid.code = "K2".into();
        new_kid.parent = Some("N2".into());
        let verdicts = Validator::new(&fresh, Locale::En)
            .validate_many(vec![Change::Create(new_node), Change::Create(new_kid)]);
        assert_eq!(rules(&verdicts[0]), ["inactive.has-active-subgroups"]);
        assert_eq!(rules(&verdicts[1]), ["inactive.under-inactive-group"]);
        // An inactive ancestor closes the subtree to new customers.
        facts.groups.insert("NODE".into(), closed);
        let newcomer = customer("C2", "KID", "IDR");
        let issues = crate::lifecycle::check_customer(&facts, &newcomer, true, Locale::En);
        assert!(
            issues
                .iter()
                .any(|i| i.rule == "customer.inactive-group" && i.message.contains("NODE")),
            "{issues:?}"
        );
        assert!(crate::lifecycle::check_customer(&facts, &newcomer, false, Locale::En).is_empty());
    }

    #[test]
    fn inactive_accounts_and_control_characters_are_refused() {
        let verdict = check(
            &facts(),
            Change::Create(group("B1", "Bad\u{7}Name", Some("1190"))),
        );
        assert_eq!(
            rules(&verdict),
            ["name.control-character", "account.inactive"]
        );
    }

    #[test]
    fn letters_outside_a_z_are_refused_not_upper_cased_into_it() {
        for (code, bad) in [
            ("v\u{131}p", "'\u{131}'"),
            ("\u{17f}ale", "'\u{17f}'"),
            ("\u{fb00}1", "'\u{fb00}'"),
        ] {
            let verdict = check(
                &facts(),
                Change::Create(group(code, "Look-alike", Some("1100"))),
            );
            assert_eq!(rules(&verdict), ["code.invalid-character"], "{code}");
            assert!(
                verdict.issues[0].message.contains(bad),
                "{}",
                verdict.issues[0].message
            );
        }
        let verdict = check(
            &facts(),
            Change::Create(group(" vip\t", "Plain", Some("1100"))),
        );
        assert!(rules(&verdict).is_empty(), "{:?}", verdict.issues);
        assert_eq!(verdict.normalized.expect("stored").code, "VIP");
    }

    #[test]
    fn direction_overrides_are_refused_and_direction_marks_allowed() {
        let verdict = check(
            &facts(),
            Change::Create(group("B1", "VIP\u{202e}lanigiro", Some("1100"))),
        );
        assert_eq!(rules(&verdict), ["name.direction-override"]);
        assert!(verdict.issues[0].message.contains("U+202E"));
        let verdict = check(
            &facts(),
            Change::Create(group("B2", "\u{2067}Nama\u{2069}", Some("1100"))),
        );
        assert_eq!(rules(&verdict), ["name.direction-override"]);
        let verdict = check(
            &facts(),
            Change::Create(group(
                "B3",
                "Toko \u{200f}\u{627}\u{644}\u{200e} 1",
                Some("1100"),
            )),
        );
        assert!(rules(&verdict).is_empty(), "{:?}", verdict.issues);
    }

    #[test]
    fn a_batch_may_not_touch_a_code_twice() {
        let facts = facts();
        let verdicts = Validator::new(&facts, Locale::Id).validate_many(vec![
            Change::Create(group("x1", "One", Some("1100"))),
            Change::Create(group("X2", "Two", Some("1100"))),
            Change::Create(group(" X1", "Three", Some("1100"))),
        ]);
        assert_eq!(rules(&verdicts[0]), ["code.duplicate-in-batch"]);
        assert!(verdicts[1].issues.is_empty());
        assert!(verdicts[2].issues[0].message.contains("muncul 2 kali"));
    }

    fn node(code: &str, parent: Option<&str>) -> CustomerGroup {
        let mut g = group(code, code, Some("1100"));
        g.parent = parent.map(Into::into);
        g.is_group = true;
        g
    }

    fn under(code: &str, parent: &str) -> CustomerGroup {
        let mut g = group(code, code, None);
        g.parent = Some(parent.into());
        g.settings = model::empty();
        g
    }

    fn tree() -> MapFacts {
        let mut facts = facts();
        for g in [node("ALL", None), node("ASIA", Some("ALL"))] {
            facts.groups.insert(g.code.clone(), g);
        }
        facts.groups.insert("JKT".into(), under("JKT", "ASIA"));
        facts
    }

    #[test]
    fn parents_must_exist_be_group_nodes_and_not_loop() {
        let facts = tree();
        let cases = [
            (under("X1", "NOPE"), "parent.unknown"),
            (under("X2", "JKT"), "parent.not-group"),
            (under("X3", "X3"), "parent.self"),
        ];
        for (g, rule) in cases {
            assert_eq!(rules(&check(&facts, Change::Create(g))), [rule]);
        }
        // ALL under ASIA: ASIA is under ALL already.
        let mut all = node("ALL", Some("asia"));
        all.name = "ALL".into();
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "ALL".into(),
                proposed: all,
            }),
        );
        assert_eq!(rules(&verdict), ["parent.cycle"]);
        assert!(
            verdict.issues[0].message.contains("ALL > ASIA > ALL"),
            "{}",
            verdict.issues[0].message
        );
    }

    #[test]
    fn a_batch_sees_its_own_parents_and_its_own_cycles() {
        let facts = facts();
        let ok = Validator::new(&facts, Locale::En).validate_many(vec![
            Change::Create(under("LEAF", "TOP")),
            Change::Create(node("TOP", None)),
        ]);
        assert!(ok.iter().all(|v| v.issues.is_empty()), "{ok:?}");
        let looped = Validator::new(&facts, Locale::En).validate_many(vec![
            Change::Create(node("A", Some("B"))),
            Change::Create(node("B", Some("A"))),
        ]);
        assert_eq!(rules(&looped[0]), ["parent.cycle"]);
        assert_eq!(rules(&looped[1]), ["parent.cycle"]);
    }

    #[test]
    fn nodes_hold_groups_and_leaves_hold_customers() {
        let mut facts = tree();
        facts.customers.push(customer("C1", "JKT", "IDR"));
        let mut jkt = under("JKT", "ASIA");
        jkt.is_group = true;
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "JKT".into(),
                proposed: jkt,
            }),
        );
        assert_eq!(rules(&verdict), ["is-group.has-customers"]);
        let mut asia = node("ASIA", Some("ALL"));
        asia.is_group = false;
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "ASIA".into(),
                proposed: asia,
            }),
        );
        assert_eq!(rules(&verdict), ["is-group.has-children"]);
        let mut default = group("0000", "Default", None);
        default.is_group = true;
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "0000".into(),
                proposed: default,
            }),
        );
        assert!(rules(&verdict).contains(&"is-group.default-group"));
        assert_eq!(
            rules(&check(&facts, Change::Delete("ASIA".into()))),
            ["delete.in-use"]
        );
    }

    #[test]
    fn blank_accounts_resolve_through_the_tree() {
        let facts = tree();
        // JKT sets nothing: every account comes from ALL (receivable) or is missing.
        let verdict = check(&facts, Change::Create(under("BDG", "ASIA")));
        assert_eq!(rules(&verdict), Vec::<&str>::new());
        let mut facts = tree();
        facts
            .groups
            .get_mut("ASIA")
            .expect("ASIA")
            .settings
            .receivable_account = None;
        facts
            .groups
            .get_mut("ALL")
            .expect("ALL")
            .settings
            .receivable_account = Some("1000".into());
        let verdict = check(&facts, Change::Create(under("BDG", "ASIA")));
        assert_eq!(rules(&verdict), ["account.wrong-kind"]);
        assert!(
            verdict.issues[0]
                .message
                .starts_with("Accounts Receivable (inherited from ALL)"),
            "{}",
            verdict.issues[0].message
        );
    }

    #[test]
    fn a_currency_change_is_refused_while_customers_trade_in_another() {
        let mut facts = tree();
        facts.customers.push(customer("C1", "JKT", "IDR"));
        facts.customers.push(customer("C2", "JKT", "IDR"));
        let mut asia = node("ASIA", Some("ALL"));
        asia.settings.currency = Some("usd".into());
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "ASIA".into(),
                proposed: asia.clone(),
            }),
        );
        assert_eq!(rules(&verdict), ["currency.customers-differ"]);
        assert!(verdict.issues[0].message.contains("2 of its customers"));
        asia.settings.currency = Some("IDR".into());
        let verdict = check(
            &facts,
            Change::Update(Update {
                code: "ASIA".into(),
                proposed: asia,
            }),
        );
        assert!(verdict.issues.is_empty(), "{:?}", rules(&verdict));
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let facts = facts();
        let mut g = group("S1", "Settings", Some("1100"));
        let s = &mut g.settings;
        s.currency = Some("rupiah".into());
        s.price_list = Some("Nope".into());
        s.bank_account = Some("1100".into());
        s.credit_limit = Some(-1);
        s.due_terms = Some(DueTerms {
            count: 30,
            unit: PeriodUnit::Days,
            day: Some(5),
        });
        s.prompt_payment_discount = Some(PromptDiscount {
            percent: 20_000,
            within: DueTerms {
                count: 0,
                unit: PeriodUnit::Months,
                day: Some(40),
            },
        });
        s.statement_count = Some(13);
        s.peppol_eas = Some("88".into());
        s.sales_discount_rules = Some(vec![SalesDiscountRule {
            valid_from: "2025-13-01".into(),
            valid_to: None,
            min_amount: 100,
            percent: 500,
        }]);
        let verdict = check(&facts, Change::Create(g));
        let fields: Vec<(&str, &str)> = verdict
            .issues
            .iter()
            .map(|i| (i.field.as_str(), i.rule.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("bank-account", "account.wrong-kind"),
                ("currency", "currency.invalid"),
                ("price-list", "reference.unknown"),
                ("credit-limit", "credit-limit.negative"),
                ("due-day", "period.day-without-months"),
                ("payment-discount", "percent.out-of-range"),
                ("discount-count", "period.count-out-of-range"),
                ("discount-day", "period.day-out-of-range"),
                ("statement-count", "statement-count.out-of-range"),
                ("peppol-eas", "peppol-eas.unknown"),
                ("sales-discount-rules[1].valid-from", "rules.bad-date"),
            ]
        );
    }

    #[test]
    fn defaults_are_checked_but_nothing_is_required() {
        let facts = facts();
        let mut defaults = model::empty();
        let (normalized, issues) =
            Validator::new(&facts, Locale::En).validate_defaults(defaults.clone());
        assert!(issues.is_empty() && normalized.is_some());
        defaults.receivable_account = Some("4900".into());
        defaults.currency = Some("XYZ".into());
        let (normalized, issues) = Validator::new(&facts, Locale::En).validate_defaults(defaults);
        let rules: Vec<&str> = issues.iter().map(|i| i.rule.as_str()).collect();
        assert_eq!(rules, ["account.wrong-kind", "reference.unknown"]);
        assert!(normalized.is_none());
    }

    #[test]
    fn valid_settings_are_normalised() {
        let facts = facts();
        let mut g = group("S2", "Settings", Some("1100"));
        g.settings.currency = Some(" idr ".into());
        g.settings.peppol_eas = Some("0088".into());
        g.settings.tax_regime = Some("EXPORT".into());
        g.settings.gst_override = Some(" ZERO".into());
        g.settings.price_code = Some("".into());
        let verdict = check(&facts, Change::Create(g));
        assert!(verdict.issues.is_empty(), "{:?}", rules(&verdict));
        let s = verdict.normalized.expect("valid").settings;
        assert_eq!(s.currency.as_deref(), Some("IDR"));
        assert_eq!(s.gst_override.as_deref(), Some("ZERO"));
        assert_eq!(s.price_code, None);
    }
}
