//! The `casebook` binary: parse the command line, run it, print any error with its causes.

use std::process::ExitCode;

use clap::Parser;

use casebook::cli::Cli;
use casebook::cmd;

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
