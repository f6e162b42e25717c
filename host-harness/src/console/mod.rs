//! The web console, `erp-host serve`: the host ERP's screens in a browser,
//! drawn from the installed plugin's form definition (its menu entry, list
//! columns, search keys, match modes, sections, fields, actions, in the
//! user's locale), saving through the same admin services as the CLI.
//!
//! - [`session`]: sessions, CSRF tokens, the login rate limit;
//! - `security`: the headers every response carries, the error pages;
//! - [`widgets`]: the one place a field kind becomes a widget, and a
//!   submitted form becomes field values;
//! - `pages`: the templates (askama: checked when the host is compiled,
//!   every value HTML-escaped);
//! - `routes`: the handlers, thin: check the session and the role, call a
//!   service, render.
//!
//! The server is axum on tokio; every handler's work (SQLite, the plugin)
//! runs on tokio's blocking pool. Nothing is hand-coded about customer
//! groups: a new field of the plugin's form appears with no change here.

mod pages;
mod routes;
mod security;
pub mod session;
mod submission;
pub mod widgets;
mod words;

use std::cell::Cell;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::admin::{Admin, AdminError};
use crate::store::{Db, StoreError};
use crate::users::UserError;

pub use self::words::Words;

/// Connections to the store (each with its loaded plugin) per core: the
/// requests at work at once. A request's work is short (0.1 to 0.3 ms) and
/// is handed to the blocking pool and back; with one per core, a core
/// stood idle during each hand-off (a quarter of the time under load).
/// With three, `console-bench` served the list 7,200-7,300 req/s against
/// 5,700 and the form 4,750 against 3,200-3,400 on 2 cores, the form's p99
/// 14 ms against 18-19.
const CONNECTIONS_PER_CORE: usize = 3;

/// The most connections (and loaded plugins) the console keeps.
const MAX_CONNECTIONS: usize = 8;

/// How long a connection's plugin is trusted to be the installed one
/// before the store is asked again (another process may reinstall it or
/// change its limits): a request is served by the plugin installed at most
/// this long ago.
const RECHECK: Duration = Duration::from_millis(250);

/// How the console runs.
#[derive(Clone, Debug)]
pub struct ConsoleConfig {
    /// The host database.
    pub db: PathBuf,
    /// The address to listen on (loopback by default).
    pub listen: SocketAddr,
    /// Whether the session cookie is `Secure` (only sent over HTTPS): set
    /// it when a TLS proxy stands in front of the console.
    pub secure_cookies: bool,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// Failed logins allowed per client address and per user name within
    /// [`ConsoleConfig::login_window`].
    pub login_limit: u32,
    /// The window of the login limit.
    pub login_window: Duration,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Bytes served as-is at `GET /assets/floor.bin`: the floor the console
    /// benchmark measures pages against (the same server answering with a
    /// constant body of a page's size). `None` (always, from the CLI):
    /// no such route.
    pub floor_asset: Option<Arc<[u8]>>,
}

impl ConsoleConfig {
    /// The defaults for the database at `db`: `127.0.0.1:8080`, cookies
    /// not `Secure`, sessions idle for 30 minutes, 5 failed logins in 15
    /// minutes, bodies up to 256 KiB.
    pub fn new(db: PathBuf) -> Self {
        Self {
            db,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: false,
            session_idle: Duration::from_secs(30 * 60),
            login_limit: 5,
            login_window: Duration::from_secs(15 * 60),
            body_limit: 256 * 1024,
            floor_asset: None,
        }
    }
}

