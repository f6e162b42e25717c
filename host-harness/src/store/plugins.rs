//! The installed plugin (its component, sha256 and WIT version), the
//! budgets its calls run under, the compile cache beside the database, and
//! the host's menu with the entries plugins registered.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::history::{Action, Entity, limits_changes};
use super::{Db, NOW, StoreError, Writer};
use crate::actor::By;
use crate::cache::CompileCache;
use crate::engine::Limits;

/// The plugin installed in the host.
#[derive(Clone, Debug, Serialize)]
pub struct InstalledPlugin {
    /// The form id the plugin provides, e.g. `customergroup`.
    pub form_id: String,
    /// sha256 of the component, hex.
    pub sha256: String,
    /// The WIT version the component exports.
    pub wit_version: String,
    /// Size of the component in bytes.
    pub size: i64,
    /// When it was installed.
    pub installed_at: String,
    /// Who installed it.
    pub installed_by: String,
}

/// One entry of the host's menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MenuItem {
    /// Path from the top level to the entry.
    pub path: Vec<String>,
    /// The route it opens.
    pub route: String,
    /// The plugin that registered it; `None` for the host's own entries.
    pub plugin: Option<String>,
}

/// The separator of menu path segments in the store.
const MENU_SEPARATOR: &str = " > ";

impl Db {
    /// Records an installed plugin and its menu entry, replacing any earlier
    /// installation of the same form, in one transaction.
    pub fn install_plugin(
        &self,
        form_id: &str,
        component: &[u8],
        sha256: &str,
        wit_version: &str,
        menu: &MenuItem,
        user: &str,
    ) -> Result<InstalledPlugin, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            &format!(
                "INSERT INTO plugins (form_id, sha256, wit_version, component, installed_by, \
                 installed_at) VALUES (?1, ?2, ?3, ?4, ?5, {NOW}) \
                 ON CONFLICT (form_id) DO UPDATE SET sha256 = excluded.sha256, \
                 wit_version = excluded.wit_version, component = excluded.component, \
                 installed_by = excluded.installed_by, installed_at = excluded.installed_at"
            ),
            params![form_id, sha256, wit_version, component, user],
        )?;
        tx.execute("DELETE FROM menu_entries WHERE plugin = ?1", [form_id])?;
        tx.execute(
            "INSERT INTO menu_entries (route, path, plugin, position) \
             VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM menu_entries)) \
             ON CONFLICT (route) DO UPDATE SET path = excluded.path, plugin = excluded.plugin",
            params![menu.route, menu.path.join(MENU_SEPARATOR), form_id],
        )?;
        tx.commit()?;
        drop(conn);
        self.installed_plugin()?.ok_or(StoreError::NoPlugin)
    }

    /// The installed plugin, if any.
    pub fn installed_plugin(&self) -> Result<Option<InstalledPlugin>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT form_id, sha256, wit_version, length(component), installed_at, \
                 installed_by FROM plugins ORDER BY form_id LIMIT 1",
                [],
                |row| {
                    Ok(InstalledPlugin {
                        form_id: row.get(0)?,
                        sha256: row.get(1)?,
                        wit_version: row.get(2)?,
                        size: row.get(3)?,
                        installed_at: row.get(4)?,
                        installed_by: row.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// The installed component's sha256, if one is installed: what a
    /// long-running process checks on every request, so it reads no column
    /// stored after the component (which would walk the blob's pages).
    pub fn installed_sha256(&self) -> Result<Option<String>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT sha256 FROM plugins ORDER BY form_id LIMIT 1")?;
        Ok(stmt.query_row([], |row| row.get(0)).optional()?)
    }

    /// The installed component's bytes and its recorded sha256.
    pub fn plugin_component(&self) -> Result<(Vec<u8>, String), StoreError> {
        let conn = self.conn();
        conn.query_row(
            "SELECT component, sha256 FROM plugins ORDER BY form_id LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::NoPlugin)
    }

    /// The budgets every plugin call runs under: as an administrator set
    /// them, else the host's defaults.
    pub fn plugin_limits(&self) -> Result<Limits, StoreError> {
        limits_in(&self.conn())
    }

    /// Whether an administrator set the plugin limits (rather than the
    /// defaults applying), and who and when.
    pub fn plugin_limits_set_by(&self) -> Result<Option<(String, String)>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT updated_by, updated_at FROM plugin_limits",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    /// Sets the plugin limits (`None`: back to the defaults), for every
    /// process that opens the plugin from now on; recorded as set by `user`
    /// through the CLI.
    pub fn set_plugin_limits(&self, limits: Option<&Limits>, user: &str) -> Result<(), StoreError> {
        self.write(|w| w.set_plugin_limits(limits, By::cli(user)))
    }

    /// The precompiled-component cache beside the database file (none for
    /// an in-memory database).
    pub fn compile_cache(&self) -> Option<CompileCache> {
        let conn = self.conn();
        conn.path()
            .filter(|path| !path.is_empty())
            .map(|path| CompileCache::beside(Path::new(path)))
    }

    /// The host's menu: its own entries and those plugins registered.
    pub fn menu(&self) -> Result<Vec<MenuItem>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT path, route, plugin FROM menu_entries ORDER BY path")?;
        let rows = stmt.query_map([], |row| {
            let path: String = row.get(0)?;
            Ok(MenuItem {
                path: path.split(MENU_SEPARATOR).map(str::to_owned).collect(),
                route: row.get(1)?,
                plugin: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Sets the plugin limits (`None`: back to the defaults), and records
    /// which changed.
    pub fn set_plugin_limits(&self, limits: Option<&Limits>, by: By<'_>) -> Result<(), StoreError> {
        let before = limits_in(self.tx())?;
        self.tx().execute("DELETE FROM plugin_limits", [])?;
        if let Some(limits) = limits {
            // Validated again so that what is stored reads back.
            let values = limits.values();
            Limits::from_values(values)?;
            // In range (checked just above), so well within an i64.
            let values = values.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
            // Stamped with the write's instant, as its history row is.
            let now = self.now()?;
            self.tx().execute(
                "INSERT INTO plugin_limits (id, fuel_per_call, fuel_per_record, deadline_ms, \
                 memory_bytes, memory_per_record, updated_by, updated_at) \
                 VALUES (1, ?1, ?2, ?3, ?4 << 20, ?5 << 10, ?6, ?7)",
                params![
                    values[0], values[1], values[2], values[3], values[4], by.user, now
                ],
            )?;
        }
        let changes = limits_changes(&before, limits.unwrap_or(&Limits::default()));
        if changes.is_empty() {
            return Ok(());
        }
        self.record_change(by, Entity::PluginLimits, "", Action::Update, &changes)
    }
}

/// The limits stored in `conn`'s database, else the host's defaults.
fn limits_in(conn: &Connection) -> Result<Limits, StoreError> {
    let values = conn
        .prepare_cached(
            "SELECT fuel_per_call, fuel_per_record, deadline_ms, \
             memory_bytes >> 20, memory_per_record >> 10 FROM plugin_limits",
        )?
        .query_row([], |row| {
            let mut values = [0; 5];
            for (i, value) in values.iter_mut().enumerate() {
                // Negative values cannot pass the CHECKs; map them out of
                // range rather than wrap.
                *value = u64::try_from(row.get::<_, i64>(i)?).unwrap_or(u64::MAX);
            }
            Ok(values)
        })
        .optional()?;
    match values {
        None => Ok(Limits::default()),
        Some(values) => Ok(Limits::from_values(values)?),
    }
}
