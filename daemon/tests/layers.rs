//! The daemon's modules import only downward (rust-analyzer's `tidy` tests
//! are the model): every `crate::...` reference in `daemon/src/**/*.rs`
//! (and `daemon::...` in `main.rs`, the binary), and every path through a
//! module's own child modules, is an edge between modules. The test fails
//! on an edge from a lower layer to a higher one, on a cycle among the
//! modules (within a layer, or within one module's files), on a module no
//! layer names, and on a file over [`MAX_LINES`] lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, from the bottom up: a module may use the modules of its own
/// layer (without a cycle) and of the layers below. Declared here only.
const LAYERS: &[&[&str]] = &[
    // Diagnostics and the packed group: what everything else speaks.
    &["diag", "packed"],
    // Reading the directory.
    &["scan"],
    // TOML to declarations.
    &["parse"],
    // Names for the end-to-end tests and the benchmarks.
    &["config"],
    // What a reconcile is asked, what it answers, how it fails.
    &["options", "report", "error"],
    // The daemon's records in the store, and the busy note beside it.
    &["ledger", "busy"],
    &["plan"],
    &["apply"],
    &["reconcile"],
    &["watch"],
    &["cli"],
    // The binary.
    &["main"],
];

/// The most lines a file of `daemon/src` may have.
const MAX_LINES: usize = 800;

#[test]
fn modules_import_only_downward_and_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = read_tree(&src);
    let problems = check(&files, LAYERS);
    assert!(
        problems.is_empty(),
        "the daemon's layers are broken:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_check_finds_an_upward_import_a_cycle_and_an_unknown_module() {
    let layers: &[&[&str]] = &[&["low"], &["mid", "side"], &["high"]];
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_owned());
    let files = vec![
        file(
            "lib.rs",
            "pub mod low;\npub mod mid;\npub mod side;\npub mod high;\n",
        ),
        file("low.rs", "use crate::high::Thing;\n"),
        file("mid.rs", "pub fn f() { crate::side::g() }\n"),
        file(
            "side.rs",
            "use crate::{low, mid::f};\nuse super::sibling;\n// crate::high::ignored in a comment\n",
        ),
        file("high.rs", "use crate::low;\nuse crate::nowhere::X;\n"),
        file("high/child.rs", "use crate::high::y;\n"),
        file("odd.rs", "use super::sibling;\n"),
    ];
    let problems = check(&files, layers);
    let has = |part: &str| problems.iter().any(|p| p.contains(part));
    assert!(has("`low` uses `high`"), "{problems:#?}");
    assert!(has("cycle") && has("mid") && has("side"), "{problems:#?}");
    assert!(has("`odd` is in no layer"), "{problems:#?}");
    assert!(has("`super::`"), "{problems:#?}");
    assert!(!has("ignored"), "{problems:#?}");
    assert!(
        !problems.iter().any(|p| p.contains("`high` uses")),
        "{problems:#?}"
    );
}

/// Every `.rs` file under `src`: (path relative to it, text).
fn read_tree(src: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read file");
                let relative = path.strip_prefix(src).expect("under src").to_owned();
                out.push((relative, text));
            }
        }
    }
    out.sort();
    out
}

/// A module's path from the crate root: `plan/pending.rs` is
/// `["plan", "pending"]`, `plan/mod.rs` `["plan"]`, `lib.rs` `[]`.
fn module_of(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = path
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib") {
        parts.push(stem.to_owned());
    }
    parts
}

