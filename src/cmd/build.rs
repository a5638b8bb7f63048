//! `casebook build`: check, then update the search index of the build's marking ceiling.

use crate::pipeline::findings;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::BuildArgs;
use crate::model::enums::Closed;
use crate::model::{Date, Marking};
use crate::pipeline::build::{self, BuildOptions};

use super::progress::Reporter;
use super::{Context, EXIT_CONTENT};

/// Runs `build`.
pub(super) fn run(args: &BuildArgs, ctx: &Context) -> Result<ExitCode> {
    let ceiling = ceiling(args.max_marking.as_deref(), ctx)?;
    if let Some(url) = &args.base_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        bail!("`--base-url` is `{url}`; it must start with https:// or http://");
    }
    let opts = BuildOptions {
        rev: args.rev.clone().unwrap_or_else(|| "HEAD".to_owned()),
        drafts: args.drafts,
        full: args.full,
        output: args.output_dir.clone(),
        base_url: args.base_url.clone(),
        ..BuildOptions::head(ceiling)
    };
    let reporter = Reporter::new(args.quiet, args.errors_only, true);
    let built = build::build_with(&ctx.repo, &ctx.config, &opts, Date::today(), &reporter)?;
    let mut stderr = std::io::stderr().lock();
    write!(stderr, "{}", reporter.remaining(&built.checked))?;
    if reporter.chatty() || built.index.is_none() {
        writeln!(stderr, "{}", findings::summary(&built.checked))?;
    }
    let Some(report) = built.index else {
        writeln!(
            stderr,
            "build stopped: fix the errors above; nothing was written"
        )?;
        return Ok(ExitCode::from(EXIT_CONTENT));
    };
    if reporter.chatty() {
        writeln!(stderr, "{report}")?;
        if let Some(site) = &built.site {
            writeln!(stderr, "{site}")?;
        }
        for line in findings::left_out(&built.checked, Some(ceiling), opts.drafts) {
            writeln!(stderr, "{line}")?;
        }
        if args.rev.is_none() {
            let changed = ctx
                .repo
                .changed_since_head(&ctx.config.knowledge_dir)
                .unwrap_or_default();
            if let Some(note) = findings::unchecked_changes(&changed) {
                writeln!(stderr, "{}", note.replace("not checked", "not built"))?;
            }
        }
    }
    if args.timings {
        let phases = reporter.timings();
        let total: f64 = phases.iter().map(|(_, t)| t.as_secs_f64()).sum();
        writeln!(stderr, "timings ({total:.3} s in phases):")?;
        for (what, took) in phases {
            writeln!(stderr, "  {:>8.3} s  {what}", took.as_secs_f64())?;
        }
    }
    if built.shallow {
        writeln!(
            stderr,
            "warning: this is a shallow clone: document history is incomplete and pages say so"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The ceiling from `--max-marking`, or the configuration's.
pub(super) fn ceiling(arg: Option<&str>, ctx: &Context) -> Result<Marking> {
    match arg {
        None => Ok(ctx.config.ceiling()),
        Some(m) => match Marking::from_code(m) {
            Some(m) => Ok(m),
            None => bail!("`--max-marking` is `{m}`; allowed: OFFICIAL, OFFICIAL-SENSITIVE"),
        },
    }
}
