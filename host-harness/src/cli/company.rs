//! `company`: the companies the host holds (issue 14, part 5), each with
//! its ledger settings, AR settings and chart of accounts.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use super::{Globals, open_admin, open_db, render};
use crate::actor::Actor;
use crate::messages as m;

#[derive(Subcommand)]
pub(super) enum CompanyCommand {
    /// Add a company: its ledger settings, AR settings and chart of
    /// accounts start empty (`gl settings set --company`, `settings set
    /// --company`, `account new --company`).
    New {
        /// Its code: 1 to 8 letters A-Z or digits (upper-cased).
        #[arg(long)]
        code: String,
        /// Its name.
        #[arg(long)]
        name: String,
    },
    /// List the companies, the default first.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Rename a company (its code never changes).
    Rename {
        /// The company's code.
        code: String,
        /// Its new name.
        #[arg(long)]
        name: String,
    },
}

/// Runs a `company` command.
pub(super) fn company(
    cli: &Globals,
    actor: &Actor,
    command: CompanyCommand,
    out: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    match command {
        CompanyCommand::New { code, name } => {
            let admin = open_admin(cli)?;
            let company = admin.create_company(&code, &name, actor)?;
            writeln!(
                out,
                "{}",
                m::company_created(l, &company.code, &company.name)
            )?;
        }
        CompanyCommand::List { json } => {
            let companies = open_db(cli)?.companies()?;
            if json {
                render::print_json(&companies, out)?;
            } else {
                writeln!(
                    out,
                    "{:<8} {:<32} {:<8} {}",
                    m::column_code(l),
                    m::column_name(l),
                    m::column_base_currency(l),
                    m::column_rounding_account(l)
                )?;
                for c in companies {
                    let mark = if c.is_default {
                        format!(" ({})", m::default_word(l))
                    } else {
                        String::new()
                    };
                    writeln!(
                        out,
                        "{:<8} {:<32} {:<8} {}",
                        c.code,
                        format!("{}{mark}", c.name),
                        if c.base_currency.is_empty() {
                            "-"
                        } else {
                            &c.base_currency
                        },
                        c.rounding_account.as_deref().unwrap_or("-")
                    )?;
                }
            }
        }
        CompanyCommand::Rename { code, name } => {
            let db = open_db(cli)?;
            let code = crate::store::company_code(&code)?;
            db.write(|w| w.rename_company(&code, &name))?;
            writeln!(out, "{}", m::company_renamed(l, &code, name.trim()))?;
        }
    }
    Ok(())
}
