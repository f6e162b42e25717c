//! `erp-host`: the stand-in host ERP's admin CLI. The binary is a thin
//! wrapper around [`main_with`], so tests run the real CLI in-process.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::store::{GroupColumn, GroupQuery, GroupRecord};
use crate::wit::{Account, AccountKind, CustomerGroup, FormDefinition, Issue, MatchMode, Severity};
use crate::{Actor, Admin, AdminError, Db, Limits, PLUGIN_WASM, admin, sample};
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The stand-in host ERP: a SQLite store, the Customer Group plugin, and this
/// admin CLI.
#[derive(Parser)]
#[command(version, about, max_term_width = 100)]
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
    /// Locale of captions and messages: `en` (English) or `id` (Indonesian).
    #[arg(long, global = true, env = "ERP_LOCALE", default_value = "en")]
    locale: String,
}

#[derive(Subcommand)]
enum Command {
    /// Create (or migrate) the host database.
    Init {
        /// Also add a sample chart of accounts and AR settings defaults.
        #[arg(long)]
        sample: bool,
    },
    /// Set up a sample company in one go: database, sample accounts, the
    /// bundled plugin, the seeds' example groups; then show the menu, the
    /// form and the groups.
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
    /// Manage the chart of accounts (the form's "+" quick-create path).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Show or change the AR settings (the default accounts of every group).
    #[command(subcommand)]
    Settings(SettingsCommand),
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
    /// Show the installed plugin.
    Show,
}

