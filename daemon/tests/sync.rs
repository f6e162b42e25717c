//! End-to-end tests of `erp-sync`: the real binary, real files, real
//! file-system events, a real SQLite file and the real plugin.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use host_harness::{Db, Limits, PLUGIN_WASM, admin, sample};

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("config")).expect("config dir");
        let fixture = Self { dir };
        let db = fixture.db();
        sample::seed(&db).expect("sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
        fixture
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("erp.sqlite")
    }

    fn db(&self) -> Db {
        Db::open(&self.db_path()).expect("db")
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.config().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write config");
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_erp-sync"));
        // The directory through the environment: `--config` belongs to the
        // commands that reconcile, after their name.
        cmd.arg("--db")
            .arg(self.db_path())
            .args(args)
            .env_remove("ERP_DB")
            .env("ERP_SYNC_CONFIG", self.config())
            .env("ERP_SYNC_LOG_LEVEL", "warn");
        cmd
    }

    fn sync(&self, args: &[&str]) -> (i32, String) {
        let Output {
            status,
            stdout,
            stderr,
        } = self.command(args).output().expect("run erp-sync");
        let mut text = String::from_utf8_lossy(&stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&stderr));
        (status.code().unwrap_or(-1), text)
    }

    /// Whether `status` says the last run failed, with `why` in its first warning.
    fn last_run_failed_with(&self, why: &str) -> bool {
        let (_, out) = self.sync(&["status", "--json"]);
        let status: serde_json::Value = serde_json::from_str(&out).expect("status json");
        status["runs"][0]["outcome"] == "failed"
            && status["runs"][0]["warnings"][0]
                .as_str()
                .is_some_and(|w| w.contains(why))
    }

    fn spawn(&self) -> Child {
        self.command(&["run", "--debounce-ms", "100", "--interval-secs", "3600"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn erp-sync run")
    }

    fn name_of(&self, code: &str) -> Option<(String, bool)> {
        self.db()
            .group(code)
            .expect("read")
            .map(|r| (r.group.name, r.group.inactive))
    }
}

fn stop(mut child: Child) {
    let pid = child.id().to_string();
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "erp-sync run exited with {status}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "erp-sync run did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for `done`; the deadline is generous because a busy machine
/// running this file's tests side by side (two of them sync thousands of
/// groups on both cores) slows every process these tests start.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

const ONE: &str = "[[group]]\ncode = \"A1\"\nname = \"Alpha\"\n";

#[test]
fn run_follows_creates_edits_rename_over_saves_and_deletes() {
    let f = Fixture::new();
    let child = f.spawn();
    f.write("a.toml", ONE);
    eventually("A1 created", || {
        f.name_of("A1") == Some(("Alpha".into(), false))
    });

    f.write("a.toml", &ONE.replace("Alpha", "Alpha Two"));
    eventually("A1 renamed", || {
        f.name_of("A1") == Some(("Alpha Two".into(), false))
    });

    // An editor's atomic save: write a temporary file, rename it over.
    let tmp = f.config().join(".a.toml.swp");
    std::fs::write(&tmp, ONE.replace("Alpha", "Alpha Three")).expect("tmp");
    std::fs::rename(&tmp, f.config().join("a.toml")).expect("rename over");
    eventually("rename-over applied", || {
        f.name_of("A1") == Some(("Alpha Three".into(), false))
    });

    // Subdirectories count; a second group keeps the removal below the guard.
    f.write("sub/b.toml", "[[group]]\ncode = \"B1\"\nname = \"Beta\"\n");
    f.write("sub/c.toml", "[[group]]\ncode = \"C1\"\nname = \"Gamma\"\n");
    eventually("B1 created", || {
        f.name_of("B1").is_some() && f.name_of("C1").is_some()
    });

    std::fs::remove_file(f.config().join("a.toml")).expect("delete file");
    eventually("A1 deactivated", || {
        f.name_of("A1") == Some(("Alpha Three".into(), true))
    });
    stop(child);

    // A restart finds nothing to do.
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("unchanged: 0 to create, 0 to update"), "{out}");
}

#[test]
fn a_malformed_file_changes_nothing_and_says_where() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    f.write("a.toml", &ONE.replace("Alpha", "Changed"));
    f.write("bad.toml", "[[group]]\ncode = \"X1\"\nname = \"Broken\n");
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--> bad.toml:3:"), "{out}");
    assert!(out.contains("invalid TOML"), "{out}");
    assert_eq!(
        f.name_of("A1"),
        Some(("Alpha".into(), false)),
        "last good state kept"
    );
    assert!(f.name_of("X1").is_none());
    let (_, status) = f.sync(&["status"]);
    assert!(
        status.contains("refused") && status.contains("bad.toml:3"),
        "{status}"
    );

    std::fs::remove_file(f.config().join("bad.toml")).expect("fix");
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    assert_eq!(f.name_of("A1"), Some(("Changed".into(), false)));
}

