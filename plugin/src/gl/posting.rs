//! The posting rules: [`build_batch`] turns a batch of AR transactions into
//! one posting each, through the legs of its kind ([`super::legs`]) and the
//! accounts of the customer's group, or reports every problem of every
//! transaction.
//!
//! Accounts resolve through the group's effective settings (own, inherited,
//! AR default) and pass the account check ([`crate::accounts`]). Every
//! transaction's lines balance exactly in the base currency: foreign amounts
//! are converted line by line and the difference goes to the ledger's
//! rounding account.

use std::collections::BTreeSet;

use super::context::{Context, Problems};
use super::legs::{self, MAX_LEGS, Source, given};
use super::pack::{Builder, Entry, span_from};
use crate::accounts::{self, Scope};
use crate::bindings::erp::customer_group::types::Settings;
use crate::bindings::exports::erp::customer_group::gl::{
    ArTransactions, BatchIssue, GlLine, Ledger, LineRole, Posting, Postings, TransactionKind,
};
use crate::date::Date;
use crate::facts::Facts;
use crate::i18n::{Locale, msg};
use crate::model;
use crate::money::{RATE_ONE, convert};

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
            transaction: None,
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
            id: Some(tx.id),
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

/// A leg resolved: its account, role and signed amount, not yet converted.
type Line<'a> = (&'a str, LineRole, i64);

