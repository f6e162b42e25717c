//! Fields as JSON, keyed by the form's field names: how the store keeps a
//! group's settings, the AR settings and a customer's terms, and the
//! canonical encoding the daemon's digests hash.
//!
//! The layout (the store's settings format 2, migration 009):
//!
//! - one flat object; a key is a form field name (`"receivable-account"`,
//!   `"due-count"`), present only when the field holds a value (an absent
//!   key inherits); keys sorted by name, so that equal values are equal
//!   text;
//! - text, codes, references and choices as strings; money as an integer
//!   of minor units; percentages as an integer of basis points; counts and
//!   days of the month as integers; a period unit as `"days"`, `"weeks"` or
//!   `"months"`; a date as `"YYYY-MM-DD"`; flags as `true`/`false`;
//! - a rule table as an array of objects keyed by its column names (an
//!   empty optional cell left out); `[]` is "no rules".
//!
//! A key the table does not know is an error, never dropped: a store
//! written by a newer host is refused rather than rewritten without it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::Value as Json;

use super::{Field, FieldError, Row, Shape, Value, all, find};
use crate::wit::{CustomerGroup, PeriodUnit, Settings};

/// Why stored JSON could not be read as fields.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// Not JSON at all.
    #[error("not JSON: {0}")]
    Syntax(#[from] serde_json::Error),
    /// Not an object.
    #[error("expected an object of fields, found {0}")]
    NotAnObject(String),
    /// A key that is no field the host knows (or not one allowed here).
    #[error("`{0}` is no field this host can store here")]
    UnknownField(String),
    /// A value that is not of its field's shape.
    #[error("`{field}` holds {found}, not a {expected:?} value")]
    Value {
        /// The field (or `table[row].column`).
        field: String,
        /// What it takes.
        expected: Shape,
        /// What was found, as JSON.
        found: String,
    },
    /// The value could not be written to the record.
    #[error(transparent)]
    Field(#[from] FieldError),
}

/// `settings` as the store keeps them (format 2): only the fields set.
pub fn settings_to_json(s: &Settings) -> String {
    object(|f| f.setting.is_some().then(|| f.get_setting(s)).flatten())
}

/// Settings from the store's JSON (format 2): every key a settings field.
pub fn settings_from_json(text: &str) -> Result<Settings, CodecError> {
    settings_from_json_of(text, |_| true)
}

/// Settings from the store's JSON, taking only the fields `accept`s (a
/// customer's terms are a few settings); any other key is an error.
pub fn settings_from_json_of(
    text: &str,
    accept: impl Fn(&Field) -> bool,
) -> Result<Settings, CodecError> {
    let json: Json = serde_json::from_str(text)?;
    let Json::Object(map) = json else {
        return Err(CodecError::NotAnObject(short(&json)));
    };
    let mut settings = Settings::inherit_all();
    for (key, value) in &map {
        let field = find(key)
            .filter(|f| f.setting.is_some() && accept(f))
            .ok_or_else(|| CodecError::UnknownField(key.clone()))?;
        if value.is_null() {
            continue;
        }
        let value = value_from_json(field.name, field.shape, value)?;
        field.set_setting(&mut settings, Some(value))?;
    }
    Ok(settings)
}

/// Every field of `group` that holds a value (its own fields and its
/// settings), as one object with sorted keys: the canonical encoding of a
/// group by its form's field names. Equal groups, equal bytes; a field
/// added to the table changes nothing for groups that leave it empty.
pub fn group_canonical(group: &CustomerGroup) -> String {
    object(|f| f.get(group))
}

/// The SQLite JSON path of field `name` in a stored object
/// (`$."receivable-account"`), for `json_extract`.
pub fn path(name: &str) -> String {
    format!("$.\"{}\"", name.replace('"', "\\\""))
}

/// The table's fields sorted by name (the order of an object's keys), each
/// with its key as JSON text.
static BY_NAME: LazyLock<Vec<(&'static Field, String)>> = LazyLock::new(|| {
    let mut fields: Vec<&'static Field> = all().iter().collect();
    fields.sort_by_key(|f| f.name);
    fields
        .into_iter()
        .map(|f| (f, Json::from(f.name).to_string()))
        .collect()
});

/// The fields `value_of` gives a value, as one object, keys sorted.
///
/// Written straight into the text, as `serde_json` writes a [`Json`] of
/// the same values: every declaration the daemon reads and every group it
/// writes passes through here.
fn object(value_of: impl Fn(&Field) -> Option<Value>) -> String {
    let mut out = Vec::with_capacity(256);
    out.push(b'{');
    for (field, key) in BY_NAME.iter() {
        let Some(value) = value_of(field) else {
            continue;
        };
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(key.as_bytes());
        out.push(b':');
        write_value(&mut out, field.shape, &value);
    }
    out.push(b'}');
    String::from_utf8(out).expect("JSON text is UTF-8")
}

