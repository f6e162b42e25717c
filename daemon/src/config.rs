//! The configuration: every `*.toml` file under a directory, each declaring
//! customer groups as `[[group]]` tables whose keys are the form's field
//! names. Parsing keeps the position of every key, so any problem (a syntax
//! error, an unknown key, or an issue the plugin finds later) points at the
//! file, line and column it comes from.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use host_harness::units;
use host_harness::wit::{
    CustomerGroup, DueTerms, PaymentDiscountRule, PeriodUnit, PointsRule, ProductGiftRule,
    PromptDiscount, SalesDiscountRule,
};
use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, did_you_mean};
use crate::packed::PackedGroup;

/// The largest configuration file read (a bigger one is refused).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A source file, kept to point into it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path, relative to the configuration directory.
    pub path: PathBuf,
    /// Its text (shared with the diagnostics that point into it).
    pub text: Arc<str>,
}

/// One group declared in a file.
#[derive(Clone, Debug)]
pub struct Declaration {
    /// The file (index into [`Config::files`]).
    pub file: usize,
    /// The group as declared (not yet normalised: the plugin does that).
    pub group: PackedGroup,
    /// Whether the file takes over a group the host already has.
    pub adopt: bool,
    /// Digest of the declaration as written (its values, and whether it
    /// adopts): equal digests need no new validation.
    pub digest: [u8; 32],
    /// Byte span of the whole table in its file.
    table: (u32, u32),
}

impl Declaration {
    /// Byte span of the whole table in its file.
    pub fn table(&self) -> Range<usize> {
        self.table.0 as usize..self.table.1 as usize
    }
}

