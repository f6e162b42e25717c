//! Customer groups: the record as stored, the list query (search,
//! descendants, sort, pages), reading, inserting, saving and deleting them.

use std::sync::LazyLock;

use rusqlite::{OptionalExtension, Row, ToSql, params};
use serde::Serialize;

use super::facts::{CHILD_GROUPS, group_by_code};
use super::{Db, StoreError, Writer, duplicate, settings_from_row};
use crate::actor::By;
use crate::fields::json::settings_to_json;
use crate::wit::{CustomerGroup, MatchMode};

/// A customer group as stored: the plugin's record plus what the host keeps.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRecord {
    /// The group itself.
    #[serde(flatten)]
    pub group: CustomerGroup,
    /// Bumped by every save; an edit must name the version it was based on.
    pub version: i64,
    /// Who created the group.
    pub created_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// Who saved it last.
    pub updated_by: String,
    /// When (RFC 3339, UTC).
    pub updated_at: String,
}

/// A group's place in the tree and its version, without the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupVersion {
    /// The group code.
    pub code: String,
    /// Its version.
    pub version: i64,
    /// Its parent's code.
    pub parent: Option<String>,
}

/// A column of the group list: what it can be searched and sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupColumn {
    /// The group code.
    #[default]
    Code,
    /// The group name.
    Name,
    /// The parent group.
    Parent,
    /// The group-node flag.
    IsGroup,
    /// The group's own currency.
    Currency,
    /// The group's own receivable account.
    ReceivableAccount,
    /// The group's own default price list.
    PriceList,
    /// The group's own credit limit.
    CreditLimit,
    /// The inactive flag.
    Inactive,
    /// When the group was last saved.
    UpdatedAt,
}

impl GroupColumn {
    /// Every column, in the list's order.
    pub const ALL: [GroupColumn; 10] = [
        GroupColumn::Code,
        GroupColumn::Name,
        GroupColumn::Parent,
        GroupColumn::IsGroup,
        GroupColumn::Currency,
        GroupColumn::ReceivableAccount,
        GroupColumn::PriceList,
        GroupColumn::CreditLimit,
        GroupColumn::Inactive,
        GroupColumn::UpdatedAt,
    ];

    /// The column's field name, as the form's list columns name it.
    pub fn field(self) -> &'static str {
        match self {
            GroupColumn::Code => "code",
            GroupColumn::Name => "name",
            GroupColumn::Parent => "parent",
            GroupColumn::IsGroup => "is-group",
            GroupColumn::Currency => "currency",
            GroupColumn::ReceivableAccount => "receivable-account",
            GroupColumn::PriceList => "price-list",
            GroupColumn::CreditLimit => "credit-limit",
            GroupColumn::Inactive => "inactive",
            GroupColumn::UpdatedAt => "updated-at",
        }
    }

    /// The column whose field name is `field`.
    pub fn parse(field: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.field() == field)
    }

    /// The SQL a column is searched and sorted by: a column of
    /// `customer_groups`, or a setting read from its JSON by its form field
    /// name ([`crate::fields::json::path`]).
    fn sql(self) -> String {
        let setting = |field: &str| {
            format!(
                "json_extract(settings, '{}')",
                crate::fields::json::path(field)
            )
        };
        match self {
            GroupColumn::Code => "code".into(),
            GroupColumn::Name => "name COLLATE NOCASE".into(),
            GroupColumn::Parent => "coalesce(parent, '')".into(),
            GroupColumn::IsGroup => "is_group".into(),
            GroupColumn::Currency | GroupColumn::ReceivableAccount | GroupColumn::PriceList => {
                format!("coalesce({}, '')", setting(self.field()))
            }
            GroupColumn::CreditLimit => setting(self.field()),
            GroupColumn::Inactive => "inactive".into(),
            GroupColumn::UpdatedAt => "updated_at".into(),
        }
    }
}

