//! The plugin engine: wasmtime configured for untrusted plugins.
//!
//! One [`PluginRuntime`] per loaded component. It checks at load time that the
//! component exports the expected world at a WIT version the host serves
//! (the current one or a frozen earlier one, [`wit::Version`]), links it
//! once against that version's bindings
//! ([`InstancePre`](wasmtime::component::InstancePre)), and then runs each
//! call in a fresh [`Store`] with a fuel budget, an epoch deadline and a
//! memory cap. Whatever the plugin does, trap, loop or hoard memory, the caller
//! gets a [`PluginError`] and the host keeps running. Every call speaks the
//! current contract's types, whatever the plugin's version.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use wasmtime::component::{Component, HasData, Linker, ResourceTable};
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, ResourceLimiter, Store, StoreLimits,
    StoreLimitsBuilder, Trap,
};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

mod limits;
mod pool;

pub use limits::{LimitError, LimitRange, Limits};

use crate::cache::CompileCache;
pub use crate::wit::semver_compatible;
use crate::wit::{self, ContractViolation, Facts, FactsError, Version, bindings};

/// The WIT package the host speaks (from the `package` line of `wit/`).
pub const WIT_PACKAGE: &str = wit::PACKAGE;
/// The WIT version this host was built against: the current contract's,
/// from the `package` line of `wit/`.
pub const WIT_VERSION: &str = wit::VERSION;
/// The interfaces a plugin must export, in every version served.
const REQUIRED_EXPORTS: [&str; 5] = ["form", "validation", "inheritance", "lifecycle", "gl"];

/// How often the epoch ticks; deadlines are rounded up to whole ticks.
const EPOCH_TICK: Duration = Duration::from_millis(10);
/// How much of the plugin's stderr the host keeps (for panic messages).
const STDERR_CAPACITY: usize = 16 * 1024;

/// Why a plugin could not be loaded or a call did not complete.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// The bytes are not a WebAssembly component (a core module, or not wasm).
    #[error("not a WebAssembly component: {0}")]
    NotAComponent(String),
    /// The component does not export the interfaces of the plugin world.
    #[error(
        "the component does not export {WIT_PACKAGE}/{missing}@{WIT_VERSION}; \
         it is not a Customer Group plugin (it exports: {exports})"
    )]
    WrongWorld {
        /// The interface that is missing.
        missing: String,
        /// What the component does export.
        exports: String,
    },
    /// The component speaks a version of the contract the host does not serve.
    #[error(
        "the plugin was built against {WIT_PACKAGE}@{found}, \
         which is not compatible with this host's {WIT_PACKAGE}@{WIT_VERSION} \
         nor with the earlier {} it still serves \
         (after upgrading the host, `erp-host plugin install` installs the plugin bundled with it)",
        earlier_versions()
    )]
    IncompatibleVersion {
        /// The version the plugin exports.
        found: String,
    },
    /// A plugin of an earlier contract version returned a value the current
    /// contract has no counterpart for.
    #[error("{0}")]
    Contract(#[source] ContractViolation),
    /// The component needs imports the host does not grant, or fails to link.
    #[error("the plugin cannot be linked: {0}")]
    Link(String),
    /// The call used up its fuel budget: most likely a runaway loop.
    #[error(
        "the plugin exceeded its fuel budget of {budget} units (a runaway loop? \
         the budget is fuel-per-call plus fuel-per-record for each record; \
         see `erp-host plugin limits`)"
    )]
    FuelExhausted {
        /// The budget the call had.
        budget: u64,
    },
    /// The call ran past its wall-clock deadline.
    #[error(
        "the plugin exceeded its deadline of {} ms (deadline-ms; see `erp-host plugin limits`)",
        .0.as_millis()
    )]
    Deadline(Duration),
    /// The plugin tried to grow its memory past the cap.
    #[error(
        "the plugin exceeded its memory limit of {limit} bytes (memory-mib plus \
         memory-per-record-kib for each record; see `erp-host plugin limits`)"
    )]
    MemoryLimit {
        /// The cap.
        limit: usize,
    },
    /// The host could not answer one of the plugin's questions.
    #[error("the host could not answer the plugin: {0}")]
    Facts(#[source] FactsError),
    /// The plugin trapped (a panic, an out-of-bounds access, ...).
    #[error("the plugin failed: {message}{}", stderr_suffix(.stderr))]
    Trap {
        /// The trap.
        message: String,
        /// What the plugin wrote to stderr first (a panic message, usually).
        stderr: String,
    },
}

