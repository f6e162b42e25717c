//! How the CLI shows things: the menu, the form, the group list (table, CSV,
//! printable HTML, JSON), one group with its inheritance, the tree, plans.

use std::io::Write;

use anyhow::Result;

use crate::fields;
use crate::messages::{self as m, Locale};
use crate::present::history::Entry;
use crate::present::{customer_setting_text, list_table, source_text, value_text, write_csv};
use crate::store::{Db, GroupColumn, GroupRecord, Reference};
use crate::wit::{
    CustomerGroup, CustomerUpdate, EffectiveSettings, FormDefinition, Issue, Severity,
};

/// Prints `value` as pretty JSON, then a newline (every `--json`).
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints issues of one severity, each with its field and rule.
pub fn print_issues(
    issues: &[Issue],
    severity: Severity,
    l: Locale,
    err: &mut dyn Write,
) -> Result<()> {
    let word = match severity {
        Severity::Error => m::error_word(l),
        Severity::Warning => m::warning_word(l),
    };
    for issue in issues.iter().filter(|i| i.severity == severity) {
        writeln!(
            err,
            "{word}: {}: {} [{}]",
            issue.field, issue.message, issue.rule
        )?;
    }
    Ok(())
}

pub fn print_menu(db: &Db, out: &mut dyn Write) -> Result<()> {
    let mut previous: Vec<String> = Vec::new();
    for item in db.menu()? {
        let common = previous
            .iter()
            .zip(&item.path)
            .take_while(|(a, b)| a == b)
            .count();
        for (depth, segment) in item.path.iter().enumerate().skip(common) {
            let indent = "  ".repeat(depth);
            if depth + 1 == item.path.len() {
                let from = item
                    .plugin
                    .as_deref()
                    .map(|p| format!("  [plugin {p}]"))
                    .unwrap_or_default();
                writeln!(out, "{indent}{segment}  -> {}{from}", item.route)?;
            } else {
                writeln!(out, "{indent}{segment}")?;
            }
        }
        previous = item.path;
    }
    Ok(())
}

/// Prints the form definition; the host's own words in `l`.
pub fn print_form(form: &FormDefinition, l: Locale, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{} ({})", form.title, form.id)?;
    writeln!(out, "{}", form.description)?;
    writeln!(out, "{}", m::form_menu(l, &form.menu.path.join(" > ")))?;
    writeln!(out, "{}", m::form_route(l, &form.menu.route))?;
    let labels = |items: Vec<&str>| items.join(" | ");
    let shown = form.list_columns.iter().filter(|c| c.default_visible);
    writeln!(
        out,
        "{}",
        m::form_list(l, &labels(shown.map(|c| c.label.as_str()).collect()))
    )?;
    let more = form.list_columns.iter().filter(|c| !c.default_visible);
    writeln!(
        out,
        "{}",
        m::form_customise(l, &labels(more.map(|c| c.label.as_str()).collect()))
    )?;
    writeln!(
        out,
        "{}",
        m::form_search(
            l,
            &labels(form.search_keys.iter().map(|k| k.label.as_str()).collect()),
            &labels(form.match_modes.iter().map(|m| m.label.as_str()).collect())
        )
    )?;
    for section in &form.sections {
        writeln!(out, "\n[{}]", section.label)?;
        for field in form.fields.iter().filter(|f| f.section == section.name) {
            let mut notes = vec![field.kind.as_str().to_owned()];
            let flags = [
                (field.required, m::form_required(l)),
                (field.inheritable, m::form_inheritable(l)),
                (field.read_only, m::form_read_only(l)),
                (field.immutable, m::form_immutable(l)),
            ];
            notes.extend(flags.into_iter().filter(|(on, _)| *on).map(|(_, n)| n));
            if let Some(max) = field.max_length {
                notes.push(m::form_max(l, max));
            }
            if let Some(lookup) = &field.lookup {
                notes.push(m::form_lookup(l, lookup));
            }
            if let Some(create) = &field.quick_create {
                notes.push(format!("+ {create}"));
            }
            if !field.options.is_empty() && field.options.len() <= 8 {
                let values: Vec<&str> = field.options.iter().map(|o| o.value.as_str()).collect();
                notes.push(m::form_one_of(l, &values.join("/")));
            } else if !field.options.is_empty() {
                notes.push(m::form_codes(l, field.options.len()));
            }
            writeln!(
                out,
                "  {:<36} {:<24} {}",
                field.label,
                field.name,
                notes.join(", ")
            )?;
            if !field.columns.is_empty() {
                let columns: Vec<&str> = field.columns.iter().map(|c| c.label.as_str()).collect();
                writeln!(out, "{}", m::form_columns(l, &columns.join(" | ")))?;
            }
            writeln!(out, "      {}", field.help)?;
        }
    }
    writeln!(
        out,
        "\n{}",
        m::form_actions(
            l,
            &labels(form.actions.iter().map(|a| a.label.as_str()).collect())
        )
    )?;
    Ok(())
}