/// The problems with `files` (paths relative to `src`) under `layers`.
fn check(files: &[(PathBuf, String)], layers: &[&[&str]]) -> Vec<String> {
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, layer)| layer.iter().map(move |m| (*m, i)))
        .collect();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(p, _)| module_of(p)).collect();
    let mut problems = Vec::new();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, text) in files {
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "{} has {lines} lines (at most {MAX_LINES}): split it by job",
                path.display()
            ));
        }
        let from = module_of(path);
        let Some(top) = from.first() else {
            continue; // lib.rs only declares the modules
        };
        if !rank.contains_key(top.as_str()) {
            problems.push(format!("module `{top}` is in no layer of LAYERS"));
            continue;
        }
        let code = strip_comments(text);
        for line in code.lines() {
            let trimmed = line.trim();
            if trimmed.contains("super::") && trimmed != "use super::*;" {
                problems.push(format!(
                    "{}: `super::` (use a `crate::` path): {trimmed}",
                    path.display()
                ));
            }
        }
        // `main.rs` is the binary: the library is `daemon::` there.
        let root = if from == ["main"] {
            "daemon::"
        } else {
            "crate::"
        };
        let mut paths = crate_paths(&code, root);
        // Paths through the module's own children (`mod x;` ... `x::y`).
        for child in children(&code) {
            for path in relative_paths(&code, &child) {
                let mut full = from.clone();
                full.extend(path);
                paths.push(full);
            }
        }
        for target in paths {
            // The longest prefix that is a module of the crate.
            let Some(to) = (1..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|m| modules.contains(m))
            else {
                problems.push(format!(
                    "{}: `{}` is no module of the crate",
                    path.display(),
                    target.join("::")
                ));
                continue;
            };
            if to == from {
                continue;
            }
            let (a, b) = (top.as_str(), to[0].as_str());
            match (rank.get(a), rank.get(b)) {
                (Some(ra), Some(rb)) if rb > ra => problems.push(format!(
                    "`{a}` uses `{b}`, which is in a higher layer ({}: {})",
                    path.display(),
                    to.join("::")
                )),
                (_, None) => problems.push(format!("module `{b}` is in no layer of LAYERS")),
                _ => {}
            }
            edges.entry(from.clone()).or_default().insert(to);
        }
    }
    for cycle in cycles(&edges) {
        let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
        problems.push(format!("modules in an import cycle: {}", names.join(", ")));
    }
    for name in rank.keys() {
        if !modules.iter().any(|m| m.first().is_some_and(|t| t == name)) {
            problems.push(format!("LAYERS names `{name}`, which is no module"));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// `text` without comments (line comments, doc comments, block comments),
/// strings kept as they are.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            if c == '"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match (c, next) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            ('"', _) => {
                in_string = true;
                out.push(c);
                i += 1;
            }
            // A char literal holding a quote, '"', is not a string.
            ('\'', Some('"')) => {
                out.push_str("'\"");
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Whether `c` may be part of an identifier.
fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path named after `root` (`crate::` or `daemon::`), use trees
/// expanded: `crate::{a, b::{c, d}}` is `a`, `b::c`, `b::d`.
fn crate_paths(code: &str, root: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(root) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + root.len()..];
        rest = after;
        if before.is_some_and(|c| ident_char(c) || c == ':') {
            continue;
        }
        tree(after, Vec::new(), &mut out);
    }
    out
}

/// Reads a use tree (or a plain path) at the start of `text` under
/// `prefix`, adding each full path to `out`.
fn tree(text: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let text_trimmed = text.trim_start();
    let skipped = text.len() - text_trimmed.len();
    if let Some(inner) = text_trimmed.strip_prefix('{') {
        let mut used = 1;
        let mut body = inner;
        loop {
            let n = tree(body, prefix.clone(), out);
            used += n;
            body = &body[n..];
            let t = body.trim_start();
            used += body.len() - t.len();
            body = t;
            if let Some(b) = body.strip_prefix(',') {
                used += 1;
                body = b;
                continue;
            }
            if let Some(b) = body.strip_prefix('}') {
                used += 1;
                let _ = b;
            }
            break;
        }
        return skipped + used;
    }
    let mut path = prefix;
    let mut used = skipped;
    let mut t = text_trimmed;
    loop {
        let len = t.find(|c: char| !ident_char(c)).unwrap_or(t.len());
        if len == 0 {
            break;
        }
        let segment = &t[..len];
        used += len;
        t = &t[len..];
        if segment != "self" {
            path.push(segment.to_owned());
        }
        if let Some(after) = t.strip_prefix("::") {
            used += 2;
            t = after;
            if t.starts_with('{') {
                return used + tree(t, path, out);
            }
            if let Some(after) = t.strip_prefix('*') {
                let _ = after;
                used += 1;
                break;
            }
            continue;
        }
        break;
    }
    if !path.is_empty() {
        out.push(path);
    }
    used
}

/// The child modules a file declares (`mod x;`, `pub mod x;`).
fn children(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_owned())
        })
        .collect()
}

/// The paths starting with `child::` (not after `::`, not part of a longer
/// identifier).
fn relative_paths(code: &str, child: &str) -> Vec<Vec<String>> {
    let needle = format!("{child}::");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + needle.len()..];
        rest = after;
        if before.is_some_and(|c| ident_char(c) || c == ':') {
            continue;
        }
        let mut paths = Vec::new();
        tree(after, vec![child.to_owned()], &mut paths);
        out.extend(paths);
    }
    out
}

/// The cycles of `edges` (one per strongly connected component of more
/// than one module).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    // Tarjan's algorithm.
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[w].min(s.low[v]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.index[w].min(s.low[v]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    let all: BTreeSet<&Vec<String>> = edges
        .iter()
        .flat_map(|(from, to)| std::iter::once(from).chain(to))
        .collect();
    for v in all {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.out
}
