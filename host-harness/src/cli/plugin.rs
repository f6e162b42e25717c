//! `plugin`: install the component, show it and where its compiled code
//! comes from, and show or set the budgets its calls run under.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;

use super::{Globals, open_db};
use crate::admin::{self, Admin};
use crate::engine::Limits;
use crate::guests::PLUGIN_WASM;
use crate::messages::{self as m, Locale};
use crate::store::Db;

#[derive(Subcommand)]
pub(super) enum PluginCommand {
    /// Verify a component and install it, registering its menu entry.
    Install {
        /// The component (.wasm). Without it, the plugin bundled with this build.
        file: Option<PathBuf>,
        /// Refuse the component unless its sha256 is this (hex).
        #[arg(long)]
        sha256: Option<String>,
    },
    /// Show the installed plugin, its limits, and where its compiled code
    /// comes from (precompiled cache or a fresh compile).
    Show,
    /// Show or set the budgets every plugin call runs under.
    #[command(subcommand)]
    Limits(LimitsCommand),
}

#[derive(Subcommand)]
pub(super) enum LimitsCommand {
    /// Show the limits in force.
    Show,
    /// Set limits; those not given keep their value. Bulk calls get the
    /// per-record amounts on top, once per record.
    Set {
        /// Fuel (about one unit per wasm instruction) every call gets.
        #[arg(long)]
        fuel_per_call: Option<u64>,
        /// Extra fuel per record of a bulk call.
        #[arg(long)]
        fuel_per_record: Option<u64>,
        /// Wall-clock backstop for one call, in milliseconds.
        #[arg(long)]
        deadline_ms: Option<u64>,
        /// The most linear memory one call may use, in MiB.
        #[arg(long)]
        memory_mib: Option<u64>,
        /// Extra memory per record of a bulk call, in KiB.
        #[arg(long)]
        memory_per_record_kib: Option<u64>,
    },
    /// Back to the host's defaults.
    Reset,
}

/// Runs a `plugin` command.
pub(super) fn plugin(cli: &Globals, command: PluginCommand, out: &mut dyn Write) -> Result<()> {
    let l = cli.locale;
    match command {
        PluginCommand::Install { file, sha256 } => {
            let db = open_db(cli)?;
            let (bytes, source) = match &file {
                Some(path) => (
                    std::fs::read(path)
                        .with_context(|| m::reading(l, &path.display().to_string()))?,
                    path.display().to_string(),
                ),
                None => (PLUGIN_WASM.to_vec(), m::bundled_plugin(l)),
            };
            let installed = admin::install_plugin(&db, &bytes, sha256.as_deref(), &cli.user)
                .with_context(|| m::installing(l, &source))?;
            writeln!(
                out,
                "{}",
                m::installed(
                    l,
                    &source,
                    &installed.form_id,
                    installed.size as u64,
                    &installed.sha256,
                    &installed.wit_version
                )
            )?;
        }
        PluginCommand::Show => {
            let db = open_db(cli)?;
            match db.installed_plugin()? {
                None => writeln!(out, "{}", m::no_plugin_installed(l))?,
                Some(p) => {
                    for line in [
                        m::plugin_form(l, &p.form_id),
                        m::plugin_sha256(l, &p.sha256),
                        m::plugin_wit(l, &p.wit_version),
                        m::plugin_size(l, p.size as u64),
                        m::plugin_installed_by(l, &p.installed_at, &p.installed_by),
                    ] {
                        writeln!(out, "{line}")?;
                    }
                    print_limits(&db, l, out)?;
                    let admin = Admin::open(db)?;
                    let loaded = admin.plugin().loaded();
                    writeln!(
                        out,
                        "{}",
                        m::plugin_code(
                            l,
                            &m::Localize::localize(&loaded.origin, l),
                            loaded.took.as_secs_f64() * 1e3
                        )
                    )?;
                    if let Some(problem) = &loaded.cache_problem {
                        writeln!(out, "{}", m::plugin_cache(l, problem))?;
                    }
                }
            }
        }
        PluginCommand::Limits(command) => {
            let db = open_db(cli)?;
            match command {
                LimitsCommand::Show => {}
                LimitsCommand::Set {
                    fuel_per_call,
                    fuel_per_record,
                    deadline_ms,
                    memory_mib,
                    memory_per_record_kib,
                } => {
                    let mut values = db.plugin_limits()?.values();
                    let given = [
                        fuel_per_call,
                        fuel_per_record,
                        deadline_ms,
                        memory_mib,
                        memory_per_record_kib,
                    ];
                    for (value, given) in values.iter_mut().zip(given) {
                        *value = given.unwrap_or(*value);
                    }
                    let limits = Limits::from_values(values)?;
                    db.set_plugin_limits(Some(&limits), &cli.user)?;
                }
                LimitsCommand::Reset => db.set_plugin_limits(None, &cli.user)?,
            }
            print_limits(&db, l, out)?;
        }
    }
    Ok(())
}

fn print_limits(db: &Db, l: Locale, out: &mut dyn Write) -> Result<()> {
    let values = db.plugin_limits()?.values();
    let source = match db.plugin_limits_set_by()? {
        None => m::limits_defaults(l),
        Some((user, at)) => m::limits_set_by(l, &user, &at),
    };
    writeln!(out, "{}", m::limits_source(l, &source))?;
    for (range, value) in Limits::RANGES.iter().zip(values) {
        writeln!(
            out,
            "  {:<22} {:>15}   {}",
            range.name,
            group_digits(value),
            m::limit_range(l, &group_digits(range.min), &group_digits(range.max))
        )?;
    }
    Ok(())
}

fn group_digits(n: u64) -> String {
    crate::report::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}