/// The earlier versions served, as a message names them: `0.5.0, 0.4.0`.
fn earlier_versions() -> String {
    let earlier: Vec<&str> = Version::ALL[1..].iter().map(|v| v.number()).collect();
    earlier.join(", ")
}

fn stderr_suffix(stderr: &str) -> String {
    let stderr = stderr.trim();
    if stderr.is_empty() {
        String::new()
    } else {
        format!("\nplugin stderr:\n{stderr}")
    }
}

/// Settings as the plugin judged them: normalised (none when refused), and
/// every issue.
pub type Judged = (Option<wit::Settings>, Vec<wit::Issue>);

/// A loaded, linked plugin, ready to be called.
pub struct PluginRuntime {
    engine: Engine,
    pre: wit::PluginPre<HostState>,
    limits: Limits,
    version: String,
    served: Version,
    loaded: Loaded,
}

/// How a [`PluginRuntime`] got its compiled code.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// Where the code came from.
    pub origin: Origin,
    /// Loading, checking and linking, all told.
    pub took: Duration,
    /// Why the precompiled cache was not used or not written, if it was not.
    pub cache_problem: Option<String>,
}

/// Where a plugin's compiled code came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Compiled by wasmtime now.
    Compiled,
    /// Compiled earlier by this process.
    Process,
    /// Loaded from the precompiled cache.
    Cache(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Compiled => f.write_str("compiled now"),
            Origin::Process => f.write_str("compiled earlier by this process"),
            Origin::Cache(path) => write!(f, "loaded precompiled from {}", path.display()),
        }
    }
}

impl PluginRuntime {
    /// Compiles, checks and links a component.
    pub fn load(bytes: &[u8], limits: Limits) -> Result<Self, PluginError> {
        Self::load_cached(bytes, limits, None)
    }

    /// Checks and links a component, compiling it only if neither this
    /// process nor `cache` holds it compiled already; a fresh compile is
    /// written to `cache` for the next run.
    pub fn load_cached(
        bytes: &[u8],
        limits: Limits,
        cache: Option<&CompileCache>,
    ) -> Result<Self, PluginError> {
        let started = Instant::now();
        let engine = engine().clone();
        if !has_component_header(bytes) {
            return Err(PluginError::NotAComponent(
                "the file does not start with the component-model header".into(),
            ));
        }
        let (component, mut loaded) = compile(&engine, bytes, cache)?;
        let (served, version) = check_exports(&engine, &component)?;

        let mut linker = Linker::<HostState>::new(&engine);
        link_wasi_streams(&mut linker).map_err(|e| PluginError::Link(format!("{e:#}")))?;
        let pre = wit::PluginPre::link(&mut linker, &component, served)
            .map_err(|e| PluginError::Link(format!("{e:#}")))?;

        loaded.took = started.elapsed();
        Ok(Self {
            engine,
            pre,
            limits,
            version,
            served,
            loaded,
        })
    }

    /// Where the compiled code came from, and how long loading took.
    pub fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    /// The WIT version the plugin was built against, e.g. `0.1.0`.
    pub fn wit_version(&self) -> &str {
        &self.version
    }

    /// The contract version the host serves the plugin with: the current
    /// one, or the frozen earlier one its version is compatible with.
    pub fn served_as(&self) -> Version {
        self.served
    }

    /// The limits every call runs under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The form definition in `locale`.
    pub fn form(
        &self,
        facts: Box<dyn Facts>,
        locale: &str,
    ) -> Result<wit::FormDefinition, PluginError> {
        self.call(facts, 1, |plugin, store| plugin.definition(store, locale))
    }