/// A search of the group list, as the list view offers it.
#[derive(Clone, Debug)]
pub struct GroupQuery {
    /// The field searched: code or name.
    pub key: GroupColumn,
    /// How the text matches.
    pub mode: MatchMode,
    /// The text; `None` is "Show All".
    pub text: Option<String>,
    /// Only the descendants of this group (children, their children, ...).
    pub under: Option<String>,
    /// The column sorted by.
    pub sort: GroupColumn,
    /// Sort descending.
    pub descending: bool,
    /// Rows to skip (pagination).
    pub offset: u64,
    /// At most this many rows; `None` for all.
    pub limit: Option<u64>,
}

impl Default for GroupQuery {
    fn default() -> Self {
        Self {
            key: GroupColumn::Code,
            mode: MatchMode::AnyPart,
            text: None,
            under: None,
            sort: GroupColumn::Code,
            descending: false,
            offset: 0,
            limit: None,
        }
    }
}

/// One page of the group list.
#[derive(Clone, Debug, Serialize)]
pub struct GroupPage {
    /// The groups on this page.
    pub groups: Vec<GroupRecord>,
    /// How many groups match the query in all.
    pub total: u64,
}

/// A group as the tree view shows it: one level at a time.
#[derive(Clone, Debug, Serialize)]
pub struct TreeNode {
    /// The code.
    pub code: String,
    /// The name.
    pub name: String,
    /// Whether it is a group node (takes child groups, no customers).
    pub is_group: bool,
    /// Whether it is inactive.
    pub inactive: bool,
    /// How many child groups it has.
    pub children: u64,
}

/// One page of one level of the tree.
#[derive(Clone, Debug, Serialize)]
pub struct TreeLevel {
    /// The groups of the level on this page, by code.
    pub nodes: Vec<TreeNode>,
    /// How many groups the level has in all.
    pub total: u64,
}

pub(crate) const GROUP_COLUMNS: &str = "code, name, parent, is_group, inactive, settings, version, \
     created_by, created_at, updated_by, updated_at";

