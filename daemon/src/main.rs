//! `erp-sync`: mirrors customer groups declared in TOML files into the host's
//! store, validated by the host's plugin. See `erp-sync --help`; the command
//! line is `daemon::cli`, so that its modules are the library's.

fn main() -> std::process::ExitCode {
    daemon::cli::main()
}
