//! The keys a `[[group]]` table may hold: the form's fields, as the
//! installed plugin defines them ([`Schema::from_form`]), each with where
//! its value goes in the group record ([`crate::parse::fields`]).
//!
//! The plugin's form says which fields there are and which columns a rule
//! table has; it does not say where a field lives in the `customer-group`
//! record (`due-count` is `settings.due-terms.count`), so that comes from
//! the daemon's field table. A field of the form the table lacks is
//! refused where a file uses it, with a message saying so, rather than
//! read and dropped.

use host_harness::wit::{FieldKind, FormDefinition};

use crate::parse::columns::Columns;
use crate::parse::fields::{self, Field, Place};

/// The keys accepted, in order.
#[derive(Clone, Debug)]
pub struct Schema {
    keys: Vec<Key>,
}

/// One key a group table may hold.
#[derive(Clone, Debug)]
pub struct Key {
    /// The form field's name.
    pub name: String,
    /// Where its value goes; `None` for a field of the plugin's form the
    /// daemon's field table does not know.
    pub field: Option<&'static Field>,
    /// For a rule table: its columns.
    pub columns: Columns,
}

impl Schema {
    /// The keys of the daemon's field table, with the columns it knows:
    /// what is read without asking the plugin for its form.
    pub fn builtin() -> Self {
        let keys = fields::FIELDS
            .iter()
            .map(|field| Key {
                name: field.name.to_owned(),
                field: Some(field),
                columns: Columns::new(builtin_columns(field), Vec::new()),
            })
            .collect();
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
                let known = field.map(builtin_columns).unwrap_or_default();
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
                let columns = Columns::new(names, unplaced);
                Key {
                    name: f.name.clone(),
                    field,
                    columns,
                }
            })
            .collect();
        for own in fields::FIELDS.iter().filter(|f| f.daemon_own()) {
            keys.push(Key {
                name: own.name.to_owned(),
                field: Some(own),
                columns: Columns::default(),
            });
        }
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
    /// daemon's field table has no place for.
    pub fn unplaced(&self) -> Vec<String> {
        let mut out = Vec::new();
        for key in &self.keys {
            if key.field.is_none() {
                out.push(key.name.clone());
            }
            for column in key.columns.unplaced_names() {
                out.push(format!("{}.{column}", key.name));
            }
        }
        out
    }
}

fn builtin_columns(field: &Field) -> Vec<String> {
    match field.place {
        Place::Rules(rules) => rules.columns().iter().map(|c| (*c).to_owned()).collect(),
        _ => Vec::new(),
    }
}
