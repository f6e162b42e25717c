//! The `erp-sync` binary as a shell and a CI script see it: its name and
//! version, help on stdout that teaches the config format, each command
//! with only its own options, and exit codes that never mix a typo with
//! "changes pending".

use std::path::PathBuf;
use std::process::Command;

use host_harness::cli::{EXIT_ERROR, EXIT_OK, EXIT_USAGE};
use host_harness::store::{Right, Role};
use host_harness::{PLUGIN_WASM, admin, sample};

const BIN: &str = env!("CARGO_BIN_EXE_erp-sync");

/// `plan`'s exit code when changes are pending.
const PENDING: u8 = 2;

/// A host database with the sample company and the plugin, and an empty
/// configuration directory.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("config")).expect("config dir");
        let fixture = Self { dir };
        let db = host_harness::Db::open(&fixture.db()).expect("db");
        sample::seed(&db).expect("sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
        fixture
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// `erp-sync --db <db> args` with nothing inherited from the
    /// environment: exit code, stdout, stderr.
    fn run(&self, args: &[&str]) -> (u8, String, String) {
        let mut cmd = Command::new(BIN);
        cmd.arg("--db").arg(self.db()).args(args);
        for var in [
            "ERP_DB",
            "ERP_SYNC_CONFIG",
            "ERP_SYNC_DRIFT",
            "ERP_SYNC_PRUNE",
            "ERP_SYNC_MAX_REMOVAL",
            "ERP_LOCALE",
            "ERP_SYNC_USER",
            "ERP_SYNC_LOG",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        let output = cmd.env("ERP_SYNC_LOG_LEVEL", "warn").output().expect("run");
        (
            output
                .status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .expect("an exit code"),
            String::from_utf8(output.stdout).expect("utf-8"),
            String::from_utf8(output.stderr).expect("utf-8"),
        )
    }
}

/// The options of `--help` output: every `--name` at the start of a line.
fn options(help: &str) -> Vec<String> {
    help.lines()
        .filter_map(|l| l.trim_start().split_once("--"))
        .filter(|(before, _)| before.is_empty() || before.ends_with(", "))
        .map(|(_, rest)| {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            format!("--{name}")
        })
        .collect()
}

#[test]
fn usage_errors_exit_64_never_the_2_of_changes_pending() {
    let f = Fixture::new();
    std::fs::write(
        f.config().join("a.toml"),
        "[[group]]\ncode = \"A1\"\nname = \"Alpha\"\n",
    )
    .expect("write");
    let config = f.config();
    let config = config.to_str().expect("utf-8 path");
    // Changes pending: 2.
    let (code, out, err) = f.run(&["plan", "--config", config]);
    assert_eq!(code, PENDING, "{out}{err}");
    // A typo is not changes pending.
    for args in [
        &["plan", "--config", config, "--bogus"][..],
        &["plan", "--config", config, "--drift", "sometimes"],
        &["plan", "--config", config, "--max-removal", "101"],
        &["plan", "--config", config, "--locale", "fr"],
        &["status", "--prune"],
        &["status", "--config", config],
        &["--prune", "plan", "--config", config],
        &["apply", "--config", config],
        &["bogus"],
        &[],
    ] {
        let (code, out, err) = f.run(args);
        assert_eq!(code, EXIT_USAGE, "{args:?}: {out}{err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains('\u{1b}'), "{args:?}: colour in a pipe");
    }
    // Nothing was applied by any of them.
    let (code, out, err) = f.run(&["plan", "--config", config]);
    assert_eq!(code, PENDING, "{out}{err}");
    let (code, out, err) = f.run(&["apply", "--once", "--config", config]);
    assert_eq!(code, EXIT_OK, "{out}{err}");
    let (code, out, err) = f.run(&["plan", "--config", config]);
    assert_eq!(code, EXIT_OK, "{out}{err}");
    std::fs::write(f.config().join("a.toml"), "[[group]]\ncode = \"A1\"\n").expect("write");
    let (code, out, err) = f.run(&["plan", "--config", config]);
    assert_eq!(code, EXIT_ERROR, "{out}{err}");
}

#[test]
fn version_and_help_name_erp_sync_on_stdout() {
    let f = Fixture::new();
    let (code, out, err) = f.run(&["--version"]);
    assert_eq!(code, EXIT_OK, "{err}");
    assert_eq!(out, format!("erp-sync {}\n", env!("CARGO_PKG_VERSION")));
    assert_eq!(err, "");
    for args in [&["--help"][..], &["status", "--help"], &["help", "plan"]] {
        let (code, out, err) = f.run(args);
        assert_eq!(code, EXIT_OK, "{args:?}: {err}");
        assert!(out.contains("Usage: erp-sync"), "{args:?}: {out}");
        assert!(!out.contains('\u{1b}'), "{args:?}: colour in a pipe");
        assert_eq!(err, "", "{args:?}");
    }
}

#[test]
fn each_command_offers_only_its_own_options() {
    let f = Fixture::new();
    let help = |command: &str| {
        let (code, out, err) = f.run(&[command, "--help"]);
        assert_eq!(code, EXIT_OK, "{err}");
        let mut options = options(&out);
        options.sort();
        options
    };
    let sync = [
        "--bootstrap",
        "--config",
        "--drift",
        "--force",
        "--locale",
        "--max-removal",
        "--prune",
        "--user",
    ];
    let common = ["--db", "--help", "--log-format"];
    let want = |own: &[&str]| {
        let mut all: Vec<String> = own.iter().chain(&common).map(|s| (*s).to_owned()).collect();
        all.sort();
        all
    };
    assert_eq!(help("status"), want(&["--json"]));
    assert_eq!(help("plan"), want(&[&sync[..], &["--json"]].concat()));
    assert_eq!(
        help("apply"),
        want(&[&sync[..], &["--json", "--once"]].concat())
    );
    assert_eq!(
        help("run"),
        want(&[&sync[..], &["--debounce-ms", "--interval-secs"]].concat())
    );
}

#[test]
fn help_shows_a_config_example_that_plans_and_points_to_the_readme() {
    let f = Fixture::new();
    let (code, help, err) = f.run(&["--help"]);
    assert_eq!(code, EXIT_OK, "{err}");
    assert!(help.contains("README.md"), "{help}");
    assert!(help.contains("64 usage error"), "{help}");
    // The example: the indented lines after "for example:".
    let example: String = help
        .lines()
        .skip_while(|l| !l.ends_with("for example:"))
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    assert!(example.contains("[[group]]"), "{help}");
    std::fs::write(f.config().join("example.toml"), &example).expect("write");
    let config = f.config();
    let config = config.to_str().expect("utf-8 path");
    let (code, out, err) = f.run(&["plan", "--config", config]);
    assert_eq!(
        code, PENDING,
        "the example does not plan:\n{example}\n{out}{err}"
    );
    for want in ["+ create LOKAL", "+ create VIP", "0 error(s)"] {
        assert!(out.contains(want), "{want}: {out}");
    }
}

/// README.md's samples of `erp-sync` output: a marker line
/// `<!-- check (exit N): erp-sync ARGS; FILE: CONTENT -->` right above a
/// fenced block; the test writes CONTENT (`\n` for a new line) to FILE in a
/// fresh configuration directory, runs `erp-sync ARGS --config DIR` on a
/// fresh store, and compares the exit code and stdout+stderr with the block
/// (its indentation removed), exactly.
#[test]
fn the_readme_s_sample_outputs_are_what_erp_sync_prints() {
    let readme = include_str!("../../README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let Some(marker) = line
            .trim()
            .strip_prefix("<!-- check (exit ")
            .and_then(|m| m.strip_suffix("-->"))
        else {
            continue;
        };
        let (exit, rest) = marker.split_once("):").expect("`(exit N): ...`");
        let Some(rest) = rest.trim().strip_prefix("erp-sync ") else {
            continue; // erp-host's: host-harness/tests/readme.rs
        };
        let (args, file) = rest.split_once(';').expect("`ARGS; FILE: CONTENT`");
        let (name, content) = file.split_once(':').expect("`FILE: CONTENT`");
        let expected: String = lines[i + 2..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with("```"))
            .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
            .collect();
        let f = Fixture::new();
        std::fs::write(
            f.config().join(name.trim()),
            content.trim_start().replace("\\n", "\n"),
        )
        .expect("write");
        let config = f.config();
        let mut all: Vec<&str> = args.split_whitespace().collect();
        all.extend(["--config", config.to_str().expect("utf-8")]);
        let (code, out, err) = f.run(&all);
        assert_eq!(
            (code.to_string(), format!("{out}{err}")),
            (exit.trim().to_owned(), expected),
            "README.md line {}",
            i + 1
        );
        checked += 1;
    }
    assert!(checked >= 1, "README.md lost its erp-sync samples");
}

/// `erp-sync ARGS` on a pseudo-terminal (through script(1)), `NO_COLOR`
/// set or not: what the terminal showed; `None` without script(1).
fn on_a_terminal(f: &Fixture, args: &str, no_color: bool) -> Option<String> {
    let line = format!("{BIN} --db {} {args}", f.db().display());
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("ERP_SYNC_LOG_LEVEL")
        .env_remove("ERP_LOCALE");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let output = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn help_and_logs_are_coloured_on_a_terminal_unless_no_color() {
    let f = Fixture::new();
    let plan = format!("plan --config {}", f.config().display());
    let Some(help) = on_a_terminal(&f, "--help", false) else {
        eprintln!("script(1) is not installed: no pseudo-terminal to test with");
        return;
    };
    assert!(help.contains('\u{1b}'), "{help:?}");
    let logs = on_a_terminal(&f, &plan, false).expect("script ran before");
    assert!(
        logs.contains("plugin loaded") && logs.contains('\u{1b}'),
        "{logs:?}"
    );
    for args in ["--help", &plan] {
        let plain = on_a_terminal(&f, args, true).expect("script ran before");
        assert!(
            plain.contains("Usage:") || plain.contains("plugin loaded"),
            "{plain:?}"
        );
        assert!(!plain.contains('\u{1b}'), "colour with NO_COLOR: {plain:?}");
    }
}

#[test]
fn errors_in_the_files_are_coloured_on_a_terminal_unless_no_color() {
    let f = Fixture::new();
    std::fs::write(
        f.config().join("g.toml"),
        "[[group]]\ncode = \"L001\"\nnmae = \"Lokal 1\"\nname = \"Lokal 1\"\n",
    )
    .expect("write");
    // Logs off: only the diagnostic can bring colour.
    let plan = format!("--log-format json plan --config {}", f.config().display());
    let Some(coloured) = on_a_terminal(&f, &plan, false) else {
        eprintln!("script(1) is not installed: no pseudo-terminal to test with");
        return;
    };
    let error = coloured
        .lines()
        .find(|l| l.contains("unknown key"))
        .unwrap_or_else(|| panic!("no error shown: {coloured:?}"));
    assert!(error.contains('\u{1b}'), "{error:?}");
    let plain = on_a_terminal(&f, &plan, true).expect("script ran before");
    assert!(plain.contains("unknown key `nmae`"), "{plain:?}");
    assert!(
        !plain
            .lines()
            .any(|l| l.contains("unknown key") && l.contains('\u{1b}')),
        "colour with NO_COLOR: {plain:?}"
    );
    // In a pipe: plain, as the README shows it.
    let config = f.config();
    let (_, out, _) = f.run(&["plan", "--config", config.to_str().expect("utf-8")]);
    assert!(
        out.starts_with("error: unknown key `nmae`\n --> g.toml:3:1\n"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

/// Issue 14, part 3: `erp-sync` applies the files with the rights of its
/// `--user`: a console user who does not hold the accounting right may
/// not set a credit limit from a file (an error at the key, in the user's
/// language, and nothing applied); granted the right, the same files
/// apply.
#[test]
fn files_are_applied_with_the_rights_of_the_daemon_s_user() {
    let f = Fixture::new();
    let db = host_harness::Db::open(&f.db()).expect("db");
    db.create_user(
        "sync-bot",
        Role::SalesMaster,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$bm9sb2dpbg",
        "test",
    )
    .expect("user");
    std::fs::write(
        f.config().join("groups.toml"),
        "[[group]]\ncode = \"T1\"\nname = \"Tier 1\"\ncredit-limit = \"5000.00\"\n\n\
         [[group]]\ncode = \"T2\"\nname = \"Tier 2\"\n",
    )
    .expect("write");
    let config = f.config();
    let config = config.to_str().expect("utf-8");
    let sync = ["apply", "--once", "--config", config, "--user", "sync-bot"];
    let (code, out, err) = f.run(&sync);
    let said = format!("{out}{err}");
    assert_eq!(code, EXIT_ERROR, "{said}");
    for part in [
        "groups.toml:4:1",
        "Credit Limit needs the accounting right",
        "erp-host user grant sync-bot accounting",
    ] {
        assert!(said.contains(part), "{part:?} in {said}");
    }
    assert!(db.group("T1").expect("read").is_none(), "nothing applied");
    assert!(db.group("T2").expect("read").is_none(), "nothing applied");
    let mut indonesian = sync.to_vec();
    indonesian.extend(["--locale", "id"]);
    let (_, out, err) = f.run(&indonesian);
    assert!(
        format!("{out}{err}").contains("Batas Kredit memerlukan hak accounting"),
        "{out}{err}"
    );

    db.grant("sync-bot", Right::Accounting, "test")
        .expect("grant");
    let (code, out, err) = f.run(&sync);
    assert_eq!(code, EXIT_OK, "{out}{err}");
    let t1 = db.group("T1").expect("read").expect("applied");
    assert_eq!(t1.group.settings.credit_limit, Some(500_000));
    assert_eq!(t1.created_by, "sync-bot");

    // Edited in the host past the files (drift), then the right taken
    // back: reporting the drift writes nothing, so it is no refusal;
    // restoring the file's credit limit is one.
    let admin = host_harness::Admin::open(db.clone()).expect("admin");
    let ops = host_harness::Actor {
        user: "ops".into(),
        locale: "en".into(),
        via: host_harness::actor::Via::Cli,
    };
    admin
        .update_group("T1", |g| g.settings.credit_limit = Some(700_000), &ops)
        .expect("edited in the host");
    db.revoke("sync-bot", Right::Accounting).expect("revoke");
    let plan = ["plan", "--config", config, "--user", "sync-bot"];
    let (code, out, err) = f.run(&plan);
    assert_eq!(code, EXIT_OK, "drift reported, nothing refused: {out}{err}");
    assert!(format!("{out}{err}").contains("drift"), "{out}{err}");
    let mut restore = plan.to_vec();
    restore.extend(["--drift", "restore"]);
    let (code, out, err) = f.run(&restore);
    assert_eq!(code, EXIT_ERROR, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("needs the accounting right"),
        "{out}{err}"
    );

    // Who acts is a user name, never blank nor padded.
    for user in ["", "sync-bot "] {
        let (code, _, err) = f.run(&["plan", "--config", config, "--user", user]);
        assert_eq!(code, EXIT_USAGE, "{user:?}: {err}");
    }
}
