//! What a server serves and when it changes: the commits of the repository's `HEAD`, looked
//! at every few seconds (`serve`), or the files saved in its working tree (`preview`). Each
//! source builds a version as its command asks and opens it ready to serve
//! (`open_build`), and says why a build could not be served.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use super::watch::{Failure, Rebuild};
use super::{AppState, Current};
use crate::model::words::count;
use crate::model::{Date, Marking};
use crate::pipeline::Context;
use crate::pipeline::build::{self, BuildOptions, Built};
use crate::pipeline::findings;
use crate::pipeline::output::SiteSnapshot;

/// Saves closer together than this are one rebuild (an editor writes a file in several steps).
const SETTLE: Duration = Duration::from_millis(150);

/// What a server's first build of `HEAD` gives.
pub(crate) enum First {
    /// The build, ready to serve, and the commit it built.
    Serve(Box<Current>, String),
    /// `HEAD` (the commit named) has content errors (printed) and the last good build on disk
    /// is served instead, `/healthz` saying why.
    Degraded(Box<Current>, String, String),
    /// The commit has content errors (printed) and there is no good build to serve.
    Refused,
}

/// Builds `HEAD` for a server starting: the build to serve, or its content errors printed.
pub(crate) fn first_build(ctx: &Context, opts: &BuildOptions) -> Result<First> {
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
            let why = content_failure(&built.checked, opts).health();
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
    let current = open_build(ctx, opts, &built, &snapshots_dir(ctx, opts.ceiling))?;
    drop(built);
    crate::alloc::release_memory();
    Ok(First::Serve(Box::new(current), commit.id))
}

/// The commits of the repository's HEAD, looked at every `poll`, built as `serve` serves them.
pub(crate) struct Commits {
    pub(crate) ctx: Context,
    pub(crate) opts: BuildOptions,
    pub(crate) poll: Duration,
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
pub(crate) fn last_good(ctx: &Context, opts: &BuildOptions) -> Option<(Current, String)> {
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
    Failure::Content {
        log: format!("\n{}{summary}", findings::render_all(checked, false)),
        health,
    }
}

fn rebuild(ctx: &Context, opts: &BuildOptions) -> Result<Current, Failure> {
    let built = build::build(&ctx.repo, &ctx.config, opts, Date::today())?;
    if built.index.is_none() {
        return Err(content_failure(&built.checked, opts));
    }
    open_build(ctx, opts, &built, &snapshots_dir(ctx, opts.ceiling)).map_err(Failure::Open)
}

/// Where the served copies of the site live: beside the index, never inside the site.
pub(crate) fn snapshots_dir(ctx: &Context, ceiling: Marking) -> std::path::PathBuf {
    let name = format!("served-{}", ceiling.to_string().to_lowercase());
    ctx.repo.root().join(&ctx.config.state_dir).join(name)
}

/// A build just made, ready to serve: its index, its template overrides (from the commit, or
/// the working tree for a preview) and a snapshot of its site in `snapshots` (so a later build
/// writing the site folder never changes what this build serves), with the statistics it was
/// rendered with. The one way `serve` and `preview` open what they built.
pub(crate) fn open_build(
    ctx: &Context,
    opts: &BuildOptions,
    built: &Built,
    snapshots: &Path,
) -> Result<Current> {
    let root = ctx.repo.root();
    let index = opts
        .index
        .clone()
        .unwrap_or_else(|| build::index_dir(root, &ctx.config, opts.ceiling, false));
    let site = opts
        .output
        .clone()
        .unwrap_or_else(|| build::output_dir(root, &ctx.config, opts.ceiling));
    let overrides = if opts.worktree {
        ctx.repo.read_worktree_templates("templates")?
    } else {
        let commit = built
            .checked
            .commit
            .as_ref()
            .context("a build reads a commit")?;
        ctx.repo.read_templates(commit, "templates")?
    };
    let snapshot = SiteSnapshot::take(&site, snapshots)?;
    let current = Current::open(&index, snapshot, &overrides)?;
    Ok(match &built.statistics {
        Some(s) => current
            .with_statistics(&s.disclose(crate::model::stats::Audience::edition(opts.ceiling))),
        None => current,
    })
}

/// Files whose saving rebuilds the preview: documents, the vocabulary and templates, not an
/// editor's swap or backup files.
pub(crate) fn wanted(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !name.starts_with('.')
        && !name.ends_with('~')
        && !name.ends_with(".swp")
        && (name.ends_with(".md")
            || name.ends_with(".yaml")
            || name.ends_with(".html")
            || path.extension().is_none())
}

/// One line on what a preview build found.
pub(crate) fn describe(built: &Built) -> String {
    let errors = built.checked.errors();
    let warnings = built.checked.warnings();
    let shown = built.checked.corpus.documents.len();
    format!(
        "preview built: {} shown, {}, {}",
        count(shown as u64, "document", "documents"),
        count(errors as u64, "error", "errors"),
        count(warnings as u64, "warning", "warnings"),
    )
}

/// The saves in the working tree, each settled burst one version, built as a preview.
pub(crate) struct Saves {
    pub(crate) ctx: Context,
    pub(crate) opts: BuildOptions,
    pub(crate) saves: Receiver<()>,
    pub(crate) snapshots: PathBuf,
    pub(crate) count: u64,
    pub(crate) _watcher: notify::RecommendedWatcher,
}

impl Rebuild for Saves {
    fn next(&mut self) -> Result<String, crate::load::LoadError> {
        if self.saves.recv().is_err() {
            // The watcher has gone: nothing more will change.
            std::thread::park();
        }
        // Let the burst of events from one save settle.
        while let Ok(()) = self.saves.recv_timeout(SETTLE) {}
        self.count += 1;
        Ok(self.count.to_string())
    }

    fn build(&mut self, _version: &str) -> Result<Current, Failure> {
        let started = Instant::now();
        let built = build::build(&self.ctx.repo, &self.ctx.config, &self.opts, Date::today())?;
        tracing::info!(
            "{} ({:.1} s)",
            describe(&built),
            started.elapsed().as_secs_f64()
        );
        open_build(&self.ctx, &self.opts, &built, &self.snapshots).map_err(Failure::Open)
    }

    fn name(&self, version: &str) -> String {
        format!("save {version}")
    }

    fn settled(&mut self, state: &AppState, version: &str) {
        if let Some(reload) = &state.0.reload {
            reload.send_replace(version.to_owned());
        }
    }
}
