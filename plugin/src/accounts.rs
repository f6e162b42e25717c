//! The one account check: which kinds of account each role takes
//! ([`ROLES`]), and [`check`], which every account a group's settings name
//! (on a save) and every account a posting's line uses (in a GL batch, and at
//! entry) goes through.
//!
//! A role is a group's account setting (own, inherited or the AR settings
//! default), or the account a transaction or the ledger names. A receivable
//! account is a control account: only the customer's GL Debtor line (the
//! receivable-account role) posts to it, so its balance is always the
//! customers' balances; no other role takes one.
//!
//! # Rule ids
//!
//! The problems are the same in both places; each [`Scope`] keeps the rule
//! ids the host and front ends already know:
//!
//! | problem | [`Scope::Setting`] | [`Scope::Posting`] |
//! |---|---|---|
//! | no account has the code | `account.unknown` | `gl.unknown-account` |
//! | the account is inactive | `account.inactive` | `gl.inactive-account` |
//! | a receivable (control) account where the role takes none | `account.wrong-kind` | `gl.control-account` |
//! | any other kind the role does not take | `account.wrong-kind` | `gl.wrong-account-kind` |
//!
//! An unknown account is reported alone; otherwise inactive comes before the
//! kind. `account.unknown` ends in `.unknown`: a front end offers to create
//! the account (the field's quick-create target), so its message says what to
//! do, never which button or command.

use crate::bindings::erp::customer_group::types::{Account, AccountKind};
use crate::bindings::exports::erp::customer_group::gl::LineRole;
use crate::i18n::{Locale, msg};

/// The kinds of account a role takes.
#[derive(Clone, Copy, Debug)]
pub enum Kinds {
    /// Only these, in the order messages name them.
    Only(&'static [AccountKind]),
    /// Any kind but a receivable (control) account.
    NotReceivable,
}

impl Kinds {
    /// Whether an account of `kind` may be used.
    pub fn take(self, kind: AccountKind) -> bool {
        match self {
            Kinds::Only(kinds) => kinds.contains(&kind),
            Kinds::NotReceivable => kind != AccountKind::Receivable,
        }
    }
}

/// Who names the account of a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedBy {
    /// A group setting (own, inherited or AR default); when `required`, every
    /// group must resolve it to an account (seed 004).
    Setting {
        /// Whether a group must resolve it.
        required: bool,
    },
    /// A transaction (its account, its tax account) or the ledger (its
    /// rounding account).
    Entry,
}

/// What an account is used for.
#[derive(Debug)]
pub struct Role {
    /// The field that names the account, and that its problems name.
    pub field: &'static str,
    /// The kinds of account it takes.
    pub kinds: Kinds,
    /// Who names the account.
    pub named_by: NamedBy,
    /// The lines of a posting that post to it.
    pub lines: &'static [LineRole],
}

const fn role(
    field: &'static str,
    kinds: Kinds,
    named_by: NamedBy,
    lines: &'static [LineRole],
) -> Role {
    Role {
        field,
        kinds,
        named_by,
        lines,
    }
}

impl Role {
    /// Whether a group must resolve this setting to an account.
    pub fn required(&self) -> bool {
        matches!(self.named_by, NamedBy::Setting { required: true })
    }
}

/// Every role an account plays: the field naming it, the kinds it takes, who
/// names it, and the posting lines that use it. The account settings come
/// first, in form order.
pub const ROLES: [Role; 9] = {
    use AccountKind::{Bank, Expense, Income, Receivable};
    use Kinds::{NotReceivable, Only};
    use NamedBy::{Entry, Setting};
    [
        role(
            "receivable-account",
            Only(&[Receivable]),
            Setting { required: true },
            &[LineRole::Receivable],
        ),
        role(
            "discount-account",
            Only(&[Expense, Income]),
            Setting { required: false },
            &[LineRole::SettlementDiscount],
        ),
        role(
            "sales-discount-account",
            Only(&[Income, Expense]),
            Setting { required: true },
            &[LineRole::SalesDiscount],
        ),
        role(
            "reward-expense-account",
            Only(&[Expense]),
            Setting { required: true },
            &[LineRole::Reward],
        ),
        role(
            "write-off-account",
            Only(&[Expense, Income]),
            Setting { required: true },
            &[LineRole::WriteOff],
        ),
        role(
            "bank-account",
            Only(&[Bank]),
            Setting { required: false },
            // Also when the receipt names its bank account itself.
            &[LineRole::Bank],
        ),
        role(
            "account",
            NotReceivable,
            Entry,
            &[LineRole::Sales, LineRole::Journal, LineRole::RewardSource],
        ),
        role("tax-account", NotReceivable, Entry, &[LineRole::Tax]),
        role(
            "rounding-account",
            NotReceivable,
            Entry,
            &[LineRole::Rounding],
        ),
    ]
};