/// Where each key of a declaration is (`code`,
/// `sales-discount-rules[2].percent`, ...). Only diagnostics need them, so
/// they are not kept for every declaration: a file is read again for them
/// when its first diagnostic is made.
#[derive(Clone, Debug, Default)]
struct Spans(Vec<(Cow<'static, str>, Range<usize>)>);

impl Spans {
    /// The span of `field`, or of the nearest thing that exists: the table
    /// (`sales-discount-rules[2]`), the key (`sales-discount-rules`), the code.
    fn of(&self, field: &str) -> Option<Range<usize>> {
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

/// Everything declared under a directory.
#[derive(Debug, Default)]
pub struct Config {
    /// The files, sorted by path.
    pub files: Vec<SourceFile>,
    /// The groups, in file order.
    pub groups: Vec<Declaration>,
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
                .or_insert_with(|| key_spans(decl.file, file))
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
}

/// The key spans of every declaration of a file that parsed before.
fn key_spans(index: usize, file: &SourceFile) -> HashMap<u32, Spans> {
    let mut errors = Vec::new();
    let mut reader = Reader {
        path: &file.path,
        text: &file.text,
        errors: &mut errors,
        spans: Some(HashMap::new()),
    };
    if let Ok(table) = DeTable::parse(&file.text) {
        reader.document(index, table.into_inner(), &mut Vec::new());
    }
    reader.spans.unwrap_or_default()
}

/// The files read by [`scan`]: (path relative to the directory, bytes).
pub type Scanned = Vec<(PathBuf, Vec<u8>)>;

/// The `*.toml` files under `dir`, sorted, with a digest of their paths and
/// contents: equal digests mean nothing changed.
pub fn scan(dir: &Path) -> Result<(Scanned, String), Vec<Diagnostic>> {
    let root = dir.canonicalize().map_err(|e| {
        vec![Diagnostic::file(
            dir,
            format!("cannot open the configuration directory: {e}"),
        )]
    })?;
    let mut found = Vec::new();
    let mut errors = Vec::new();
    // Each directory is read once: a symbolic link back up the tree (or to a
    // directory read under another name) would read its files again.
    let mut dirs = HashMap::from([(
        root.clone(),
        "the configuration directory itself".to_owned(),
    )]);
    let mut stack = vec![root.clone()];
    while let Some(current) = stack.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(Diagnostic::file(
                    &current,
                    format!("cannot read directory: {e}"),
                ));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue; // editors' swap and temporary files
            }
            let Ok(real) = path.canonicalize() else {
                continue; // a dangling link, or a file renamed away meanwhile
            };
            let relative = path.strip_prefix(&root).unwrap_or(&path).to_owned();
            if !real.starts_with(&root) {
                // The link's own name decides whether it would be read.
                if real.is_dir() || path.extension().is_some_and(|e| e == "toml") {
                    errors.push(Diagnostic::file(
                        &relative,
                        "a symbolic link leads outside the configuration directory; refused",
                    ));
                }
                continue;
            }
            if real.is_dir() {
                match dirs.entry(real) {
                    Entry::Occupied(first) => errors.push(Diagnostic::file(
                        &relative,
                        format!(
                            "the same directory as {}, already read (through a symbolic link); refused",
                            first.get()
                        ),
                    )),
                    Entry::Vacant(slot) => {
                        slot.insert(format!("`{}`", relative.display()));
                        stack.push(path);
                    }
                }
            } else if path.extension().is_some_and(|e| e == "toml") {
                match std::fs::metadata(&real) {
                    // A named pipe would block the read forever, a device
                    // never end.
                    Ok(meta) if !meta.is_file() => errors.push(Diagnostic::file(
                        &relative,
                        "not a regular file (a named pipe or a device?); refused",
                    )),
                    Ok(meta) if meta.len() > MAX_FILE_BYTES => errors.push(Diagnostic::file(
                        &relative,
                        format!(
                            "the file has {} bytes; at most {MAX_FILE_BYTES} are read",
                            meta.len()
                        ),
                    )),
                    // Bounded again while reading: the file may have been
                    // swapped since it was looked at.
                    _ => match read_at_most(&real, MAX_FILE_BYTES) {
                        Ok(Some(bytes)) => found.push((relative, bytes)),
                        Ok(None) => errors.push(Diagnostic::file(
                            &relative,
                            format!("the file has over {MAX_FILE_BYTES} bytes; at most that many are read"),
                        )),
                        Err(e) => {
                            errors.push(Diagnostic::file(&relative, format!("cannot read: {e}")))
                        }
                    },
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut digest = Sha256::new();
    for (path, bytes) in &found {
        digest.update(path.to_string_lossy().as_bytes());
        digest.update([0]);
        digest.update((bytes.len() as u64).to_le_bytes());
        digest.update(bytes);
    }
    let hex = digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((found, hex))
}

/// The file's bytes, or `None` when it holds more than `limit`.
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Parses scanned files: every group they declare, or every problem found.
pub fn parse(files: Scanned) -> Result<Config, Vec<Diagnostic>> {
    let mut config = Config::default();
    let mut errors = Vec::new();
    for (path, bytes) in files {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = Arc::from(String::from_utf8_lossy(e.as_bytes()));
                errors.push(Diagnostic::at(
                    &path,
                    &text,
                    at..at + 1,
                    "the file is not valid UTF-8",
                ));
                continue;
            }
        };
        let text: Arc<str> = Arc::from(text);
        let index = config.files.len();
        match DeTable::parse(&text) {
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_owned();
                errors.push(Diagnostic::at(
                    &path,
                    &text,
                    span,
                    format!("invalid TOML: {message}"),
                ));
            }
            Ok(table) => {
                let mut reader = Reader {
                    path: &path,
                    text: &text,
                    errors: &mut errors,
                    spans: None,
                };
                reader.document(index, table.into_inner(), &mut config.groups);
            }
        }
        config.files.push(SourceFile { path, text });
    }
    // The same code declared twice (exactly as written; the plugin finds the rest).
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, decl) in config.groups.iter().enumerate() {
        if let Some(&first) = seen.get(decl.group.code()) {
            let other = &config.groups[first];
            let at = config.diagnostic(other, "code", "");
            errors.push(
                config
                    .diagnostic(
                        decl,
                        "code",
                        format!("group {} is declared twice", decl.group.code()),
                    )
                    .with_help(format!(
                        "it is also declared at {}:{}:{}; keep one",
                        at.file.display(),
                        at.line,
                        at.column
                    )),
            );
        } else {
            seen.insert(decl.group.code(), i);
        }
    }
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// The keys a `[[group]]` table may hold, as the form names them.
pub const GROUP_KEYS: &[&str] = &[
    "code",
    "name",
    "parent",
    "is-group",
    "inactive",
    "adopt",
    "currency",
    "receivable-account",
    "discount-account",
    "sales-discount-account",
    "reward-expense-account",
    "write-off-account",
    "bank-account",
    "price-list",
    "price-code",
    "payment-terms",
    "credit-limit",
    "shared-credit-limit",
    "due-count",
    "due-unit",
    "due-day",
    "statement-count",
    "statement-aging",
    "tax-regime",
    "gst-override",
    "peppol-eas",
    "payment-discount",
    "discount-count",
    "discount-unit",
    "discount-day",
    "sales-discount-rules",
    "payment-discount-rules",
    "product-gift-rules",
    "points-rules",
];

type Value<'i> = Spanned<DeValue<'i>>;

struct Reader<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    errors: &'a mut Vec<Diagnostic>,
    /// Where to keep every declaration's key spans, when wanted.
    spans: Option<HashMap<u32, Spans>>,
}

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.path, self.text, span, message)
    }

    fn push(&mut self, span: Range<usize>, message: impl Into<String>, help: Option<String>) {
        let mut d = self.error(span, message);
        d.help = help;
        self.errors.push(d);
    }

    fn unknown_key(&mut self, key: &Spanned<Cow<'_, str>>, allowed: &[&str], what: &str) {
        let name = key.get_ref();
        let help = match did_you_mean(name, allowed) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("{what} keys are: {}", allowed.join(", ")),
        };
        self.push(key.span(), format!("unknown key `{name}`"), Some(help));
    }

    fn document(&mut self, file: usize, table: DeTable<'_>, out: &mut Vec<Declaration>) {
        for (key, value) in table {
            if key.get_ref() != "group" {
                self.unknown_key(&key, &["group"], "top-level");
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
                            _ => self.push(
                                span,
                                "each group must be a table",
                                Some("write [[group]] sections".into()),
                            ),
                        }
                    }
                }
                _ => self.push(
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
        let mut group = CustomerGroup::new("", "");
        let mut spans = Vec::new();
        let mut adopt = false;
        let mut has = (false, false);
        let (mut due, mut discount) = (Period::default(), Period::default());
        let mut payment_discount = None;
        for (key, value) in table {
            let Some(&name) = GROUP_KEYS.iter().find(|k| **k == key.get_ref().as_ref()) else {
                self.unknown_key(&key, GROUP_KEYS, "group");
                continue;
            };
            // A problem with a key's value points at the value.
            spans.push((Cow::Borrowed(name), value.span()));
            let s = &mut group.settings;
            match name {
                "code" => {
                    has.0 = true;
                    group.code = self.string(&value).unwrap_or_default();
                }
                "name" => {
                    has.1 = true;
                    group.name = self.string(&value).unwrap_or_default();
                }
                "parent" => group.parent = self.string(&value),
                "is-group" => group.is_group = self.boolean(&value).unwrap_or(false),
                "inactive" => group.inactive = self.boolean(&value).unwrap_or(false),
                "adopt" => adopt = self.boolean(&value).unwrap_or(false),
                "currency" => s.currency = self.string(&value),
                "receivable-account" => s.receivable_account = self.string(&value),
                "discount-account" => s.discount_account = self.string(&value),
                "sales-discount-account" => s.sales_discount_account = self.string(&value),
                "reward-expense-account" => s.reward_expense_account = self.string(&value),
                "write-off-account" => s.write_off_account = self.string(&value),
                "bank-account" => s.bank_account = self.string(&value),
                "price-list" => s.price_list = self.string(&value),
                "price-code" => s.price_code = self.string(&value),
                "payment-terms" => s.payment_terms = self.string(&value),
                "credit-limit" => s.credit_limit = self.money(&value),
                "shared-credit-limit" => s.shared_credit_limit = self.money(&value),
                "due-count" => due.count = self.integer(&value),
                "due-unit" => due.unit = self.unit(&value),
                "due-day" => due.day = self.integer(&value),
                "statement-count" => s.statement_count = self.integer(&value),
                "statement-aging" => s.statement_aging = self.unit(&value),
                "tax-regime" => s.tax_regime = self.string(&value),
                "gst-override" => s.gst_override = self.string(&value),
                "peppol-eas" => s.peppol_eas = self.string(&value),
                "payment-discount" => payment_discount = self.percent(&value),
                "discount-count" => discount.count = self.integer(&value),
                "discount-unit" => discount.unit = self.unit(&value),
                "discount-day" => discount.day = self.integer(&value),
                "sales-discount-rules" => {
                    s.sales_discount_rules =
                        self.rows(name, value, &mut spans, &SALES_DISCOUNT, |r| {
                            Some(SalesDiscountRule {
                                valid_from: r.date("valid-from")?,
                                valid_to: r.optional_date("valid-to"),
                                min_amount: r.money("min-amount")?,
                                percent: r.percent("percent")?,
                            })
                        })
                }
                "payment-discount-rules" => {
                    s.payment_discount_rules =
                        self.rows(name, value, &mut spans, &PAYMENT_DISCOUNT, |r| {
                            Some(PaymentDiscountRule {
                                valid_from: r.date("valid-from")?,
                                valid_to: r.optional_date("valid-to"),
                                within_days: r.integer("within-days")?,
                                percent: r.percent("percent")?,
                            })
                        })
                }
                "product-gift-rules" => {
                    s.product_gift_rules = self.rows(name, value, &mut spans, &PRODUCT_GIFT, |r| {
                        Some(ProductGiftRule {
                            valid_from: r.date("valid-from")?,
                            valid_to: r.optional_date("valid-to"),
                            min_amount: r.money("min-amount")?,
                            product: r.string("product")?,
                            quantity: r.integer("quantity")?,
                        })
                    })
                }
                "points-rules" => {
                    s.points_rules = self.rows(name, value, &mut spans, &POINTS, |r| {
                        Some(PointsRule {
                            valid_from: r.date("valid-from")?,
                            valid_to: r.optional_date("valid-to"),
                            min_amount: r.money("min-amount")?,
                            amount_per_point: r.money("amount-per-point")?,
                        })
                    })
                }
                _ => {}
            }
        }
        if !has.0 {
            self.push(
                span.clone(),
                "this group has no `code`",
                Some("add code = \"...\"".into()),
            );
        }
        if !has.1 {
            self.push(
                span.clone(),
                "this group has no `name`",
                Some("add name = \"...\"".into()),
            );
        }
        group.settings.due_terms = due.terms();
        group.settings.prompt_payment_discount = match (payment_discount, discount.terms()) {
            (None, None) => None,
            (percent, within) => Some(PromptDiscount {
                percent: percent.unwrap_or(0),
                within: within.unwrap_or(DueTerms {
                    count: 0,
                    unit: PeriodUnit::Days,
                    day: None,
                }),
            }),
        };
        // Kept even with errors (the file is refused anyway), so that a code
        // declared twice is still reported.

        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let table = (clamp(span.start), clamp(span.end));
        if let Some(kept) = &mut self.spans {
            kept.insert(table.0, Spans(spans));
        }
        let group = PackedGroup::new(&group);
        let mut digest = Sha256::new();
        digest.update(group.bytes());
        digest.update([u8::from(adopt)]);
        has.0.then(|| Declaration {
            file,
            group,
            adopt,
            digest: digest.finalize().into(),
            table,
        })
    }

    fn string(&mut self, value: &Value<'_>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.push(
                    value.span(),
                    format!("expected a string, found {}", kind(other)),
                    None,
                );
                None
            }
        }
    }

    fn boolean(&mut self, value: &Value<'_>) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.push(
                    value.span(),
                    format!("expected true or false, found {}", kind(other)),
                    None,
                );
                None
            }
        }
    }

    fn integer<T: TryFrom<i64>>(&mut self, value: &Value<'_>) -> Option<T> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => {
                i.as_str().replace('_', "").parse::<i64>().ok()
            }
            other => {
                self.push(
                    value.span(),
                    format!("expected a whole number, found {}", kind(other)),
                    None,
                );
                return None;
            }
        };
        match parsed.and_then(|n| T::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                self.push(value.span(), "the number is out of range", None);
                None
            }
        }
    }

    /// An exact decimal: a string, an integer, or a TOML float read from its
    /// source text (never through `f64`).
    fn decimal<'v>(&mut self, value: &'v Value<'_>) -> Option<Cow<'v, str>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Cow::Borrowed(s.as_ref())),
            DeValue::Integer(i) if i.radix() == 10 => Some(Cow::Borrowed(i.as_str())),
            DeValue::Float(f) => Some(Cow::Borrowed(f.as_str())),
            other => {
                self.push(
                    value.span(),
                    format!("expected a number, found {}", kind(other)),
                    None,
                );
                None
            }
        }
    }

    fn money(&mut self, value: &Value<'_>) -> Option<i64> {
        let text = self.decimal(value)?.into_owned();
        match units::parse_money(&text) {
            Ok(minor) => Some(minor),
            Err(e) => {
                self.push(value.span(), e.to_string(), None);
                None
            }
        }
    }

    fn percent(&mut self, value: &Value<'_>) -> Option<u32> {
        let text = self.decimal(value)?.into_owned();
        match units::parse_percent(&text) {
            Ok(bp) => Some(bp),
            Err(e) => {
                self.push(value.span(), e.to_string(), None);
                None
            }
        }
    }

    fn unit(&mut self, value: &Value<'_>) -> Option<PeriodUnit> {
        let text = self.string(value)?;
        let unit = PeriodUnit::parse(text.trim());
        if unit.is_none() {
            self.push(
                value.span(),
                format!("{text:?} is not a unit"),
                Some("use days, weeks or months".into()),
            );
        }
        unit
    }

    fn date(&mut self, value: &Value<'_>) -> Option<String> {
        match value.get_ref() {
            DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => Some(d.to_string()),
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.push(
                    value.span(),
                    format!("expected a date (2026-01-31), found {}", kind(other)),
                    None,
                );
                None
            }
        }
    }

    /// A rule table: an array of inline tables with `columns`.
    fn rows<T>(
        &mut self,
        table: &str,
        value: Value<'_>,
        spans: &mut Vec<(Cow<'static, str>, Range<usize>)>,
        columns: &[&str],
        build: impl Fn(&mut Row<'_, '_, '_>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let span = value.span();
        let DeValue::Array(items) = value.into_inner() else {
            self.push(
                span,
                format!("`{table}` must be an array of tables"),
                Some(format!("e.g. {table} = [ {{ {} = ... }} ]", columns[0])),
            );
            return None;
        };
        let mut rows = Vec::new();
        let mut ok = true;
        for (i, item) in items.into_iter().enumerate() {
            let at = format!("{table}[{}]", i + 1);
            let span = item.span();
            spans.push((Cow::Owned(at.clone()), span.clone()));
            let DeValue::Table(cells) = item.into_inner() else {
                self.push(
                    span,
                    format!("row {} of `{table}` must be a table", i + 1),
                    None,
                );
                ok = false;
                continue;
            };
            let mut present = BTreeMap::new();
            for (key, cell) in cells {
                if !columns.contains(&key.get_ref().as_ref()) {
                    self.unknown_key(&key, columns, &format!("`{table}` row"));
                    ok = false;
                    continue;
                }
                spans.push((Cow::Owned(format!("{at}.{}", key.get_ref())), cell.span()));
                present.insert(key.get_ref().to_string(), cell);
            }
            let errors_before = self.errors.len();
            let mut row = Row {
                reader: self,
                cells: &present,
                span: span.clone(),
                table,
            };
            match build(&mut row) {
                Some(rule) if self.errors.len() == errors_before => rows.push(rule),
                _ => ok = false,
            }
        }
        ok.then_some(rows)
    }
}

const SALES_DISCOUNT: [&str; 4] = ["valid-from", "valid-to", "min-amount", "percent"];
const PAYMENT_DISCOUNT: [&str; 4] = ["valid-from", "valid-to", "within-days", "percent"];
const PRODUCT_GIFT: [&str; 5] = [
    "valid-from",
    "valid-to",
    "min-amount",
    "product",
    "quantity",
];
const POINTS: [&str; 4] = ["valid-from", "valid-to", "min-amount", "amount-per-point"];

/// One row of a rule table being read.
struct Row<'r, 'a, 'i> {
    reader: &'r mut Reader<'a>,
    cells: &'r BTreeMap<String, Value<'i>>,
    span: Range<usize>,
    table: &'r str,
}

