//! `casebook serve`: build, serve the site and search, and rebuild in the background when new
//! commits arrive (a failing rebuild keeps the last good build and is reported in `/healthz`).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use axum::http::HeaderName;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

use crate::build::{self, BuildOptions};
use crate::cli::ServeArgs;
use crate::model::{Date, Marking};
use crate::output::SiteSnapshot;
use crate::serve::{self, AppState, Current, Inner};

use super::{Context, EXIT_CONTENT, check};

/// Runs `serve`.
pub fn run(args: &ServeArgs, ctx: Context) -> Result<ExitCode> {
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
    let opts = BuildOptions {
        rev: "HEAD".to_owned(),
        ceiling,
        drafts: false,
        full: false,
        output: None,
        base_url: None,
    };
    let built = build::build(&ctx.repo, &ctx.config, &opts, Date::today())?;
    if built.index.is_none() {
        let styled = std::io::stderr().is_terminal();
        eprint!("{}", check::render_all(&built.checked, styled));
        eprintln!(
            "{}\nnot serving: fix the errors above and commit",
            check::summary(&built.checked)
        );
        return Ok(ExitCode::from(EXIT_CONTENT));
    }
    let commit = built
        .checked
        .commit
        .clone()
        .context("a build reads a commit")?;
    let snapshots = snapshots_dir(&ctx, ceiling);
    SiteSnapshot::sweep(&snapshots);
    let current = open(&ctx, &opts, &built)?;
    let state = AppState(Arc::new(Inner {
        require_header,
        ..Inner::new(current, &ctx.config.title, ceiling)
    }));
    let poll = Duration::from_secs(ctx.config.serve.poll_seconds);
    let watcher = state.clone();
    std::thread::spawn(move || watch(ctx, opts, watcher, poll, commit.id));
    // A fault's message may quote request input: print it escaped, on one line that cannot be
    // taken for an audit line (those start with `{`).
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message: String = message.chars().take(300).collect();
        eprintln!("error: internal fault at {at}: {message:?}");
    }));
    let runtime = tokio::runtime::Runtime::new().context("cannot start the server runtime")?;
    let served = runtime.block_on(listen(&bind, state));
    SiteSnapshot::remove_own(&snapshots);
    served?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn listen(bind: &str, state: AppState) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "serving on http://{addr}/ (Ctrl-C to stop)")?;
    drop(stderr);
    let app = serve::app(state);
    let connections = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let tcp = match accepted {
                    Ok((tcp, _)) => tcp,
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment (the waiting clients stay queued) and go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                // Without TCP_NODELAY a response written in two parts waits for the client's
                // delayed acknowledgement: about 40 ms on every keep-alive request.
                let _ = tcp.set_nodelay(true);
                let connection = http1::Builder::new()
                    .timer(TokioTimer::new())
                    // A client that has not sent its request's headers in this time is
                    // dropped, so slow or idle clients cannot hold connections for ever.
                    .header_read_timeout(HEADER_READ)
                    .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(app.clone()));
                let connection = connections.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    // Requests in flight get DRAIN to finish; then the server stops anyway, so a stalled
    // client cannot hold it up.
    tokio::select! {
        () = connections.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            eprintln!("stopping with requests still open after {} s", DRAIN.as_secs());
        }
    }
    Ok(())
}

/// How long a client may take to send a request's headers (and how long an idle keep-alive
/// connection waits for the next request).
const HEADER_READ: Duration = Duration::from_secs(10);

/// How long requests in flight may take to finish after a stop is asked for.
const DRAIN: Duration = Duration::from_secs(20);

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

