//! `user`: the console's users: add (a password generated and printed
//! once, or read from standard input), list, set-role, set-password,
//! disable, enable, and the rights beside a role (grant, revoke).

use std::io::{BufRead, Write};

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use super::{Globals, open_db};
use crate::messages as m;
use crate::store::{Right, Role};
use crate::users;

#[derive(Subcommand)]
pub(super) enum UserCommand {
    /// Add a user who may log in to the console (`erp-host serve`). Without
    /// `--password-stdin`, a password is generated and printed once.
    Add {
        /// The login name: letters, digits, '.', '_', '@', '-'.
        name: String,
        /// What the user may do.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from the first line of standard input (at least
        /// 12 characters) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users, their roles and whether they may log in.
    List,
    /// Change a user's role.
    SetRole {
        /// The login name.
        name: String,
        /// The new role.
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// Give a user a new password: generated and printed once, or read from
    /// standard input.
    SetPassword {
        /// The login name.
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Stop a user from logging in (their sessions end at their next request).
    Disable {
        /// The login name.
        name: String,
    },
    /// Let a disabled user log in again.
    Enable {
        /// The login name.
        name: String,
    },
    /// Grant a right beside the user's role: `accounting` changes the
    /// fields the form marks for it (accounts, credit limits; the accountant
    /// and administrator roles hold it already); `credit-controller` enters
    /// invoices past their credit limits, giving a reason, and changes a
    /// group's bypass of the credit check (no role holds it).
    Grant {
        /// The login name.
        name: String,
        /// The right.
        #[arg(value_parser = parse_right)]
        right: Right,
    },
    /// Take a right away.
    Revoke {
        /// The login name.
        name: String,
        /// The right.
        #[arg(value_parser = parse_right)]
        right: Right,
    },
}

/// Reads a right: `credit-controller`.
fn parse_right(text: &str) -> Result<Right, String> {
    Right::parse(text.trim()).ok_or_else(|| {
        let names: Vec<&str> = Right::ALL.iter().map(|r| r.as_str()).collect();
        format!("no such right; one of: {}", names.join(", "))
    })
}

/// Reads a role: `viewer`, `sales-master`, `accountant`, `administrator`.
fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text.trim()).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("no such role; one of: {}", names.join(", "))
    })
}

/// The first line of standard input, without its line end.
fn password_from_stdin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

/// Runs a `user` command.
pub(super) fn user(cli: &Globals, command: UserCommand, out: &mut dyn Write) -> Result<()> {
    let l = cli.locale;
    let db = open_db(cli)?;
    let stdin = |wanted: bool| wanted.then(password_from_stdin).transpose();
    match command {
        UserCommand::Add {
            name,
            role,
            password_stdin,
        } => {
            let password = stdin(password_stdin)?;
            let added = users::add_user(&db, &name, role, password.as_deref(), &cli.user)?;
            writeln!(out, "{}", m::user_added(l, &added.user.name, role.as_str()))?;
            if let Some(password) = added.generated {
                writeln!(out, "{}", m::password_shown_once(l, &password))?;
            }
        }
        UserCommand::List => {
            let all = db.users()?;
            if all.is_empty() {
                writeln!(out, "{}", m::no_users(l))?;
            }
            for u in all {
                let state = if u.disabled {
                    m::user_state_disabled(l)
                } else {
                    m::user_state_active(l)
                };
                // Granted, or held by the role (marked so).
                let granted = db.rights(&u.name)?;
                let rights: Vec<String> = Right::ALL
                    .into_iter()
                    .filter_map(|r| {
                        if granted.contains(&r) {
                            Some(r.as_str().to_owned())
                        } else {
                            r.roles()
                                .contains(&u.role)
                                .then(|| format!("{}(role)", r.as_str()))
                        }
                    })
                    .collect();
                let rights = if rights.is_empty() {
                    "-".to_owned()
                } else {
                    rights.join(",")
                };
                writeln!(
                    out,
                    "{:<24} {:<14} {:<9} {:<20} {rights}",
                    u.name,
                    u.role.as_str(),
                    state,
                    u.created_at
                )?;
            }
        }
        UserCommand::SetRole { name, role } => {
            let user = users::set_role(&db, &name, role)?;
            writeln!(out, "{}", m::role_set(l, &user.name, role.as_str()))?;
        }
        UserCommand::SetPassword {
            name,
            password_stdin,
        } => {
            let password = stdin(password_stdin)?;
            let set = users::set_password(&db, &name, password.as_deref())?;
            writeln!(out, "{}", m::password_set(l, &set.user.name))?;
            if let Some(password) = set.generated {
                writeln!(out, "{}", m::password_shown_once(l, &password))?;
            }
        }
        UserCommand::Disable { name } => {
            let user = users::set_disabled(&db, &name, true)?;
            writeln!(out, "{}", m::user_disabled(l, &user.name))?;
        }
        UserCommand::Enable { name } => {
            let user = users::set_disabled(&db, &name, false)?;
            writeln!(out, "{}", m::user_enabled(l, &user.name))?;
        }
        UserCommand::Grant { name, right } => {
            db.grant(&name, right, &cli.user)?;
            writeln!(out, "{}", m::right_granted(l, &name, right.as_str()))?;
        }
        UserCommand::Revoke { name, right } => {
            db.revoke(&name, right)?;
            let role = db.user(&name)?.map(|u| u.role);
            let said = match role {
                Some(role) if right.roles().contains(&role) => {
                    m::right_revoked_role_holds(l, &name, right.as_str(), role.as_str())
                }
                _ => m::right_revoked(l, &name, right.as_str()),
            };
            writeln!(out, "{said}")?;
        }
    }
    Ok(())
}