    /// Validates and normalises one change.
    pub fn validate(
        &self,
        facts: Box<dyn Facts>,
        change: &wit::Change,
        locale: &str,
    ) -> Result<wit::Verdict, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.validate(store, change, locale)
        })
    }

    /// Validates many changes as one batch, in one call.
    pub fn validate_many(
        &self,
        facts: Box<dyn Facts>,
        changes: &[wit::Change],
        locale: &str,
    ) -> Result<Vec<wit::Verdict>, PluginError> {
        self.call(facts, changes.len(), |plugin, store| {
            plugin.validate_many(store, changes, locale)
        })
    }

    /// Validates and normalises new AR settings.
    pub fn validate_defaults(
        &self,
        facts: Box<dyn Facts>,
        defaults: &wit::Settings,
        locale: &str,
    ) -> Result<(Option<wit::Settings>, Vec<wit::Issue>), PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.validate_defaults(store, defaults, locale)
        })
    }

    /// Validates and normalises what a group sets for `company` (a company
    /// other than the default; `facts` are that company's). `None` when the
    /// plugin's contract is older than 0.8.0: it keeps nothing per company.
    pub fn validate_company_settings(
        &self,
        facts: Box<dyn Facts>,
        company: &str,
        settings: &wit::Settings,
        locale: &str,
    ) -> Result<Option<Judged>, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.validate_company_settings(store, company, settings, locale)
        })
    }

    /// The plugin's normalisation of each of `codes` (`normalize-code`), in
    /// order, in one instance: the form in which codes are stored and
    /// compared. For a 0.4.0 plugin, which lacks the export, the
    /// normalisation its contract documents ([`wit::v0_4::normalize_code`]).
    pub fn normalize_codes(
        &self,
        facts: Box<dyn Facts>,
        codes: &[&str],
    ) -> Result<Vec<String>, PluginError> {
        self.call(facts, codes.len(), |plugin, store| {
            plugin.normalize_codes(store, codes)
        })
    }

    /// The effective settings of a stored group, with provenance.
    pub fn effective(
        &self,
        facts: Box<dyn Facts>,
        code: &str,
    ) -> Result<Option<wit::EffectiveSettings>, PluginError> {
        self.call(facts, 1, |plugin, store| plugin.effective(store, code))
    }

    /// "Default GL Accounts": the group with its accounts set from the AR
    /// settings defaults, or why not.
    pub fn default_gl_accounts(
        &self,
        facts: Box<dyn Facts>,
        code: &str,
        locale: &str,
    ) -> Result<Result<wit::CustomerGroup, Vec<wit::Issue>>, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.default_gl_accounts(store, code, locale)
        })
    }

    /// "Apply Default Terms": the customer updates it would make, or why not.
    pub fn plan_default_terms(
        &self,
        facts: Box<dyn Facts>,
        code: &str,
        locale: &str,
    ) -> Result<Result<Vec<wit::CustomerUpdate>, Vec<wit::Issue>>, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.plan_default_terms(store, code, locale)
        })
    }

    /// "Reassign": the issues with moving every customer of `from` to `to`.
    pub fn check_reassign(
        &self,
        facts: Box<dyn Facts>,
        from: &str,
        to: &str,
        locale: &str,
    ) -> Result<Vec<wit::Issue>, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.check_reassign(store, from, to, locale)
        })
    }

    /// The issues with saving `customer` in its group.
    pub fn check_customer(
        &self,
        facts: Box<dyn Facts>,
        customer: &wit::Customer,
        is_new: bool,
        locale: &str,
    ) -> Result<Vec<wit::Issue>, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.check_customer(store, customer, is_new, locale)
        })
    }

    /// One posting per transaction, or the plugin's problems with them.
    pub fn build_batch(
        &self,
        facts: Box<dyn Facts>,
        ledger: &wit::Ledger,
        transactions: &wit::ArTransactions,
        locale: &str,
    ) -> Result<Result<wit::Postings, Vec<wit::BatchIssue>>, PluginError> {
        self.call(facts, transactions.entries.len(), |plugin, store| {
            plugin.build_batch(store, ledger, transactions, locale)
        })
    }

    /// The group credit check of a customer about to owe more.
    pub fn credit_check(
        &self,
        facts: Box<dyn Facts>,
        request: &wit::CreditRequest,
        locale: &str,
    ) -> Result<wit::CreditVerdict, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.credit_check(store, request, locale)
        })
    }

    /// The group credit check of each request, in one call.
    pub fn credit_check_many(
        &self,
        facts: Box<dyn Facts>,
        requests: &[wit::CreditRequest],
        locale: &str,
    ) -> Result<Vec<wit::CreditVerdict>, PluginError> {
        self.call(facts, requests.len(), |plugin, store| {
            plugin.credit_check_many(store, requests, locale)
        })
    }

    /// The prompt-payment discount paying an invoice on `paid_on` earns.
    pub fn receipt_discount(
        &self,
        facts: Box<dyn Facts>,
        group: &str,
        invoice_date: &str,
        amount: i64,
        paid_on: &str,
        locale: &str,
    ) -> Result<Result<Option<wit::DiscountOffer>, Vec<wit::BatchIssue>>, PluginError> {
        self.call(facts, 1, |plugin, store| {
            plugin.receipt_discount(store, group, invoice_date, amount, paid_on, locale)
        })
    }

    /// Instantiates the plugin in a fresh store under the limits, calls
    /// nothing, and drops it: what every call pays before the plugin runs.
    pub fn instantiate(&self, facts: Box<dyn Facts>) -> Result<(), PluginError> {
        self.call(facts, 0, |_, _| Ok(()))
    }

    /// Runs `f` against a fresh instance in a fresh store: one store per unit
    /// of work, because a store that trapped is unusable.
    fn call<R>(
        &self,
        facts: Box<dyn Facts>,
        records: usize,
        f: impl FnOnce(&wit::Plugin, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, PluginError> {
        let memory_limit = self.limits.memory_bytes.saturating_add(
            self.limits
                .memory_per_record
                .saturating_mul(records.saturating_sub(1)),
        );
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let wasi = WasiCtx::builder().stderr(stderr.clone()).build();
        let state = HostState {
            wasi,
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size(memory_limit)
                .instances(16)
                .tables(16)
                .memories(4)
                .build(),
            memory_limit_hit: false,
            facts,
        };
        let _slot = pool::SLOTS.take();
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| state);
        let fuel = self
            .limits
            .fuel_per_call
            .saturating_add(self.limits.fuel_per_record.saturating_mul(records as u64));
        // Both budgets must be in place before instantiation, or it traps.
        store
            .set_fuel(fuel)
            .map_err(|e| PluginError::Link(format!("{e:#}")))?;
        let ticks = self
            .limits
            .deadline
            .as_millis()
            .div_ceil(EPOCH_TICK.as_millis())
            .max(1);
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));

        let result = self
            .pre
            .instantiate(&mut store)
            .and_then(|plugin| f(&plugin, &mut store));
        result.map_err(|error| {
            let error = match error.downcast::<FactsError>() {
                Ok(facts) => return PluginError::Facts(facts),
                Err(error) => error,
            };
            let error = match error.downcast::<ContractViolation>() {
                Ok(adapt) => return PluginError::Contract(adapt),
                Err(error) => error,
            };
            if store.data().memory_limit_hit {
                return PluginError::MemoryLimit {
                    limit: memory_limit,
                };
            }
            match error.downcast_ref::<Trap>() {
                Some(Trap::OutOfFuel) => PluginError::FuelExhausted { budget: fuel },
                Some(Trap::Interrupt) => PluginError::Deadline(self.limits.deadline),
                _ => PluginError::Trap {
                    message: format!("{error:#}"),
                    stderr: String::from_utf8_lossy(&stderr.contents()).into_owned(),
                },
            }
        })
    }
}

