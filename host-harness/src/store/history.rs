//! The change history (`change_history`, migration 014): what changed,
//! who changed it, when, and through what. Rows are only ever added (the
//! schema's triggers refuse edits), and nothing refers to the record
//! changed, so a group's history outlives the group.

use rusqlite::params;
use serde_json::Value as Json;

use super::{Db, StoreError, Writer};
use crate::actor::{By, Via};
use crate::fields::{self, json::value_to_json};
use crate::engine::Limits;
use crate::wit::{CustomerGroup, Settings};

/// Who made a recorded change, through what, and from which file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The user stamped.
    pub user: String,
    /// The program.
    pub via: Via,
    /// The file that declared it (the daemon's).
    pub source: Option<String>,
}

/// What was changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    /// A customer group, by code.
    CustomerGroup,
    /// A customer (its group), by code.
    Customer,
    /// The AR settings.
    ArSettings,
    /// The plugin limits.
    PluginLimits,
}

impl Entity {
    /// The name the store keeps.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::CustomerGroup => "customer-group",
            Entity::Customer => "customer",
            Entity::ArSettings => "ar-settings",
            Entity::PluginLimits => "plugin-limits",
        }
    }
}

/// What a change did to its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Made it.
    Create,
    /// Changed it.
    Update,
    /// Removed it.
    Delete,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Action::Create, Action::Update, Action::Delete]
            .into_iter()
            .find(|a| a.as_str() == text)
    }
}

/// One field's values before and after (JSON null: none).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    /// The form's field name.
    pub field: String,
    /// The value before.
    pub old: Json,
    /// The value after.
    pub new: Json,
}

/// One recorded change.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Its place in the history (increasing).
    pub id: i64,
    /// When (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    /// Who, through what, from which file.
    pub origin: Origin,
    /// What it did.
    pub action: Action,
    /// The fields it changed.
    pub changes: Vec<FieldChange>,
}

/// The fields of the form whose values differ between a group before
/// (`None`: it did not exist) and after (`None`: it is deleted), in the
/// field table's order, with the values as the store writes them.
pub fn group_changes(old: Option<&CustomerGroup>, new: Option<&CustomerGroup>) -> Vec<FieldChange> {
    let value = |group: Option<&CustomerGroup>, field: &fields::Field| {
        group
            .and_then(|g| field.get(g))
            .map_or(Json::Null, |v| value_to_json(field.shape, &v))
    };
    fields::all()
        .iter()
        .filter_map(|field| {
            let (before, after) = (value(old, field), value(new, field));
            (before != after).then(|| FieldChange {
                field: field.name.to_owned(),
                old: before,
                new: after,
            })
        })
        .collect()
}

/// The settings fields whose values differ between `old` and `new`, in the
/// field table's order (the AR settings' changes).
pub fn settings_changes(old: &Settings, new: &Settings) -> Vec<FieldChange> {
    fields::settings_fields()
        .filter_map(|field| {
            let value = |s: &Settings| {
                field
                    .get_setting(s)
                    .map_or(Json::Null, |v| value_to_json(field.shape, &v))
            };
            let (before, after) = (value(old), value(new));
            (before != after).then(|| FieldChange {
                field: field.name.to_owned(),
                old: before,
                new: after,
            })
        })
        .collect()
}

/// The limits whose values differ, by the names `plugin limits set` takes
/// (`None`: the defaults apply).
pub fn limits_changes(old: &Limits, new: &Limits) -> Vec<FieldChange> {
    Limits::RANGES
        .iter()
        .zip(old.values().into_iter().zip(new.values()))
        .filter(|(_, (before, after))| before != after)
        .map(|(range, (before, after))| FieldChange {
            field: range.name.to_owned(),
            old: Json::from(before),
            new: Json::from(after),
        })
        .collect()
}

/// The field a customer's group is recorded under.
pub const CUSTOMER_GROUP_FIELD: &str = "group";

