//! AR transactions as a person types them or a CSV file holds them, read
//! into what the ledger enters ([`NewTransaction`]): every error names the
//! field, or the line and column.

use std::collections::HashMap;

use crate::gl::{Decimals, Gl, NewTransaction, decimals_in};
use crate::messages::{self as m, Locale, Localize};
use crate::store::StoreError;
use crate::wit::TransactionKind;

/// One row to enter: (its line in the source, the transaction), or (its
/// line, why it could not be read).
pub type EntryRow = Result<(usize, NewTransaction), (usize, String)>;

/// A transaction as typed or read from a CSV row, before it is checked.
#[derive(Clone, Debug, Default)]
pub struct EntryText {
    /// `invoice`, `credit-note`, `journal`, `receipt`, `write-off`,
    /// `sales-discount` or `reward`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The customer code.
    pub customer: String,
    /// The currency; the customer's when blank.
    pub currency: Option<String>,
    /// Base-currency units per unit of the currency; blank when the user
    /// gives none (the plugin's posting rules take the base currency's own
    /// rate, and refuse any other currency without one).
    pub rate: Option<String>,
    /// The gross amount, e.g. `1500000.50`.
    pub amount: String,
    /// Tax included in the amount.
    pub tax: Option<String>,
    /// Settlement discount (receipts).
    pub discount: Option<String>,
    /// The account the transaction names.
    pub account: Option<String>,
    /// The tax account.
    pub tax_account: Option<String>,
    /// The document reference.
    pub reference: Option<String>,
}

/// What reading entries needs to know of the host.
pub struct EntryContext {
    /// Customer code -> currency.
    pub customers: HashMap<String, String>,
    /// Currency -> decimals.
    pub decimals: Decimals,
    /// The locale of the messages.
    pub locale: Locale,
}

impl Gl<'_> {
    /// What [`parse_entry`] needs: customers' currencies and currency
    /// decimals; its messages in `locale`.
    pub fn entry_context(&self, locale: &str) -> Result<EntryContext, StoreError> {
        let conn = self.db().conn();
        let mut stmt = conn.prepare_cached("SELECT code, currency FROM customers")?;
        let customers = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(EntryContext {
            customers,
            decimals: decimals_in(&conn)?,
            locale: Locale::from_tag(locale),
        })
    }
}

/// Reads a typed transaction; errors name the field.
pub fn parse_entry(text: &EntryText, cx: &EntryContext) -> Result<NewTransaction, String> {
    let blank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let locale = cx.locale;
    let kind = TransactionKind::parse(text.kind.trim()).ok_or_else(|| {
        let kinds: Vec<&str> = TransactionKind::ALL.iter().map(|k| k.as_str()).collect();
        m::not_a_kind(locale, &text.kind, &kinds.join(", "))
    })?;
    let customer = text.customer.trim().to_owned();
    let currency = match blank(&text.currency) {
        Some(c) => c.to_ascii_uppercase(),
        None => cx
            .customers
            .get(&customer)
            .cloned()
            .ok_or_else(|| m::no_customer(locale, &customer))?,
    };
    let decimals = *cx
        .decimals
        .get(&currency)
        .ok_or_else(|| m::unknown_currency(locale, &currency))?;
    let money = |field: &str, value: &str| {
        crate::units::parse_amount(value, &currency, decimals)
            .map_err(|e| m::bad_field(locale, field, &e.localize(locale)))
    };
    let optional = |field: &str, value: &Option<String>| match blank(value) {
        Some(v) => money(field, &v),
        None => Ok(0),
    };
    let amount = money("amount", &text.amount)?;
    let tax = optional("tax", &text.tax)?;
    let discount = optional("discount", &text.discount)?;
    // A rate not given stays none: what it means (the base currency's own
    // rate, or a refusal naming the rate needed) is the plugin's posting
    // rule, asked at entry.
    let rate = blank(&text.rate)
        .map(|r| {
            crate::units::parse_rate(&r)
                .map_err(|e| m::bad_field(locale, "rate", &e.localize(locale)))
        })
        .transpose()?;
    Ok(NewTransaction {
        kind,
        date: text.date.trim().to_owned(),
        customer,
        rate_nanos: rate,
        amount,
        tax,
        discount,
        account: blank(&text.account),
        tax_account: blank(&text.tax_account),
        reference: blank(&text.reference).unwrap_or_default(),
        currency,
    })
}

/// The columns a transactions CSV may have (a header row names them).
pub const CSV_COLUMNS: &[&str] = &[
    "kind",
    "date",
    "customer",
    "amount",
    "currency",
    "rate",
    "tax",
    "discount",
    "account",
    "tax-account",
    "reference",
];

/// Reads a transactions CSV: (line, entry) per row, or an error naming the
/// line and column. The header must name `kind`, `date`, `customer` and
/// `amount`; other columns of [`CSV_COLUMNS`] are optional.
pub fn read_csv<'a, R: std::io::Read + 'a>(
    reader: R,
    cx: &'a EntryContext,
) -> Result<impl Iterator<Item = EntryRow> + 'a, String> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(reader);
    let locale = cx.locale;
    let headers = csv
        .headers()
        .map_err(|e| m::on_line(locale, 1, &e.to_string()))?
        .clone();
    let mut index = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.to_lowercase().replace('_', "-");
        if !CSV_COLUMNS.contains(&name.as_str()) {
            return Err(m::unknown_column(
                locale,
                i + 1,
                &name,
                &CSV_COLUMNS.join(", "),
            ));
        }
        index.insert(name, i);
    }
    for required in ["kind", "date", "customer", "amount"] {
        if !index.contains_key(required) {
            return Err(m::missing_column(locale, required));
        }
    }
    Ok(csv.into_records().map(move |record| {
        let record = record.map_err(|e| match e.position() {
            Some(p) => (
                p.line() as usize,
                m::on_line(locale, p.line() as usize, &e.to_string()),
            ),
            None => (0, e.to_string()),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::to_owned)
        };
        let text = EntryText {
            kind: get("kind").unwrap_or_default(),
            date: get("date").unwrap_or_default(),
            customer: get("customer").unwrap_or_default(),
            currency: get("currency"),
            rate: get("rate"),
            amount: get("amount").unwrap_or_default(),
            tax: get("tax"),
            discount: get("discount"),
            account: get("account"),
            tax_account: get("tax-account"),
            reference: get("reference"),
        };
        parse_entry(&text, cx)
            .map(|entry| (line, entry))
            .map_err(|e| (line, m::at_line(locale, line, &e)))
    }))
}
