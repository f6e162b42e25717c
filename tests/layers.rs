//! Each crate's modules import only downward (in the manner of
//! rust-analyzer's `tidy` tests: a test that reads the sources).
//!
//! Each crate declares its layer order once, in the `# Layers` section of
//! its `src/lib.rs` docs. This test reads it, reads every `src/**/*.rs`
//! (but a binary's `main.rs`)
//! (comments, strings and character literals removed, tests included),
//! resolves every path through `crate::`, `$crate::`, `self::`, `super::`
//! and to a child module, and fails when a module reaches a module of its own
//! layer or of a higher one, when the modules import each other in a cycle,
//! or when the list and the files disagree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crate root's name in the layer list.
const ROOT: &str = "lib";

/// The crates held to their layers, as folders of the workspace.
const CRATES: &[&str] = &["plugin", "host-harness", "daemon"];

#[test]
fn modules_import_only_from_lower_layers_and_never_in_a_cycle() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace");
    let mut problems = Vec::new();
    for krate in CRATES {
        let src = workspace.join(krate).join("src");
        let lib = std::fs::read_to_string(src.join("lib.rs")).expect("read lib.rs");
        let layers = declared_layers(&lib);
        let files = module_files(&src);
        let mut found = declared_and_existing(&layers, &files);
        let edges = edges(&files, &layers);
        assert!(
            edges.len() > layers.len() / 2,
            "{krate}: the scanner found {} imports: it is broken, not the layers",
            edges.len()
        );
        found.extend(cycles(&edges));
        for edge in &edges {
            let (from, to) = (layers[&edge.from], layers[&edge.to]);
            if to >= from {
                let way = if to == from { "its own" } else { "a higher" };
                found.push(format!(
                    "{}:{}: `{}` (layer {from}) imports `{}`, of {way} layer ({to})",
                    edge.file, edge.line, edge.from, edge.to
                ));
            }
        }
        problems.extend(found.into_iter().map(|p| format!("{krate}/src/{p}")));
    }
    assert!(
        problems.is_empty(),
        "the layers of a crate's src/lib.rs are broken:\n{}",
        problems.join("\n")
    );
}

/// A source file past this many lines of code (its unit tests not counted)
/// almost always does more than one job.
const MAX_LINES: usize = 800;

/// Files still over [`MAX_LINES`], each waiting to be split (issue 12). A
/// file leaves this list when it is split; the test fails until it does.
const STILL_TO_SPLIT: &[&str] = &[];

#[test]
fn no_source_file_is_over_800_lines_of_code() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace");
    let mut long = BTreeSet::new();
    for krate in CRATES {
        let src = workspace.join(krate).join("src");
        for file in module_files(&src) {
            let code = file
                .text
                .lines()
                .take_while(|line| !line.starts_with("#[cfg(test)]"))
                .count();
            if code > MAX_LINES && !file.name.ends_with("tests.rs") {
                long.insert((format!("{krate}/src/{}", file.name), code));
            }
        }
    }
    let names: BTreeSet<&str> = long.iter().map(|(name, _)| name.as_str()).collect();
    let listed: BTreeSet<&str> = STILL_TO_SPLIT.iter().copied().collect();
    let new: Vec<String> = long
        .iter()
        .filter(|(name, _)| !listed.contains(name.as_str()))
        .map(|(name, lines)| format!("{name}: {lines} lines of code (at most {MAX_LINES})"))
        .collect();
    let split: Vec<&&str> = listed.difference(&names).collect();
    assert!(
        new.is_empty() && split.is_empty(),
        "over {MAX_LINES} lines of code:\n{}\nno longer over (remove from STILL_TO_SPLIT): {split:?}",
        new.join("\n")
    );
}

