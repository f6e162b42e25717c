//! The way back from the form: the values a browser submits, read by each
//! field's shape into field values (syntax only; every rule is the
//! plugin's), and the problems found, placed at their fields.

use std::collections::BTreeMap;

use crate::fields::text::parse_scalar;
use crate::fields::{self, Field, Row, Shape, Value};
use crate::messages::Locale;
use crate::rights;
use crate::store::Held;
use crate::wit::{CustomerGroup, FormDefinition};

use super::widgets::{Entered, stored_as};
use super::words;

/// Problems found, by field name: errors and warnings, in the user's
/// locale; those of no field (or of the record as a whole) under `""`.
#[derive(Debug, Default)]
pub struct Problems {
    /// Errors by field.
    pub errors: BTreeMap<String, Vec<String>>,
    /// Warnings by field.
    pub warnings: BTreeMap<String, Vec<String>>,
}

impl Problems {
    /// Whether any error was found.
    pub fn any_error(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Files an error at `field` (`table[row].column` under `table`, with
    /// the row and column's caption before the message).
    pub fn error(&mut self, form: &FormDefinition, field: &str, message: String) {
        let (at, text) = place(form, field, message);
        self.errors.entry(at).or_default().push(text);
    }

    /// Files a warning, as [`Problems::error`] does.
    pub fn warning(&mut self, form: &FormDefinition, field: &str, message: String) {
        let (at, text) = place(form, field, message);
        self.warnings.entry(at).or_default().push(text);
    }
}

/// Where a problem about `field` is shown, and its text: a field of the
/// form at the field; a table's cell or row at the table, prefixed with
/// the row (and the column's caption); anything else at the top (`""`).
fn place(form: &FormDefinition, field: &str, message: String) -> (String, String) {
    let (base, rest) = match field.split_once('[') {
        Some((base, rest)) => (base, Some(rest)),
        None => (field, None),
    };
    let Some(f) = form.fields.iter().find(|f| f.name == base) else {
        return (String::new(), message);
    };
    let Some(rest) = rest else {
        return (f.name.clone(), message);
    };
    let (row, column) = match rest.split_once(']') {
        Some((row, column)) => (row, column.trim_start_matches('.')),
        None => (rest, ""),
    };
    let caption = f
        .columns
        .iter()
        .find(|c| c.name == column)
        .map(|c| format!(", {}", c.label))
        .unwrap_or_default();
    let l = Locale::from_tag(&form.locale);
    let row_word = &words::Words::of(l).row;
    (
        f.name.clone(),
        format!("{row_word} {row}{caption}: {message}"),
    )
}

/// A submission read: what to show again, each field's value (`None`:
/// blank, inherit), and the values that could not be read.
pub struct Submission {
    /// What was typed, to show again if the save is refused.
    pub entered: Entered,
    /// Each writable field of the form and its value.
    pub values: Vec<(&'static Field, Option<Value>)>,
}

/// Reads a submitted form (`pairs` as the browser sent them) by `form`'s
/// writable fields: check boxes absent are `false`, blank texts are
/// `None` where the field may be blank, a table's rows by their numbers
/// (blank rows and rows marked for removal left out), a field `held` may
/// not change and the browser did not send left out. A value that does
/// not parse goes to `problems` at its field, in `l`, and counts as blank.
pub fn read_submission(
    form: &FormDefinition,
    pairs: &[(String, String)],
    held: &Held,
    problems: &mut Problems,
    l: Locale,
) -> Submission {
    let mut entered = Entered::default();
    let mut values = Vec::new();
    let given = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    for f in form.fields.iter().filter(|f| !f.read_only) {
        // A field the user may not change is drawn disabled, so the
        // browser sends nothing: it keeps its value. One sent anyway is
        // read, and the admin services refuse it if it changed.
        let sent = |(k, _): &(String, String)| {
            k == &f.name
                || k.strip_prefix(f.name.as_str())
                    .is_some_and(|rest| rest.starts_with('[') || rest == ".inherit")
        };
        if rights::unheld(f, held).is_some() && !pairs.iter().any(sent) {
            continue;
        }
        let Ok(field) = stored_as(&f.name, f.kind) else {
            problems.error(
                form,
                "",
                words::unreadable(l, &format!("{}: cannot be stored by this host", f.label)),
            );
            continue;
        };
        match field.shape {
            Shape::Rows(rules) => {
                let (texts, rows) = read_rows(form, f, rules, pairs, problems, l);
                let inherit = f.inheritable
                    && given(&format!("{}.inherit", f.name)).is_some_and(|v| !v.is_empty());
                let value = if rows.is_empty() && texts.is_empty() && inherit {
                    None
                } else {
                    Some(Value::Rows(rows))
                };
                if inherit {
                    entered.inherit.insert(f.name.clone());
                }
                entered.tables.insert(f.name.clone(), texts);
                values.push((field, value));
            }
            Shape::Flag if !field.clearable() => {
                let on = given(&f.name).is_some_and(|v| v == "true" || v == "on");
                entered.scalars.insert(f.name.clone(), on.to_string());
                values.push((field, Some(Value::Flag(on))));
            }
            shape => {
                let text = given(&f.name).unwrap_or_default().to_owned();
                entered.scalars.insert(f.name.clone(), text.clone());
                let value = if text.trim().is_empty() && field.clearable() {
                    None
                } else {
                    match parse_scalar(shape, &text) {
                        Ok(value) => Some(value),
                        Err(e) => {
                            problems.error(form, &f.name, words::unreadable(l, &e));
                            None
                        }
                    }
                };
                values.push((field, value));
            }
        }
    }
    Submission { entered, values }
}

/// A table's submitted rows: texts to show again, and the rows read.
fn read_rows(
    form: &FormDefinition,
    f: &crate::wit::Field,
    rules: fields::Rules,
    pairs: &[(String, String)],
    problems: &mut Problems,
    l: Locale,
) -> (Vec<Vec<String>>, Vec<Row>) {
    let prefix = format!("{}[", f.name);
    let mut numbers: Vec<usize> = pairs
        .iter()
        .filter_map(|(k, _)| k.strip_prefix(&prefix)?.split_once(']')?.0.parse().ok())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let (mut texts, mut rows) = (Vec::new(), Vec::new());
    for n in numbers {
        let cell = |column: &str| {
            let name = format!("{}[{n}].{column}", f.name);
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        if !cell("remove").is_empty() {
            continue;
        }
        let cells: Vec<String> = rules.columns().iter().map(|c| cell(c.name)).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number = texts.len() + 1;
        let mut row = Row::with_capacity(cells.len());
        for (column, text) in rules.columns().iter().zip(&cells) {
            let at = format!("{}[{number}].{}", f.name, column.name);
            row.push(if text.trim().is_empty() {
                if column.required {
                    problems.error(form, &at, words::unreadable(l, "a value is required"));
                }
                None
            } else {
                match column.shape {
                    Shape::Text => Some(Value::Text(text.trim().to_owned())),
                    shape => match parse_scalar(shape, text) {
                        Ok(v) => Some(v),
                        Err(e) => {
                            problems.error(form, &at, words::unreadable(l, &e));
                            None
                        }
                    },
                }
            });
        }
        texts.push(cells);
        // A row with a cell that did not parse cannot be a record's row.
        if row
            .iter()
            .zip(rules.columns())
            .all(|(c, col)| c.is_some() || !col.required)
        {
            rows.push(row);
        }
    }
    (texts, rows)
}

impl Submission {
    /// Applies the values to `group` (the code only when `with_code`: it
    /// is fixed once created).
    pub fn apply(
        &self,
        group: &mut CustomerGroup,
        with_code: bool,
    ) -> Result<(), fields::FieldError> {
        for (field, value) in &self.values {
            if field.is_code() && !with_code {
                continue;
            }
            field.set(group, value.clone())?;
        }
        Ok(())
    }
}
