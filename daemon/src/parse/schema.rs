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
//! dropped. The form's per-company fields may also be set in a group's
//! `company` table, one table per company.

use host_harness::fields::{self, Field, Shape};
use host_harness::messages::Locale;
use host_harness::wit::{FieldKind, FormDefinition};

use crate::parse::columns::Columns;
use crate::parse::fields::{ADOPT, COMPANY};

/// The keys accepted, in order.
#[derive(Clone, Debug)]
pub struct Schema {
    keys: Vec<Key>,
    /// The language of what the reader says of a file.
    locale: Locale,
}

/// What a key is.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// A field of the host's table.
    Field(&'static Field),
    /// The daemon's own `adopt`.
    Adopt,
    /// The table of what the group sets per company (`company`).
    Companies,
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
    /// Whether it may be set per company (in a `company` table).
    pub per_company: bool,
}

impl Schema {
    /// The same keys, the reader's words in `locale`.
    pub fn in_locale(mut self, locale: Locale) -> Self {
        self.locale = locale;
        self
    }

    /// The language of what the reader says.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The keys of the host's field table, with the columns it knows, and
    /// `adopt` after the group's own fields, `company` last: what is read
    /// without asking the plugin for its form. Which settings may differ
    /// per company is the plugin's to say; without its form, every setting
    /// is read in a company table (and the plugin refuses the others).
    pub fn builtin() -> Self {
        let field = |field: &'static Field| Key {
            name: field.name.to_owned(),
            place: Place::Field(field),
            columns: Columns::new(known_columns(field), Vec::new()),
            per_company: field.setting.is_some(),
        };
        let mut keys: Vec<Key> = fields::group_fields().map(field).collect();
        keys.push(adopt());
        keys.extend(fields::settings_fields().map(field));
        keys.push(companies());
        Self {
            keys,
            locale: Locale::En,
        }
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
                    per_company: f.per_company,
                }
            })
            .collect();
        keys.push(adopt());
        keys.push(companies());
        Self {
            keys,
            locale: Locale::En,
        }
    }

    /// The key `name`, if accepted.
    pub fn key(&self, name: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// Every key accepted, in order.
    pub fn names(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.name.as_str()).collect()
    }

    /// The key `name`, if a company table may hold it.
    pub fn per_company_key(&self, name: &str) -> Option<&Key> {
        self.key(name).filter(|k| k.per_company)
    }

    /// Every key a company table may hold, in order.
    pub fn per_company_names(&self) -> Vec<&str> {
        self.keys
            .iter()
            .filter(|k| k.per_company)
            .map(|k| k.name.as_str())
            .collect()
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
        per_company: false,
    }
}

fn companies() -> Key {
    Key {
        name: COMPANY.to_owned(),
        place: Place::Companies,
        columns: Columns::default(),
        per_company: false,
    }
}

fn known_columns(field: &Field) -> Vec<String> {
    match field.shape {
        Shape::Rows(rules) => rules.columns().iter().map(|c| c.name.to_owned()).collect(),
        _ => Vec::new(),
    }
}
