//! The crates' modules import only downward (issue 12), as rust-analyzer's
//! `tidy` tests hold its code to its rules: each crate declares its layers
//! once, bottom first, and a module may use `crate::m` only when `m` is in
//! a lower layer. A module's submodules belong to it (`store/postings.rs` is
//! `store`). Comments are not read: a doc link may point anywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A crate's source folder and its layers, bottom first.
struct Crate {
    src: &'static str,
    layers: &'static [&'static [&'static str]],
}

const CRATES: &[Crate] = &[Crate {
    src: "host-harness/src",
    layers: &[
        // The contract, money, who acts, the compile cache; the plugin's
        // locale list (`i18n`, the plugin's own file).
        &["actor", "cache", "i18n", "units", "wit"],
        // The plugin runtime: wasmtime, limits, the host imports.
        &["engine"],
        // All SQL of the host's tables, and the schema.
        &["store"],
        // The catalogue of messages; the sample data.
        &["messages", "sample"],
        // The ledger: entry, batches, posting.
        &["gl"],
        // The admin services and the reports.
        &["admin", "report"],
        // How front ends print errors.
        &["errors"],
        // The command line.
        &["cli"],
    ],
}];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`lib` and `main` for the roots).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let first = rel.components().next().expect("a file");
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_owned()
}

/// Every `crate::name` a file's code (not its comments) names, with its line.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            // `host_harness::...` or `$crate::` are not this crate's paths.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((n + 1, name));
            }
        }
    }
    out
}

#[test]
fn modules_import_only_from_lower_layers() {
    let root = workspace();
    let mut wrong = Vec::new();
    for krate in CRATES {
        let layer: BTreeMap<&str, usize> = krate
            .layers
            .iter()
            .enumerate()
            .flat_map(|(at, names)| names.iter().map(move |n| (*n, at)))
            .collect();
        let src = root.join(krate.src);
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        files.sort();
        for file in &files {
            let module = module_of(&src, file);
            let text = std::fs::read_to_string(file).expect("readable source");
            let rel = file.strip_prefix(&root).unwrap_or(file).display();
            // The crate roots declare and re-export; they may name anything.
            let Some(&mine) = layer.get(module.as_str()) else {
                if module != "lib" && module != "main" {
                    wrong.push(format!(
                        "{rel}: module `{module}` is in no layer of {}",
                        krate.src
                    ));
                }
                continue;
            };
            for (line, used) in crate_paths(&text) {
                if used == module {
                    continue;
                }
                match layer.get(used.as_str()) {
                    Some(&theirs) if theirs < mine => {}
                    Some(_) => wrong.push(format!(
                        "{rel}:{line}: `{module}` uses `crate::{used}`, which is not in a lower layer"
                    )),
                    None => wrong.push(format!(
                        "{rel}:{line}: `crate::{used}` is in no layer of {}",
                        krate.src
                    )),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_an_upward_import() {
    let found = crate_paths("use crate::cli::run; // crate::admin in a comment\n");
    assert_eq!(found, [(1, "cli".to_owned())]);
    assert!(crate_paths("use host_harness::cli;").is_empty());
    assert!(crate_paths("$crate::x").is_empty());
}
