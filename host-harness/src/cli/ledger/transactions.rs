//! `erp-host transaction ...`: AR transactions entered, imported from CSV,
//! corrected, deleted, reversed and listed.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::actor::Actor;
use crate::admin::Admin;
use crate::gl::NewTransaction;
use crate::gl::credit::{CreditException, CreditPolicy};
use crate::gl::entry::Duplicates;
use crate::gl::input::{self as entry, EntryText};
use crate::messages;
use crate::units::{amount_text, rate_text};
/// `erp-host transaction ...`
#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
pub enum TransactionCommand {
    /// Enter one AR transaction.
    New(NewTransactionArgs),
    /// List transactions, newest first.
    List {
        /// Only this customer's.
        #[arg(long)]
        customer: Option<String>,
        /// Only those in this batch.
        #[arg(long)]
        batch: Option<i64>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Import AR transactions from a CSV file (header row: kind, date,
    /// customer, amount, and optionally currency, rate, tax, discount,
    /// account, tax-account, reference): all rows or none.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Skip rows stored exactly as they are (kind, customer and reference
        /// and every value): importing a file again adds only what is new.
        #[arg(long)]
        skip_duplicates: bool,
        /// Enter the file's invoices that go past a credit limit anyway,
        /// for this reason (needs the credit-controller right; recorded).
        #[arg(long, value_name = "REASON")]
        credit_override: Option<String>,
        /// The company whose customers' transactions the file holds
        /// (default: the default company); a row of another company's
        /// customer is refused with its line.
        #[arg(long)]
        company: Option<String>,
    },
    /// The invoices entered past a credit limit (by a group's bypass or a
    /// credit controller's reason), newest first.
    CreditExceptions {
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// As JSON records.
        #[arg(long)]
        json: bool,
    },
    /// Correct a transaction in no GL batch: the options given replace its
    /// values; it is checked again like a new one.
    Edit(EditTransactionArgs),
    /// Delete a transaction in no GL batch.
    Delete {
        /// The transaction's id.
        id: i64,
    },
    /// Reverse a posted transaction: a new transaction, naming it, that
    /// posts the mirror image of its posting.
    Reverse {
        /// The transaction's id.
        id: i64,
        /// The reversal's date, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// The reversal's reference; default the transaction's.
        #[arg(long)]
        reference: Option<String>,
    },
}

/// A correction: what changes.
#[derive(Args)]
pub struct EditTransactionArgs {
    /// The transaction's id.
    id: i64,
    /// invoice, credit-note, journal, receipt, write-off, sales-discount or reward.
    #[arg(long)]
    kind: Option<String>,
    /// The date, YYYY-MM-DD.
    #[arg(long)]
    date: Option<String>,
    /// The customer code.
    #[arg(long)]
    customer: Option<String>,
    /// The gross amount, tax included.
    #[arg(long, allow_hyphen_values = true)]
    amount: Option<String>,
    /// Enter it even past a credit limit, for this reason (needs the
    /// credit-controller right; recorded).
    #[arg(long, value_name = "REASON")]
    credit_override: Option<String>,
    #[command(flatten)]
    details: TransactionDetails,
}

/// One transaction, as typed.
#[derive(Args)]
pub struct NewTransactionArgs {
    /// invoice, credit-note, journal, receipt, write-off, sales-discount or reward.
    #[arg(long)]
    kind: String,
    /// The date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// The customer code.
    #[arg(long)]
    customer: String,
    /// The gross amount, tax included (journals: negative credits the customer).
    #[arg(long, allow_hyphen_values = true)]
    amount: String,
    /// Enter it even past a credit limit, for this reason (needs the
    /// credit-controller right; recorded).
    #[arg(long, value_name = "REASON")]
    credit_override: Option<String>,
    #[command(flatten)]
    details: TransactionDetails,
}

/// The options a transaction may leave out, when it is entered and when it
/// is corrected ("" clears one in a correction).
#[derive(Args)]
pub struct TransactionDetails {
    /// The currency; default the customer's.
    #[arg(long)]
    currency: Option<String>,
    /// Base-currency units per unit of the currency (e.g. 15500 IDR per USD);
    /// required unless the currency is the base currency.
    #[arg(long)]
    rate: Option<String>,
    /// Tax included in the amount (invoices, credit notes).
    #[arg(long)]
    tax: Option<String>,
    /// Settlement discount taken (receipts).
    #[arg(long)]
    discount: Option<String>,
    /// The account it names: sales (invoice, credit note), the other side
    /// (journal), the bank (receipt; default the group's), the source of a
    /// reward (default the customer).
    #[arg(long)]
    account: Option<String>,
    /// The tax account (invoices and credit notes with tax).
    #[arg(long)]
    tax_account: Option<String>,
    /// The document reference.
    #[arg(long)]
    reference: Option<String>,
}

fn entry(args: NewTransactionArgs) -> EntryText {
    let d = args.details;
    EntryText {
        kind: args.kind,
        date: args.date,
        customer: args.customer,
        currency: d.currency,
        rate: d.rate,
        amount: args.amount,
        tax: d.tax,
        discount: d.discount,
        account: d.account,
        tax_account: d.tax_account,
        reference: d.reference,
    }
}

/// The stored values of a transaction as they would be typed, with `edit`'s
/// options laid over them.
fn edited(stored: &NewTransaction, decimals: u32, edit: EditTransactionArgs) -> EntryText {
    let money = |value: i64| Some(amount_text(value, decimals));
    let d = edit.details;
    EntryText {
        kind: edit.kind.unwrap_or_else(|| stored.kind.as_str().to_owned()),
        date: edit.date.unwrap_or_else(|| stored.date.clone()),
        customer: edit.customer.unwrap_or_else(|| stored.customer.clone()),
        currency: d.currency.or_else(|| Some(stored.currency.clone())),
        rate: d.rate.or_else(|| stored.rate_nanos.map(rate_text)),
        amount: edit
            .amount
            .unwrap_or_else(|| amount_text(stored.amount, decimals)),
        tax: d.tax.or_else(|| money(stored.tax)),
        discount: d.discount.or_else(|| money(stored.discount)),
        account: d.account.or_else(|| stored.account.clone()),
        tax_account: d.tax_account.or_else(|| stored.tax_account.clone()),
        reference: d.reference.or_else(|| Some(stored.reference.clone())),
    }
}

/// Who enters, and the reason they override the credit check with.
fn credit<'a>(actor: &'a Actor, reason: Option<&'a str>) -> CreditPolicy<'a> {
    CreditPolicy {
        by: actor.by(),
        override_reason: reason,
    }
}

/// Says which of `ids` were entered past a credit limit, and why.
fn past_limits(
    admin: &Admin,
    ids: &[i64],
    lang: messages::Locale,
    out: &mut dyn Write,
) -> Result<()> {
    let found = admin.gl().credit_exceptions_of(ids)?;
    for e in &found {
        let why = e.why(lang);
        let warning = messages::warning_word(lang);
        let past = messages::entered_past_credit(lang, e.transaction, &why);
        writeln!(out, "{warning}: {past}")?;
        for reason in e.reasons.lines() {
            writeln!(out, "  {reason}")?;
        }
    }
    Ok(())
}

/// The recorded credit exceptions as a table.
fn exceptions(
    admin: &Admin,
    found: &[CreditException],
    lang: messages::Locale,
    out: &mut dyn Write,
) -> Result<()> {
    let decimals = admin.db().currency_decimals()?;
    writeln!(
        out,
        "{:>8}  {:<20}  {:<12}  {:<10}  {:>16}  {:<4}  Why",
        "Invoice", "At", "User", "Customer", "Amount", "Cur"
    )?;
    for e in found {
        let d = decimals.get(&e.currency).copied().unwrap_or(2);
        let why = e.why(lang);
        writeln!(
            out,
            "{:>8}  {:<20}  {:<12}  {:<10}  {:>16}  {:<4}  {why}",
            e.transaction,
            e.at,
            e.user,
            e.customer,
            amount_text(e.amount, d),
            e.currency
        )?;
    }
    Ok(())
}

/// Runs a transaction command.
pub fn transaction(
    admin: &Admin,
    command: TransactionCommand,
    actor: &Actor,
    out: &mut dyn Write,
) -> Result<()> {
    let locale = actor.locale.as_str();
    let lang = messages::Locale::from_tag(locale);
    match command {
        TransactionCommand::New(args) => {
            let cx = admin.gl().entry_context(locale)?;
            let reason = args.credit_override.clone();
            let entry = entry::parse_entry(&entry(args), &cx).map_err(anyhow::Error::msg)?;
            let credit = credit(actor, reason.as_deref());
            let id = admin.gl().add_transaction(entry, credit, locale)?;
            writeln!(out, "{}", messages::transaction_entered(lang, id))?;
            past_limits(admin, &[id], lang, out)?;
        }
        TransactionCommand::Edit(args) => {
            let id = args.id;
            let stored = admin
                .db()
                .transaction(id)?
                .ok_or_else(|| anyhow::anyhow!(messages::no_transaction(lang, id)))?;
            let decimals = admin
                .db()
                .currency_decimals()?
                .get(&stored.entered.currency)
                .copied()
                .unwrap_or(2);
            let cx = admin.gl().entry_context(locale)?;
            let reason = args.credit_override.clone();
            let text = edited(&stored.entered, decimals, args);
            let entry = entry::parse_entry(&text, &cx).map_err(anyhow::Error::msg)?;
            let credit = credit(actor, reason.as_deref());
            let before = admin.gl().credit_exceptions_of(&[id])?.len();
            admin.gl().correct_transaction(id, entry, credit, locale)?;
            writeln!(out, "{}", messages::transaction_corrected(lang, id))?;
            if admin.gl().credit_exceptions_of(&[id])?.len() > before {
                past_limits(admin, &[id], lang, out)?;
            }
        }
        TransactionCommand::Delete { id } => {
            admin.gl().delete_transaction(id, locale)?;
            writeln!(out, "{}", messages::transaction_deleted(lang, id))?;
        }
        TransactionCommand::Reverse {
            id,
            date,
            reference,
        } => {
            let reversal =
                admin
                    .gl()
                    .reverse_transaction(id, date.trim(), reference.as_deref(), locale)?;
            writeln!(
                out,
                "{}",
                messages::transaction_reversed(lang, reversal, id)
            )?;
        }
        TransactionCommand::List {
            customer,
            batch,
            limit,
        } => {
            let decimals = admin.db().currency_decimals()?;
            writeln!(
                out,
                "{:>8}  {:<10}  {:<14}  {:<10}  {:<4}  {:>16}  {:>12}  {:<12}  Batch",
                "Id", "Date", "Kind", "Customer", "Cur", "Amount", "Rate", "Reference"
            )?;
            for t in admin.db().transactions(customer.as_deref(), batch, limit)? {
                let e = &t.entered;
                let d = decimals.get(&e.currency).copied().unwrap_or(2);
                writeln!(
                    out,
                    "{:>8}  {:<10}  {:<14}  {:<10}  {:<4}  {:>16}  {:>12}  {:<12}  {}",
                    t.id,
                    e.date,
                    e.kind.as_str(),
                    e.customer,
                    e.currency,
                    amount_text(e.amount, d),
                    // No rate given: `-`.
                    e.rate_nanos.map_or_else(|| "-".to_owned(), rate_text),
                    e.reference,
                    t.batch.map_or("-".into(), |b| b.to_string())
                )?;
            }
        }
        TransactionCommand::CreditExceptions { limit, json } => {
            let found = admin.gl().credit_exceptions(limit)?;
            if json {
                crate::cli::render::print_json(&found, out)?;
            } else {
                exceptions(admin, &found, lang, out)?;
            }
        }
        TransactionCommand::Import {
            file,
            skip_duplicates,
            credit_override,
            company,
        } => {
            let text =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let rows = text
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                .saturating_sub(1)
                .max(1);
            let cx = admin.gl().entry_context(locale)?;
            let entries = entry::read_csv(text.as_slice(), &cx)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            // Drawn on a terminal only (indicatif hides it otherwise).
            let bar = ProgressBar::new(rows as u64).with_style(
                ProgressStyle::with_template(
                    "[{bar:30}] {percent:>3}%  {human_pos} / {human_len} rows",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("## "),
            );
            let ids = admin
                .gl()
                .import_transactions_for(
                    company.as_deref(),
                    entries,
                    duplicates(skip_duplicates),
                    credit(actor, credit_override.as_deref()),
                    locale,
                    |done| {
                        bar.set_length(rows.max(done) as u64);
                        bar.set_position(done as u64);
                    },
                )
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            bar.finish_and_clear();
            let file = file.display().to_string();
            writeln!(
                out,
                "{}",
                messages::transactions_imported(lang, ids.ids.len(), &file)
            )?;
            past_limits(admin, &ids.ids, lang, out)?;
            if let Some(&(line, id)) = ids.skipped.first() {
                let skipped = messages::rows_skipped(lang, ids.skipped.len(), line, id);
                writeln!(out, "{skipped}")?;
            }
        }
    }
    Ok(())
}

fn duplicates(skip: bool) -> Duplicates {
    if skip {
        Duplicates::SkipIdentical
    } else {
        Duplicates::Refuse
    }
}
