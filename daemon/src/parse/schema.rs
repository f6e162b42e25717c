//! The keys a `[[group]]` table may hold: the form's fields, as the
//! installed plugin defines them ([`Schema::from_form`]), each with where
//! its value goes in the group record (the host's field table,
//! [`host_harness::fields`]), and the daemon's own `adopt`.
//!
//! The plugin's form says which fields there are and which columns a rule
//! table has; it does not say where a field lives in the `customer-group`
//! record (`due-count` is `settings.due-terms.count`), so that comes from
//! the host's field table. A field of the form the table lacks is refused
//! where a file uses it, with a message saying so, rather than read and
//! dropped.

use host_harness::fields::{self, Field, Shape};
use host_harness::wit::{FieldKind, FormDefinition};

use crate::parse::columns::Columns;
use crate::parse::fields::ADOPT;

/// The keys accepted, in order.
#[derive(Clone, Debug)]
pub struct Schema {
    keys: Vec<Key>,
}

/// What a key is.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// A field of the host's table.
    Field(&'static Field),
    /// The daemon's own `adopt`.
    Adopt,
    /// A field of the plugin's form the host's table does not know.
    Unplaced,
}

/// One key a group table may hold.
#[derive(Clone, Debug)]
pub struct Key {
    /// The form field's name (or `adopt`).
    pub name: String,
    /// Where its value goes.
    pub place: Place,
    /// For a rule table: its columns.
    pub columns: Columns,
}

impl Schema {
    /// The keys of the host's field table, with the columns it knows, and
    /// `adopt` after the group's own fields: what is read without asking
    /// the plugin for its form.
    pub fn builtin() -> Self {
        let field = |field: &'static Field| Key {
            name: field.name.to_owned(),
            place: Place::Field(field),
            columns: Columns::new(known_columns(field), Vec::new()),
        };
        let mut keys: Vec<Key> = fields::group_fields().map(field).collect();
        keys.push(adopt());
        keys.extend(fields::settings_fields().map(field));
        Self { keys }
    }

    /// The keys of the plugin's form: every field a user may fill in (not
    /// the read-only ones the host fills), with the columns of its rule
    /// tables, and the daemon's own `adopt`.
    pub fn from_form(form: &FormDefinition) -> Self {
        let mut keys: Vec<Key> = form
            .fields
            .iter()
            .filter(|f| !f.read_only)
            .map(|f| {
                let field = fields::find(&f.name);
                let known = field.map(known_columns).unwrap_or_default();
                let (mut names, mut unplaced) = (Vec::new(), Vec::new());
                if f.kind == FieldKind::Table {
                    for column in &f.columns {
                        if known.contains(&column.name) {
                            names.push(column.name.clone());
                        } else {
                            unplaced.push(column.name.clone());
                        }
                    }
                }
                Key {
                    name: f.name.clone(),
                    place: field.map_or(Place::Unplaced, Place::Field),
                    columns: Columns::new(names, unplaced),
                }
            })
            .collect();
        keys.push(adopt());
        Self { keys }
    }

    /// The key `name`, if accepted.
    pub fn key(&self, name: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// Every key accepted, in order.
    pub fn names(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.name.as_str()).collect()
    }

    /// The form's fields (and rule-table columns, as `table.column`) the
    /// host's field table has no place for.
    pub fn unplaced(&self) -> Vec<String> {
        let mut out = Vec::new();
        for key in &self.keys {
            if matches!(key.place, Place::Unplaced) {
                out.push(key.name.clone());
            }
            for column in key.columns.unplaced_names() {
                out.push(format!("{}.{column}", key.name));
            }
        }
        out
    }
}

fn adopt() -> Key {
    Key {
        name: ADOPT.to_owned(),
        place: Place::Adopt,
        columns: Columns::default(),
    }
}

fn known_columns(field: &Field) -> Vec<String> {
    match field.shape {
        Shape::Rows(rules) => rules.columns().iter().map(|c| c.name.to_owned()).collect(),
        _ => Vec::new(),
    }
}
