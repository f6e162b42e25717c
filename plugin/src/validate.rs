//! Validation and normalisation of proposed changes to customer groups.
//!
//! Every rule lives here, once. The host and the daemon call these rules
//! through the component; they never re-implement them. All problems with a
//! change are collected and returned together, errors and warnings alike.

use std::cell::OnceCell;

use crate::bindings::erp::customer_group::types::{
    Account, AccountKind, ArSettings, CustomerGroup, GroupUsage,
};
use crate::bindings::exports::erp::customer_group::validation::{Change, Issue, Severity, Verdict};
use crate::form::{self, CODE_MAX, NAME_MAX, field};
use crate::i18n::{Locale, msg};

/// The default group: always exists, cannot be deleted or made inactive.
pub const DEFAULT_GROUP: &str = "0000";

/// The facts the rules need from the host. The component implements it over
/// the `host` imports; unit tests implement it over maps.
pub trait Facts {
    /// The chart-of-accounts entry with this code.
    fn account(&self, code: &str) -> Option<Account>;
    /// The stored group with this code.
    fn group(&self, code: &str) -> Option<CustomerGroup>;
    /// Another stored group with this name (case-insensitive), by code.
    fn group_named(&self, name: &str, except_code: &str) -> Option<String>;
    /// How much the group is in use.
    fn group_usage(&self, code: &str) -> GroupUsage;
    /// The AR settings.
    fn ar_settings(&self) -> ArSettings;
}

/// Trims and upper-cases a code: the form in which codes are stored and compared.
pub fn normalize_code(code: &str) -> String {
    code.trim().to_uppercase()
}

/// Validates one change, or many as one batch, against a host's facts.
pub struct Validator<'f, F> {
    facts: &'f F,
    locale: Locale,
    settings: OnceCell<ArSettings>,
}

impl<'f, F: Facts> Validator<'f, F> {
    /// A validator whose messages are in `locale`.
    pub fn new(facts: &'f F, locale: Locale) -> Self {
        Self {
            facts,
            locale,
            settings: OnceCell::new(),
        }
    }

    /// Validates and normalises one change.
    pub fn validate(&self, change: Change) -> Verdict {
        let mut issues = Issues::default();
        let normalized = match change {
            Change::Create(group) => self.create(group, &mut issues),
            Change::Update(update) => self.update(&update.code, update.proposed, &mut issues),
            Change::Delete(code) => {
                self.delete(&code, &mut issues);
                None
            }
        };
        issues.into_verdict(normalized)
    }

