//! `serve`: the web console over the database, until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;

use anyhow::Result;
use clap::Args;

use super::Globals;
use crate::console::{Console, ConsoleConfig};

#[derive(Args)]
pub(super) struct ServeArgs {
    /// The address to listen on. The default is loopback only: put a TLS
    /// proxy in front to serve others (and pass --secure-cookies).
    #[arg(long, default_value = "127.0.0.1:8080", env = "ERP_LISTEN")]
    listen: SocketAddr,
    /// Mark the session cookie `Secure` (sent only over HTTPS): for a
    /// console behind a TLS proxy.
    #[arg(long)]
    secure_cookies: bool,
    /// End a session after this many minutes without a request.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=1440))]
    session_idle_minutes: u64,
    /// Failed logins allowed per client address and per user name in 15
    /// minutes, before logins are refused (429) for the rest of them.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    login_limit: u32,
}

/// Runs `serve`: binds, says where, serves until a signal.
pub(super) fn serve(cli: &Globals, args: ServeArgs, out: &mut dyn Write) -> Result<()> {
    let mut config = ConsoleConfig::new(cli.db.clone());
    config.listen = args.listen;
    config.secure_cookies = args.secure_cookies;
    config.session_idle = std::time::Duration::from_secs(args.session_idle_minutes * 60);
    config.login_limit = args.login_limit;
    let console = Console::bind(config)?;
    writeln!(
        out,
        "erp-host: the console is at http://{}/ (Ctrl-C stops it)",
        console.local_addr()?
    )?;
    out.flush()?;
    console.run()?;
    Ok(())
}
