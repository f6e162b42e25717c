//! Per-company settings in files (issue 14, part 5): a `[group.company.CO]`
//! table under a `[[group]]` declares what the group sets for company `CO`
//! (its accounts and credit limits), validated by the plugin against that
//! company's chart and applied with the group in one transaction. The real
//! `erp-sync` binary, real files, the real plugin and a real SQLite file;
//! the host set up and read through `erp-host`'s own entry.

use std::path::PathBuf;
use std::process::Command;

use host_harness::{Db, PLUGIN_WASM, admin, sample};

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// The sample company `MAIN` and a second, `BETA`, with its own chart
    /// (receivables B1100 and B1200, sales B4000) and AR settings
    /// (receivable B1100).
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("config")).expect("config dir");
        let f = Self { dir };
        let db = Db::open(&f.db_path()).expect("db");
        sample::seed(&db).expect("sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
        f.host(&["company", "new", "--code", "beta", "--name", "PT Beta"]);
        for (code, name, kind) in [
            ("B1100", "Beta Debtors", "receivable"),
            ("B1200", "Beta VIP Debtors", "receivable"),
            ("B4000", "Beta Sales", "income"),
        ] {
            f.host(&[
                "account",
                "new",
                "--company",
                "BETA",
                "--code",
                code,
                "--name",
                name,
                "--kind",
                kind,
            ]);
        }
        f.host(&[
            "settings",
            "set",
            "--company",
            "BETA",
            "--receivable-account",
            "B1100",
        ]);
        f
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.config().join(name), text).expect("write config");
    }

    /// `erp-host --db <this> ARGS` through the CLI's entry: stdout and
    /// stderr together; the command must succeed.
    fn host(&self, args: &[&str]) -> String {
        let (code, out) = self.host_run(args);
        assert_eq!(code, 0, "erp-host {args:?}: {out}");
        out
    }

    fn host_run(&self, args: &[&str]) -> (u8, String) {
        let mut argv = vec![
            "erp-host".to_owned(),
            "--db".to_owned(),
            self.db_path().display().to_string(),
        ];
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = host_harness::cli::main_with(argv, &mut out, &mut err);
        out.extend(err);
        (code, String::from_utf8_lossy(&out).into_owned())
    }

    /// `erp-sync --db <this> ARGS` over the config directory: (exit code,
    /// stdout + stderr).
    fn sync(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_erp-sync"))
            .arg("--db")
            .arg(self.db_path())
            .args(args)
            .env_remove("ERP_DB")
            .env("ERP_SYNC_CONFIG", self.config())
            .env("ERP_SYNC_LOG_LEVEL", "warn")
            .env("ERP_LANG", "en")
            .output()
            .expect("run erp-sync");
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap_or(-1), text)
    }

    /// What group `code` sets for each company other than the default, as
    /// `group show --json` reports it.
    fn companies_of(&self, code: &str) -> serde_json::Value {
        let out = self.host(&["group", "show", code, "--json", "--company", "BETA"]);
        let shown: serde_json::Value = serde_json::from_str(&out).expect("group show json");
        shown["companies"].clone()
    }

    /// The effective `field` of group `code` in BETA, with its source, as
    /// `group show --company BETA` prints it.
    fn in_beta(&self, code: &str) -> String {
        self.host(&["group", "show", code, "--company", "BETA"])
    }

    fn group_exists(&self, code: &str) -> bool {
        Db::open(&self.db_path())
            .expect("db")
            .group(code)
            .expect("read")
            .is_some()
    }
}

const GAMMA: &str = "\
[[group]]
code = \"G1\"
name = \"Gamma\"
receivable-account = \"1100\"

[group.company.beta]
receivable-account = \"B1200\"
credit-limit = \"500.00\"
";