#[derive(Subcommand)]
enum GroupCommand {
    /// List groups, with the seed's search: key, match mode, text; or all.
    List(ListArgs),
    /// Show one group with its audit fields.
    Show {
        /// The group code.
        code: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Create a group.
    New(NewArgs),
    /// Change a group's name, accounts or status (not its code).
    Edit(EditArgs),
    /// Delete a group that has no customers and no transactions.
    Delete {
        /// The group code.
        code: String,
    },
}

#[derive(Args)]
struct ListArgs {
    /// The search key.
    #[arg(long, value_enum, default_value_t = Column::Code)]
    key: Column,
    /// How the text matches the key.
    #[arg(long = "match", value_enum, default_value_t = Match::Any)]
    mode: Match,
    /// The text to search for.
    #[arg(long, conflicts_with = "all")]
    text: Option<String>,
    /// Show all groups ("Show All"); the default when no text is given.
    #[arg(long)]
    all: bool,
    /// Sort by this column.
    #[arg(long, value_enum, default_value_t = Column::Code)]
    sort: Column,
    /// Sort descending.
    #[arg(long)]
    desc: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Column {
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

#[derive(Args)]
struct AccountArgs {
    /// Accounts Receivable (GL Debtor); "" leaves it to the AR settings default.
    #[arg(long)]
    receivable: Option<String>,
    /// Reward Expense account; "" for the default.
    #[arg(long)]
    reward_expense: Option<String>,
    /// Sales Discount account; "" for the default.
    #[arg(long)]
    sales_discount: Option<String>,
    /// Gain/Loss on Receivable Write-off account; "" for the default.
    #[arg(long)]
    write_off: Option<String>,
}

#[derive(Args)]
struct NewArgs {
    /// Group code: up to 8 letters or digits.
    #[arg(long)]
    code: String,
    /// Group name.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    accounts: AccountArgs,
    /// Create the group inactive.
    #[arg(long)]
    inactive: bool,
}

#[derive(Args)]
struct EditArgs {
    /// The group code.
    code: String,
    /// New group name.
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    accounts: AccountArgs,
    /// Make the group inactive (`--inactive`, `--inactive=true`) or active
    /// again (`--inactive=false`).
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    inactive: Option<bool>,
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
enum SettingsCommand {
    /// Show the AR settings.
    Show,
    /// Change default accounts; "" clears one.
    Set(AccountArgs),
}

fn parse_kind(text: &str) -> Result<AccountKind, String> {
    AccountKind::parse(text).ok_or_else(|| {
        let kinds: Vec<_> = AccountKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("expected one of: {}", kinds.join(", "))
    })
}

/// Runs the CLI on `args` (the first is the program name), writing output to
/// `out` and warnings and errors to `err`. Exit code 0 on success, 1 on error
/// (a rejected change included), 2 on a usage error.
pub fn main_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(usage) => {
            let _ = write!(err, "{}", usage.render().ansi());
            return if usage.use_stderr() { 2 } else { 0 };
        }
    };
    match run(cli, out, err) {
        Ok(()) => 0,
        Err(error) => {
            if let Some(io) = error.downcast_ref::<io::Error>()
                && io.kind() == io::ErrorKind::BrokenPipe
            {
                return 0;
            }
            let _ = writeln!(err, "error: {error:#}");
            1
        }
    }
}

fn run(Cli { globals, command }: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    let cli = &globals;
    let actor = Actor {
        user: cli.user.clone(),
        locale: cli.locale.clone(),
    };
    match command {
        Command::Init { sample } => {
            let db = open_db(cli)?;
            writeln!(out, "database ready: {}", cli.db.display())?;
            if sample {
                let added = sample::seed_accounts(&db)?;
                writeln!(out, "sample accounts added: {added}")?;
            }
        }
        Command::Quickstart => quickstart(cli, &actor, out)?,
        Command::Plugin(PluginCommand::Install { file, sha256 }) => {
            let db = open_db(cli)?;
            let (bytes, source) = match &file {
                Some(path) => (
                    std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
                    path.display().to_string(),
                ),
                None => (PLUGIN_WASM.to_vec(), "the bundled plugin".to_owned()),
            };
            let installed =
                admin::install_plugin(&db, &bytes, sha256.as_deref(), &cli.user, Limits::default())
                    .with_context(|| format!("installing {source}"))?;
            writeln!(
                out,
                "installed {source}: form {}, {} bytes, sha256 {}, WIT {}",
                installed.form_id, installed.size, installed.sha256, installed.wit_version
            )?;
        }
        Command::Plugin(PluginCommand::Show) => {
            let db = open_db(cli)?;
            match db.installed_plugin()? {
                None => writeln!(out, "no plugin installed")?,
                Some(p) => writeln!(
                    out,
                    "form:        {}\nsha256:      {}\nWIT version: {}\nsize:        {} bytes\ninstalled:   {} by {}",
                    p.form_id, p.sha256, p.wit_version, p.size, p.installed_at, p.installed_by
                )?,
            }
        }
        Command::Menu => print_menu(&open_db(cli)?, out)?,
        Command::Form { json } => {
            let form = open_admin(cli)?.form(&cli.locale)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &form)?;
                writeln!(out)?;
            } else {
                print_form(&form, out)?;
            }
        }
        Command::Group(command) => group(cli, &actor, command, out, err)?,
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
                bail!("an account needs a code and a name");
            }
            db.create_account(&account)?;
            writeln!(
                out,
                "account {} {} ({}) created",
                account.code, account.name, kind
            )?;
        }
        Command::Account(AccountCommand::List) => {
            let db = open_db(cli)?;
            writeln!(out, "{:<8} {:<32} {:<12} Status", "Code", "Name", "Kind")?;
            for a in db.accounts()? {
                let status = if a.active { "active" } else { "inactive" };
                writeln!(
                    out,
                    "{:<8} {:<32} {:<12} {status}",
                    a.code,
                    a.name,
                    a.kind.as_str()
                )?;
            }
        }
        Command::Settings(SettingsCommand::Show) => print_settings(&open_db(cli)?, out)?,
        Command::Settings(SettingsCommand::Set(accounts)) => {
            let db = open_db(cli)?;
            let mut settings = db.ar_settings()?;
            let blank = |v: String| {
                let v = v.trim().to_owned();
                (!v.is_empty()).then_some(v)
            };
            for (value, slot) in [
                (accounts.receivable, &mut settings.receivable_account),
                (
                    accounts.reward_expense,
                    &mut settings.reward_expense_account,
                ),
                (
                    accounts.sales_discount,
                    &mut settings.sales_discount_account,
                ),
                (accounts.write_off, &mut settings.write_off_account),
            ] {
                if let Some(value) = value {
                    *slot = blank(value);
                }
            }
            db.set_ar_settings(&settings)
                .context("saving AR settings (does every account exist?)")?;
            print_settings(&db, out)?;
        }
    }
    Ok(())
}

fn open_db(cli: &Globals) -> Result<Db> {
    Db::open(&cli.db).with_context(|| format!("opening {}", cli.db.display()))
}

fn open_admin(cli: &Globals) -> Result<Admin> {
    Ok(Admin::open(open_db(cli)?, Limits::default())?)
}

fn quickstart(cli: &Globals, actor: &Actor, out: &mut dyn Write) -> Result<()> {
    let db = open_db(cli)?;
    writeln!(out, "== database {}", cli.db.display())?;
    let added = sample::seed_accounts(&db)?;
    writeln!(out, "sample accounts added: {added}")?;
    let installed = admin::install_plugin(&db, PLUGIN_WASM, None, &cli.user, Limits::default())?;
    writeln!(
        out,
        "plugin installed: form {}, {} bytes, sha256 {}",
        installed.form_id, installed.size, installed.sha256
    )?;
    let admin = Admin::open(db, Limits::default())?;
    for group in sample::groups() {
        if admin.db().group(&group.code)?.is_some() {
            continue;
        }
        let saved = admin.create_group(group, actor)?;
        writeln!(
            out,
            "group created: {} {}",
            saved.record.group.code, saved.record.group.name
        )?;
    }
    writeln!(out, "\n== menu")?;
    print_menu(admin.db(), out)?;
    let form = admin.form(&cli.locale)?;
    writeln!(out, "\n== form")?;
    print_form(&form, out)?;
    writeln!(out, "\n== groups")?;
    print_groups(&form, &admin.db().groups(&GroupQuery::default())?, out)?;
    Ok(())
}