#[test]
fn every_problem_is_reported_with_its_position() {
    let f = Fixture::new();
    f.write(
        "a.toml",
        "[[group]]\ncode = \"D1\"\nnmae = \"Typo\"\nname = \"Dup\"\n",
    );
    f.write("b.toml", "[[group]]\ncode = \"D1\"\nname = \"Dup again\"\n");
    f.write(
        "c.toml",
        "[[group]]\ncode = \"N1\"\nname = \"Node\"\nis-group = true\nparent = \"N2\"\n\n\
         [[group]]\ncode = \"N2\"\nname = \"Node 2\"\nis-group = true\nparent = \"N1\"\n\n\
         [[group]]\ncode = \"TOOLONGCODE\"\nname = \"Long\"\ncredit-limit = 1.234\n",
    );
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 1, "{out}");
    for want in [
        "unknown key `nmae`",
        "did you mean `name`?",
        "--> a.toml:3:1",
        "group D1 is declared twice",
        "--> b.toml:2:8",
        "it is also declared at a.toml:2:8",
        "--> c.toml:16:16",
        "not an amount",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    // Parse errors stop before validation; fix them and the plugin's rules speak.
    f.write("a.toml", "[[group]]\ncode = \"D1\"\nname = \"Dup\"\n");
    std::fs::remove_file(f.config().join("b.toml")).expect("rm");
    f.write(
        "c.toml",
        "[[group]]\ncode = \"N1\"\nname = \"Node\"\nis-group = true\nparent = \"N2\"\n\n\
         [[group]]\ncode = \"N2\"\nname = \"Node 2\"\nis-group = true\nparent = \"N1\"\n\n\
         [[group]]\ncode = \"TOOLONGCODE\"\nname = \"Long\"\nreceivable-account = \"4000\"\n\n\
         [[group]]\ncode = \"R1\"\nname = \"Rules\"\nsales-discount-rules = [\n\
         \x20 { valid-from = 2026-01-01, min-amount = \"100\", percent = \"5\" },\n\
         \x20 { valid-from = 2026-02-01, min-amount = \"100\", percent = \"3\" },\n]\n",
    );
    let (code, out) = f.sync(&["plan", "--json"]);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let errors: Vec<String> = json["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{} {}",
                e["file"].as_str().unwrap_or(""),
                e["line"],
                e["column"],
                e["message"]
            )
        })
        .collect();
    let text = errors.join("\n");
    assert!(
        text.contains("c.toml:5:10") && text.contains("would make a cycle"),
        "{text}"
    );
    assert!(
        text.contains("c.toml:14:8") && text.contains("at most 8"),
        "{text}"
    );
    assert!(
        text.contains("c.toml:16:22") && text.contains("income account"),
        "{text}"
    );
    // A rule table's cell, as the plugin names it, points at its value.
    assert!(
        text.contains("c.toml:23:18") && text.contains("overlaps row 1"),
        "{text}"
    );
    assert!(f.name_of("D1").is_none(), "nothing applied");
}