/// Why the console could not start or answer.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// The admin services failed (the plugin, its digest, the store).
    #[error(transparent)]
    Admin(#[from] AdminError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A user operation failed.
    #[error(transparent)]
    User(#[from] UserError),
    /// The ledger failed.
    #[error(transparent)]
    Gl(#[from] crate::gl::GlError),
    /// The socket could not be bound, or serving failed.
    #[error("cannot serve on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// There is no active administrator to log in with.
    #[error(
        "no active administrator can log in to the console; add one with \
         `erp-host user add NAME --role administrator` (it prints the password once)"
    )]
    NoAdministrator,
    /// A worker thread failed.
    #[error("a worker failed: {0}")]
    Worker(String),
    /// A value the host keeps could not be applied to a record (a defect
    /// of the field table, not of the input).
    #[error("{0}")]
    Field(#[from] crate::fields::FieldError),
    /// A page could not be rendered.
    #[error("cannot render the page: {0}")]
    Render(#[from] askama::Error),
}

/// What every request shares.
pub(crate) struct App {
    config: ConsoleConfig,
    /// The admin services, one per connection to the store: SQLite (WAL)
    /// reads on several connections at once, so requests at work at once
    /// do not wait for one connection.
    admins: Vec<Mutex<(Arc<Admin>, Option<Instant>)>>,
    /// Requests at work at once: as many as connections, the others
    /// waiting in turn (first come, first served) rather than crowding the
    /// connections' locks.
    work: Arc<tokio::sync::Semaphore>,
    /// The connections no request holds: a request that got its turn
    /// takes one for its whole work ([`App::lease`]), so that two requests
    /// at work never share a connection while another stands idle.
    free: Mutex<Vec<usize>>,
    sessions: session::Sessions,
    limiter: session::LoginLimiter,
}

impl App {
    fn open(config: ConsoleConfig) -> Result<Self, ConsoleError> {
        let db = Db::open(&config.db)?;
        let admins = db
            .users()?
            .into_iter()
            .filter(|u| u.role.administers() && !u.disabled)
            .count();
        if admins == 0 {
            return Err(ConsoleError::NoAdministrator);
        }
        let checked = Some(Instant::now());
        let mut admins = vec![Mutex::new((Arc::new(Admin::open(db)?), checked))];
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let workers = (cores * CONNECTIONS_PER_CORE).min(MAX_CONNECTIONS);
        for _ in 1..workers {
            let admin = Admin::open(Db::open(&config.db)?)?;
            admins.push(Mutex::new((Arc::new(admin), checked)));
        }
        Ok(Self {
            sessions: session::Sessions::new(config.session_idle),
            limiter: session::LoginLimiter::new(config.login_limit, config.login_window),
            work: Arc::new(tokio::sync::Semaphore::new(admins.len())),
            free: Mutex::new((0..admins.len()).collect()),
            admins,
            config,
        })
    }

    /// Makes every connection check the installed plugin at its next
    /// request (after this console installed one or changed the limits).
    fn recheck(&self) {
        for slot in &self.admins {
            slot.lock().unwrap_or_else(PoisonError::into_inner).1 = None;
        }
    }

    /// Gives the calling thread, on its `turn` (a permit of the `work`
    /// semaphore), a connection of its own until the lease is dropped:
    /// every [`App::admin`] on this thread meanwhile answers over it. The
    /// lease holds the turn and ends it only after giving the connection
    /// back, so a turn always finds a free connection; past that (a
    /// defect), the work shares the first one, still correctly (it waits
    /// for the connection's lock).
    fn lease(&self, turn: tokio::sync::OwnedSemaphorePermit) -> Lease<'_> {
        let slot = self
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        LEASED.set(slot);
        Lease {
            app: self,
            slot,
            _turn: turn,
        }
    }

    /// The admin services over the plugin installed now: reopened when
    /// another process reinstalled it or changed its limits (checked at
    /// most every [`RECHECK`]; the console's own install is seen at once,
    /// as it resets the checks). Over the connection this thread leased,
    /// else the first (work outside a lease: none in the console today;
    /// every handler's work, and a streamed import, holds one).
    fn admin(&self) -> Result<Arc<Admin>, ConsoleError> {
        let slot = LEASED.get().unwrap_or(0);
        let mut admin = self.admins[slot]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (current, checked) = &mut *admin;
        if checked.is_none_or(|at| at.elapsed() >= RECHECK) {
            if !current.is_current()? {
                *current = Arc::new(Admin::open(Db::open(&self.config.db)?)?);
            }
            *checked = Some(Instant::now());
        }
        Ok(current.clone())
    }
}

thread_local! {
    /// The connection this thread's request holds ([`App::lease`]).
    static LEASED: Cell<Option<usize>> = const { Cell::new(None) };
}

/// A connection held by the work on this thread, with its turn; given
/// back when dropped (also when the work panics), and then the turn ends
/// (a struct's fields drop after its `drop`).
struct Lease<'a> {
    app: &'a App,
    slot: Option<usize>,
    _turn: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        LEASED.set(None);
        if let Some(slot) = self.slot {
            self.app
                .free
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(slot);
        }
    }
}

