//! Hardening tests of `erp-sync`, all against the real binary, real files, a
//! real SQLite file and the real plugin:
//!
//! 1. crash consistency: `erp-sync` SIGKILLed at random points of a large
//!    apply leaves the store exactly in the old or the new state;
//! 2. concurrency: the host's admin CLI writes groups of its own while the
//!    daemon applies a large configuration; nothing is lost, and a store held
//!    locked makes both fail with a clear message and write nothing;
//! 3. a catalogue of bad inputs: each is refused with its file (and line and
//!    column where there is one) and writes nothing; a few that look
//!    dangerous but are legitimate are stored literally.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use daemon::config::MAX_FILE_BYTES;
use host_harness::store::{GroupQuery, GroupRecord};
use host_harness::{Db, PLUGIN_WASM, admin, sample};
use rusqlite::{Connection, ErrorCode};

/// How long any single `erp-sync` run may take before the test calls it hung.
const HANG: Duration = Duration::from_secs(60);

struct Fixture {
    dir: tempfile::TempDir,
    runs: AtomicUsize,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("config")).expect("config dir");
        let fixture = Self {
            dir,
            runs: AtomicUsize::new(0),
        };
        let db = fixture.db();
        sample::seed(&db).expect("sample data");
        admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
        fixture
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn config(&self) -> PathBuf {
        self.root().join("config")
    }

    fn db_path(&self) -> PathBuf {
        self.root().join("erp.sqlite")
    }

    fn db(&self) -> Db {
        Db::open(&self.db_path()).expect("db")
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        let path = self.config().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, bytes).expect("write config");
    }

    /// Empties the configuration directory.
    fn clear_config(&self) {
        std::fs::remove_dir_all(self.config()).expect("rm config");
        std::fs::create_dir(self.config()).expect("config dir");
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
            .env_remove("ERP_SYNC_PRUNE")
            .env_remove("ERP_SYNC_MAX_REMOVAL")
            .env("ERP_SYNC_LOG_LEVEL", "warn");
        cmd
    }

    /// Starts `erp-sync` with stdout and stderr going to one log file.
    fn spawn(&self, args: &[&str]) -> (Child, PathBuf) {
        let n = self.runs.fetch_add(1, Ordering::Relaxed);
        let log = self.root().join(format!("run-{n}.log"));
        let file = File::create(&log).expect("log file");
        let child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log file"))
            .stderr(file)
            .spawn()
            .expect("spawn erp-sync");
        (child, log)
    }

    /// Runs `erp-sync` to the end: its exit code and its output. A run that
    /// does not end within [`HANG`] fails the test.
    fn sync(&self, args: &[&str]) -> (i32, String) {
        self.sync_within(HANG, "a run", args)
    }

    /// [`Fixture::sync`] with a time limit, for a run named `what`.
    fn sync_within(&self, limit: Duration, what: &str, args: &[&str]) -> (i32, String) {
        let (mut child, log) = self.spawn(args);
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{what}: erp-sync {args:?} did not end within {limit:?}; output so far:\n{}",
                    read_log(&log)
                );
            }
            thread::sleep(Duration::from_millis(10));
        };
        (status.code().unwrap_or(-1), read_log(&log))
    }
}

fn read_log(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
}

fn head(text: &str) -> &str {
    let mut end = text.len().min(3000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Every row of a table, as text: a byte-for-byte snapshot to compare.
fn dump(db: &Db, table: &str) -> Vec<String> {
    let conn = db.conn();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
        .expect("prepare dump");
    let columns = stmt.column_count();
    let rows = stmt
        .query_map([], |row| {
            let mut cells = Vec::with_capacity(columns);
            for i in 0..columns {
                cells.push(format!("{:?}", row.get_ref(i)?));
            }
            Ok(cells.join(" | "))
        })
        .expect("query dump");
    rows.collect::<Result<_, _>>().expect("rows")
}

/// The groups and what the daemon owns: what "nothing was written" compares.
fn snapshot(db: &Db) -> (Vec<String>, Vec<String>) {
    (dump(db, "customer_groups"), dump(db, "sync_ledger"))
}

fn integrity(db: &Db) -> String {
    let conn = db.conn();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    let mut fk = conn.prepare("PRAGMA foreign_key_check").expect("fk check");
    let violations = fk.query_map([], |_| Ok(())).expect("fk").count();
    if violations > 0 {
        return format!("{check}; {violations} foreign key violation(s)");
    }
    check
}

fn all_groups(db: &Db) -> Vec<GroupRecord> {
    db.groups(&GroupQuery::default())
        .expect("group list")
        .groups
}

/// A small deterministic PRNG (SplitMix64): no dependency, same numbers on
/// every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[low, high)` (in milliseconds here).
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % high.saturating_sub(low).max(1)
    }
}

// --- 1. crash consistency ----------------------------------------------------

/// Groups declared in both states, only in the old one, only in the new one.
const CRASH_COMMON: usize = 1_400;
const CRASH_ONLY: usize = 100;
const CRASH_FILES: usize = 6;
/// Kills at least this many times, and more (up to the maximum) until enough
/// of them landed inside the write transaction.
const CRASH_ITERATIONS: usize = 20;
const CRASH_MAX_ITERATIONS: usize = 32;
const CRASH_MIN_MID_TRANSACTION: usize = 4;
/// Writes that hold the lock for less than this are not the apply (opening
/// the store, the run log).
const SHORT_WRITE_MS: u64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Old,
    New,
}

impl State {
    fn other(self) -> Self {
        match self {
            State::Old => State::New,
            State::New => State::Old,
        }
    }
}

/// What a declared group must look like in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Want {
    name: String,
    parent: Option<String>,
    is_group: bool,
    inactive: bool,
    credit_limit: Option<i64>,
    file: String,
}