/// What one store holds: the (empty) WASI context, the memory limits and the
/// host's facts for the plugin's imports.
pub(crate) struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: StoreLimits,
    memory_limit_hit: bool,
    pub(crate) facts: Box<dyn Facts>,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl ResourceLimiter for HostState {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum)?;
        if !allowed {
            self.memory_limit_hit = true;
            // Trap rather than let the guest see a failed grow: a Rust guest
            // would abort anyway, and this way the error names the limit.
            return Err(wasmtime::format_err!(
                "memory limit exceeded: growing to {desired} bytes"
            ));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// Links the only WASI a plugin gets: the `wasi:cli` and `wasi:io` interfaces
/// that a Rust guest's standard library imports (for panic messages), over a
/// context that grants nothing (no environment, no arguments, stdin empty,
/// stdout discarded, stderr captured). No clocks, random, files or sockets:
/// a plugin that imports them fails to link, at install time.
fn link_wasi_streams(l: &mut Linker<HostState>) -> wasmtime::Result<()> {
    use wasmtime_wasi::cli::{WasiCli, WasiCliView};
    use wasmtime_wasi::p2::bindings::{cli, sync::io};

    cli::exit::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::environment::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::stdin::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::stdout::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::stderr::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::terminal_input::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::terminal_output::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::terminal_stdin::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::terminal_stdout::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    cli::terminal_stderr::add_to_linker::<_, WasiCli>(l, HostState::cli)?;
    wasmtime_wasi_io::bindings::wasi::io::error::add_to_linker::<_, Streams>(l, |s| &mut s.table)?;
    io::poll::add_to_linker::<_, Streams>(l, |s| &mut s.table)?;
    io::streams::add_to_linker::<_, Streams>(l, |s| &mut s.table)?;
    Ok(())
}

/// The stream resources of a store, for the `wasi:io` host functions.
struct Streams;

impl HasData for Streams {
    type Data<'a> = &'a mut ResourceTable;
}

/// The process's engine: one for every plugin, with one epoch ticker.
/// Public for the benchmarks, which compile and cache against it.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.consume_fuel(true);
        config.epoch_interruption(true);
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool::config()));
        // A fixed configuration: creating the engine cannot fail.
        let engine = Engine::new(&config).expect("a valid wasmtime configuration");
        let ticking = engine.weak();
        std::thread::Builder::new()
            .name("plugin-epoch".into())
            .spawn(move || {
                while let Some(engine) = ticking.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(EPOCH_TICK);
                }
            })
            .expect("spawn the epoch thread");
        engine
    })
}

