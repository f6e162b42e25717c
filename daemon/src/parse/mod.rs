//! Parsing: each scanned file as TOML (`toml::de::DeTable`, which keeps
//! spans), its `[[group]]` tables turned into customer groups, keys as the
//! form names them. Every problem (a syntax error, an unknown key, a value
//! of the wrong kind, a code declared twice) is found, with its position;
//! issues the plugin finds later are placed through
//! [`Config::diagnostic`].

pub mod columns;
pub mod declaration;
pub mod fields;
pub mod problems;
pub mod reader;
pub mod rows;
pub mod schema;
pub mod spans;
pub mod values;

use host_harness::messages::{self as m, Locale};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use toml::de::DeTable;

use crate::diag::Diagnostic;
use crate::parse::declaration::{Declaration, SourceFile};
use crate::parse::problems::Problems;
use crate::parse::reader::Reader;
use crate::parse::schema::Schema;
use crate::parse::spans::Spans;
use crate::scan::Scanned;

/// Everything declared under a directory.
#[derive(Debug, Default)]
pub struct Config {
    /// The files, sorted by path.
    pub files: Vec<SourceFile>,
    /// The groups, in file order.
    pub groups: Vec<Declaration>,
    /// The keys the files were read with (to read them again for spans).
    schema: Option<Schema>,
    /// Key spans of the declarations of files read again for diagnostics:
    /// file index -> table start -> spans.
    spans: RefCell<HashMap<usize, HashMap<u32, Spans>>>,
}

impl Config {
    /// A diagnostic at `field` of declaration `decl`.
    pub fn diagnostic(
        &self,
        decl: &Declaration,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let file = &self.files[decl.file];
        let span = if field.is_empty() {
            None
        } else {
            let mut cache = self.spans.borrow_mut();
            cache
                .entry(decl.file)
                .or_insert_with(|| self.key_spans(decl.file))
                .get(&decl.table.0)
                .and_then(|spans| spans.of(field))
        };
        Diagnostic::at(
            &file.path,
            &file.text,
            span.unwrap_or_else(|| decl.table()),
            message,
        )
    }

    /// The key spans of every declaration of a file that parsed before.
    fn key_spans(&self, index: usize) -> HashMap<u32, Spans> {
        let file = &self.files[index];
        let builtin;
        let schema = match &self.schema {
            Some(schema) => schema,
            None => {
                builtin = Schema::builtin();
                &builtin
            }
        };
        let mut errors = Vec::new();
        let mut reader = Reader {
            problems: Problems::new(&file.path, &file.text, &mut errors, schema.locale()),
            schema,
            spans: Some(HashMap::new()),
        };
        if let Ok(table) = DeTable::parse(&file.text) {
            reader.document(index, table.into_inner(), &mut Vec::new());
        }
        reader.spans.unwrap_or_default()
    }
}

/// Parses scanned files with the daemon's own field table
/// ([`Schema::builtin`]): every group they declare, or every problem found.
pub fn parse(files: Scanned) -> Result<Config, Vec<Diagnostic>> {
    parse_with(files, Schema::builtin())
}

/// Parses scanned files with the keys `schema` accepts (the installed
/// plugin's form, [`Schema::from_form`]).
pub fn parse_with(mut files: Scanned, schema: Schema) -> Result<Config, Vec<Diagnostic>> {
    // Files are independent: the second half (by size) is read on a thread
    // of its own, and the halves joined in order, as if read one by one.
    let total: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();
    let mut seen = 0;
    let split = files
        .iter()
        .position(|(_, bytes)| {
            seen += bytes.len();
            seen * 2 > total
        })
        .map_or(files.len(), |at| at + 1);
    let later = files.split_off(split);
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_files(later, &schema));
        let first = read_files(files, &schema);
        // A thread that panicked is a defect of ours: let it show.
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    });
    let mut config = Config::default();
    let mut errors = first.errors;
    errors.extend(second.errors);
    let offset = first.files.len();
    config.files = first.files;
    config.files.extend(second.files);
    config.groups = Vec::with_capacity(first.groups.len() + second.groups.len());
    config.groups.extend(first.groups);
    config
        .groups
        .extend(second.groups.into_iter().map(|mut decl| {
            decl.file += offset;
            decl
        }));
    let locale = schema.locale();
    config.schema = Some(schema);
    errors.extend(declared_twice(&config, locale));
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// Some of the files, read: each file's groups (indexed from the first of
/// these files) and problems.
struct Read {
    files: Vec<SourceFile>,
    groups: Vec<Declaration>,
    errors: Vec<Diagnostic>,
}

fn read_files(files: Scanned, schema: &Schema) -> Read {
    let mut read = Read {
        files: Vec::with_capacity(files.len()),
        groups: Vec::new(),
        errors: Vec::new(),
    };
    for (path, bytes) in files {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = Arc::from(String::from_utf8_lossy(e.as_bytes()));
                read.errors.push(Diagnostic::at(
                    &path,
                    &text,
                    at..at + 1,
                    m::file_not_utf8(schema.locale()),
                ));
                continue;
            }
        };
        let text: Arc<str> = Arc::from(text);
        let index = read.files.len();
        match DeTable::parse(&text) {
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_owned();
                read.errors.push(Diagnostic::at(
                    &path,
                    &text,
                    span,
                    m::file_invalid_toml(schema.locale(), &message),
                ));
            }
            Ok(table) => {
                let mut reader = Reader {
                    problems: Problems::new(&path, &text, &mut read.errors, schema.locale()),
                    schema,
                    spans: None,
                };
                reader.document(index, table.into_inner(), &mut read.groups);
            }
        }
        read.files.push(SourceFile { path, text });
    }
    read
}

fn declared_twice(config: &Config, l: Locale) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, decl) in config.groups.iter().enumerate() {
        if let Some(&first) = seen.get(decl.group.code()) {
            let other = &config.groups[first];
            let at = config.diagnostic(other, "code", "");
            errors.push(
                config
                    .diagnostic(decl, "code", m::file_declared_twice(l, decl.group.code()))
                    .with_help(m::file_also_declared_at(
                        l,
                        &at.file.display().to_string(),
                        at.line,
                        at.column,
                    )),
            );
        } else {
            seen.insert(decl.group.code(), i);
        }
    }
    errors
}
