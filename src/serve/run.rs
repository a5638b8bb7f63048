//! Running the server: the accept loop on hyper (TCP_NODELAY, a header read timeout),
//! graceful shutdown on Ctrl-C or SIGTERM with a bounded drain, and faults logged on one line.
//! `casebook serve` and `casebook preview` both run through here.

use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

use super::AppState;

/// How long a client may take to send a request's headers (and how long an idle keep-alive
/// connection waits for the next request).
pub(crate) const HEADER_READ: Duration = Duration::from_secs(10);

/// How long requests in flight may take to finish after a stop is asked for.
pub(crate) const DRAIN: Duration = Duration::from_secs(20);

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RunError {
    /// The runtime could not start.
    #[error("cannot start the server runtime: {0}")]
    Runtime(std::io::Error),
    /// The address cannot be listened on.
    #[error("cannot listen on {bind}: {source}")]
    Bind {
        /// The address asked for.
        bind: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// Serves `state` on `bind` until Ctrl-C, SIGTERM or `Inner::stop`, then lets requests in flight finish (up
/// to `DRAIN`). Logs `serving on http://ADDR/` once listening.
pub(crate) fn run(bind: &str, state: AppState) -> Result<(), RunError> {
    log_faults();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_keep_alive(BLOCKING_KEEP_ALIVE)
        .build()
        .map_err(RunError::Runtime)?;
    runtime.block_on(listen(bind, state))
}

/// At most this many threads read files and run searches (tokio's blocking pool; searches are
/// further limited to one per core). Tokio's default is 512, each kept for 10 s when idle:
/// under steady load that started and ended threads all the time, and each ended thread left
/// the allocator memory it could not give back, so the heap grew for as long as the load ran.
const BLOCKING_THREADS: usize = 32;

/// An idle blocking thread is kept this long, so a steady load reuses the same threads.
const BLOCKING_KEEP_ALIVE: Duration = Duration::from_secs(600);

/// A fault's message may quote request input: it is logged escaped, on one line that cannot be
/// taken for an audit line (those start with `{`).
fn log_faults() {
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
        tracing::error!("internal fault at {at}: {message:?}");
    }));
}

async fn listen(bind: &str, state: AppState) -> Result<(), RunError> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|source| RunError::Bind {
            bind: bind.to_owned(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| RunError::Bind {
        bind: bind.to_owned(),
        source,
    })?;
    tracing::info!("serving on http://{addr}/ (Ctrl-C to stop)");
    let asked = state.clone();
    let app = super::app(state);
    let connections = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown(&asked));
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
                    .serve_connection(
                        TokioIo::new(super::wire::Hardened::new(tcp)),
                        TowerToHyperService::new(app.clone()),
                    );
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
            tracing::info!("stopping with requests still open after {} s", DRAIN.as_secs());
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C, SIGTERM or a stop asked for through the state (`Inner::stop`).
async fn shutdown(state: &AppState) {
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
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
        () = state.0.stop.notified() => {},
    }
}
