//! Builds the plugin components this crate embeds: the real Customer Group
//! plugin, and the hostile test plugin the end-to-end tests load.
//!
//! The wasmtime test-programs pattern: a nested cargo with its own target
//! directory under OUT_DIR (sharing the outer one deadlocks), and without the
//! outer build's flags (host linker flags break `wasm-component-ld`).
//!
//! It also reads the contract's version from the one place it is written,
//! the `package` line of `wit/`, for the host (`ERP_WIT_PACKAGE`,
//! `ERP_WIT_VERSION`), and checks that every frozen copy in
//! `wit/since_vX.Y.Z/` says version X.Y.Z.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-wasip2";

/// The guests built here: (package, constant, embedded). The real plugin is
/// embedded in the binary; test-only guests are exposed by path.
const GUESTS: [(&str, &str, bool); 2] = [
    ("customer-group-plugin", "PLUGIN_WASM", true),
    ("hostile-plugin", "HOSTILE_PLUGIN_PATH", false),
];

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir
        .parent()
        .expect("host-harness is in the workspace");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    let target_dir = out_dir.join("guests");

    for path in [
        "plugin/src",
        "plugin/Cargo.toml",
        "tests/hostile-plugin",
        "wit",
        "Cargo.lock",
        "Cargo.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }

    contract_version(&root.join("wit"));
    ensure_target();
    let mut consts = String::new();
    for (package, name, embedded) in GUESTS {
        let wasm = build(root, &target_dir, package);
        consts.push_str(&if embedded {
            format!(
                "/// The `{package}` component, built by `build.rs`.\n\
                 pub const {name}: &[u8] = include_bytes!({:?});\n",
                wasm.display()
            )
        } else {
            format!(
                "/// Path of the test-only `{package}` component, built by `build.rs`.\n\
                 #[doc(hidden)]\n\
                 pub const {name}: &str = {:?};\n",
                wasm.display()
            )
        });
    }
    std::fs::write(out_dir.join("guests.rs"), consts).expect("write guests.rs");
}

/// The `package` line of the `.wit` files directly in `dir`: (package,
/// version). Exactly one file may have one.
fn package_line(dir: &Path) -> (String, String) {
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "wit"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("package ") else {
                continue;
            };
            let id = rest.trim().trim_end_matches(';').trim();
            let (package, version) = id
                .split_once('@')
                .unwrap_or_else(|| panic!("{}: the package line has no version", path.display()));
            found.push((package.to_owned(), version.to_owned(), path.clone()));
        }
    }
    match found.as_slice() {
        [(package, version, _)] => (package.clone(), version.clone()),
        [] => panic!("no `package` line in {}", dir.display()),
        more => panic!(
            "the version must be written once, but {} has {} package lines: {:?}",
            dir.display(),
            more.len(),
            more.iter().map(|(_, _, p)| p).collect::<Vec<_>>()
        ),
    }
}

/// Emits the current contract's package and version, and checks the frozen
/// versions' folders against their package lines.
fn contract_version(wit: &Path) {
    let (package, version) = package_line(wit);
    println!("cargo:rustc-env=ERP_WIT_PACKAGE={package}");
    println!("cargo:rustc-env=ERP_WIT_VERSION={version}");
    for entry in std::fs::read_dir(wit).expect("read wit/").flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let Some(frozen) = name.to_str().and_then(|n| n.strip_prefix("since_v")) else {
            continue;
        };
        let (old_package, old_version) = package_line(&path);
        assert!(
            old_package == package && old_version == frozen,
            "{} holds {old_package}@{old_version}, not {package}@{frozen}",
            path.display()
        );
        assert_ne!(
            old_version,
            version,
            "{} is frozen at the current version; bump the package line of wit/",
            path.display()
        );
    }
}

/// Installs the wasm target with rustup when the toolchain lacks it, so a
/// fresh machine needs no set-up step (rustup auto-install may be off).
fn ensure_target() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if sysroot.is_some_and(|root| root.join("lib/rustlib").join(TARGET).exists()) {
        return;
    }
    println!("cargo:warning=installing the {TARGET} target with rustup");
    let status = Command::new("rustup")
        .args(["target", "add", TARGET])
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        panic!(
            "the {TARGET} target is missing and `rustup target add {TARGET}` failed ({status:?})"
        );
    }
}

fn build(root: &Path, target_dir: &Path, package: &str) -> PathBuf {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["rustc", "--locked", "--quiet", "--package", package])
        .args([
            "--target",
            TARGET,
            "--profile",
            "guest",
            "--crate-type",
            "cdylib",
        ])
        .arg("--target-dir")
        .arg(target_dir);
    for (key, _) in env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if key == "RUSTFLAGS"
            || key == "CARGO_ENCODED_RUSTFLAGS"
            || key == "CARGO_MAKEFLAGS"
            || [
                "CARGO_BUILD_",
                "CARGO_TARGET_",
                "CARGO_CFG_",
                "CARGO_FEATURE_",
                "CARGO_PROFILE_",
            ]
            .iter()
            .any(|p| key.starts_with(p))
        {
            cmd.env_remove(key);
        }
    }
    let status = cmd.status().expect("run nested cargo for the plugin");
    if !status.success() {
        panic!(
            "building {package} for {TARGET} failed ({status}); is the target installed? \
             run `rustup target add {TARGET}`"
        );
    }
    let wasm = target_dir
        .join(TARGET)
        .join("guest")
        .join(format!("{}.wasm", package.replace('-', "_")));
    assert!(wasm.exists(), "{} was not produced", wasm.display());
    wasm
}