/// Renames A1 as `someone` would in the host: the drift both tests below
/// start from.
fn edit_a1_in_the_host(db: &Db) {
    let record = db.group("A1").expect("read").expect("exists");
    let mut edited = record.group.clone();
    edited.name = "Edited in the host".into();
    db.update_group(&edited, record.version, "someone")
        .expect("host edit");
}

#[test]
fn drift_is_reported_or_restored() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    let db = f.db();
    edit_a1_in_the_host(&db);

    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("! drift A1: edited in the host by someone"),
        "{out}"
    );
    assert_eq!(
        f.name_of("A1"),
        Some(("Edited in the host".into(), false)),
        "report only"
    );
    let (_, status) = f.sync(&["status"]);
    assert!(status.contains("drift: A1"), "{status}");

    let (code, out) = f.sync(&["apply", "--once", "--drift", "restore"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("~ update A1  (restored"), "{out}");
    assert_eq!(f.name_of("A1"), Some(("Alpha".into(), false)));
    let (_, status) = f.sync(&["status"]);
    assert!(status.contains("drift: none"), "{status}");
}

#[test]
fn mass_removal_needs_force_and_prune_deletes_only_what_may_go() {
    let f = Fixture::new();
    let groups: String = (1..=4)
        .map(|n| format!("[[group]]\ncode = \"G{n}\"\nname = \"Group {n}\"\n\n"))
        .collect();
    f.write("a.toml", &groups);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    f.db()
        .conn()
        .execute(
            "INSERT INTO customers (code, name, group_code, currency) VALUES ('C1', 'C1', 'G2', 'IDR')",
            [],
        )
        .expect("customer");
    f.write("a.toml", "[[group]]\ncode = \"G1\"\nname = \"Group 1\"\n");
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("would remove 3 of the 4 groups"), "{out}");
    assert_eq!(f.name_of("G3"), Some(("Group 3".into(), false)));

    let (code, out) = f.sync(&["apply", "--once", "--prune", "--force"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        f.name_of("G3").is_none() && f.name_of("G4").is_none(),
        "pruned"
    );
    assert_eq!(
        f.name_of("G2"),
        Some(("Group 2".into(), true)),
        "in use: deactivated instead"
    );
    assert!(
        out.contains("G2 kept (deactivated) instead of deleted"),
        "{out}"
    );
}

#[test]
fn groups_the_files_do_not_own_are_left_alone_unless_adopted() {
    let f = Fixture::new();
    f.write(
        "a.toml",
        "[[group]]\ncode = \"0000\"\nname = \"Default renamed\"\n",
    );
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("not managed by these files") && out.contains("adopt = true"),
        "{out}"
    );
    f.write(
        "a.toml",
        "[[group]]\ncode = \"0000\"\nname = \"Default renamed\"\nadopt = true\n",
    );
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(f.name_of("0000"), Some(("Default renamed".into(), false)));
}

#[test]
fn one_daemon_per_store() {
    let f = Fixture::new();
    let child = f.spawn();
    // The daemon holds the lock from before its start-up reconcile to its
    // end. Asked before it has the lock, `apply --once` would take it
    // first and the daemon be the one refused.
    eventually("the daemon's start-up reconcile", || {
        f.db()
            .conn()
            .query_row("SELECT count(*) FROM sync_runs", [], |r| r.get::<_, i64>(0))
            .expect("count")
            >= 1
    });
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("another erp-sync is already running"), "{out}");
    stop(child);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
}