/// The caption of a list column in the form's locale.
/// How the list is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// An aligned table for the terminal.
    Table,
    /// Comma-separated values (RFC 4180), for spreadsheets.
    Csv,
    /// A printable HTML report.
    Html,
    /// JSON: the groups with every field.
    Json,
}

/// Prints a page of the list with `columns` (after the running number).
#[allow(
    clippy::too_many_arguments,
    reason = "one page, as the CLI asked for it"
)]
pub fn print_list(
    l: Locale,
    form: &FormDefinition,
    groups: &[GroupRecord],
    first_row: u64,
    total: u64,
    columns: &[GroupColumn],
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let (headers, rows) = list_table(form, groups, first_row, columns, l);
    match format {
        ListFormat::Json => {
            print_json(groups, out)?;
        }
        ListFormat::Csv => write_csv(&headers, &rows, out)?,
        ListFormat::Html => print_html(form, &headers, &rows, groups, total, out)?,
        ListFormat::Table => {
            let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
            for row in &rows {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cells: &[String]| {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| format!("{c:<w$}"))
                    .collect();
                padded.join("  ").trim_end().to_owned()
            };
            writeln!(out, "{}", line(&headers))?;
            for (row, record) in rows.iter().zip(groups) {
                let dim = if record.group.inactive {
                    format!("  {}", m::inactive_mark(l))
                } else {
                    String::new()
                };
                writeln!(out, "{}{dim}", line(row))?;
            }
            let shown = groups.len() as u64;
            if shown < total {
                let (from, to) = (first_row + 1, first_row + shown);
                let more = if to < total {
                    m::more_pages(l)
                } else {
                    String::new()
                };
                writeln!(out, "{}{more}", m::rows_of(l, from, to, total))?;
            }
        }
    }
    Ok(())
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn print_html(
    form: &FormDefinition,
    headers: &[String],
    rows: &[Vec<String>],
    groups: &[GroupRecord],
    total: u64,
    out: &mut dyn Write,
) -> Result<()> {
    let title = html(&form.title);
    let path = html(&form.menu.path.join(" | "));
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>\nbody {{ font: 11pt system-ui, sans-serif; margin: 2em; }}\n\
         h1 {{ font-size: 16pt; margin: 0; }} p.path {{ color: #555; margin: .2em 0 1em; }}\n\
         table {{ border-collapse: collapse; width: 100%; }}\n\
         th, td {{ border-bottom: 1px solid #ccc; padding: .3em .6em; text-align: left; }}\n\
         th {{ background: #f2f2f2; }} tr.inactive td {{ color: #999; }}\n\
         @media print {{ body {{ margin: 0; }} thead {{ display: table-header-group; }} }}\n\
         </style>\n</head>\n<body>\n<h1>{title}</h1>\n<p class=\"path\">{path}</p>",
        html(&form.locale)
    )?;
    writeln!(out, "<table>\n<thead><tr>")?;
    for h in headers {
        writeln!(out, "<th>{}</th>", html(h))?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for (row, record) in rows.iter().zip(groups) {
        let class = if record.group.inactive {
            " class=\"inactive\""
        } else {
            ""
        };
        write!(out, "<tr{class}>")?;
        for c in row {
            write!(out, "<td>{}</td>", html(c))?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(
        out,
        "</tbody>\n</table>\n<p class=\"path\">{} / {total}</p>\n</body>\n</html>",
        rows.len()
    )?;
    Ok(())
}

/// Prints one group: every field of the form the host stores, with its
/// label in the form's locale, in the form's order: the group's own fields,
/// then each setting with the value that applies and where it comes from,
/// then the audit fields and the version.
pub fn print_group(
    l: Locale,
    form: &FormDefinition,
    record: &GroupRecord,
    effective: &EffectiveSettings,
    out: &mut dyn Write,
) -> Result<()> {
    let g = &record.group;
    let label = |name: &str| {
        form.fields
            .iter()
            .find(|f| f.name == name)
            .map_or_else(|| name.to_owned(), |f| f.label.clone())
    };
    let stored = || stored_fields(form);
    for (field, ours) in stored().filter(|(_, ours)| ours.is_group_own()) {
        let value = ours
            .get(g)
            .map_or_else(|| "-".into(), |v| value_text(&v, l));
        writeln!(out, "{:<36} {value}", field.label)?;
    }
    if !effective.ancestors.is_empty() {
        writeln!(
            out,
            "{:<36} {}",
            m::ancestors(l),
            effective.ancestors.join(" > ")
        )?;
    }
    writeln!(out)?;
    for (field, ours) in stored().filter(|(_, ours)| !ours.is_group_own()) {
        let value = ours
            .get_setting(&effective.values)
            .map_or_else(|| "-".into(), |v| value_text(&v, l));
        let source = effective
            .sources
            .iter()
            .find(|p| Some(p.field.as_str()) == ours.setting)
            .map(|p| &p.source);
        let from = source
            .and_then(|s| source_text(s, l))
            .map(|t| format!("  ({t})"))
            .unwrap_or_default();
        writeln!(out, "{:<36} {value}{from}", field.label)?;
    }
    writeln!(out)?;
    for (name, value) in crate::present::audit(record) {
        writeln!(out, "{:<36} {value}", label(name))?;
    }
    writeln!(out, "{:<36} {}", m::version(l), record.version)?;
    Ok(())
}

/// The form's fields the host stores, each with its place in the field
/// table, in the form's order.
fn stored_fields(
    form: &FormDefinition,
) -> impl Iterator<Item = (&crate::wit::Field, &'static fields::Field)> {
    form.fields
        .iter()
        .filter_map(|f| Some((f, fields::find(&f.name)?)))
}

/// Prints a group's own values (not inherited ones): each field of the
/// form the group holds, set or not.
pub fn print_own_values(
    l: Locale,
    form: &FormDefinition,
    group: &CustomerGroup,
    out: &mut dyn Write,
) -> Result<()> {
    for (field, ours) in stored_fields(form) {
        let value = ours
            .get(group)
            .map_or_else(|| "-".into(), |v| value_text(&v, l));
        writeln!(out, "{:<36} {value}", field.label)?;
    }
    Ok(())
}

/// Prints recorded changes: a line per change (when, who, through what,
/// what it did, the daemon's file), then a line per field, old -> new.
pub fn print_history(entries: &[Entry], l: Locale, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{}", m::history_header(l))?;
    for entry in entries {
        let from = if entry.source.is_empty() {
            String::new()
        } else {
            format!("  {}", m::history_from_file(l, &entry.source))
        };
        writeln!(
            out,
            "{:<21} {:<15} {:<8} {}{from}",
            entry.at, entry.user, entry.via, entry.action
        )?;
        for field in &entry.fields {
            writeln!(
                out,
                "    {:<34} {} -> {}",
                field.label, field.old, field.new
            )?;
        }
    }
    Ok(())
}

/// Prints the group's member customers (the form's read-only Customers table).
pub fn print_members(
    l: Locale,
    form: &FormDefinition,
    customers: &[crate::wit::Customer],
    out: &mut dyn Write,
) -> Result<()> {
    let Some(field) = form.fields.iter().find(|f| f.name == "customers") else {
        return Ok(());
    };
    writeln!(out, "\n{} ({})", field.label, customers.len())?;
    for c in customers {
        let status = if c.active {
            String::new()
        } else {
            format!("  {}", m::inactive_mark(l))
        };
        writeln!(
            out,
            "  {:<12} {:<32} {}{status}",
            c.code, c.name, c.currency
        )?;
    }
    Ok(())
}

/// Prints the group tree: roots first, children indented under their node.
pub fn print_tree(groups: &[GroupRecord], l: Locale, out: &mut dyn Write) -> Result<()> {
    fn walk(
        groups: &[GroupRecord],
        parent: Option<&str>,
        depth: usize,
        seen: &mut Vec<String>,
        inactive: &str,
        out: &mut dyn Write,
    ) -> Result<()> {
        for r in groups
            .iter()
            .filter(|r| r.group.parent.as_deref() == parent)
        {
            let g = &r.group;
            // Walked from the roots down, a group in a loop of parents is
            // never reached; `seen` is only a guard against a store edited
            // by hand. How deep a tree may be is the plugin's rule.
            if seen.contains(&g.code) {
                continue;
            }
            seen.push(g.code.clone());
            let mark = if g.is_group { "+ " } else { "- " };
            let dim = if g.inactive { inactive } else { "" };
            writeln!(
                out,
                "{}{mark}{}  {}{dim}",
                "  ".repeat(depth),
                g.code,
                g.name
            )?;
            walk(groups, Some(&g.code), depth + 1, seen, inactive, out)?;
        }
        Ok(())
    }
    let inactive = format!("  {}", m::inactive_mark(l));
    walk(groups, None, 0, &mut Vec::new(), &inactive, out)
}

/// Prints a plan of customer updates: which customers, which fields, old -> new.
pub fn print_plan(plan: &[CustomerUpdate], l: Locale, out: &mut dyn Write) -> Result<()> {
    if plan.is_empty() {
        writeln!(out, "{}", m::terms_already_applied(l))?;
        return Ok(());
    }
    for update in plan {
        writeln!(out, "{} {}", update.before.code, update.before.name)?;
        for field in &update.changed {
            let show = |c: &crate::wit::Customer| {
                customer_setting_text(c, field, l).unwrap_or_else(|| "-".into())
            };
            writeln!(
                out,
                "  {field:<26} {} -> {}",
                show(&update.before),
                show(&update.after)
            )?;
        }
    }
    Ok(())
}

/// Prints reference data.
pub fn print_references(references: &[Reference], l: Locale, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "{:<14} {:<18} {:<32} {}",
        m::column_kind(l),
        m::column_code(l),
        m::column_name(l),
        m::column_status(l)
    )?;
    for r in references {
        let status = if r.active {
            m::active(l)
        } else {
            m::inactive(l)
        };
        writeln!(out, "{:<14} {:<18} {:<32} {status}", r.kind, r.code, r.name)?;
    }
    Ok(())
}
