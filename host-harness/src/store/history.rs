//! The change history (`change_history`, migration 014): what changed,
//! who changed it, when, and through what. Rows are only ever added (the
//! schema's triggers refuse edits), and nothing refers to the record
//! changed, so a group's history outlives the group.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::{Db, StoreError, Writer};
use crate::actor::{By, Via};
use crate::engine::Limits;
use crate::fields::json::{CodecError, changes_json, value_from_json};
use crate::fields::{self, Value};
use crate::wit::{CustomerGroup, Settings};

/// Who made a recorded change, through what, and from which file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedBy {
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The form's field name.
    pub field: String,
    /// The value before.
    pub old: Json,
    /// The value after.
    pub new: Json,
}

/// One recorded change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Its place in the history (increasing).
    pub id: i64,
    /// When (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    /// Who, through what, from which file.
    pub origin: ChangedBy,
    /// What it did.
    pub action: Action,
    /// The fields it changed.
    pub changes: Vec<FieldChange>,
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
    pub fn record_group(
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
        self.record_fields(
            by,
            Entity::CustomerGroup,
            code,
            action,
            fields::all().iter(),
            |field| {
                (
                    old.and_then(|g| field.get(g)),
                    new.and_then(|g| field.get(g)),
                )
            },
        )
    }

    /// Records the AR settings' change: the settings fields that differ.
    /// The default company's are kept under the key `""` (as before there
    /// were companies), another company's under its code.
    pub fn record_ar_settings(
        &self,
        by: By<'_>,
        company: &str,
        old: &Settings,
        new: &Settings,
    ) -> Result<(), StoreError> {
        let key = if company == super::DEFAULT_COMPANY {
            ""
        } else {
            company
        };
        self.record_fields(
            by,
            Entity::ArSettings,
            key,
            Action::Update,
            fields::settings_fields(),
            |field| (field.get_setting(old), field.get_setting(new)),
        )
    }

    /// Records the fields among `fields` whose values (before, after)
    /// differ; an update that changed none records nothing.
    fn record_fields<'f>(
        &self,
        by: By<'_>,
        entity: Entity,
        key: &str,
        action: Action,
        fields: impl Iterator<Item = &'f fields::Field>,
        values: impl Fn(&fields::Field) -> (Option<Value>, Option<Value>),
    ) -> Result<(), StoreError> {
        let (changes, count) = changes_json(fields, values);
        if action == Action::Update && count == 0 {
            return Ok(());
        }
        self.insert_change(by, entity, key, action, &changes)
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
        // Serialising plain structs cannot fail.
        let changes = serde_json::to_string(changes).unwrap_or_else(|_| "[]".to_owned());
        self.insert_change(by, entity, key, action, &changes)
    }

    /// Adds a change's row, its fields' changes already as JSON text.
    pub(super) fn insert_change(
        &self,
        by: By<'_>,
        entity: Entity,
        key: &str,
        action: Action,
        changes: &str,
    ) -> Result<(), StoreError> {
        let now = self.now()?;
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
                changes,
            ])?;
        Ok(())
    }
}

impl Db {
    /// The changes recorded for `key`, oldest first.
    pub fn history(&self, entity: Entity, key: &str) -> Result<Vec<Change>, StoreError> {
        self.history_from(entity, key, 0)
    }

    /// The latest `count` changes recorded for `key`, oldest first, and
    /// how many are recorded in all.
    pub fn latest_history(
        &self,
        entity: Entity,
        key: &str,
        count: usize,
    ) -> Result<(Vec<Change>, usize), StoreError> {
        let total: i64 = self
            .conn()
            .prepare_cached("SELECT count(*) FROM change_history WHERE entity = ?1 AND key = ?2")?
            .query_row(params![entity.as_str(), key], |row| row.get(0))?;
        let total = usize::try_from(total).unwrap_or(0);
        let skip = total.saturating_sub(count);
        Ok((self.history_from(entity, key, skip)?, total))
    }