#[test]
fn a_large_first_sync_validates_in_chunks_parents_first() {
    let f = Fixture::new();
    // The children come first in the files; their node comes last. The
    // last child takes the first one's name: they meet in different chunks.
    let mut text = String::new();
    for n in 0..6_000 {
        let name = if n == 5_999 {
            "KID 0".into()
        } else {
            format!("Kid {n}")
        };
        text.push_str(&format!(
            "[[group]]\ncode = \"K{n}\"\nname = \"{name}\"\nparent = \"ZNODE\"\n\n"
        ));
    }
    f.write("a.toml", &text);
    f.write(
        "z.toml",
        "[[group]]\ncode = \"ZNODE\"\nname = \"Node\"\nis-group = true\n",
    );
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{}", &out[..out.len().min(2000)]);
    assert_eq!(f.db().child_groups("ZNODE").expect("children").len(), 6_000);
    assert!(
        out.contains("group K0 already has the name \"KID 0\""),
        "{}",
        &out[..out.len().min(2000)]
    );

    // A cycle in a large batch is still named as a cycle.
    f.write(
        "y.toml",
        "[[group]]\ncode = \"CY1\"\nname = \"C1\"\nis-group = true\nparent = \"CY2\"\n\n\
         [[group]]\ncode = \"CY2\"\nname = \"C2\"\nis-group = true\nparent = \"CY1\"\n",
    );
    let renamed = text.replace("Kid ", "Child ");
    f.write("a.toml", &renamed);
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("would make a cycle"),
        "{}",
        &out[..out.len().min(2000)]
    );
}

/// Chunks are validated two at a time, the second ahead of the first's
/// groups; what the first accepts must still reach the second: a parent,
/// and a name taken.
#[test]
fn a_chunk_validated_ahead_sees_what_the_chunk_before_it_accepted() {
    let f = Fixture::new();
    let mut text = String::new();
    // Chunks of 1,000: the second holds R1000..R1099 and KID.
    for n in 0..1_100 {
        let name = if n == 1_050 {
            "ROOT 7".into()
        } else {
            format!("Root {n}")
        };
        text.push_str(&format!(
            "[[group]]\ncode = \"R{n}\"\nname = \"{name}\"\nis-group = true\n\n"
        ));
    }
    // Deeper than every root: in the second chunk, its parent in the first.
    text.push_str("[[group]]\ncode = \"KID\"\nname = \"Kid\"\nparent = \"R1\"\n");
    f.write("a.toml", &text);
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{}", &out[..out.len().min(2000)]);
    assert_eq!(
        f.db().group("KID").expect("read").map(|g| g.group.parent),
        Some(Some("R1".to_owned()))
    );
    assert!(
        out.contains("group R7 already has the name \"ROOT 7\""),
        "{}",
        &out[..out.len().min(2000)]
    );
}

/// Regression: every reconcile reads the files, which raises access events;
/// the daemon used to take them for changes and reconcile in a loop.
#[test]
fn reading_the_files_does_not_wake_the_daemon() {
    let f = Fixture::new();
    f.write("a.toml", ONE);
    let child = f.spawn();
    let runs = || -> i64 {
        f.db()
            .conn()
            .query_row("SELECT count(*) FROM sync_runs", [], |r| r.get(0))
            .expect("count")
    };
    eventually("the start-up reconcile", || runs() >= 1);
    std::thread::sleep(Duration::from_millis(1500));
    let settled = runs();
    assert!(settled <= 2, "{settled} runs without any change");
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(runs(), settled, "the daemon keeps waking itself up");
    stop(child);
}

