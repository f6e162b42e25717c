//! A small sample company: a chart of accounts, reference data (JPY with no
//! decimals), the ledger's base currency (IDR) and rounding account, AR settings
//! defaults and the seeds' example groups as a small tree, for
//! `erp-host init --sample` and the quickstart.

use crate::actor::By;
use crate::store::{Db, StoreError};
use crate::wit::{
    AccountKind, CustomerGroup, DueTerms, PaymentDiscountRule, PeriodUnit, PointsRule,
    ProductGiftRule, PromptDiscount, ReferenceKind, SalesDiscountRule, Settings,
};

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

/// The sample reference data: (kind, code, name).
pub const REFERENCES: &[(ReferenceKind, &str, &str)] = &[
    (ReferenceKind::Currency, "IDR", "Indonesian Rupiah"),
    (ReferenceKind::Currency, "USD", "US Dollar"),
    (ReferenceKind::Currency, "SGD", "Singapore Dollar"),
    (ReferenceKind::Currency, "JPY", "Japanese Yen"),
    (
        ReferenceKind::PriceList,
        "Standard Selling",
        "Standard selling prices",
    ),
    (ReferenceKind::PriceList, "Wholesale", "Wholesale prices"),
    (ReferenceKind::PriceList, "VIP", "VIP prices"),
    (ReferenceKind::PriceCode, "RETAIL", "Retail, VAT inclusive"),
    (
        ReferenceKind::PriceCode,
        "WHOLESALE",
        "Wholesale, VAT exclusive",
    ),
    (ReferenceKind::PaymentTerms, "NET30", "30 days net"),
    (ReferenceKind::PaymentTerms, "NET14", "14 days net"),
    (ReferenceKind::PaymentTerms, "COD", "Cash on delivery"),
    (ReferenceKind::TaxRegime, "DOMESTIC", "Domestic sales"),
    (ReferenceKind::TaxRegime, "EXPORT", "Export sales"),
    (ReferenceKind::TaxCode, "PPN11", "VAT 11%"),
    (ReferenceKind::TaxCode, "ZERO", "Zero-rated"),
    (ReferenceKind::Product, "GIFT-MUG", "Branded mug"),
    (ReferenceKind::Product, "GIFT-BAG", "Tote bag"),
];

/// An amount in whole currency units, as minor units (cents).
const fn major(amount: i64) -> i64 {
    amount * 100
}

/// The sample AR settings: the defaults at the root of the group tree.
pub fn ar_settings() -> Settings {
    Settings {
        currency: Some("IDR".into()),
        receivable_account: Some("1100".into()),
        discount_account: Some("5100".into()),
        sales_discount_account: Some("4100".into()),
        reward_expense_account: Some("6100".into()),
        write_off_account: Some("6200".into()),
        bank_account: Some("1000".into()),
        price_list: Some("Standard Selling".into()),
        price_code: Some("RETAIL".into()),
        payment_terms: Some("NET30".into()),
        due_terms: Some(DueTerms {
            count: 30,
            unit: PeriodUnit::Days,
            day: None,
        }),
        statement_count: Some(1),
        statement_aging: Some(PeriodUnit::Months),
        tax_regime: Some("DOMESTIC".into()),
        ..Settings::inherit_all()
    }
}

/// The seeds' example groups as a small tree: `LOKAL` (a group node) holds
/// `L001 Lokal 1` (seed 000), `VIP` and `EXPO` (seed 000's tips); `EXPORT`
/// trades in dollars. Parents come before children.
pub fn groups() -> Vec<CustomerGroup> {
    let under = |code: &str, name: &str, parent: &str| CustomerGroup {
        parent: Some(parent.into()),
        ..CustomerGroup::new(code, name)
    };
    let lokal = CustomerGroup {
        is_group: true,
        ..CustomerGroup::new("LOKAL", "Local Customers")
    };
    let mut vip = under("VIP", "VIP Customers", "LOKAL");
    vip.settings.price_list = Some("VIP".into());
    vip.settings.credit_limit = Some(major(50_000_000));
    vip.settings.prompt_payment_discount = Some(PromptDiscount {
        percent: 200,
        within: DueTerms {
            count: 14,
            unit: PeriodUnit::Days,
            day: None,
        },
    });
    vip.settings.sales_discount_rules = Some(vec![SalesDiscountRule {
        valid_from: "2026-01-01".into(),
        valid_to: None,
        min_amount: major(10_000_000),
        percent: 500,
    }]);
    vip.settings.payment_discount_rules = Some(vec![
        PaymentDiscountRule {
            valid_from: "2026-01-01".into(),
            valid_to: None,
            within_days: 7,
            percent: 300,
        },
        PaymentDiscountRule {
            valid_from: "2026-01-01".into(),
            valid_to: None,
            within_days: 14,
            percent: 200,
        },
    ]);
    vip.settings.points_rules = Some(vec![PointsRule {
        valid_from: "2026-01-01".into(),
        valid_to: Some("2026-12-31".into()),
        min_amount: major(100_000),
        amount_per_point: major(10_000),
    }]);
    let mut expo = under("EXPO", "Exhibition Area Customers", "LOKAL");
    expo.settings.product_gift_rules = Some(vec![ProductGiftRule {
        valid_from: "2026-11-01".into(),
        valid_to: Some("2026-11-30".into()),
        min_amount: major(1_000_000),
        product: "GIFT-MUG".into(),
        quantity: 1,
    }]);
    let mut export = CustomerGroup::new("EXPORT", "Export Customers");
    export.settings.currency = Some("USD".into());
    export.settings.receivable_account = Some("1110".into());
    export.settings.bank_account = Some("1010".into());
    export.settings.tax_regime = Some("EXPORT".into());
    export.settings.gst_override = Some("ZERO".into());
    export.settings.peppol_eas = Some("0088".into());
    vec![lokal, under("L001", "Lokal 1", "LOKAL"), vip, expo, export]
}

/// Adds the sample chart of accounts, reference data and AR settings to an
/// empty chart, in one transaction. Returns how many accounts were added (0
/// if the chart was not empty: existing data is never touched).
pub fn seed(db: &Db) -> Result<usize, StoreError> {
    if !db.accounts()?.is_empty() {
        return Ok(0);
    }
    db.write(|w| {
        let tx = w.tx();
        for (code, name, kind) in ACCOUNTS {
            tx.execute(
                "INSERT INTO accounts (code, name, kind, active) VALUES (?1, ?2, ?3, 1)",
                (code, name, kind.as_str()),
            )?;
        }
        for (kind, code, name) in REFERENCES {
            tx.execute(
                "INSERT OR IGNORE INTO reference_data (kind, code, name) VALUES (?1, ?2, ?3)",
                (kind.as_str(), code, name),
            )?;
        }
        tx.execute(
            "UPDATE reference_data SET decimals = 0 WHERE kind = 'currency' AND code = 'JPY'",
            [],
        )?;
        tx.execute(
            "UPDATE gl_settings SET base_currency = 'IDR', rounding_account = '7900' WHERE company = 'MAIN'",
            [],
        )?;
        // The AR settings through their writer, so the history has them.
        w.set_ar_settings(&ar_settings(), By::HOST)
    })?;
    Ok(ACCOUNTS.len())
}