/// The account settings of a group, in form order.
pub fn settings() -> impl Iterator<Item = &'static Role> {
    ROLES
        .iter()
        .filter(|r| matches!(r.named_by, NamedBy::Setting { .. }))
}

/// The role of a posting's line.
pub fn of_line(line: LineRole) -> &'static Role {
    const ENTRY: usize = 6;
    ROLES
        .iter()
        .find(|r| r.lines.contains(&line))
        // Every line role is in the table (a unit test checks it).
        .unwrap_or(&ROLES[ENTRY])
}

/// Where an account is checked; it decides the rule ids (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A group's settings or the AR settings, on a save.
    Setting,
    /// A line of a posting.
    Posting,
}

/// What can be wrong with an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    Unknown,
    Inactive,
    Control,
    WrongKind,
}

/// The rule id of a problem in a scope: the table of the module docs.
fn rule(problem: Problem, scope: Scope) -> &'static str {
    use Problem::*;
    match (problem, scope) {
        (Unknown, Scope::Setting) => "account.unknown",
        (Unknown, Scope::Posting) => "gl.unknown-account",
        (Inactive, Scope::Setting) => "account.inactive",
        (Inactive, Scope::Posting) => "gl.inactive-account",
        (Control | WrongKind, Scope::Setting) => "account.wrong-kind",
        (Control, Scope::Posting) => "gl.control-account",
        (WrongKind, Scope::Posting) => "gl.wrong-account-kind",
    }
}