fn group(
    cli: &Globals,
    actor: &Actor,
    command: GroupCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let admin = open_admin(cli)?;
    match command {
        GroupCommand::List(args) => {
            let column = |c: Column| match c {
                Column::Code => GroupColumn::Code,
                Column::Name => GroupColumn::Name,
            };
            let query = GroupQuery {
                key: column(args.key),
                mode: match args.mode {
                    Match::Any => MatchMode::AnyPart,
                    Match::Start => MatchMode::Start,
                    Match::Exact => MatchMode::Exact,
                },
                text: if args.all { None } else { args.text },
                sort: column(args.sort),
                descending: args.desc,
            };
            let groups = admin.db().groups(&query)?;
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &groups)?;
                writeln!(out)?;
            } else {
                print_groups(&admin.form(&cli.locale)?, &groups, out)?;
            }
        }
        GroupCommand::Show { code, json } => {
            let record = admin
                .db()
                .find_group(&code)?
                .ok_or_else(|| AdminError::NoSuchGroup(code.clone()))?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &record)?;
                writeln!(out)?;
            } else {
                print_group(&admin, &admin.form(&cli.locale)?, &record, out)?;
            }
        }
        GroupCommand::New(args) => {
            let group = CustomerGroup {
                code: args.code,
                name: args.name,
                receivable_account: args.accounts.receivable,
                reward_expense_account: args.accounts.reward_expense,
                sales_discount_account: args.accounts.sales_discount,
                write_off_account: args.accounts.write_off,
                inactive: args.inactive,
            };
            let saved = admin.create_group(group, actor).map_err(explain)?;
            print_warnings(&saved.warnings, err)?;
            writeln!(
                out,
                "created group {} {}",
                saved.record.group.code, saved.record.group.name
            )?;
        }
        GroupCommand::Edit(args) => {
            let saved = admin
                .update_group(
                    &args.code,
                    |group| {
                        if let Some(name) = args.name {
                            group.name = name;
                        }
                        for (value, slot) in [
                            (args.accounts.receivable, &mut group.receivable_account),
                            (
                                args.accounts.reward_expense,
                                &mut group.reward_expense_account,
                            ),
                            (
                                args.accounts.sales_discount,
                                &mut group.sales_discount_account,
                            ),
                            (args.accounts.write_off, &mut group.write_off_account),
                        ] {
                            if value.is_some() {
                                *slot = value;
                            }
                        }
                        if let Some(inactive) = args.inactive {
                            group.inactive = inactive;
                        }
                    },
                    actor,
                )
                .map_err(explain)?;
            print_warnings(&saved.warnings, err)?;
            writeln!(
                out,
                "saved group {} (version {})",
                saved.record.group.code, saved.record.version
            )?;
        }
        GroupCommand::Delete { code } => {
            let deleted = admin.delete_group(&code, actor).map_err(explain)?;
            writeln!(
                out,
                "deleted group {} {}",
                deleted.group.code, deleted.group.name
            )?;
        }
    }
    Ok(())
}

/// Turns a rejection into an error that lists every issue.
fn explain(error: AdminError) -> anyhow::Error {
    anyhow::Error::new(error)
}

fn print_warnings(issues: &[Issue], err: &mut dyn Write) -> Result<()> {
    for issue in issues.iter().filter(|i| i.severity == Severity::Warning) {
        writeln!(
            err,
            "warning: {}: {} [{}]",
            issue.field, issue.message, issue.rule
        )?;
    }
    Ok(())
}

fn print_menu(db: &Db, out: &mut dyn Write) -> Result<()> {
    let mut previous: Vec<String> = Vec::new();
    for item in db.menu()? {
        let common = previous
            .iter()
            .zip(&item.path)
            .take_while(|(a, b)| a == b)
            .count();
        for (depth, segment) in item.path.iter().enumerate().skip(common) {
            let indent = "  ".repeat(depth);
            if depth + 1 == item.path.len() {
                let from = item
                    .plugin
                    .as_deref()
                    .map(|p| format!("  [plugin {p}]"))
                    .unwrap_or_default();
                writeln!(out, "{indent}{segment}  -> {}{from}", item.route)?;
            } else {
                writeln!(out, "{indent}{segment}")?;
            }
        }
        previous = item.path;
    }
    Ok(())
}