impl Writer<'_> {
    /// Records what a write did to a group: created (`old` none), changed
    /// (nothing when no field did) or deleted (`new` none; every value it
    /// had, so that the history can show it as it was).
    pub(super) fn record_group(
        &self,
        by: By<'_>,
        old: Option<&CustomerGroup>,
        new: Option<&CustomerGroup>,
    ) -> Result<(), StoreError> {
        let (code, action) = match (old, new) {
            (None, Some(new)) => (&new.code, Action::Create),
            (Some(old), Some(_)) => (&old.code, Action::Update),
            (Some(old), None) => (&old.code, Action::Delete),
            (None, None) => return Ok(()),
        };
        let changes = group_changes(old, new);
        if action == Action::Update && changes.is_empty() {
            return Ok(());
        }
        self.record_change(by, Entity::CustomerGroup, code, action, &changes)
    }

    /// Records a change in this transaction: it is kept exactly when the
    /// change itself is committed.
    pub fn record_change(
        &self,
        by: By<'_>,
        entity: Entity,
        key: &str,
        action: Action,
        changes: &[FieldChange],
    ) -> Result<(), StoreError> {
        let now = self.now()?;
        let changes: Vec<Json> = changes
            .iter()
            .map(|c| serde_json::json!({"field": c.field, "old": c.old, "new": c.new}))
            .collect();
        self.tx
            .prepare_cached(
                "INSERT INTO change_history (at, user, via, source, entity, key, action, changes) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                now,
                by.user,
                by.via.as_str(),
                by.source,
                entity.as_str(),
                key,
                action.as_str(),
                Json::from(changes).to_string(),
            ])?;
        Ok(())
    }
}

impl Db {
    /// The changes recorded for `key`, oldest first.
    pub fn history(&self, entity: Entity, key: &str) -> Result<Vec<Change>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, at, user, via, source, action, changes FROM change_history \
             WHERE entity = ?1 AND key = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![entity.as_str(), key], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut history = Vec::new();
        for row in rows {
            let (id, at, user, via, source, action, changes) = row?;
            let corrupt = |what: &str| {
                StoreError::Inconsistent(format!("change {id} has an unreadable {what}"))
            };
            let via = Via::parse(&via).ok_or_else(|| corrupt("via"))?;
            let action = Action::parse(&action).ok_or_else(|| corrupt("action"))?;
            let changes: Vec<Json> =
                serde_json::from_str(&changes).map_err(|_| corrupt("changes"))?;
            let changes = changes
                .into_iter()
                .map(|c| {
                    Some(FieldChange {
                        field: c.get("field")?.as_str()?.to_owned(),
                        old: c.get("old")?.clone(),
                        new: c.get("new")?.clone(),
                    })
                })
                .collect::<Option<_>>()
                .ok_or_else(|| corrupt("a field change"))?;
            history.push(Change {
                id,
                at,
                origin: Origin { user, via, source },
                action,
                changes,
            });
        }
        Ok(history)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BY: By<'static> = By {
        user: "ana",
        via: Via::Daemon,
        source: Some("north.toml"),
    };

    #[test]
    fn a_change_is_kept_with_its_origin_and_cannot_be_edited_or_deleted() {
        let db = Db::open_in_memory().expect("db");
        let before = CustomerGroup::new("NORTH", "North");
        let mut after = before.clone();
        after.name = "North region".into();
        after.settings.credit_limit = Some(150_000);
        let changes = group_changes(Some(&before), Some(&after));
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["name", "credit-limit"], "{changes:?}");
        assert_eq!(changes[1].old, Json::Null);
        assert_eq!(changes[1].new, Json::from(150_000));
        assert!(
            group_changes(None, Some(&before))
                .iter()
                .all(|c| c.old.is_null()),
            "a creation has no old values"
        );
        db.write(|w| {
            w.record_change(
                BY,
                Entity::CustomerGroup,
                "NORTH",
                Action::Update,
                &changes,
            )
        })
        .expect("record");
        let history = db.history(Entity::CustomerGroup, "NORTH").expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(
            history[0].origin,
            Origin {
                user: "ana".into(),
                via: Via::Daemon,
                source: Some("north.toml".into())
            }
        );
        assert_eq!(history[0].action, Action::Update);
        assert_eq!(history[0].changes, changes);
        for sql in [
            "UPDATE change_history SET user = 'eve'",
            "DELETE FROM change_history",
        ] {
            let refused = db.conn().execute(sql, []).expect_err(sql);
            assert!(
                refused
                    .to_string()
                    .contains("the change history cannot be edited"),
                "{sql}: {refused}"
            );
        }
        assert_eq!(
            db.history(Entity::CustomerGroup, "NORTH").expect("history"),
            history
        );
    }

    #[test]
    fn a_change_rolled_back_leaves_no_history() {
        let db = Db::open_in_memory().expect("db");
        let failed: Result<(), StoreError> = db.write(|w| {
            w.record_change(BY, Entity::CustomerGroup, "X", Action::Create, &[])?;
            Err(StoreError::Inconsistent(
                "refused later in the same write".into(),
            ))
        });
        assert!(failed.is_err());
        assert!(
            db.history(Entity::CustomerGroup, "X")
                .expect("history")
                .is_empty()
        );
    }
}
