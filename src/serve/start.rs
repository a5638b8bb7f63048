//! Starting a server: the first build, the state the routes share, the rebuild loop on its
//! own thread, and the accept loop until the server is stopped. `serve` starts one on the
//! commits of `HEAD`, `preview` on the files saved in the working tree; both are assembled
//! here, so a command only reads its options.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use axum::http::HeaderName;
use notify::{RecursiveMode, Watcher};

use super::sources::{
    Commits, First, Saves, describe, first_build, open_build, snapshots_dir, wanted,
};
use super::{AppState, Inner};
use crate::model::{Date, Marking};
use crate::pipeline::Context;
use crate::pipeline::build::{self, BuildOptions};
use crate::pipeline::output::SiteSnapshot;

/// How a server's run ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Stopped by a signal, after serving.
    Stopped,
    /// Never served: its first build had content errors and there was no good build on disk.
    Refused,
}

/// Serves the edition of `ceiling` built from the commits of `HEAD` at `bind`, rebuilding when
/// a new commit arrives; `require_header` names the identity header every request must carry.
pub(crate) fn commits(
    ctx: Context,
    ceiling: Marking,
    bind: &str,
    require_header: Option<&str>,
) -> Result<Ended> {
    let require_header = match require_header {
        Some(h) => Some(
            HeaderName::try_from(h)
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
                    super::watch::watch(commits, first, commit);
                }
                Ok(First::Degraded(current, head, why)) => {
                    first.swap(*current);
                    first.set_error(Some(why));
                    if let Ok(mut r) = first.0.rebuilding.lock() {
                        *r = None;
                    }
                    let commits = Commits { ctx, opts, poll };
                    super::watch::watch(commits, first, head);
                }
                Ok(First::Refused) => {
                    let _ = outcome.send(Ok(Ended::Refused));
                    first.0.stop.notify_one();
                }
                Err(e) => {
                    let _ = outcome.send(Err(e));
                    first.0.stop.notify_one();
                }
            }
        });
        return serve_until_stopped(bind, state, &snapshots, Some(refused));
    }
    let (current, commit, degraded) = match first_build(&ctx, &opts)? {
        First::Serve(current, commit) => (current, commit, None),
        First::Degraded(current, head, why) => (current, head, Some(why)),
        First::Refused => return Ok(Ended::Refused),
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
    std::thread::spawn(move || super::watch::watch(commits, watcher, commit));
    serve_until_stopped(bind, state, &snapshots, None)
}

/// Serves a preview of the working tree at `bind` (drafts included, every page bannered),
/// rebuilt when a file is saved, open pages reloading themselves; `open` opens a browser on it.
pub(crate) fn saves(ctx: Context, ceiling: Marking, bind: &str, open: bool) -> Result<Ended> {
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
    let current = open_build(&ctx, &opts, &built, &snapshots)?;
    drop(built);
    crate::alloc::release_memory();
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
    std::thread::spawn(move || super::watch::watch(owner, watching, "0".to_owned()));
    if open {
        let url = format!("http://{bind}/");
        if let Err(e) = webbrowser::open(&url) {
            tracing::warn!("cannot open a browser ({e}); open {url} yourself");
        }
    }
    serve_until_stopped(bind, state, &snapshots, None)
}

/// Serves `state` until it is stopped, then deletes this server's snapshots. A start that
/// could not be served (its first build failed, after listening) says how it ended through
/// `refused`.
pub(crate) fn serve_until_stopped(
    bind: &str,
    state: AppState,
    snapshots: &std::path::Path,
    refused: Option<std::sync::mpsc::Receiver<Result<Ended>>>,
) -> Result<Ended> {
    let served = super::run::run(bind, state);
    SiteSnapshot::remove_own(snapshots);
    served?;
    if let Some(code) = refused.and_then(|r| r.try_recv().ok()) {
        return code;
    }
    tracing::info!("stopped");
    Ok(Ended::Stopped)
}