/// The pooling allocator's configuration the engine uses; public for the
/// benchmark that weighs it against the on-demand allocator.
pub fn pooling() -> wasmtime::PoolingAllocationConfig {
    pool::config()
}

/// Compiles a component, once per process for the same bytes (the host and
/// its tests load the same plugin many times), and once per host when given
/// a `cache`.
fn compile(
    engine: &Engine,
    bytes: &[u8],
    cache: Option<&CompileCache>,
) -> Result<(Component, Loaded), PluginError> {
    static COMPILED: OnceLock<Mutex<HashMap<[u8; 32], Component>>> = OnceLock::new();
    let key: [u8; 32] = Sha256::digest(bytes).into();
    let memory = COMPILED.get_or_init(Default::default);
    let loaded = |origin, cache_problem| Loaded {
        origin,
        took: Duration::ZERO,
        cache_problem,
    };
    if let Some(component) = memory
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Ok((component.clone(), loaded(Origin::Process, None)));
    }
    let remember = |component: &Component| {
        memory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, component.clone());
    };
    let mut problem = None;
    if let Some(cache) = cache {
        match cache.load(engine, &key) {
            Ok(Some(component)) => {
                remember(&component);
                let path = cache.path_for(engine, &key);
                return Ok((component, loaded(Origin::Cache(path), None)));
            }
            Ok(None) => {}
            Err(e) => problem = Some(e.to_string()),
        }
    }
    let component =
        Component::new(engine, bytes).map_err(|e| PluginError::NotAComponent(format!("{e:#}")))?;
    remember(&component);
    if let Some(cache) = cache
        && let Err(e) = cache.store(engine, &key, &component)
    {
        problem.get_or_insert(e.to_string());
    }
    Ok((component, loaded(Origin::Compiled, problem)))
}

