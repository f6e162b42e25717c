//! The console's users: name, role, the argon2id hash of the password, and
//! whether the account is disabled. Hashing and checking passwords is the
//! user service's ([`crate::users`]); this module only keeps the rows.

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Db, NOW, StoreError};

/// What a user may do in the console. Each role includes the rights of the
/// roles before it in [`Role::ALL`] except where noted: a viewer reads; a
/// sales master also edits groups and customers; an accountant also enters
/// transactions, creates and posts batches; an administrator may do
/// everything, the plugin, its limits and the users included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Reads every screen, changes nothing.
    Viewer,
    /// Edits customer groups and customers.
    SalesMaster,
    /// Enters AR transactions, creates and posts GL batches.
    Accountant,
    /// Installs the plugin, sets its limits, manages users.
    Administrator,
}

impl Role {
    /// Every role, least to most.
    pub const ALL: [Role; 4] = [
        Role::Viewer,
        Role::SalesMaster,
        Role::Accountant,
        Role::Administrator,
    ];

    /// The role's name as stored and typed: `sales-master`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::SalesMaster => "sales-master",
            Role::Accountant => "accountant",
            Role::Administrator => "administrator",
        }
    }

    /// The role named `text` (as [`Role::as_str`] writes it).
    pub fn parse(text: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether the role may change customer groups and customers.
    pub fn edits_groups(self) -> bool {
        matches!(self, Role::SalesMaster | Role::Administrator)
    }

    /// Whether the role may enter transactions and create or post batches.
    pub fn posts(self) -> bool {
        matches!(self, Role::Accountant | Role::Administrator)
    }

    /// Whether the role administers the plugin, its limits and the users.
    pub fn administers(self) -> bool {
        self == Role::Administrator
    }
}

/// A right a user holds beside their role, granted by name: no role
/// implies one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Right {
    /// Changes the fields the plugin's form marks for bookkeeping: GL
    /// accounts, credit limits and what counts against them. The
    /// accountant and administrator roles hold it; it may be granted to
    /// others (a sales master).
    Accounting,
    /// Enters invoices past their credit limits, giving a reason
    /// (ERPNext's credit controller), and changes the fields the form
    /// marks for credit control (a group's bypass of the credit check).
    /// No role holds it: it is granted to named people.
    CreditController,
}

impl Right {
    /// Every right.
    pub const ALL: [Right; 2] = [Right::Accounting, Right::CreditController];

    /// The right's name as stored and typed: `credit-controller`.
    pub fn as_str(self) -> &'static str {
        match self {
            Right::Accounting => "accounting",
            Right::CreditController => "credit-controller",
        }
    }

    /// The roles that hold the right without a grant.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Right::Accounting => &[Role::Accountant, Role::Administrator],
            Right::CreditController => &[],
        }
    }

    /// The host's right that the contract's `right` is held as.
    pub fn of_field(right: crate::wit::FieldRight) -> Self {
        match right {
            crate::wit::FieldRight::Accounting => Right::Accounting,
            crate::wit::FieldRight::CreditControl => Right::CreditController,
        }
    }

    /// The right named `text` (as [`Right::as_str`] writes it).
    pub fn parse(text: &str) -> Option<Right> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Whether `user` is an active user holding `right` (by a grant or by
/// the role), as `tx` sees it.
pub(crate) fn holds(
    tx: &rusqlite::Connection,
    user: &str,
    right: Right,
) -> Result<bool, StoreError> {
    Ok(match held(tx, user)? {
        Held::User(user) => user.holds(right),
        Held::NoUser => false,
    })
}

/// What a user name holds, as the store has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Held {
    /// A console user: their role, the rights granted, whether active.
    User(HeldBy),
    /// No console user has the name: the CLI's or the daemon's operator
    /// (whoever can run them can open the store's file; their `--user`
    /// only names who acts).
    NoUser,
}

/// A console user's role and grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldBy {
    /// The login name.
    pub name: String,
    /// The role.
    pub role: Role,
    /// The rights granted beside it.
    pub granted: Vec<Right>,
    /// Whether the user may still log in (a disabled one holds nothing).
    pub active: bool,
}

impl HeldBy {
    /// Whether the user holds `right`: active, and granted it or in a role
    /// that holds it.
    pub fn holds(&self, right: Right) -> bool {
        self.active && (self.granted.contains(&right) || right.roles().contains(&self.role))
    }
}

/// The rights granted to `name`, in [`Right::ALL`]'s order.
fn granted(tx: &rusqlite::Connection, name: &str) -> Result<Vec<Right>, StoreError> {
    let mut stmt = tx.prepare_cached("SELECT right_name FROM user_rights WHERE user = ?1")?;
    let held: Vec<String> = stmt
        .query_map([name], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Right::ALL
        .into_iter()
        .filter(|r| held.iter().any(|h| h == r.as_str()))
        .collect())
}

fn held(tx: &rusqlite::Connection, name: &str) -> Result<Held, StoreError> {
    let user = tx
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))?
        .query_row([name], user_from_row)
        .optional()?;
    let Some(user) = user else {
        return Ok(Held::NoUser);
    };
    Ok(Held::User(HeldBy {
        granted: granted(tx, name)?,
        name: user.name,
        role: user.role,
        active: !user.disabled,
    }))
}