/// The configuration files of a state, and the groups they declare.
fn crash_state(state: State) -> (Vec<(String, String)>, BTreeMap<String, Want>) {
    let mut declared: Vec<(String, Want)> = vec![
        (
            "HROOT".into(),
            Want {
                name: "Crash root".into(),
                parent: None,
                is_group: true,
                inactive: false,
                credit_limit: None,
                file: String::new(),
            },
        ),
        (
            "HSUB".into(),
            Want {
                name: "Crash sub".into(),
                parent: Some("HROOT".into()),
                is_group: true,
                inactive: false,
                credit_limit: None,
                file: String::new(),
            },
        ),
    ];
    let leaf = |name: String, parent: &str, cents: i64| Want {
        name,
        parent: Some(parent.into()),
        is_group: false,
        inactive: false,
        credit_limit: Some(cents),
        file: String::new(),
    };
    for i in 0..CRASH_COMMON {
        let n = i as i64;
        declared.push(match state {
            State::Old => (
                format!("C{i}"),
                leaf(format!("Crash {i} old"), "HROOT", n * 100),
            ),
            State::New => (
                format!("C{i}"),
                leaf(
                    format!("Crash {i} new"),
                    if i % 2 == 0 { "HSUB" } else { "HROOT" },
                    n * 100 + 50,
                ),
            ),
        });
    }
    for i in 0..CRASH_ONLY {
        declared.push(match state {
            State::Old => (format!("O{i}"), leaf(format!("Old only {i}"), "HROOT", 100)),
            State::New => (format!("N{i}"), leaf(format!("New only {i}"), "HSUB", 200)),
        });
    }
    let mut texts = vec![String::new(); CRASH_FILES];
    let mut wants = BTreeMap::new();
    for (i, (code, mut want)) in declared.into_iter().enumerate() {
        let file = i % CRASH_FILES;
        let text = &mut texts[file];
        text.push_str(&format!(
            "[[group]]\ncode = \"{code}\"\nname = \"{}\"\n",
            want.name
        ));
        if let Some(parent) = &want.parent {
            text.push_str(&format!("parent = \"{parent}\"\n"));
        }
        if want.is_group {
            text.push_str("is-group = true\n");
        }
        if let Some(cents) = want.credit_limit {
            text.push_str(&format!(
                "credit-limit = \"{}.{:02}\"\n",
                cents / 100,
                cents % 100
            ));
        }
        text.push('\n');
        want.file = format!("part-{file}.toml");
        wants.insert(code, want);
    }
    let files = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| (format!("part-{i}.toml"), text))
        .collect();
    (files, wants)
}

/// What the store holds: every group, and what the daemon owns.
struct Observed {
    groups: BTreeMap<String, GroupRecord>,
    ledger: BTreeMap<String, (String, bool)>,
}

fn observe(db: &Db) -> Observed {
    let groups = all_groups(db)
        .into_iter()
        .map(|r| (r.group.code.clone(), r))
        .collect();
    let conn = db.conn();
    let mut stmt = conn
        .prepare("SELECT code, source_file, removed FROM sync_ledger")
        .expect("ledger");
    let ledger = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .expect("ledger rows")
        .collect::<Result<_, _>>()
        .expect("ledger rows");
    Observed { groups, ledger }
}

/// Why `seen` is not exactly `wants` plus the groups the files do not
/// declare (`base`, as they were before the first apply); `None` if it is.
fn mismatch(
    seen: &Observed,
    wants: &BTreeMap<String, Want>,
    base: &BTreeMap<String, GroupRecord>,
) -> Option<String> {
    let mut problems = Vec::new();
    let expected: BTreeSet<&String> = wants.keys().chain(base.keys()).collect();
    let actual: BTreeSet<&String> = seen.groups.keys().collect();
    let missing = expected.difference(&actual).count();
    let extra = actual.difference(&expected).count();
    if missing + extra > 0 {
        problems.push(format!(
            "{missing} group(s) missing (e.g. {:?}), {extra} unexpected (e.g. {:?})",
            expected.difference(&actual).next(),
            actual.difference(&expected).next()
        ));
    }
    let mut wrong = 0;
    let mut example = None;
    for (code, want) in wants {
        let Some(record) = seen.groups.get(code) else {
            continue;
        };
        let g = &record.group;
        let got = Want {
            name: g.name.clone(),
            parent: g.parent.clone(),
            is_group: g.is_group,
            inactive: g.inactive,
            credit_limit: g.settings.credit_limit,
            file: want.file.clone(),
        };
        if &got != want {
            wrong += 1;
            example.get_or_insert_with(|| format!("{code}: {got:?}, want {want:?}"));
        }
    }
    if wrong > 0 {
        problems.push(format!(
            "{wrong} group(s) with other values, e.g. {}",
            example.unwrap_or_default()
        ));
    }
    for (code, record) in base {
        if seen.groups.get(code).is_some_and(|r| r != record) {
            problems.push(format!("group {code}, not in the files, was changed"));
        }
    }
    let ledger: BTreeMap<String, (String, bool)> = wants
        .iter()
        .map(|(code, w)| (code.clone(), (w.file.clone(), false)))
        .collect();
    if seen.ledger != ledger {
        let differ = ledger
            .iter()
            .filter(|(code, owned)| seen.ledger.get(*code) != Some(owned))
            .count();
        problems.push(format!(
            "the sync ledger has {} rows, {differ} of the {} expected differ or are missing",
            seen.ledger.len(),
            ledger.len()
        ));
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

fn write_state(f: &Fixture, state: State) -> BTreeMap<String, Want> {
    let (files, wants) = crash_state(state);
    for (name, text) in files {
        f.write(&name, text);
    }
    wants
}

/// The digest `erp-sync` takes of the configuration directory as it is.
fn config_digest(f: &Fixture) -> String {
    daemon::config::scan(&f.config(), host_harness::messages::Locale::En)
        .expect("scan the configuration")
        .1
}

/// The digest of the files of the last run that applied them or found them
/// applied: what the next run trusts to skip unchanged files.
fn last_good_digest(db: &Db) -> Option<String> {
    db.conn()
        .query_row(
            "SELECT config_digest FROM sync_runs WHERE outcome IN ('applied', 'unchanged') \
             ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("run log")
}

/// Takes the store's write lock if nobody holds it (`BEGIN IMMEDIATE` with
/// no busy timeout): whether it did. `ROLLBACK` releases it.
fn take_write_lock(probe: &Connection) -> bool {
    match probe.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => true,
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => false,
        Err(e) => panic!("probing the write lock: {e}"),
    }
}

/// Waits, spinning, for another connection's commit (`PRAGMA data_version`
/// changes the moment one lands), then takes the write lock as soon as it is
/// free: whether it did.
fn seize_after_commit(probe: &Connection) -> bool {
    let version = || {
        probe
            .query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0))
            .expect("data_version")
    };
    let before = version();
    let waiting = Instant::now();
    while version() == before {
        if waiting.elapsed() > HANG {
            return false;
        }
    }
    let committed = Instant::now();
    while committed.elapsed() < Duration::from_millis(50) {
        if take_write_lock(probe) {
            return true;
        }
    }
    false
}

/// Whether some connection holds the store's write lock.
fn write_locked(probe: &Connection) -> bool {
    let free = take_write_lock(probe);
    if free {
        probe.execute_batch("ROLLBACK").expect("release the probe");
    }
    !free
}

fn probe(f: &Fixture) -> Connection {
    let conn = Connection::open(f.db_path()).expect("probe connection");
    conn.busy_timeout(Duration::ZERO).expect("busy timeout");
    conn
}

