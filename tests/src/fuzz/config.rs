//! The daemon's configuration parser and planner: arbitrary TOML files
//! through scan, parse, plan and apply against a real store, over up to three
//! rounds (the files changing between them, the host editing or deleting
//! groups the daemon owns meanwhile).
//!
//! The input's first byte holds the options: bit 0 `--prune`, bit 1
//! `--drift restore`, bit 2 `--force`, bit 3 rename an owned group in the host
//! between rounds, bit 4 the rest is a recipe for generated files (else it is
//! the files themselves), bit 5 delete an owned group in the host between
//! rounds, bits 6-7 `--max-removal` 50, 0, 100 or 20. As files, the rest is
//! split into rounds at byte 0x1e and each round into files at byte 0x1f
//! (neither may appear in TOML).

use std::path::Path;

use daemon::config::GROUP_KEYS;
use daemon::reconcile::{self, DriftMode, Options, Report, Step};
use host_harness::AdminError;
use host_harness::fields::{self, Column, Field, Shape};

use super::input::{CODES, Gen, NAMES, REFERENCES, fitting};
use super::{Fresh, Template, check_tree, dump, fresh, fuzz_actor, groups_state, trace};

/// At most this many rounds, files per round and groups per file.
const ROUNDS: usize = 3;
const FILES: usize = 4;

/// Invariants:
///
/// - scan, parse, plan and apply never panic, and never fail with a store or
///   plugin error on a healthy store;
/// - a dry run writes nothing; it finds errors exactly when the real run does
///   and plans the same steps;
/// - a refused, unchanged or failed reconcile leaves the groups and the
///   ownership ledger exactly as they were;
/// - an applied reconcile leaves each group it created, updated or
///   deactivated as planned, each group it deleted gone, and the tree well
///   formed;
/// - applying is stable: planning the same declarations again (the files
///   touched, so nothing is skipped by digest) finds nothing to do.
pub fn config(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let rounds = if flags & 0x10 != 0 {
        generate(rest)
    } else {
        rest.split(|&b| b == 0x1e)
            .take(ROUNDS)
            .map(|round| {
                round
                    .split(|&b| b == 0x1f)
                    .take(FILES)
                    .map(<[u8]>::to_vec)
                    .collect()
            })
            .collect()
    };
    let fx = fresh(Template::Bare);
    let dir = fx.root().join("config");
    let options = Options {
        dir: dir.clone(),
        drift: if flags & 0x02 != 0 {
            DriftMode::Restore
        } else {
            DriftMode::Report
        },
        prune: flags & 0x01 != 0,
        max_removal_percent: [50, 0, 100, 20][usize::from(flags >> 6)],
        force: flags & 0x04 != 0,
        locale: "en".into(),
        user: "erp-sync".into(),
    };
    for (i, files) in rounds.iter().enumerate() {
        if i > 0 {
            host_edits(&fx, flags);
        }
        write_files(&dir, files);
        round(&fx, &options, files);
    }
}