/// A user as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    /// The login name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// The argon2id PHC string of the password.
    #[serde(skip)]
    pub password_hash: String,
    /// Whether the user may no longer log in.
    pub disabled: bool,
    /// Who added the user.
    pub created_by: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// When the role, password or state last changed.
    pub updated_at: String,
}

const USER_COLUMNS: &str =
    "name, role, password_hash, disabled, created_by, created_at, updated_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    let role: String = row.get(1)?;
    let role = Role::parse(&role).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            format!("unknown role {role:?}").into(),
        )
    })?;
    Ok(UserRecord {
        name: row.get(0)?,
        role,
        password_hash: row.get(2)?,
        disabled: row.get(3)?,
        created_by: row.get(4)?,
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

impl Db {
    /// Adds a user, in one transaction; [`StoreError::Duplicate`] if the
    /// name is taken.
    pub fn create_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        by: &str,
    ) -> Result<UserRecord, StoreError> {
        self.write(|w| {
            w.tx()
                .execute(
                    &format!(
                        "INSERT INTO users (name, role, password_hash, created_by, created_at, \
                         updated_at) VALUES (?1, ?2, ?3, ?4, {NOW}, {NOW})"
                    ),
                    params![name, role.as_str(), password_hash, by],
                )
                .map_err(|e| super::duplicate(e, "user", name))?;
            Ok::<_, StoreError>(())
        })?;
        self.user(name)?.ok_or_else(|| not_found(name))
    }

    /// The user called `name`, if any.
    pub fn user(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))?;
        Ok(stmt.query_row([name], user_from_row).optional()?)
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?;
        let rows = stmt.query_map([], user_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The rights granted to `name`, in [`Right::ALL`]'s order (beside
    /// those its role holds).
    pub fn rights(&self, name: &str) -> Result<Vec<Right>, StoreError> {
        granted(&self.conn(), name)
    }

    /// What the user name `name` holds: a console user's role and grants,
    /// or no console user at all.
    pub fn held(&self, name: &str) -> Result<Held, StoreError> {
        held(&self.conn(), name)
    }

    /// Grants `right` to the user `name` (again: nothing changes); `by`
    /// is who granted it.
    pub fn grant(&self, name: &str, right: Right, by: &str) -> Result<(), StoreError> {
        self.write(|w| {
            let tx = w.tx();
            existing(tx, name)?;
            tx.execute(
                &format!(
                    "INSERT INTO user_rights (user, right_name, granted_by, granted_at) \
                     VALUES (?1, ?2, ?3, {NOW}) ON CONFLICT DO NOTHING"
                ),
                params![name, right.as_str(), by],
            )?;
            Ok(())
        })
    }

    /// Takes `right` away from the user `name` (one who does not hold it:
    /// nothing changes).
    pub fn revoke(&self, name: &str, right: Right) -> Result<(), StoreError> {
        self.write(|w| {
            let tx = w.tx();
            existing(tx, name)?;
            tx.execute(
                "DELETE FROM user_rights WHERE user = ?1 AND right_name = ?2",
                params![name, right.as_str()],
            )?;
            Ok(())
        })
    }

    /// Changes a user's role, state or password hash (the fields given), in
    /// one transaction that also counts the active administrators left: a
    /// change that takes the last one away (disabling or demoting them) is
    /// refused with [`StoreError::LastAdministrator`].
    pub fn update_user(
        &self,
        name: &str,
        role: Option<Role>,
        disabled: Option<bool>,
        password_hash: Option<&str>,
    ) -> Result<UserRecord, StoreError> {
        self.write(|w| {
            let tx = w.tx();
            let active_admin = "role = 'administrator' AND disabled = 0";
            let was_admin: bool = tx
                .query_row(
                    &format!("SELECT count(*) > 0 FROM users WHERE name = ?1 AND {active_admin}"),
                    [name],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(false);
            let changed = tx.execute(
                &format!(
                    "UPDATE users SET role = coalesce(?2, role), \
                     disabled = coalesce(?3, disabled), \
                     password_hash = coalesce(?4, password_hash), updated_at = {NOW} \
                     WHERE name = ?1"
                ),
                params![name, role.map(Role::as_str), disabled, password_hash],
            )?;
            if changed == 0 {
                return Err(not_found(name));
            }
            let admins: i64 = tx.query_row(
                &format!("SELECT count(*) FROM users WHERE {active_admin}"),
                [],
                |r| r.get(0),
            )?;
            if was_admin && admins == 0 {
                return Err(StoreError::LastAdministrator(name.to_owned()));
            }
            Ok(())
        })?;
        self.user(name)?.ok_or_else(|| not_found(name))
    }
}

/// Refuses unless the user `name` exists.
fn existing(tx: &rusqlite::Connection, name: &str) -> Result<(), StoreError> {
    tx.query_row("SELECT 1 FROM users WHERE name = ?1", [name], |_| Ok(()))
        .optional()?
        .ok_or_else(|| not_found(name))
}

fn not_found(name: &str) -> StoreError {
    StoreError::NotFound {
        what: "user",
        key: name.to_owned(),
    }
}