impl Db {
    /// Every group's code, version and parent: the whole tree, small enough
    /// to hold at any size (the sync daemon plans against it).
    pub fn group_versions(&self) -> Result<Vec<GroupVersion>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT code, version, parent FROM customer_groups")?;
        let rows = stmt.query_map([], |row| {
            Ok(GroupVersion {
                code: row.get(0)?,
                version: row.get(1)?,
                parent: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One group with its audit fields.
    pub fn group(&self, code: &str) -> Result<Option<GroupRecord>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&group_by_code())?
            .query_row([code], group_from_row)
            .optional()?)
    }

    /// The group a user means by `text`: the exact code, or else the one code
    /// equal to it ignoring case and surrounding blanks. A lookup convenience
    /// for people typing codes; what codes may be is the plugin's business.
    pub fn find_group(&self, text: &str) -> Result<Option<GroupRecord>, StoreError> {
        if let Some(exact) = self.group(text)? {
            return Ok(Some(exact));
        }
        let conn = self.conn();
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {GROUP_COLUMNS} FROM customer_groups \
                 WHERE code = trim(?1) COLLATE NOCASE ORDER BY code LIMIT 1"
            ))?
            .query_row([text], group_from_row)
            .optional()?)
    }

    /// The page of groups matching `query`, sorted as it asks, and how many
    /// match in all.
    pub fn groups(&self, query: &GroupQuery) -> Result<GroupPage, StoreError> {
        let (count_sql, rows_sql) = list_sql(query);
        let pattern = query.text.as_ref().map(|text| match query.mode {
            MatchMode::Exact => text.clone(),
            MatchMode::Start => format!("{}%", escape_like(text)),
            MatchMode::AnyPart => format!("%{}%", escape_like(text)),
        });
        // The prefix's range, so that a start-of-field search reads only its
        // part of the index: the planner's stability guarantee (QPSG) keeps
        // SQLite from deriving it from a bound LIKE pattern itself.
        let (low, high) = match (&query.text, query.mode) {
            (Some(text), MatchMode::Start) => {
                (Some(text.clone()), Some(format!("{text}\u{10FFFF}")))
            }
            _ => (None, None),
        };
        let mut named: Vec<(&str, &dyn ToSql)> = Vec::new();
        if let Some(pattern) = &pattern {
            named.push((":text", pattern));
        }
        if let (Some(low), Some(high)) = (&low, &high) {
            named.push((":low", low));
            named.push((":high", high));
        }
        if let Some(under) = &query.under {
            named.push((":under", under));
        }
        let conn = self.conn();
        let total: i64 = conn
            .prepare_cached(&count_sql)?
            .query_row(named.as_slice(), |row| row.get(0))?;
        let mut stmt = conn.prepare_cached(&rows_sql)?;
        let groups = stmt
            .query_map(named.as_slice(), group_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(GroupPage {
            groups,
            total: total.unsigned_abs(),
        })
    }

    /// Inserts a new group, stamped as created by `user` (and recorded as
    /// made through the CLI: see [`By::cli`]).
    pub fn create_group(
        &self,
        group: &CustomerGroup,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        self.write(|w| w.create_group(group, By::cli(user)))
    }

    /// Saves new values of an existing group, if it is still at version
    /// `expected_version`; stamped as updated by `user` (through the CLI).
    pub fn update_group(
        &self,
        group: &CustomerGroup,
        expected_version: i64,
        user: &str,
    ) -> Result<GroupRecord, StoreError> {
        self.write(|w| w.update_group(group, expected_version, By::cli(user)))
    }

    /// Deletes a group, if it is still at version `expected_version`
    /// (recorded as deleted by [`By::HOST`]).
    pub fn delete_group(&self, code: &str, expected_version: i64) -> Result<(), StoreError> {
        self.write(|w| w.delete_group(code, expected_version, By::HOST))
    }

    /// The child groups of `parent` (the roots for `None`), by code, with
    /// how many children each has: `limit` of them from `offset`.
    pub fn tree_level(
        &self,
        parent: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<TreeLevel, StoreError> {
        let conn = self.conn();
        let total: i64 = conn
            .prepare_cached("SELECT count(*) FROM customer_groups WHERE parent IS ?1")?
            .query_row([parent], |row| row.get(0))?;
        let mut stmt = conn.prepare_cached(
            "SELECT g.code, g.name, g.is_group, g.inactive, \
               (SELECT count(*) FROM customer_groups c WHERE c.parent = g.code) \
             FROM customer_groups g WHERE g.parent IS ?1 ORDER BY g.code LIMIT ?2 OFFSET ?3",
        )?;
        let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let nodes = stmt
            .query_map(
                rusqlite::params![parent, clamp(limit), clamp(offset)],
                |row| {
                    Ok(TreeNode {
                        code: row.get(0)?,
                        name: row.get(1)?,
                        is_group: row.get(2)?,
                        inactive: row.get(3)?,
                        children: row.get::<_, i64>(4)?.unsigned_abs(),
                    })
                },
            )?
            .collect::<Result<_, _>>()?;
        Ok(TreeLevel {
            nodes,
            total: total.unsigned_abs(),
        })
    }

    /// The codes of a group's child groups.
    pub fn child_groups(&self, code: &str) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(CHILD_GROUPS)?;
        let rows = stmt.query_map([code], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Writer<'_> {
    /// Inserts a new group, stamped as created by `by`, and records it in
    /// the change history.
    pub fn create_group(
        &self,
        group: &CustomerGroup,
        by: By<'_>,
    ) -> Result<GroupRecord, StoreError> {
        let now = self.now()?;
        insert_group(&self.tx, group, by.user, now)?;
        self.record_group(by, None, Some(group))?;
        Ok(GroupRecord {
            group: group.clone(),
            version: 1,
            created_by: by.user.to_owned(),
            created_at: now.to_owned(),
            updated_by: by.user.to_owned(),
            updated_at: now.to_owned(),
        })
    }

    /// Saves new values of a group still at `expected_version`, and records
    /// what changed.
    pub fn update_group(
        &self,
        group: &CustomerGroup,
        expected_version: i64,
        by: By<'_>,
    ) -> Result<GroupRecord, StoreError> {
        let now = self.now()?;
        let before = self.group_before(&group.code)?;
        let (version, created_by, created_at) =
            save_group(&self.tx, group, expected_version, by.user, now)?;
        self.record_group(by, before.as_ref(), Some(group))?;
        Ok(GroupRecord {
            group: group.clone(),
            version,
            created_by,
            created_at,
            updated_by: by.user.to_owned(),
            updated_at: now.to_owned(),
        })
    }

    /// Writes `group` as [`Writer::create_group`] does (`expected_version`
    /// none) or [`Writer::update_group`], and gives only its new version:
    /// a bulk write (a sync of 100,000 groups) need not copy each record.
    pub fn put_group(
        &self,
        group: &CustomerGroup,
        expected_version: Option<i64>,
        by: By<'_>,
    ) -> Result<i64, StoreError> {
        let now = self.now()?;
        match expected_version {
            None => {
                insert_group(&self.tx, group, by.user, now)?;
                self.record_group(by, None, Some(group))?;
                Ok(1)
            }
            Some(expected) => {
                let before = self.group_before(&group.code)?;
                let (version, ..) = save_group(&self.tx, group, expected, by.user, now)?;
                self.record_group(by, before.as_ref(), Some(group))?;
                Ok(version)
            }
        }
    }

    /// Deletes a group still at `expected_version`, and records every
    /// value it had (so that the history can show it as it was).
    pub fn delete_group(
        &self,
        code: &str,
        expected_version: i64,
        by: By<'_>,
    ) -> Result<(), StoreError> {
        let before = self.group_before(code)?;
        let deleted = self.tx.execute(
            "DELETE FROM customer_groups WHERE code = ?1 AND version = ?2",
            params![code, expected_version],
        )?;
        if deleted == 0 {
            return Err(StoreError::NotFound {
                what: "customer group at the version read",
                key: code.to_owned(),
            });
        }
        self.record_group(by, before.as_ref(), None)?;
        Ok(())
    }

    /// A stored group as this transaction sees it.
    fn group_before(&self, code: &str) -> Result<Option<CustomerGroup>, StoreError> {
        static SELECT: LazyLock<String> = LazyLock::new(group_by_code);
        Ok(self
            .tx
            .prepare_cached(&SELECT)?
            .query_row([code], group_from_row)
            .optional()?
            .map(|r| r.group))
    }
}

fn insert_group(
    tx: &rusqlite::Transaction<'_>,
    group: &CustomerGroup,
    user: &str,
    now: &str,
) -> Result<(), StoreError> {
    static INSERT: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO customer_groups ({GROUP_COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?7, ?8)"
        )
    });
    let mut insert = tx.prepare_cached(&INSERT)?;
    with_row(group, &[&user, &now], |values| insert.execute(values))
        .map_err(|e| duplicate(e, "customer group", &group.code))?;
    Ok(())
}