/// Checks that the account `code` (`account`: the chart of accounts' entry,
/// or none) exists, is active, and is of a kind `role` takes. Each message
/// starts with `subject()` (the setting's caption, or the transaction's
/// kind), written only for a problem; `report` gets each problem's rule id
/// and message.
pub fn check<S: std::fmt::Display>(
    scope: Scope,
    role: &Role,
    code: &str,
    account: Option<&Account>,
    subject: impl Fn() -> S,
    locale: Locale,
    mut report: impl FnMut(&'static str, String),
) {
    if account.is_some_and(|a| a.active && role.kinds.take(a.kind)) {
        return;
    }
    let subject = subject();
    let Some(account) = account else {
        report(
            rule(Problem::Unknown, scope),
            msg!(
                locale,
                // What to do, not which button: each front end shows how it
                // creates an account (the field's quick-create target).
                "{subject}: account {code:?} does not exist in the chart of accounts; add it there or choose another",
                "{subject}: akun {code:?} tidak ada di bagan akun; tambahkan akun itu ke bagan akun atau pilih akun lain",
            ),
        );
        return;
    };
    let name = &account.name;
    if !account.active {
        report(
            rule(Problem::Inactive, scope),
            msg!(
                locale,
                "{subject}: account {code} {name} is inactive",
                "{subject}: akun {code} {name} tidak aktif",
            ),
        );
    }
    if role.kinds.take(account.kind) {
        return;
    }
    let problem = if account.kind == AccountKind::Receivable {
        Problem::Control
    } else {
        Problem::WrongKind
    };
    let message = match role.kinds {
        Kinds::Only(kinds) => {
            let is = kind_name(account.kind, locale);
            let wanted = kinds
                .iter()
                .map(|k| kind_name(*k, locale))
                .collect::<Vec<_>>()
                .join(match locale {
                    Locale::En => " or ",
                    Locale::Id => " atau ",
                });
            msg!(
                locale,
                "{subject}: account {code} {name} is {is} account; this field needs {wanted} account",
                "{subject}: akun {code} {name} adalah akun {is}; isian ini memerlukan akun {wanted}",
            )
        }
        // Only a receivable account is refused here.
        Kinds::NotReceivable => msg!(
            locale,
            "{subject}: account {code} {name} is a receivable (control) account; only the customer's GL Debtor line posts to it",
            "{subject}: akun {code} {name} adalah akun piutang (kontrol); hanya baris Debitur GL pelanggan yang diposting ke sana",
        ),
    };
    report(rule(problem, scope), message);
}

/// The name of a kind of account, with its article in English: "a bank".
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    #[test]
    fn every_line_role_posts_through_exactly_one_role() {
        use LineRole::*;
        // Fails to compile when the contract adds a line role: add it here
        // and to `ROLES`.
        let every = |line: LineRole| match line {
            Receivable | Sales | Tax | Bank | SettlementDiscount | Journal | WriteOff
            | SalesDiscount | Reward | RewardSource | Rounding => line,
        };
        for line in [
            Receivable,
            Sales,
            Tax,
            Bank,
            SettlementDiscount,
            Journal,
            WriteOff,
            SalesDiscount,
            Reward,
            RewardSource,
            Rounding,
        ] {
            let line = every(line);
            let roles: Vec<&str> = ROLES
                .iter()
                .filter(|r| r.lines.contains(&line))
                .map(|r| r.field)
                .collect();
            assert_eq!(roles.len(), 1, "{line:?}: {roles:?}");
            assert_eq!(of_line(line).field, roles[0]);
        }
        assert_eq!(of_line(Journal).field, "account");
    }

    #[test]
    fn account_settings_are_settings_and_only_the_debtor_takes_a_receivable() {
        assert_eq!(settings().count(), 6);
        for role in settings() {
            assert!(model::SETTINGS.contains(&role.field), "{}", role.field);
        }
        for role in &ROLES {
            let debtor = role.lines.contains(&LineRole::Receivable);
            assert_eq!(role.kinds.take(AccountKind::Receivable), debtor, "{role:?}");
        }
    }

    #[test]
    fn messages_name_kinds_in_words_and_ids_follow_the_scope() {
        let account = |kind, active| Account {
            code: "1000".into(),
            name: "Bank BCA".into(),
            kind,
            active,
        };
        let found = |scope, role: &Role, account: Option<&Account>, locale| {
            let mut found = Vec::new();
            check(
                scope,
                role,
                "1000",
                account,
                || "Subject",
                locale,
                |rule, m| found.push(format!("{rule}: {m}")),
            );
            found
        };
        let receivable = of_line(LineRole::Receivable);
        let bank = account(AccountKind::Bank, false);
        assert_eq!(
            found(Scope::Posting, receivable, Some(&bank), Locale::En),
            [
                "gl.inactive-account: Subject: account 1000 Bank BCA is inactive",
                "gl.wrong-account-kind: Subject: account 1000 Bank BCA is a bank account; this field needs a receivable account",
            ]
        );
        assert_eq!(
            found(Scope::Setting, receivable, Some(&bank), Locale::Id),
            [
                "account.inactive: Subject: akun 1000 Bank BCA tidak aktif",
                "account.wrong-kind: Subject: akun 1000 Bank BCA adalah akun bank; isian ini memerlukan akun piutang",
            ]
        );
        let debtors = account(AccountKind::Receivable, true);
        let tax = of_line(LineRole::Tax);
        assert_eq!(
            found(Scope::Posting, tax, Some(&debtors), Locale::En),
            [
                "gl.control-account: Subject: account 1000 Bank BCA is a receivable (control) account; only the customer's GL Debtor line posts to it"
            ]
        );
        assert_eq!(
            found(Scope::Posting, tax, None, Locale::En),
            [
                "gl.unknown-account: Subject: account \"1000\" does not exist in the chart of accounts; add it there or choose another"
            ]
        );
        let other = account(AccountKind::OtherAsset, true);
        assert_eq!(
            found(Scope::Setting, tax, Some(&other), Locale::En),
            Vec::<String>::new()
        );
    }
}