#[test]
fn run_reloads_the_plugin_when_the_host_changes_its_limits() {
    let f = Fixture::new();
    let many: String = (0..5_000)
        .map(|n| format!("[[group]]\ncode = \"M{n}\"\nname = \"Many {n}\"\n"))
        .collect();
    let child = f.spawn();
    f.write("a.toml", ONE);
    eventually("A1 created", || f.name_of("A1").is_some());

    // The administrator tightens the budget while the daemon runs: the
    // smallest per-call fuel and none per record cannot validate 5,000 groups.
    let mut values = Limits::default().values();
    values[0] = Limits::RANGES[0].min;
    values[1] = 0;
    let tight = Limits::from_values(values).expect("in range");
    f.db()
        .set_plugin_limits(Some(&tight), "ops")
        .expect("limits");
    f.write("many.toml", &many);
    eventually("a reconcile failing on the new fuel budget", || {
        f.last_run_failed_with("fuel budget of 10000000 units")
    });
    assert!(f.name_of("M0").is_none(), "nothing applied");

    // Limits back to the defaults: the next change goes through.
    f.db().set_plugin_limits(None, "ops").expect("reset");
    f.write("a.toml", &ONE.replace("Alpha", "Alpha Again"));
    eventually("5,000 groups applied", || {
        f.name_of("M4999").is_some() && f.name_of("A1") == Some(("Alpha Again".into(), false))
    });
    stop(child);
}

#[test]
fn a_plugin_that_cannot_be_reloaded_fails_the_run_on_the_record() {
    let f = Fixture::new();
    let child = f.spawn();
    f.write("a.toml", ONE);
    eventually("A1 created", || f.name_of("A1").is_some());

    // The installed component no longer matches its digest (tampered with
    // by hand): the daemon must not go on with the plugin it had loaded.
    let digest: String = f
        .db()
        .conn()
        .query_row("SELECT sha256 FROM plugins", [], |r| r.get(0))
        .expect("digest");
    f.db()
        .conn()
        .execute("UPDATE plugins SET sha256 = ?1", [&"0".repeat(64)])
        .expect("tamper");
    f.write("a.toml", &ONE.replace("Alpha", "Alpha Tampered"));
    eventually("a failed run naming the reload", || {
        f.last_run_failed_with("reloading the plugin installed in the host")
    });
    assert_eq!(
        f.name_of("A1"),
        Some(("Alpha".into(), false)),
        "nothing applied"
    );

    // Put right, the next change goes through with the reloaded plugin.
    f.db()
        .conn()
        .execute("UPDATE plugins SET sha256 = ?1", [&digest])
        .expect("restore");
    f.write("a.toml", &ONE.replace("Alpha", "Alpha Again"));
    eventually("the change applied", || {
        f.name_of("A1") == Some(("Alpha Again".into(), false))
    });
    stop(child);
}

#[test]
fn file_names_are_shown_not_sent_to_the_terminal() {
    let f = Fixture::new();
    f.write("a\u{1b}[2J\u{7}.toml", ONE);
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 2, "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(
        out.contains("+ create A1  (a\u{241b}[2J\u{2407}.toml)"),
        "{out}"
    );
}

#[test]
fn the_history_names_the_daemon_and_the_file_behind_each_change() {
    use host_harness::actor::Via;
    use host_harness::store::history::{Action, Entity};
    let f = Fixture::new();
    f.write("regions/a.toml", ONE);
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    let db = f.db();
    edit_a1_in_the_host(&db);
    let (code, out) = f.sync(&["apply", "--once", "--drift", "restore"]);
    assert_eq!(code, 0, "{out}");

    let history = db.history(Entity::CustomerGroup, "A1").expect("history");
    let who: Vec<(Action, &str, Via, Option<&str>)> = history
        .iter()
        .map(|c| {
            let o = &c.origin;
            (c.action, o.user.as_str(), o.via, o.source.as_deref())
        })
        .collect();
    let daemon = history[0].origin.user.as_str();
    assert_eq!(
        who,
        [
            (Action::Create, daemon, Via::Daemon, Some("regions/a.toml")),
            (Action::Update, "someone", Via::Cli, None),
            (Action::Update, daemon, Via::Daemon, Some("regions/a.toml")),
        ]
    );
    let restored: Vec<(&str, String, String)> = history[2]
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.to_string(), c.new.to_string()))
        .collect();
    assert_eq!(
        restored,
        [("name", "\"Edited in the host\"".into(), "\"Alpha\"".into())]
    );
}
