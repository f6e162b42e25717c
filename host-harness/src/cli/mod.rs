//! `erp-host`: the stand-in host ERP's admin CLI. The binary is a thin
//! wrapper around [`main_with`], so tests run the real CLI in-process.

mod input;
mod ledger;
pub mod options;
mod render;

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use self::options::{ArSettings, EditGroup, FieldArgs, NewGroup};
use self::render::ListFormat;
use crate::actor::Actor;
use crate::admin::{self, Admin, AdminError};
use crate::engine::Limits;
use crate::guests::PLUGIN_WASM;
use crate::messages::{self as m, Locale};
use crate::sample;
use crate::store::Db;
use crate::store::{GroupColumn, GroupQuery};
use crate::wit::{
    Account, AccountKind, Customer, CustomerGroup, MatchMode, ReferenceKind, Severity,
};

/// The stand-in host ERP: a SQLite store, the Customer Group plugin, and this
/// admin CLI.
#[derive(Parser)]
#[command(name = "erp-host", version, about, max_term_width = 100, after_help = EXIT_CODES_HELP)]
struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Args)]
struct Globals {
    /// The host database (created by `init` or `quickstart`).
    #[arg(long, global = true, env = "ERP_DB", default_value = "erp.sqlite")]
    db: PathBuf,
    /// The user name stamped in audit fields.
    #[arg(long, global = true, env = "ERP_USER", default_value = "admin")]
    user: String,
    /// Locale of captions and messages (a region is fine: `id-ID`); any other
    /// language is refused.
    #[arg(long, global = true, env = "ERP_LOCALE", default_value = "en", value_parser = LocaleParser)]
    locale: Locale,
}

/// The value parser of `--locale` in both binaries: a tag
/// [`Locale::parse`] knows (the one list of locales, shared with the
/// plugin), else a usage error naming the locales there are; help lists them.
#[derive(Clone, Copy, Debug)]
pub struct LocaleParser;

