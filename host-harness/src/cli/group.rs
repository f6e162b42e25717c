//! `group`: list (search, sort, pages, columns, CSV and HTML), tree, show,
//! new, edit, delete, and the toolbar's "Default GL Accounts", "Apply
//! Default Terms" and "Reassign".

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use super::hints::with_hints;
use super::options::{EditGroup, FieldArgs, NewGroup};
use super::render::{self, ListFormat};
use super::{Globals, open_admin};
use crate::actor::Actor;
use crate::admin::{Admin, AdminError};
use crate::gl::is_date;
use crate::messages::{self as m, Locale};
use crate::present::history::entries;
use crate::store::history::{AsOf, Entity};
use crate::store::{GroupColumn, GroupQuery};
use crate::wit::{CustomerGroup, MatchMode, Severity};

#[derive(Subcommand)]
pub(super) enum GroupCommand {
    /// List groups: search, filter by parent, sort, page, choose columns,
    /// print as a table, CSV or HTML.
    List(ListArgs),
    /// Show the group tree.
    Tree,
    /// Show one group: every field, and every setting with where it comes from.
    Show {
        /// The group code.
        code: String,
        /// Print JSON (the group and its effective settings) instead of text.
        #[arg(long)]
        json: bool,
        /// Show the group's own values as they were at this date (the end
        /// of that day, UTC) or instant (`2026-12-01T09:30:00Z`), from the
        /// change history; also for a group deleted since.
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Show the settings as they apply in this company (through the
        /// tree per company, falling back to its AR settings), and what the
        /// group sets for it.
        #[arg(long, conflicts_with = "as_of")]
        company: Option<String>,
    },
    /// Show every recorded change to a group, newest first: when, who,
    /// through what (cli, console, daemon and its file), and each field's
    /// old and new value. Also for a group deleted since.
    History {
        /// The group code.
        code: String,
        /// Print JSON (the recorded changes, oldest first) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Create a group.
    ///
    /// Each option is a field of the form, by its name (`erp-host form`
    /// shows each field's caption and help).
    New(NewArgs),
    /// Change a group (anything but its code).
    ///
    /// Each option is a field of the form, by its name (`erp-host form`
    /// shows each field's caption and help); options left out keep their
    /// value.
    Edit(EditArgs),
    /// Delete a group without customers, transactions and child groups.
    Delete {
        /// The group code.
        code: String,
    },
    /// "Default GL Accounts": set the group's accounts from the AR settings
    /// defaults (blank defaults overwrite nothing).
    DefaultAccounts {
        /// The group code.
        code: String,
    },
    /// "Apply Default Terms": show which customers would take the group's
    /// terms (old -> new); with --yes, apply them in one transaction.
    ApplyTerms {
        /// The group code.
        code: String,
        /// Apply the changes shown (without it, only preview).
        #[arg(long)]
        yes: bool,
    },
    /// "Reassign": move every customer of one group to another.
    Reassign {
        /// The group the customers leave.
        from: String,
        /// The group they join.
        to: String,
    },
}

#[derive(Args)]
pub(super) struct ListArgs {
    /// The search key.
    #[arg(long, value_enum, default_value_t = Key::Code)]
    key: Key,
    /// How the text matches the key.
    #[arg(long = "match", value_enum, default_value_t = Match::Any)]
    mode: Match,
    /// The text to search for.
    #[arg(long, conflicts_with = "all")]
    text: Option<String>,
    /// Show all groups ("Show All"); the default when no text is given.
    #[arg(long)]
    all: bool,
    /// Only the descendants of this group (children, their children, ...).
    #[arg(long)]
    parent: Option<String>,
    /// Sort by this column (a list column's field name, e.g. `name`, `currency`).
    #[arg(long, default_value = "code", value_parser = parse_column)]
    sort: GroupColumn,
    /// Sort descending.
    #[arg(long)]
    desc: bool,
    /// The columns to show after "No.", comma-separated ("Customise");
    /// default: the form's default columns. `all` shows every column.
    #[arg(long, value_delimiter = ',', value_parser = parse_column_or_all)]
    columns: Vec<Option<GroupColumn>>,
    /// The page to show, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    page: u64,
    /// Rows per page; 0 shows every row.
    #[arg(long, default_value_t = 50)]
    page_size: u64,
    /// Output format ("Print": csv or html).
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Key {
    Code,
    Name,
}

#[derive(Clone, Copy, ValueEnum)]
enum Match {
    /// Any part of the field.
    Any,
    /// The start of the field.
    Start,
    /// The whole field.
    Exact,
}

fn parse_column(text: &str) -> Result<GroupColumn, String> {
    GroupColumn::parse(text.trim()).ok_or_else(|| {
        let names: Vec<_> = GroupColumn::ALL.iter().map(|c| c.field()).collect();
        format!("no such column; one of: {}", names.join(", "))
    })
}

fn parse_column_or_all(text: &str) -> Result<Option<GroupColumn>, String> {
    if text.trim() == "all" {
        Ok(None)
    } else {
        parse_column(text).map(Some)
    }
}

/// `group new`: an option for every field of the form (the host's field
/// table), `--code` and `--name` required.
#[derive(Args)]
pub(super) struct NewArgs {
    #[command(flatten)]
    fields: FieldArgs<NewGroup>,
}

/// `group edit CODE`: an option for every field but the code.
#[derive(Args)]
pub(super) struct EditArgs {
    /// The group code.
    code: String,
    /// Refuse the edit unless the group is still at this version (the one
    /// `group show` printed): nobody else's save is overwritten.
    #[arg(long, value_name = "VERSION")]
    if_version: Option<i64>,
    /// Change what the group sets for this company (not the default): only
    /// the fields the form keeps per company (its accounts and credit
    /// limits); `--clear NAME` makes one inherit again in that company.
    #[arg(long)]
    company: Option<String>,
    #[command(flatten)]
    fields: FieldArgs<EditGroup>,
}

/// The columns the form shows unless the user customises the list.
pub(super) fn default_columns(form: &crate::wit::FormDefinition) -> Vec<GroupColumn> {
    form.list_columns
        .iter()
        .filter(|c| c.default_visible)
        .filter_map(|c| GroupColumn::parse(&c.field))
        .collect()
}

/// Runs a `group` command.
pub(super) fn group(
    cli: &Globals,
    actor: &Actor,
    command: GroupCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    let admin = open_admin(cli)?;
    match command {
        GroupCommand::List(args) => list(cli, &admin, args, out)?,
        GroupCommand::Tree => {
            let page = admin.db().groups(&GroupQuery::default())?;
            render::print_tree(&page.groups, l, out)?;
        }
        GroupCommand::Show {
            code,
            json,
            as_of: Some(at),
            ..
        } => show_as_of(cli, &admin, &code, &at, json, out)?,
        GroupCommand::History { code, json } => history(cli, &admin, &code, json, out)?,
        GroupCommand::Show {
            code,
            json,
            company,
            ..
        } => {
            let record = admin
                .db()
                .find_group(&code)?
                .ok_or_else(|| AdminError::NoSuchGroup(code.clone()))?;
            let scope = admin.scope(company.as_deref())?;
            let effective = admin.effective_in(&record.group.code, Some(&scope.company))?;
            let rows = admin.db().group_company_settings(&record.group.code)?;
            if json {
                let companies: serde_json::Map<String, serde_json::Value> = rows
                    .iter()
                    .map(|(company, settings)| {
                        let json = crate::fields::json::settings_to_json(settings);
                        let value = serde_json::from_str(&json).unwrap_or_default();
                        (company.clone(), value)
                    })
                    .collect();
                let all = serde_json::json!({
                    "group": record,
                    "effective": effective,
                    "company": scope.company,
                    "companies": companies,
                });
                render::print_json(&all, out)?;
            } else {
                let customers = admin.db().customers(Some(&record.group.code))?;
                let form = admin.form(l.tag())?;
                render::print_group(l, &form, &record, &effective, out)?;
                if let Some((company, row)) = rows.iter().find(|(c, _)| *c == scope.company) {
                    writeln!(out, "{}", m::set_for_company(l, company))?;
                    for name in crate::fields::settings() {
                        if let Some(value) = crate::present::setting_text(row, name, l) {
                            writeln!(out, "  {name:<24} {value}")?;
                        }
                    }
                }
                render::print_members(l, &form, &customers, out)?;
            }
        }
        GroupCommand::New(args) => {
            let mut group = CustomerGroup::new("", "");
            args.fields.apply(&mut group)?;
            let values = group.settings.clone();
            let saved = admin
                .create_group(group, actor)
                .map_err(|e| with_hints(e, &admin, l, &values, None))?;
            render::print_issues(&saved.warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::created_group(l, &saved.record.group.code, &saved.record.group.name)
            )?;
        }
        GroupCommand::Edit(EditArgs {
            code,
            if_version,
            company: Some(company),
            fields,
        }) => {
            // Only what the form keeps per company: a group's own field, or
            // a setting the same in every company cleared, is refused
            // before anything is read (a value given is the plugin's to
            // refuse, `company.not-per-company`).
            let scope = admin.scope(Some(&company))?;
            if let Some(per) = &scope.per_company
                && let Some(name) = fields
                    .outside_settings()
                    .find(|n| !per.iter().any(|f| f.name == *n || f.setting == Some(*n)))
            {
                anyhow::bail!(m::not_per_company(l, name, &scope.company));
            }
            let mut problem = None;
            let mut values = None;
            let saved = admin.update_group_company_settings(
                &code,
                &company,
                if_version,
                |settings| {
                    if let Err(e) = fields.apply_settings(settings) {
                        problem = Some(e);
                    }
                    values = Some(settings.clone());
                },
                actor,
            );
            if let Some(problem) = problem {
                return Err(problem);
            }
            let (_, warnings) = saved.map_err(|e| match &values {
                Some(values) => with_hints(e, &admin, l, values, Some(&company)),
                None => e.into(),
            })?;
            render::print_issues(&warnings, Severity::Warning, l, err)?;
            let scope = admin.scope(Some(&company))?;
            let code = admin.db().find_group(&code)?.map_or(code, |r| r.group.code);
            writeln!(
                out,
                "{}",
                m::saved_company_settings(l, &code, &scope.company)
            )?;
        }
        GroupCommand::Edit(args) => {
            let mut problem = None;
            let mut values = None;
            let saved = admin.update_group_at(
                &args.code,
                args.if_version,
                |group| {
                    if let Err(e) = args.fields.apply(group) {
                        problem = Some(e);
                    }
                    values = Some(group.settings.clone());
                },
                actor,
            );
            if let Some(problem) = problem {
                return Err(problem);
            }
            let saved = saved.map_err(|e| match &values {
                Some(values) => with_hints(e, &admin, l, values, None),
                None => e.into(),
            })?;
            render::print_issues(&saved.warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::saved_group(l, &saved.record.group.code, saved.record.version)
            )?;
        }
        GroupCommand::Delete { code } => {
            let deleted = admin.delete_group(&code, actor)?;
            writeln!(
                out,
                "{}",
                m::deleted_group(l, &deleted.group.code, &deleted.group.name)
            )?;
        }
        GroupCommand::DefaultAccounts { code } => {
            let saved = admin.default_gl_accounts(&code, actor)?;
            render::print_issues(&saved.warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::saved_default_accounts(l, &saved.record.group.code, saved.record.version)
            )?;
        }
        GroupCommand::ApplyTerms { code, yes } => {
            let plan = admin.plan_default_terms(&code, actor)?;
            render::print_plan(&plan, l, out)?;
            if plan.is_empty() {
            } else if yes {
                let applied = admin.apply_default_terms(plan)?;
                writeln!(out, "{}", m::applied_to(l, applied.len()))?;
            } else {
                writeln!(out, "{}", m::preview_only(l))?;
            }
        }
        GroupCommand::Reassign { from, to } => {
            let (moved, warnings) = admin.reassign(&from, &to, actor)?;
            render::print_issues(&warnings, Severity::Warning, l, err)?;
            writeln!(out, "{}", m::moved(l, moved))?;
        }
    }
    Ok(())
}

/// `--as-of`: a date (the end of that day, UTC) or an instant, as the
/// change history writes instants.
fn parse_instant(text: &str, l: Locale) -> Result<String> {
    let bad = || anyhow::anyhow!(m::bad_instant(l, text));
    let text = text.trim();
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, time.strip_suffix('Z').ok_or_else(bad)?),
        None => (text, "23:59:59"),
    };
    let clock: Vec<Option<u8>> = time
        .split(':')
        .map(|part| {
            let digits = part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| part.parse().ok()).flatten()
        })
        .collect();
    let time_ok = time.len() == 8
        && matches!(clock[..], [Some(h), Some(min), Some(sec)] if h < 24 && min < 60 && sec < 60);
    if !is_date(date) || !time_ok {
        return Err(bad());
    }
    Ok(format!("{date}T{time}Z"))
}