    /// The changes recorded for `key` after the first `skip`, oldest first.
    fn history_from(
        &self,
        entity: Entity,
        key: &str,
        skip: usize,
    ) -> Result<Vec<Change>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, at, user, via, source, action, changes FROM change_history \
             WHERE entity = ?1 AND key = ?2 ORDER BY id LIMIT -1 OFFSET ?3",
        )?;
        let skip = i64::try_from(skip).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![entity.as_str(), key, skip], |row| {
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
            let changes: Vec<FieldChange> =
                serde_json::from_str(&changes).map_err(|_| corrupt("changes"))?;
            history.push(Change {
                id,
                at,
                origin: ChangedBy { user, via, source },
                action,
                changes,
            });
        }
        Ok(history)
    }
}

/// A group as it was at an instant ([`Db::group_as_of`]).
#[derive(Clone, Debug, PartialEq)]
pub enum AsOf {
    /// It existed, with these values.
    Existed(Box<CustomerGroup>),
    /// It did not exist then (not yet created, or already deleted).
    Absent,
    /// The history does not reach back that far: it began at this instant
    /// (when the store was migrated), and the group existed before it.
    BeforeHistory(String),
}

impl Db {
    /// The group code a user means by `text`, also for a group deleted
    /// since: a stored group's ([`Db::find_group`]), else the most recently
    /// recorded code equal to it ignoring case and surrounding blanks.
    pub fn find_group_in_history(&self, text: &str) -> Result<Option<String>, StoreError> {
        if let Some(stored) = self.find_group(text)? {
            return Ok(Some(stored.group.code));
        }
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT key FROM change_history WHERE entity = ?1 \
                 AND key = trim(?2) COLLATE NOCASE ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![Entity::CustomerGroup.as_str(), text], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// When the change history began (the store's creation, or the
    /// migration that added it).
    pub fn history_start(&self) -> Result<String, StoreError> {
        Ok(self.conn().query_row(
            "SELECT at FROM change_history_start WHERE id = 1",
            [],
            |row| row.get(0),
        )?)
    }

    /// The group `code` as it was at `at` (an instant as the history writes
    /// it, `YYYY-MM-DDTHH:MM:SSZ`): the group as stored now, with every
    /// change recorded after `at` undone, newest first. Works for a group
    /// deleted since (its deletion recorded every value it had).
    pub fn group_as_of(&self, code: &str, at: &str) -> Result<AsOf, StoreError> {
        // The group first, then its history: a change committed between
        // the two reads is undone back to the state read, harmlessly.
        let mut state = self.group(code)?.map(|r| r.group);
        let history = self.history(Entity::CustomerGroup, code)?;
        for change in history.iter().rev().take_while(|c| c.at.as_str() > at) {
            state = undo(state, change, code)?;
        }
        let start = self.history_start()?;
        let created_after_start = history.first().is_some_and(|c| c.action == Action::Create);
        if state.is_some() && at < start.as_str() && !created_after_start {
            return Ok(AsOf::BeforeHistory(start));
        }
        Ok(state.map_or(AsOf::Absent, |g| AsOf::Existed(Box::new(g))))
    }
}

/// The group before `change`, from the group after it.
fn undo(
    after: Option<CustomerGroup>,
    change: &Change,
    code: &str,
) -> Result<Option<CustomerGroup>, StoreError> {
    let mut group = match change.action {
        Action::Create => return Ok(None),
        Action::Update => after.ok_or_else(|| {
            StoreError::Inconsistent(format!(
                "change {} updates group {code}, which the later history leaves absent",
                change.id
            ))
        })?,
        Action::Delete => CustomerGroup::new("", ""),
    };
    for FieldChange { field, old, .. } in &change.changes {
        // What a group sets for another company is not the group's own
        // record: the group as it was is its own fields.
        if super::companies::split_company_field(field).is_some() {
            continue;
        }
        let unreadable = |error: CodecError| StoreError::Unreadable {
            what: "change",
            key: change.id.to_string(),
            error,
        };
        let known = fields::find(field)
            .ok_or_else(|| unreadable(CodecError::UnknownField(field.clone())))?;
        let value = match old {
            Json::Null => None,
            json => Some(value_from_json(field, known.shape, json).map_err(unreadable)?),
        };
        known
            .set(&mut group, value)
            .map_err(|e| unreadable(CodecError::Field(e)))?;
    }
    Ok(Some(group))
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
        db.write(|w| w.record_group(BY, Some(&before), Some(&after)))
            .expect("record");
        let history = db.history(Entity::CustomerGroup, "NORTH").expect("history");
        assert_eq!(history.len(), 1);
        let changes = &history[0].changes;
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["name", "credit-limit"], "{changes:?}");
        assert_eq!(changes[1].old, Json::Null);
        assert_eq!(changes[1].new, Json::from(150_000));
        db.write(|w| w.record_group(BY, None, Some(&before)))
            .expect("record");
        let created = db.history(Entity::CustomerGroup, "NORTH").expect("history");
        assert!(
            created[1].changes.iter().all(|c| c.old.is_null()),
            "a creation has no old values"
        );
        assert_eq!(
            history[0].origin,
            ChangedBy {
                user: "ana".into(),
                via: Via::Daemon,
                source: Some("north.toml".into())
            }
        );
        assert_eq!(history[0].action, Action::Update);
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
            created,
            "nothing edited or deleted"
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