/// Where a kill is aimed: milliseconds after the start of the run, into
/// the write transaction, or after its commit.
#[derive(Clone, Copy, Debug)]
enum Aim {
    Anytime(u64),
    InTransaction(u64),
    AfterCommit(u64),
}

/// Where a kill landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Landed {
    /// Before the apply's write transaction began (reading, planning).
    BeforeWrite,
    /// While the write transaction was open: rolled back.
    MidTransaction,
    /// While the write lock was held, yet the new state was committed: at
    /// the commit, or during the run-log write just after it.
    AtCommit,
    /// After the commit, before the process ended.
    AfterCommit,
    /// The process had already ended.
    AfterExit,
}

#[test]
fn sigkill_at_any_point_leaves_exactly_the_old_or_the_new_state() {
    let started = Instant::now();
    let f = Fixture::new();
    let db = f.db();
    let base: BTreeMap<String, GroupRecord> = all_groups(&db)
        .into_iter()
        .map(|r| (r.group.code.clone(), r))
        .collect();
    drop(db);
    let old = write_state(&f, State::Old);
    let old_digest = config_digest(&f);
    let (code, out) = f.sync(&["apply", "--once", "--prune"]);
    assert_eq!(code, 0, "{}", head(&out));
    let new = write_state(&f, State::New);
    let new_digest = config_digest(&f);
    let wants = |s: State| if s == State::Old { &old } else { &new };
    let digest = |s: State| {
        if s == State::Old {
            &old_digest
        } else {
            &new_digest
        }
    };
    assert_eq!(
        mismatch(&observe(&f.db()), &old, &base),
        None,
        "first apply"
    );

    // Calibration: one full old -> new apply, sampling the write lock every
    // couple of milliseconds, to know how long an apply takes and when its
    // write transaction is open (the longest stretch the lock is held).
    let sampler = probe(&f);
    let (mut child, log) = f.spawn(&["apply", "--once", "--prune"]);
    let spawned = Instant::now();
    let mut held: Vec<u64> = Vec::new();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(spawned.elapsed() < HANG, "calibration run hung");
        if write_locked(&sampler) {
            held.push(spawned.elapsed().as_millis() as u64);
        }
        thread::sleep(Duration::from_millis(2));
    };
    let mut total = spawned.elapsed().as_millis() as u64;
    assert!(status.success(), "{}", head(&read_log(&log)));
    drop(sampler);
    let mut stretches: Vec<(u64, u64)> = Vec::new();
    for t in held {
        match stretches.last_mut() {
            Some((_, end)) if t - *end <= 40 => *end = t,
            _ => stretches.push((t, t)),
        }
    }
    let window = stretches
        .iter()
        .copied()
        .max_by_key(|(start, end)| end - start)
        .expect("the apply never held the write lock");
    let mut transaction = (window.1 - window.0).max(SHORT_WRITE_MS);
    eprintln!(
        "crash: an apply of {} groups takes {total} ms; its write transaction ~{}..{} ms",
        new.len(),
        window.0,
        window.1
    );
    let mut current = State::New;
    assert_eq!(
        mismatch(&observe(&f.db()), &new, &base),
        None,
        "calibration"
    );

    let mut landed: BTreeMap<Landed, usize> = BTreeMap::new();
    let mut iteration = 0;
    while iteration < CRASH_ITERATIONS
        || (iteration < CRASH_MAX_ITERATIONS
            && landed.get(&Landed::MidTransaction).copied().unwrap_or(0)
                < CRASH_MIN_MID_TRANSACTION)
    {
        let target = current.other();
        write_state(&f, target);
        let mut rng = Rng::new(0xC0FFEE + iteration as u64);
        // Where to aim cycles; the point aimed at is random.
        let aim = match iteration % 5 {
            0 | 2 => Aim::Anytime(rng.between(0, total + total / 6)),
            1 | 4 => Aim::InTransaction(rng.between(0, transaction * 9 / 10 + 1)),
            _ => Aim::AfterCommit(rng.between(0, 10)),
        };
        // Every third run is the daemon, which reconciles at start.
        let args: &[&str] = if iteration % 3 == 2 {
            &[
                "run",
                "--prune",
                "--debounce-ms",
                "50",
                "--interval-secs",
                "3600",
            ]
        } else {
            &["apply", "--once", "--prune"]
        };
        let probe = probe(&f);
        let (mut child, log) = f.spawn(args);
        let spawned = Instant::now();
        let after = |ms: u64, from: Instant| Some(from + Duration::from_millis(ms));
        let mut deadline = match aim {
            Aim::Anytime(ms) => after(ms, spawned),
            _ => None,
        };
        // The write transaction is found by watching the write lock: held
        // twice in a row, for longer than the start-up writes hold it.
        let mut began: Option<Instant> = None;
        let mut held_before = false;
        let mut holding = false;
        let exited = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                // Ran to the end: how long a run takes now.
                total = spawned.elapsed().as_millis() as u64;
                break Some(status);
            }
            let now = Instant::now();
            assert!(now - spawned < HANG, "iteration {iteration}: hung");
            if let Some(until) = deadline {
                if now >= until {
                    break None;
                }
                if let (Aim::InTransaction(_), Some(since)) = (aim, began)
                    && !write_locked(&probe)
                {
                    let held = (now - since).as_millis() as u64;
                    if held >= SHORT_WRITE_MS {
                        // Committed before the point aimed at: the
                        // transaction is shorter now than measured.
                        transaction = held;
                        break None;
                    }
                    // A start-up write, not the apply: wait on.
                    (deadline, began, held_before) = (None, None, false);
                    continue;
                }
                thread::sleep((until - now).min(Duration::from_millis(3)));
                continue;
            }
            let held = !take_write_lock(&probe);
            match (began, aim) {
                (None, _) if held && held_before => {
                    began = Some(now);
                    if let Aim::InTransaction(ms) = aim {
                        deadline = after(ms, now);
                    }
                }
                (Some(since), Aim::AfterCommit(ms)) => {
                    // Take the lock the moment the write commits, as a host
                    // writing right then would: whatever the run still has
                    // to write waits for it, and the kill lands before that.
                    let taken = !held || seize_after_commit(&probe);
                    let long = since.elapsed().as_millis() as u64 >= SHORT_WRITE_MS;
                    if taken && long {
                        holding = true;
                        deadline = after(ms, Instant::now());
                    } else {
                        if taken && held {
                            probe.execute_batch("ROLLBACK").expect("release the probe");
                        }
                        began = None;
                    }
                }
                _ => {}
            }
            if !held && !holding {
                probe.execute_batch("ROLLBACK").expect("release the probe");
            }
            held_before = held;
            thread::sleep(Duration::from_millis(3));
        };
        let locked = exited.is_none() && !holding && write_locked(&probe);
        if exited.is_none() {
            child.kill().expect("SIGKILL");
        }
        child.wait().expect("reap");
        if holding {
            probe.execute_batch("ROLLBACK").expect("release the lock");
        }
        let at = spawned.elapsed().as_millis();
        drop(probe);
        let output = read_log(&log);
        assert!(
            !output.contains("already running"),
            "a killed run left its lock behind:\n{output}"
        );
        if let Some(status) = exited {
            assert!(status.success(), "iteration {iteration}: {}", head(&output));
        }

        let db = f.db();
        let check = integrity(&db);
        assert_eq!(
            check, "ok",
            "iteration {iteration}: integrity after a kill at {at} ms"
        );
        let seen = observe(&db);
        let logged = last_good_digest(&db);
        drop(db);
        let now = match (
            mismatch(&seen, wants(current), &base),
            mismatch(&seen, wants(target), &base),
        ) {
            (None, _) => current,
            (_, None) => target,
            (Some(as_before), Some(as_after)) => panic!(
                "iteration {iteration}: killed at {at} ms ({args:?}), the store is neither the \
                 {current:?} state ({as_before}) nor the {target:?} state ({as_after})"
            ),
        };
        let kind = match (exited.is_some(), locked, now == target) {
            (true, _, _) => Landed::AfterExit,
            (false, true, false) => Landed::MidTransaction,
            (false, true, true) => Landed::AtCommit,
            (false, false, false) => Landed::BeforeWrite,
            (false, false, true) => Landed::AfterCommit,
        };
        if exited.is_some() {
            assert_eq!(now, target, "iteration {iteration}: ran to the end");
        }
        // The run log must name the files whose state the store holds: a
        // later run finding those files trusts it and skips them.
        assert_eq!(
            logged.as_ref(),
            Some(digest(now)),
            "iteration {iteration}: killed at {at} ms ({kind:?}), the store holds the {now:?} \
             state but the run log names the files of the other"
        );
        *landed.entry(kind).or_default() += 1;
        current = now;
        iteration += 1;
    }

    // The next run after all that finishes the job, and then has nothing to do.
    let target = current.other();
    write_state(&f, target);
    let (code, out) = f.sync(&["apply", "--once", "--prune"]);
    assert_eq!(code, 0, "{}", head(&out));
    let db = f.db();
    assert_eq!(integrity(&db), "ok");
    assert_eq!(mismatch(&observe(&db), wants(target), &base), None);
    drop(db);
    let (code, out) = f.sync(&["plan", "--prune"]);
    assert_eq!(code, 0, "{}", head(&out));
    assert!(out.contains("0 to create, 0 to update"), "{}", head(&out));

    let count = |kind| landed.get(&kind).copied().unwrap_or(0);
    eprintln!(
        "crash: {iteration} runs of {} groups: killed {} times before the write transaction, \
         {} times inside it (rolled back), {} at its commit, {} after the commit; {} ended before \
         the kill; {:.1} s",
        new.len(),
        count(Landed::BeforeWrite),
        count(Landed::MidTransaction),
        count(Landed::AtCommit),
        count(Landed::AfterCommit),
        count(Landed::AfterExit),
        started.elapsed().as_secs_f64()
    );
    let mid = count(Landed::MidTransaction);
    assert!(
        mid >= CRASH_MIN_MID_TRANSACTION,
        "only {mid} of {iteration} kills landed inside the write transaction: {landed:?}"
    );
    let after = count(Landed::AfterCommit) + count(Landed::AfterExit);
    assert!(
        count(Landed::BeforeWrite) > 0 && after > 0,
        "the kills did not spread over the run: {landed:?}"
    );
}