/// Whether `bytes` carry the component-model preamble (as opposed to a core
/// module or something else entirely).
fn has_component_header(bytes: &[u8]) -> bool {
    // magic, then version 0x0d and layer 0x01 for components.
    bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[6..8] == [0x01, 0x00]
}

/// Checks that the component exports every required interface at one
/// version the host serves; returns that version and the one it exports.
fn check_exports(engine: &Engine, component: &Component) -> Result<(Version, String), PluginError> {
    let exports: Vec<String> = component
        .component_type()
        .exports(engine)
        .map(|(name, _)| name.to_owned())
        .collect();
    let mut found: Option<(Version, &str)> = None;
    for interface in REQUIRED_EXPORTS {
        let prefix = format!("{WIT_PACKAGE}/{interface}");
        let Some(name) = exports
            .iter()
            .find(|name| name.split('@').next() == Some(prefix.as_str()))
        else {
            return Err(PluginError::WrongWorld {
                missing: interface.into(),
                exports: if exports.is_empty() {
                    "nothing".into()
                } else {
                    exports.join(", ")
                },
            });
        };
        let version = name.split_once('@').map(|(_, v)| v).unwrap_or("");
        let Some(served) = Version::serving(version) else {
            return Err(PluginError::IncompatibleVersion {
                found: if version.is_empty() {
                    "(no version)".into()
                } else {
                    version.into()
                },
            });
        };
        match found {
            None => found = Some((served, version)),
            // One interface of one version, another of another: no binding fits.
            Some((first, first_version)) if first != served => {
                return Err(PluginError::IncompatibleVersion {
                    found: format!("{first_version} and {version}"),
                });
            }
            Some(_) => {}
        }
    }
    let (served, version) = found.unwrap_or((Version::Current, WIT_VERSION));
    Ok((served, version.to_owned()))
}

// The WIT `host` interface: each import asks the call's facts.
impl bindings::erp::customer_group::types::Host for HostState {}

impl bindings::erp::customer_group::host::Host for HostState {
    fn find_account(&mut self, code: String) -> wasmtime::Result<Option<wit::Account>> {
        Ok(self.facts.find_account(&code)?)
    }
    fn find_group(&mut self, code: String) -> wasmtime::Result<Option<wit::CustomerGroup>> {
        Ok(self.facts.find_group(&code)?)
    }
    fn find_group_named(
        &mut self,
        name: String,
        except_code: String,
    ) -> wasmtime::Result<Option<String>> {
        Ok(self.facts.find_group_named(&name, &except_code)?)
    }
    fn find_groups(
        &mut self,
        codes: Vec<String>,
    ) -> wasmtime::Result<Vec<Option<wit::CustomerGroup>>> {
        Ok(self.facts.find_groups(&codes)?)
    }
    fn find_groups_named(
        &mut self,
        questions: Vec<(String, String)>,
    ) -> wasmtime::Result<Vec<Option<String>>> {
        Ok(self.facts.find_groups_named(&questions)?)
    }
    fn reference_exists(
        &mut self,
        kind: wit::ReferenceKind,
        code: String,
    ) -> wasmtime::Result<bool> {
        Ok(self.facts.reference_exists(kind, &code)?)
    }
    fn usage(&mut self, code: String) -> wasmtime::Result<wit::GroupUsage> {
        Ok(self.facts.usage(&code)?)
    }
    fn child_groups(&mut self, code: String) -> wasmtime::Result<Vec<String>> {
        Ok(self.facts.child_groups(&code)?)
    }
    fn customers(&mut self, group: String) -> wasmtime::Result<Vec<wit::Customer>> {
        Ok(self.facts.customers(&group)?)
    }
    fn ar_settings(&mut self) -> wasmtime::Result<wit::Settings> {
        Ok(self.facts.ar_settings()?)
    }
}
