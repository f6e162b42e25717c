//! Where each key of a declaration is (`code`,
//! `sales-discount-rules[2].percent`, ...). Only diagnostics need them, so
//! they are not kept for every declaration: a file is read again for them
//! when its first diagnostic is made.

use std::borrow::Cow;
use std::ops::Range;

/// The keys of one declaration with the spans of their values, in the
/// order read.
#[derive(Clone, Debug, Default)]
pub struct Spans(pub Vec<(Cow<'static, str>, Range<usize>)>);

impl Spans {
    /// Notes where `key`'s value is.
    pub fn push(&mut self, key: impl Into<Cow<'static, str>>, span: Range<usize>) {
        self.0.push((key.into(), span));
    }

    /// The span of `field`, or of the nearest thing that exists: the table
    /// (`sales-discount-rules[2]`), the key (`sales-discount-rules`), the code.
    pub fn of(&self, field: &str) -> Option<Range<usize>> {
        let mut candidates = vec![field];
        if let Some((row, _)) = field.rsplit_once('.') {
            candidates.push(row);
        }
        if let Some((table, _)) = field.split_once('[') {
            candidates.push(table);
        }
        candidates.push("code");
        candidates.iter().find_map(|c| {
            self.0
                .iter()
                .rev()
                .find(|(k, _)| k == c)
                .map(|(_, span)| span.clone())
        })
    }
}