/// A file's company table is applied with its group: the group's own
/// settings stay the default company's, BETA gets what the table says, and
/// a second run finds nothing to do.
#[test]
fn a_file_sets_what_a_group_has_for_another_company() {
    let f = Fixture::new();
    f.write("g.toml", GAMMA);
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("with BETA"),
        "the plan names the company: {out}"
    );

    let companies = f.companies_of("G1");
    assert_eq!(
        companies["BETA"]["receivable-account"], "B1200",
        "{companies}"
    );
    assert_eq!(companies["BETA"]["credit-limit"], 50000, "{companies}");
    let main = f.host(&["group", "show", "G1"]);
    assert!(
        main.lines()
            .any(|l| l.contains("Accounts Receivable") && l.contains("1100")),
        "{main}"
    );
    let beta = f.in_beta("G1");
    assert!(
        beta.lines()
            .any(|l| l.contains("Accounts Receivable") && l.contains("B1200")),
        "{beta}"
    );

    // Another file, so that the plan reads the store again rather than
    // finding the directory as it was last applied.
    f.write("h.toml", "[[group]]\ncode = \"H1\"\nname = \"Eta\"\n");
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 2, "H1 is to be created: {out}");
    assert!(
        out.contains("1 to create, 0 to update") && out.contains("1 unchanged"),
        "G1 and what it has for BETA are as the file says: {out}"
    );
}

/// A company table that sets nothing is no row: the group has nothing for
/// that company, so a run after applying it finds the group unchanged, and
/// a group adopted with such a table is adopted, not updated.
#[test]
fn an_empty_company_table_is_nothing_set_for_that_company() {
    let f = Fixture::new();
    f.write(
        "g.toml",
        "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\n\n[group.company.BETA]\n\n\
         [[group]]\ncode = \"L001\"\nname = \"Lokal 1\"\nadopt = true\n\n[group.company.BETA]\n",
    );
    f.host(&["group", "new", "--code", "L001", "--name", "Lokal 1"]);
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 to create, 0 to update, 1 to adopt"),
        "{out}"
    );
    assert!(
        f.companies_of("G1")
            .as_object()
            .is_some_and(|m| m.is_empty())
    );
    f.write("h.toml", "[[group]]\ncode = \"H1\"\nname = \"Eta\"\n");
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 2, "H1 is to be created: {out}");
    assert!(
        out.contains("1 to create, 0 to update, 0 to adopt") && out.contains("2 unchanged"),
        "{out}"
    );
}

/// A company table that cannot be applied is refused at the file, line and
/// column of what is wrong, and nothing of the file is written.
#[test]
fn a_bad_company_table_is_refused_where_it_is_and_nothing_is_written() {
    let f = Fixture::new();
    let group = "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\n\n";
    let cases: &[(&str, &str, &str)] = &[
        (
            "[group.company.NOPE]\ncredit-limit = \"1.00\"\n",
            "g.toml:5:",
            "NOPE",
        ),
        (
            "[group.company.MAIN]\ncredit-limit = \"1.00\"\n",
            "g.toml:5:",
            "MAIN",
        ),
        (
            "[group.company.BETA]\nprice-list = \"VIP\"\n",
            "g.toml:6:1",
            "is the same in every company",
        ),
        (
            "[group.company.BETA]\nrecievable-account = \"B1200\"\n",
            "g.toml:6:1",
            "receivable-account",
        ),
        (
            "[group.company.BETA]\nreceivable-account = \"1100\"\n",
            "g.toml:6:",
            "1100",
        ),
        (
            "[group.company.BETA]\nreceivable-account = \"B4000\"\n",
            "g.toml:6:",
            "B4000",
        ),
        ("[group.company]\nBETA = 1\n", "g.toml:6:", "BETA"),
    ];
    for (table, at, says) in cases {
        f.write("g.toml", &format!("{group}{table}"));
        let (code, out) = f.sync(&["apply", "--once"]);
        assert_eq!(code, 1, "{table}: {out}");
        assert!(
            out.contains(&format!("--> {at}")),
            "{table}: at {at}: {out}"
        );
        assert!(out.contains(says), "{table}: says {says}: {out}");
        assert!(!f.group_exists("G1"), "{table}: nothing written: {out}");
    }
}

