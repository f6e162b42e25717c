//! A rule table: an array of inline tables, one rule a row, each cell read
//! by its column's kind.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::DeValue;

use crate::parse::columns::Columns;
use crate::parse::problems::Problems;
use crate::parse::spans::Spans;
use crate::parse::values::{self, Value};

/// The rows of rule table `table` (its value `value`): `build` makes a rule
/// of each row. `None` when any row has a problem.
pub fn rows<T>(
    p: &mut Problems<'_>,
    spans: &mut Spans,
    table: &str,
    value: Value<'_>,
    columns: &Columns,
    build: impl Fn(&mut Row<'_, '_, '_>) -> Option<T>,
) -> Option<Vec<T>> {
    let span = value.span();
    let DeValue::Array(items) = value.into_inner() else {
        let first = columns.names().first().copied().unwrap_or("...");
        p.push(
            span,
            format!("`{table}` must be an array of tables"),
            Some(format!("e.g. {table} = [ {{ {first} = ... }} ]")),
        );
        return None;
    };
    let mut rows = Vec::new();
    let mut ok = true;
    for (i, item) in items.into_iter().enumerate() {
        let at = format!("{table}[{}]", i + 1);
        let span = item.span();
        spans.push(at.clone(), span.clone());
        let DeValue::Table(cells) = item.into_inner() else {
            p.push(
                span,
                format!("row {} of `{table}` must be a table", i + 1),
                None,
            );
            ok = false;
            continue;
        };
        let mut present = BTreeMap::new();
        for (key, cell) in cells {
            let name = key.get_ref().as_ref();
            if columns.unplaced(name) {
                p.push(key.span(), columns.cannot_write(table, name), None);
                ok = false;
                continue;
            }
            if !columns.accepts(name) {
                p.unknown_key(&key, &columns.names(), &format!("`{table}` row"));
                ok = false;
                continue;
            }
            spans.push(format!("{at}.{name}"), cell.span());
            present.insert(name.to_owned(), cell);
        }
        let before = p.count();
        let mut row = Row {
            problems: p,
            cells: &present,
            span: span.clone(),
            table,
        };
        match build(&mut row) {
            Some(rule) if p.count() == before => rows.push(rule),
            _ => ok = false,
        }
    }
    ok.then_some(rows)
}

/// One row of a rule table being read.
pub struct Row<'r, 'a, 'i> {
    problems: &'r mut Problems<'a>,
    cells: &'r BTreeMap<String, Value<'i>>,
    span: Range<usize>,
    table: &'r str,
}

impl<'i> Row<'_, '_, 'i> {
    fn cell(&mut self, column: &str) -> Option<Value<'i>> {
        let cell = self.cells.get(column).cloned();
        if cell.is_none() {
            let table = self.table;
            self.problems.push(
                self.span.clone(),
                format!("this `{table}` row has no `{column}`"),
                None,
            );
        }
        cell
    }

    /// A required date.
    pub fn date(&mut self, column: &str) -> Option<String> {
        let cell = self.cell(column)?;
        values::date(self.problems, &cell)
    }

    /// A date that may be left out.
    pub fn optional_date(&mut self, column: &str) -> Option<String> {
        let cell = self.cells.get(column)?.clone();
        values::date(self.problems, &cell)
    }

    /// A required amount of money.
    pub fn money(&mut self, column: &str) -> Option<i64> {
        let cell = self.cell(column)?;
        values::money(self.problems, &cell)
    }

    /// A required percentage.
    pub fn percent(&mut self, column: &str) -> Option<u32> {
        let cell = self.cell(column)?;
        values::percent(self.problems, &cell)
    }

    /// A required whole number.
    pub fn integer<T: TryFrom<i64>>(&mut self, column: &str) -> Option<T> {
        let cell = self.cell(column)?;
        values::integer(self.problems, &cell)
    }

    /// A required string.
    pub fn string(&mut self, column: &str) -> Option<String> {
        let cell = self.cell(column)?;
        values::string(self.problems, &cell)
    }
}
