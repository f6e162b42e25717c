//! The command line's options for the form's fields (`group new`, `group
//! edit`, `settings set`), generated from the host's field table
//! ([`crate::fields`]) with clap's builder API: one long option per field,
//! named as the form names it (`--receivable-account`, `--due-count`; a
//! rule table's option names one row: `--points-rule`), with the older
//! spellings the table keeps as aliases (`--receivable`, `--gift-rule`,
//! `--group-node`). Each option's value is read by the field's shape
//! ([`super::input`]). A setting added to the table is an option here with
//! no edit.
//!
//! Also `--clear SETTING` (make a setting inherit; `all`) and `--no-rules
//! TABLE` (a rule table with no rows), their values from the table too.

use std::marker::PhantomData;

use anyhow::{Result, bail};
use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};

use super::input::{parse_value, row_syntax, typed, typed_row};
use crate::fields::{self, Field, Shape, Value};
use crate::wit::{CustomerGroup, Settings};

/// Which command the options are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// `group new`: every field; the code and the name required.
    New,
    /// `group edit CODE`: every field but the code (fixed once created).
    Edit,
    /// `settings set`: the settings only.
    Settings,
}

/// The command a set of options is for, as a type (clap flattens by type).
pub trait Scope {
    /// The command.
    const WHICH: Which;
}

/// `group new`'s options.
pub struct NewGroup;
/// `group edit`'s options.
pub struct EditGroup;
/// `settings set`'s options.
pub struct ArSettings;

impl Scope for NewGroup {
    const WHICH: Which = Which::New;
}
impl Scope for EditGroup {
    const WHICH: Which = Which::Edit;
}
impl Scope for ArSettings {
    const WHICH: Which = Which::Settings;
}

/// The options for `S`'s fields as given: values, settings to clear, rule
/// tables to empty.
pub struct FieldArgs<S> {
    given: Vec<(&'static Field, Value)>,
    clear: Vec<String>,
    no_rules: Vec<String>,
    scope: PhantomData<S>,
}

/// The option `--clear` takes: `all` or a setting's name.
const CLEAR: &str = "clear";
/// The option `--no-rules` takes: a rule table's name.
const NO_RULES: &str = "no-rules";

/// Whether command `which` has an option for `field`.
pub fn offers(which: Which, field: &Field) -> bool {
    match which {
        Which::New => true,
        Which::Edit => !field.is_code(),
        Which::Settings => !field.is_group_own(),
    }
}

/// The long option of `field` (without `--`): its form name, or for a rule
/// table the name of one row (`points-rules` is `--points-rule`).
pub fn long(field: &Field) -> &'static str {
    match field.shape {
        Shape::Rows(_) => field.name.strip_suffix('s').unwrap_or(field.name),
        _ => field.name,
    }
}

/// The command-line arguments that give `field` the value `value`: what
/// the options read back (`--due-count 30`, `--is-group=true`, one
/// `--points-rule ROW` per row, `--no-rules points-rules` for none).
pub fn args_for(field: &Field, value: &Value) -> Vec<String> {
    let option = format!("--{}", long(field));
    match (field.shape, value) {
        (Shape::Rows(_), Value::Rows(rows)) if rows.is_empty() => {
            vec![format!("--{NO_RULES}"), field.name.to_owned()]
        }
        (Shape::Rows(rules), Value::Rows(rows)) => rows
            .iter()
            .flat_map(|row| [option.clone(), typed_row(rules, row)])
            .collect(),
        (Shape::Flag, value) => vec![format!("{option}={}", typed(value))],
        (_, value) => vec![option, typed(value)],
    }
}

/// How `--help` names a field's value.
fn value_name(field: &Field) -> &'static str {
    match field.shape {
        Shape::Text | Shape::Date => "VALUE",
        Shape::Flag => "BOOL",
        Shape::Money => "AMOUNT",
        Shape::Percent => "PERCENT",
        Shape::Count => "N",
        Shape::Day => "DAY",
        Shape::Unit => "UNIT",
        Shape::Rows(_) => "ROW",
    }
}

/// What `--help` says of a field's option.
fn help(field: &Field) -> String {
    let name = field.name;
    let what = match field.shape {
        Shape::Text if field.clearable() => "; \"\" clears it".to_owned(),
        Shape::Text | Shape::Date => String::new(),
        Shape::Flag if field.clearable() => format!(
            ": --{0} or --{0}=false; `--clear {0}` inherits",
            long(field)
        ),
        Shape::Flag => format!(": --{0} or --{0}=false", long(field)),
        Shape::Money => ": an amount, e.g. 50000000.00".into(),
        Shape::Percent => ": a percentage, e.g. 2.5".into(),
        Shape::Count => ": a whole number".into(),
        Shape::Day => ": a day of the month (with months)".into(),
        Shape::Unit => ": days, weeks or months".into(),
        Shape::Rows(rules) => {
            return format!(
                "A row of the form's `{name}`: {}; repeat for more; replaces the table",
                row_syntax(rules)
            );
        }
    };
    format!("The form's `{name}`{what}")
}

/// The argument of `field` for command `which`.
fn arg(which: Which, field: &'static Field) -> Arg {
    let shape = field.shape;
    let mut arg = Arg::new(field.name)
        .long(long(field))
        .visible_aliases(field.aliases)
        .value_name(value_name(field))
        .help(help(field))
        .value_parser(move |text: &str| parse_value(shape, text));
    arg = match shape {
        Shape::Rows(_) => arg.action(ArgAction::Append).help_heading("Rules"),
        Shape::Flag => arg.num_args(0..=1).default_missing_value("true"),
        Shape::Money => arg.allow_hyphen_values(true),
        _ => arg,
    };
    if !field.is_group_own() && !matches!(shape, Shape::Rows(_)) {
        arg = arg.help_heading("Settings");
    }
    if which == Which::New && field.is_required() {
        arg = arg.required(true);
    }
    arg
}

