//! The subcommands: each parses nothing itself, takes its `Args` and the context, calls the
//! library, and prints. The only layer that writes to the terminal.

mod brief;
mod build;
mod check;
mod history;
mod hooks;
mod init;
mod new;
mod preview;
mod progress;
mod report;
mod scaffold;
mod search;
mod serve;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{Cli, Command};
use crate::config::{self, Config};
use crate::load::Repo;

/// Exit code for content errors.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code for usage, configuration, I/O and repository errors.
pub const EXIT_FAILURE: u8 = 2;

pub use crate::pipeline::Context;

/// Opens what the command works on.
trait Open: Sized {
    /// Opens the repository (from `--repo` or the current directory) and reads its
    /// configuration (from `--config` or `casebook.toml` at the root).
    fn open(cli: &Cli) -> Result<Self>;
}

impl Open for Context {
    fn open(cli: &Cli) -> Result<Context> {
        let start = match &cli.repo {
            Some(p) => p.clone(),
            None => std::env::current_dir().context("cannot read the current directory")?,
        };
        let repo = Repo::discover(&start)?;
        let (path, required) = match &cli.config {
            Some(p) => (p.clone(), true),
            None => (repo.root().join(config::FILE_NAME), false),
        };
        let config = Config::from_file(&path, required)?;
        Ok(Context { repo, config })
    }
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Check(args) => check::run(args, &Context::open(&cli)?),
        Command::Build(args) => build::run(args, &Context::open(&cli)?),
        Command::Search(args) => search::run(args, &Context::open(&cli)?),
        Command::Serve(args) => serve::run(args, Context::open(&cli)?),
        Command::Stats(args) => stats::run(args, &Context::open(&cli)?),
        Command::History(args) => history::run(args, &Context::open(&cli)?),
        Command::Hooks(args) => hooks::run(args, &Context::open(&cli)?),
        Command::New(args) => new::run(args, &Context::open(&cli)?),
        Command::Init(args) => init::run(args),
        Command::Preview(args) => preview::run(args, Context::open(&cli)?),
        Command::Brief(args) => brief::run(args, &Context::open(&cli)?),
        Command::Report(args) => report::run(args, &Context::open(&cli)?),
    }
}

/// The display form of a path relative to the current directory when possible.
pub fn display_path(path: &std::path::Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(PathBuf::from))
        .unwrap_or_else(|| path.to_owned())
}
