//! A rule table: an array of inline tables, one rule a row, each cell read
//! by its column's shape (the host's field table:
//! [`host_harness::fields::Rules::columns`]).

use host_harness::messages as m;
use std::collections::BTreeMap;

use host_harness::fields::{self, Row};
use toml::de::DeValue;

use crate::parse::columns::Columns;
use crate::parse::problems::Problems;
use crate::parse::spans::Spans;
use crate::parse::values::{self, Value};

/// The rows of rule table `table` (its value `value`), the cells accepted
/// as `columns` says, each read as `shapes` (the host's columns of the
/// table) says. `None` when any row has a problem.
pub fn rows(
    p: &mut Problems<'_>,
    spans: &mut Spans,
    table: &str,
    value: Value<'_>,
    columns: &Columns,
    shapes: &[fields::Column],
) -> Option<Vec<Row>> {
    let span = value.span();
    let DeValue::Array(items) = value.into_inner() else {
        let first = columns.names().first().copied().unwrap_or("...");
        let l = p.locale();
        p.push(
            span,
            m::file_rows_not_array(l, table),
            Some(m::file_rows_example(l, table, first)),
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
            let message = m::file_row_not_table(p.locale(), i + 1, table);
            p.push(span, message, None);
            ok = false;
            continue;
        };
        let mut present = BTreeMap::new();
        for (key, cell) in cells {
            let name = key.get_ref().as_ref();
            if columns.unplaced(name) {
                let message = m::file_unplaced_column(p.locale(), name, table);
                p.push(key.span(), message, None);
                ok = false;
                continue;
            }
            if !columns.accepts(name) {
                let what = m::file_row_table(p.locale(), table);
                p.unknown_key(&key, &columns.names(), &what);
                ok = false;
                continue;
            }
            spans.push(format!("{at}.{name}"), cell.span());
            present.insert(name.to_owned(), cell);
        }
        let before = p.count();
        let mut row = Row::with_capacity(shapes.len());
        for column in shapes {
            let cell = match present.get(column.name) {
                Some(cell) => values::of_shape(p, column.shape, cell),
                None => {
                    if column.required {
                        let message = m::file_row_missing(p.locale(), table, column.name);
                        p.push(span.clone(), message, None);
                    }
                    None
                }
            };
            row.push(cell);
        }
        if p.count() == before {
            rows.push(row);
        } else {
            ok = false;
        }
    }
    ok.then_some(rows)
}