    /// Runs `f` in one write whose instant is `at`.
    fn write_at(db: &Db, at: &str, f: impl FnOnce(&Writer<'_>) -> Result<(), StoreError>) {
        db.write(|w| {
            w.now.set(at.to_owned()).expect("instant not read yet");
            f(w)
        })
        .expect("write");
    }

    #[test]
    fn a_group_is_shown_as_it_was_at_each_instant_even_once_deleted() {
        let db = Db::open_in_memory().expect("db");
        let start = db.history_start().expect("start");
        let created = CustomerGroup::new("NORTH", "North");
        let mut renamed = created.clone();
        renamed.name = "North region".into();
        renamed.settings.credit_limit = Some(150_000);
        renamed.settings.currency = Some("IDR".into());
        write_at(&db, "2999-01-01T10:00:00Z", |w| {
            w.create_group(&created, BY).map(drop)
        });
        write_at(&db, "2999-01-02T10:00:00Z", |w| {
            w.update_group(&renamed, 1, BY).map(drop)
        });
        write_at(&db, "2999-01-03T10:00:00Z", |w| {
            w.delete_group("NORTH", 2, BY)
        });
        let as_of = |at: &str| db.group_as_of("NORTH", at).expect("as of");
        assert_eq!(as_of("2999-01-01T09:59:59Z"), AsOf::Absent);
        assert_eq!(
            as_of("2999-01-01T10:00:00Z"),
            AsOf::Existed(Box::new(created.clone()))
        );
        assert_eq!(
            as_of("2999-01-02T09:00:00Z"),
            AsOf::Existed(Box::new(created))
        );
        assert_eq!(
            as_of("2999-01-02T23:59:59Z"),
            AsOf::Existed(Box::new(renamed.clone()))
        );
        assert_eq!(as_of("2999-01-03T10:00:00Z"), AsOf::Absent);
        assert_eq!(
            as_of(&start),
            AsOf::Absent,
            "created after the history began"
        );
        let history = db.history(Entity::CustomerGroup, "NORTH").expect("history");
        let actions: Vec<Action> = history.iter().map(|c| c.action).collect();
        assert_eq!(actions, [Action::Create, Action::Update, Action::Delete]);
        assert!(
            history[2].changes.iter().all(|c| c.new.is_null()),
            "a deletion records every value it had as old"
        );
        assert_eq!(history[2].changes.len(), history[0].changes.len() + 2);
    }

    #[test]
    fn a_group_older_than_the_history_is_not_guessed_at_before_it_began() {
        let db = Db::open_in_memory().expect("db");
        // A group written before the history existed: no creation recorded.
        db.conn()
            .execute(
                "INSERT INTO customer_groups (code, name, settings, version, created_by, \
                 created_at, updated_by, updated_at) VALUES ('OLD', 'Old', '{}', 1, 'x', \
                 '2000-01-01T00:00:00Z', 'x', '2000-01-01T00:00:00Z')",
                [],
            )
            .expect("insert");
        let start = db.history_start().expect("start");
        assert_eq!(
            db.group_as_of("OLD", "2000-06-01T00:00:00Z")
                .expect("as of"),
            AsOf::BeforeHistory(start.clone())
        );
        let AsOf::Existed(group) = db.group_as_of("OLD", &start).expect("as of") else {
            panic!("exists from the history's start on")
        };
        assert_eq!(group.name, "Old");
    }
}