/// Appends the posting of one transaction (its group loaded) to `built`, or
/// records its problems and appends nothing.
fn post<F: Facts>(
    cx: &Context<'_, F>,
    ledger: &Ledger,
    tx: &Entry<'_>,
    built: &mut Builder,
    problems: &mut Problems<'_>,
) {
    let locale = cx.locale;
    let before = problems.list.len();
    check_amounts(tx, locale, problems);
    check_date_and_rate(tx, ledger, locale, problems);
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
    let legs = resolve(settings, tx, locale, problems);
    for (account, role, _) in legs.iter().flatten() {
        check_account(cx, tx, account, *role, problems);
    }
    if problems.list.len() > before {
        return;
    }
    let first_line = built.out.lines.len();
    if !append_lines(cx, ledger, tx, legs, built, problems) {
        built.out.lines.truncate(first_line);
        return;
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

/// The rate `tx` converts at: the one the user gave, or, when none was
/// given, the base currency's own rate (1); none for a transaction in another
/// currency without a rate (a problem [`check_date_and_rate`] records).
fn rate(tx: &Entry<'_>, ledger: &Ledger) -> Option<u64> {
    if tx.currency == ledger.base_currency {
        Some(tx.rate_nanos.unwrap_or(RATE_ONE))
    } else {
        tx.rate_nanos
    }
}

/// The date is one, and the rate is above 0 (exactly 1 in the base
/// currency, which needs none given; any other currency needs one).
fn check_date_and_rate(
    tx: &Entry<'_>,
    ledger: &Ledger,
    locale: Locale,
    problems: &mut Problems<'_>,
) {
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
    let currency = tx.currency;
    match rate(tx, ledger) {
        Some(0) => problems.push(
            "rate",
            "gl.zero-rate",
            msg!(
                locale,
                "the exchange rate must be more than 0",
                "kurs harus lebih dari 0",
            ),
        ),
        Some(rate) if currency == ledger.base_currency && rate != RATE_ONE => problems.push(
            "rate",
            "gl.base-rate-not-one",
            msg!(
                locale,
                "the transaction is in the base currency {currency}; its rate must be 1",
                "transaksi dalam mata uang dasar {currency}; kursnya harus 1",
            ),
        ),
        Some(_) => {}
        None => {
            let base = ledger.base_currency.trim();
            let base = match (base.is_empty(), locale) {
                (false, _) => base,
                (true, Locale::En) => "base-currency units",
                (true, Locale::Id) => "satuan mata uang dasar",
            };
            problems.push(
                "rate",
                "gl.missing-rate",
                msg!(
                    locale,
                    "a transaction in {currency} needs a rate: how many {base} one {currency} is worth",
                    "transaksi dalam {currency} memerlukan kurs: berapa {base} nilai satu {currency}",
                ),
            );
        }
    }
}

/// The legs of the transaction's kind ([`legs::of`]) with their accounts
/// (the group's effective `settings`, or the transaction's own) and amounts;
/// a leg without an account is recorded as a problem and left out.
fn resolve<'a>(
    settings: &'a Settings,
    tx: &Entry<'a>,
    locale: Locale,
    problems: &mut Problems<'_>,
) -> [Option<Line<'a>>; MAX_LEGS] {
    let group_code = tx.group;
    let setting = |name: &str, problems: &mut Problems<'_>| {
        let found = model::account(settings, name);
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
    let tax_account = |problems: &mut Problems<'_>| {
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
    };
    let debtor = setting(accounts::of_line(LineRole::Receivable).field, problems);
    let mut legs: [Option<Line<'a>>; MAX_LEGS] = [None; MAX_LEGS];
    for (slot, leg) in legs.iter_mut().zip(legs::of(tx.kind)) {
        if !leg.when.holds(tx) {
            continue;
        }
        let role = accounts::of_line(leg.role);
        let account = match leg.from {
            Source::Debtor => debtor,
            Source::Setting => setting(role.field, problems),
            Source::Named => named(role.field, problems),
            Source::NamedOrSetting => given(tx.account).or_else(|| setting(role.field, problems)),
            Source::TaxAccount => tax_account(problems),
        };
        let amount = leg.amount(tx).unwrap_or_else(|| {
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
        *slot = account.map(|a| (a, leg.role, amount));
    }
    legs
}

/// Appends the lines of `legs` converted to the base currency, with the
/// rounding line the conversion needs; false, with the problem recorded, if
/// they cannot be (the caller removes what was appended).
fn append_lines<F: Facts>(
    cx: &Context<'_, F>,
    ledger: &Ledger,
    tx: &Entry<'_>,
    legs: [Option<Line<'_>>; MAX_LEGS],
    built: &mut Builder,
    problems: &mut Problems<'_>,
) -> bool {
    let locale = cx.locale;
    // Checked before: a transaction without a rate has a problem already.
    let Some(rate) = rate(tx, ledger) else {
        return false;
    };
    let mut base_total = 0i64;
    for (account, role, value) in legs.into_iter().flatten().filter(|l| l.2 != 0) {
        // Never a posting left out without a word: the host would find the
        // batch unsound.
        let converted =
            convert(value, rate).and_then(|base| Some((base, base_total.checked_add(base)?)));
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
            return false;
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
            return false;
        };
        let before = problems.list.len();
        check_account(cx, tx, rounding, LineRole::Rounding, problems);
        if problems.list.len() > before {
            return false;
        }
        let account = built.account(rounding);
        built.out.lines.push(GlLine {
            account,
            role: LineRole::Rounding,
            amount: 0,
            base_amount: -base_total,
        });
    }
    true
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
            || subject,
            cx.locale,
            |rule, message| problems.push(role.field, rule, message),
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gl::pack::pack;
    use crate::gl::testing::{facts, ledger};

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
            rate_nanos: Some(RATE_ONE),
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

    /// The transaction an issue names, or `batch` for the batch as a whole.
    fn subject(issue: &BatchIssue) -> String {
        issue
            .transaction
            .map_or_else(|| "batch".to_owned(), |id| id.to_string())
    }

    fn problems(txs: &[Entry<'_>]) -> Vec<String> {
        build_batch(&facts(), &ledger(), &pack(txs), Locale::En)
            .expect_err("refused")
            .into_iter()
            .map(|i| format!("{} {} {}", subject(&i), i.field, i.rule))
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
            .map(|i| format!("{} {} {}", subject(i), i.field, i.rule))
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
        invoice.rate_nanos = Some(15_555_555_555); // 155.55555555 IDR cents per US cent
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
    fn a_rate_not_given_is_the_base_currencys_own_and_required_of_any_other() {
        // The base currency (IDR) needs no rate: it is 1.
        let mut base = tx(1, TransactionKind::WriteOff, 250);
        base.rate_nanos = None;
        assert_eq!(
            lines(&[base]),
            [
                ("6100".into(), LineRole::WriteOff, 250, 250),
                ("1100".into(), LineRole::Receivable, -250, -250),
            ]
        );
        // Any other currency does, and the problem says which.
        let mut foreign = tx(2, TransactionKind::WriteOff, 250);
        foreign.currency = "USD";
        foreign.rate_nanos = None;
        assert_eq!(problems(&[foreign]), ["2 rate gl.missing-rate"]);
        for (locale, expected) in [
            (
                Locale::En,
                "a transaction in USD needs a rate: how many IDR one USD is worth",
            ),
            (
                Locale::Id,
                "transaksi dalam USD memerlukan kurs: berapa IDR nilai satu USD",
            ),
        ] {
            let issues =
                build_batch(&facts(), &ledger(), &pack(&[foreign]), locale).expect_err("refused");
            assert_eq!(issues[0].message, expected);
        }
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
        foreign.rate_nanos = Some(2);
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
            .map(|i| format!("{} {} {}: {}", subject(i), i.field, i.rule, i.message))
            .collect();
        assert_eq!(
            got,
            [
                "1 reward-expense-account gl.wrong-account-kind: Reward: account 4000 4000 is an income account; this field needs an expense account",
                "2 bank-account gl.wrong-account-kind: Receipt: account 4000 4000 is an income account; this field needs a bank account",
            ]
        );
    }
}