/// The group code `code` means, also for a group deleted since.
fn history_key(admin: &Admin, code: &str) -> Result<String> {
    Ok(admin
        .db()
        .find_group_in_history(code)?
        .ok_or_else(|| AdminError::NoSuchGroup(code.to_owned()))?)
}

fn history(
    cli: &Globals,
    admin: &Admin,
    code: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    let key = history_key(admin, code)?;
    let changes = admin.db().history(Entity::CustomerGroup, &key)?;
    if json {
        return render::print_json(&changes, out);
    }
    if changes.is_empty() {
        writeln!(out, "{}", m::no_history(l, &key))?;
        return Ok(());
    }
    let form = admin.form(l.tag())?;
    render::print_history(&entries(&changes, &form, l), l, out)
}

fn show_as_of(
    cli: &Globals,
    admin: &Admin,
    code: &str,
    at: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    let at = &parse_instant(at, l)?;
    let key = history_key(admin, code)?;
    let group = match admin.db().group_as_of(&key, at)? {
        AsOf::Existed(group) => group,
        AsOf::Absent => bail!(m::absent_as_of(l, &key, at)),
        AsOf::BeforeHistory(start) => bail!(m::before_history(l, &key, at, &start)),
    };
    if json {
        let both = serde_json::json!({ "as-of": at, "group": group });
        return render::print_json(&both, out);
    }
    let form = admin.form(l.tag())?;
    writeln!(out, "{}", m::as_of_header(l, &key, at))?;
    render::print_own_values(l, &form, &group, out)
}