fn print_form(form: &FormDefinition, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{} ({})", form.title, form.id)?;
    writeln!(out, "{}", form.description)?;
    writeln!(out, "menu:   {}", form.menu.path.join(" > "))?;
    writeln!(out, "route:  {}", form.menu.route)?;
    let labels = |items: Vec<&str>| items.join(" | ");
    writeln!(
        out,
        "list:   {}",
        labels(form.list_columns.iter().map(|c| c.label.as_str()).collect())
    )?;
    writeln!(
        out,
        "search: {}  /  {}",
        labels(form.search_keys.iter().map(|k| k.label.as_str()).collect()),
        labels(form.match_modes.iter().map(|m| m.label.as_str()).collect())
    )?;
    for section in &form.sections {
        writeln!(out, "\n[{}]", section.label)?;
        for field in form.fields.iter().filter(|f| f.section == section.name) {
            let mut notes = vec![field.kind.as_str().to_owned()];
            if field.required {
                notes.push("required".into());
            }
            if field.read_only {
                notes.push("read-only".into());
            }
            if field.immutable {
                notes.push("fixed after creation".into());
            }
            if let Some(max) = field.max_length {
                notes.push(format!("max {max}"));
            }
            if let Some(lookup) = &field.lookup {
                notes.push(format!("lookup {lookup}"));
            }
            if let Some(create) = &field.quick_create {
                notes.push(format!("+ {create}"));
            }
            writeln!(
                out,
                "  {:<36} {:<24} {}",
                field.label,
                field.name,
                notes.join(", ")
            )?;
            writeln!(out, "      {}", field.help)?;
        }
    }
    writeln!(
        out,
        "\nactions: {}",
        labels(form.actions.iter().map(|a| a.label.as_str()).collect())
    )?;
    Ok(())
}

fn print_groups(form: &FormDefinition, groups: &[GroupRecord], out: &mut dyn Write) -> Result<()> {
    let caption = |field: &'static str| -> &str {
        form.list_columns
            .iter()
            .find(|c| c.field == field)
            .map_or(field, |c| c.label.as_str())
    };
    let (no, code) = (caption("row-number"), caption("code"));
    let no_width = no.chars().count().max(groups.len().to_string().len() + 1);
    let code_width = code.chars().count().max(8);
    writeln!(
        out,
        "{no:<no_width$}  {code:<code_width$}  {}",
        caption("name")
    )?;
    for (n, record) in groups.iter().enumerate() {
        let g = &record.group;
        let dim = if g.inactive { "  (inactive)" } else { "" };
        let n = format!("{}.", n + 1);
        writeln!(
            out,
            "{n:<no_width$}  {:<code_width$}  {}{dim}",
            g.code, g.name
        )?;
    }
    Ok(())
}

fn print_group(
    admin: &Admin,
    form: &FormDefinition,
    record: &GroupRecord,
    out: &mut dyn Write,
) -> Result<()> {
    let settings = admin.db().ar_settings()?;
    let g = &record.group;
    let label = |name: &str| {
        form.fields
            .iter()
            .find(|f| f.name == name)
            .map_or(name.to_owned(), |f| f.label.clone())
    };
    let account = |own: &Option<String>, default: &Option<String>| match (own, default) {
        (Some(own), _) => own.clone(),
        (None, Some(default)) => format!("{default} (AR settings default)"),
        (None, None) => "-".into(),
    };
    let yes_no = if g.inactive { "yes" } else { "no" };
    for (name, value) in [
        ("code", g.code.clone()),
        ("name", g.name.clone()),
        (
            "receivable-account",
            account(&g.receivable_account, &settings.receivable_account),
        ),
        (
            "reward-expense-account",
            account(&g.reward_expense_account, &settings.reward_expense_account),
        ),
        (
            "sales-discount-account",
            account(&g.sales_discount_account, &settings.sales_discount_account),
        ),
        (
            "write-off-account",
            account(&g.write_off_account, &settings.write_off_account),
        ),
        ("inactive", yes_no.into()),
        ("created-by", record.created_by.clone()),
        ("created-at", record.created_at.clone()),
        ("updated-by", record.updated_by.clone()),
        ("updated-at", record.updated_at.clone()),
    ] {
        writeln!(out, "{:<36} {value}", label(name))?;
    }
    writeln!(out, "{:<36} {}", "version", record.version)?;
    Ok(())
}

fn print_settings(db: &Db, out: &mut dyn Write) -> Result<()> {
    let s = db.ar_settings()?;
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    writeln!(out, "receivable:     {}", show(&s.receivable_account))?;
    writeln!(out, "reward-expense: {}", show(&s.reward_expense_account))?;
    writeln!(out, "sales-discount: {}", show(&s.sales_discount_account))?;
    writeln!(out, "write-off:      {}", show(&s.write_off_account))?;
    Ok(())
}
