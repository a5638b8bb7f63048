//! `casebook check`: validate every document and print the diagnostics — human-readable with
//! a code frame under each (coloured only on a terminal), or as JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{CheckArgs, CheckFormat};
use crate::diagnostic::Diagnostic;
use crate::load::{self, Source};
use crate::model::Date;
use crate::pipeline::check;
use crate::pipeline::findings::{left_out, summary, unchecked_changes};

use super::progress::Reporter;
use super::{Context, EXIT_CONTENT};

/// Runs `check`.
pub(super) fn run(args: &CheckArgs, ctx: &Context) -> Result<ExitCode> {
    let source = match (&args.rev, args.worktree, args.staged) {
        (_, true, _) => Source::Worktree,
        (_, _, true) => Source::Staged,
        (Some(rev), ..) => Source::Revision(rev.clone()),
        (None, ..) => Source::Revision("HEAD".to_owned()),
    };
    let reporter = Reporter::new(
        args.quiet,
        args.errors_only,
        args.format == CheckFormat::Human,
    );
    let checked = check::check_with(&ctx.repo, &source, &ctx.config, Date::today(), &reporter)?;
    let mut stderr = std::io::stderr().lock();
    if let Some(c) = checked.commit.as_ref().filter(|c| c.detached) {
        writeln!(
            stderr,
            "note: HEAD is detached; checking commit {}",
            load::short(&c.id)
        )?;
    }
    match args.format {
        CheckFormat::Json => {
            let mut stdout = std::io::stdout().lock();
            let shown: Vec<&Diagnostic> = checked
                .diagnostics
                .iter()
                .filter(|d| !args.errors_only || d.is_error())
                .collect();
            serde_json::to_writer_pretty(&mut stdout, &shown)?;
            writeln!(stdout)?;
        }
        CheckFormat::Human => write!(stderr, "{}", reporter.remaining(&checked))?,
    }
    if reporter.chatty() {
        writeln!(stderr, "{}", summary(&checked))?;
        for line in left_out(&checked, None, false) {
            writeln!(stderr, "{line}")?;
        }
    }
    // A check of HEAD (the default) does not see uncommitted files: say so when there are some.
    if args.rev.is_none() && !args.worktree && !args.staged && reporter.chatty() {
        let changed = ctx
            .repo
            .changed_since_head(&ctx.config.knowledge_dir)
            .unwrap_or_default();
        if let Some(note) = unchecked_changes(&changed) {
            writeln!(stderr, "{note}")?;
        }
    }
    Ok(if checked.errors() > 0 {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    })
}
