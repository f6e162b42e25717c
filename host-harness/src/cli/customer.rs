//! `customer`: add a customer to a group, set its own credit limit, list
//! customers (as far as their group is concerned).

use std::io::Write;

use anyhow::{Result, bail};
use clap::Subcommand;

use super::render;
use super::{Globals, open_admin, open_db};
use crate::actor::Actor;
use crate::admin::AdminError;
use crate::messages::{self as m, Locale};
use crate::store::Db;
use crate::wit::{Customer, Severity};

#[derive(Subcommand)]
pub(super) enum CustomerCommand {
    /// Add a customer to a group (a leaf, active, in the customer's currency).
    New {
        /// Customer code.
        #[arg(long)]
        code: String,
        /// Customer name.
        #[arg(long)]
        name: String,
        /// The customer's group.
        #[arg(long, default_value = "0000")]
        group: String,
        /// The customer's currency (ISO 4217).
        #[arg(long)]
        currency: String,
        /// The customer's own credit limit in its currency (else the group's applies).
        #[arg(long)]
        credit_limit: Option<String>,
        /// The company the customer trades with (default: the default
        /// company); its transactions are that company's.
        #[arg(long)]
        company: Option<String>,
    },
    /// Set a customer's own credit limit, in its currency; `none` clears it
    /// (its group's credit limit applies).
    CreditLimit {
        /// The customer.
        code: String,
        /// The limit, or `none`.
        limit: String,
    },
    /// List customers, of one group or all.
    List {
        /// Only the customers of this group.
        #[arg(long)]
        group: Option<String>,
    },
}

/// Runs a `customer` command.
pub(super) fn customer(
    cli: &Globals,
    actor: &Actor,
    command: CustomerCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    match command {
        CustomerCommand::New {
            code,
            name,
            group,
            currency,
            credit_limit,
            company,
        } => {
            let admin = open_admin(cli)?;
            let customer = Customer {
                code: code.trim().to_owned(),
                name: name.trim().to_owned(),
                group,
                currency: currency.trim().to_ascii_uppercase(),
                active: true,
                payment_terms: None,
                due_terms: None,
                prompt_payment_discount: None,
                statement_aging: None,
                price_code: None,
            };
            let limit = credit_limit
                .map(|text| customer_limit(admin.db(), &customer.currency, &text, l))
                .transpose()?
                .flatten();
            let warnings = admin.create_customer_in(company.as_deref(), customer.clone(), actor)?;
            admin
                .db()
                .set_customer_credit_limit(&customer.code, limit)?;
            render::print_issues(&warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::customer_created(l, &customer.code, &customer.name)
            )?;
        }
        CustomerCommand::CreditLimit { code, limit } => {
            let db = open_db(cli)?;
            let customer = db
                .customer(&code)?
                .ok_or_else(|| anyhow::anyhow!(m::no_such_customer(l, &code)))?;
            let limit = customer_limit(&db, &customer.currency, &limit, l)?;
            db.set_customer_credit_limit(&code, limit)?;
            let text = match limit {
                Some(minor) => format!(
                    "{} {}",
                    crate::units::amount_text(
                        minor,
                        db.currency_decimals()?
                            .get(&customer.currency)
                            .copied()
                            .unwrap_or(2)
                    ),
                    customer.currency
                ),
                None => m::from_its_group(l),
            };
            writeln!(out, "{}", m::customer_credit_limit(l, &code, &text))?;
        }
        CustomerCommand::List { group } => {
            let db = open_db(cli)?;
            let group = match group {
                Some(code) => Some(
                    db.find_group(&code)?
                        .ok_or(AdminError::NoSuchGroup(code))?
                        .group
                        .code,
                ),
                None => None,
            };
            writeln!(
                out,
                "{:<12} {:<32} {:<8} {:<8} {}",
                m::column_code(l),
                m::column_name(l),
                m::column_group(l),
                m::column_currency(l),
                m::column_status(l)
            )?;
            for c in db.customers(group.as_deref())? {
                let status = if c.active {
                    m::active(l)
                } else {
                    m::inactive(l)
                };
                writeln!(
                    out,
                    "{:<12} {:<32} {:<8} {:<8} {status}",
                    c.code, c.name, c.group, c.currency
                )?;
            }
        }
    }
    Ok(())
}

/// A customer credit limit typed in its currency; `none` is no limit of its own.
fn customer_limit(db: &Db, currency: &str, text: &str, l: Locale) -> Result<Option<i64>> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let decimals = db.currency_decimals()?.get(currency).copied().unwrap_or(2);
    let limit = crate::units::parse_amount(text, currency, decimals)?;
    if limit < 0 {
        bail!(m::credit_limit_negative(l, text));
    }
    Ok(Some(limit))
}