impl<'i> Row<'_, '_, 'i> {
    fn cell(&mut self, column: &str) -> Option<Value<'i>> {
        let cell = self.cells.get(column).cloned();
        if cell.is_none() {
            let table = self.table;
            self.reader.push(
                self.span.clone(),
                format!("this `{table}` row has no `{column}`"),
                None,
            );
        }
        cell
    }

    fn date(&mut self, column: &str) -> Option<String> {
        let cell = self.cell(column)?;
        self.reader.date(&cell)
    }

    fn optional_date(&mut self, column: &str) -> Option<String> {
        let cell = self.cells.get(column)?.clone();
        self.reader.date(&cell)
    }

    fn money(&mut self, column: &str) -> Option<i64> {
        let cell = self.cell(column)?;
        self.reader.money(&cell)
    }

    fn percent(&mut self, column: &str) -> Option<u32> {
        let cell = self.cell(column)?;
        self.reader.percent(&cell)
    }

    fn integer<T: TryFrom<i64>>(&mut self, column: &str) -> Option<T> {
        let cell = self.cell(column)?;
        self.reader.integer(&cell)
    }

    fn string(&mut self, column: &str) -> Option<String> {
        let cell = self.cell(column)?;
        self.reader.string(&cell)
    }
}

/// A period being read from separate keys (count, unit, day).
#[derive(Default)]
struct Period {
    count: Option<u32>,
    unit: Option<PeriodUnit>,
    day: Option<u8>,
}

impl Period {
    fn terms(&self) -> Option<DueTerms> {
        if self.count.is_none() && self.unit.is_none() && self.day.is_none() {
            return None;
        }
        Some(DueTerms {
            count: self.count.unwrap_or(0),
            unit: self.unit.unwrap_or(PeriodUnit::Days),
            day: self.day,
        })
    }
}

fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}