/// `cmd` with the options of command `which`.
fn augment(cmd: Command, which: Which) -> Command {
    let fields = fields::all().iter().filter(|f| offers(which, f));
    let cmd = cmd.args(fields.map(|f| arg(which, f)));
    let settings = std::iter::once("all").chain(fields::settings());
    let tables: Vec<&'static str> = fields::settings_fields()
        .filter(|f| matches!(f.shape, Shape::Rows(_)))
        .map(|f| f.name)
        .collect();
    cmd.arg(
        Arg::new(CLEAR)
            .long(CLEAR)
            .value_name("SETTING")
            .action(ArgAction::Append)
            .help_heading("Settings")
            .hide_possible_values(true)
            .value_parser(PossibleValuesParser::new(settings))
            .help(
                "Make a setting inherit again (or a rule table: `sales-discount-rules`, \
                 ...); `--clear all` clears every setting. Repeatable.",
            ),
    )
    .arg(
        Arg::new(NO_RULES)
            .long(NO_RULES)
            .value_name("RULES")
            .action(ArgAction::Append)
            .help_heading("Rules")
            .value_parser(PossibleValuesParser::new(tables))
            .help("Set a rule table to \"no rules\" instead of inheriting (e.g. `points-rules`)."),
    )
}

impl<S: Scope> clap::Args for FieldArgs<S> {
    fn augment_args(cmd: Command) -> Command {
        augment(cmd, S::WHICH)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        augment(cmd, S::WHICH)
    }
}

impl<S: Scope> clap::FromArgMatches for FieldArgs<S> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut given = Vec::new();
        for field in fields::all().iter().filter(|f| offers(S::WHICH, f)) {
            let values: Vec<Value> = matches
                .try_get_many::<Value>(field.name)
                .map_err(|e| clap::Error::raw(clap::error::ErrorKind::ArgumentConflict, e))?
                .map(|v| v.cloned().collect())
                .unwrap_or_default();
            let value = match field.shape {
                Shape::Rows(_) if !values.is_empty() => Some(Value::Rows(
                    values
                        .into_iter()
                        .flat_map(|v| match v {
                            Value::Rows(rows) => rows,
                            _ => Vec::new(),
                        })
                        .collect(),
                )),
                _ => values.into_iter().last(),
            };
            if let Some(value) = value {
                given.push((field, value));
            }
        }
        let strings = |id: &str| -> Result<Vec<String>, clap::Error> {
            Ok(matches
                .try_get_many::<String>(id)
                .map_err(|e| clap::Error::raw(clap::error::ErrorKind::ArgumentConflict, e))?
                .map(|v| v.cloned().collect())
                .unwrap_or_default())
        };
        Ok(Self {
            given,
            clear: strings(CLEAR)?,
            no_rules: strings(NO_RULES)?,
            scope: PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<S> FieldArgs<S> {
    /// The names the options touch that no plugin check sees in a
    /// company's settings: each of the group's own fields given (name,
    /// parent, flags), each setting `--clear`ed (but `all`), each table
    /// emptied by `--no-rules`. (A setting given a value is the plugin's
    /// to judge.)
    pub fn outside_settings(&self) -> impl Iterator<Item = &str> {
        self.given
            .iter()
            .filter(|(field, _)| field.setting.is_none())
            .map(|(field, _)| field.name)
            .chain(
                self.clear
                    .iter()
                    .map(String::as_str)
                    .filter(|n| *n != "all"),
            )
            .chain(self.no_rules.iter().map(String::as_str))
    }

    /// Applies the options to `group`: `--clear`ed settings inherit,
    /// `--no-rules` tables are emptied, then the values given replace. A
    /// text given as `""` clears a field that can be empty. Text is passed
    /// as typed: the plugin normalises it.
    pub fn apply(self, group: &mut CustomerGroup) -> Result<()> {
        self.clear_and_empty(&mut group.settings)?;
        for (field, value) in self.given {
            field.set(group, kept(field, value))?;
        }
        Ok(())
    }

    /// Applies the options to the settings `s` (see [`FieldArgs::apply`]).
    pub fn apply_settings(self, s: &mut Settings) -> Result<()> {
        self.clear_and_empty(s)?;
        for (field, value) in self.given {
            field.set_setting(s, kept(field, value))?;
        }
        Ok(())
    }

    fn clear_and_empty(&self, s: &mut Settings) -> Result<()> {
        for name in &self.clear {
            if name == "all" {
                *s = Settings::inherit_all();
            } else if !fields::clear_setting(s, name) {
                bail!(
                    "--clear {name:?}: no such setting; one of: all, {}",
                    fields::settings().join(", ")
                );
            }
        }
        for name in &self.no_rules {
            match fields::find(name) {
                Some(field) if matches!(field.shape, Shape::Rows(_)) => {
                    field.set_setting(s, Some(Value::Rows(Vec::new())))?;
                }
                _ => bail!("--no-rules {name:?}: not a rule table"),
            }
        }
        Ok(())
    }
}

/// The value to write for `value` given to `field`: none for a blank text
/// of a field that can be empty (`--currency ""` clears it).
fn kept(field: &Field, value: Value) -> Option<Value> {
    match &value {
        Value::Text(t) if field.clearable() && t.trim().is_empty() => None,
        _ => Some(value),
    }
}
