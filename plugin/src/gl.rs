//! GL integration (seed 004): the posting rules that turn accounts-receivable
//! transactions into GL batch lines through the customers' groups' accounts,
//! and the prompt-payment discount a receipt earns.
//!
//! Accounts resolve through the group's effective settings (own, inherited,
//! AR default). Every transaction's lines balance exactly in the base
//! currency: foreign amounts are converted line by line and the difference
//! goes to the ledger's rounding account.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::accounts::{self, Scope};
use crate::bindings::erp::customer_group::types::{Account, Settings};
use crate::bindings::exports::erp::customer_group::gl::{
    ArTransaction, ArTransactions, BatchIssue, CreditLine, CreditRequest, CreditVerdict,
    DiscountOffer, GlLine, Ledger, LineRole, Posting, Postings, Span, TransactionKind,
};
use crate::bindings::exports::erp::customer_group::inheritance::Source;
use crate::date::Date;
use crate::facts::{Facts, Tree};
use crate::i18n::{Locale, msg};
use crate::inherit;
use crate::money::{FULL_PERCENT, RATE_ONE, convert, percent_of};

/// A group's effective settings and where two of them come from.
struct Resolved {
    values: Settings,
    /// Setting name -> the group that sets it (`None`: AR settings).
    sources: Vec<(String, Option<String>)>,
}

/// What a batch needs to know, asked once per group and account.
struct Context<'f, F> {
    facts: &'f F,
    locale: Locale,
    defaults: Settings,
    groups: BTreeMap<String, Option<Resolved>>,
    /// Account code -> the chart of accounts' entry, or none when it does not exist.
    accounts: RefCell<BTreeMap<String, Option<Account>>>,
}

impl<'f, F: Facts> Context<'f, F> {
    fn new(facts: &'f F, locale: Locale) -> Self {
        Self {
            facts,
            locale,
            defaults: facts.settings(),
            groups: BTreeMap::new(),
            accounts: RefCell::new(BTreeMap::new()),
        }
    }

    fn group(&mut self, code: &str) -> Option<&Resolved> {
        self.load(code);
        self.groups.get(code).and_then(Option::as_ref)
    }

    /// Resolves a group's settings once.
    fn load(&mut self, code: &str) {
        if !self.groups.contains_key(code) {
            let resolved = self.facts.group(code).map(|group| {
                let ancestors = Tree::new(self.facts)
                    .ancestors(&group.code, group.parent.as_deref())
                    .unwrap_or_default();
                let (values, provenance) =
                    inherit::resolve(&group.settings, &ancestors, &self.defaults);
                let sources = provenance
                    .into_iter()
                    .map(|p| {
                        let from = match p.source {
                            Source::Own => Some(group.code.clone()),
                            Source::Inherited(code) => Some(code),
                            Source::ArDefault | Source::Unset => None,
                        };
                        (p.field, from)
                    })
                    .collect();
                Resolved { values, sources }
            });
            self.groups.insert(code.to_owned(), resolved);
        }
    }

    /// Calls `f` with the chart of accounts' entry for `code` (none if it
    /// does not exist), asked of the host once per batch.
    fn with_account<R>(&self, code: &str, f: impl FnOnce(Option<&Account>) -> R) -> R {
        if !self.accounts.borrow().contains_key(code) {
            let found = self.facts.account(code);
            self.accounts.borrow_mut().insert(code.to_owned(), found);
        }
        f(self.accounts.borrow().get(code).and_then(Option::as_ref))
    }
}

/// Problems with one transaction.
struct Problems<'a> {
    id: u64,
    list: &'a mut Vec<BatchIssue>,
}

impl Problems<'_> {
    fn push(&mut self, field: &str, rule: &str, message: String) {
        self.list.push(BatchIssue {
            transaction: self.id,
            field: field.to_owned(),
            rule: rule.to_owned(),
            message,
        });
    }
}

/// The name of a kind, for descriptions and messages.
pub fn kind_name(kind: TransactionKind, locale: Locale) -> &'static str {
    use TransactionKind::*;
    match (kind, locale) {
        (Invoice, Locale::En) => "Invoice",
        (Invoice, Locale::Id) => "Faktur",
        (CreditNote, Locale::En) => "Credit note",
        (CreditNote, Locale::Id) => "Nota kredit",
        (Journal, Locale::En) => "Journal",
        (Journal, Locale::Id) => "Jurnal",
        (Receipt, Locale::En) => "Receipt",
        (Receipt, Locale::Id) => "Penerimaan",
        (WriteOff, Locale::En) => "Write-off",
        (WriteOff, Locale::Id) => "Penghapusan piutang",
        (SalesDiscount, Locale::En) => "Sales discount",
        (SalesDiscount, Locale::Id) => "Diskon penjualan",
        (Reward, Locale::En) => "Reward",
        (Reward, Locale::Id) => "Hadiah",
    }
}

/// One transaction of a batch with its texts looked up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry<'a> {
    /// The host's id.
    pub id: u64,
    /// What it is.
    pub kind: TransactionKind,
    /// Its date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The customer's code.
    pub customer: &'a str,
    /// The customer's group.
    pub group: &'a str,
    /// Its currency.
    pub currency: &'a str,
    /// Base-currency minor units per minor unit, in billionths.
    pub rate_nanos: u64,
    /// The gross amount.
    pub amount: i64,
    /// The tax included.
    pub tax: i64,
    /// The settlement discount taken.
    pub discount: i64,
    /// The account the transaction names.
    pub account: Option<&'a str>,
    /// The tax account.
    pub tax_account: Option<&'a str>,
    /// The document reference.
    pub reference: &'a str,
}

