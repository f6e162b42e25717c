//! A small sample company: a chart of accounts, AR settings defaults and the
//! seeds' example groups, for `erp-host init --sample` and the quickstart.

use crate::store::{Db, StoreError};
use crate::wit::{AccountKind, ArSettings, CustomerGroup};

/// The sample chart of accounts: (code, name, kind).
pub const ACCOUNTS: &[(&str, &str, AccountKind)] = &[
    ("1000", "Bank BCA", AccountKind::Bank),
    ("1010", "Bank Mandiri USD", AccountKind::Bank),
    ("1100", "Trade Debtors", AccountKind::Receivable),
    ("1110", "Trade Debtors - Export", AccountKind::Receivable),
    ("1200", "Inventory", AccountKind::OtherAsset),
    ("2100", "Trade Creditors", AccountKind::Liability),
    ("2200", "VAT Payable", AccountKind::Liability),
    ("3000", "Retained Earnings", AccountKind::Equity),
    ("4000", "Sales", AccountKind::Income),
    ("4100", "Sales Discount", AccountKind::Income),
    ("5100", "Discount Allowed", AccountKind::Expense),
    ("6100", "Reward Expense", AccountKind::Expense),
    ("6200", "Bad Debts Written Off", AccountKind::Expense),
    ("7900", "Rounding Differences", AccountKind::Expense),
];

/// The sample AR settings: the default accounts groups fall back to.
pub fn ar_settings() -> ArSettings {
    ArSettings {
        receivable_account: Some("1100".into()),
        reward_expense_account: Some("6100".into()),
        sales_discount_account: Some("4100".into()),
        write_off_account: Some("6200".into()),
    }
}

/// The seeds' example groups: `L001 Lokal 1` (seed 000), and the VIP and
/// exhibition-area groups its tips suggest.
pub fn groups() -> Vec<CustomerGroup> {
    let group = |code: &str, name: &str, receivable: Option<&str>| CustomerGroup {
        code: code.into(),
        name: name.into(),
        receivable_account: receivable.map(Into::into),
        reward_expense_account: None,
        sales_discount_account: None,
        write_off_account: None,
        inactive: false,
    };
    vec![
        group("L001", "Lokal 1", None),
        group("VIP", "VIP Customers", None),
        group("EXPO", "Exhibition Area Customers", None),
        group("EXPORT", "Export Customers", Some("1110")),
    ]
}

/// Adds the sample chart of accounts and AR settings to an empty chart, in
/// one transaction. Returns how many accounts were added (0 if the chart was
/// not empty: existing data is never touched).
pub fn seed_accounts(db: &Db) -> Result<usize, StoreError> {
    if !db.accounts()?.is_empty() {
        return Ok(0);
    }
    let mut conn = db.conn();
    let tx = conn.transaction()?;
    for (code, name, kind) in ACCOUNTS {
        tx.execute(
            "INSERT INTO accounts (code, name, kind, active) VALUES (?1, ?2, ?3, 1)",
            (code, name, kind.as_str()),
        )?;
    }
    let settings = ar_settings();
    tx.execute(
        "UPDATE ar_settings SET receivable_account = ?1, reward_expense_account = ?2, \
         sales_discount_account = ?3, write_off_account = ?4 WHERE id = 1",
        (
            &settings.receivable_account,
            &settings.reward_expense_account,
            &settings.sales_discount_account,
            &settings.write_off_account,
        ),
    )?;
    tx.commit()?;
    Ok(ACCOUNTS.len())
}
