//! `casebook serve`: build, serve the site and search, and rebuild in the background when new
//! commits arrive (a failing rebuild keeps the last good build and is reported in `/healthz`).

use crate::pipeline::findings;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use axum::http::HeaderName;

use crate::cli::ServeArgs;
use crate::model::{Date, Marking};
use crate::pipeline::build::{self, BuildOptions};
use crate::pipeline::output::SiteSnapshot;
use crate::serve::watch::{Failure, Rebuild};
use crate::serve::{self, AppState, Current, Inner};

use super::{Context, EXIT_CONTENT};

/// Runs `serve`.
pub(super) fn run(args: &ServeArgs, ctx: Context) -> Result<ExitCode> {
    serve::log::init();
    serve::watch::prefer_small_memory();
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), &ctx)?;
    let bind = args
        .bind
        .clone()
        .unwrap_or_else(|| ctx.config.serve.bind.clone());
    let require_header = match &args.require_header {
        Some(h) => Some(
            HeaderName::try_from(h.as_str())
                .with_context(|| format!("`--require-header` `{h}` is not a header name"))?,
        ),
        None => None,
    };
    let opts = BuildOptions::head(ceiling);
    let snapshots = snapshots_dir(&ctx, ceiling);
    SiteSnapshot::sweep(&snapshots);
    let poll = Duration::from_secs(ctx.config.serve.poll_seconds);
    let index = build::index_dir(ctx.repo.root(), &ctx.config, ceiling, false);
    if let Some(why) = crate::index::damaged(&index) {
        // Rebuilding from git may take minutes on a large collection: listen at once, say so in
        // `/healthz`, and serve once it is done.
        let head = ctx.repo.resolve("HEAD")?;
        let version = format!("commit {}", &head.id[..head.id.len().min(7)]);
        tracing::warn!(
            "the search index at {} cannot be used ({why}); listening now and rebuilding it from git at {version} (`/healthz` says degraded until it is done)",
            index.display()
        );
        let state = AppState(Arc::new(Inner {
            require_header,
            ..Inner::starting(
                version,
                "starting: the search index was damaged and is being rebuilt from git".to_owned(),
                &ctx.config.title,
                ceiling,
            )
        }));
        let (outcome, refused) = std::sync::mpsc::channel();
        let first = state.clone();
        std::thread::spawn(move || {
            let built =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| first_build(&ctx, &opts)))
                    .unwrap_or_else(|_| {
                        Err(anyhow::anyhow!("the build stopped on an internal fault"))
                    });
            match built {
                Ok(First::Serve(current, commit)) => {
                    tracing::info!("rebuilt the search index from git; serving the build");
                    first.swap(*current);
                    if let Ok(mut r) = first.0.rebuilding.lock() {
                        *r = None;
                    }
                    let commits = Commits { ctx, opts, poll };
                    serve::watch::watch(commits, first, commit);
                }
                Ok(First::Degraded(current, head, why)) => {
                    first.swap(*current);
                    first.set_error(Some(why));
                    if let Ok(mut r) = first.0.rebuilding.lock() {
                        *r = None;
                    }
                    let commits = Commits { ctx, opts, poll };
                    serve::watch::watch(commits, first, head);
                }
                Ok(First::Refused) => {
                    let _ = outcome.send(Ok(ExitCode::from(EXIT_CONTENT)));
                    first.0.stop.notify_one();
                }
                Err(e) => {
                    let _ = outcome.send(Err(e));
                    first.0.stop.notify_one();
                }
            }
        });
        return serve_until_stopped(&bind, state, &snapshots, Some(refused));
    }
    let (current, commit, degraded) = match first_build(&ctx, &opts)? {
        First::Serve(current, commit) => (current, commit, None),
        First::Degraded(current, head, why) => (current, head, Some(why)),
        First::Refused => return Ok(ExitCode::from(EXIT_CONTENT)),
    };
    let state = AppState(Arc::new(Inner {
        require_header,
        ..Inner::new(*current, &ctx.config.title, ceiling)
    }));
    // HEAD could not be built: the last good build is served and `/healthz` says why; the
    // watcher starts from HEAD, so the next commit is built as soon as it comes.
    state.set_error(degraded);
    let watcher = state.clone();
    let commits = Commits { ctx, opts, poll };
    std::thread::spawn(move || serve::watch::watch(commits, watcher, commit));
    serve_until_stopped(&bind, state, &snapshots, None)
}

