//! Reading one file's TOML document: its `[[group]]` tables, each key by
//! the schema, into declarations.

use host_harness::messages as m;
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
                let what = m::file_top_level(self.problems.locale());
                self.problems.unknown_key(&key, &["group"], &what);
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
                            _ => {
                                let l = self.problems.locale();
                                self.problems.push(
                                    span,
                                    m::file_group_not_table(l),
                                    Some(m::file_group_sections_help(l)),
                                );
                            }
                        }
                    }
                }
                _ => {
                    let l = self.problems.locale();
                    self.problems.push(
                        span,
                        m::file_group_not_array(l),
                        Some(m::file_group_array_help(l)),
                    );
                }
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
                let what = m::file_group_table(self.problems.locale());
                self.problems.unknown_key(&key, &self.schema.names(), &what);
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
                        m::file_unplaced(self.problems.locale(), &accepted.name),
                        Some(m::file_unplaced_help(self.problems.locale())),
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
                    m::file_missing_key(self.problems.locale(), required.name),
                    Some(m::file_missing_key_help(
                        self.problems.locale(),
                        required.name,
                    )),
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
                m::file_companies_not_table(self.problems.locale()),
                Some(m::file_companies_help(self.problems.locale())),
            );
            return;
        };
        for (key, value) in table {
            let Ok(code) = company_code(key.get_ref()) else {
                self.problems.push(
                    key.span(),
                    m::file_not_company_code(self.problems.locale(), key.get_ref()),
                    Some(m::file_company_code_help(self.problems.locale())),
                );
                continue;
            };
            if out.iter().any(|(c, _)| *c == code) {
                self.problems.push(
                    key.span(),
                    m::file_company_twice(self.problems.locale(), &code),
                    Some(m::file_company_twice_help(self.problems.locale())),
                );
                continue;
            }
            spans.push(format!("company.{code}"), key.span());
            let span = value.span();
            let DeValue::Table(fields) = value.into_inner() else {
                self.problems.push(
                    span,
                    m::file_company_not_table(self.problems.locale(), &code),
                    Some(m::file_company_not_table_help(
                        self.problems.locale(),
                        &code,
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
                    let l = self.problems.locale();
                    if self.schema.key(key.get_ref()).is_some() {
                        self.problems.push(
                            key.span(),
                            m::file_same_in_every_company(l, key.get_ref()),
                            Some(if names.is_empty() {
                                m::file_nothing_per_company_help(l)
                            } else {
                                m::file_same_in_every_company_help(l, &names.join(", "))
                            }),
                        );
                    } else {
                        let what = m::file_company_table(l, &code);
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