fn list(cli: &Globals, admin: &Admin, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    let under = match &args.parent {
        Some(code) => Some(
            admin
                .db()
                .find_group(code)?
                .ok_or_else(|| AdminError::NoSuchGroup(code.clone()))?
                .group
                .code,
        ),
        None => None,
    };
    let limit = (args.page_size > 0).then_some(args.page_size);
    let offset = limit.map_or(0, |size| (args.page - 1).saturating_mul(size));
    let query = GroupQuery {
        key: match args.key {
            Key::Code => GroupColumn::Code,
            Key::Name => GroupColumn::Name,
        },
        mode: match args.mode {
            Match::Any => MatchMode::AnyPart,
            Match::Start => MatchMode::Start,
            Match::Exact => MatchMode::Exact,
        },
        text: if args.all { None } else { args.text },
        under,
        sort: args.sort,
        descending: args.desc,
        offset,
        limit,
    };
    let page = admin.db().groups(&query)?;
    let form = admin.form(cli.locale.tag())?;
    let columns = if args.columns.is_empty() {
        default_columns(&form)
    } else if args.columns.iter().any(Option::is_none) {
        GroupColumn::ALL.to_vec()
    } else {
        args.columns.into_iter().flatten().collect()
    };
    let mut buffer = Vec::new();
    let target: &mut dyn Write = if args.output.is_some() {
        &mut buffer
    } else {
        out
    };
    render::print_list(
        cli.locale,
        &form,
        &page.groups,
        offset,
        page.total,
        &columns,
        args.format,
        target,
    )?;
    if let Some(path) = &args.output {
        let shown = path.display().to_string();
        std::fs::write(path, buffer).with_context(|| m::writing(cli.locale, &shown))?;
        writeln!(
            out,
            "{}",
            m::wrote_groups(cli.locale, page.groups.len(), &shown)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_takes_a_day_or_an_instant_and_nothing_else() {
        for (given, instant) in [
            ("2026-12-01", "2026-12-01T23:59:59Z"),
            (" 2026-12-01 ", "2026-12-01T23:59:59Z"),
            ("2026-12-01T09:30:00Z", "2026-12-01T09:30:00Z"),
            ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
        ] {
            assert_eq!(
                parse_instant(given, Locale::En).ok().as_deref(),
                Some(instant),
                "{given}"
            );
        }
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2025-02-29",
            "2026-12-01T09:30:00",
            "2026-12-01T+9:30:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T09:60:00Z",
            "2026-12-01T9:30:00Z",
            "2026-12-01T09:30Z",
        ] {
            let refused = parse_instant(bad, Locale::Id).expect_err(bad).to_string();
            assert!(
                refused.starts_with("--as-of menerima tanggal"),
                "{bad}: {refused}"
            );
        }
    }
}