/// Serves `state` until it is stopped, then deletes this server's snapshots. A start that
/// could not be served (its first build failed, after listening) says how it ended through
/// `refused`.
fn serve_until_stopped(
    bind: &str,
    state: AppState,
    snapshots: &std::path::Path,
    refused: Option<std::sync::mpsc::Receiver<Result<ExitCode>>>,
) -> Result<ExitCode> {
    let served = serve::run::run(bind, state);
    SiteSnapshot::remove_own(snapshots);
    served?;
    if let Some(code) = refused.and_then(|r| r.try_recv().ok()) {
        return code;
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// What a server's first build of `HEAD` gives.
enum First {
    /// The build, ready to serve, and the commit it built.
    Serve(Box<Current>, String),
    /// `HEAD` (the commit named) has content errors (printed) and the last good build on disk
    /// is served instead, `/healthz` saying why.
    Degraded(Box<Current>, String, String),
    /// The commit has content errors (printed) and there is no good build to serve.
    Refused,
}

/// Builds `HEAD` for a server starting: the build to serve, or its content errors printed.
fn first_build(ctx: &Context, opts: &BuildOptions) -> Result<First> {
    let built = build::build(&ctx.repo, &ctx.config, opts, Date::today())?;
    if built.index.is_none() {
        let styled = std::io::stderr().is_terminal();
        eprint!("{}", findings::render_all(&built.checked, styled));
        let head = built.checked.commit.as_ref().map(|c| c.id.clone());
        if let (Some(head), Some((current, good))) = (head, last_good(ctx, opts)) {
            eprintln!(
                "{}\nHEAD (commit {}) cannot be published: serving the last good build (commit {}) until a commit without errors arrives; `/healthz` says degraded",
                findings::summary(&built.checked),
                crate::load::short(&head),
                crate::load::short(&good),
            );
            let why = content_failure(&built.checked, opts).health;
            return Ok(First::Degraded(Box::new(current), head, why));
        }
        eprintln!(
            "{}\nnot serving: fix the errors above and commit (there is no earlier good build on disk to serve meanwhile)",
            findings::summary(&built.checked)
        );
        return Ok(First::Refused);
    }
    let commit = built
        .checked
        .commit
        .clone()
        .context("a build reads a commit")?;
    let current = open(ctx, opts, &built)?;
    drop(built);
    serve::watch::release_memory();
    Ok(First::Serve(Box::new(current), commit.id))
}

/// The commits of the repository's HEAD, looked at every `poll`, built as `serve` serves them.
struct Commits {
    ctx: Context,
    opts: BuildOptions,
    poll: Duration,
}

impl Rebuild for Commits {
    fn next(&mut self) -> Result<String, crate::load::LoadError> {
        std::thread::sleep(self.poll);
        self.ctx.repo.resolve("HEAD").map(|c| c.id)
    }

    fn build(&mut self, _version: &str) -> Result<Current, Failure> {
        rebuild(&self.ctx, &self.opts)
    }

    fn name(&self, version: &str) -> String {
        format!("commit {}", &version[..version.len().min(7)])
    }
}

/// Diagnostics named in `/healthz` when a rebuild fails.
const HEALTH_DIAGNOSTICS: usize = 10;

/// The last good build on disk, ready to serve, and its commit: the index of this ceiling
/// (undamaged, of this version's schema, without drafts) and the site written with it. What a
/// server starting on a `HEAD` with content errors serves meanwhile.
fn last_good(ctx: &Context, opts: &BuildOptions) -> Option<(Current, String)> {
    let root = ctx.repo.root();
    let index = build::index_dir(root, &ctx.config, opts.ceiling, false);
    if !index.join("meta.json").is_file() || crate::index::damaged(&index).is_some() {
        return None;
    }
    let meta = crate::index::KbIndex::open(&index).ok()?.meta()?;
    if meta.schema != crate::index::SCHEMA_VERSION
        || meta.drafts
        || meta.ceiling != opts.ceiling.to_string()
    {
        return None;
    }
    let site = build::output_dir(root, &ctx.config, opts.ceiling);
    if !site.join("index.html").is_file() {
        return None;
    }
    let commit = ctx.repo.resolve(&meta.commit).ok()?;
    let overrides = ctx.repo.read_templates(&commit, "templates").ok()?;
    let snapshot = SiteSnapshot::take(&site, &snapshots_dir(ctx, opts.ceiling)).ok()?;
    let current = Current::open(&index, snapshot, &overrides).ok()?;
    Some((current, meta.commit))
}

/// What a build refused for content errors reports: the log's detail and `/healthz`'s words.
fn content_failure(checked: &crate::pipeline::check::Checked, opts: &BuildOptions) -> Failure {
    let summary = findings::summary(checked);
    let mut health = format!("the commit has content errors: {summary}");
    // A diagnostic names a file and quotes its values; a server whose ceiling is below the
    // highest marking could be describing a document it must not show, so it gives only
    // the counts there, and the log (read by operators) has the detail.
    if opts.ceiling == Marking::OfficialSensitive {
        let errors = checked.diagnostics.iter().filter(|d| d.is_error());
        for d in errors.take(HEALTH_DIAGNOSTICS) {
            health.push_str(&format!(
                "\n{}:{}:{}: {}: {}",
                d.path, d.line, d.column, d.code, d.message
            ));
        }
    } else {
        health.push_str(" (details in the server log)");
    }
    Failure {
        log: format!("\n{}{summary}", findings::render_all(checked, false)),
        health,
        retry: false,
    }
}

fn rebuild(ctx: &Context, opts: &BuildOptions) -> Result<Current, Failure> {
    let built = build::build(&ctx.repo, &ctx.config, opts, Date::today())?;
    if built.index.is_none() {
        return Err(content_failure(&built.checked, opts));
    }
    open(ctx, opts, &built).map_err(|e| Failure {
        log: format!("{e:#}"),
        health: "the rebuild failed; retrying (details in the server log)".to_owned(),
        retry: true,
    })
}

/// Where the served copies of the site live: beside the index, never inside the site.
fn snapshots_dir(ctx: &Context, ceiling: Marking) -> std::path::PathBuf {
    let name = format!("served-{}", ceiling.to_string().to_lowercase());
    ctx.repo.root().join(&ctx.config.state_dir).join(name)
}

/// The build just made, ready to serve: its index, templates and a snapshot of its site (so a
/// later build writing the site folder never changes what this build serves).
fn open(ctx: &Context, opts: &BuildOptions, built: &build::Built) -> Result<Current> {
    let commit = built
        .checked
        .commit
        .as_ref()
        .context("a build reads a commit")?;
    let overrides = ctx.repo.read_templates(commit, "templates")?;
    let root = ctx.repo.root();
    let index = build::index_dir(root, &ctx.config, opts.ceiling, false);
    let site = build::output_dir(root, &ctx.config, opts.ceiling);
    let snapshot = SiteSnapshot::take(&site, &snapshots_dir(ctx, opts.ceiling))?;
    let current = Current::open(&index, snapshot, &overrides)?;
    Ok(match &built.statistics {
        Some(s) => current
            .with_statistics(&s.disclose(crate::model::stats::Audience::edition(opts.ceiling))),
        None => current,
    })
}
