//! Migration 009's step: every stored settings JSON from format 1 (the
//! generated Rust names) to format 2 (form field names,
//! [`crate::fields::json`]), and the sync ledger's digests from format 1 to
//! format 2 where they can be checked (see [`super::digest`]).
//!
//! Nothing is dropped: a member format 1 does not have, or a value of
//! another shape, fails the migration (and so the open) naming the row,
//! and the store stays as it was.

use rusqlite::{Transaction, params};

use super::digest::{self, V1};
use super::legacy::settings_v1;
use super::{StoreError, TERMS, group_from_row, terms_json};
use crate::fields::json::settings_to_json;

/// Converts a store of schema 8 (settings format 1) to settings format 2.
pub(crate) fn convert_to_field_names(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let unreadable = |what: &'static str, key: &str| {
        let key = key.to_owned();
        move |error| StoreError::Unreadable { what, key, error }
    };
    for (code, json) in rows(tx, "SELECT code, settings FROM customer_groups")? {
        let settings = settings_v1(&json, |_| true).map_err(unreadable("customer group", &code))?;
        tx.execute(
            "UPDATE customer_groups SET settings = ?2 WHERE code = ?1",
            params![code, settings_to_json(&settings)],
        )?;
    }
    for (id, json) in rows(tx, "SELECT id, settings FROM ar_settings")? {
        let settings = settings_v1(&json, |_| true).map_err(unreadable("AR settings", &id))?;
        tx.execute(
            "UPDATE ar_settings SET settings = ?2 WHERE id = ?1",
            params![id, settings_to_json(&settings)],
        )?;
    }
    let is_term = |f: &crate::fields::Field| f.setting.is_some_and(|s| TERMS.contains(&s));
    for (code, json) in rows(tx, "SELECT code, terms FROM customers")? {
        let terms = settings_v1(&json, is_term).map_err(unreadable("customer", &code))?;
        tx.execute(
            "UPDATE customers SET terms = ?2 WHERE code = ?1",
            params![code, terms_json(&terms)],
        )?;
    }
    convert_digests(tx)
}

/// Each owned group's format-1 digest, checked against the group as
/// stored: if it is the digest of that group (the declaration was in the
/// plugin's normal form), it becomes the same declaration's format-2
/// digest; else it is kept as format 1 (`v1:`), for the daemon to compare.
fn convert_digests(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let owned = rows(
        tx,
        "SELECT code, content_hash FROM sync_ledger WHERE length(content_hash) = 64",
    )?;
    for (code, hash) in owned {
        let Some(old) = digest::unhex(&hash) else {
            continue;
        };
        let group = tx
            .query_row(
                &format!(
                    "SELECT {} FROM customer_groups WHERE code = ?1",
                    super::GROUP_COLUMNS
                ),
                [&code],
                group_from_row,
            )
            .map(|record| record.group)
            .ok();
        let verified = group.and_then(|group| {
            [false, true]
                .into_iter()
                .find(|adopt| digest::declaration_v1(&group, *adopt) == old)
                .map(|adopt| digest::declaration(&group, adopt))
        });
        let new = match verified {
            Some(new) => digest::hex(&new),
            None => format!("{V1}{hash}"),
        };
        tx.execute(
            "UPDATE sync_ledger SET content_hash = ?2 WHERE code = ?1",
            params![code, new],
        )?;
    }
    Ok(())
}

/// Every (key, text) row of `sql`, read before the rows are rewritten.
fn rows(tx: &Transaction<'_>, sql: &str) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([], |row| {
        let key: rusqlite::types::Value = row.get(0)?;
        let key = match key {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        };
        Ok((key, row.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