// --- 2. concurrency with the host's CLI --------------------------------------

/// Runs the real `erp-host` CLI in-process (the binary is a thin wrapper
/// around [`host_harness::cli::main_with`], and is not necessarily built when
/// only this package is tested): its exit code, stdout and stderr.
fn erp_host(db: &Path, args: &[&str]) -> (u8, String, String) {
    let mut argv: Vec<OsString> = vec![
        "erp-host".into(),
        "--db".into(),
        db.into(),
        "--user".into(),
        "host-user".into(),
    ];
    argv.extend(args.iter().map(OsString::from));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = host_harness::cli::main_with(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn is_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("busy")
}

const CONCURRENT_GROUPS: usize = 2_000;
const WRITERS: usize = 2;
const MIN_WRITES: usize = 6;

fn concurrent_config(f: &Fixture, version: &str) {
    let mut texts = vec![String::new(); 4];
    texts[0].push_str("[[group]]\ncode = \"KNODE\"\nname = \"Managed node\"\nis-group = true\n\n");
    for i in 0..CONCURRENT_GROUPS {
        texts[i % 4].push_str(&format!(
            "[[group]]\ncode = \"K{i}\"\nname = \"Managed {i} {version}\"\nparent = \"KNODE\"\n\n"
        ));
    }
    for (i, text) in texts.iter().enumerate() {
        f.write(&format!("k{i}.toml"), text);
    }
}

/// One write the CLI made, and how it ended.
#[derive(Debug)]
struct Write {
    code: String,
    /// The name the group has if the write succeeded.
    name: String,
    create: bool,
    ok: bool,
    message: String,
    took: Duration,
    /// Finished while the daemon was still running.
    during: bool,
}

/// Writes groups through the CLI until `done` (and at least [`MIN_WRITES`]):
/// creates, and in the second round edits of the groups it created before.
fn writer(
    db: PathBuf,
    who: usize,
    round: usize,
    mine: Vec<String>,
    done: Arc<AtomicBool>,
) -> Vec<Write> {
    let mut writes = Vec::new();
    let mut n = 0;
    while !done.load(Ordering::SeqCst) || writes.len() < MIN_WRITES {
        let edit = round == 2 && n % 2 == 1 && n / 2 < mine.len();
        let (code, name, args) = if edit {
            let code = mine[n / 2].clone();
            let name = format!("Host {code} edited");
            let args = vec![
                "group".into(),
                "edit".into(),
                code.clone(),
                "--name".into(),
                name.clone(),
            ];
            (code, name, args)
        } else {
            let code = format!("H{who}{round}{n:04}");
            let name = format!("Host group {who}/{round}/{n}");
            let args = vec![
                "group".into(),
                "new".into(),
                "--code".into(),
                code.clone(),
                "--name".into(),
                name.clone(),
                "--credit-limit".into(),
                format!("{n}000"),
            ];
            (code, name, args)
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let begun = Instant::now();
        let (status, out, err) = erp_host(&db, &args);
        let during = !done.load(Ordering::SeqCst);
        writes.push(Write {
            code,
            name,
            create: !edit,
            ok: status == 0,
            message: format!("{out}{err}"),
            took: begun.elapsed(),
            during,
        });
        n += 1;
        // A person or a script, not a tight loop: leaves the CPU to the daemon.
        thread::sleep(Duration::from_millis(20));
    }
    writes
}

/// One round: the daemon applies the configuration as `version` while the
/// writers write and a reader checks that the daemon's change is seen all or
/// nothing. Returns the writes.
fn concurrent_round(f: &Fixture, round: usize, version: &str, mine: &[Vec<String>]) -> Vec<Write> {
    concurrent_config(f, version);
    let done = Arc::new(AtomicBool::new(false));
    let (mut child, log) = f.spawn(&["apply", "--once"]);
    let writers: Vec<_> = (0..WRITERS)
        .map(|who| {
            let (db, done, mine) = (f.db_path(), done.clone(), mine[who].clone());
            thread::spawn(move || writer(db, who, round, mine, done))
        })
        .collect();
    // A reader on its own connection: the managed groups in `version` are
    // never seen partly applied.
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let reader = {
        let (path, done, seen) = (f.db_path(), done.clone(), seen.clone());
        let pattern = format!("% {version}");
        thread::spawn(move || {
            let conn = Connection::open(path).expect("reader");
            conn.busy_timeout(Duration::from_secs(5)).expect("timeout");
            let mut reads = 0usize;
            while !done.load(Ordering::SeqCst) {
                let count: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM customer_groups WHERE parent = 'KNODE' AND name LIKE ?1",
                        [&pattern],
                        |r| r.get(0),
                    )
                    .expect("read while the daemon writes");
                seen.lock().expect("seen").insert(count);
                reads += 1;
                thread::sleep(Duration::from_millis(5));
            }
            reads
        })
    };
    let deadline = Instant::now() + HANG;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "erp-sync apply hung");
        thread::sleep(Duration::from_millis(10));
    };
    done.store(true, Ordering::SeqCst);
    let out = read_log(&log);
    match status.code() {
        Some(0) => assert!(out.contains("applied:"), "{}", head(&out)),
        _ => {
            assert!(
                is_busy(&out),
                "erp-sync failed, and not because the store was busy:\n{}",
                head(&out)
            );
            // Busy is a clean refusal: the next run applies.
            let (code, out) = f.sync(&["apply", "--once"]);
            assert_eq!(code, 0, "{}", head(&out));
        }
    }
    let writes: Vec<Write> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer"))
        .collect();
    let reads = reader.join().expect("reader");
    let seen = seen.lock().expect("seen").clone();
    let all = CONCURRENT_GROUPS as i64;
    assert!(
        seen.iter().all(|&n| n == 0 || n == all),
        "round {round}: a reader saw the daemon's change partly applied: counts {seen:?}"
    );
    eprintln!(
        "concurrency round {round}: erp-sync exit {:?}; {} CLI writes ({} finished while it ran, \
         slowest {} ms); {reads} reads saw {seen:?} of {all} groups changed",
        status.code(),
        writes.len(),
        writes.iter().filter(|w| w.during).count(),
        writes.iter().map(|w| w.took.as_millis()).max().unwrap_or(0),
    );
    writes
}

