//! The `erp-sync` command line: options, the commands' dispatch, the store
//! lock. `main.rs` is a wrapper around [`main`]. Printing a report is
//! [`print`], `status` is [`status`].

mod print;
mod status;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::print::print;
use crate::cli::status::status;
use crate::error::ReconcileError;
use crate::ledger;
use crate::options::{DriftMode, Options};
use crate::reconcile::{self, Hold, Settle};
use crate::report::Report;
use crate::watch::{self, Pace};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use host_harness::cli as host_cli;
use host_harness::messages::{self, Locale};
use host_harness::store::StoreError;
use host_harness::{Admin, Db, PLUGIN_WASM, admin, sample};

/// Mirrors customer groups declared in TOML files into the host's store.
#[derive(Parser)]
#[command(name = "erp-sync", version, about, max_term_width = 100, after_help = AFTER_HELP)]
struct Cli {
    /// The host database.
    #[arg(long, global = true, env = "ERP_DB", default_value = "erp.sqlite")]
    db: PathBuf,
    /// Log format (logs go to stderr; level from ERP_SYNC_LOG_LEVEL, e.g. `debug`).
    #[arg(long, global = true, env = "ERP_SYNC_LOG", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// What `erp-sync --help` tells a newcomer after the options: the config
/// format in brief, the exit codes, and where the rest is.
const AFTER_HELP: &str = "\
Configuration: every *.toml file under --config (subdirectories too) holds
[[group]] tables whose keys are the form's field names, for example:

    [[group]]
    code = \"LOKAL\"                # required; up to 8 letters/digits
    name = \"Local Customers\"      # required
    is-group = true               # a group node: holds groups, not customers

