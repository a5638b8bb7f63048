//! The `casebook` binary: parse the command line, run it, print any error with its causes.

use std::process::ExitCode;

use clap::Parser;

use casebook::cli::Cli;
use casebook::cmd;

/// mimalloc rather than glibc's malloc: a build allocates millions of small strings across
/// threads, and at 100,000 documents glibc's allocator spent over a third of the build's time
/// in its own bookkeeping (`_int_malloc`); mimalloc also hands freed memory back to the system
/// by itself, which keeps a long-running server small. A server tunes it through
/// `src/alloc.rs` (when freed memory goes back, and handing a build's peak back).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(cmd::EXIT_FAILURE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(cmd::EXIT_FAILURE)
        }
    }
}