/// The scanner sees paths, not text: not in comments or strings, and through
/// use trees, `super` and inline modules.
#[test]
fn the_scanner_reads_paths_not_text() {
    let code = r####"
        //! A doc naming crate::validate.
        use crate::{alpha, beta::{self, Gamma}, gamma::delta as d};
        use super::sibling;
        /* crate::nested /* crate::deeper */ */
        const S: &str = "crate::in_a_string";
        const R: &str = r#"crate::in_a_raw "string""#;
        const C: char = '"';
        fn f<'a>(x: &'a str) -> &'a str { crate::epsilon::call(x); x }
        mod tests {
            use super::*;
            use super::super::zeta;
        }
    "####;
    let mut paths: Vec<String> = scan(code, &["gl".into(), "posting".into()], &BTreeSet::new())
        .into_iter()
        .map(|(_, path)| path.join("::"))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "alpha",
            "beta",
            "beta::Gamma",
            "epsilon::call",
            "gamma::delta",
            "gl::posting",
            "gl::sibling",
            "gl::zeta"
        ]
    );
}

/// Layer of each declared module, 1 at the bottom.
fn declared_layers(lib: &str) -> BTreeMap<String, usize> {
    let mut layers = BTreeMap::new();
    let mut inside = false;
    let mut layer = 0;
    for line in lib.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            continue;
        };
        let doc = doc.trim();
        if doc.starts_with('#') {
            inside = doc == "# Layers";
            continue;
        }
        let Some((number, rest)) = doc.split_once(". ") else {
            continue;
        };
        if !inside || number.parse::<usize>().is_err() {
            continue;
        }
        layer += 1;
        assert_eq!(number, layer.to_string(), "layers are numbered 1, 2, ...");
        let names = rest.split(": ").next().unwrap_or_default();
        for name in names.split('`').skip(1).step_by(2) {
            let old = layers.insert(name.to_owned(), layer);
            assert!(old.is_none(), "`{name}` is listed twice");
        }
    }
    assert!(layers.len() > 5, "no `# Layers` list in src/lib.rs");
    assert!(
        layers.contains_key(ROOT),
        "the crate root `{ROOT}` is in no layer"
    );
    layers
}

/// One source file, as a module.
struct File {
    /// Its module path (empty: the crate root).
    module: Vec<String>,
    /// Relative to `src`, for messages.
    name: String,
    text: String,
}

/// Every `.rs` file under `src`, with its module path.
fn module_files(src: &Path) -> Vec<File> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(src, &mut paths);
    paths.sort();
    // A binary's root is its own crate: it reaches the library by name.
    paths.retain(|p| p != &src.join("main.rs"));
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(src).expect("under src");
            let mut module: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module == ["lib"] || module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            File {
                module,
                name: relative.display().to_string(),
                text: std::fs::read_to_string(&path).expect("read source"),
            }
        })
        .collect()
}

/// The declared module a module path belongs to: its longest listed prefix,
/// else the root.
fn owner(module: &[String], layers: &BTreeMap<String, usize>) -> String {
    (1..=module.len())
        .rev()
        .map(|n| module[..n].join("::"))
        .find(|name| layers.contains_key(name))
        .unwrap_or_else(|| ROOT.to_owned())
}

/// Every top-level module is listed, and every listed module exists (a file,
/// or an inline `mod` of its parent's file).
fn declared_and_existing(layers: &BTreeMap<String, usize>, files: &[File]) -> Vec<String> {
    let mut problems = Vec::new();
    let modules: BTreeSet<String> = files.iter().map(|f| f.module.join("::")).collect();
    for file in files {
        if let Some(top) = file.module.first()
            && !layers.contains_key(top)
        {
            problems.push(format!(
                "{}: `{top}` is in no layer of src/lib.rs",
                file.name
            ));
        }
    }
    for name in layers.keys() {
        let path: Vec<&str> = name.split("::").collect();
        let (parent, last) = path.split_at(path.len() - 1);
        let inline = files.iter().any(|f| {
            f.module.join("::") == parent.join("::")
                && tokens(&f.text).windows(3).any(|w| {
                    w[0].text == "mod" && w[1].text == last[0] && matches!(w[2].text, "{" | ";")
                })
        });
        if name != ROOT && !modules.contains(name) && !inline {
            problems.push(format!(
                "`{name}` is listed in src/lib.rs but there is no such module"
            ));
        }
    }
    problems
}

/// An import from one declared module of another.
struct Edge {
    from: String,
    to: String,
    file: String,
    line: usize,
}