/// The fields among `fields` whose values (before, after) differ, as the
/// change history keeps them: a JSON array of `{"field", "old", "new"}`
/// (null: no value), in `fields`' order; with how many there are.
///
/// Written straight into the text like [`object`]: the daemon records a
/// change for every group it writes (100,000 on a first sync).
pub fn changes_json<'f>(
    fields: impl Iterator<Item = &'f Field>,
    values: impl Fn(&Field) -> (Option<Value>, Option<Value>),
) -> (String, usize) {
    let mut out = Vec::with_capacity(256);
    let mut count = 0;
    out.push(b'[');
    let write = |out: &mut Vec<u8>, field: &Field, value: Option<&Value>| match value {
        Some(value) => write_value(out, field.shape, value),
        None => out.extend_from_slice(b"null"),
    };
    for field in fields {
        let (old, new) = values(field);
        if old == new {
            continue;
        }
        if count > 0 {
            out.push(b',');
        }
        count += 1;
        out.extend_from_slice(b"{\"field\":");
        // A field name is a JSON string without escapes; written as one.
        write_value(&mut out, Shape::Text, &Value::Text(field.name.to_owned()));
        out.extend_from_slice(b",\"old\":");
        write(&mut out, field, old.as_ref());
        out.extend_from_slice(b",\"new\":");
        write(&mut out, field, new.as_ref());
        out.push(b'}');
    }
    out.push(b']');
    (String::from_utf8(out).expect("JSON text is UTF-8"), count)
}

/// Writes `value` as [`value_to_json`] would give it, written compactly.
fn write_value(out: &mut Vec<u8>, shape: Shape, value: &Value) {
    // Writing JSON into a vector cannot fail.
    let written = match value {
        Value::Text(t) | Value::Date(t) => serde_json::to_writer(&mut *out, t.as_str()),
        Value::Flag(b) => serde_json::to_writer(&mut *out, b),
        Value::Money(m) => serde_json::to_writer(&mut *out, m),
        Value::Percent(n) | Value::Count(n) => serde_json::to_writer(&mut *out, n),
        Value::Day(d) => serde_json::to_writer(&mut *out, d),
        Value::Unit(u) => serde_json::to_writer(&mut *out, u.as_str()),
        Value::Rows(_) => serde_json::to_writer(&mut *out, &value_to_json(shape, value)),
    };
    written.expect("JSON writes into a vector");
}

/// A value of `shape` as JSON (see the module's layout).
pub fn value_to_json(shape: Shape, value: &Value) -> Json {
    match value {
        Value::Text(t) | Value::Date(t) => Json::from(t.as_str()),
        Value::Flag(b) => Json::from(*b),
        Value::Money(m) => Json::from(*m),
        Value::Percent(n) | Value::Count(n) => Json::from(*n),
        Value::Day(d) => Json::from(*d),
        Value::Unit(u) => Json::from(u.as_str()),
        Value::Rows(rows) => Json::Array(rows.iter().map(|r| row_to_json(shape, r)).collect()),
    }
}

/// A row as an object keyed by its table's column names, empty cells left out.
fn row_to_json(shape: Shape, row: &Row) -> Json {
    let Shape::Rows(rules) = shape else {
        return Json::Null;
    };
    let cells: BTreeMap<&str, Json> = rules
        .columns()
        .iter()
        .zip(row)
        .filter_map(|(column, cell)| {
            let cell = cell.as_ref()?;
            Some((column.name, value_to_json(column.shape, cell)))
        })
        .collect();
    Json::Object(cells.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A value of `shape` from JSON (field `field`, for errors).
pub fn value_from_json(field: &str, shape: Shape, json: &Json) -> Result<Value, CodecError> {
    let wrong = || CodecError::Value {
        field: field.to_owned(),
        expected: shape,
        found: short(json),
    };
    let number = |json: &Json| json.as_u64().ok_or_else(wrong);
    Ok(match shape {
        Shape::Text => Value::Text(json.as_str().ok_or_else(wrong)?.to_owned()),
        Shape::Date => Value::Date(json.as_str().ok_or_else(wrong)?.to_owned()),
        Shape::Flag => Value::Flag(json.as_bool().ok_or_else(wrong)?),
        Shape::Money => Value::Money(json.as_i64().ok_or_else(wrong)?),
        Shape::Percent => Value::Percent(u32::try_from(number(json)?).map_err(|_| wrong())?),
        Shape::Count => Value::Count(u32::try_from(number(json)?).map_err(|_| wrong())?),
        Shape::Day => Value::Day(u8::try_from(number(json)?).map_err(|_| wrong())?),
        Shape::Unit => Value::Unit(
            json.as_str()
                .and_then(PeriodUnit::parse)
                .ok_or_else(wrong)?,
        ),
        Shape::Rows(rules) => {
            let rows = json.as_array().ok_or_else(wrong)?;
            let mut out = Vec::with_capacity(rows.len());
            for (i, row) in rows.iter().enumerate() {
                let at = format!("{field}[{}]", i + 1);
                let cells = row.as_object().ok_or_else(|| CodecError::Value {
                    field: at.clone(),
                    expected: shape,
                    found: short(row),
                })?;
                let columns = rules.columns();
                if let Some(unknown) = cells.keys().find(|k| !columns.iter().any(|c| c.name == *k))
                {
                    return Err(CodecError::UnknownField(format!("{at}.{unknown}")));
                }
                let mut cells_out = Vec::with_capacity(columns.len());
                for column in columns {
                    let cell = match cells.get(column.name) {
                        None | Some(Json::Null) => None,
                        Some(cell) => Some(value_from_json(
                            &format!("{at}.{}", column.name),
                            column.shape,
                            cell,
                        )?),
                    };
                    cells_out.push(cell);
                }
                out.push(cells_out);
            }
            Value::Rows(out)
        }
    })
}

/// JSON shortened for a message.
fn short(json: &Json) -> String {
    let text = json.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}
