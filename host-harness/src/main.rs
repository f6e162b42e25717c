//! `erp-host`: the stand-in host ERP's admin CLI (see `erp-host --help`).

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let colour = host_harness::cli::Colour::of_process();
    let code = host_harness::cli::main_coloured(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        colour,
    );
    let _ = std::io::stdout().flush();
    ExitCode::from(code)
}