/// Calls `f` with a group's own columns as both statements number them
/// (?1 code, ?2 name, ?3 parent, ?4 is_group, ?5 inactive, ?6 settings),
/// then `more`.
fn with_row<T>(
    group: &CustomerGroup,
    more: &[&dyn ToSql],
    f: impl FnOnce(&[&dyn ToSql]) -> T,
) -> T {
    let settings = settings_to_json(&group.settings);
    let mut values: Vec<&dyn ToSql> = vec![
        &group.code,
        &group.name,
        &group.parent,
        &group.is_group,
        &group.inactive,
        &settings,
    ];
    values.extend_from_slice(more);
    f(&values)
}

/// Updates a group still at `expected_version`: its new version, and who
/// created it when.
fn save_group(
    tx: &rusqlite::Transaction<'_>,
    group: &CustomerGroup,
    expected_version: i64,
    user: &str,
    now: &str,
) -> Result<(i64, String, String), StoreError> {
    let mut update = tx.prepare_cached(
        "UPDATE customer_groups SET name = ?2, parent = ?3, is_group = ?4, inactive = ?5, \
         settings = ?6, version = version + 1, updated_by = ?7, updated_at = ?9 \
         WHERE code = ?1 AND version = ?8 RETURNING version, created_by, created_at",
    )?;
    let saved = with_row(group, &[&user, &expected_version, &now], |values| {
        update
            .query_row(values, |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .optional()
    })?;
    if let Some(saved) = saved {
        return Ok(saved);
    }
    check_version(tx, &group.code, expected_version)?;
    Err(StoreError::Inconsistent(format!(
        "customer group {} is at version {expected_version} and was not updated",
        group.code
    )))
}

/// Refuses, as stale or missing, unless group `code` is at version
/// `expected` (the version an edit is based on), read in `tx`.
pub(super) fn check_version(
    tx: &rusqlite::Transaction<'_>,
    code: &str,
    expected: i64,
) -> Result<(), StoreError> {
    let found: Option<i64> = tx
        .query_row(
            "SELECT version FROM customer_groups WHERE code = ?1",
            [code],
            |row| row.get(0),
        )
        .optional()?;
    match found {
        None => Err(StoreError::NotFound {
            what: "customer group",
            key: code.to_owned(),
        }),
        Some(found) if found != expected => Err(StoreError::Stale {
            code: code.to_owned(),
            expected,
            found,
        }),
        Some(_) => Ok(()),
    }
}

pub(crate) fn group_from_row(row: &Row<'_>) -> rusqlite::Result<GroupRecord> {
    let settings = settings_from_row(row, 5)?;
    Ok(GroupRecord {
        group: CustomerGroup {
            code: row.get(0)?,
            name: row.get(1)?,
            parent: row.get(2)?,
            is_group: row.get(3)?,
            inactive: row.get(4)?,
            settings,
        },
        version: row.get(6)?,
        created_by: row.get(7)?,
        created_at: row.get(8)?,
        updated_by: row.get(9)?,
        updated_at: row.get(10)?,
    })
}

/// The SQL of a list query: counting its rows, and reading its page.
pub(super) fn list_sql(query: &GroupQuery) -> (String, String) {
    let mut filters = vec!["1 = 1".to_owned()];
    if query.text.is_some() {
        let field = query.key.sql();
        filters.push(match query.mode {
            MatchMode::Exact => format!("{field} = :text COLLATE NOCASE"),
            MatchMode::Start => {
                format!(
                    "{field} >= :low COLLATE NOCASE AND {field} < :high COLLATE NOCASE \
                 AND {field} LIKE :text ESCAPE '\\'"
                )
            }
            MatchMode::AnyPart => format!("{field} LIKE :text ESCAPE '\\'"),
        });
    }
    if query.under.is_some() {
        filters.push(
            "code IN (WITH RECURSIVE below(code) AS ( \
               SELECT code FROM customer_groups WHERE parent = :under \
               UNION SELECT g.code FROM customer_groups g JOIN below b ON g.parent = b.code) \
             SELECT code FROM below)"
                .to_owned(),
        );
    }
    let filter = filters.join(" AND ");
    let order = if query.descending { "DESC" } else { "ASC" };
    let limit = query
        .limit
        .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    (
        format!("SELECT count(*) FROM customer_groups WHERE {filter}"),
        format!(
            "SELECT {GROUP_COLUMNS} FROM customer_groups WHERE {filter} \
             ORDER BY {} {order}, code {order} LIMIT {limit} OFFSET {offset}",
            query.sort.sql()
        ),
    )
}

pub(super) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
