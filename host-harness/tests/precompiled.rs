//! The precompiled-plugin cache, across real `erp-host` processes: a process
//! compiles the plugin once and writes it beside the database; the next
//! process loads it precompiled; a cache file the host cannot trust is never
//! loaded, and is replaced by a fresh compile.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

struct Host {
    dir: tempfile::TempDir,
}

impl Host {
    /// A database with the bundled plugin installed by a real process.
    fn installed() -> Self {
        let host = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let out = host.run(&["plugin", "install"]);
        assert!(out.contains("installed the bundled plugin"), "{out}");
        host
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    fn cache_dir(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite.plugin-cache")
    }

    /// The one compiled artifact in the cache.
    fn artifact(&self) -> PathBuf {
        let files: Vec<PathBuf> = std::fs::read_dir(self.cache_dir())
            .expect("the cache directory exists")
            .map(|e| e.expect("dir entry").path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("cwasm"));
        files[0].clone()
    }

    /// Runs `erp-host --db <db> args` and returns stdout; panics on failure.
    fn run(&self, args: &[&str]) -> String {
        let output = Command::new(env!("CARGO_BIN_EXE_erp-host"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .output()
            .expect("run erp-host");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "erp-host {args:?} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    /// The `code:` and `cache:` lines of `plugin show`.
    fn origin(&self) -> String {
        self.run(&["plugin", "show"])
            .lines()
            .filter(|l| l.starts_with("code:") || l.starts_with("cache:"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn installing_writes_a_private_artifact_the_next_process_loads() {
    let host = Host::installed();
    let artifact = host.artifact();
    assert_eq!(mode(&host.cache_dir()), 0o700);
    assert_eq!(mode(&artifact), 0o600);

    let origin = host.origin();
    assert!(
        origin.starts_with(&format!(
            "code:        loaded precompiled from {}",
            artifact.display()
        )),
        "{origin}"
    );
    assert!(!origin.contains("cache:"), "{origin}");
    // Commands that use the plugin work from the precompiled code.
    let form = host.run(&["form"]);
    assert!(form.contains("Customer Group"), "{form}");
}

#[test]
fn an_artifact_others_may_write_is_not_loaded_and_is_replaced() {
    let host = Host::installed();
    let artifact = host.artifact();
    set_mode(&artifact, 0o666);

    let origin = host.origin();
    assert!(origin.starts_with("code:        compiled now"), "{origin}");
    assert!(
        origin.contains("group or others may write to it"),
        "{origin}"
    );
    // The fresh compile replaced it with a private file, used from then on.
    assert_eq!(mode(&host.artifact()), 0o600);
    assert!(
        host.origin().contains("loaded precompiled"),
        "{}",
        host.origin()
    );
}

#[test]
fn a_cache_directory_others_may_write_is_not_trusted() {
    let host = Host::installed();
    set_mode(&host.cache_dir(), 0o777);
    let origin = host.origin();
    assert!(origin.starts_with("code:        compiled now"), "{origin}");
    assert!(origin.contains("group or others may write"), "{origin}");
    // Nothing is written into a directory the host does not trust either.
    set_mode(&host.cache_dir(), 0o700);
    assert!(host.origin().contains("loaded precompiled"));
}

#[test]
fn a_symlinked_artifact_is_never_followed() {
    let host = Host::installed();
    let artifact = host.artifact();
    // Someone swaps in a link to a file they prepared elsewhere (here, a copy
    // of the genuine artifact: even that is refused).
    let elsewhere = host.dir.path().join("elsewhere.cwasm");
    std::fs::copy(&artifact, &elsewhere).expect("copy");
    std::fs::remove_file(&artifact).expect("rm");
    std::os::unix::fs::symlink(&elsewhere, &artifact).expect("symlink");

    let origin = host.origin();
    assert!(origin.starts_with("code:        compiled now"), "{origin}");
    assert!(origin.contains("it is a symlink"), "{origin}");
    assert!(
        !std::fs::symlink_metadata(&artifact)
            .expect("metadata")
            .file_type()
            .is_symlink(),
        "the compile replaced the link with a file of its own"
    );
}

#[test]
fn a_corrupt_artifact_is_refused_and_recompiled() {
    let host = Host::installed();
    let artifact = host.artifact();
    std::fs::write(&artifact, b"\x7fELF not really a compiled component").expect("write");
    set_mode(&artifact, 0o600);

    let origin = host.origin();
    assert!(origin.starts_with("code:        compiled now"), "{origin}");
    assert!(origin.contains("cache:       not used"), "{origin}");
    assert!(host.origin().contains("loaded precompiled"));
}

#[test]
fn an_unwritable_cache_only_costs_a_compile() {
    let host = Host::installed();
    std::fs::remove_dir_all(host.cache_dir()).expect("rm cache");
    // A file where the directory should be: the cache cannot be created.
    std::fs::write(host.cache_dir(), b"in the way").expect("write");
    let origin = host.origin();
    assert!(origin.starts_with("code:        compiled now"), "{origin}");
    assert!(origin.contains("cache:       not used"), "{origin}");
    let form = host.run(&["form"]);
    assert!(form.contains("Customer Group"), "{form}");
}