    [[group]]
    code = \"VIP\"
    name = \"VIP Customers\"
    parent = \"LOKAL\"
    credit-limit = \"50000000.00\"  # settings left out are inherited

Exit codes: 0 done or nothing to do, 1 error or refused, 2 changes pending
(plan only), 64 usage error.

Every key, the behaviour and a systemd unit: README.md, section
\"The sync daemon: erp-sync\".";

/// The options of the commands that reconcile (`run`, `plan`, `apply`).
#[derive(Args)]
struct SyncArgs {
    /// The configuration directory: every *.toml file under it, subdirectories too.
    #[arg(long, env = "ERP_SYNC_CONFIG", default_value = "config")]
    config: PathBuf,
    /// What to do with a group edited in the host after it was applied.
    #[arg(long, env = "ERP_SYNC_DRIFT", value_enum, default_value_t = DriftMode::Report)]
    drift: DriftMode,
    /// Delete groups removed from the files (where the rules allow) instead
    /// of deactivating them.
    #[arg(long, env = "ERP_SYNC_PRUNE")]
    prune: bool,
    /// Refuse a change that removes more than this share (percent) of the
    /// groups the files own.
    #[arg(long, env = "ERP_SYNC_MAX_REMOVAL", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(0..=100))]
    max_removal: u32,
    /// Apply past the removal guard.
    #[arg(long)]
    force: bool,
    /// Locale of the messages (a region is fine: `id-ID`); any other
    /// language is refused.
    #[arg(long, env = "ERP_LOCALE", default_value = "en", value_parser = host_cli::LocaleParser)]
    locale: Locale,
    /// The user stamped in audit fields; a console user of that name is
    /// held to its rights per field.
    #[arg(long, env = "ERP_SYNC_USER", default_value = "erp-sync", value_parser = host_cli::user_name)]
    user: String,
    /// Create the database if needed, add the sample company's chart of
    /// accounts and reference data to an empty one, and install the bundled
    /// plugin if none is installed.
    #[arg(long)]
    bootstrap: bool,
}

impl SyncArgs {
    fn options(&self) -> Options {
        Options {
            dir: self.config.clone(),
            drift: self.drift,
            prune: self.prune,
            max_removal_percent: self.max_removal,
            force: self.force,
            locale: self.locale.tag().to_owned(),
            user: self.user.clone(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Watch the directory and keep the store in step until SIGTERM/SIGINT.
    Run {
        #[command(flatten)]
        sync: SyncArgs,
        /// Quiet time after a change before reconciling, in milliseconds.
        #[arg(long, default_value_t = 150)]
        debounce_ms: u64,
        /// Reconcile at least this often, in seconds.
        #[arg(long, default_value_t = 300)]
        interval_secs: u64,
    },
    /// Show what a reconcile would do. Exit code 0: nothing to do; 2: changes
    /// pending; 1: errors; 64: usage error.
    Plan {
        #[command(flatten)]
        sync: SyncArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Reconcile once (for deployment pipelines). Exit code 0: done or
    /// nothing to do; 1: refused or failed; 64: usage error.
    Apply {
        #[command(flatten)]
        sync: SyncArgs,
        /// Required: apply once and exit (`run` is the daemon).
        #[arg(long, required = true)]
        once: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The last runs, what the files own, and drift (read from the store
    /// alone: no files, no plugin).
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `plan`'s exit code when changes are pending.
const EXIT_PENDING: u8 = 2;

/// Runs `erp-sync` with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => {
            return ExitCode::from(host_cli::report_usage(
                &usage,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
                host_cli::Colour::of_process(),
            ));
        }
    };
    init_logs(cli.log_format);
    let locale = match &cli.command {
        Command::Run { sync, .. } | Command::Plan { sync, .. } | Command::Apply { sync, .. } => {
            sync.locale
        }
        Command::Status { .. } => Locale::En,
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!(
                "{}: {}",
                messages::error_word(locale),
                host_harness::errors::error_chain(&e, locale)
            );
            ExitCode::from(host_cli::EXIT_ERROR)
        }
    }
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ERP_SYNC_LOG_LEVEL")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(host_cli::colour_for(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn run(cli: Cli) -> Result<u8> {
    // `status` and `plan` only read: the store is opened read-only, never
    // created or migrated (unless `--bootstrap` asks for it first).
    let (reads_only, bootstrap_as) = match &cli.command {
        Command::Status { .. } => (true, None),
        Command::Plan { sync, .. } => (true, sync.bootstrap.then(|| sync.user.clone())),
        Command::Run { sync, .. } | Command::Apply { sync, .. } => {
            (false, sync.bootstrap.then(|| sync.user.clone()))
        }
    };
    let db = match bootstrap_as {
        Some(user) => {
            let db = open_store(&cli.db, false)?;
            bootstrap(&db, &user)?;
            if reads_only {
                drop(db);
                open_store(&cli.db, true)?
            } else {
                db
            }
        }
        None => open_store(&cli.db, reads_only)?,
    };
    let out = &mut std::io::stdout().lock();
    match cli.command {
        Command::Run {
            sync,
            debounce_ms,
            interval_secs,
        } => {
            let admin = load(db)?;
            let _lock = lock(&cli.db)?;
            let pace = Pace {
                debounce: Duration::from_millis(debounce_ms),
                interval: Duration::from_secs(interval_secs.max(1)),
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            runtime.block_on(watch::run(Arc::new(admin), sync.options(), pace))?;
            Ok(host_cli::EXIT_OK)
        }
        Command::Plan { sync, json } => {
            let report = reconcile::reconcile(&load(db)?, &sync.options(), true)?;
            print(&report, json, out)?;
            Ok(match report.outcome {
                "refused" => host_cli::EXIT_ERROR,
                "planned" => EXIT_PENDING,
                _ => host_cli::EXIT_OK,
            })
        }
        // The run log is read without the plugin: it may say why the
        // plugin cannot be loaded.
        Command::Status { json } => {
            status(&db, json, out)?;
            Ok(host_cli::EXIT_OK)
        }
        Command::Apply {
            sync,
            once: _,
            json,
        } => {
            let admin = load(db)?;
            let _lock = lock(&cli.db)?;
            let started = std::time::Instant::now();
            let report = match apply_once(&admin, &sync.options()) {
                Ok(report) => report,
                Err(e) => {
                    ledger::record_failure(&admin, &e);
                    let e = anyhow::Error::new(e)
                        .context(format!("reconciling into {}", cli.db.display()));
                    return Err(e);
                }
            };
            watch::log(
                &report,
                "apply --once",
                started.elapsed().as_millis() as u64,
            );
            print(&report, json, out)?;
            Ok(if report.outcome == "refused" {
                host_cli::EXIT_ERROR
            } else {
                host_cli::EXIT_OK
            })
        }
    }
}

/// One reconcile applied in one transaction. Removals wait until the files
/// read the same for [`reconcile::SETTLE`]: it reads them again until they
/// do (for at most [`reconcile::PATIENCE`]; after that, everything but the
/// removals is applied, and they are left for the next run).
fn apply_once(admin: &Admin, options: &Options) -> Result<Report, ReconcileError> {
    let mut settle = Settle::default();
    loop {
        let report = reconcile::reconcile_settled(admin, options, Hold::Everything, &mut settle)?;
        match settle.confirm_at() {
            Some(at) if report.outcome == "waiting" => {
                std::thread::sleep(at.saturating_duration_since(std::time::Instant::now()));
            }
            _ => return Ok(report),
        }
    }
}

/// The store at `path`, read-write (created and migrated if needed) or
/// read-only (it must exist, and is never written).
fn open_store(path: &Path, read_only: bool) -> Result<Db> {
    let opened = if read_only {
        Db::open_read_only(path)
    } else {
        Db::open(path)
    };
    match opened {
        Ok(db) => Ok(db),
        // These name the path already.
        Err(e @ (StoreError::Missing { .. } | StoreError::NotMigrated { .. })) => Err(e.into()),
        Err(e) => Err(anyhow::Error::new(e).context(format!("opening {}", path.display()))),
    }
}

/// The plugin the host has installed, loaded (from the precompiled cache
/// when it can be).
fn load(db: Db) -> Result<Admin> {
    let admin =
        Admin::open(db).context("loading the plugin installed in the host (try --bootstrap)")?;
    let loaded = admin.plugin().loaded();
    tracing::info!(
        code = %loaded.origin,
        ms = loaded.took.as_secs_f64() * 1e3,
        cache_problem = loaded.cache_problem.as_deref().unwrap_or(""),
        "plugin loaded"
    );
    Ok(admin)
}

fn bootstrap(db: &Db, user: &str) -> Result<()> {
    let added = sample::seed(db)?;
    if added > 0 {
        tracing::info!(accounts = added, "sample chart of accounts added");
    }
    if db.installed_plugin()?.is_none() {
        let installed = admin::install_plugin(db, PLUGIN_WASM, None, user)?;
        tracing::info!(sha256 = %installed.sha256, "bundled plugin installed");
    }
    Ok(())
}

/// One daemon per store: an exclusive lock on a file beside the database.
fn lock(db: &Path) -> Result<File> {
    let mut name = db.as_os_str().to_owned();
    name.push(".erp-sync.lock");
    let path = PathBuf::from(name);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another erp-sync is already running on {} (lock {})",
            db.display(),
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(e).context("locking"),
    }
}
