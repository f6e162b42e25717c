//! The GL side of the CLI: AR transactions, GL batches, the ledger's
//! settings, prompt-payment discounts, and reports by customer group.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use crate::actor::Actor;
use crate::admin::Admin;
use crate::gl::entry::{self, Duplicates, EntryText};
use crate::gl::{self, BatchFilter, GlSettings, NewTransaction};
use crate::messages;
use crate::report;
use crate::store::Db;
use crate::units::{amount_text, percent_text, rate_text};

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

/// `erp-host gl ...`
#[derive(Subcommand)]
pub enum GlCommand {
    /// Show or set the ledger's base currency and rounding account.
    #[command(subcommand)]
    Settings(GlSettingsCommand),
    /// Create, list, show, post and delete GL batches.
    #[command(subcommand)]
    Batch(BatchCommand),
    /// The posted ledger entries.
    Entries {
        /// Only this account's.
        #[arg(long)]
        account: Option<String>,
    },
    /// What prompt-payment discount paying an invoice on a day earns.
    Discount {
        /// The invoice (transaction id).
        #[arg(long)]
        invoice: i64,
        /// The day it is paid, YYYY-MM-DD.
        #[arg(long)]
        paid_on: String,
    },
}

/// `erp-host gl settings ...`
#[derive(Subcommand)]
pub enum GlSettingsCommand {
    /// Show them.
    Show,
    /// Set them.
    Set {
        /// The base currency every batch balances in.
        #[arg(long)]
        base_currency: String,
        /// Where differences from converting foreign amounts go.
        #[arg(long)]
        rounding_account: Option<String>,
    },
}

