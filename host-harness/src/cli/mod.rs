//! `erp-host`: the stand-in host ERP's admin CLI. The binary is a thin
//! wrapper around [`main_with`], so tests run the real CLI in-process.
//!
//! This file parses the command line and dispatches; each command family
//! has a module of its own (`group`, `company`, `customer`, `reference`, `plugin`,
//! `quickstart`, `ledger`, `user`, `serve`).

mod company;
mod customer;
mod group;
mod hints;
mod input;
mod ledger;
pub mod options;
mod plugin;
mod quickstart;
mod reference;
mod render;
mod serve;
mod user;

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use self::customer::CustomerCommand;
use self::group::GroupCommand;
use self::plugin::PluginCommand;
use self::reference::{AccountCommand, ReferenceCommand, SettingsCommand};
use crate::actor::Actor;
use crate::admin::Admin;
use crate::messages::{self as m, Locale};
use crate::sample;
use crate::store::Db;

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
    /// The user name stamped in audit fields; a console user of that name
    /// is held to its rights per field.
    #[arg(long, global = true, env = "ERP_USER", default_value = "admin", value_parser = user_name)]
    user: String,
    /// Locale of captions and messages (a region is fine: `id-ID`); any other
    /// language is refused.
    #[arg(long, global = true, env = "ERP_LOCALE", default_value = "en", value_parser = LocaleParser)]
    locale: Locale,
}

/// The value parser of `--user` in both binaries: a name a console user
/// could have (1 to 64 letters, digits, `.`, `_`, `@`, `-`), so that who
/// acts is never blank, nor a console user's name with a space that would
/// escape their rights.
pub fn user_name(text: &str) -> Result<String, String> {
    if crate::users::valid_name(text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "{text:?} is not a user name: use 1 to 64 letters, digits, '.', '_', '@' or '-'"
        ))
    }
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
    /// Manage the companies: each with its base currency, chart of
    /// accounts, AR settings and ledger.
    #[command(subcommand)]
    Company(company::CompanyCommand),
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
    /// Manage the users who may log in to the web console.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Serve the web console (login, the host menu, the plugin's forms).
    Serve(serve::ServeArgs),
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
        via: crate::actor::Via::Cli,
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
        Command::Quickstart => quickstart::quickstart(cli, &actor, out)?,
        Command::Plugin(command) => plugin::plugin(cli, command, out)?,
        Command::Menu => render::print_menu(&open_db(cli)?, out)?,
        Command::Form { json } => {
            let form = open_admin(cli)?.form(cli.locale.tag())?;
            if json {
                render::print_json(&form, out)?;
            } else {
                render::print_form(&form, l, out)?;
            }
        }
        Command::Group(command) => group::group(cli, &actor, command, out, err)?,
        Command::Company(command) => company::company(cli, &actor, command, out)?,
        Command::Customer(command) => customer::customer(cli, &actor, command, out, err)?,
        Command::Account(command) => reference::account(cli, command, out)?,
        Command::Reference(command) => reference::reference(cli, command, out)?,
        Command::Settings(command) => reference::settings(cli, &actor, command, out, err)?,
        Command::Transaction(command) => {
            ledger::transaction(&open_admin(cli)?, command, &actor, out)?
        }
        Command::Gl(command) => ledger::gl(&open_admin(cli)?, command, &actor, out)?,
        Command::Report(command) => ledger::report(&open_admin(cli)?, command, &actor, out, err)?,
        Command::User(command) => user::user(cli, command, out)?,
        Command::Serve(args) => serve::serve(cli, args, out)?,
    }
    Ok(())
}

fn open_db(cli: &Globals) -> Result<Db> {
    Db::open(&cli.db).with_context(|| m::opening(cli.locale, &cli.db.display().to_string()))
}

fn open_admin(cli: &Globals) -> Result<Admin> {
    Ok(Admin::open(open_db(cli)?)?)
}
