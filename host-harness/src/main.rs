//! `erp-host`: the stand-in host ERP's admin CLI (see `erp-host --help`).

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let code = host_harness::cli::main_with(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    let _ = std::io::stdout().flush();
    ExitCode::from(code)
}
