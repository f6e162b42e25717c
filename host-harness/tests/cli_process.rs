//! The `erp-host` binary as a shell sees it: help and `--version` on stdout,
//! colour only on a terminal and never with `NO_COLOR`, usage errors with an
//! exit code of their own, and messages in the chosen locale.

#![cfg(unix)]

use std::path::PathBuf;
use std::process::{Command, Output};

use host_harness::cli::{EXIT_ERROR, EXIT_OK, EXIT_USAGE};

const BIN: &str = env!("CARGO_BIN_EXE_erp-host");

/// A temporary directory for a database the binary creates.
struct Host {
    dir: tempfile::TempDir,
}

impl Host {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    /// `erp-host --db <db> args`, stdout and stderr piped, no `NO_COLOR`.
    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Like [`Host::run`], with these environment variables.
    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.arg("--db").arg(self.db()).args(args);
        let mut cmd = clean(cmd);
        cmd.envs(env.iter().copied());
        Run::of(cmd.output().expect("run erp-host"))
    }

    /// A database with the sample company (`quickstart`).
    fn quickstarted() -> Self {
        let host = Self::new();
        let run = host.run(&["quickstart"]);
        assert_eq!(run.code, EXIT_OK, "{run:?}");
        host
    }
}

/// The environment the tests control: no inherited locale, database,
/// user or colour settings.
fn clean(mut cmd: Command) -> Command {
    for var in [
        "ERP_DB",
        "ERP_USER",
        "ERP_LOCALE",
        "NO_COLOR",
        "CLICOLOR_FORCE",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

#[derive(Debug)]
struct Run {
    code: u8,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(output: Output) -> Self {
        Self {
            code: output
                .status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .expect("an exit code"),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        }
    }
}

const ESC: char = '\u{1b}';

#[test]
fn help_and_version_go_to_stdout_without_colour_when_piped() {
    let host = Host::new();
    for args in [
        &["--help"][..],
        &["-h"],
        &["group", "--help"],
        &["group", "new", "--help"],
        &["help", "plugin"],
    ] {
        let run = host.run(args);
        assert_eq!(run.code, EXIT_OK, "{args:?}: {run:?}");
        assert!(run.stdout.contains("Usage: erp-host"), "{args:?}: {run:?}");
        assert!(!run.stdout.contains(ESC), "{args:?}: colour in a pipe");
        assert_eq!(run.stderr, "", "{args:?}");
    }
    let version = host.run(&["--version"]);
    assert_eq!(version.code, EXIT_OK, "{version:?}");
    assert_eq!(
        version.stdout,
        format!("erp-host {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(version.stderr, "");
}

/// Runs `erp-host --help` on a pseudo-terminal (through script(1)), with
/// `NO_COLOR` set or not: what the terminal showed.
fn on_a_terminal(no_color: Option<&str>) -> Option<String> {
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &format!("{BIN} --help"), "/dev/null"]);
    let mut cmd = clean(cmd);
    if let Some(value) = no_color {
        cmd.env("NO_COLOR", value);
    }
    let output = cmd.output().ok()?;
    assert!(output.status.success(), "{output:?}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn help_is_coloured_on_a_terminal_unless_no_color_is_set() {
    let Some(coloured) = on_a_terminal(None) else {
        eprintln!("script(1) is not installed: no pseudo-terminal to test with");
        return;
    };
    assert!(coloured.contains("Usage:"), "{coloured}");
    assert!(
        coloured.contains(ESC),
        "no colour on a terminal: {coloured:?}"
    );
    let plain = on_a_terminal(Some("1")).expect("script ran before");
    assert!(plain.contains("Usage:"), "{plain}");
    assert!(!plain.contains(ESC), "colour with NO_COLOR=1: {plain:?}");
    // An empty NO_COLOR does not count (https://no-color.org).
    let empty = on_a_terminal(Some("")).expect("script ran before");
    assert!(empty.contains(ESC), "{empty:?}");
}

#[test]
fn usage_errors_exit_64_on_stderr_and_errors_exit_1() {
    let host = Host::new();
    for args in [
        &["group", "list", "--bogus"][..],
        &["bogus"],
        &["group"],
        &[
            "account", "new", "--code", "1", "--name", "X", "--kind", "asset",
        ],
        &["group", "list", "--page", "0"],
    ] {
        let run = host.run(args);
        assert_eq!(run.code, EXIT_USAGE, "{args:?}: {run:?}");
        // A message, or for a missing command the help, on stderr.
        assert!(
            run.stderr.starts_with("error: ") || run.stderr.contains("Usage: erp-host"),
            "{args:?}: {run:?}"
        );
        assert!(!run.stderr.contains(ESC), "{args:?}: colour in a pipe");
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // Not a usage error: a command that ran and failed.
    let run = host.run(&["plugin", "show"]);
    assert_eq!(run.code, EXIT_OK, "{run:?}");
    let run = host.run(&["group", "show", "NOPE"]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    // The exit codes are in the help.
    let help = host.run(&["--help"]).stdout;
    assert!(help.contains("64 usage error"), "{help}");
}

#[test]
fn an_unknown_locale_is_refused_and_help_lists_the_locales() {
    let host = Host::quickstarted();
    for (args, env) in [
        (&["--locale", "fr", "group", "tree"][..], &[][..]),
        (&["group", "tree", "--locale", "english"], &[]),
        (&["group", "tree"], &[("ERP_LOCALE", "de-DE")]),
    ] {
        let run = host.run_with(args, env);
        assert_eq!(run.code, EXIT_USAGE, "{args:?} {env:?}: {run:?}");
        assert!(
            run.stderr.contains("--locale") && run.stderr.contains("[possible values: en, id]"),
            "{run:?}"
        );
        assert_eq!(run.stdout, "");
    }
    for tag in ["en", "EN-gb", "id", "id-ID", "in"] {
        let run = host.run(&["--locale", tag, "group", "tree"]);
        assert_eq!(run.code, EXIT_OK, "{tag}: {run:?}");
    }
    let short = host.run(&["-h"]).stdout;
    assert!(short.contains("[possible values: en, id]"), "{short}");
    let long = host.run(&["--help"]).stdout;
    for want in ["en: English", "id: Bahasa Indonesia"] {
        assert!(long.contains(want), "{want}: {long}");
    }
}

#[test]
fn the_host_s_errors_follow_the_locale() {
    let host = Host::quickstarted();
    let run = host.run(&["--locale", "id", "group", "show", "NOPE"]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert_eq!(
        run.stderr,
        "kesalahan: tidak ada kelompok pelanggan \"NOPE\"\n"
    );
    let run = host.run(&[
        "--locale",
        "id",
        "group",
        "edit",
        "VIP",
        "--name",
        "X",
        "--if-version",
        "99",
    ]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert!(
        run.stderr
            .starts_with("kesalahan: kelompok pelanggan VIP telah diubah orang lain")
            && run.stderr.contains("muat ulang lalu coba lagi"),
        "{run:?}"
    );
    let run = host.run(&[
        "--locale",
        "id-ID",
        "account",
        "new",
        "--code",
        "1100",
        "--name",
        "Lagi",
        "--kind",
        "receivable",
    ]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert_eq!(run.stderr, "kesalahan: akun 1100 sudah ada\n");
    let run = host.run(&[
        "--locale", "id", "group", "new", "--code", "X-1", "--name", "",
    ]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert!(
        run.stderr
            .starts_with("kesalahan: perubahan tidak disimpan:\n  code: "),
        "{run:?}"
    );
    let run = host.run(&[
        "--locale",
        "id",
        "customer",
        "new",
        "--code",
        "C1",
        "--name",
        "Toko",
        "--currency",
        "IDR",
        "--group",
        "L001",
    ]);
    assert_eq!(run.stdout, "pelanggan C1 Toko dibuat\n", "{run:?}");
    let run = host.run(&["--locale", "id", "customer", "credit-limit", "C1", "abc"]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert!(
        run.stderr
            .starts_with("kesalahan: \"abc\" bukan jumlah dalam IDR"),
        "{run:?}"
    );
    let run = host.run(&[
        "--locale",
        "id",
        "plugin",
        "limits",
        "set",
        "--deadline-ms",
        "1",
    ]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert!(
        run.stderr.contains("deadline-ms harus di antara 100 dan "),
        "{run:?}"
    );
    let run = host.run(&["--locale", "id", "plugin", "show"]);
    assert!(
        run.stdout
            .contains("kode:        dimuat terkompilasi dari "),
        "{run:?}"
    );
    // The same in English.
    let run = host.run(&["group", "show", "NOPE"]);
    assert_eq!(run.stderr, "error: there is no customer group \"NOPE\"\n");
}

#[test]
fn what_commands_print_follows_the_locale() {
    let host = Host::quickstarted();
    let id = |args: &[&str]| {
        let mut all = vec!["--locale", "id"];
        all.extend_from_slice(args);
        let run = host.run(&all);
        assert_eq!(run.code, EXIT_OK, "{args:?}: {run:?}");
        run.stdout
    };
    assert_eq!(
        id(&[
            "group", "new", "--code", "L002", "--name", "Lokal 2", "--parent", "LOKAL"
        ]),
        "kelompok L002 Lokal 2 dibuat\n"
    );
    assert_eq!(
        id(&["group", "edit", "L002", "--name", "Lokal Dua"]),
        "kelompok L002 disimpan (versi 2)\n"
    );
    assert_eq!(
        id(&["group", "edit", "LOKAL", "--credit-limit", "25000000"]),
        "kelompok LOKAL disimpan (versi 2)\n"
    );
    let shown = id(&["group", "show", "L002"]);
    for want in [
        "(diwarisi dari LOKAL)",
        "(bawaan pengaturan piutang)",
        "(belum diatur)",
    ] {
        assert!(shown.contains(want), "{want}: {shown}");
    }
    for english in [
        "inherited from",
        "AR settings default",
        "not set",
        "version",
        "ancestors",
    ] {
        assert!(!shown.contains(english), "{english}: {shown}");
    }
    let english = host.run(&["group", "show", "L002"]).stdout;
    for want in [
        "(inherited from LOKAL)",
        "(AR settings default)",
        "(not set)",
    ] {
        assert!(english.contains(want), "{want}: {english}");
    }
    assert_eq!(
        id(&["group", "delete", "L002"]),
        "kelompok L002 Lokal Dua dihapus\n"
    );
    assert_eq!(
        id(&[
            "account", "new", "--code", "6300", "--name", "Rugi", "--kind", "expense"
        ]),
        "akun 6300 Rugi (expense) dibuat\n"
    );
    let accounts = id(&["account", "list"]);
    assert!(
        accounts.starts_with("Kode ") && accounts.contains(" aktif\n"),
        "{accounts}"
    );
    let tree = id(&["group", "tree"]);
    assert!(tree.contains("+ LOKAL"), "{tree}");
    let limits = id(&["plugin", "limits", "show"]);
    assert!(limits.starts_with("batas:       bawaan host\n"), "{limits}");
    assert!(limits.contains("(diizinkan "), "{limits}");
    let plan = id(&["group", "apply-terms", "VIP"]);
    assert!(plan.contains("tidak ada yang diubah"), "{plan}");
}

#[test]
fn an_unknown_account_is_answered_with_the_command_that_creates_it() {
    let host = Host::quickstarted();
    let new_group = [
        "group",
        "new",
        "--code",
        "G1",
        "--name",
        "G",
        "--write-off",
        "6300",
    ];
    let refused = host.run(&new_group);
    assert_eq!(refused.code, EXIT_ERROR, "{refused:?}");
    assert!(!refused.stderr.contains("\"+\""), "{}", refused.stderr);
    let hint = refused
        .stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("= help: create it with `"))
        .and_then(|l| l.strip_suffix('`'))
        .unwrap_or_else(|| panic!("no command in:\n{}", refused.stderr));
    // The command works as given, once its placeholders are filled in.
    let args: Vec<&str> = hint
        .split_whitespace()
        .map(|w| match w {
            "NAME" => "Write-off",
            "KIND" => "expense",
            w => w,
        })
        .collect();
    assert_eq!(args[0], "erp-host", "{hint}");
    let created = host.run(&args[1..]);
    assert_eq!(created.code, EXIT_OK, "{hint}: {created:?}");
    let saved = host.run(&new_group);
    assert_eq!(saved.code, EXIT_OK, "{saved:?}");
    // In Indonesian too, for AR settings as for groups.
    let refused = host.run(&["--locale", "id", "settings", "set", "--bank", "1999"]);
    assert_eq!(refused.code, EXIT_ERROR, "{refused:?}");
    assert!(
        refused.stderr.contains(
            "= bantuan: buat dengan `erp-host account new --code 1999 --name NAME --kind KIND`"
        ),
        "{}",
        refused.stderr
    );
}

/// Runs `args` as `user`, expecting success; its stdout.
fn as_user(host: &Host, user: &str, args: &[&str]) -> String {
    let mut all = vec!["--user", user];
    all.extend_from_slice(args);
    let run = host.run(&all);
    assert_eq!(run.code, EXIT_OK, "{args:?}: {run:?}");
    run.stdout
}

/// The history's instants are whole seconds: a change one second later
/// than the one before is told apart from it.
fn next_second() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

#[test]
fn every_change_to_a_group_is_in_its_history_which_outlives_it_and_cannot_be_edited() {
    let host = Host::quickstarted();
    as_user(
        &host,
        "ana",
        &[
            "group",
            "new",
            "--code",
            "HIST",
            "--name",
            "<b>Hist</b>",
            "--parent",
            "LOKAL",
        ],
    );
    next_second();
    as_user(
        &host,
        "budi",
        &[
            "group",
            "edit",
            "HIST",
            "--credit-limit",
            "2500.00",
            "--name",
            "Hist Two",
        ],
    );
    let history: serde_json::Value = serde_json::from_str(&as_user(
        &host,
        "x",
        &["group", "history", "hist", "--json"],
    ))
    .expect("JSON");
    let changes = history.as_array().expect("a list of changes");
    assert_eq!(changes.len(), 2, "{history:#}");
    assert_eq!(changes[0]["action"], "create");
    assert_eq!(changes[0]["origin"]["user"], "ana");
    assert_eq!(changes[0]["origin"]["via"], "cli");
    assert_eq!(changes[1]["origin"]["user"], "budi");
    let edited: Vec<(&str, &serde_json::Value, &serde_json::Value)> = changes[1]["changes"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|c| (c["field"].as_str().expect("name"), &c["old"], &c["new"]))
        .collect();
    assert_eq!(
        edited,
        [
            ("name", &"<b>Hist</b>".into(), &"Hist Two".into()),
            ("credit-limit", &serde_json::Value::Null, &250_000.into()),
        ]
    );
    let created_at = changes[0]["at"].as_str().expect("instant").to_owned();

    // In words, newest first, in the user's locale.
    let text = as_user(&host, "x", &["--locale", "id", "group", "history", "HIST"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Waktu "), "{text}");
    assert!(
        lines[1].contains(" budi ") && lines[1].ends_with(" cli      diubah"),
        "{text}"
    );
    assert!(
        text.contains("Batas Kredit                       - -> 2500.00"),
        "{text}"
    );
    assert!(
        text.contains("Nama Kelompok                      <b>Hist</b> -> Hist Two"),
        "{text}"
    );
    assert!(text.contains(" ana ") && text.contains(" dibuat"), "{text}");

    // As it was: at its creation, and after the edit, also once deleted.
    next_second();
    as_user(&host, "citra", &["group", "delete", "HIST"]);
    let then = as_user(
        &host,
        "x",
        &["group", "show", "HIST", "--as-of", &created_at],
    );
    assert!(
        then.starts_with(&format!("group HIST as it was at {created_at}\n")),
        "{then}"
    );
    assert!(
        then.contains("Group Name                           <b>Hist</b>\n"),
        "{then}"
    );
    assert!(
        then.contains("Credit Limit                         -\n"),
        "{then}"
    );
    assert!(
        then.contains("Parent Group                         LOKAL\n"),
        "{then}"
    );
    let edited_at = changes[1]["at"].as_str().expect("instant");
    let later = as_user(&host, "x", &["group", "show", "hist", "--as-of", edited_at]);
    assert!(
        later.contains("Credit Limit                         2500.00\n"),
        "{later}"
    );
    let run = host.run(&["group", "show", "HIST", "--as-of", "1999-12-31"]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: group HIST did not exist at 1999-12-31T23:59:59Z (not yet created, or already deleted)\n"
    );
    let run = host.run(&[
        "--locale", "id", "group", "show", "HIST", "--as-of", "kemarin",
    ]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert!(
        run.stderr
            .starts_with("kesalahan: --as-of menerima tanggal"),
        "{run:?}"
    );
    let deleted = as_user(&host, "x", &["group", "history", "HIST"]);
    assert!(
        deleted
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains(" citra ") && l.ends_with(" deleted")),
        "{deleted}"
    );

    // The history is append-only, for any client of the database.
    let conn = rusqlite::Connection::open(host.db()).expect("open");
    for sql in [
        "UPDATE change_history SET user = 'eve'",
        "DELETE FROM change_history",
    ] {
        let refused = conn.execute(sql, []).expect_err(sql);
        assert!(
            refused
                .to_string()
                .contains("the change history cannot be edited"),
            "{refused}"
        );
    }
}

/// Issue 14, part 2: an invoice past a credit limit is refused with the
/// limit, what would be owed and what is left; a credit controller enters
/// it with a reason; a group may bypass the check; a group may count
/// posted transactions only; every exception is recorded, for good.
#[test]
fn credit_control_refuses_overrides_bypasses_and_records() {
    let host = Host::quickstarted();
    as_user(
        &host,
        "x",
        &[
            "customer",
            "new",
            "--code",
            "C1",
            "--name",
            "Toko Satu",
            "--group",
            "L001",
            "--currency",
            "IDR",
        ],
    );
    as_user(&host, "x", &["customer", "credit-limit", "C1", "1000.00"]);
    let invoice = |user: &str, reference: &str, amount: &str, extra: &[&str]| {
        let mut args = vec![
            "--user",
            user,
            "transaction",
            "new",
            "--kind",
            "invoice",
            "--date",
            "2026-03-01",
            "--customer",
            "C1",
            "--amount",
            amount,
            "--account",
            "4000",
            "--reference",
            reference,
        ];
        args.extend_from_slice(extra);
        host.run(&args)
    };
    let ok = invoice("x", "INV-1", "800.00", &[]);
    assert_eq!(ok.code, EXIT_OK, "{ok:?}");
    assert!(!ok.stdout.contains("warning"), "{ok:?}");
    // Over by 100: refused, nothing stored, saying by how much.
    let over = invoice("x", "INV-2", "300.00", &[]);
    assert_eq!(over.code, EXIT_ERROR, "{over:?}");
    for said in [
        "C1",
        "limit 1000.00 IDR",
        "1100.00 IDR",
        "left -100.00",
        "credit-controller",
    ] {
        assert!(over.stderr.contains(said), "{said:?} in {over:?}");
    }
    // (user, reason, exit code, what it says)
    as_user(
        &host,
        "admin",
        &["user", "add", "ana", "--role", "accountant"],
    );
    let cases: [(&str, &str, u8, &str); 3] = [
        (
            "ana",
            "agreed with sales",
            EXIT_ERROR,
            "does not hold the credit-controller right",
        ),
        (
            "nobody",
            "agreed with sales",
            EXIT_ERROR,
            "does not hold the credit-controller right",
        ),
        ("ana", "  ", EXIT_ERROR, "needs a reason"),
    ];
    for (user, reason, code, said) in cases {
        let run = invoice(user, "INV-2", "300.00", &["--credit-override", reason]);
        assert_eq!(run.code, code, "{user} {reason:?}: {run:?}");
        assert!(run.stderr.contains(said), "{user} {reason:?}: {run:?}");
    }
    as_user(
        &host,
        "admin",
        &["user", "grant", "ana", "credit-controller"],
    );
    assert!(as_user(&host, "x", &["user", "list"]).contains("credit-controller"));
    let overridden = invoice(
        "ana",
        "INV-2",
        "300.00",
        &["--credit-override", "agreed with sales"],
    );
    assert_eq!(overridden.code, EXIT_OK, "{overridden:?}");
    assert!(
        overridden
            .stdout
            .contains("overridden by ana: agreed with sales"),
        "{overridden:?}"
    );
    // What the check said is recorded and shown in the currency's units.
    for shown in [
        overridden.stdout.clone(),
        as_user(&host, "x", &["transaction", "credit-exceptions", "--json"]),
    ] {
        assert!(
            shown.contains("limit 1000.00 IDR") && !shown.contains("credit limit of 100000"),
            "{shown}"
        );
    }
    // The group lets invoices past: entered with a warning, no reason.
    as_user(
        &host,
        "x",
        &["group", "edit", "L001", "--bypass-credit-check"],
    );
    let bypassed = invoice("budi", "INV-3", "500.00", &[]);
    assert_eq!(bypassed.code, EXIT_OK, "{bypassed:?}");
    assert!(
        bypassed.stdout.contains("L001 bypasses the credit check"),
        "{bypassed:?}"
    );
    // Inheriting again, and counting posted transactions only (none is
    // posted): what is owed is 0, so 900 more is within 1,000.
    as_user(
        &host,
        "x",
        &["group", "edit", "L001", "--clear", "bypass-credit-check"],
    );
    assert_eq!(invoice("x", "INV-4", "10.00", &[]).code, EXIT_ERROR);
    as_user(
        &host,
        "x",
        &["group", "edit", "LOKAL", "--credit-counts-unposted=false"],
    );
    let posted_only = invoice("x", "INV-4", "900.00", &[]);
    assert_eq!(posted_only.code, EXIT_OK, "{posted_only:?}");
    let recorded: serde_json::Value = serde_json::from_str(&as_user(
        &host,
        "x",
        &["transaction", "credit-exceptions", "--json"],
    ))
    .expect("JSON");
    let recorded = recorded.as_array().expect("a list");
    let got: Vec<(&str, Option<&str>, Option<&str>)> = recorded
        .iter()
        .map(|e| {
            (
                e["user"].as_str().unwrap_or(""),
                e["bypass"].as_str(),
                e["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("budi", Some("L001"), None),
            ("ana", None, Some("agreed with sales"))
        ],
        "newest first"
    );
    // The record cannot be edited, by any SQLite client.
    let conn = rusqlite::Connection::open(host.db()).expect("open");
    let edit = conn.execute("UPDATE credit_exceptions SET reason = 'x'", []);
    assert!(format!("{edit:?}").contains("cannot be edited"), "{edit:?}");
    let delete = conn.execute("DELETE FROM credit_exceptions", []);
    assert!(
        format!("{delete:?}").contains("cannot be edited"),
        "{delete:?}"
    );
}

/// Issue 14, part 3: the plugin's form marks accounts and credit limits
/// with the accounting right and the bypass of the credit check with the
/// credit-controller right; `--user` naming a console user is held to
/// them, at the field, in the user's language, and nothing is saved. A
/// value left as it was is no change; a name that is no console user is
/// the host's operator, as before.
#[test]
fn rights_per_field_refuse_what_the_user_does_not_hold() {
    let host = Host::quickstarted();
    for (name, role) in [
        ("sara", "sales-master"),
        ("ana", "accountant"),
        ("adi", "administrator"),
    ] {
        as_user(&host, "x", &["user", "add", name, "--role", role]);
    }
    // The group as stored, its version included.
    let stored = |host: &Host| as_user(host, "x", &["group", "show", "L001", "--json"]);
    // (user, edit of L001, refused, what it says)
    let cases: &[(&str, &[&str], bool, &[&str])] = &[
        ("sara", &["--name", "Toko Lokal"], false, &[]),
        (
            "sara",
            &["--credit-limit", "5000.00"],
            true,
            &[
                "Credit Limit needs the accounting right",
                "held by the roles accountant, administrator",
                "erp-host user grant sara accounting",
            ],
        ),
        (
            "sara",
            &["--receivable-account", "1100"],
            true,
            &["needs the accounting right"],
        ),
        (
            "sara",
            &["--bypass-credit-check"],
            true,
            &["Bypass Credit Check needs the credit-controller right"],
        ),
        ("ana", &["--credit-limit", "5000.00"], false, &[]),
        (
            "ana",
            &["--bypass-credit-check"],
            true,
            &["erp-host user grant ana credit-controller"],
        ),
        ("adi", &["--credit-limit", "6000.00"], false, &[]),
        // A credit limit left as it is: no change, so a sales master may
        // rename the group.
        ("sara", &["--name", "Toko Lokal Satu"], false, &[]),
        ("x", &["--bypass-credit-check"], false, &[]),
        ("x", &["--clear", "bypass-credit-check"], false, &[]),
    ];
    for (user, edit, refused, said) in cases {
        let before = stored(&host);
        let mut args = vec!["--user", user, "group", "edit", "L001"];
        args.extend_from_slice(edit);
        let run = host.run(&args);
        if *refused {
            assert_eq!(run.code, EXIT_ERROR, "{user} {edit:?}: {run:?}");
            assert_eq!(stored(&host), before, "{user} {edit:?} saved something");
        } else {
            assert_eq!(run.code, EXIT_OK, "{user} {edit:?}: {run:?}");
        }
        for s in *said {
            assert!(run.stderr.contains(s), "{s:?} for {user} {edit:?}: {run:?}");
        }
    }
    // In Indonesian; and granted, the right is held.
    let run = host.run(&[
        "--user",
        "sara",
        "--locale",
        "id",
        "group",
        "edit",
        "L001",
        "--credit-limit",
        "7000.00",
    ]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert!(
        run.stderr
            .contains("Batas Kredit memerlukan hak accounting"),
        "{run:?}"
    );
    as_user(&host, "x", &["user", "grant", "sara", "accounting"]);
    as_user(
        &host,
        "sara",
        &["group", "edit", "L001", "--credit-limit", "7000.00"],
    );
    // Rights held by a role show as such; revoking a grant the role makes
    // anyway says the right is still held.
    let list = as_user(&host, "x", &["user", "list"]);
    let line = |name: &str| {
        list.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line("ana").ends_with("accounting(role)"), "{list}");
    assert!(line("sara").ends_with("accounting"), "{list}");
    as_user(&host, "x", &["user", "grant", "ana", "accounting"]);
    let revoked = as_user(&host, "x", &["user", "revoke", "ana", "accounting"]);
    assert!(
        revoked.contains("still holds the accounting right as accountant"),
        "{revoked}"
    );
    // Who acts is a user name: never blank, never a console user's name
    // padded to escape their rights.
    for user in ["", "sara ", " sara", "jo smith"] {
        let run = host.run(&[
            "--user",
            user,
            "group",
            "edit",
            "L001",
            "--credit-limit",
            "1.00",
        ]);
        assert_eq!(run.code, EXIT_USAGE, "{user:?}: {run:?}");
    }
    // A disabled user holds nothing, not even the role's rights, and is
    // told so.
    as_user(&host, "x", &["user", "disable", "ana"]);
    let run = host.run(&[
        "--user",
        "ana",
        "group",
        "edit",
        "L001",
        "--credit-limit",
        "8000.00",
    ]);
    assert_eq!(run.code, EXIT_ERROR, "{run:?}");
    assert!(run.stderr.contains("ana is disabled"), "{run:?}");
}