    /// Validates many changes as one batch: each on its own, and then a code
    /// that more than one change of the batch creates or updates is an error
    /// on every one of them.
    pub fn validate_many(&self, changes: Vec<Change>) -> Vec<Verdict> {
        let codes: Vec<Option<String>> = changes.iter().map(touched_code).collect();
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

    fn settings(&self) -> &ArSettings {
        self.settings.get_or_init(|| self.facts.ar_settings())
    }

    fn create(&self, group: CustomerGroup, issues: &mut Issues) -> Option<CustomerGroup> {
        let code = self.check_code(&group.code, issues);
        if let Some(code) = &code
            && self.facts.group(code).is_some()
        {
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
        if group.inactive && code.as_deref() == Some(DEFAULT_GROUP) {
            self.default_group_stays_active(issues);
        }
        let group = self.check_body(code.unwrap_or_default(), group, issues);
        (!issues.has_errors()).then_some(group)
    }

    fn update(
        &self,
        code: &str,
        proposed: CustomerGroup,
        issues: &mut Issues,
    ) -> Option<CustomerGroup> {
        let code = normalize_code(code);
        let Some(stored) = self.facts.group(&code) else {
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
        let new_code = normalize_code(&proposed.code);
        if new_code != stored.code {
            let old = &stored.code;
            issues.error(
                field::CODE,
                "code.immutable",
                msg!(
                    self.locale,
                    "the code cannot be changed once a group is created (it is {old}, not {new_code:?}); create a new group and reassign the customers instead",
                    "kode tidak dapat diubah setelah kelompok dibuat (kodenya {old}, bukan {new_code:?}); buat kelompok baru dan pindahkan pelanggannya",
                ),
            );
        }
        if proposed.inactive && !stored.inactive {
            if stored.code == DEFAULT_GROUP {
                self.default_group_stays_active(issues);
            } else {
                let active = self.facts.group_usage(&stored.code).active_customers;
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
            }
        }
        let group = self.check_body(stored.code, proposed, issues);
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
        if self.facts.group(&code).is_none() {
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
        let GroupUsage {
            customers,
            transactions,
            ..
        } = self.facts.group_usage(&code);
        if customers > 0 || transactions > 0 {
            issues.error(
                field::RECORD,
                "delete.in-use",
                msg!(
                    self.locale,
                    "group {code} cannot be deleted: it has {customers} customer(s) and {transactions} transaction(s); make it inactive instead",
                    "kelompok {code} tidak dapat dihapus: memiliki {customers} pelanggan dan {transactions} transaksi; jadikan tidak aktif saja",
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

    /// Checks a code's shape; the normalised code if it is well formed.
    fn check_code(&self, raw: &str, issues: &mut Issues) -> Option<String> {
        let code = normalize_code(raw);
        let label = form::label(field::CODE, self.locale);
        if code.is_empty() {
            issues.error(
                field::CODE,
                "code.required",
                msg!(self.locale, "{label} is required", "{label} wajib diisi"),
            );
            return None;
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
        ok.then_some(code)
    }

    /// Checks and normalises everything but the code.
    fn check_body(&self, code: String, group: CustomerGroup, issues: &mut Issues) -> CustomerGroup {
        let name = self.check_name(&code, &group.name, issues);
        let settings = self.settings();
        let [receivable, reward, discount, write_off] = [
            (
                field::RECEIVABLE,
                group.receivable_account,
                &settings.receivable_account,
                &[AccountKind::Receivable][..],
            ),
            (
                field::REWARD_EXPENSE,
                group.reward_expense_account,
                &settings.reward_expense_account,
                &[AccountKind::Expense][..],
            ),
            (
                field::SALES_DISCOUNT,
                group.sales_discount_account,
                &settings.sales_discount_account,
                &[AccountKind::Income, AccountKind::Expense][..],
            ),
            (
                field::WRITE_OFF,
                group.write_off_account,
                &settings.write_off_account,
                &[AccountKind::Expense, AccountKind::Income][..],
            ),
        ]
        .map(|(name, value, default, kinds)| {
            self.check_account(name, value, default.as_deref(), kinds, issues)
        });
        CustomerGroup {
            code,
            name,
            receivable_account: receivable,
            reward_expense_account: reward,
            sales_discount_account: discount,
            write_off_account: write_off,
            inactive: group.inactive,
        }
    }

    fn check_name(&self, code: &str, raw: &str, issues: &mut Issues) -> String {
        let name = raw.trim().to_owned();
        let label = form::label(field::NAME, self.locale);
        if name.is_empty() {
            issues.error(
                field::NAME,
                "name.required",
                msg!(self.locale, "{label} is required", "{label} wajib diisi"),
            );
            return name;
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
        if let Some(other) = self.facts.group_named(&name, code) {
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
        name
    }

    /// Checks one account setting; the trimmed account, `None` when blank.
    fn check_account(
        &self,
        name: &str,
        value: Option<String>,
        default: Option<&str>,
        kinds: &[AccountKind],
        issues: &mut Issues,
    ) -> Option<String> {
        let label = form::label(name, self.locale);
        let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let Some(code) = value else {
            match default {
                // A blank account resolves to the default: that must be usable too.
                Some(default) => {
                    let label = msg!(
                        self.locale,
                        "{label} (AR settings default)",
                        "{label} (bawaan pengaturan piutang)",
                    );
                    self.check_account_code(name, &label, default, kinds, issues);
                }
                None => issues.error(
                    name,
                    "account.required",
                    msg!(
                        self.locale,
                        "{label} is required: choose an account, or set a default in the AR settings",
                        "{label} wajib diisi: pilih akun, atau tetapkan akun bawaan di pengaturan piutang",
                    ),
                ),
            }
            return None;
        };
        self.check_account_code(name, &label, &code, kinds, issues);
        Some(code)
    }

    /// Checks that account `code` exists, is active and of one of `kinds`.
    fn check_account_code(
        &self,
        name: &str,
        label: &str,
        code: &str,
        kinds: &[AccountKind],
        issues: &mut Issues,
    ) {
        match self.facts.account(code) {
            None => issues.error(
                name,
                "account.unknown",
                msg!(
                    self.locale,
                    "{label}: account {code:?} does not exist in the chart of accounts; create it with \"+\" or choose another",
                    "{label}: akun {code:?} tidak ada di bagan akun; buat dengan \"+\" atau pilih akun lain",
                ),
            ),
            Some(account) => {
                let account_name = &account.name;
                if !kinds.contains(&account.kind) {
                    let is = kind_name(account.kind, self.locale);
                    let wanted = kinds
                        .iter()
                        .map(|k| kind_name(*k, self.locale))
                        .collect::<Vec<_>>()
                        .join(match self.locale {
                            Locale::En => " or ",
                            Locale::Id => " atau ",
                        });
                    issues.error(
                        name,
                        "account.wrong-kind",
                        msg!(
                            self.locale,
                            "{label}: account {code} {account_name} is {is} account; this field needs {wanted} account",
                            "{label}: akun {code} {account_name} adalah akun {is}; isian ini memerlukan akun {wanted}",
                        ),
                    );
                }
                if !account.active {
                    issues.error(
                        name,
                        "account.inactive",
                        msg!(
                            self.locale,
                            "{label}: account {code} {account_name} is inactive",
                            "{label}: akun {code} {account_name} tidak aktif",
                        ),
                    );
                }
            }
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

fn kind_name(kind: AccountKind, locale: Locale) -> &'static str {
    let (en, id) = match kind {
        AccountKind::Receivable => ("a receivable", "piutang"),
        AccountKind::Bank => ("a bank", "bank"),
        AccountKind::OtherAsset => ("an asset", "aset"),
        AccountKind::Liability => ("a liability", "kewajiban"),
        AccountKind::Equity => ("an equity", "ekuitas"),
        AccountKind::Income => ("an income", "pendapatan"),
        AccountKind::Expense => ("an expense", "beban"),
    };
    match locale {
        Locale::En => en,
        Locale::Id => id,
    }
}

/// Issues collected for one change.
#[derive(Default)]
struct Issues {
    list: Vec<Issue>,
}

impl Issues {
    fn push(&mut self, field: &str, severity: Severity, rule: &str, message: String) {
        self.list.push(Issue {
            field: field.to_owned(),
            severity,
            rule: rule.to_owned(),
            message,
        });
    }

    fn error(&mut self, field: &str, rule: &str, message: String) {
        self.push(field, Severity::Error, rule, message);
    }

    fn warning(&mut self, field: &str, rule: &str, message: String) {
        self.push(field, Severity::Warning, rule, message);
    }

    fn has_errors(&self) -> bool {
        self.list.iter().any(|i| i.severity == Severity::Error)
    }

    fn into_verdict(self, normalized: Option<CustomerGroup>) -> Verdict {
        let normalized = if self.has_errors() { None } else { normalized };
        Verdict {
            normalized,
            issues: self.list,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::bindings::exports::erp::customer_group::validation::Update;

    /// A host's facts held in maps.
    #[derive(Default)]
    struct MapFacts {
        accounts: BTreeMap<String, Account>,
        groups: BTreeMap<String, CustomerGroup>,
        usage: BTreeMap<String, GroupUsage>,
        settings: ArSettings,
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
        fn group_usage(&self, code: &str) -> GroupUsage {
            self.usage.get(code).copied().unwrap_or(GroupUsage {
                customers: 0,
                active_customers: 0,
                transactions: 0,
            })
        }
        fn ar_settings(&self) -> ArSettings {
            self.settings.clone()
        }
    }

    #[allow(
        clippy::derivable_impls,
        reason = "a generated type: derives are not ours to add"
    )]
    impl Default for ArSettings {
        fn default() -> Self {
            Self {
                receivable_account: None,
                reward_expense_account: None,
                sales_discount_account: None,
                write_off_account: None,
            }
        }
    }

    fn facts() -> MapFacts {
        let mut facts = MapFacts::default();
        for (code, kind, active) in [
            ("1100", AccountKind::Receivable, true),
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
        facts
            .groups
            .insert("0000".into(), group("0000", "Default", None));
        facts
    }

    fn group(code: &str, name: &str, receivable: Option<&str>) -> CustomerGroup {
        CustomerGroup {
            code: code.into(),
            name: name.into(),
            receivable_account: receivable.map(Into::into),
            reward_expense_account: Some("6100".into()),
            sales_discount_account: Some("4900".into()),
            write_off_account: Some("6100".into()),
            inactive: false,
        }
    }

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
        assert_eq!(saved.receivable_account.as_deref(), Some("1100"));
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let mut bad = group("TOO-LONG-CODE", "", Some("1000"));
        bad.reward_expense_account = Some("9999".into());
        bad.sales_discount_account = None;
        let verdict = check(&facts(), Change::Create(bad));
        assert_eq!(
            rules(&verdict),
            [
                "code.too-long",
                "code.invalid-character",
                "name.required",
                "account.wrong-kind",
                "account.unknown",
                "account.required",
            ]
        );
        assert!(verdict.normalized.is_none());
    }

    #[test]
    fn blank_account_resolves_through_ar_settings() {
        let mut facts = facts();
        facts.settings.receivable_account = Some("1100".into());
        let verdict = check(&facts, Change::Create(group("A1", "A", None)));
        assert!(verdict.issues.is_empty(), "{:?}", rules(&verdict));
        assert_eq!(verdict.normalized.expect("valid").receivable_account, None);
    }

    #[test]
    fn an_unusable_default_is_an_error_on_the_blank_field() {
        let mut facts = facts();
        facts.settings.receivable_account = Some("4900".into());
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
        facts.usage.insert(
            "VIP".into(),
            GroupUsage {
                customers: 3,
                active_customers: 2,
                transactions: 7,
            },
        );
        let verdict = check(&facts, Change::Delete("vip".into()));
        assert_eq!(rules(&verdict), ["delete.in-use"]);
        assert!(verdict.issues[0].message.contains("3 customer(s) and 7"));
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
}