impl<'a> Entry<'a> {
    /// `tx` with its texts looked up in `batch`, or the field whose index or
    /// span is not in it.
    pub fn read(batch: &'a ArTransactions, tx: &ArTransaction) -> Result<Self, &'static str> {
        let text = |index: u32, field: &'static str| {
            batch
                .texts
                .get(index as usize)
                .map(String::as_str)
                .ok_or(field)
        };
        let optional = |index: Option<u32>, field| index.map(|i| text(i, field)).transpose();
        let reference = usize::try_from(tx.reference.start)
            .ok()
            .zip(usize::try_from(tx.reference.len).ok())
            .and_then(|(start, len)| batch.references.get(start..start.checked_add(len)?))
            .ok_or("reference")?;
        Ok(Self {
            id: tx.id,
            kind: tx.kind,
            date: text(tx.date, "date")?,
            customer: text(tx.customer, "customer")?,
            group: text(tx.group, "group")?,
            currency: text(tx.currency, "currency")?,
            rate_nanos: tx.rate_nanos,
            amount: tx.amount,
            tax: tx.tax,
            discount: tx.discount,
            account: optional(tx.account, "account")?,
            tax_account: optional(tx.tax_account, "tax-account")?,
            reference,
        })
    }
}

/// Builds the [`ArTransactions`] of entries, listing each text once: for
/// native callers of [`build_batch`] and tests (hosts pack their own).
#[derive(Default)]
pub struct Packer {
    texts: Vec<String>,
    references: String,
    entries: Vec<ArTransaction>,
    index: BTreeMap<String, u32>,
}

/// The index of `text` in `list`, which `index` indexes; added if new.
fn intern(list: &mut Vec<String>, index: &mut BTreeMap<String, u32>, text: &str) -> u32 {
    if let Some(&at) = index.get(text) {
        return at;
    }
    let at = u32::try_from(list.len()).unwrap_or(u32::MAX);
    list.push(text.to_owned());
    index.insert(text.to_owned(), at);
    at
}

impl Packer {
    fn text(&mut self, text: &str) -> u32 {
        intern(&mut self.texts, &mut self.index, text)
    }

    /// Adds one transaction.
    pub fn push(&mut self, entry: &Entry<'_>) {
        let start = self.references.len();
        self.references.push_str(entry.reference);
        let reference = span_from(start, self.references.len());
        let packed = ArTransaction {
            id: entry.id,
            kind: entry.kind,
            date: self.text(entry.date),
            customer: self.text(entry.customer),
            group: self.text(entry.group),
            currency: self.text(entry.currency),
            rate_nanos: entry.rate_nanos,
            amount: entry.amount,
            tax: entry.tax,
            discount: entry.discount,
            account: entry.account.map(|a| self.text(a)),
            tax_account: entry.tax_account.map(|a| self.text(a)),
            reference,
        };
        self.entries.push(packed);
    }

    /// The transactions added.
    pub fn finish(self) -> ArTransactions {
        ArTransactions {
            texts: self.texts,
            references: self.references,
            entries: self.entries,
        }
    }
}

/// `entries`, packed.
pub fn pack<'a>(entries: impl IntoIterator<Item = &'a Entry<'a>>) -> ArTransactions {
    let mut packer = Packer::default();
    for entry in entries {
        packer.push(entry);
    }
    packer.finish()
}

/// The postings of a batch as they are built: accounts listed once,
/// descriptions and lines appended.
struct Builder {
    out: Postings,
    /// Account code -> its index in `out.accounts`.
    index: BTreeMap<String, u32>,
}

impl Builder {
    fn new(transactions: usize, text: usize) -> Self {
        Self {
            out: Postings {
                accounts: Vec::new(),
                descriptions: String::with_capacity(text + transactions * 16),
                postings: Vec::with_capacity(transactions),
                lines: Vec::with_capacity(transactions * 3),
            },
            index: BTreeMap::new(),
        }
    }

    fn account(&mut self, code: &str) -> u32 {
        intern(&mut self.out.accounts, &mut self.index, code)
    }
}

/// A span from `start` to the end of something `end` long.
fn span_from(start: usize, end: usize) -> Span {
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span {
        start: at(start),
        len: at(end - start),
    }
}

/// One posting per transaction, or every problem found.
pub fn build_batch(
    facts: &impl Facts,
    ledger: &Ledger,
    batch: &ArTransactions,
    locale: Locale,
) -> Result<Postings, Vec<BatchIssue>> {
    let mut cx = Context::new(facts, locale);
    let mut issues = Vec::new();
    let mut built = Builder::new(batch.entries.len(), batch.references.len());
    if ledger.base_currency.trim().is_empty() {
        issues.push(BatchIssue {
            transaction: 0,
            field: "base-currency".into(),
            rule: "gl.no-base-currency".into(),
            message: msg!(
                locale,
                "the ledger has no base currency; set it before creating batches",
                "buku besar belum memiliki mata uang dasar; atur sebelum membuat batch",
            ),
        });
    }
    // Hosts list transactions in id order: then no id can repeat.
    let ascending = batch.entries.windows(2).all(|w| w[0].id < w[1].id);
    let mut seen = BTreeSet::new();
    for tx in &batch.entries {
        let mut problems = Problems {
            id: tx.id,
            list: &mut issues,
        };
        if !ascending && !seen.insert(tx.id) {
            let id = tx.id;
            problems.push(
                "id",
                "gl.duplicate-transaction",
                msg!(
                    locale,
                    "transaction {id} is listed twice",
                    "transaksi {id} tercantum dua kali",
                ),
            );
            continue;
        }
        let entry = match Entry::read(batch, tx) {
            Ok(entry) => entry,
            Err(field) => {
                problems.push(
                    field,
                    "gl.bad-index",
                    msg!(
                        locale,
                        "the host sent a {field} that is not in the batch's texts",
                        "host mengirim {field} yang tidak ada dalam teks batch",
                    ),
                );
                continue;
            }
        };
        cx.load(entry.group);
        post(&cx, ledger, &entry, &mut built, &mut problems);
    }
    if issues.is_empty() {
        Ok(built.out)
    } else {
        Err(issues)
    }
}

