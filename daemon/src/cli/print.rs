//! A report as `plan` and `apply --once` print it: JSON, or text.

use std::io::Write;

use anyhow::Result;
use host_harness::cli as host_cli;

use crate::companies::Companies;
use crate::diag::printable;
use crate::report::{Report, Step};

/// Prints `report`: as JSON, or as text with each error as cargo shows one
/// (in colour when stdout is a terminal and `NO_COLOR` is not set).
pub fn print(report: &Report, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, report)?;
        writeln!(out)?;
        return Ok(());
    }
    let colour = host_cli::colour_for(&std::io::stdout());
    for e in &report.errors {
        write!(out, "{}", e.render(colour))?;
    }
    for step in &report.steps {
        let line = match step {
            Step::Create {
                group,
                file,
                companies,
                ..
            } => {
                format!(
                    "+ create {}{}  ({file})",
                    group.code(),
                    per_company(companies)
                )
            }
            Step::Update {
                group,
                file,
                reason,
                companies,
                ..
            } => {
                // An update that leaves the group nothing per company, where
                // the host's group had something, says so.
                let companies = match companies {
                    None => String::new(),
                    Some(c) if c.is_empty() => " without company settings".to_owned(),
                    Some(c) => per_company(c),
                };
                format!("~ update {}{companies}  ({reason}, {file})", group.code())
            }
            Step::Adopt { group, file, .. } => {
                format!("= adopt {}  ({file})", group.code())
            }
            Step::Deactivate { group, .. } => format!("- deactivate {}", group.code()),
            Step::Delete { code, .. } => format!("- delete {code}"),
            Step::Release { code } => format!("- release {code} (left as it is)"),
        };
        // File names and texts come from the files: shown, not sent.
        writeln!(out, "{}", printable(&line))?;
    }
    for d in &report.drift {
        let line = format!("! drift {}: {} ({})", d.code, d.detail, d.file);
        writeln!(out, "{}", printable(&line))?;
    }
    for w in &report.warnings {
        writeln!(out, "warning: {}", printable(w))?;
    }
    writeln!(
        out,
        "{}: {} to create, {} to update, {} to adopt, {} to deactivate, {} to delete, {} unchanged, {} drifted, {} error(s)",
        report.outcome,
        report.created(),
        report.updated(),
        report.adopted(),
        report.deactivated(),
        report.deleted(),
        report.unchanged,
        report.drift.len(),
        report.errors.len()
    )?;
    Ok(())
}

/// ` with BETA, GAMMA` for a group that sets something per company.
fn per_company(companies: &Companies) -> String {
    let codes: Vec<&str> = companies.rows().into_iter().map(|(code, _)| code).collect();
    if codes.is_empty() {
        String::new()
    } else {
        format!(" with {}", codes.join(", "))
    }
}