impl clap::builder::TypedValueParser for LocaleParser {
    type Value = Locale;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Locale, clap::Error> {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let text = value.to_string_lossy();
        Locale::parse(&text).ok_or_else(|| {
            let mut error = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(arg) = arg {
                error.insert(
                    ContextKind::InvalidArg,
                    ContextValue::String(arg.to_string()),
                );
            }
            error.insert(
                ContextKind::InvalidValue,
                ContextValue::String(text.into_owned()),
            );
            error.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(Locale::ALL.iter().map(|l| l.tag().to_owned()).collect()),
            );
            error
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(Locale::ALL.iter().map(|l| {
            clap::builder::PossibleValue::new(l.tag()).help(l.name())
        })))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Create (or migrate) the host database.
    Init {
        /// Also add a sample chart of accounts, reference data and AR settings.
        #[arg(long)]
        sample: bool,
    },
    /// Set up a sample company in one go: database, sample data, the bundled
    /// plugin, the seeds' example groups; then show the menu, the form and
    /// the groups.
    Quickstart,
    /// Install or inspect the plugin.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Show the host menu, with the entries plugins registered.
    Menu,
    /// Show the Customer Group form definition.
    Form {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Manage customer groups.
    #[command(subcommand)]
    Group(GroupCommand),
    /// Manage customers (as far as their group is concerned).
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Manage the chart of accounts (the form's "+" quick-create path).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Manage reference data: currencies, price lists, price codes, payment
    /// terms, tax regimes, tax codes, products.
    #[command(subcommand)]
    Reference(ReferenceCommand),
    /// Show or change the AR settings: the defaults at the root of the tree.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Enter, list and import AR transactions.
    #[command(subcommand)]
    Transaction(ledger::TransactionCommand),
    /// GL integration: the ledger's settings, GL batches, posted entries,
    /// prompt-payment discounts.
    #[command(subcommand)]
    Gl(ledger::GlCommand),
    /// Reports by customer group: receivables, sales trend.
    #[command(subcommand)]
    Report(ledger::ReportCommand),
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Verify a component and install it, registering its menu entry.
    Install {
        /// The component (.wasm). Without it, the plugin bundled with this build.
        file: Option<PathBuf>,
        /// Refuse the component unless its sha256 is this (hex).
        #[arg(long)]
        sha256: Option<String>,
    },
    /// Show the installed plugin, its limits, and where its compiled code
    /// comes from (precompiled cache or a fresh compile).
    Show,
    /// Show or set the budgets every plugin call runs under.
    #[command(subcommand)]
    Limits(LimitsCommand),
}

#[derive(Subcommand)]
enum LimitsCommand {
    /// Show the limits in force.
    Show,
    /// Set limits; those not given keep their value. Bulk calls get the
    /// per-record amounts on top, once per record.
    Set {
        /// Fuel (about one unit per wasm instruction) every call gets.
        #[arg(long)]
        fuel_per_call: Option<u64>,
        /// Extra fuel per record of a bulk call.
        #[arg(long)]
        fuel_per_record: Option<u64>,
        /// Wall-clock backstop for one call, in milliseconds.
        #[arg(long)]
        deadline_ms: Option<u64>,
        /// The most linear memory one call may use, in MiB.
        #[arg(long)]
        memory_mib: Option<u64>,
        /// Extra memory per record of a bulk call, in KiB.
        #[arg(long)]
        memory_per_record_kib: Option<u64>,
    },
    /// Back to the host's defaults.
    Reset,
}

#[derive(Subcommand)]
enum GroupCommand {
    /// List groups: search, filter by parent, sort, page, choose columns,
    /// print as a table, CSV or HTML.
    List(ListArgs),
    /// Show the group tree.
    Tree,
    /// Show one group: every field, and every setting with where it comes from.
    Show {
        /// The group code.
        code: String,
        /// Print JSON (the group and its effective settings) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Create a group.
    ///
    /// Each option is a field of the form, by its name (`erp-host form`
    /// shows each field's caption and help).
    New(NewArgs),
    /// Change a group (anything but its code).
    ///
    /// Each option is a field of the form, by its name (`erp-host form`
    /// shows each field's caption and help); options left out keep their
    /// value.
    Edit(EditArgs),
    /// Delete a group without customers, transactions and child groups.
    Delete {
        /// The group code.
        code: String,
    },
    /// "Default GL Accounts": set the group's accounts from the AR settings
    /// defaults (blank defaults overwrite nothing).
    DefaultAccounts {
        /// The group code.
        code: String,
    },
    /// "Apply Default Terms": show which customers would take the group's
    /// terms (old -> new); with --yes, apply them in one transaction.
    ApplyTerms {
        /// The group code.
        code: String,
        /// Apply the changes shown (without it, only preview).
        #[arg(long)]
        yes: bool,
    },
    /// "Reassign": move every customer of one group to another.
    Reassign {
        /// The group the customers leave.
        from: String,
        /// The group they join.
        to: String,
    },
}

#[derive(Args)]
struct ListArgs {
    /// The search key.
    #[arg(long, value_enum, default_value_t = Key::Code)]
    key: Key,
    /// How the text matches the key.
    #[arg(long = "match", value_enum, default_value_t = Match::Any)]
    mode: Match,
    /// The text to search for.
    #[arg(long, conflicts_with = "all")]
    text: Option<String>,
    /// Show all groups ("Show All"); the default when no text is given.
    #[arg(long)]
    all: bool,
    /// Only the descendants of this group (children, their children, ...).
    #[arg(long)]
    parent: Option<String>,
    /// Sort by this column (a list column's field name, e.g. `name`, `currency`).
    #[arg(long, default_value = "code", value_parser = parse_column)]
    sort: GroupColumn,
    /// Sort descending.
    #[arg(long)]
    desc: bool,
    /// The columns to show after "No.", comma-separated ("Customise");
    /// default: the form's default columns. `all` shows every column.
    #[arg(long, value_delimiter = ',', value_parser = parse_column_or_all)]
    columns: Vec<Option<GroupColumn>>,
    /// The page to show, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    page: u64,
    /// Rows per page; 0 shows every row.
    #[arg(long, default_value_t = 50)]
    page_size: u64,
    /// Output format ("Print": csv or html).
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Key {
    Code,
    Name,
}

#[derive(Clone, Copy, ValueEnum)]
enum Match {
    /// Any part of the field.
    Any,
    /// The start of the field.
    Start,
    /// The whole field.
    Exact,
}

fn parse_column(text: &str) -> Result<GroupColumn, String> {
    GroupColumn::parse(text.trim()).ok_or_else(|| {
        let names: Vec<_> = GroupColumn::ALL.iter().map(|c| c.field()).collect();
        format!("no such column; one of: {}", names.join(", "))
    })
}

fn parse_column_or_all(text: &str) -> Result<Option<GroupColumn>, String> {
    if text.trim() == "all" {
        Ok(None)
    } else {
        parse_column(text).map(Some)
    }
}

/// `group new`: an option for every field of the form (the host's field
/// table), `--code` and `--name` required.
#[derive(Args)]
struct NewArgs {
    #[command(flatten)]
    fields: FieldArgs<NewGroup>,
}

/// `group edit CODE`: an option for every field but the code.
#[derive(Args)]
struct EditArgs {
    /// The group code.
    code: String,
    /// Refuse the edit unless the group is still at this version (the one
    /// `group show` printed): nobody else's save is overwritten.
    #[arg(long, value_name = "VERSION")]
    if_version: Option<i64>,
    #[command(flatten)]
    fields: FieldArgs<EditGroup>,
}

#[derive(Subcommand)]
enum CustomerCommand {
    /// Add a customer to a group (a leaf, active, in the customer's currency).
    New {
        /// Customer code.
        #[arg(long)]
        code: String,
        /// Customer name.
        #[arg(long)]
        name: String,
        /// The customer's group.
        #[arg(long, default_value = "0000")]
        group: String,
        /// The customer's currency (ISO 4217).
        #[arg(long)]
        currency: String,
        /// The customer's own credit limit in its currency (else the group's applies).
        #[arg(long)]
        credit_limit: Option<String>,
    },
    /// Set a customer's own credit limit, in its currency; `none` clears it
    /// (its group's credit limit applies).
    CreditLimit {
        /// The customer.
        code: String,
        /// The limit, or `none`.
        limit: String,
    },
    /// List customers, of one group or all.
    List {
        /// Only the customers of this group.
        #[arg(long)]
        group: Option<String>,
    },
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Add an account to the chart of accounts.
    New {
        /// Account number.
        #[arg(long)]
        code: String,
        /// Account name.
        #[arg(long)]
        name: String,
        /// What the account is for.
        #[arg(long, value_parser = parse_kind)]
        kind: AccountKind,
        /// Create it inactive.
        #[arg(long)]
        inactive: bool,
    },
    /// List the chart of accounts.
    List,
}

#[derive(Subcommand)]
enum ReferenceCommand {
    /// Add a record of reference data.
    New {
        /// Kind: currency, price-list, price-code, payment-terms, tax-regime,
        /// tax-code or product.
        #[arg(long, value_parser = parse_reference_kind)]
        kind: ReferenceKind,
        /// Its code, e.g. IDR.
        #[arg(long)]
        code: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// For a currency: the decimals of its minor unit (2 for IDR and USD, 0 for JPY).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=4))]
        decimals: u32,
    },
    /// List reference data, of one kind or all.
    List {
        /// Only this kind.
        #[arg(long, value_parser = parse_reference_kind)]
        kind: Option<ReferenceKind>,
    },
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
enum SettingsCommand {
    /// Show the AR settings.
    Show,
    /// Change defaults; `--clear NAME` removes one.
    Set(FieldArgs<ArSettings>),
}

fn parse_kind(text: &str) -> Result<AccountKind, String> {
    AccountKind::parse(text).ok_or_else(|| {
        let kinds: Vec<_> = AccountKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("expected one of: {}", kinds.join(", "))
    })
}

fn parse_reference_kind(text: &str) -> Result<ReferenceKind, String> {
    ReferenceKind::parse(text).ok_or_else(|| {
        let kinds: Vec<_> = ReferenceKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("expected one of: {}", kinds.join(", "))
    })
}

/// Exit code: done.
pub const EXIT_OK: u8 = 0;
/// Exit code: an error, or a change the plugin refused.
pub const EXIT_ERROR: u8 = 1;
/// Exit code of both `erp-host` and `erp-sync` for a usage error (an
/// unknown option or command, a value that does not parse): `EX_USAGE`
/// from sysexits(3), so that no script mistakes a typo for an outcome (2 is
/// `erp-sync plan`'s "changes pending").
pub const EXIT_USAGE: u8 = 64;

const EXIT_CODES_HELP: &str = "Exit codes: 0 done, 1 error or refused change, 64 usage error.";

/// Where colour may be used: each stream is coloured only when it is a
/// terminal and `NO_COLOR` is not set (see [`colour_for`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Colour {
    /// Colour on standard output (help, `--version`).
    pub out: bool,
    /// Colour on standard error (usage errors).
    pub err: bool,
}

impl Colour {
    /// The process's own streams: colour on each that is a terminal, unless
    /// `NO_COLOR` is set.
    pub fn of_process() -> Self {
        Self {
            out: colour_for(&io::stdout()),
            err: colour_for(&io::stderr()),
        }
    }
}

/// Whether to colour `stream`: only a terminal, and never when `NO_COLOR` is
/// set to anything but the empty string (<https://no-color.org>).
pub fn colour_for(stream: &impl io::IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes a clap outcome that is not a parsed command line: help and
/// `--version` to `out` with [`EXIT_OK`], a usage error to `err` with
/// [`EXIT_USAGE`]; coloured as `colour` allows. Shared by both binaries.
pub fn report_usage(
    usage: &clap::Error,
    out: &mut dyn Write,
    err: &mut dyn Write,
    colour: Colour,
) -> u8 {
    let text = usage.render();
    let (stream, coloured, code): (&mut dyn Write, _, _) = if usage.use_stderr() {
        (err, colour.err, EXIT_USAGE)
    } else {
        (out, colour.out, EXIT_OK)
    };
    let _ = if coloured {
        write!(stream, "{}", text.ansi())
    } else {
        write!(stream, "{text}")
    };
    let _ = stream.flush();
    code
}

/// Runs the CLI on `args` (the first is the program name), writing output to
/// `out` and warnings and errors to `err`, without colour. Exit code
/// [`EXIT_OK`], [`EXIT_ERROR`] (a rejected change included) or
/// [`EXIT_USAGE`].
pub fn main_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    main_coloured(args, out, err, Colour::default())
}

/// Like [`main_with`], colouring help and usage errors as `colour` allows.
pub fn main_coloured<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, colour: Colour) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(usage) => return report_usage(&usage, out, err, colour),
    };
    let locale = cli.globals.locale;
    match run(cli, out, err) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            if let Some(io) = error.downcast_ref::<io::Error>()
                && io.kind() == io::ErrorKind::BrokenPipe
            {
                return EXIT_OK;
            }
            let _ = writeln!(
                err,
                "{}: {}",
                m::error_word(locale),
                crate::errors::error_chain(&error, locale)
            );
            EXIT_ERROR
        }
    }
}