/// One side of a posting before conversion: account, role, signed amount.
type Leg<'a> = (&'a str, LineRole, i64);

/// A text that says something: not empty, not only spaces.
fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// Appends the posting of one transaction (its group loaded) to `built`, or
/// records its problems and appends nothing.
fn post<'s, F: Facts>(
    cx: &'s Context<'_, F>,
    ledger: &Ledger,
    tx: &Entry<'_>,
    built: &mut Builder,
    problems: &mut Problems<'_>,
) {
    let locale = cx.locale;
    let before = problems.list.len();
    check_amounts(tx, locale, problems);
    if Date::parse(tx.date).is_none() {
        let date = tx.date;
        problems.push(
            "date",
            "gl.bad-date",
            msg!(
                locale,
                "{date:?} is not a date (YYYY-MM-DD)",
                "{date:?} bukan tanggal (YYYY-MM-DD)",
            ),
        );
    }
    if tx.rate_nanos == 0 {
        problems.push(
            "rate",
            "gl.zero-rate",
            msg!(
                locale,
                "the exchange rate must be more than 0",
                "kurs harus lebih dari 0",
            ),
        );
    } else if tx.currency == ledger.base_currency && tx.rate_nanos != RATE_ONE {
        let currency = tx.currency;
        problems.push(
            "rate",
            "gl.base-rate-not-one",
            msg!(
                locale,
                "the transaction is in the base currency {currency}; its rate must be 1",
                "transaksi dalam mata uang dasar {currency}; kursnya harus 1",
            ),
        );
    }
    let group_code = tx.group;
    let Some(settings) = cx
        .groups
        .get(group_code)
        .and_then(Option::as_ref)
        .map(|r| &r.values)
    else {
        problems.push(
            "group",
            "gl.unknown-group",
            msg!(
                locale,
                "the customer's group {group_code} does not exist",
                "kelompok pelanggan {group_code} tidak ada",
            ),
        );
        return;
    };
    let setting = |name: &str, value: Option<&'s String>, problems: &mut Problems<'_>| {
        let found = given(value.map(String::as_str));
        if found.is_none() {
            let kind = kind_name(tx.kind, locale);
            problems.push(
                name,
                "gl.missing-account",
                msg!(
                    locale,
                    "{kind}: group {group_code} has no {name} (own, inherited or AR default); set one",
                    "{kind}: kelompok {group_code} tidak memiliki {name} (sendiri, warisan, atau bawaan AR); isi dahulu",
                ),
            );
        }
        found
    };
    let receivable = setting(
        "receivable-account",
        settings.receivable_account.as_ref(),
        problems,
    );
    let named = |field: &str, problems: &mut Problems<'_>| {
        let found = given(tx.account);
        if found.is_none() {
            let kind = kind_name(tx.kind, locale);
            problems.push(
                field,
                "gl.missing-account",
                msg!(
                    locale,
                    "{kind}: name the account to post against",
                    "{kind}: sebutkan akun lawannya",
                ),
            );
        }
        found
    };
    let amount = tx.amount;
    let mut legs: [Option<Leg<'_>>; 3] = [None; 3];
    let debtor = |value: i64| receivable.map(|a| (a, LineRole::Receivable, value));
    match tx.kind {
        TransactionKind::Invoice | TransactionKind::CreditNote => {
            let sign = if tx.kind == TransactionKind::Invoice {
                1
            } else {
                -1
            };
            let sales = named("account", problems);
            let tax_account = if tx.tax != 0 {
                let found = given(tx.tax_account);
                if found.is_none() {
                    problems.push(
                        "tax-account",
                        "gl.missing-tax-account",
                        msg!(
                            locale,
                            "the transaction has tax; name the tax account",
                            "transaksi memiliki pajak; sebutkan akun pajaknya",
                        ),
                    );
                }
                found
            } else {
                None
            };
            legs[0] = debtor(sign * amount);
            legs[1] = sales.map(|a| (a, LineRole::Sales, -sign * (amount - tx.tax)));
            if tx.tax != 0 {
                legs[2] = tax_account.map(|a| (a, LineRole::Tax, -sign * tx.tax));
            }
        }
        TransactionKind::Journal => {
            let other = named("account", problems);
            legs[0] = debtor(amount);
            // The one amount a journal may have that cannot be reversed.
            let reversed = amount.checked_neg().unwrap_or_else(|| {
                let kind = kind_name(tx.kind, locale);
                problems.push(
                    "amount",
                    "gl.amount-overflow",
                    msg!(
                        locale,
                        "{kind}: the amount is too large to post",
                        "{kind}: jumlahnya terlalu besar untuk diposting",
                    ),
                );
                0
            });
            legs[1] = other.map(|a| (a, LineRole::Journal, reversed));
        }
        TransactionKind::Receipt => {
            let bank = given(tx.account)
                .or_else(|| setting("bank-account", settings.bank_account.as_ref(), problems));
            legs[0] = debtor(-amount);
            legs[1] = bank.map(|a| (a, LineRole::Bank, amount - tx.discount));
            if tx.discount != 0 {
                let discount = setting(
                    "discount-account",
                    settings.discount_account.as_ref(),
                    problems,
                );
                legs[2] = discount.map(|a| (a, LineRole::SettlementDiscount, tx.discount));
            }
        }
        TransactionKind::WriteOff => {
            let account = setting(
                "write-off-account",
                settings.write_off_account.as_ref(),
                problems,
            );
            legs[0] = account.map(|a| (a, LineRole::WriteOff, amount));
            legs[1] = debtor(-amount);
        }
        TransactionKind::SalesDiscount => {
            let account = setting(
                "sales-discount-account",
                settings.sales_discount_account.as_ref(),
                problems,
            );
            legs[0] = account.map(|a| (a, LineRole::SalesDiscount, amount));
            legs[1] = debtor(-amount);
        }
        TransactionKind::Reward => {
            let account = setting(
                "reward-expense-account",
                settings.reward_expense_account.as_ref(),
                problems,
            );
            legs[0] = account.map(|a| (a, LineRole::Reward, amount));
            legs[1] = match given(tx.account) {
                Some(source) => Some((source, LineRole::RewardSource, -amount)),
                None => debtor(-amount),
            };
        }
    }
    for (account, role, _) in legs.iter().flatten() {
        check_account(cx, tx, account, *role, problems);
    }
    if problems.list.len() > before {
        return;
    }
    let first_line = built.out.lines.len();
    let mut base_total = 0i64;
    for (account, role, value) in legs.into_iter().flatten().filter(|l| l.2 != 0) {
        // Never a posting left out without a word: the host would find the
        // batch unsound.
        let converted = convert(value, tx.rate_nanos)
            .and_then(|base| Some((base, base_total.checked_add(base)?)));
        let Some((base, total)) = converted else {
            problems.push(
                "amount",
                "gl.amount-overflow",
                msg!(
                    locale,
                    "the amount in base currency is too large",
                    "jumlah dalam mata uang dasar terlalu besar",
                ),
            );
            built.out.lines.truncate(first_line);
            return;
        };
        base_total = total;
        let account = built.account(account);
        built.out.lines.push(GlLine {
            account,
            role,
            amount: value,
            base_amount: base,
        });
    }
    if base_total != 0 {
        let Some(rounding) = given(ledger.rounding_account.as_deref()) else {
            problems.push(
                "rounding-account",
                "gl.no-rounding-account",
                msg!(
                    locale,
                    "converting to the base currency leaves a rounding difference; set the ledger's rounding account",
                    "konversi ke mata uang dasar menyisakan selisih pembulatan; atur akun pembulatan buku besar",
                ),
            );
            built.out.lines.truncate(first_line);
            return;
        };
        check_account(cx, tx, rounding, LineRole::Rounding, problems);
        if problems.list.len() > before {
            built.out.lines.truncate(first_line);
            return;
        }
        let account = built.account(rounding);
        built.out.lines.push(GlLine {
            account,
            role: LineRole::Rounding,
            amount: 0,
            base_amount: -base_total,
        });
    }
    let text = &mut built.out.descriptions;
    let start = text.len();
    text.push_str(kind_name(tx.kind, locale));
    for part in [tx.reference.trim(), tx.customer.trim()] {
        if !part.is_empty() {
            text.push(' ');
            text.push_str(part);
        }
    }
    let description = span_from(start, text.len());
    let lines = span_from(first_line, built.out.lines.len());
    built.out.postings.push(Posting {
        transaction: tx.id,
        description,
        lines,
    });
}