/// One reconcile: a dry run, the real one, and the checks.
fn round(fx: &Fresh, options: &Options, files: &[Vec<u8>]) {
    let db = fx.db();
    let state = |db: &host_harness::Db| (groups_state(db), ledger_state(db));
    let before = state(db);
    let dry = reconcile::reconcile(&fx.admin, options, true)
        .unwrap_or_else(|e| panic!("the dry run failed: {e}"));
    assert!(state(db) == before, "a dry run wrote to the store");
    let real = match reconcile::reconcile(&fx.admin, options, false) {
        Ok(report) => report,
        Err(e) => {
            assert!(
                state(db) == before,
                "a failed reconcile left half a state: {e}"
            );
            panic!(
                "the reconcile failed after a clean dry run: {e}\nplanned: {:#?}",
                dry.steps
            );
        }
    };
    for error in &real.errors {
        // Rendered as the daemon prints it: file, line, column, the source
        // line underlined (spans into odd text must not panic).
        let shown = error.to_string();
        assert!(
            shown.starts_with("error: "),
            "a diagnostic renders as {shown:?}"
        );
    }
    assert_eq!(
        dry.errors.is_empty(),
        real.errors.is_empty(),
        "the dry run and the real run disagree on errors\ndry: {:#?}\nreal: {:#?}",
        dry.errors,
        real.errors
    );
    assert_eq!(
        steps(&dry),
        steps(&real),
        "the dry run planned other steps than the real run applied"
    );
    trace!(
        "config: {} ({} steps {:?}, {} errors {:?}, {} drift)",
        real.outcome,
        real.steps.len(),
        steps(&real),
        real.errors.len(),
        real.errors.iter().map(|e| &e.message).collect::<Vec<_>>(),
        real.drift.len()
    );
    if real.outcome != "applied" {
        assert!(
            state(db) == before,
            "a reconcile with outcome {:?} changed the store",
            real.outcome
        );
        return;
    }
    assert!(
        real.errors.is_empty(),
        "applied with errors: {:#?}",
        real.errors
    );
    check_applied(fx, &real);
    check_tree(db, "after an applied reconcile");

    // Stable: the same declarations again (files touched so the directory's
    // digest changes and every declaration is looked at) plan nothing.
    let touched: Vec<Vec<u8>> = files
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.push(b'\n');
            f
        })
        .collect();
    write_files(&options.dir, &touched);
    let again = reconcile::plan(&fx.admin, options)
        .unwrap_or_else(|e| panic!("planning again failed: {e}"));
    // Drift reported and not restored is still there; nothing else is.
    let restored: Vec<String> = steps(&real).into_iter().map(|s| s.1).collect();
    let drift = |r: &Report| -> Vec<String> {
        let mut codes: Vec<String> = r
            .drift
            .iter()
            .map(|d| d.code.clone())
            .filter(|c| !restored.contains(c))
            .collect();
        codes.sort();
        codes
    };
    assert!(
        again.errors.is_empty() && again.steps.is_empty() && drift(&again) == drift(&real),
        "applying is not stable: planning the same files again finds\nerrors: {:#?}\n\
         steps: {:#?}\ndrift: {:#?}\nafter applying: {:#?} (drift {:#?})",
        again.errors,
        steps(&again),
        again.drift,
        steps(&real),
        real.drift
    );
    write_files(&options.dir, files);
}

/// Each applied step's effect is in the store.
fn check_applied(fx: &Fresh, report: &Report) {
    let db = fx.db();
    for step in &report.steps {
        let code = step.code();
        let stored = db.group(code).expect("read a group");
        match step {
            Step::Create { group, .. }
            | Step::Update { group, .. }
            | Step::Deactivate { group, .. } => {
                let expected = group.unpack();
                assert_eq!(
                    stored.map(|r| r.group).as_ref(),
                    Some(&expected),
                    "group {code} is not stored as planned"
                );
            }
            Step::Adopt { .. } => assert!(stored.is_some(), "adopted group {code} is gone"),
            Step::Delete { .. } => assert!(stored.is_none(), "deleted group {code} is still there"),
            Step::Release { .. } => {}
        }
    }
}

/// (action, code) of each step, in order.
fn steps(report: &Report) -> Vec<(&'static str, String)> {
    report
        .steps
        .iter()
        .map(|s| {
            let action = match s {
                Step::Create { .. } => "create",
                Step::Update { .. } => "update",
                Step::Adopt { .. } => "adopt",
                Step::Deactivate { .. } => "deactivate",
                Step::Release { .. } => "release",
                Step::Delete { .. } => "delete",
            };
            (action, s.code().to_owned())
        })
        .collect()
}

fn ledger_state(db: &host_harness::Db) -> Vec<String> {
    dump(
        db,
        "SELECT code, source_file, content_hash, applied_version, removed FROM sync_ledger ORDER BY code",
    )
}

/// Replaces the directory's files with `files` (`f0.toml`, `f1.toml`, ...;
/// every third in a subdirectory).
fn write_files(dir: &Path, files: &[Vec<u8>]) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("clear the configuration directory");
    }
    std::fs::create_dir_all(dir.join("sub")).expect("create the configuration directory");
    for (i, text) in files.iter().enumerate() {
        let path = if i % 3 == 2 {
            dir.join("sub").join(format!("f{i}.toml"))
        } else {
            dir.join(format!("f{i}.toml"))
        };
        std::fs::write(path, text).expect("write a configuration file");
    }
}

