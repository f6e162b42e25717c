//! `erp-host report ...`: receivables by customer group, the sales trend
//! and the credit check.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};

use crate::actor::Actor;
use crate::admin::Admin;
use crate::gl;
use crate::messages;
use crate::report;
use crate::units::amount_text;
/// Which companies a report takes and the currency it shows them in.
#[derive(clap::Args)]
pub struct ViewArgs {
    /// The company (default: the default company), or `all`: every
    /// company consolidated in `--currency`.
    #[arg(long, value_name = "CO|all")]
    company: Option<String>,
    /// The currency shown (default: the company's base currency; for
    /// `all`, the default company's).
    #[arg(long, value_name = "CUR")]
    currency: Option<String>,
    /// How many units of `--currency` one unit of a company's base
    /// currency is, e.g. `--rate USD=15500`; repeat for each currency.
    #[arg(long, value_name = "CUR=RATE", value_parser = parse_rate_pair)]
    rate: Vec<(String, u64)>,
}

fn parse_rate_pair(text: &str) -> Result<(String, u64), String> {
    crate::units::parse_rate_pair(text).map_err(|e| e.to_string())
}

impl ViewArgs {
    fn view(&self, admin: &Admin, actor: &Actor) -> Result<report::Consolidation> {
        let which = match self.company.as_deref() {
            Some(all) if all.eq_ignore_ascii_case("all") => report::Companies::All,
            code => report::Companies::One(code),
        };
        let lang = messages::Locale::from_tag(&actor.locale);
        Ok(report::Consolidation::of(
            admin.db(),
            which,
            self.currency.as_deref(),
            &self.rate,
            lang,
        )?)
    }
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
        #[command(flatten)]
        view: ViewArgs,
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
        #[command(flatten)]
        view: ViewArgs,
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

/// Runs a report.
pub fn report(
    admin: &Admin,
    command: ReportCommand,
    actor: &Actor,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let db = admin.db();
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
            // Group lines are in the customer's company's base currency.
            let d = decimals.get(base_cur).copied().unwrap_or(2);
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
        ReportCommand::Receivables {
            as_of,
            format,
            view,
        } => {
            if let Some(day) = &as_of
                && !gl::is_date(day)
            {
                bail!("--as-of: {day:?} is not a date (YYYY-MM-DD)");
            }
            admin.gl().settle_unknown_effects(&actor.locale)?;
            let view = view.view(admin, actor)?;
            let (d, base) = (view.decimals, view.currency.clone());
            let rows = report::receivables_in(db, as_of.as_deref(), &view)?;
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
            view,
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
            let view = view.view(admin, actor)?;
            let d = view.decimals;
            let trend = report::sales_trend_in(db, &from, &to, under.as_deref(), &view)?;
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