/// The amounts a kind allows.
fn check_amounts(tx: &Entry<'_>, locale: Locale, problems: &mut Problems<'_>) {
    let kind = kind_name(tx.kind, locale);
    // No amounts in the messages: the plugin does not know the currency's
    // decimals, and minor units would mislead; the host shows the values.
    let (amount, tax, discount) = (tx.amount, tx.tax, tx.discount);
    if tx.kind == TransactionKind::Journal {
        if amount == 0 {
            problems.push(
                "amount",
                "gl.zero-amount",
                msg!(
                    locale,
                    "{kind}: the amount must not be 0",
                    "{kind}: jumlah tidak boleh 0",
                ),
            );
        }
    } else if amount <= 0 {
        problems.push(
            "amount",
            "gl.amount-not-positive",
            msg!(
                locale,
                "{kind}: the amount must be more than 0",
                "{kind}: jumlah harus lebih dari 0",
            ),
        );
    }
    let taxed = matches!(
        tx.kind,
        TransactionKind::Invoice | TransactionKind::CreditNote
    );
    if tax != 0 && !taxed {
        problems.push(
            "tax",
            "gl.tax-not-allowed",
            msg!(
                locale,
                "{kind}: only invoices and credit notes carry tax",
                "{kind}: hanya faktur dan nota kredit yang memuat pajak",
            ),
        );
    } else if tax < 0 || (amount > 0 && tax > amount) {
        problems.push(
            "tax",
            "gl.tax-out-of-range",
            msg!(
                locale,
                "{kind}: the tax must be between 0 and the amount",
                "{kind}: pajak harus antara 0 dan jumlahnya",
            ),
        );
    }
    if discount != 0 && tx.kind != TransactionKind::Receipt {
        problems.push(
            "discount",
            "gl.discount-not-allowed",
            msg!(
                locale,
                "{kind}: only receipts carry a settlement discount",
                "{kind}: hanya penerimaan yang memuat diskon pelunasan",
            ),
        );
    } else if discount < 0 || (amount > 0 && discount >= amount) {
        problems.push(
            "discount",
            "gl.discount-out-of-range",
            msg!(
                locale,
                "{kind}: the settlement discount must be at least 0 and less than the amount",
                "{kind}: diskon pelunasan harus minimal 0 dan kurang dari jumlahnya",
            ),
        );
    }
}