/// Between rounds: the host renames (bit 3) or deletes (bit 5) the first
/// group the daemon owns, as an administrator might.
fn host_edits(fx: &Fresh, flags: u8) {
    let owned = dump(
        fx.db(),
        "SELECT code FROM sync_ledger WHERE removed = 0 AND code <> '0000' ORDER BY code LIMIT 1",
    );
    let Some(code) = owned.first().map(|c| c.trim_matches('"').to_owned()) else {
        return;
    };
    let actor = fuzz_actor("en");
    if flags & 0x08 != 0 {
        let renamed = fx.admin.update_group(
            &code,
            |g| g.name = format!("{} (edited)", g.name.chars().take(40).collect::<String>()),
            &actor,
        );
        if let Err(AdminError::Plugin(e)) = renamed {
            panic!("renaming {code}: the plugin failed: {e}");
        }
    }
    if flags & 0x20 != 0
        && let Err(AdminError::Plugin(e)) = fx.admin.delete_group(&code, &actor)
    {
        panic!("deleting {code}: the plugin failed: {e}");
    }
}

/// Files generated from a recipe: up to three rounds of up to four files of
/// up to six `[[group]]` tables, keys and values mostly from pools of what
/// the form accepts and its edge cases, sometimes wrong in type or shape.
/// A later round is mostly the one before with a few edits (a group
/// dropped, moved to another file or added, a key changed, added or
/// removed), so that plans update, deactivate, delete and release.
fn generate(data: &[u8]) -> Vec<Vec<Vec<u8>>> {
    let mut g = Gen::new(data);
    let mut rounds: Vec<Vec<Vec<Table>>> = Vec::new();
    for _ in 0..1 + g.below(ROUNDS) {
        let next = match rounds.last() {
            Some(last) if g.chance(180) => edited(&mut g, last.clone()),
            _ => (0..1 + g.below(FILES))
                .map(|_| (0..g.below(6)).map(|_| table(&mut g)).collect())
                .collect(),
        };
        rounds.push(unique(&mut g, next));
    }
    rounds
        .iter()
        .map(|files| files.iter().map(|tables| render(tables)).collect())
        .collect()
}

/// A round's files without a second valid table for a code already declared
/// (mostly: a code declared twice is an error that hides everything else).
fn unique(g: &mut Gen<'_>, mut files: Vec<Vec<Table>>) -> Vec<Vec<Table>> {
    let mut seen = Vec::new();
    for file in &mut files {
        file.retain(|t| {
            let Some((_, code)) = t.entries.iter().find(|(k, _)| *k == "code") else {
                return true;
            };
            if !t.sane || !seen.contains(code) {
                seen.push(code.clone());
                return true;
            }
            g.maybe(8)
        });
    }
    files
}

/// A `[[group]]` table (or, when not `array`, a `[group]` table): its keys
/// and their values as written.
#[derive(Clone)]
struct Table {
    array: bool,
    sane: bool,
    entries: Vec<(&'static str, String)>,
}

fn render(tables: &[Table]) -> Vec<u8> {
    let mut out = String::new();
    for t in tables {
        out.push_str(if t.array { "[[group]]\n" } else { "[group]\n" });
        for (key, value) in &t.entries {
            out.push_str(&format!("{key} = {value}\n"));
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// A few edits to a round's files.
fn edited(g: &mut Gen<'_>, mut files: Vec<Vec<Table>>) -> Vec<Vec<Table>> {
    for _ in 0..1 + g.below(3) {
        let f = g.below(files.len());
        let n = files.get(f).map_or(0, Vec::len);
        let t = g.below(n);
        match g.below(6) {
            0 if n > 0 => {
                files[f].remove(t);
            }
            1 if n > 0 => {
                let moved = files[f].remove(t);
                let to = g.below(files.len() + 1);
                if to < files.len() {
                    files[to].push(moved);
                } else if files.len() < FILES {
                    files.push(vec![moved]);
                } else {
                    files[f].push(moved);
                }
            }
            2 if n > 0 => {
                let table = &mut files[f][t];
                let keys = keys(table.sane);
                let key = g.pick(keys);
                let value = value(g, key, table.sane);
                match table.entries.iter_mut().find(|(k, _)| *k == key) {
                    Some(entry) => entry.1 = value,
                    None => table.entries.push((key, value)),
                }
            }
            3 if n > 0 => {
                let table = &mut files[f][t];
                if table.entries.len() > 2 {
                    let i = 2 + g.below(table.entries.len() - 2);
                    table.entries.remove(i);
                }
            }
            _ => match files.get_mut(f) {
                Some(file) => file.push(table(g)),
                None => files.push(vec![table(g)]),
            },
        }
    }
    files
}

/// The keys of a group table as the daemon reads them, then misspellings.
static KEYS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut keys = GROUP_KEYS.to_vec();
    keys.extend(["nmae", "is_group"]);
    keys
});

/// Money as written: strings, integers, floats; valid and not.
const MONEY: &[&str] = &[
    "\"0\"",
    "\"1\"",
    "\"0.01\"",
    "\"0.001\"",
    "\"50000000.00\"",
    "\"2000000000.00\"",
    "\"-1\"",
    "\"1e5\"",
    "\"1,000.00\"",
    "\"92233720368547758.07\"",
    "\"92233720368547758.08\"",
    "\"\"",
    "\" 7 \"",
    "0",
    "100",
    "-5",
    "1.5",
    "0.125",
    "1e3",
    "9223372036854775807",
    "inf",
    "nan",
    "true",
];

/// Whole numbers as written.
const INTEGERS: &[&str] = &[
    "0",
    "1",
    "7",
    "12",
    "13",
    "14",
    "20",
    "28",
    "31",
    "32",
    "36",
    "104",
    "999",
    "1000",
    "-1",
    "4294967296",
    "9223372036854775807",
    "1_000",
    "0x10",
    "1.0",
    "\"3\"",
];

/// Percentages as written.
const PERCENT_TEXT: &[&str] = &[
    "2.5",
    "\"2.5\"",
    "0",
    "100",
    "100.01",
    "\"0.001\"",
    "-1",
    "1e2",
    "\"3\"",
    "3",
    "0.01",
];

const UNITS: &[&str] = &["days", "weeks", "months", "years", "", "Days", " months "];

fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c) & 0xffff)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn string_value(g: &mut Gen<'_>, pool: &[&str]) -> String {
    match g.below(16) {
        0 => g.pick(INTEGERS).to_owned(),
        1 => g.raw_text(10),
        _ => quoted(&g.text(pool)),
    }
}