/// `erp-host gl batch ...`
#[derive(Subcommand)]
pub enum BatchCommand {
    /// Collect every unbatched AR transaction (optionally by date and group),
    /// turn them into GL lines by the groups' accounts, and store an unposted
    /// batch. Running it again finds nothing new to batch.
    Create {
        /// Transactions dated on or after (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Transactions dated on or before (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Only customers of this group and its descendants.
        #[arg(long)]
        group: Option<String>,
    },
    /// List batches, newest first.
    List,
    /// Show a batch: its sums per day and account; with --lines every line.
    Show {
        /// The batch.
        id: i64,
        /// Also every line, transaction by transaction.
        #[arg(long)]
        lines: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Post an unposted batch: its sums become ledger entries and it never
    /// changes again.
    Post {
        /// The batch.
        id: i64,
    },
    /// Delete an unposted batch, releasing its transactions.
    Delete {
        /// The batch.
        id: i64,
    },
}

/// `erp-host report ...`
#[derive(Subcommand)]
pub enum ReportCommand {
    /// Receivables by customer group, each group with its descendants rolled up.
    Receivables {
        /// As of this day (YYYY-MM-DD); default everything.
        #[arg(long)]
        as_of: Option<String>,
        /// Table or CSV.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Net sales per month per customer group (seed 003's trend analysis).
    SalesTrend {
        /// First month, YYYY-MM.
        #[arg(long)]
        from: String,
        /// Last month, YYYY-MM.
        #[arg(long)]
        to: String,
        /// Only this group and its descendants.
        #[arg(long)]
        group: Option<String>,
        /// Table, CSV or an SVG chart.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Group credit check: may this customer owe this much more? Its own
    /// limit (else its group's credit limit) and every shared group limit on
    /// its path.
    Credit {
        /// The customer.
        #[arg(long)]
        customer: String,
        /// The new amount, in the customer's currency (default 0: where it stands).
        #[arg(long, default_value = "0")]
        amount: String,
        /// Base units per unit of the customer's currency (default: its latest transaction's).
        #[arg(long)]
        rate: Option<String>,
    },
}

/// How a report prints.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// Comma-separated values.
    Csv,
    /// An SVG chart (sales trend).
    Svg,
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
        rate: d.rate.or_else(|| Some(rate_text(stored.rate_nanos))),
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
            let entry = entry::parse_entry(&entry(args), &cx).map_err(anyhow::Error::msg)?;
            let id = admin.gl().add_transaction(entry, locale)?;
            writeln!(out, "{}", messages::transaction_entered(lang, id))?;
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
            let text = edited(&stored.entered, decimals, args);
            let entry = entry::parse_entry(&text, &cx).map_err(anyhow::Error::msg)?;
            admin.gl().correct_transaction(id, entry, locale)?;
            writeln!(out, "{}", messages::transaction_corrected(lang, id))?;
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
                    rate_text(e.rate_nanos),
                    e.reference,
                    t.batch.map_or("-".into(), |b| b.to_string())
                )?;
            }
        }
        TransactionCommand::Import {
            file,
            skip_duplicates,
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
                .import_transactions(entries, duplicates(skip_duplicates), locale, |done| {
                    bar.set_length(rows.max(done) as u64);
                    bar.set_position(done as u64);
                })
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            bar.finish_and_clear();
            let file = file.display().to_string();
            writeln!(
                out,
                "{}",
                messages::transactions_imported(lang, ids.ids.len(), &file)
            )?;
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

/// Runs a GL command.
pub fn gl(admin: &Admin, command: GlCommand, actor: &Actor, out: &mut dyn Write) -> Result<()> {
    let db = admin.db();
    match command {
        GlCommand::Settings(GlSettingsCommand::Show) => print_settings(db, out)?,
        GlCommand::Settings(GlSettingsCommand::Set {
            base_currency,
            rounding_account,
        }) => {
            admin.gl().set_gl_settings(&GlSettings {
                base_currency,
                rounding_account: rounding_account.map(|a| a.trim().to_owned()),
            })?;
            print_settings(db, out)?;
        }
        GlCommand::Batch(BatchCommand::Create { from, to, group }) => {
            let batch = match admin
                .gl()
                .create_batch(&BatchFilter { from, to, group }, actor)
            {
                // Nothing to do is not an error (exit 0), as for `erp-sync apply --once`.
                Err(nothing @ gl::GlError::NothingToBatch) => {
                    use messages::Localize as _;
                    let lang = messages::Locale::from_tag(&actor.locale);
                    writeln!(out, "{}", nothing.localize(lang))?;
                    return Ok(());
                }
                batch => batch?,
            };
            let total = amount_text(batch.debit_total, base_decimals(db)?);
            let lang = messages::Locale::from_tag(&actor.locale);
            let line = messages::batch_created(
                lang,
                batch.id,
                batch.transactions,
                &total,
                &batch.base_currency,
            );
            writeln!(out, "{line}")?;
        }
        GlCommand::Batch(BatchCommand::List) => {
            let d = base_decimals(db)?;
            writeln!(
                out,
                "{:>6}  {:<9}  {:>12}  {:>18}  {:<4}  {:<20}  {:<20}  Filter",
                "Batch", "Status", "Transactions", "Debits", "Cur", "Created", "Posted"
            )?;
            for b in db.batches()? {
                let filter = [
                    b.filter.from.as_ref().map(|f| format!("from {f}")),
                    b.filter.to.as_ref().map(|t| format!("to {t}")),
                    b.filter.group.as_ref().map(|g| format!("group {g}")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                writeln!(
                    out,
                    "{:>6}  {:<9}  {:>12}  {:>18}  {:<4}  {:<20}  {:<20}  {}",
                    b.id,
                    b.status,
                    b.transactions,
                    amount_text(b.debit_total, d),
                    b.base_currency,
                    b.created_at,
                    b.posted_at.as_deref().unwrap_or("-"),
                    if filter.is_empty() { "-" } else { &filter }
                )?;
            }
        }
        GlCommand::Batch(BatchCommand::Show { id, lines, json }) => {
            let batch = db.batch(id)?.ok_or(gl::GlError::NoSuchBatch(id))?;
            let totals = db.batch_totals(id)?;
            let detail = if lines {
                db.batch_lines(id, usize::MAX)?
            } else {
                Vec::new()
            };
            if json {
                let value = serde_json::json!({
                    "batch": batch, "totals": totals, "lines": detail,
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
                return Ok(());
            }
            let d = base_decimals(db)?;
            let decimals = db.currency_decimals()?;
            writeln!(
                out,
                "batch {} ({}), {} transaction(s), created by {} at {}{}",
                batch.id,
                batch.status,
                batch.transactions,
                batch.created_by,
                batch.created_at,
                batch
                    .posted_at
                    .as_ref()
                    .map(|at| format!(
                        ", posted by {} at {at}",
                        batch.posted_by.as_deref().unwrap_or("?")
                    ))
                    .unwrap_or_default()
            )?;
            writeln!(
                out,
                "{:<10}  {:<8}  {:<4}  {:>18}  {:>18}  {:>18}  {:>7}",
                "Date", "Account", "Cur", "Debit", "Credit", "Amount (cur)", "Lines"
            )?;
            let (mut debit, mut credit) = (0i64, 0i64);
            for t in &totals {
                debit += t.debit;
                credit += t.credit;
                let cd = decimals.get(&t.currency).copied().unwrap_or(2);
                writeln!(
                    out,
                    "{:<10}  {:<8}  {:<4}  {:>18}  {:>18}  {:>18}  {:>7}",
                    t.date,
                    t.account,
                    t.currency,
                    amount_text(t.debit, d),
                    amount_text(t.credit, d),
                    amount_text(t.amount, cd),
                    t.lines
                )?;
            }
            writeln!(
                out,
                "{:<26}  {:>18}  {:>18}  ({})",
                "Total",
                amount_text(debit, d),
                amount_text(credit, d),
                batch.base_currency
            )?;
            if lines {
                writeln!(out)?;
                writeln!(
                    out,
                    "{:>8}  {:<10}  {:<8}  {:<20}  {:<4}  {:>16}  {:>16}  Description",
                    "Tx", "Date", "Account", "Role", "Cur", "Amount", "Base"
                )?;
                for l in &detail {
                    let cd = decimals.get(&l.currency).copied().unwrap_or(2);
                    writeln!(
                        out,
                        "{:>8}  {:<10}  {:<8}  {:<20}  {:<4}  {:>16}  {:>16}  {}",
                        l.transaction,
                        l.date,
                        l.account,
                        l.role,
                        l.currency,
                        amount_text(l.amount, cd),
                        amount_text(l.base_amount, d),
                        l.description
                    )?;
                }
            }
        }
        GlCommand::Batch(BatchCommand::Post { id }) => {
            let batch = admin.gl().post_batch(id, actor)?;
            let total = amount_text(batch.debit_total, base_decimals(db)?);
            let lang = messages::Locale::from_tag(&actor.locale);
            let line =
                messages::batch_posted_to_ledger(lang, batch.id, &total, &batch.base_currency);
            writeln!(out, "{line}")?;
        }
        GlCommand::Batch(BatchCommand::Delete { id }) => {
            let released = admin.gl().delete_batch(id)?;
            let lang = messages::Locale::from_tag(&actor.locale);
            writeln!(out, "{}", messages::batch_deleted(lang, id, released))?;
        }
        GlCommand::Entries { account } => {
            let d = base_decimals(db)?;
            writeln!(
                out,
                "{:>6}  {:<10}  {:<8}  {:<4}  {:>18}  {:>18}",
                "Batch", "Date", "Account", "Cur", "Debit", "Credit"
            )?;
            for (batch, e) in db.gl_entries(account.as_deref())? {
                writeln!(
                    out,
                    "{batch:>6}  {:<10}  {:<8}  {:<4}  {:>18}  {:>18}",
                    e.date,
                    e.account,
                    e.currency,
                    amount_text(e.debit, d),
                    amount_text(e.credit, d)
                )?;
            }
        }
        GlCommand::Discount { invoice, paid_on } => {
            match admin
                .gl()
                .receipt_discount(invoice, &paid_on, &actor.locale)?
            {
                None => writeln!(
                    out,
                    "no prompt-payment discount applies when paid on {paid_on}"
                )?,
                Some(offer) => {
                    let currency = db
                        .transaction(invoice)?
                        .map(|t| t.entered.currency)
                        .unwrap_or_default();
                    let d = db.currency_decimals()?.get(&currency).copied().unwrap_or(2);
                    writeln!(
                        out,
                        "{} off: {} {currency}, if paid by {} ({} of group {})",
                        percent_text(offer.percent),
                        amount_text(offer.amount, d),
                        offer.pay_by,
                        offer.rule,
                        offer.source
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn base_decimals(db: &Db) -> Result<u32> {
    let base = db.gl_settings()?.base_currency;
    Ok(db.currency_decimals()?.get(&base).copied().unwrap_or(2))
}

fn print_settings(db: &Db, out: &mut dyn Write) -> Result<()> {
    let s = db.gl_settings()?;
    writeln!(
        out,
        "base currency:    {}",
        if s.base_currency.is_empty() {
            "(not set)"
        } else {
            &s.base_currency
        }
    )?;
    writeln!(
        out,
        "rounding account: {}",
        s.rounding_account.as_deref().unwrap_or("(not set)")
    )?;
    Ok(())
}

/// Runs a report.
pub fn report(
    admin: &Admin,
    command: ReportCommand,
    actor: &Actor,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let db = admin.db();
    let d = base_decimals(db)?;
    let base = db.gl_settings()?.base_currency;
    match command {
        ReportCommand::Credit {
            customer,
            amount,
            rate,
        } => {
            let found = db
                .customer(&customer)?
                .ok_or_else(|| anyhow::anyhow!("there is no customer {customer:?}"))?;
            let decimals = db.currency_decimals()?;
            let cd = decimals.get(&found.currency).copied().unwrap_or(2);
            let amount = crate::units::parse_amount(&amount, &found.currency, cd)?;
            let rate = rate.map(|r| crate::units::parse_rate(&r)).transpose()?;
            let report = report::credit_check(admin.gl(), &customer, amount, rate, &actor.locale)?;
            let (cur, base_cur) = &report.currencies;
            writeln!(
                out,
                "{:<10}  {:>18}  {:>18}  {:>18}  {:<4}  Limit from",
                "Scope", "Limit", "Exposure", "Available", "Cur"
            )?;
            for line in &report.verdict.lines {
                let (currency, places) = if line.scope == crate::wit::CreditScope::Customer {
                    (cur.as_str(), cd)
                } else {
                    (base_cur.as_str(), d)
                };
                writeln!(
                    out,
                    "{:<10}  {:>18}  {:>18}  {:>18}  {:<4}  {}",
                    line.scope,
                    amount_text(line.limit, places),
                    amount_text(line.exposure, places),
                    amount_text(line.available, places),
                    currency,
                    line.source
                )?;
            }
            if report.verdict.lines.is_empty() {
                writeln!(out, "no credit limit applies to {customer}")?;
            }
            if report.verdict.allowed {
                writeln!(out, "within limits")?;
            } else {
                for reason in &report.verdict.reasons {
                    writeln!(out, "over limit: {reason}")?;
                }
            }
        }
        ReportCommand::Receivables { as_of, format } => {
            if let Some(day) = &as_of
                && !gl::is_date(day)
            {
                bail!("--as-of: {day:?} is not a date (YYYY-MM-DD)");
            }
            admin.gl().settle_unknown_effects(&actor.locale)?;
            let rows = report::receivables(db, as_of.as_deref())?;
            let uncounted = report::uncounted(db, as_of.as_deref())?;
            if uncounted > 0 {
                let lang = messages::Locale::from_tag(&actor.locale);
                writeln!(err, "{}", messages::uncounted_note(lang, uncounted))?;
            }
            match format {
                Format::Csv => {
                    writeln!(out, "group,name,depth,customers,own,consolidated")?;
                    for r in rows {
                        writeln!(
                            out,
                            "{},\"{}\",{},{},{},{}",
                            r.code,
                            r.name.replace('"', "\"\""),
                            r.depth,
                            r.customers,
                            amount_text(r.own, d),
                            amount_text(r.consolidated, d)
                        )?;
                    }
                }
                Format::Table | Format::Svg => {
                    if matches!(format, Format::Svg) {
                        bail!("receivables print as a table or CSV");
                    }
                    writeln!(
                        out,
                        "receivables by customer group{}, {}",
                        as_of.map(|a| format!(" as of {a}")).unwrap_or_default(),
                        if base.is_empty() {
                            "base currency not set"
                        } else {
                            &base
                        }
                    )?;
                    writeln!(
                        out,
                        "{:<36}  {:>9}  {:>18}  {:>18}",
                        "Group", "Customers", "Own", "With subgroups"
                    )?;
                    let mut total = 0;
                    for r in rows {
                        if r.depth == 0 {
                            total += r.consolidated;
                        }
                        let label = format!("{}{} {}", "  ".repeat(r.depth), r.code, r.name);
                        writeln!(
                            out,
                            "{:<36}  {:>9}  {:>18}  {:>18}",
                            label,
                            r.customers,
                            amount_text(r.own, d),
                            amount_text(r.consolidated, d)
                        )?;
                    }
                    writeln!(
                        out,
                        "{:<36}  {:>9}  {:>18}  {:>18}",
                        "Total",
                        "",
                        "",
                        amount_text(total, d)
                    )?;
                }
            }
        }
        ReportCommand::SalesTrend {
            from,
            to,
            group,
            format,
            output,
        } => {
            let months = report::month_range(&from, &to);
            if months.is_empty() {
                bail!(
                    "--from {from} --to {to}: give months as YYYY-MM, the first not after the last"
                );
            }
            let under = match &group {
                Some(code) => Some(
                    db.find_group(code)?
                        .ok_or_else(|| anyhow::anyhow!("there is no customer group {code:?}"))?
                        .group
                        .code,
                ),
                None => None,
            };
            let trend = report::sales_trend(db, &from, &to, under.as_deref())?;
            let text = match format {
                Format::Csv => report::trend_csv(&trend),
                Format::Svg => report::trend_svg(
                    &trend,
                    &format!(
                        "Sales trend by customer group{}, {from} to {to}",
                        under.map(|g| format!(" under {g}")).unwrap_or_default()
                    ),
                ),
                Format::Table => {
                    let mut text = format!("{:<24}", "Group");
                    for m in &trend.months {
                        text.push_str(&format!("  {m:>14}"));
                    }
                    text.push_str(&format!("  {:>16}\n", "Total"));
                    for (code, name, values) in &trend.series {
                        let label: String = format!("{code} {name}").chars().take(24).collect();
                        text.push_str(&format!("{label:<24}"));
                        for v in values {
                            text.push_str(&format!("  {:>14}", amount_text(*v, d)));
                        }
                        text.push_str(&format!("  {:>16}\n", amount_text(values.iter().sum(), d)));
                    }
                    text
                }
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("writing {}", path.display()))?;
                    writeln!(out, "written to {}", path.display())?;
                }
                None => out.write_all(text.as_bytes())?,
            }
        }
    }
    Ok(())
}