/// The account check ([`accounts::check`]) of a posting's line to `code`.
fn check_account<F: Facts>(
    cx: &Context<'_, F>,
    tx: &Entry<'_>,
    code: &str,
    line: LineRole,
    problems: &mut Problems<'_>,
) {
    let role = accounts::of_line(line);
    let subject = kind_name(tx.kind, cx.locale);
    cx.with_account(code, |account| {
        accounts::check(
            Scope::Posting,
            role,
            code,
            account,
            subject,
            cx.locale,
            |rule, message| problems.push(role.field, rule, message),
        );
    });
}

/// The discount paying `amount` of an invoice dated `invoice_date` on
/// `paid_on` earns for a customer of `group`.
pub fn receipt_discount(
    facts: &impl Facts,
    group: &str,
    invoice_date: &str,
    amount: i64,
    paid_on: &str,
    locale: Locale,
) -> Result<Option<DiscountOffer>, Vec<BatchIssue>> {
    let mut list = Vec::new();
    let mut problems = Problems {
        id: 0,
        list: &mut list,
    };
    let mut date = |field: &str, text: &str| {
        let parsed = Date::parse(text);
        if parsed.is_none() {
            problems.push(
                field,
                "gl.bad-date",
                msg!(
                    locale,
                    "{field}: {text:?} is not a date (YYYY-MM-DD)",
                    "{field}: {text:?} bukan tanggal (YYYY-MM-DD)",
                ),
            );
        }
        parsed
    };
    let (invoiced, paid) = (date("invoice-date", invoice_date), date("paid-on", paid_on));
    let mut cx = Context::new(facts, locale);
    if cx.group(group).is_none() {
        problems.push(
            "group",
            "gl.unknown-group",
            msg!(
                locale,
                "group {group} does not exist",
                "kelompok {group} tidak ada",
            ),
        );
    }
    if amount <= 0 {
        problems.push(
            "amount",
            "gl.amount-not-positive",
            msg!(
                locale,
                "the invoice amount must be more than 0",
                "jumlah faktur harus lebih dari 0",
            ),
        );
    }
    let (Some(invoiced), Some(paid), Some(resolved)) = (invoiced, paid, cx.group(group)) else {
        return Err(list);
    };
    if !list.is_empty() {
        return Err(list);
    }
    let source_of = |field: &str| {
        resolved
            .sources
            .iter()
            .find(|(name, _)| name == field)
            .and_then(|(_, from)| from.clone())
            .unwrap_or_else(|| "AR settings".into())
    };
    let late = paid.days() - invoiced.days();
    if late < 0 {
        return Ok(None);
    }
    // Tiered rules valid on the invoice date: the best tier whose window is met.
    let tiers = resolved
        .values
        .payment_discount_rules
        .as_deref()
        .unwrap_or_default();
    let best = tiers
        .iter()
        .enumerate()
        .filter(|(_, rule)| {
            let from = Date::parse(&rule.valid_from);
            let to = rule.valid_to.as_deref().map(Date::parse);
            from.is_some_and(|from| from <= invoiced)
                && to.is_none_or(|to| to.is_some_and(|to| invoiced <= to))
                && late <= i64::from(rule.within_days)
        })
        .max_by(|(_, a), (_, b)| {
            a.percent
                .cmp(&b.percent)
                .then(b.within_days.cmp(&a.within_days))
        });
    if let Some((n, rule)) = best {
        let percent = rule.percent.min(FULL_PERCENT);
        return Ok(Some(DiscountOffer {
            percent,
            amount: percent_of(amount, percent),
            pay_by: Date::from_days(invoiced.days() + i64::from(rule.within_days)).to_string(),
            rule: format!("payment-discount-rules[{}]", n + 1),
            source: source_of("payment-discount-rules"),
        }));
    }
    if let Some(prompt) = &resolved.values.prompt_payment_discount {
        let pay_by = invoiced.after(&prompt.within);
        if paid <= pay_by && prompt.percent > 0 {
            let percent = prompt.percent.min(FULL_PERCENT);
            return Ok(Some(DiscountOffer {
                percent,
                amount: percent_of(amount, percent),
                pay_by: pay_by.to_string(),
                rule: "prompt-payment-discount".into(),
                source: source_of("prompt-payment-discount"),
            }));
        }
    }
    Ok(None)
}