/// What the console or the CLI changes in a file's company settings is
/// drift: reported by `plan`, put back by `apply --drift restore`; and a company table
/// taken out of the file clears what the group had for that company.
#[test]
fn a_company_edit_elsewhere_is_drift_and_a_removed_table_clears_it() {
    let f = Fixture::new();
    f.write("g.toml", GAMMA);
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");

    f.host(&[
        "group",
        "edit",
        "G1",
        "--company",
        "BETA",
        "--credit-limit",
        "900.00",
    ]);
    assert_eq!(f.companies_of("G1")["BETA"]["credit-limit"], 90000);
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("G1") && out.contains("1 drifted"),
        "the edit shows in the plan: {out}"
    );
    let (code, out) = f.sync(&["apply", "--once", "--drift", "restore"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        f.companies_of("G1")["BETA"]["credit-limit"],
        50000,
        "the file's value is back: {out}"
    );

    f.write(
        "g.toml",
        "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\nreceivable-account = \"1100\"\n",
    );
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("~ update G1 without company settings"),
        "the plan says what goes: {out}"
    );
    let companies = f.companies_of("G1");
    assert!(
        companies.as_object().is_some_and(|m| m.is_empty()),
        "BETA's settings cleared: {companies}"
    );
    let beta = f.in_beta("G1");
    assert!(
        beta.lines()
            .any(|l| l.contains("Accounts Receivable") && l.contains("B1100")),
        "BETA falls back to its AR settings: {beta}"
    );
}

/// What erp-sync says of a file is in `--locale`'s language, at the file,
/// line and column, as in English: each case a file and a phrase of its
/// Indonesian diagnostic (the plugin's and the host's words were already
/// translated; these are the reader's own).
#[test]
fn a_file_s_problems_are_said_in_the_locale() {
    let f = Fixture::new();
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[group]]\ncode = \"G1\"\nnmae = \"Gamma\"\nname = \"Gamma\"\n",
            "g.toml:3:1",
            "kunci `nmae` tidak dikenal",
        ),
        (
            "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\nmaen = 1\n",
            "g.toml:4:1",
            "kunci kelompok:",
        ),
        (
            "[[group]]\ncode = \"G1\"\nname = 5\n",
            "g.toml:3:8",
            "seharusnya teks, ternyata bilangan bulat",
        ),
        (
            "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\ndue-unit = \"years\"\n",
            "g.toml:4:12",
            "bukan satuan",
        ),
        (
            "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\ncredit-limit = \"abc\"\n",
            "g.toml:4:16",
            "bukan jumlah uang",
        ),
        (
            "[[group]]\ncode = \"G1\"\n",
            "g.toml:1:1",
            "kelompok ini tidak memiliki `name`",
        ),
        (
            "[[group]]\ncode = \"G1\"\nname = \"Gamma\n",
            "g.toml:3:",
            "TOML tidak sah",
        ),
        (
            "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\n\n[group.company.BETA]\nprice-list = \"VIP\"\n",
            "g.toml:6:1",
            "`price-list` sama di semua perusahaan",
        ),
        (
            "[[group]]\ncode = \"G1\"\nname = \"Gamma\"\n\n[[group]]\ncode = \"G1\"\nname = \"Again\"\n",
            "g.toml:",
            "dideklarasikan dua kali",
        ),
    ];
    for (text, at, says) in cases {
        f.write("g.toml", text);
        let (code, out) = f.sync(&["plan", "--locale", "id"]);
        assert_eq!(code, 1, "{text}: {out}");
        assert!(out.contains(&format!("--> {at}")), "{text}: at {at}: {out}");
        assert!(out.contains(says), "{text}: says {says:?}: {out}");
        let (_, english) = f.sync(&["plan"]);
        assert!(
            !english.contains(says),
            "{text}: English unless asked: {english}"
        );
    }
}