/// Every path from one declared module into another.
fn edges(files: &[File], layers: &BTreeMap<String, usize>) -> Vec<Edge> {
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .map(|f| f.module.clone())
        .chain(
            layers
                .keys()
                .filter(|n| *n != ROOT)
                .map(|n| n.split("::").map(String::from).collect()),
        )
        .collect();
    let mut edges = Vec::new();
    for file in files {
        let from = owner(&file.module, layers);
        let children: BTreeSet<String> = modules
            .iter()
            .filter(|m| m.len() == file.module.len() + 1 && m.starts_with(&file.module))
            .filter_map(|m| m.last().cloned())
            .collect();
        for (line, path) in scan(&file.text, &file.module, &children) {
            // The module the path names: its longest prefix that is a module.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|prefix| prefix.is_empty() || modules.contains(prefix))
                .unwrap_or_default();
            let to = owner(&target, layers);
            if to != from {
                edges.push(Edge {
                    from: from.clone(),
                    to,
                    file: file.name.clone(),
                    line,
                });
            }
        }
    }
    edges
}

/// The cycles among the declared modules, one message each.
fn cycles(edges: &[Edge]) -> Vec<String> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in edges {
        graph.entry(&edge.from).or_default().insert(&edge.to);
    }
    let mut found = BTreeSet::new();
    // A path from each module; a module met again on the path closes a cycle.
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        found: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle: Vec<&str> = path[at..].to_vec();
            // The same cycle from any of its modules, written once.
            let start = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(start);
            cycle.push(cycle[0]);
            found.insert(format!("cycle: {}", cycle.join(" -> ")));
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done, found);
        }
        path.pop();
        done.insert(node);
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done, &mut found);
    }
    found.into_iter().collect()
}

/// A token of Rust source, with its line.
#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    line: usize,
}

/// The identifiers and punctuation of `text`, without comments, strings and
/// character literals (lifetimes stay out too). `::` is one token.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let (mut i, mut line) = (0, 1);
    let mut out = Vec::new();
    // Skips to after the `"` closing a string opened before `i`; `hashes`
    // for raw strings, which have no escapes.
    let string_end = |mut i: usize, raw: Option<usize>, line: &mut usize| {
        while i < bytes.len() {
            match (bytes[i], raw) {
                (b'\n', _) => *line += 1,
                (b'\\', None) => i += 1,
                (b'"', None) => return i + 1,
                (b'"', Some(hashes))
                    if bytes[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|b| **b == b'#')
                        .count()
                        == hashes =>
                {
                    return i + 1 + hashes;
                }
                _ => {}
            }
            i += 1;
        }
        i
    };
    while i < bytes.len() {
        let c = bytes[i];
        let rest = &bytes[i..];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with(b"//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(bytes[i] == b'\n');
                    i += 1;
                }
            }
        } else if c == b'"' {
            i = string_end(i + 1, None, &mut line);
        } else if (c == b'r' || rest.starts_with(b"br")) && {
            let start = i + usize::from(c == b'b') + 1;
            let hashes = bytes[start..].iter().take_while(|b| **b == b'#').count();
            bytes.get(start + hashes) == Some(&b'"')
        } {
            let start = i + usize::from(c == b'b') + 1;
            let hashes = bytes[start..].iter().take_while(|b| **b == b'#').count();
            i = string_end(start + hashes + 1, Some(hashes), &mut line);
        } else if c == b'b' && bytes.get(i + 1) == Some(&b'"') {
            i = string_end(i + 2, None, &mut line);
        } else if c == b'\'' || (c == b'b' && bytes.get(i + 1) == Some(&b'\'')) {
            let open = i + usize::from(c == b'b');
            if bytes.get(open + 1) == Some(&b'\\') {
                // An escaped character: up to the closing quote.
                i = open + 2;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            } else {
                // 'x' (one character, maybe multibyte) or a lifetime 'a.
                let width = text[open + 1..].chars().next().map_or(1, char::len_utf8);
                if bytes.get(open + 1 + width) == Some(&b'\'') {
                    i = open + 2 + width;
                } else {
                    i = open + 1;
                }
            }
        } else if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
            {
                i += 1;
            }
            out.push(Token {
                text: &text[start..i],
                line,
            });
        } else if rest.starts_with(b"::") {
            out.push(Token { text: "::", line });
            i += 2;
        } else {
            let width = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push(Token {
                text: &text[i..i + width],
                line,
            });
            i += width;
        }
    }
    out
}