/// The group credit check of a customer about to owe `request.amount` more.
pub fn credit_check(facts: &impl Facts, request: &CreditRequest, locale: Locale) -> CreditVerdict {
    let mut cx = Context::new(facts, locale);
    let mut lines = Vec::new();
    let mut reasons = Vec::new();
    let customer = &request.customer;
    // The customer's own limit, else its group's credit limit (per customer).
    let own = request.customer_limit.map(|l| (l, "customer".to_owned()));
    let inherited = cx.group(&request.group).and_then(|g| {
        let limit = g.values.credit_limit?;
        let source = g
            .sources
            .iter()
            .find(|(name, _)| name == "credit-limit")
            .and_then(|(_, from)| from.clone())
            .unwrap_or_else(|| "ar-settings".into());
        Some((limit, source))
    });
    if let Some((limit, source)) = own.or(inherited) {
        let exposure = request.customer_balance.saturating_add(request.amount);
        let available = limit.saturating_sub(exposure);
        if available < 0 {
            let over = -available;
            reasons.push(msg!(
                locale,
                "customer {customer} would owe {exposure}, {over} over its credit limit of {limit} (from {source})",
                "pelanggan {customer} akan berutang {exposure}, {over} melebihi batas kreditnya {limit} (dari {source})",
            ));
        }
        lines.push(CreditLine {
            scope: "customer".into(),
            limit,
            exposure,
            available,
            source,
        });
    }
    // Every group on the path that sets a shared limit itself.
    for (code, balance) in &request.group_balances {
        let Some(group) = facts.group(code) else {
            continue;
        };
        let Some(limit) = group.settings.shared_credit_limit else {
            continue;
        };
        let exposure = balance.saturating_add(request.base_amount);
        let available = limit.saturating_sub(exposure);
        if available < 0 {
            let over = -available;
            reasons.push(msg!(
                locale,
                "group {code} and its subgroups would owe {exposure}, {over} over their shared credit limit of {limit}",
                "kelompok {code} beserta subkelompoknya akan berutang {exposure}, {over} melebihi batas kredit bersama {limit}",
            ));
        }
        lines.push(CreditLine {
            scope: code.clone(),
            limit,
            exposure,
            available,
            source: code.clone(),
        });
    }
    CreditVerdict {
        allowed: reasons.is_empty(),
        lines,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::erp::customer_group::types::{
        AccountKind, DueTerms, PaymentDiscountRule, PeriodUnit, PromptDiscount,
    };
    use crate::facts::testing::{self, MapFacts};

    fn facts() -> MapFacts {
        let mut facts = testing::facts();
        for (code, kind) in [
            ("4000", AccountKind::Income),
            ("2300", AccountKind::Liability),
            ("6200", AccountKind::Expense),
            ("8900", AccountKind::Expense),
        ] {
            facts.accounts.insert(
                code.into(),
                Account {
                    code: code.into(),
                    name: code.into(),
                    kind,
                    active: true,
                },
            );
        }
        let mut node = testing::group("LOKAL", "Lokal", Some("1100"));
        node.is_group = true;
        node.settings.discount_account = Some("6200".into());
        node.settings.bank_account = Some("1000".into());
        facts.groups.insert("LOKAL".into(), node);
        let mut leaf = testing::group("L001", "Lokal 1", None);
        leaf.parent = Some("LOKAL".into());
        facts.groups.insert("L001".into(), leaf);
        facts
    }

    fn ledger() -> Ledger {
        Ledger {
            base_currency: "IDR".into(),
            rounding_account: Some("8900".into()),
        }
    }

    /// One posting with its description and lines looked up.
    #[derive(Debug, PartialEq)]
    struct PostingView<'a> {
        /// The transaction.
        transaction: u64,
        /// Its description.
        description: &'a str,
        /// Its lines: (account, role, amount, base amount).
        lines: Vec<(&'a str, LineRole, i64, i64)>,
    }

    /// The postings of a batch with their spans and indices looked up; `None`
    /// if one points outside the batch.
    fn unpack(out: &Postings) -> Option<Vec<PostingView<'_>>> {
        out.postings
            .iter()
            .map(|p| {
                let (start, len) = (p.description.start as usize, p.description.len as usize);
                let description = out.descriptions.get(start..start.checked_add(len)?)?;
                let (first, count) = (p.lines.start as usize, p.lines.len as usize);
                let lines = out
                    .lines
                    .get(first..first.checked_add(count)?)?
                    .iter()
                    .map(|l| {
                        let account = out.accounts.get(l.account as usize)?;
                        Some((account.as_str(), l.role, l.amount, l.base_amount))
                    })
                    .collect::<Option<_>>()?;
                Some(PostingView {
                    transaction: p.transaction,
                    description,
                    lines,
                })
            })
            .collect()
    }

    fn tx(id: u64, kind: TransactionKind, amount: i64) -> Entry<'static> {
        Entry {
            id,
            kind,
            date: "2026-03-01",
            customer: "C1",
            group: "L001",
            currency: "IDR",
            rate_nanos: RATE_ONE,
            amount,
            tax: 0,
            discount: 0,
            account: None,
            tax_account: None,
            reference: "R1",
        }
    }

    /// (account, role, amount, base) of each line.
    fn lines(txs: &[Entry<'_>]) -> Vec<(String, LineRole, i64, i64)> {
        let out = build_batch(&facts(), &ledger(), &pack(txs), Locale::En).expect("batch");
        unpack(&out)
            .expect("spans and indices within the batch")
            .into_iter()
            .flat_map(|p| p.lines)
            .map(|(account, role, amount, base)| (account.to_owned(), role, amount, base))
            .collect()
    }

    fn problems(txs: &[Entry<'_>]) -> Vec<String> {
        build_batch(&facts(), &ledger(), &pack(txs), Locale::En)
            .expect_err("refused")
            .into_iter()
            .map(|i| format!("{} {} {}", i.transaction, i.field, i.rule))
            .collect()
    }

    #[test]
    fn texts_cross_once_and_postings_come_back_as_spans() {
        let mut txs: Vec<Entry<'_>> = (1..=4)
            .map(|id| tx(id, TransactionKind::WriteOff, 100 * id as i64))
            .collect();
        txs[3].reference = "R4 \u{e9}t\u{e9}";
        let batch = pack(&txs);
        // One date, customer, group and currency for four transactions.
        assert_eq!(batch.texts, ["2026-03-01", "C1", "L001", "IDR"]);
        assert_eq!(batch.references, "R1R1R1R4 \u{e9}t\u{e9}");
        let out = build_batch(&facts(), &ledger(), &batch, Locale::En).expect("batch");
        assert_eq!(out.accounts, ["6100", "1100"]);
        let views = unpack(&out).expect("within the batch");
        assert_eq!(views.len(), 4);
        assert_eq!(views[3].description, "Write-off R4 \u{e9}t\u{e9} C1");
        assert_eq!(
            views[3].lines,
            [
                ("6100", LineRole::WriteOff, 400, 400),
                ("1100", LineRole::Receivable, -400, -400)
            ]
        );
        assert_eq!(out.lines.len(), 8);
    }

    #[test]
    fn an_index_or_span_outside_the_batch_is_a_problem_not_a_panic() {
        let txs = [
            tx(1, TransactionKind::WriteOff, 100),
            tx(2, TransactionKind::WriteOff, 100),
            tx(3, TransactionKind::WriteOff, 100),
        ];
        let mut batch = pack(&txs);
        batch.entries[0].group = 99;
        batch.entries[1].reference.len = 1_000;
        batch.entries[2].account = Some(u32::MAX);
        let issues = build_batch(&facts(), &ledger(), &batch, Locale::En).expect_err("bad");
        let got: Vec<_> = issues
            .iter()
            .map(|i| format!("{} {} {}", i.transaction, i.field, i.rule))
            .collect();
        assert_eq!(
            got,
            [
                "1 group gl.bad-index",
                "2 reference gl.bad-index",
                "3 account gl.bad-index"
            ]
        );
        // A reference cut inside a character is outside the batch too.
        let mut batch = pack(&[Entry {
            reference: "\u{e9}",
            ..tx(1, TransactionKind::WriteOff, 100)
        }]);
        batch.entries[0].reference.len = 1;
        let issues = build_batch(&facts(), &ledger(), &batch, Locale::En).expect_err("bad");
        assert_eq!(issues[0].rule, "gl.bad-index");
    }

    #[test]
    fn every_kind_posts_through_the_groups_inherited_accounts() {
        use LineRole::*;
        let mut invoice = tx(1, TransactionKind::Invoice, 11_000);
        invoice.tax = 1_000;
        invoice.account = Some("4000");
        invoice.tax_account = Some("2300");
        assert_eq!(
            lines(&[invoice]),
            [
                ("1100".into(), Receivable, 11_000, 11_000),
                ("4000".into(), Sales, -10_000, -10_000),
                ("2300".into(), Tax, -1_000, -1_000),
            ]
        );
        let mut credit = invoice;
        credit.kind = TransactionKind::CreditNote;
        assert_eq!(
            lines(&[credit]),
            [
                ("1100".into(), Receivable, -11_000, -11_000),
                ("4000".into(), Sales, 10_000, 10_000),
                ("2300".into(), Tax, 1_000, 1_000),
            ]
        );
        let mut journal = tx(3, TransactionKind::Journal, -500);
        journal.account = Some("4000");
        assert_eq!(
            lines(&[journal]),
            [
                ("1100".into(), Receivable, -500, -500),
                ("4000".into(), Journal, 500, 500)
            ]
        );
        // Seed 004: credit GL Debtor gross, debit bank net, debit GL Discount
        // with the difference.
        let mut receipt = tx(4, TransactionKind::Receipt, 1_000_000);
        receipt.discount = 3_000;
        assert_eq!(
            lines(&[receipt]),
            [
                ("1100".into(), Receivable, -1_000_000, -1_000_000),
                ("1000".into(), Bank, 997_000, 997_000),
                ("6200".into(), SettlementDiscount, 3_000, 3_000),
            ]
        );
        assert_eq!(
            lines(&[tx(5, TransactionKind::WriteOff, 700)]),
            [
                ("6100".into(), WriteOff, 700, 700),
                ("1100".into(), Receivable, -700, -700)
            ]
        );
        assert_eq!(
            lines(&[tx(6, TransactionKind::SalesDiscount, 50)]),
            [
                ("4900".into(), SalesDiscount, 50, 50),
                ("1100".into(), Receivable, -50, -50)
            ]
        );
        let mut gift = tx(7, TransactionKind::Reward, 80);
        gift.account = Some("4000");
        assert_eq!(
            lines(&[tx(8, TransactionKind::Reward, 80), gift]),
            [
                ("6100".into(), Reward, 80, 80),
                ("1100".into(), Receivable, -80, -80),
                ("6100".into(), Reward, 80, 80),
                ("4000".into(), RewardSource, -80, -80),
            ]
        );
    }

    #[test]
    fn foreign_amounts_balance_in_base_currency_through_rounding() {
        // 3 lines of 1/3 each at a rate that does not divide evenly.
        let mut invoice = tx(1, TransactionKind::Invoice, 100);
        invoice.currency = "USD";
        invoice.rate_nanos = 15_555_555_555; // 155.55555555 IDR cents per US cent
        invoice.tax = 33;
        invoice.account = Some("4000");
        invoice.tax_account = Some("2300");
        let got = lines(&[invoice]);
        assert_eq!(got.iter().map(|l| l.3).sum::<i64>(), 0, "{got:?}");
        assert_eq!(got[0], ("1100".into(), LineRole::Receivable, 100, 1556));
        assert_eq!(got[1].3, -1042); // 67 * 15.555... = 1042.22
        assert_eq!(got[2].3, -513); // 33 * 15.555... = 513.33
        assert_eq!(
            got[3],
            ("8900".into(), LineRole::Rounding, 0, -1),
            "the difference goes to rounding"
        );
        assert_eq!(convert(-5, 500_000_000), Some(-3), "half away from zero");
        assert_eq!(convert(i64::MAX, u64::MAX), None);
    }

    #[test]
    fn problems_name_the_transaction_and_the_setting() {
        let mut no_sales = tx(1, TransactionKind::Invoice, 100);
        no_sales.tax = 10;
        let mut orphan = tx(2, TransactionKind::Receipt, 100);
        orphan.group = "NOPE";
        let mut discount = tx(3, TransactionKind::Receipt, 100);
        discount.discount = 100;
        let mut inactive = tx(4, TransactionKind::Journal, 5);
        inactive.account = Some("1190");
        let mut foreign = tx(5, TransactionKind::WriteOff, 0);
        foreign.rate_nanos = 2;
        assert_eq!(
            problems(&[
                no_sales,
                orphan,
                discount,
                inactive,
                foreign,
                tx(5, TransactionKind::Reward, 1)
            ]),
            [
                "1 account gl.missing-account",
                "1 tax-account gl.missing-tax-account",
                "2 group gl.unknown-group",
                "3 discount gl.discount-out-of-range",
                "4 account gl.inactive-account",
                // 1190 is a receivable account: only GL Debtor lines post there.
                "4 account gl.control-account",
                "5 amount gl.amount-not-positive",
                "5 rate gl.base-rate-not-one",
                "5 id gl.duplicate-transaction",
            ]
        );
        let mut group_without_debtor = facts();
        if let Some(node) = group_without_debtor.groups.get_mut("LOKAL") {
            node.settings.receivable_account = None;
        }
        let issues = build_batch(
            &group_without_debtor,
            &ledger(),
            &pack(&[tx(9, TransactionKind::WriteOff, 1)]),
            Locale::Id,
        )
        .expect_err("no debtor");
        assert_eq!(issues[0].field, "receivable-account");
        assert!(issues[0].message.contains("L001"), "{}", issues[0].message);
    }

    #[test]
    fn a_line_takes_the_kinds_its_setting_takes_named_in_words() {
        // A reward expense account that has become an income account since
        // the group was saved, and a receipt naming an income account as its bank.
        let mut facts = facts();
        if let Some(leaf) = facts.groups.get_mut("L001") {
            leaf.settings.reward_expense_account = Some("4000".into());
        }
        let mut receipt = tx(2, TransactionKind::Receipt, 100);
        receipt.account = Some("4000");
        let issues = build_batch(
            &facts,
            &ledger(),
            &pack(&[tx(1, TransactionKind::Reward, 80), receipt]),
            Locale::En,
        )
        .expect_err("wrong kinds");
        let got: Vec<_> = issues
            .iter()
            .map(|i| format!("{} {} {}: {}", i.transaction, i.field, i.rule, i.message))
            .collect();
        assert_eq!(
            got,
            [
                "1 reward-expense-account gl.wrong-account-kind: Reward: account 4000 4000 is an income account; this field needs an expense account",
                "2 bank-account gl.wrong-account-kind: Receipt: account 4000 4000 is an income account; this field needs a bank account",
            ]
        );
    }

    #[test]
    fn receipt_discount_takes_the_best_tier_met_else_the_prompt_discount() {
        let mut facts = facts();
        if let Some(node) = facts.groups.get_mut("LOKAL") {
            node.settings.payment_discount_rules = Some(vec![
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
        }
        let offer = |paid: &str| {
            receipt_discount(&facts, "L001", "2026-03-01", 1_000_001, paid, Locale::En)
                .expect("offer")
                .map(|o| (o.percent, o.amount, o.pay_by, o.rule, o.source))
        };
        assert_eq!(
            offer("2026-03-05"),
            Some((
                300,
                30_000,
                "2026-03-08".into(),
                "payment-discount-rules[1]".into(),
                "LOKAL".into()
            ))
        );
        assert_eq!(offer("2026-03-15").map(|o| (o.0, o.1)), Some((200, 20_000)));
        assert_eq!(offer("2026-03-16"), None);
        // Rules not yet valid on the invoice date: the prompt discount of the
        // leaf, 2.5% to the 20th of the next month.
        let mut facts = self::facts();
        if let Some(leaf) = facts.groups.get_mut("L001") {
            leaf.settings.prompt_payment_discount = Some(PromptDiscount {
                percent: 250,
                within: DueTerms {
                    count: 1,
                    unit: PeriodUnit::Months,
                    day: Some(20),
                },
            });
        }
        let offer = receipt_discount(
            &facts,
            "L001",
            "2026-01-31",
            1_000,
            "2026-02-20",
            Locale::En,
        )
        .expect("offer")
        .expect("some");
        assert_eq!(
            (offer.amount, offer.pay_by.as_str(), offer.source.as_str()),
            (25, "2026-02-20", "L001")
        );
        assert!(
            receipt_discount(&facts, "NOPE", "2026-02-30", 0, "x", Locale::En)
                .expect_err("bad")
                .len()
                >= 4
        );
    }

    #[test]
    fn credit_checks_the_customer_and_every_shared_limit_on_its_path() {
        let mut facts = facts();
        if let Some(node) = facts.groups.get_mut("LOKAL") {
            node.settings.credit_limit = Some(1_000);
            node.settings.shared_credit_limit = Some(5_000);
        }
        let request = |limit: Option<i64>, amount: i64| CreditRequest {
            customer: "C1".into(),
            group: "L001".into(),
            customer_limit: limit,
            customer_balance: 600,
            amount,
            base_amount: amount,
            group_balances: vec![("L001".into(), 600), ("LOKAL".into(), 4_800)],
        };
        let ok = credit_check(&facts, &request(None, 100), Locale::En);
        assert!(ok.allowed, "{:?}", ok.reasons);
        let got: Vec<(String, i64, i64, String)> = ok
            .lines
            .iter()
            .map(|l| (l.scope.clone(), l.limit, l.available, l.source.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("customer".into(), 1_000, 300, "LOKAL".into()),
                ("LOKAL".into(), 5_000, 100, "LOKAL".into())
            ]
        );
        let over = credit_check(&facts, &request(Some(2_000), 300), Locale::En);
        assert!(!over.allowed);
        assert_eq!(
            over.lines[0].source, "customer",
            "the customer's own limit wins"
        );
        assert_eq!(over.reasons.len(), 1, "{:?}", over.reasons);
        assert!(
            over.reasons[0].contains("group LOKAL"),
            "{:?}",
            over.reasons
        );
    }
}
