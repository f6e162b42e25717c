//! The master data the group form points at: `account` (the chart of
//! accounts), `reference` (currencies, price lists, ...) and `settings`
//! (the AR settings, the defaults at the root of the tree).

use std::io::Write;

use anyhow::{Result, bail};
use clap::Subcommand;

use super::hints::with_hints;
use super::options::{ArSettings, FieldArgs};
use super::render;
use super::{Globals, open_admin, open_db};
use crate::actor::Actor;
use crate::messages::{self as m, Locale};
use crate::store::Db;
use crate::wit::{Account, AccountKind, ReferenceKind, Severity};

#[derive(Subcommand)]
pub(super) enum AccountCommand {
    /// Add an account to the chart of accounts.
    New {
        /// Account number.
        #[arg(long)]
        code: String,
        /// Account name.
        #[arg(long)]
        name: String,
        /// What the account is for.
        #[arg(long, value_parser = parse_kind)]
        kind: AccountKind,
        /// Create it inactive.
        #[arg(long)]
        inactive: bool,
        /// The company whose chart it is in (default: the default company).
        #[arg(long)]
        company: Option<String>,
    },
    /// List a company's chart of accounts.
    List {
        /// The company (default: the default company).
        #[arg(long)]
        company: Option<String>,
    },
}

#[derive(Subcommand)]
pub(super) enum ReferenceCommand {
    /// Add a record of reference data.
    New {
        /// Kind: currency, price-list, price-code, payment-terms, tax-regime,
        /// tax-code or product.
        #[arg(long, value_parser = parse_reference_kind)]
        kind: ReferenceKind,
        /// Its code, e.g. IDR.
        #[arg(long)]
        code: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// For a currency: the decimals of its minor unit (2 for IDR and USD, 0 for JPY).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=4))]
        decimals: u32,
    },
    /// List reference data, of one kind or all.
    List {
        /// Only this kind.
        #[arg(long, value_parser = parse_reference_kind)]
        kind: Option<ReferenceKind>,
    },
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
pub(super) enum SettingsCommand {
    /// Show the AR settings.
    Show {
        /// The company's (default: the default company's).
        #[arg(long)]
        company: Option<String>,
    },
    /// Change defaults; `--clear NAME` removes one.
    Set {
        /// The company's (default: the default company's).
        #[arg(long)]
        company: Option<String>,
        #[command(flatten)]
        fields: FieldArgs<ArSettings>,
    },
}

fn parse_kind(text: &str) -> Result<AccountKind, String> {
    AccountKind::parse(text).ok_or_else(|| {
        let kinds: Vec<_> = AccountKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("expected one of: {}", kinds.join(", "))
    })
}

fn parse_reference_kind(text: &str) -> Result<ReferenceKind, String> {
    ReferenceKind::parse(text).ok_or_else(|| {
        let kinds: Vec<_> = ReferenceKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("expected one of: {}", kinds.join(", "))
    })
}

/// Runs an `account` command.
pub(super) fn account(cli: &Globals, command: AccountCommand, out: &mut dyn Write) -> Result<()> {
    let l = cli.locale;
    match command {
        AccountCommand::New {
            code,
            name,
            kind,
            inactive,
            company,
        } => {
            let db = open_db(cli)?;
            let company = db.company_or_default(company.as_deref())?;
            let account = db.create_account_in(
                &company.code,
                &Account {
                    code,
                    name,
                    kind,
                    active: !inactive,
                },
            )?;
            writeln!(
                out,
                "{}",
                m::account_created(l, &account.code, &account.name, kind.as_str())
            )?;
        }
        AccountCommand::List { company } => {
            let db = open_db(cli)?;
            let company = db.company_or_default(company.as_deref())?;
            writeln!(
                out,
                "{:<8} {:<32} {:<12} {}",
                m::column_code(l),
                m::column_name(l),
                m::column_kind(l),
                m::column_status(l)
            )?;
            for a in db.accounts_of(&company.code)? {
                let status = if a.active {
                    m::active(l)
                } else {
                    m::inactive(l)
                };
                writeln!(
                    out,
                    "{:<8} {:<32} {:<12} {status}",
                    a.code,
                    a.name,
                    a.kind.as_str()
                )?;
            }
        }
    }
    Ok(())
}

/// Runs a `reference` command.
pub(super) fn reference(
    cli: &Globals,
    command: ReferenceCommand,
    out: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    match command {
        ReferenceCommand::New {
            kind,
            code,
            name,
            decimals,
        } => {
            let (code, name) = (code.trim(), name.trim());
            if code.is_empty() || name.is_empty() {
                bail!(m::reference_needs_code_and_name(l));
            }
            let db = open_db(cli)?;
            db.create_reference(kind, code, name)?;
            if kind == ReferenceKind::Currency {
                db.set_currency_decimals(code, decimals)?;
            }
            writeln!(
                out,
                "{}",
                m::reference_created(l, kind.as_str(), code, name)
            )?;
        }
        ReferenceCommand::List { kind } => {
            render::print_references(&open_db(cli)?.references(kind)?, l, out)?;
        }
    }
    Ok(())
}

/// Runs a `settings` command.
pub(super) fn settings(
    cli: &Globals,
    actor: &Actor,
    command: SettingsCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    match command {
        SettingsCommand::Show { company } => {
            let db = open_db(cli)?;
            let company = db.company_or_default(company.as_deref())?;
            print_settings(&db, &company.code, l, out)?;
        }
        SettingsCommand::Set { company, fields } => {
            let admin = open_admin(cli)?;
            let company = admin.db().company_or_default(company.as_deref())?;
            let mut settings = admin.db().ar_settings_of(&company.code)?;
            fields.apply_settings(&mut settings)?;
            let values = settings.clone();
            let warnings = admin
                .set_ar_settings_of(Some(&company.code), settings, None, actor)
                .map_err(|e| with_hints(e, &admin, l, &values, Some(&company.code)))?;
            render::print_issues(&warnings, Severity::Warning, l, err)?;
            print_settings(admin.db(), &company.code, l, out)?;
        }
    }
    Ok(())
}

fn print_settings(db: &Db, company: &str, l: Locale, out: &mut dyn Write) -> Result<()> {
    let s = db.ar_settings_of(company)?;
    for name in crate::fields::settings() {
        let value = crate::present::setting_text(&s, name, l).unwrap_or_else(|| "-".into());
        writeln!(out, "{name:<24} {value}")?;
    }
    Ok(())
}