fn run(Cli { globals, command }: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    let cli = &globals;
    let l = cli.locale;
    let actor = Actor {
        user: cli.user.clone(),
        locale: cli.locale.tag().to_owned(),
    };
    match command {
        Command::Init { sample } => {
            let db = open_db(cli)?;
            writeln!(
                out,
                "{}",
                m::database_ready(l, &cli.db.display().to_string())
            )?;
            if sample {
                let added = sample::seed(&db)?;
                writeln!(out, "{}", m::sample_accounts_added(l, added))?;
            }
        }
        Command::Quickstart => quickstart(cli, &actor, out)?,
        Command::Plugin(PluginCommand::Install { file, sha256 }) => {
            let db = open_db(cli)?;
            let (bytes, source) = match &file {
                Some(path) => (
                    std::fs::read(path)
                        .with_context(|| m::reading(l, &path.display().to_string()))?,
                    path.display().to_string(),
                ),
                None => (PLUGIN_WASM.to_vec(), m::bundled_plugin(l)),
            };
            let installed = admin::install_plugin(&db, &bytes, sha256.as_deref(), &cli.user)
                .with_context(|| m::installing(l, &source))?;
            writeln!(
                out,
                "{}",
                m::installed(
                    l,
                    &source,
                    &installed.form_id,
                    installed.size as u64,
                    &installed.sha256,
                    &installed.wit_version
                )
            )?;
        }
        Command::Plugin(PluginCommand::Show) => {
            let db = open_db(cli)?;
            match db.installed_plugin()? {
                None => writeln!(out, "{}", m::no_plugin_installed(l))?,
                Some(p) => {
                    for line in [
                        m::plugin_form(l, &p.form_id),
                        m::plugin_sha256(l, &p.sha256),
                        m::plugin_wit(l, &p.wit_version),
                        m::plugin_size(l, p.size as u64),
                        m::plugin_installed_by(l, &p.installed_at, &p.installed_by),
                    ] {
                        writeln!(out, "{line}")?;
                    }
                    print_limits(&db, l, out)?;
                    let admin = Admin::open(db)?;
                    let loaded = admin.plugin().loaded();
                    writeln!(
                        out,
                        "{}",
                        m::plugin_code(
                            l,
                            &m::Localize::localize(&loaded.origin, l),
                            loaded.took.as_secs_f64() * 1e3
                        )
                    )?;
                    if let Some(problem) = &loaded.cache_problem {
                        writeln!(out, "{}", m::plugin_cache(l, problem))?;
                    }
                }
            }
        }
        Command::Plugin(PluginCommand::Limits(command)) => {
            let db = open_db(cli)?;
            match command {
                LimitsCommand::Show => {}
                LimitsCommand::Set {
                    fuel_per_call,
                    fuel_per_record,
                    deadline_ms,
                    memory_mib,
                    memory_per_record_kib,
                } => {
                    let mut values = db.plugin_limits()?.values();
                    let given = [
                        fuel_per_call,
                        fuel_per_record,
                        deadline_ms,
                        memory_mib,
                        memory_per_record_kib,
                    ];
                    for (value, given) in values.iter_mut().zip(given) {
                        *value = given.unwrap_or(*value);
                    }
                    let limits = Limits::from_values(values)?;
                    db.set_plugin_limits(Some(&limits), &cli.user)?;
                }
                LimitsCommand::Reset => db.set_plugin_limits(None, &cli.user)?,
            }
            print_limits(&db, l, out)?;
        }
        Command::Menu => render::print_menu(&open_db(cli)?, out)?,
        Command::Form { json } => {
            let form = open_admin(cli)?.form(cli.locale.tag())?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &form)?;
                writeln!(out)?;
            } else {
                render::print_form(&form, l, out)?;
            }
        }
        Command::Group(command) => group(cli, &actor, command, out, err)?,
        Command::Customer(CustomerCommand::New {
            code,
            name,
            group,
            currency,
            credit_limit,
        }) => {
            let admin = open_admin(cli)?;
            let customer = Customer {
                code: code.trim().to_owned(),
                name: name.trim().to_owned(),
                group,
                currency: currency.trim().to_ascii_uppercase(),
                active: true,
                payment_terms: None,
                due_terms: None,
                prompt_payment_discount: None,
                statement_aging: None,
                price_code: None,
            };
            let limit = credit_limit
                .map(|text| customer_limit(admin.db(), &customer.currency, &text, l))
                .transpose()?
                .flatten();
            let warnings = admin.create_customer(customer.clone(), &actor)?;
            admin
                .db()
                .set_customer_credit_limit(&customer.code, limit)?;
            render::print_issues(&warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::customer_created(l, &customer.code, &customer.name)
            )?;
        }
        Command::Customer(CustomerCommand::CreditLimit { code, limit }) => {
            let db = open_db(cli)?;
            let customer = db
                .customer(&code)?
                .ok_or_else(|| anyhow::anyhow!(m::no_such_customer(l, &code)))?;
            let limit = customer_limit(&db, &customer.currency, &limit, l)?;
            db.set_customer_credit_limit(&code, limit)?;
            let text = match limit {
                Some(minor) => format!(
                    "{} {}",
                    crate::units::amount_text(
                        minor,
                        db.currency_decimals()?
                            .get(&customer.currency)
                            .copied()
                            .unwrap_or(2)
                    ),
                    customer.currency
                ),
                None => m::from_its_group(l),
            };
            writeln!(out, "{}", m::customer_credit_limit(l, &code, &text))?;
        }
        Command::Customer(CustomerCommand::List { group }) => {
            let db = open_db(cli)?;
            let group = match group {
                Some(code) => Some(
                    db.find_group(&code)?
                        .ok_or(AdminError::NoSuchGroup(code))?
                        .group
                        .code,
                ),
                None => None,
            };
            writeln!(
                out,
                "{:<12} {:<32} {:<8} {:<8} {}",
                m::column_code(l),
                m::column_name(l),
                m::column_group(l),
                m::column_currency(l),
                m::column_status(l)
            )?;
            for c in db.customers(group.as_deref())? {
                let status = if c.active {
                    m::active(l)
                } else {
                    m::inactive(l)
                };
                writeln!(
                    out,
                    "{:<12} {:<32} {:<8} {:<8} {status}",
                    c.code, c.name, c.group, c.currency
                )?;
            }
        }
        Command::Account(AccountCommand::New {
            code,
            name,
            kind,
            inactive,
        }) => {
            let db = open_db(cli)?;
            let account = Account {
                code: code.trim().to_owned(),
                name: name.trim().to_owned(),
                kind,
                active: !inactive,
            };
            if account.code.is_empty() || account.name.is_empty() {
                bail!(m::account_needs_code_and_name(l));
            }
            db.create_account(&account)?;
            writeln!(
                out,
                "{}",
                m::account_created(l, &account.code, &account.name, kind.as_str())
            )?;
        }
        Command::Account(AccountCommand::List) => {
            let db = open_db(cli)?;
            writeln!(
                out,
                "{:<8} {:<32} {:<12} {}",
                m::column_code(l),
                m::column_name(l),
                m::column_kind(l),
                m::column_status(l)
            )?;
            for a in db.accounts()? {
                let status = if a.active {
                    m::active(l)
                } else {
                    m::inactive(l)
                };
                writeln!(
                    out,
                    "{:<8} {:<32} {:<12} {status}",
                    a.code,
                    a.name,
                    a.kind.as_str()
                )?;
            }
        }
        Command::Reference(ReferenceCommand::New {
            kind,
            code,
            name,
            decimals,
        }) => {
            let (code, name) = (code.trim(), name.trim());
            if code.is_empty() || name.is_empty() {
                bail!(m::reference_needs_code_and_name(l));
            }
            let db = open_db(cli)?;
            db.create_reference(kind, code, name)?;
            if kind == ReferenceKind::Currency {
                db.set_currency_decimals(code, decimals)?;
            }
            writeln!(
                out,
                "{}",
                m::reference_created(l, kind.as_str(), code, name)
            )?;
        }
        Command::Reference(ReferenceCommand::List { kind }) => {
            render::print_references(&open_db(cli)?.references(kind)?, l, out)?;
        }
        Command::Settings(SettingsCommand::Show) => print_settings(&open_db(cli)?, l, out)?,
        Command::Settings(SettingsCommand::Set(args)) => {
            let admin = open_admin(cli)?;
            let mut settings = admin.db().ar_settings()?;
            args.apply_settings(&mut settings)?;
            let values = settings.clone();
            let warnings = admin
                .set_ar_settings(settings, &actor)
                .map_err(|e| with_hints(e, &admin, l, &values))?;
            render::print_issues(&warnings, Severity::Warning, l, err)?;
            print_settings(admin.db(), l, out)?;
        }
        Command::Transaction(command) => {
            ledger::transaction(&open_admin(cli)?, command, &actor, out)?
        }
        Command::Gl(command) => ledger::gl(&open_admin(cli)?, command, &actor, out)?,
        Command::Report(command) => ledger::report(&open_admin(cli)?, command, &actor, out, err)?,
    }
    Ok(())
}