#[test]
fn host_writes_during_a_large_apply_are_never_lost() {
    let started = Instant::now();
    let f = Fixture::new();
    let none: Vec<Vec<String>> = (0..WRITERS).map(|_| Vec::new()).collect();
    let first = concurrent_round(&f, 1, "v1", &none);
    let mine: Vec<Vec<String>> = (0..WRITERS)
        .map(|who| {
            first
                .iter()
                .filter(|w| w.ok && w.create && w.code.starts_with(&format!("H{who}")))
                .map(|w| w.code.clone())
                .collect()
        })
        .collect();
    let second = concurrent_round(&f, 2, "v2", &mine);

    // Every write that reported success is there, as written; every one
    // that failed says the store was busy and left nothing behind.
    let mut expected: BTreeMap<String, Option<String>> = BTreeMap::new();
    let (mut ok, mut busy, mut during) = (0, 0, 0);
    for w in first.iter().chain(&second) {
        during += usize::from(w.during);
        if w.ok {
            ok += 1;
            expected.insert(w.code.clone(), Some(w.name.clone()));
        } else {
            busy += 1;
            assert!(
                is_busy(&w.message),
                "a CLI write failed, and not because the store was busy: {w:?}"
            );
            if w.create {
                expected.entry(w.code.clone()).or_insert(None);
            }
        }
    }
    assert!(
        during >= 2 * WRITERS,
        "too few writes overlapped the daemon's runs ({during})"
    );
    let db = f.db();
    assert_eq!(integrity(&db), "ok");
    let owned: BTreeSet<String> = observe(&db).ledger.into_keys().collect();
    for (code, name) in &expected {
        let stored = db.group(code).expect("read");
        match name {
            Some(name) => {
                let record = stored.unwrap_or_else(|| panic!("write of {code} was lost"));
                assert_eq!(&record.group.name, name, "{code}");
                assert!(!record.group.inactive, "{code} was deactivated");
                assert!(!owned.contains(code), "the daemon took over {code}");
            }
            None => assert!(stored.is_none(), "{code}: a failed create left a group"),
        }
    }
    for i in 0..CONCURRENT_GROUPS {
        let record = db
            .group(&format!("K{i}"))
            .expect("read")
            .expect("managed group");
        assert_eq!(record.group.name, format!("Managed {i} v2"));
    }
    drop(db);
    // The host's groups are not the daemon's business: nothing to do.
    let (code, out) = f.sync(&["plan"]);
    assert_eq!(code, 0, "{}", head(&out));
    assert!(
        out.contains("0 to create, 0 to update, 0 to adopt, 0 to deactivate, 0 to delete"),
        "{}",
        head(&out)
    );
    eprintln!(
        "concurrency: {} CLI writes ({ok} succeeded, {busy} refused as busy), {during} of them \
         while erp-sync applied {CONCURRENT_GROUPS} groups; {:.1} s",
        ok + busy,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn a_store_held_locked_makes_daemon_and_cli_fail_clearly_and_write_nothing() {
    let f = Fixture::new();
    f.write(
        "a.toml",
        "[[group]]\ncode = \"L1\"\nname = \"Locked one\"\n",
    );
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    f.write(
        "a.toml",
        "[[group]]\ncode = \"L1\"\nname = \"Locked two\"\n",
    );
    let before = snapshot(&f.db());

    // Another writer holds the store longer than the busy timeout (5 s).
    let holder = Connection::open(f.db_path()).expect("holder");
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .expect("hold the write lock");
    let db_path = f.db_path();
    let cli = thread::spawn(move || {
        erp_host(
            &db_path,
            &["group", "new", "--code", "HL1", "--name", "Host locked"],
        )
    });
    let (code, out) = f.sync(&["apply", "--once"]);
    let (cli_code, cli_out, cli_err) = cli.join().expect("cli");
    holder.execute_batch("ROLLBACK").expect("release");
    drop(holder);

    assert_eq!(code, 1, "{out}");
    assert!(out.contains("database is locked"), "{out}");
    assert!(out.contains("erp.sqlite"), "names the store: {out}");
    assert_eq!(cli_code, 1, "{cli_out}{cli_err}");
    assert!(cli_err.contains("database is locked"), "{cli_err}");
    let db = f.db();
    assert_eq!(integrity(&db), "ok");
    assert_eq!(snapshot(&db), before, "nothing was written");
    assert!(db.group("HL1").expect("read").is_none());
    drop(db);

    // Released, both go through.
    assert_eq!(f.sync(&["apply", "--once"]).0, 0);
    let (cli_code, _, cli_err) = erp_host(
        &f.db_path(),
        &["group", "new", "--code", "HL1", "--name", "Host locked"],
    );
    assert_eq!(cli_code, 0, "{cli_err}");
    let db = f.db();
    assert_eq!(
        db.group("L1").expect("read").expect("L1").group.name,
        "Locked two"
    );
    assert!(db.group("HL1").expect("read").is_some());
}

// --- 3. bad input ------------------------------------------------------------

/// Something a case puts in the configuration directory.
enum Entry {
    /// A file with these bytes.
    File(&'static str, Vec<u8>),
    /// A file of this size, all zero bytes (sparse: costs no disk).
    Sized(&'static str, u64),
    /// A symbolic link to a path under the fixture's root (outside the
    /// configuration directory), or, written `./target`, to `target` as a
    /// relative link.
    Link(&'static str, &'static str),
    /// A named pipe.
    Fifo(&'static str),
}

/// One bad input: what to write, and what the output must say.
struct Case {
    name: &'static str,
    entries: Vec<Entry>,
    expect: Vec<String>,
}

fn file(name: &'static str, text: impl Into<Vec<u8>>) -> Entry {
    Entry::File(name, text.into())
}

fn case(name: &'static str, entries: Vec<Entry>, expect: &[&str]) -> Case {
    Case {
        name,
        entries,
        expect: expect.iter().map(|s| s.to_string()).collect(),
    }
}

/// How long one bad-input run may take (each takes well under a second).
const CASE_LIMIT: Duration = Duration::from_secs(20);

/// The configuration every case starts from, applied before the catalogue.
const BASE: &str = "[[group]]\ncode = \"BNODE\"\nname = \"Base node\"\nis-group = true\n\n\
                    [[group]]\ncode = \"B1\"\nname = \"Base one\"\nparent = \"BNODE\"\n\n\
                    [[group]]\ncode = \"B2\"\nname = \"Base two\"\nparent = \"BNODE\"\n";

fn catalogue() -> Vec<Case> {
    let long_code = "C".repeat(10_000);
    let long_name = "é".repeat(61);
    let deep = format!("x = {}{}\n", "[".repeat(5_000), "]".repeat(5_000));
    vec![
        // Malformed TOML.
        case(
            "unclosed table header",
            vec![file("bad.toml", "[[group]\ncode = \"X1\"\nname = \"X\"\n")],
            &["invalid TOML", "--> bad.toml:1:"],
        ),
        case(
            "unterminated string",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"Broken\n",
            )],
            &["invalid TOML", "--> bad.toml:3:"],
        ),
        case(
            "invalid escape in a string",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"a\\qb\"\n",
            )],
            &["invalid TOML", "--> bad.toml:3:"],
        ),
        case(
            "raw control character (ESC) in a string",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"a\x1b]0;owned\x07b\"\n",
            )],
            &["invalid TOML", "--> bad.toml:3:10"],
        ),
        case(
            "invalid date in a rule",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\n\
                 sales-discount-rules = [ { valid-from = 2026-13-45, min-amount = 1, percent = 1 } ]\n",
            )],
            &["invalid TOML", "month", "--> bad.toml:4:41"],
        ),
        case(
            "arrays nested 5000 deep",
            vec![file("bad.toml", deep)],
            &["invalid TOML", "recursion", "--> bad.toml:1:"],
        ),
        // Wrong types.
        case(
            "number where a string is expected",
            vec![file("bad.toml", "[[group]]\ncode = 12\nname = \"X\"\n")],
            &["expected a string, found an integer", "--> bad.toml:2:8"],
        ),
        case(
            "string where true/false is expected",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\nis-group = \"yes\"\n",
            )],
            &[
                "expected true or false, found a string",
                "--> bad.toml:4:12",
            ],
        ),
        case(
            "string where a rule table is expected",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\nsales-discount-rules = \"none\"\n",
            )],
            &[
                "`sales-discount-rules` must be an array of tables",
                "--> bad.toml:4:24",
            ],
        ),
        case(
            "string where the group tables are expected",
            vec![file("bad.toml", "group = \"X1\"\n")],
            &["`group` must be an array of tables", "--> bad.toml:1:9"],
        ),
        case(
            "one [group] table instead of [[group]]",
            vec![file("bad.toml", "[group]\ncode = \"X1\"\nname = \"X\"\n")],
            &["`group` must be an array of tables", "--> bad.toml:1:1"],
        ),
        case(
            "amount that is not a number",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\ncredit-limit = inf\n",
            )],
            &["\"inf\" is not an amount", "--> bad.toml:4:16"],
        ),
        case(
            "whole number out of range",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\ndue-count = 99999999999999999999\n",
            )],
            &["out of range", "--> bad.toml:4:13"],
        ),
        case(
            "group without a code",
            vec![file("bad.toml", "[[group]]\nname = \"X\"\n")],
            &["this group has no `code`", "--> bad.toml:1:1"],
        ),
        // Unknown keys.
        case(
            "misspelt key",
            vec![file("bad.toml", "[[group]]\ncode = \"X1\"\nnmae = \"X\"\n")],
            &[
                "unknown key `nmae`",
                "did you mean `name`?",
                "--> bad.toml:3:1",
            ],
        ),
        case(
            "misspelt long key",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\nrecievable-account = \"1100\"\n",
            )],
            &[
                "unknown key `recievable-account`",
                "did you mean `receivable-account`?",
                "--> bad.toml:4:1",
            ],
        ),
        case(
            "misspelt key in a rule row",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\n\
                 payment-discount-rules = [ { valid-from = 2026-01-01, within-days = 7, precent = 3 } ]\n",
            )],
            &[
                "unknown key `precent`",
                "did you mean `percent`?",
                "--> bad.toml:4:",
            ],
        ),
        case(
            "misspelt top-level key",
            vec![file(
                "bad.toml",
                "[[groups]]\ncode = \"X1\"\nname = \"X\"\n",
            )],
            &[
                "unknown key `groups`",
                "did you mean `group`?",
                "--> bad.toml:1:3",
            ],
        ),
        case(
            "escape sequence hidden in a key",
            vec![file("bad.toml", "\"\\u001b[2J\" = 1\n")],
            &["unknown key", "--> bad.toml:1:1"],
        ),
        // Codes and names.
        case(
            "code over 8 characters",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"TOOLONGCODE\"\nname = \"X\"\n",
            )],
            &["has 11 characters; at most 8", "--> bad.toml:2:8"],
        ),
        case(
            "code of 10,000 characters",
            vec![file(
                "bad.toml",
                format!("[[group]]\ncode = \"{long_code}\"\nname = \"X\"\n"),
            )],
            &["has 10000 characters; at most 8", "--> bad.toml:2:8"],
        ),
        case(
            "non-ASCII letter in a code",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"KÖLN\"\nname = \"Köln\"\n",
            )],
            &[
                "only letters A-Z and digits 0-9, not 'Ö'",
                "--> bad.toml:2:8",
            ],
        ),
        case(
            "control character in a code",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"A\\u0001B\"\nname = \"X\"\n",
            )],
            &[
                "only letters A-Z and digits 0-9, not '\\u{1}'",
                "--> bad.toml:2:8",
            ],
        ),
        case(
            "SQL in a code",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X'; --\"\nname = \"X\"\n",
            )],
            &[
                "only letters A-Z and digits 0-9, not '\\''",
                "--> bad.toml:2:8",
            ],
        ),
        case(
            "control character in a name",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"Bell\\u0007\"\n",
            )],
            &[
                "contains the control character '\\u{7}'",
                "--> bad.toml:3:8",
            ],
        ),
        case(
            "name of 61 non-ASCII characters",
            vec![file(
                "bad.toml",
                format!("[[group]]\ncode = \"X1\"\nname = \"{long_name}\"\n"),
            )],
            &["has 61 characters; at most 60", "--> bad.toml:3:8"],
        ),
        case(
            "blank name",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"   \"\n",
            )],
            &["Group Name is required", "--> bad.toml:3:8"],
        ),
        // Whole files.
        case(
            "file over the size limit",
            vec![Entry::Sized("huge.toml", MAX_FILE_BYTES + 1)],
            &[
                &format!(
                    "the file has {} bytes; at most {MAX_FILE_BYTES} are read",
                    MAX_FILE_BYTES + 1
                ),
                "--> huge.toml",
            ],
        ),
        case(
            "file that is not UTF-8 (Latin-1)",
            vec![file(
                "bad.toml",
                b"[[group]]\ncode = \"X1\"\nname = \"caf\xe9\"\n".to_vec(),
            )],
            &["the file is not valid UTF-8", "--> bad.toml:3:12"],
        ),
        case(
            "file in UTF-16",
            vec![file("bad.toml", b"\xff\xfe[\x00[\x00g\x00".to_vec())],
            &["the file is not valid UTF-8", "--> bad.toml:1:1"],
        ),
        case(
            "named pipe",
            vec![Entry::Fifo("pipe.toml")],
            &["not a regular file", "--> pipe.toml"],
        ),
        // Symbolic links.
        case(
            "file symlink to a .toml file outside",
            vec![Entry::Link("escape.toml", "outside/secret.toml")],
            &[
                "a symbolic link leads outside the configuration directory",
                "--> escape.toml",
            ],
        ),
        case(
            "file symlink to a file outside with another extension",
            vec![Entry::Link("escape.toml", "outside/secret.txt")],
            &[
                "a symbolic link leads outside the configuration directory",
                "--> escape.toml",
            ],
        ),
        case(
            "directory symlink outside",
            vec![Entry::Link("shared", "outside")],
            &[
                "a symbolic link leads outside the configuration directory",
                "--> shared",
            ],
        ),
        case(
            "directory symlink loop",
            vec![
                file("sub/x.toml", "[[group]]\ncode = \"X1\"\nname = \"X\"\n"),
                Entry::Link("sub/up", "./.."),
            ],
            &["already read", "--> sub/up"],
        ),
        // Across declarations.
        case(
            "same code in two files",
            vec![
                file("a.toml", "[[group]]\ncode = \"D1\"\nname = \"Dup\"\n"),
                file("b.toml", "[[group]]\ncode = \"D1\"\nname = \"Dup again\"\n"),
            ],
            &[
                "group D1 is declared twice",
                "--> b.toml:2:8",
                "also declared at a.toml:2:8",
            ],
        ),
        case(
            "same code in two files, spelt differently",
            vec![
                file("a.toml", "[[group]]\ncode = \"d1\"\nname = \"Dup\"\n"),
                file(
                    "b.toml",
                    "[[group]]\ncode = \" D1 \"\nname = \"Dup again\"\n",
                ),
            ],
            &["appears 2 times", "--> a.toml:2:8", "--> b.toml:2:8"],
        ),
        case(
            "code of a base group declared again",
            vec![file(
                "a.toml",
                "[[group]]\ncode = \"B1\"\nname = \"Again\"\n",
            )],
            &["group B1 is declared twice", "a.toml:2:8", "base.toml:7:8"],
        ),
        case(
            "parent cycle",
            vec![file(
                "cycle.toml",
                "[[group]]\ncode = \"Y1\"\nname = \"Y one\"\nis-group = true\nparent = \"Y2\"\n\n\
                 [[group]]\ncode = \"Y2\"\nname = \"Y two\"\nis-group = true\nparent = \"Y1\"\n",
            )],
            &["would make a cycle", "--> cycle.toml:5:10\n"],
        ),
        case(
            "its own parent",
            vec![file(
                "cycle.toml",
                "[[group]]\ncode = \"Y1\"\nname = \"Y\"\nis-group = true\nparent = \"Y1\"\n",
            )],
            &["cannot be its own parent", "--> cycle.toml:5:10\n"],
        ),
        case(
            "parent that does not exist",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\nparent = \"NOPE\"\n",
            )],
            &[
                "parent group \"NOPE\" does not exist",
                "--> bad.toml:4:10\n",
            ],
        ),
        case(
            "parent that is not a group node",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\nparent = \"B1\"\n",
            )],
            &["parent B1 is not a group node", "--> bad.toml:4:10\n"],
        ),
        case(
            "account that does not exist",
            vec![file(
                "bad.toml",
                "[[group]]\ncode = \"X1\"\nname = \"X\"\nreceivable-account = \"9999\"\n",
            )],
            &["account \"9999\" does not exist", "--> bad.toml:4:22\n"],
        ),
        case(
            "every file emptied (the removal guard)",
            vec![file("base.toml", "")],
            &["would remove 3 of the 3 groups", "--> "],
        ),
    ]
}

