//! Reading one file's TOML document: its `[[group]]` tables, each key by
//! the schema, into declarations.

use std::collections::HashMap;
use std::ops::Range;

use sha2::{Digest, Sha256};
use toml::de::{DeTable, DeValue};

use crate::packed::PackedGroup;
use crate::parse::declaration::Declaration;
use crate::parse::fields::Draft;
use crate::parse::problems::Problems;
use crate::parse::schema::Schema;
use crate::parse::spans::Spans;

/// Reads the declarations of one file.
pub struct Reader<'a> {
    /// Where problems go.
    pub problems: Problems<'a>,
    /// The keys accepted.
    pub schema: &'a Schema,
    /// Where to keep every declaration's key spans (by the table's start),
    /// when wanted.
    pub spans: Option<HashMap<u32, Spans>>,
}

impl Reader<'_> {
    /// Reads the document of file `file` (its index) into `out`.
    pub fn document(&mut self, file: usize, table: DeTable<'_>, out: &mut Vec<Declaration>) {
        for (key, value) in table {
            if key.get_ref() != "group" {
                self.problems.unknown_key(&key, &["group"], "top-level");
                continue;
            }
            let span = value.span();
            match value.into_inner() {
                DeValue::Array(items) => {
                    for item in items {
                        let span = item.span();
                        match item.into_inner() {
                            DeValue::Table(t) => {
                                if let Some(decl) = self.group(file, span, t) {
                                    out.push(decl);
                                }
                            }
                            _ => self.problems.push(
                                span,
                                "each group must be a table",
                                Some("write [[group]] sections".into()),
                            ),
                        }
                    }
                }
                _ => self.problems.push(
                    span,
                    "`group` must be an array of tables",
                    Some("write each group as a [[group]] section".into()),
                ),
            }
        }
    }

    fn group(
        &mut self,
        file: usize,
        span: Range<usize>,
        table: DeTable<'_>,
    ) -> Option<Declaration> {
        let mut draft = Draft::default();
        let mut spans = Spans::default();
        for (key, value) in table {
            let Some(accepted) = self.schema.key(key.get_ref()) else {
                self.problems
                    .unknown_key(&key, &self.schema.names(), "group");
                continue;
            };
            let Some(field) = accepted.field else {
                self.problems.push(
                    key.span(),
                    format!(
                        "the plugin's form has a field `{}` that this erp-sync cannot write yet \
                         (it does not know where it goes in the group record)",
                        accepted.name
                    ),
                    Some("leave it out, or update erp-sync".into()),
                );
                continue;
            };
            // A problem with a key's value points at the value.
            spans.push(field.name, value.span());
            draft.set(
                &mut self.problems,
                &mut spans,
                field,
                &accepted.columns,
                value,
            );
        }
        if !draft.has_code {
            self.problems.push(
                span.clone(),
                "this group has no `code`",
                Some("add code = \"...\"".into()),
            );
        }
        if !draft.has_name {
            self.problems.push(
                span.clone(),
                "this group has no `name`",
                Some("add name = \"...\"".into()),
            );
        }
        let draft = draft.finish();
        // Kept even with errors (the file is refused anyway), so that a code
        // declared twice is still reported.
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let table = (clamp(span.start), clamp(span.end));
        if let Some(kept) = &mut self.spans {
            kept.insert(table.0, spans);
        }
        let group = PackedGroup::new(&draft.group);
        let mut digest = Sha256::new();
        digest.update(group.bytes());
        digest.update([u8::from(draft.adopt)]);
        draft.has_code.then(|| Declaration {
            file,
            group,
            adopt: draft.adopt,
            digest: digest.finalize().into(),
            table,
        })
    }
}