/// Polls the repository's HEAD; rebuilds and swaps the served build when it moves.
///
/// The last good build is served throughout. A commit that cannot be built for a reason in the
/// commit (content errors, a broken template) is not tried again; a failure that may pass (the
/// index busy with another build, a full disk) is retried at the next poll. A repository that
/// cannot be read marks the server degraded until it can be read again.
fn watch(ctx: Context, opts: BuildOptions, state: AppState, poll: Duration, mut served: String) {
    // Why the build of `served` failed, if it did: health returns to this once the repository
    // can be read again.
    let mut failure: Option<String> = None;
    let mut unreadable = false;
    let mut last_logged = String::new();
    loop {
        std::thread::sleep(poll);
        let head = match ctx.repo.resolve("HEAD") {
            Ok(c) => c.id,
            Err(e) => {
                if !unreadable {
                    eprintln!(
                        "error: cannot read the repository's HEAD: {e}; still serving the last good build"
                    );
                }
                unreadable = true;
                state.failed("cannot read the repository (details in the server log)".to_owned());
                continue;
            }
        };
        if unreadable {
            unreadable = false;
            eprintln!("the repository can be read again");
            state.set_error(failure.clone());
        }
        if head == served {
            continue;
        }
        let short = head[..head.len().min(7)].to_owned();
        // A fault in the build must not end the watching: catch it and report it like a failure.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rebuild(&ctx, &opts)))
            .unwrap_or_else(|_| {
                Err(Failure {
                    log: "the build stopped on an internal fault (reported above)".to_owned(),
                    health: format!("the rebuild of commit {short} stopped on an internal fault (details in the server log)"),
                    retry: false,
                })
            });
        match outcome {
            Ok(current) => {
                eprintln!("rebuilt at commit {short}");
                state.swap(current);
                failure = None;
                served = head;
            }
            Err(f) => {
                if f.log != last_logged {
                    eprintln!(
                        "error: rebuild of commit {short} failed; still serving the last good build: {}{}",
                        f.log,
                        if f.retry {
                            " (retrying at the next poll)"
                        } else {
                            ""
                        }
                    );
                    last_logged.clone_from(&f.log);
                }
                state.failed(f.health.clone());
                failure = Some(f.health);
                if !f.retry {
                    served = head;
                }
            }
        }
    }
}

/// Diagnostics named in `/healthz` when a rebuild fails.
const HEALTH_DIAGNOSTICS: usize = 10;

/// Why a rebuild failed: in full for the log, and as `/healthz` may show it (no file system
/// paths or internal detail there).
struct Failure {
    log: String,
    health: String,
    /// The failure may pass: build the same commit again at the next poll.
    retry: bool,
}

impl From<crate::error::Error> for Failure {
    fn from(e: crate::error::Error) -> Failure {
        use crate::error::Error;
        let (health, retry) = match &e {
            // Reasons in the commit itself: its templates or configuration.
            Error::Render(message) => (format!("the rebuild failed: {message}"), false),
            Error::Config { .. } => (
                "the rebuild failed: the configuration is wrong (details in the server log)"
                    .to_owned(),
                false,
            ),
            Error::Repository(_) | Error::Io { .. } => (
                "the rebuild failed; retrying (details in the server log)".to_owned(),
                true,
            ),
        };
        Failure {
            log: e.to_string(),
            health,
            retry,
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure {
            log: format!("{e:#}"),
            health: "the rebuild failed; retrying (details in the server log)".to_owned(),
            retry: true,
        }
    }
}

fn rebuild(ctx: &Context, opts: &BuildOptions) -> Result<Current, Failure> {
    let built = build::build(&ctx.repo, &ctx.config, opts, Date::today())?;
    if built.index.is_none() {
        let summary = check::summary(&built.checked);
        let mut health = format!("the commit has content errors: {summary}");
        // A diagnostic names a file and quotes its values; a server whose ceiling is below the
        // highest marking could be describing a document it must not show, so it gives only
        // the counts there, and the log (read by operators) has the detail.
        if opts.ceiling == Marking::OfficialSensitive {
            let errors = built.checked.diagnostics.iter().filter(|d| d.is_error());
            for d in errors.take(HEALTH_DIAGNOSTICS) {
                health.push_str(&format!(
                    "\n{}:{}:{}: {}: {}",
                    d.path, d.line, d.column, d.code, d.message
                ));
            }
        } else {
            health.push_str(" (details in the server log)");
        }
        return Err(Failure {
            log: format!("\n{}{summary}", check::render_all(&built.checked, false)),
            health,
            retry: false,
        });
    }
    Ok(open(ctx, opts, &built)?)
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
    let current = Current::open(&index, snapshot, &overrides).map_err(anyhow::Error::msg)?;
    Ok(match &built.statistics {
        Some(s) => current.with_statistics(&s.disclose(opts.ceiling == Marking::Official)),
        None => current,
    })
}