/// Legitimate input that looks suspicious: applied, stored literally.
struct Accepted {
    name: &'static str,
    entries: Vec<Entry>,
    /// Group code -> the name it must have, exactly.
    stored: Vec<(&'static str, &'static str)>,
}

fn accepted() -> Vec<Accepted> {
    vec![
        Accepted {
            name: "SQL in a name",
            entries: vec![file(
                "sql.toml",
                "[[group]]\ncode = \"SQL1\"\nname = \"'; DROP TABLE customer_groups; --\"\n\n\
                 [[group]]\ncode = \"SQL2\"\nname = \"Robert\\\"); DELETE FROM sync_ledger; --\"\n",
            )],
            stored: vec![
                ("SQL1", "'; DROP TABLE customer_groups; --"),
                ("SQL2", "Robert\"); DELETE FROM sync_ledger; --"),
            ],
        },
        Accepted {
            name: "SQL in a file name",
            entries: vec![file(
                "'; DROP TABLE sync_ledger; --.toml",
                "[[group]]\ncode = \"SQL3\"\nname = \"From an odd file\"\n",
            )],
            stored: vec![("SQL3", "From an odd file")],
        },
        Accepted {
            name: "non-ASCII names",
            entries: vec![file(
                "names.toml",
                "[[group]]\ncode = \"ID1\"\nname = \"Pelanggan Setia — Café Ñusantara\"\n\n\
                 [[group]]\ncode = \"JP1\"\nname = \"東京支店の得意先\"\n",
            )],
            stored: vec![
                ("ID1", "Pelanggan Setia — Café Ñusantara"),
                ("JP1", "東京支店の得意先"),
            ],
        },
        Accepted {
            name: "byte order mark",
            entries: vec![file(
                "bom.toml",
                "\u{feff}[[group]]\ncode = \"BOM1\"\nname = \"With a BOM\"\n",
            )],
            stored: vec![("BOM1", "With a BOM")],
        },
        Accepted {
            name: "empty file and comment-only file",
            entries: vec![
                file("empty.toml", ""),
                file("comment.toml", "# nothing here yet\n"),
            ],
            stored: vec![],
        },
    ]
}