/// The module paths `text` (the file of module `module`, whose child modules
/// are `children`) reaches, as absolute paths with their lines: every path
/// through `crate`, `$crate`, `self`, `super` or a child module, in use trees
/// and in code. Paths to anything else (`std`, generic parameters) are left out.
fn scan(text: &str, module: &[String], children: &BTreeSet<String>) -> Vec<(usize, Vec<String>)> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    // Inline modules open at a brace depth: (name, depth).
    let mut inline: Vec<(&str, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let here = |inline: &[(&str, usize)]| -> Vec<String> {
            module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(m, _)| (*m).to_owned()))
                .collect()
        };
        match tokens[i].text {
            "{" => depth += 1,
            "}" => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t.text == "{") => {
                inline.push((tokens[i + 1].text, depth + 1));
            }
            "use" => {
                let mut paths = Vec::new();
                i = use_tree(&tokens, i + 1, Vec::new(), &mut paths);
                let base = here(&inline);
                for (line, path) in paths {
                    let inline_child = inline.is_empty() && children.contains(&path[0]);
                    if let Some(path) = resolve(&path, &base, inline_child) {
                        out.push((line, path));
                    }
                }
                continue;
            }
            _ => {
                let starts_path = tokens.get(i + 1).is_some_and(|t| t.text == "::")
                    && (i == 0 || tokens[i - 1].text != "::");
                if starts_path {
                    let line = tokens[i].line;
                    // `$crate::` (in macros) is `crate::`: the `$` is a token of its own.
                    let mut path = vec![tokens[i].text.to_owned()];
                    let mut j = i + 1;
                    while tokens.get(j).is_some_and(|t| t.text == "::")
                        && tokens.get(j + 1).is_some_and(|t| is_ident(t.text))
                    {
                        path.push(tokens[j + 1].text.to_owned());
                        j += 2;
                    }
                    let base = here(&inline);
                    let child = inline.is_empty() && children.contains(&path[0]);
                    if let Some(path) = resolve(&path, &base, child) {
                        out.push((line, path));
                    }
                    i = j;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

fn is_ident(text: &str) -> bool {
    text.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Reads the use tree starting at token `i` under `prefix` into `paths`;
/// the index after it.
fn use_tree(
    tokens: &[Token<'_>],
    mut i: usize,
    mut prefix: Vec<String>,
    paths: &mut Vec<(usize, Vec<String>)>,
) -> usize {
    let line = tokens.get(i).map_or(0, |t| t.line);
    while let Some(token) = tokens.get(i) {
        match token.text {
            "::" => i += 1,
            "{" => {
                i += 1;
                while tokens.get(i).is_some_and(|t| t.text != "}") {
                    i = use_tree(tokens, i, prefix.clone(), paths);
                    if tokens.get(i).is_some_and(|t| t.text == ",") {
                        i += 1;
                    }
                }
                return i + 1;
            }
            "*" => {
                i += 1;
            }
            "as" => i += 2,
            "self" if !prefix.is_empty() => i += 1,
            ";" | "," | "}" => break,
            text if is_ident(text) => {
                prefix.push(text.to_owned());
                i += 1;
            }
            _ => i += 1,
        }
    }
    if !prefix.is_empty() {
        paths.push((line, prefix));
    }
    if tokens.get(i).is_some_and(|t| t.text == ";") {
        i += 1;
    }
    i
}

/// `path` as seen from module `base` as an absolute module path, or none
/// when it leads outside the crate; `child`: its first segment is a child
/// module of `base`.
fn resolve(path: &[String], base: &[String], child: bool) -> Option<Vec<String>> {
    let (mut at, rest): (Vec<String>, &[String]) = match path[0].as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (base.to_vec(), &path[1..]),
        "super" => {
            let mut at = base.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                at.pop();
                rest = &rest[1..];
            }
            (at, rest)
        }
        _ if child => (base.to_vec(), path),
        _ => return None,
    };
    at.extend(rest.iter().cloned());
    Some(at)
}
