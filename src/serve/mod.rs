//! The server: the static site of the current build plus server-rendered search, its JSON
//! API and a health check (axum, tokio, hyper and tower-http live only here). `app(state)` is
//! the router, `run::run` serves it until stopped, and `watch::watch` rebuilds in the
//! background whatever its owner says is new (`serve`: commits; `preview`: saved files).
//!
//! The current build (index, templates and a snapshot of its site) is swapped as a whole
//! (`Arc<Current>` behind a lock): every request sees either the old build or the new one, and
//! says which in its `Casebook-Commit` header.

mod api;
mod audit;
pub(crate) mod log;
mod params;
pub(crate) mod run;
pub(crate) mod sources;
pub(crate) mod start;
pub mod watch;
mod wire;

pub(crate) use api::SearchJson;
pub use audit::AuditLog;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::{Extension, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{BoxError, Router};
use tower::{ServiceBuilder, ServiceExt};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

use crate::index::KbIndex;
use crate::model::Marking;
use crate::pipeline::output::SiteSnapshot;
use crate::render::Templates;

/// One build, as served.
pub struct Current {
    /// The search index of the build's ceiling.
    pub index: KbIndex,
    /// The build's static site.
    pub site: SiteSnapshot,
    /// Each published document's marking (for the audit log).
    pub markings: HashMap<String, String>,
    /// The compiled templates (for the results page).
    pub templates: Templates,
    /// The commit built.
    pub commit: String,
    /// When it was built (RFC 3339).
    pub built_at: String,
    /// The statistics as this edition publishes them, serialised once (`/api/stats`).
    pub statistics: Option<Vec<u8>>,
    /// Answers already given by this build, by request: a search repeated (a popular query,
    /// the pages of one search, the JSON and the page of it) costs a lookup. It goes with the
    /// build, so a rebuild starts afresh.
    pub answers: std::sync::Mutex<AnswerCache>,
}

/// The answers a build keeps: the most recently used, within `ANSWER_BYTES` of their JSON
/// (a page of 100 hits weighs a hundred times a page of one).
pub struct AnswerCache {
    kept: lru::LruCache<String, Arc<Answer>>,
    bytes: usize,
}

impl AnswerCache {
    fn new() -> AnswerCache {
        AnswerCache {
            kept: lru::LruCache::unbounded(),
            bytes: 0,
        }
    }

    /// The answer kept for `key`, if any (now the most recently used).
    pub fn get(&mut self, key: &str) -> Option<Arc<Answer>> {
        self.kept.get(key).cloned()
    }

    /// Keeps `answer`, letting go of the least recently used until the rest fit.
    pub fn put(&mut self, key: String, answer: Arc<Answer>) {
        let weight = answer.weight();
        if weight > ANSWER_BYTES / 8 {
            return;
        }
        if let Some(old) = self.kept.put(key, answer) {
            self.bytes -= old.weight();
        }
        self.bytes += weight;
        while self.bytes > ANSWER_BYTES {
            match self.kept.pop_lru() {
                Some((_, gone)) => self.bytes -= gone.weight(),
                None => break,
            }
        }
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// True when none is.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

/// A search's answer, kept with its JSON.
pub struct Answer {
    /// The index's response.
    pub response: crate::index::SearchResponse,
    /// `/api/search`'s body for it.
    pub json: bytes::Bytes,
}

impl Answer {
    /// The answer to a search, its JSON written once.
    pub fn new(response: crate::index::SearchResponse) -> Answer {
        let text = serde_json::to_string(&api::SearchJson::new(&response))
            .unwrap_or_else(|_| "null".to_owned());
        Answer {
            response,
            json: bytes::Bytes::from(crate::render::escape_json_for_html(&text)),
        }
    }

    /// What keeping it costs, roughly: its JSON twice (the bytes, and the response they were
    /// written from).
    fn weight(&self) -> usize {
        2 * self.json.len() + 256
    }
}

/// Memory the answers of one build may take (see `AnswerCache`).
const ANSWER_BYTES: usize = 32 * 1024 * 1024;

impl Current {
    /// Serves `statistics`, the build's typed statistics as this edition publishes them.
    pub fn with_statistics(mut self, statistics: &crate::model::stats::Published) -> Current {
        self.statistics = serde_json::to_string(statistics)
            .ok()
            .map(|j| crate::render::escape_json_for_html(&j).into_bytes());
        self
    }

    /// Opens the index at `index_dir` beside the `site` built with it and compiles the
    /// templates with `overrides`. The statistics are those the site was rendered with.
    pub fn open(
        index_dir: &Path,
        site: SiteSnapshot,
        overrides: &[(String, String)],
    ) -> Result<Current, OpenError> {
        let index = KbIndex::open(index_dir)?;
        let templates = Templates::new(overrides)?;
        let meta = index.meta().ok_or(OpenError::NoBuild)?;
        let statistics = std::fs::read(site.path().join("statistics/statistics.json")).ok();
        Ok(Current {
            statistics,
            answers: std::sync::Mutex::new(AnswerCache::new()),
            markings: index.markings(),
            index,
            site,
            templates,
            commit: meta.commit,
            built_at: meta.built_at,
        })
    }
}

/// Why a build on disk cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The index cannot be opened.
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// A template override does not compile.
    #[error(transparent)]
    Templates(#[from] crate::render::RenderError),
    /// The index holds no record of the build that wrote it.
    #[error("the index records no build")]
    NoBuild,
}

/// The build being served and what is wrong, if anything: one value, replaced whole, so
/// `/healthz` can never pair one build's commit with another build's error.
#[derive(Clone)]
pub struct Served {
    /// The build being served; none while a server that found its index damaged at start is
    /// still rebuilding it (every request but `/healthz` is then answered 503).
    pub build: Option<Arc<Current>>,
    /// Why the server is degraded (the last rebuild failed, the repository cannot be read, or
    /// there is no build yet).
    pub error: Option<String>,
}

/// What the server shares between requests and the rebuild loop.
pub struct Inner {
    /// The build being served and its health, behind one lock.
    pub served: RwLock<Served>,
    /// Site title.
    pub title: String,
    /// The edition's ceiling.
    pub ceiling: Marking,
    /// Identity header every request must carry (behind single sign-on), if any.
    pub require_header: Option<HeaderName>,
    /// Requests answered at once; more are refused at once with 503 rather than queued.
    pub max_concurrent: usize,
    /// Where the audit trail of searches and document views goes.
    pub audit: AuditLog,
    /// Searches run at once, one per core: more wait their turn, so that a burst of searches
    /// cannot starve a rebuild of the processor.
    pub search_slots: Arc<tokio::sync::Semaphore>,
    /// A preview's rebuild count, sent to open pages (`/_preview/events`) so they reload;
    /// none when serving a published edition.
    pub reload: Option<tokio::sync::watch::Sender<String>>,
    /// The rebuild under way, if any: what is being built and since when (for `/healthz`).
    pub rebuilding: std::sync::Mutex<Option<(String, std::time::Instant)>>,
    /// Asks the server to stop as if signalled (a start that cannot be served ends this way).
    pub stop: tokio::sync::Notify,
}

impl Inner {
    /// A server of `current` with the defaults: no identity header, `MAX_CONCURRENT` requests
    /// at once, one search per core, audit lines on standard error.
    pub fn new(current: Current, title: &str, ceiling: Marking) -> Inner {
        Inner::serving(Some(current), None, title, ceiling)
    }

    /// A server with no build yet, building `version` (named as in the log) because `why`:
    /// `/healthz` says `degraded` with the reason and the rebuild, and every other request is
    /// answered 503 until `AppState::swap` gives it a build.
    pub fn starting(version: String, why: String, title: &str, ceiling: Marking) -> Inner {
        let inner = Inner::serving(None, Some(why), title, ceiling);
        if let Ok(mut r) = inner.rebuilding.lock() {
            *r = Some((version, std::time::Instant::now()));
        }
        inner
    }

    fn serving(
        current: Option<Current>,
        error: Option<String>,
        title: &str,
        ceiling: Marking,
    ) -> Inner {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Inner {
            served: RwLock::new(Served {
                build: current.map(Arc::new),
                error,
            }),
            title: title.to_owned(),
            ceiling,
            require_header: None,
            max_concurrent: MAX_CONCURRENT,
            audit: AuditLog::Stderr,
            search_slots: Arc::new(tokio::sync::Semaphore::new(cores)),
            reload: None,
            rebuilding: std::sync::Mutex::new(None),
            stop: tokio::sync::Notify::new(),
        }
    }
}

/// Requests answered at once by default. A search takes milliseconds, so this many in flight
/// means the machine is already saturated; more are refused at once with 503 rather than
/// queued behind them.
pub const MAX_CONCURRENT: usize = 256;

/// The shared state of the router.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl AppState {
    /// The build being served (none only while a server's first build is still running).
    pub fn current(&self) -> Option<Arc<Current>> {
        self.served().build
    }

    /// The build being served and its health, read together.
    pub fn served(&self) -> Served {
        self.0
            .served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the build being served and clears the error, in one step.
    pub fn swap(&self, next: Current) {
        *self.0.served.write().unwrap_or_else(|e| e.into_inner()) = Served {
            build: Some(Arc::new(next)),
            error: None,
        };
    }

    /// What `/healthz` reports as wrong, if anything.
    pub fn error(&self) -> Option<String> {
        self.0
            .served
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .error
            .clone()
    }

    /// Records a failed rebuild (the previous build keeps being served).
    pub fn failed(&self, error: String) {
        self.set_error(Some(error));
    }

    /// Sets or clears what `/healthz` reports as wrong (the build served stays).
    pub fn set_error(&self, error: Option<String>) {
        self.0
            .served
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .error = error;
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The header naming the commit a response was answered from.
pub const COMMIT_HEADER: &str = "casebook-commit";

/// The router: API, search page, health check, then the static site.
pub fn app(state: AppState) -> Router {
    let mut routes = Router::new()
        .route("/search", get(api::search_page))
        .route("/api/search", get(api::search_json))
        .route("/healthz", get(api::healthz))
        .route("/api/stats", get(api::stats))
        .route("/api/documents/{id}", get(api::document));
    if state.0.reload.is_some() {
        routes = routes.route("/_preview/events", get(preview_events));
    }
    harden(
        routes
            .fallback(static_site)
            .layer(middleware::from_fn_with_state(state.clone(), require_build)),
        state,
    )
}

/// Hands the build being served to the handlers (as an `Extension<Arc<Current>>`, read once,
/// so a whole answer comes from one build). With no build yet, every request but `/healthz`
/// is answered 503 with how long the first build has run.
async fn require_build(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    match state.current() {
        Some(current) => {
            request.extensions_mut().insert(current);
            next.run(request).await
        }
        None if request.uri().path() == "/healthz" => next.run(request).await,
        None => {
            let seconds = state
                .0
                .rebuilding
                .lock()
                .ok()
                .and_then(|r| r.as_ref().map(|(_, since)| since.elapsed().as_secs()))
                .unwrap_or(0);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                format!(
                    "Casebook is starting: the knowledge base is being built ({seconds} s so far). Try again shortly.\n"
                ),
            )
                .into_response()
        }
    }
}

/// Server-sent events for a preview's pages: the rebuild count now, then each new one, so a
/// page reloads when the preview is rebuilt.
async fn preview_events(
    State(state): State<AppState>,
) -> Result<
    axum::response::sse::Sse<
        impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
    >,
    StatusCode,
> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let receiver = state
        .0
        .reload
        .as_ref()
        .ok_or(StatusCode::NOT_FOUND)?
        .subscribe();
    let stream = futures_util::stream::unfold((receiver, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let version = rx.borrow_and_update().clone();
        Some((Ok(Event::default().data(version)), (rx, false)))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// `routes` behind the server's protections: identity check, load shedding, body limit,
/// timeout, panic guard and security headers, outermost last.
pub fn harden(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .layer(middleware::from_fn_with_state(
            state.clone(),
            require_identity,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: BoxError| async {
                    (StatusCode::SERVICE_UNAVAILABLE, "busy: try again shortly\n")
                }))
                .load_shed()
                .concurrency_limit(state.0.max_concurrent),
        )
        .layer(RequestBodyLimitLayer::new(16 * 1024))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            // The panic's message has gone to the log through the panic hook.
            tracing::error!("a request handler panicked; answered 500 and carried on");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }))
        .layer(middleware::from_fn_with_state(state.clone(), commit_header))
        .layer(middleware::map_response(security_headers))
        .with_state(state)
}

/// The security headers (`wire::SECURITY_HEADERS`, which hyper's own error answers get too),
/// replacing any a handler set.
async fn security_headers(mut response: Response) -> Response {
    for (name, value) in wire::SECURITY_HEADERS {
        response.headers_mut().insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

/// Every answer names a build in `Casebook-Commit`: the one a handler answered from, or, for
/// answers no build gave (a malformed request, a wrong method, a body too large, busy, a
/// fault), the build being served when the answer left.
async fn commit_header(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key(COMMIT_HEADER)
        && let Some(current) = state.current()
    {
        with_commit(&mut response, &current);
    }
    response
}

/// Who made a request, as the identity header named it (absent without `--require-header`).
#[derive(Clone, Debug)]
pub(crate) struct Identity(pub(crate) String);

/// With `--require-header NAME`, refuses requests without it and hands the identity on to the
/// handlers that write the audit trail.
async fn require_identity(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(name) = &state.0.require_header else {
        return next.run(request).await;
    };
    // Health probes come from the platform, not from a signed-on person.
    if request.uri().path() == "/healthz" {
        return next.run(request).await;
    }
    // Exactly one value: a proxy that appends its header rather than replacing the client's
    // would otherwise let the client's own value through.
    let mut values = request.headers().get_all(name).iter();
    let (Some(who), None) = (
        values
            .next()
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.trim().is_empty()),
        values.next(),
    ) else {
        return (
            StatusCode::FORBIDDEN,
            "this service is available only through the organisation's sign-on\n",
        )
            .into_response();
    };
    let who = Identity(who.to_owned());
    request.extensions_mut().insert(who);
    next.run(request).await
}

/// Longest URL path the static site answers; longer is a 404 (a file system would refuse it).
const MAX_PATH: usize = 1024;

/// The static site of the current build, with its 404 page; a document page view is audited.
async fn static_site(
    State(state): State<AppState>,
    Extension(current): Extension<Arc<Current>>,
    request: Request,
) -> Response {
    let dir = current.site.path();
    let segments = decoded_segments(request.uri().path());
    // Only the build output is served: no hidden names (the output folder never has any, so a
    // request for one is probing), nothing a file system would refuse as too long.
    let refused = request.uri().path().len() > MAX_PATH
        || segments
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| p.starts_with('.') || p.len() > 255));
    let mut response = if refused {
        not_found(dir)
    } else {
        let viewed = (request.method() == axum::http::Method::GET)
            .then(|| segments.as_deref().and_then(document_of))
            .flatten();
        let user = request.extensions().get::<Identity>().cloned();
        let site = ServeDir::new(dir).append_index_html_on_directories(true);
        let Ok(response) = site.oneshot(request).await;
        let response = response.map(axum::body::Body::new);
        let status = response.status();
        if let Some(id) =
            viewed.filter(|_| status == StatusCode::OK || status == StatusCode::PARTIAL_CONTENT)
        {
            state.0.audit.view(user.as_ref(), &id, &current);
        }
        if status.is_server_error() {
            // A file that cannot be read is the server's fault, but nothing a client needs to
            // know more of than that the page is not there.
            tracing::error!("the static site answered {status}; sent the 404 page instead");
        }
        if status == StatusCode::NOT_FOUND || status.is_server_error() {
            not_found(dir)
        } else {
            response
        }
    };
    with_commit(&mut response, &current);
    response
}

/// The 404 page of the site in `dir`.
fn not_found(dir: &Path) -> Response {
    match std::fs::read(dir.join("404.html")) {
        Ok(page) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// A path's segments as the file server sees them: percent-decoded, without empty and `.`
/// segments. None when a segment is not UTF-8 after decoding.
fn decoded_segments(path: &str) -> Option<Vec<String>> {
    path.split('/')
        .map(|raw| {
            percent_encoding::percent_decode_str(raw)
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned())
        })
        .filter(|s| s.as_deref().is_none_or(|s| !s.is_empty() && s != "."))
        .collect()
}

/// The id of the document whose page (or history page) the segments name, if they do.
fn document_of(segments: &[String]) -> Option<String> {
    let (folder, id) = (segments.first()?, segments.get(1)?);
    let kind = crate::model::document::kind_of_id(id)?;
    (kind.folder() == folder).then(|| id.clone())
}

/// Names the build that answered.
fn with_commit(response: &mut Response, current: &Current) {
    if let Ok(v) = HeaderValue::from_str(&current.commit) {
        response.headers_mut().insert(COMMIT_HEADER, v);
    }
}