/// A customer credit limit typed in its currency; `none` is no limit of its own.
fn customer_limit(db: &Db, currency: &str, text: &str, l: Locale) -> Result<Option<i64>> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let decimals = db.currency_decimals()?.get(currency).copied().unwrap_or(2);
    let limit = crate::units::parse_amount(text, currency, decimals)?;
    if limit < 0 {
        bail!(m::credit_limit_negative(l, text));
    }
    Ok(Some(limit))
}

fn print_limits(db: &Db, l: Locale, out: &mut dyn Write) -> Result<()> {
    let values = db.plugin_limits()?.values();
    let source = match db.plugin_limits_set_by()? {
        None => m::limits_defaults(l),
        Some((user, at)) => m::limits_set_by(l, &user, &at),
    };
    writeln!(out, "{}", m::limits_source(l, &source))?;
    for (range, value) in Limits::RANGES.iter().zip(values) {
        writeln!(
            out,
            "  {:<22} {:>15}   {}",
            range.name,
            group_digits(value),
            m::limit_range(l, &group_digits(range.min), &group_digits(range.max))
        )?;
    }
    Ok(())
}

fn group_digits(n: u64) -> String {
    crate::report::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

fn open_db(cli: &Globals) -> Result<Db> {
    Db::open(&cli.db).with_context(|| m::opening(cli.locale, &cli.db.display().to_string()))
}

fn open_admin(cli: &Globals) -> Result<Admin> {
    Ok(Admin::open(open_db(cli)?)?)
}

fn quickstart(cli: &Globals, actor: &Actor, out: &mut dyn Write) -> Result<()> {
    let l = cli.locale;
    let db = open_db(cli)?;
    writeln!(
        out,
        "{}",
        m::heading_database(l, &cli.db.display().to_string())
    )?;
    let added = sample::seed(&db)?;
    writeln!(out, "{}", m::sample_accounts_added(l, added))?;
    let installed = admin::install_plugin(&db, PLUGIN_WASM, None, &cli.user)?;
    writeln!(
        out,
        "{}",
        m::plugin_installed(
            l,
            &installed.form_id,
            installed.size as u64,
            &installed.sha256
        )
    )?;
    let admin = Admin::open(db)?;
    for group in sample::groups() {
        if admin.db().group(&group.code)?.is_some() {
            continue;
        }
        let saved = admin.create_group(group, actor)?;
        writeln!(
            out,
            "{}",
            m::sample_group_created(l, &saved.record.group.code, &saved.record.group.name)
        )?;
    }
    writeln!(out, "\n{}", m::heading_menu(l))?;
    render::print_menu(admin.db(), out)?;
    let form = admin.form(cli.locale.tag())?;
    writeln!(out, "\n{}", m::heading_form(l))?;
    render::print_form(&form, l, out)?;
    writeln!(out, "\n{}", m::heading_groups(l))?;
    let page = admin.db().groups(&GroupQuery::default())?;
    let columns = default_columns(&form);
    render::print_list(
        l,
        &form,
        &page.groups,
        0,
        page.total,
        &columns,
        ListFormat::Table,
        out,
    )?;
    writeln!(out, "\n{}", m::heading_tree(l))?;
    render::print_tree(&page.groups, l, out)?;
    Ok(())
}

/// The columns the form shows unless the user customises the list.
fn default_columns(form: &crate::wit::FormDefinition) -> Vec<GroupColumn> {
    form.list_columns
        .iter()
        .filter(|c| c.default_visible)
        .filter_map(|c| GroupColumn::parse(&c.field))
        .collect()
}

fn group(
    cli: &Globals,
    actor: &Actor,
    command: GroupCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let l = cli.locale;
    let admin = open_admin(cli)?;
    match command {
        GroupCommand::List(args) => list(cli, &admin, args, out)?,
        GroupCommand::Tree => {
            let page = admin.db().groups(&GroupQuery::default())?;
            render::print_tree(&page.groups, l, out)?;
        }
        GroupCommand::Show { code, json } => {
            let record = admin
                .db()
                .find_group(&code)?
                .ok_or_else(|| AdminError::NoSuchGroup(code.clone()))?;
            let effective = admin.effective(&record.group.code)?;
            if json {
                let both = serde_json::json!({ "group": record, "effective": effective });
                serde_json::to_writer_pretty(&mut *out, &both)?;
                writeln!(out)?;
            } else {
                let customers = admin.db().customers(Some(&record.group.code))?;
                let form = admin.form(l.tag())?;
                render::print_group(l, &form, &record, &effective, out)?;
                render::print_members(l, &form, &customers, out)?;
            }
        }
        GroupCommand::New(args) => {
            let mut group = CustomerGroup::new("", "");
            args.fields.apply(&mut group)?;
            let values = group.settings.clone();
            let saved = admin
                .create_group(group, actor)
                .map_err(|e| with_hints(e, &admin, l, &values))?;
            render::print_issues(&saved.warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::created_group(l, &saved.record.group.code, &saved.record.group.name)
            )?;
        }
        GroupCommand::Edit(args) => {
            let mut problem = None;
            let mut values = None;
            let saved = admin.update_group_at(
                &args.code,
                args.if_version,
                |group| {
                    if let Err(e) = args.fields.apply(group) {
                        problem = Some(e);
                    }
                    values = Some(group.settings.clone());
                },
                actor,
            );
            if let Some(problem) = problem {
                return Err(problem);
            }
            let saved = saved.map_err(|e| match &values {
                Some(values) => with_hints(e, &admin, l, values),
                None => e.into(),
            })?;
            render::print_issues(&saved.warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::saved_group(l, &saved.record.group.code, saved.record.version)
            )?;
        }
        GroupCommand::Delete { code } => {
            let deleted = admin.delete_group(&code, actor)?;
            writeln!(
                out,
                "{}",
                m::deleted_group(l, &deleted.group.code, &deleted.group.name)
            )?;
        }
        GroupCommand::DefaultAccounts { code } => {
            let saved = admin.default_gl_accounts(&code, actor)?;
            render::print_issues(&saved.warnings, Severity::Warning, l, err)?;
            writeln!(
                out,
                "{}",
                m::saved_default_accounts(l, &saved.record.group.code, saved.record.version)
            )?;
        }
        GroupCommand::ApplyTerms { code, yes } => {
            let plan = admin.plan_default_terms(&code, actor)?;
            render::print_plan(&plan, l, out)?;
            if plan.is_empty() {
            } else if yes {
                let applied = admin.apply_default_terms(plan)?;
                writeln!(out, "{}", m::applied_to(l, applied.len()))?;
            } else {
                writeln!(out, "{}", m::preview_only(l))?;
            }
        }
        GroupCommand::Reassign { from, to } => {
            let (moved, warnings) = admin.reassign(&from, &to, actor)?;
            render::print_issues(&warnings, Severity::Warning, l, err)?;
            writeln!(out, "{}", m::moved(l, moved))?;
        }
    }
    Ok(())
}

fn list(cli: &Globals, admin: &Admin, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    let under = match &args.parent {
        Some(code) => Some(
            admin
                .db()
                .find_group(code)?
                .ok_or_else(|| AdminError::NoSuchGroup(code.clone()))?
                .group
                .code,
        ),
        None => None,
    };
    let limit = (args.page_size > 0).then_some(args.page_size);
    let offset = limit.map_or(0, |size| (args.page - 1).saturating_mul(size));
    let query = GroupQuery {
        key: match args.key {
            Key::Code => GroupColumn::Code,
            Key::Name => GroupColumn::Name,
        },
        mode: match args.mode {
            Match::Any => MatchMode::AnyPart,
            Match::Start => MatchMode::Start,
            Match::Exact => MatchMode::Exact,
        },
        text: if args.all { None } else { args.text },
        under,
        sort: args.sort,
        descending: args.desc,
        offset,
        limit,
    };
    let page = admin.db().groups(&query)?;
    let form = admin.form(cli.locale.tag())?;
    let columns = if args.columns.is_empty() {
        default_columns(&form)
    } else if args.columns.iter().any(Option::is_none) {
        GroupColumn::ALL.to_vec()
    } else {
        args.columns.into_iter().flatten().collect()
    };
    match &args.output {
        Some(path) => {
            let mut buffer = Vec::new();
            render::print_list(
                cli.locale,
                &form,
                &page.groups,
                offset,
                page.total,
                &columns,
                args.format,
                &mut buffer,
            )?;
            let shown = path.display().to_string();
            std::fs::write(path, buffer).with_context(|| m::writing(cli.locale, &shown))?;
            writeln!(
                out,
                "{}",
                m::wrote_groups(cli.locale, page.groups.len(), &shown)
            )?;
        }
        None => render::print_list(
            cli.locale,
            &form,
            &page.groups,
            offset,
            page.total,
            &columns,
            args.format,
            out,
        )?,
    }
    Ok(())
}

/// How this CLI creates what a form's quick-create target (`+`) opens: the
/// host's forms by route, and the command with `{code}` for the value the
/// user gave.
const QUICK_CREATE: &[(&str, &str)] = &[(
    "/form/account",
    "erp-host account new --code {code} --name NAME --kind KIND",
)];

/// `error`, with the CLI's quick-create commands added when it is a refusal
/// (`values`: the settings the user proposed, for the codes they typed).
fn with_hints(
    error: AdminError,
    admin: &Admin,
    l: Locale,
    values: &crate::wit::Settings,
) -> anyhow::Error {
    let AdminError::Rejected(issues) = error else {
        return error.into();
    };
    let Ok(form) = admin.form(l.tag()) else {
        return AdminError::Rejected(issues).into();
    };
    let hints = issues
        .iter()
        .map(|issue| quick_create_hint(&form, issue, values))
        .collect();
    m::Refused { issues, hints }.into()
}

fn quick_create_hint(
    form: &crate::wit::FormDefinition,
    issue: &crate::wit::Issue,
    values: &crate::wit::Settings,
) -> Option<String> {
    if issue.severity != Severity::Error || !issue.rule.ends_with(".unknown") {
        return None;
    }
    let route = form
        .fields
        .iter()
        .find(|f| f.name == issue.field)?
        .quick_create
        .as_deref()?;
    let (_, command) = QUICK_CREATE.iter().find(|(r, _)| *r == route)?;
    // The code the user typed; an inherited one is not on this record.
    let code = crate::fields::find(&issue.field)
        .and_then(|f| f.get_setting(values))
        .and_then(|v| match v {
            crate::fields::Value::Text(code) => Some(code),
            _ => None,
        })
        .filter(|c| !c.is_empty())
        .map_or_else(|| "CODE".to_owned(), |c| shell_word(&c));
    Some(command.replace("{code}", &code))
}

/// `text` as one shell word: as it is when that is safe, else single-quoted.
fn shell_word(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn print_settings(db: &Db, l: Locale, out: &mut dyn Write) -> Result<()> {
    let s = db.ar_settings()?;
    for name in crate::fields::settings() {
        let value = render::setting_text(&s, name, l).unwrap_or_else(|| "-".into());
        writeln!(out, "{name:<24} {value}")?;
    }
    Ok(())
}
