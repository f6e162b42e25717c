//! `erp-host gl ...`: the ledger's settings, GL batches (create, list,
//! show, post, delete), posted entries and prompt-payment discounts.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use crate::actor::Actor;
use crate::admin::Admin;
use crate::gl::{self, BatchFilter, GlSettings};
use crate::messages;
use crate::store::Db;
use crate::units::{amount_text, percent_text};
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
        /// The company's ledger (default: the default company's).
        #[arg(long)]
        company: Option<String>,
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
    Show {
        /// The company's (default: the default company's).
        #[arg(long)]
        company: Option<String>,
    },
    /// Set them.
    Set {
        /// The company's (default: the default company's).
        #[arg(long)]
        company: Option<String>,
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
        /// The company whose customers' transactions are batched (default:
        /// the default company), with its accounts, in its base currency.
        #[arg(long)]
        company: Option<String>,
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

/// Runs a GL command.
pub fn gl(admin: &Admin, command: GlCommand, actor: &Actor, out: &mut dyn Write) -> Result<()> {
    let db = admin.db();
    match command {
        GlCommand::Settings(GlSettingsCommand::Show { company }) => {
            print_settings(db, company.as_deref(), out)?;
        }
        GlCommand::Settings(GlSettingsCommand::Set {
            company,
            base_currency,
            rounding_account,
        }) => {
            admin.gl().set_gl_settings_of(
                company.as_deref(),
                &GlSettings {
                    base_currency,
                    rounding_account: rounding_account.map(|a| a.trim().to_owned()),
                },
            )?;
            print_settings(db, company.as_deref(), out)?;
        }
        GlCommand::Batch(BatchCommand::Create {
            from,
            to,
            group,
            company,
        }) => {
            let batch = match admin.gl().create_batch_for(
                company.as_deref(),
                &BatchFilter { from, to, group },
                actor,
            ) {
                // Nothing to do is not an error (exit 0), as for `erp-sync apply --once`.
                Err(nothing @ gl::GlError::NothingToBatch) => {
                    use messages::Localize as _;
                    let lang = messages::Locale::from_tag(&actor.locale);
                    writeln!(out, "{}", nothing.localize(lang))?;
                    return Ok(());
                }
                batch => batch?,
            };
            let total = amount_text(batch.debit_total, decimals_of(db, &batch.base_currency)?);
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
            let decimals = db.currency_decimals()?;
            // A host with one company lists as it always has.
            let several = db.several_companies()?;
            writeln!(
                out,
                "{:>6}  {:<9}  {:>12}  {:>18}  {:<4}  {:<20}  {:<20}  {}Filter",
                "Batch",
                "Status",
                "Transactions",
                "Debits",
                "Cur",
                "Created",
                "Posted",
                if several { "Company   " } else { "" }
            )?;
            for b in db.batches()? {
                let d = decimals.get(&b.base_currency).copied().unwrap_or(2);
                let filter = [
                    b.filter.from.as_ref().map(|f| format!("from {f}")),
                    b.filter.to.as_ref().map(|t| format!("to {t}")),
                    b.filter.group.as_ref().map(|g| format!("group {g}")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                let company = if several {
                    format!("{:<8}  ", b.company)
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "{:>6}  {:<9}  {:>12}  {:>18}  {:<4}  {:<20}  {:<20}  {company}{}",
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
            let d = decimals_of(db, &batch.base_currency)?;
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
            let total = amount_text(batch.debit_total, decimals_of(db, &batch.base_currency)?);
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
        GlCommand::Entries { account, company } => {
            let company = db.company_or_default(company.as_deref())?.code;
            let d = decimals_of(db, &db.gl_settings_of(&company)?.base_currency)?;
            writeln!(
                out,
                "{:>6}  {:<10}  {:<8}  {:<4}  {:>18}  {:>18}",
                "Batch", "Date", "Account", "Cur", "Debit", "Credit"
            )?;
            for (batch, e) in db.gl_entries_of(Some(&company), account.as_deref())? {
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

/// The decimals of `currency`'s minor unit (2 for one the host lacks).
fn decimals_of(db: &Db, currency: &str) -> Result<u32> {
    Ok(db.currency_decimals()?.get(currency).copied().unwrap_or(2))
}

fn print_settings(db: &Db, company: Option<&str>, out: &mut dyn Write) -> Result<()> {
    let company = db.company_or_default(company)?;
    let s = db.gl_settings_of(&company.code)?;
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