/// A console bound to its socket, ready to serve.
pub struct Console {
    app: Arc<App>,
    listener: std::net::TcpListener,
}

impl Console {
    /// Opens the store and the plugin and binds the socket; refused when
    /// no administrator could log in.
    pub fn bind(config: ConsoleConfig) -> Result<Self, ConsoleError> {
        let addr = config.listen;
        let listen = |source| ConsoleError::Listen { addr, source };
        let app = Arc::new(App::open(config)?);
        let listener = std::net::TcpListener::bind(addr).map_err(listen)?;
        listener.set_nonblocking(true).map_err(listen)?;
        Ok(Self { app, listener })
    }

    /// The address bound (with the port chosen, for port 0).
    pub fn local_addr(&self) -> Result<SocketAddr, ConsoleError> {
        let addr = self.app.config.listen;
        self.listener
            .local_addr()
            .map_err(|source| ConsoleError::Listen { addr, source })
    }

    /// Serves until `SIGINT` or `SIGTERM`, on a runtime of its own.
    pub fn run(self) -> Result<(), ConsoleError> {
        let addr = self.app.config.listen;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|source| ConsoleError::Listen { addr, source })?;
        runtime.block_on(self.serve(shutdown_signal()))
    }

    /// Serves until `stop` completes.
    pub async fn serve(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ConsoleError> {
        let addr = self.app.config.listen;
        let listen = |source| ConsoleError::Listen { addr, source };
        let listener = tokio::net::TcpListener::from_std(self.listener).map_err(listen)?;
        let router = routes::router(self.app);
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
        .map_err(listen)
    }
}

/// Completes at `SIGINT` (Ctrl-C) or `SIGTERM`.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Barrier};

    use super::{App, ConsoleConfig, LEASED};
    use crate::guests::PLUGIN_WASM;
    use crate::store::{Db, Role};
    use crate::{admin, sample, users};

    /// Requests at work at once hold different connections, each given
    /// back when its work ends.
    #[test]
    fn requests_at_work_lease_different_connections() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("erp.sqlite");
        let db = Db::open(&path).expect("db");
        sample::seed(&db).expect("sample");
        admin::install_plugin(&db, PLUGIN_WASM, None, "test").expect("plugin");
        users::add_user(&db, "boss", Role::Administrator, None, "test").expect("boss");
        let app = Arc::new(App::open(ConsoleConfig::new(path)).expect("app"));
        let connections = app.admins.len();
        assert!(connections >= 2, "{connections} connections");

        let together = Arc::new(Barrier::new(connections));
        let slots: Vec<usize> = (0..connections)
            .map(|_| {
                let (app, together) = (app.clone(), together.clone());
                let turn = app.work.clone().try_acquire_owned().expect("a turn");
                std::thread::spawn(move || {
                    let _lease = app.lease(turn);
                    let slot = LEASED.get().expect("a connection leased");
                    // Every lease is held while the others are taken.
                    together.wait();
                    slot
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().expect("thread"))
            .collect();
        let mut distinct = slots.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), connections, "slots leased: {slots:?}");
        let free = app.free.lock().expect("free").len();
        assert_eq!(free, connections, "every connection given back");
        assert_eq!(
            app.work.available_permits(),
            connections,
            "every turn ended"
        );
        assert_eq!(LEASED.get(), None, "this thread leased nothing");
    }
}
