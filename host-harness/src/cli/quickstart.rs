//! `quickstart`: a sample company in one go (database, sample data, the
//! bundled plugin, the seeds' example groups), then the menu, the form, the
//! groups and the tree.

use std::io::Write;

use anyhow::Result;

use super::group::default_columns;
use super::render::{self, ListFormat};
use super::{Globals, open_db};
use crate::actor::Actor;
use crate::admin::{self, Admin};
use crate::guests::PLUGIN_WASM;
use crate::messages as m;
use crate::sample;
use crate::store::GroupQuery;

pub(super) fn quickstart(cli: &Globals, actor: &Actor, out: &mut dyn Write) -> Result<()> {
    let l = cli.locale;
    let db = open_db(cli)?;
    writeln!(
        out,
        "{}",
        m::heading_database(l, &cli.db.display().to_string())
    )?;
    let added = sample::seed(&db)?;
    writeln!(out, "{}", m::sample_accounts_added(l, added))?;
    let installed = admin::install_plugin(&db, PLUGIN_WASM, None, &cli.user)?;
    writeln!(
        out,
        "{}",
        m::plugin_installed(
            l,
            &installed.form_id,
            installed.size as u64,
            &installed.sha256
        )
    )?;
    let admin = Admin::open(db)?;
    for group in sample::groups() {
        if admin.db().group(&group.code)?.is_some() {
            continue;
        }
        let saved = admin.create_group(group, actor)?;
        writeln!(
            out,
            "{}",
            m::sample_group_created(l, &saved.record.group.code, &saved.record.group.name)
        )?;
    }
    writeln!(out, "\n{}", m::heading_menu(l))?;
    render::print_menu(admin.db(), out)?;
    let form = admin.form(cli.locale.tag())?;
    writeln!(out, "\n{}", m::heading_form(l))?;
    render::print_form(&form, l, out)?;
    writeln!(out, "\n{}", m::heading_groups(l))?;
    let page = admin.db().groups(&GroupQuery::default())?;
    let columns = default_columns(&form);
    render::print_list(
        l,
        &form,
        &page.groups,
        0,
        page.total,
        &columns,
        ListFormat::Table,
        out,
    )?;
    writeln!(out, "\n{}", m::heading_tree(l))?;
    render::print_tree(&page.groups, l, out)?;
    Ok(())
}
