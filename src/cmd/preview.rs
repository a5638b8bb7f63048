//! `casebook preview`: the working tree as a site — uncommitted files and drafts included,
//! every page bannered DRAFT PREVIEW and listing the check's findings — rebuilt when a file in
//! `knowledge/` or `templates/` is saved, with open pages reloading themselves. It writes only
//! under `state_dir/preview/`, never the published site or index.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use notify::{RecursiveMode, Watcher};

use crate::cli::PreviewArgs;
use crate::model::Date;
use crate::model::words::count;
use crate::pipeline::build::{self, BuildOptions, Built};
use crate::pipeline::output::SiteSnapshot;
use crate::serve::watch::{Failure, Rebuild};
use crate::serve::{self, AppState, Current, Inner};

use super::Context;

/// Where the preview listens unless told otherwise.
const BIND: &str = "127.0.0.1:8090";

/// Saves closer together than this are one rebuild (an editor writes a file in several steps).
const SETTLE: Duration = Duration::from_millis(150);

/// Runs `preview`.
pub(super) fn run(args: &PreviewArgs, ctx: Context) -> Result<ExitCode> {
    serve::log::init();
    serve::watch::prefer_small_memory();
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), &ctx)?;
    let bind = args.bind.clone().unwrap_or_else(|| BIND.to_owned());
    let root = ctx.repo.root().to_owned();
    let state_dir = root.join(&ctx.config.state_dir).join("preview");
    let opts = BuildOptions {
        worktree: true,
        preview: true,
        drafts: true,
        index: Some(state_dir.join("index")),
        output: Some(state_dir.join("site")),
        ..BuildOptions::head(ceiling)
    };
    let snapshots = state_dir.join("served");
    SiteSnapshot::sweep(&snapshots);
    // Watch before the first build, so a save during it is not missed.
    let (events, saves) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        // Reads (the build's own, an editor's) are not changes.
        if let Ok(e) = e
            && !matches!(e.kind, notify::EventKind::Access(_))
            && e.paths.iter().any(|p| wanted(p))
        {
            let _ = events.send(());
        }
    })
    .context("cannot watch the files for changes")?;
    let knowledge = root.join(&ctx.config.knowledge_dir);
    watcher
        .watch(&knowledge, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", knowledge.display()))?;
    let templates = root.join("templates");
    if templates.is_dir() {
        let _ = watcher.watch(&templates, RecursiveMode::Recursive);
    }
    let started = Instant::now();
    let built = build::build(&ctx.repo, &ctx.config, &opts, Date::today())?;
    tracing::info!(
        "{} ({:.1} s)",
        describe(&built),
        started.elapsed().as_secs_f64()
    );
    let current = open(&ctx, &opts, &built, &snapshots)?;
    drop(built);
    serve::watch::release_memory();
    let (reload, _) = tokio::sync::watch::channel("0".to_owned());
    let state = AppState(Arc::new(Inner {
        reload: Some(reload),
        ..Inner::new(current, &format!("{} (preview)", ctx.config.title), ceiling)
    }));
    let owner = Saves {
        ctx,
        opts,
        saves,
        snapshots: snapshots.clone(),
        count: 0,
        _watcher: watcher,
    };
    let watching = state.clone();
    std::thread::spawn(move || serve::watch::watch(owner, watching, "0".to_owned()));
    if args.open {
        let url = format!("http://{bind}/");
        if let Err(e) = webbrowser::open(&url) {
            tracing::warn!("cannot open a browser ({e}); open {url} yourself");
        }
    }
    let served = serve::run::run(&bind, state);
    SiteSnapshot::remove_own(&snapshots);
    served?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Files whose saving rebuilds the preview: documents, the vocabulary and templates, not an
/// editor's swap or backup files.
fn wanted(path: &Path) -> bool {
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
fn describe(built: &Built) -> String {
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
struct Saves {
    ctx: Context,
    opts: BuildOptions,
    saves: Receiver<()>,
    snapshots: PathBuf,
    count: u64,
    _watcher: notify::RecommendedWatcher,
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
        open(&self.ctx, &self.opts, &built, &self.snapshots).map_err(|e| Failure {
            log: format!("{e:#}"),
            health: "the preview could not be rebuilt (details in the log)".to_owned(),
            retry: true,
        })
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

/// The preview build, ready to serve.
fn open(ctx: &Context, opts: &BuildOptions, built: &Built, snapshots: &Path) -> Result<Current> {
    let index = opts.index.clone().context("a preview has its own index")?;
    let site = opts.output.clone().context("a preview has its own site")?;
    let overrides = ctx.repo.read_worktree_templates("templates")?;
    let snapshot = SiteSnapshot::take(&site, snapshots)?;
    let current = Current::open(&index, snapshot, &overrides)?;
    Ok(match &built.statistics {
        Some(s) => current
            .with_statistics(&s.disclose(crate::model::stats::Audience::edition(opts.ceiling))),
        None => current,
    })
}
