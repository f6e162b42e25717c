//! Reading one file's TOML document: its `[[group]]` tables, each key by
//! the schema, into declarations.

use std::collections::HashMap;
use std::ops::Range;

use host_harness::store::{company_code, digest};
use host_harness::wit::Settings;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::companies::Companies;

use crate::packed::PackedGroup;
use crate::parse::declaration::Declaration;
use crate::parse::fields::Draft;
use crate::parse::problems::Problems;
use crate::parse::schema::{Place, Schema};
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
        let mut companies = Vec::new();
        for (key, value) in table {
            let Some(accepted) = self.schema.key(key.get_ref()) else {
                self.problems
                    .unknown_key(&key, &self.schema.names(), "group");
                continue;
            };
            let field = match accepted.place {
                Place::Field(field) => field,
                Place::Adopt => {
                    spans.push(accepted.name.clone(), value.span());
                    draft.adopt(&mut self.problems, &value);
                    continue;
                }
                Place::Companies => {
                    spans.push(accepted.name.clone(), key.span());
                    self.companies(&mut spans, value, &mut companies);
                    continue;
                }
                Place::Unplaced => {
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
                }
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
        for required in host_harness::fields::all()
            .iter()
            .filter(|f| f.is_required())
        {
            if !draft.has(required.name) {
                self.problems.push(
                    span.clone(),
                    format!("this group has no `{}`", required.name),
                    Some(format!("add {} = \"...\"", required.name)),
                );
            }
        }
        // Kept even with errors (the file is refused anyway), so that a code
        // declared twice is still reported.
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let table = (clamp(span.start), clamp(span.end));
        if let Some(kept) = &mut self.spans {
            kept.insert(table.0, spans);
        }
        // What "unchanged" means: the declaration by its fields' names
        // (the host's digest format 2), not the record's encoding.
        let companies = Companies::new(companies);
        let digest = digest::declaration_in(&draft.group, draft.adopt, &companies.rows());
        let group = PackedGroup::new(&draft.group);
        draft.has_code().then_some(Declaration {
            file,
            group,
            adopt: draft.adopt,
            companies,
            digest,
            table,
        })
    }

    /// Reads a group's `company` table (a table per company code, of
    /// per-company fields) into `out`; spans as `company.BETA` (the code)
    /// and `company.BETA.receivable-account`.
    fn companies(
        &mut self,
        spans: &mut Spans,
        value: Spanned<DeValue<'_>>,
        out: &mut Vec<(String, Settings)>,
    ) {
        let span = value.span();
        let DeValue::Table(table) = value.into_inner() else {
            self.problems.push(
                span,
                "`company` must be a table of companies",
                Some("write a [group.company.BETA] section after the group's".into()),
            );
            return;
        };
        for (key, value) in table {
            let Ok(code) = company_code(key.get_ref()) else {
                self.problems.push(
                    key.span(),
                    format!("`{}` is not a company code", key.get_ref()),
                    Some("a company code is 1 to 8 letters A-Z and digits".into()),
                );
                continue;
            };
            if out.iter().any(|(c, _)| *c == code) {
                self.problems.push(
                    key.span(),
                    format!("company {code} is given twice in this group"),
                    Some("keep one table per company".into()),
                );
                continue;
            }
            spans.push(format!("company.{code}"), key.span());
            let span = value.span();
            let DeValue::Table(fields) = value.into_inner() else {
                self.problems.push(
                    span,
                    format!("company {code}'s settings must be a table"),
                    Some(format!(
                        "write [group.company.{code}] and its fields beneath it"
                    )),
                );
                continue;
            };
            let mut draft = Draft::default();
            let mut inner = Spans::default();
            for (key, value) in fields {
                let accepted = self.schema.per_company_key(key.get_ref());
                let Some(Place::Field(field)) = accepted.map(|k| k.place) else {
                    let names = self.schema.per_company_names();
                    if self.schema.key(key.get_ref()).is_some() {
                        self.problems.push(
                            key.span(),
                            format!("`{}` is the same in every company", key.get_ref()),
                            Some(if names.is_empty() {
                                "set it among the group's own keys; the installed plugin \
                                 keeps nothing per company"
                                    .to_owned()
                            } else {
                                format!(
                                    "set it among the group's own keys; per company: {}",
                                    names.join(", ")
                                )
                            }),
                        );
                    } else {
                        let what = format!("company {code}");
                        self.problems.unknown_key(&key, &names, &what);
                    }
                    continue;
                };
                inner.push(field.name, value.span());
                let columns = accepted.map(|k| k.columns.clone()).unwrap_or_default();
                draft.set(&mut self.problems, &mut inner, field, &columns, value);
            }
            for (name, span) in inner.0 {
                spans.push(format!("company.{code}.{name}"), span);
            }
            out.push((code, draft.group.settings));
        }
    }
}