/// A date: a TOML local date or a string, valid mostly when `sane`.
fn date_value(g: &mut Gen<'_>, sane: bool) -> String {
    let date = if sane {
        g.pick(&["2026-01-01", "2026-06-30"]).to_owned()
    } else {
        g.date()
    };
    if g.chance(160) && date.len() == 10 && date.is_ascii() {
        date // a TOML local date when it looks like one
    } else {
        quoted(&date)
    }
}

/// A value for `column` of a rule table's row, by its shape.
fn cell(g: &mut Gen<'_>, column: &Column, sane: bool) -> String {
    match (column.shape, sane) {
        (Shape::Date, true) if !column.required => "2026-12-31".into(),
        (Shape::Date, _) => date_value(g, sane),
        (Shape::Money, true) => g.pick(&["\"1000\"", "\"100000.50\"", "1"]).to_owned(),
        (Shape::Money, false) => g.pick(MONEY).to_owned(),
        (Shape::Percent, true) => g.pick(&["5", "\"2.5\"", "100"]).to_owned(),
        (Shape::Percent, false) => g.pick(PERCENT_TEXT).to_owned(),
        (Shape::Text, true) => quoted(g.pick(&["GIFT-MUG", "GIFT-BAG"])),
        (Shape::Text, false) => string_value(g, REFERENCES),
        (_, true) => g.pick(&["1", "7", "14"]).to_owned(),
        (_, false) => g.pick(INTEGERS).to_owned(),
    }
}

/// A rule table with `columns`: up to three rows, each cell there mostly.
fn rules(g: &mut Gen<'_>, columns: &[Column], sane: bool) -> String {
    if !sane && g.maybe(16) {
        return quoted("none");
    }
    let mut rows = Vec::new();
    for _ in 0..g.below(4) {
        let mut cells = Vec::new();
        for column in columns {
            if (sane && column.required) || g.chance(200) {
                cells.push(format!("{} = {}", column.name, cell(g, column, sane)));
            }
        }
        if !sane && g.maybe(16) {
            cells.push("bogus = 1".into());
        }
        rows.push(format!("{{ {} }}", cells.join(", ")));
    }
    format!("[{}]", rows.join(", "))
}

/// Codes a valid declaration may take: the sample company's and free ones.
const SANE_CODES: &[&str] = &[
    "A", "B", "C", "D", "E", "F", "G", "LOKAL", "L001", "VIP", "EXPO", "EXPORT", "0000",
];