fn create(f: &Fixture, entry: &Entry) {
    match entry {
        Entry::File(name, bytes) => f.write(name, bytes),
        Entry::Sized(name, size) => File::create(f.config().join(name))
            .and_then(|file| file.set_len(*size))
            .expect("sized file"),
        Entry::Link(name, target) => {
            let link = f.config().join(name);
            if let Some(parent) = link.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            let target = match target.strip_prefix("./") {
                Some(relative) => PathBuf::from(relative),
                None => f.root().join(target),
            };
            std::os::unix::fs::symlink(target, link).expect("symlink");
        }
        Entry::Fifo(name) => {
            let status = Command::new("mkfifo")
                .arg(f.config().join(name))
                .status()
                .expect("run mkfifo");
            assert!(status.success(), "mkfifo failed");
        }
    }
}

fn last_outcome(db: &Db) -> String {
    db.conn()
        .query_row(
            "SELECT outcome FROM sync_runs ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("last run")
}

#[test]
fn bad_input_is_refused_with_its_place_and_writes_nothing() {
    let started = Instant::now();
    let f = Fixture::new();
    // Targets outside the configuration directory: read, they would add X9.
    let outside = f.root().join("outside");
    std::fs::create_dir(&outside).expect("outside dir");
    let x9 = "[[group]]\ncode = \"X9\"\nname = \"From outside\"\n";
    std::fs::write(outside.join("secret.toml"), x9).expect("outside file");
    std::fs::write(outside.join("secret.txt"), x9).expect("outside file");
    f.write("base.toml", BASE);
    let (code, out) = f.sync(&["apply", "--once"]);
    assert_eq!(code, 0, "{out}");
    let before = snapshot(&f.db());

    let cases = catalogue();
    let mut tried = 0;
    for case in &cases {
        // Each case also renames a base group: applying anything at all
        // would show.
        f.write("base.toml", BASE.replace("Base one", "Base one renamed"));
        for entry in &case.entries {
            create(&f, entry);
        }
        let name = case.name;
        let (code, out) = f.sync_within(CASE_LIMIT, name, &["apply", "--once"]);
        assert_eq!(code, 1, "{name}: exit code\n{}", head(&out));
        for want in &case.expect {
            assert!(
                out.contains(want.as_str()),
                "{name}: missing {want:?} in:\n{}",
                head(&out)
            );
        }
        assert!(
            !out.contains("panicked"),
            "{name}: the daemon panicked:\n{}",
            head(&out)
        );
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{name}: raw control characters reach the terminal:\n{:?}",
            head(&out)
        );
        let db = f.db();
        assert_eq!(snapshot(&db), before, "{name}: something was written");
        assert_eq!(last_outcome(&db), "refused", "{name}");
        drop(db);
        f.clear_config();
        f.write("base.toml", BASE);
        tried += 1;
    }

    let mut applied = 0;
    for case in accepted() {
        for entry in &case.entries {
            create(&f, entry);
        }
        let (code, out) = f.sync(&["apply", "--once"]);
        let name = case.name;
        assert_eq!(code, 0, "{name}: exit code\n{}", head(&out));
        let db = f.db();
        assert_eq!(integrity(&db), "ok", "{name}");
        for (code, want) in &case.stored {
            let record = db
                .group(code)
                .expect("read")
                .unwrap_or_else(|| panic!("{name}: {code} not stored"));
            assert_eq!(record.group.name, *want, "{name}: stored literally");
        }
        // The tables the strings name are all still there.
        let (groups, ledger) = snapshot(&db);
        assert!(
            groups.len() > before.0.len() || case.stored.is_empty(),
            "{name}"
        );
        assert!(ledger.len() >= before.1.len(), "{name}");
        drop(db);
        // Written back as read: nothing left to do.
        let (code, out) = f.sync(&["plan"]);
        assert_eq!(code, 0, "{name}: plan after apply\n{}", head(&out));
        applied += 1;
    }
    eprintln!(
        "bad input: {tried} refused cases tried, each refused with its place and nothing \
         written; {applied} legitimate look-alikes stored literally; {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