/// A value for `key`, by its field's shape (the host's field table): one
/// the form accepts when `sane`, else mostly from pools of edge cases,
/// sometimes of the wrong type.
fn value(g: &mut Gen<'_>, key: &str, sane: bool) -> String {
    let pick = |g: &mut Gen<'_>, fitting: &[&str], pool: &[&str]| {
        if sane {
            quoted(g.pick(fitting))
        } else {
            string_value(g, pool)
        }
    };
    let number = |g: &mut Gen<'_>, fitting: &[&str], pool: &[&str]| {
        g.pick(if sane { fitting } else { pool }).to_owned()
    };
    let flag = |g: &mut Gen<'_>| number(g, &["true", "false"], &["true", "false", "\"true\"", "1"]);
    match key {
        "name" | "nmae" if sane => return quoted(g.pick(&NAMES[..3])),
        "name" | "nmae" => return quoted(&g.name()),
        "adopt" | "is_group" => return flag(g),
        "code" | "parent" => return pick(g, SANE_CODES, CODES),
        _ => {}
    }
    let Some(field) = fields::find(key) else {
        return string_value(g, REFERENCES);
    };
    match field.shape {
        Shape::Text => {
            let (fitting, pool) = fitting(key);
            // The generator's accounts include the fixtures' extra ones.
            let fitting = match key {
                "receivable-account" => &["1100", "1110"][..],
                "reward-expense-account" => &["6100"],
                k if k.ends_with("-account") && key != "bank-account" => &["5100", "4100", "6200"],
                _ => fitting,
            };
            pick(g, fitting, pool)
        }
        Shape::Flag => flag(g),
        Shape::Money => number(g, &["\"0\"", "\"50000000.00\"", "100", "1.5"], MONEY),
        Shape::Count | Shape::Day => {
            let fitting: &[&str] = match key {
                "due-count" | "discount-count" => &["1", "14", "30"],
                "statement-count" => &["1", "12"],
                _ => &["1", "20", "31"],
            };
            number(g, fitting, INTEGERS)
        }
        Shape::Unit => pick(g, &["days", "weeks", "months"], UNITS),
        Shape::Percent => number(g, &["\"2.5\"", "3", "100"], PERCENT_TEXT),
        Shape::Date => date_value(g, sane),
        Shape::Rows(table) => rules(g, table.columns(), sane),
    }
}

/// The keys a table may get: those of the form when `sane`, else
/// misspellings too.
fn keys(sane: bool) -> &'static [&'static str] {
    if sane { &GROUP_KEYS[2..] } else { &KEYS }
}

/// One `[[group]]` table: a code and a name mostly, a few other keys; most
/// tables hold only values the form accepts (`sane`), so that plans get
/// past validation and reach the store.
fn table(g: &mut Gen<'_>) -> Table {
    let sane = g.chance(220);
    let mut table = Table {
        array: sane || g.chance(240),
        sane,
        entries: Vec::new(),
    };
    for key in ["code", "name"] {
        if sane || g.chance(240) {
            table.entries.push((key, value(g, key, sane)));
        }
    }
    for _ in 0..g.below(5) {
        let key = g.pick(keys(sane));
        // Terms come whole when sane: a count without its unit is an error
        // (a setting of several fields, but its day of the month).
        let field = fields::find(key);
        let parts: Vec<&'static Field> = field
            .and_then(|f| f.setting)
            .map(|s| fields::fields_of(s).collect())
            .unwrap_or_default();
        let bundle: Vec<&'static str> = if sane && parts.len() > 1 {
            parts
                .iter()
                .filter(|f| f.shape != Shape::Day)
                .map(|f| f.name)
                .collect()
        } else {
            vec![key]
        };
        let whole = bundle.len() > 1;
        for key in bundle {
            if table.entries.iter().any(|(k, _)| *k == key) && !g.maybe(8) {
                continue; // a key given twice is a TOML error
            }
            let unit = fields::find(key).is_some_and(|f| f.shape == Shape::Unit);
            let value = if whole && unit {
                quoted("days")
            } else {
                value(g, key, sane)
            };
            table.entries.push((key, value));
        }
    }
    if sane
        && table
            .entries
            .iter()
            .any(|(k, v)| *k == "code" && v == "\"0000\"")
    {
        // The default group exists in every host: a file takes it over.
        table.entries.retain(|(k, _)| *k != "adopt");
        table.entries.push(("adopt", "true".into()));
    }
    table
}
