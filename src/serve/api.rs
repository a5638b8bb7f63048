//! The handlers: `/search` (HTML), `/api/search` (JSON) and `/healthz`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::index::{FacetName, SearchRequest, SearchResponse};
use crate::render::{
    AnswerBox, AnswerHolder, FacetGroup, FacetTerm, Link, ResultHit, SearchPage, Selected,
    snippet_html,
};

use super::params::{self, Parsed};
use super::{Answer, AppState, Current, Identity, with_commit};

/// A 400 with a plain message (never echoing the raw query).
fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, format!("bad request: {message}\n")).into_response()
}

type User = Option<Extension<Identity>>;

/// Runs a search on the current build (off the async threads) and audits it; returns the
/// build it ran on, so the whole response comes from that one build.
async fn run(
    state: &AppState,
    current: Arc<Current>,
    user: User,
    route: &'static str,
    request: SearchRequest,
) -> Result<(Arc<Current>, Arc<Answer>), Response> {
    let internal = || (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    let key = format!("{request:?}");
    let cached = current
        .answers
        .lock()
        .ok()
        .and_then(|mut answers| answers.get(&key));
    let (request, response) = match cached {
        Some(response) => (request, response),
        None => {
            // The slot moves into the search: a request dropped by the timeout frees it only
            // when the search itself has finished.
            let slot = Arc::clone(&state.0.search_slots)
                .acquire_owned()
                .await
                .map_err(|_| internal())?;
            let searched = Arc::clone(&current);
            let (request, response) = tokio::task::spawn_blocking(move || {
                let response = searched.index.search(&request);
                drop(slot);
                (request, Arc::new(Answer::new(response)))
            })
            .await
            .map_err(|_| internal())?;
            // A search that could not be completed is not kept: the next one tries again.
            if response.response.errors.is_empty()
                && let Ok(mut answers) = current.answers.lock()
            {
                answers.put(key, Arc::clone(&response));
            }
            (request, response)
        }
    };
    for e in &response.response.errors {
        tracing::error!("search: {e}");
    }
    let user = user.map(|Extension(u)| u);
    state
        .0
        .audit
        .search(user.as_ref(), route, &request, &response.response, &current);
    Ok((current, response))
}

/// `GET /api/search`: the JSON of DESIGN.md.
pub(super) async fn search_json(
    State(state): State<AppState>,
    Extension(current): Extension<Arc<Current>>,
    user: User,
    RawQuery(raw): RawQuery,
) -> Response {
    let Parsed { request, .. } = match params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return bad_request(m),
    };
    match run(&state, current, user, "/api/search", request).await {
        Ok((current, answer)) => {
            let mut r = (
                [(header::CONTENT_TYPE, "application/json")],
                answer.json.clone(),
            )
                .into_response();
            with_commit(&mut r, &current);
            r
        }
        Err(e) => e,
    }
}

/// `GET /search`: the results page with its facet sidebar, no JavaScript needed.
pub(super) async fn search_page(
    State(state): State<AppState>,
    Extension(current): Extension<Arc<Current>>,
    user: User,
    RawQuery(raw): RawQuery,
) -> Response {
    let Parsed { request, active } = match params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return bad_request(m),
    };
    let (current, response) = match run(&state, current, user, "/search", request.clone()).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let page = page(&state, &request, active, response.response.clone());
    match current.templates.search_page(&page) {
        Ok(html) => {
            let mut r = Html(html).into_response();
            with_commit(&mut r, &current);
            r
        }
        Err(e) => {
            tracing::error!("rendering the results page: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A hit as the results page shows it.
fn result_hit(h: crate::index::Hit) -> ResultHit {
    let snippet = crate::render::snippet_parts(&h.snippet.text, &h.snippet.highlights);
    ResultHit {
        id: h.id,
        title: h.title,
        url: h.url,
        kind: h.kind_label,
        areas: h.areas,
        date: h.date,
        marking: h.marking,
        status: h.status,
        status_label: h.status_label,
        superseded_by: h
            .superseded_by
            .into_iter()
            .map(|l| Link {
                id: l.id,
                title: l.title,
                url: l.url,
            })
            .collect(),
        snippet,
    }
}

/// The filters in force as tags, each linking to the search without it.
fn selected(req: &SearchRequest, active: &[(String, String)], r: &SearchResponse) -> Vec<Selected> {
    active
        .iter()
        .enumerate()
        .filter_map(|(i, (name, value))| {
            let label = match name.as_str() {
                "from" => format!("From {value}"),
                "to" => format!("To {value}"),
                "sort" => return None,
                key => {
                    let facet = FacetName::from_key(key)?;
                    let term = r
                        .labels
                        .get(key)
                        .and_then(|l| l.get(value))
                        .cloned()
                        .unwrap_or_else(|| value.clone());
                    format!("{}: {term}", facet.label())
                }
            };
            let rest: Vec<(String, String)> = active
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| p.clone())
                .collect();
            Some(Selected {
                label,
                remove_url: link(&req.q, &rest, None),
            })
        })
        .collect()
}

fn link(q: &str, active: &[(String, String)], page: Option<usize>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("q", q);
    for (n, v) in active {
        s.append_pair(n, v);
    }
    if let Some(p) = page {
        s.append_pair("page", &p.to_string());
    }
    format!("/search?{}", s.finish())
}

fn page(
    state: &AppState,
    req: &SearchRequest,
    active: Vec<(String, String)>,
    r: SearchResponse,
) -> SearchPage {
    let facets = FacetName::FILTERS
        .iter()
        .map(|f| FacetGroup {
            name: f.key().to_owned(),
            label: f.label().to_owned(),
            terms: r
                .facets
                .get(f.key())
                .into_iter()
                .flatten()
                .map(|(code, count)| FacetTerm {
                    code: code.clone(),
                    label: r
                        .labels
                        .get(f.key())
                        .and_then(|l| l.get(code))
                        .cloned()
                        .unwrap_or_else(|| code.clone()),
                    count: *count,
                    checked: req.filters.get(f).is_some_and(|v| v.contains(code)),
                })
                .collect(),
        })
        .filter(|g| !g.terms.is_empty())
        .map(|mut g: FacetGroup| {
            // Ticked terms first, then the most common: the top of a long list is what most
            // searchers want, and a ticked box is never hidden under "Show all".
            g.terms.sort_by(|a, b| {
                b.checked
                    .cmp(&a.checked)
                    .then(b.count.cmp(&a.count))
                    .then(a.label.cmp(&b.label))
            });
            g
        })
        .collect();
    let last_page = r.total.div_ceil(r.per_page.max(1)).max(1);
    let prev = (r.page > 1).then(|| link(&req.q, &active, Some(r.page - 1)));
    let next = (r.page < last_page).then(|| link(&req.q, &active, Some(r.page + 1)));
    SearchPage {
        site_title: state.0.title.clone(),
        ceiling: state.0.ceiling,
        q: req.q.clone(),
        total: r.total,
        first: (r.page - 1) * r.per_page + 1,
        selected: selected(req, &active, &r),
        clear_url: link(&req.q, &[], None),
        partial_total: r.partial_total,
        partial_hits: r.partial_hits.into_iter().map(result_hit).collect(),
        hits: r.hits.into_iter().map(result_hit).collect(),
        answers: r
            .answers
            .into_iter()
            .map(|a| AnswerBox {
                label: a.label,
                question: a.question,
                url: a.url,
                related: a.related,
                warrant: a.warrant,
                holders: a
                    .holders
                    .into_iter()
                    .map(|h| AnswerHolder {
                        name: h.name,
                        url: h.url,
                        named: h.named,
                        bases: h
                            .powers
                            .into_iter()
                            .map(|p| (p.basis, p.warrant_required))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        facets,
        suggestion: r.suggestion.map(|s| {
            let url = link(&s, &active, None);
            (s, url)
        }),
        correction: r.correction.map(|c| {
            let typed = c.words.into_iter().map(|w| w.typed).collect();
            let exact = format!("{}&exact=1", link(&req.q, &active, None));
            (c.query, typed, exact)
        }),
        active,
        warnings: r.warnings,
        pages: (prev, next),
        years: (req.from, req.to),
        sort: match req.sort {
            crate::index::Sort::Relevance => "relevance".to_owned(),
            crate::index::Sort::Newest => "newest".to_owned(),
        },
    }
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    /// None while the first build of a server is running.
    commit: Option<String>,
    documents: u64,
    built_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// A rebuild under way: what is being built and for how many seconds so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    rebuilding: Option<Rebuilding>,
}

#[derive(Serialize)]
struct Rebuilding {
    version: String,
    seconds: u64,
}

/// `GET /healthz`: the build being served and the last rebuild's failure, if any. 200 while a
/// build is served (`ok` or `degraded`); 503 while there is none yet, so a load balancer or
/// probe sends no one to a server that can only answer 503.
pub(super) async fn healthz(State(state): State<AppState>) -> Response {
    let super::Served {
        build: current,
        error,
    } = state.served();
    // The site is read from the build's snapshot on every request: if it has gone (deleted
    // under the server), every page would be a 404, so the server is not healthy.
    let error = error.or_else(|| {
        current.as_ref().and_then(|current| (!current.site.path().join("index.html").is_file()).then(|| {
            "the served site is missing from disk (its snapshot was removed); the next build or a restart restores it".to_owned()
        }))
    });
    let rebuilding =
        state
            .0
            .rebuilding
            .lock()
            .ok()
            .and_then(|r| r.clone())
            .map(|(version, since)| Rebuilding {
                version,
                seconds: since.elapsed().as_secs(),
            });
    let health = Health {
        rebuilding,
        status: if error.is_some() || current.is_none() {
            "degraded"
        } else {
            "ok"
        },
        commit: current.as_ref().map(|c| c.commit.clone()),
        documents: current.as_ref().map_or(0, |c| c.index.num_docs()),
        built_at: current.as_ref().map(|c| c.built_at.clone()),
        error,
    };
    match &current {
        Some(current) => {
            let mut response = Json(health).into_response();
            with_commit(&mut response, current);
            response
        }
        None => (StatusCode::SERVICE_UNAVAILABLE, Json(health)).into_response(),
    }
}

/// A JSON file of the current build's site, or a plain 404.
fn site_json(current: &Current, rel: &str, missing: &'static str) -> Response {
    let mut response = match std::fs::read(current.site.path().join(rel)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, missing).into_response(),
    };
    with_commit(&mut response, current);
    response
}

/// `GET /api/stats`: the statistics of the build being served, as this edition publishes
/// them (small numbers hidden at `OFFICIAL`).
pub(super) async fn stats(Extension(current): Extension<Arc<Current>>) -> Response {
    let mut response = match &current.statistics {
        Some(bytes) => {
            ([(header::CONTENT_TYPE, "application/json")], bytes.clone()).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no statistics in this build\n").into_response(),
    };
    with_commit(&mut response, &current);
    response
}

/// `GET /api/documents/{id}`: front matter, rendered HTML and history of a published
/// document; 404 for anything else (including documents above the ceiling).
pub(super) async fn document(
    State(state): State<AppState>,
    Extension(current): Extension<Arc<Current>>,
    user: User,
    Path(id): Path<String>,
) -> Response {
    let Some(kind) = crate::model::document::kind_of_id(&id) else {
        return (StatusCode::NOT_FOUND, "no such document\n").into_response();
    };
    let response = site_json(
        &current,
        &format!("{}/{id}/document.json", kind.folder()),
        "no such document\n",
    );
    if response.status() == StatusCode::OK {
        let user = user.map(|Extension(u)| u);
        state.0.audit.view(user.as_ref(), &id, &current);
    }
    response
}

/// The JSON Casebook answers searches with, the same from `/api/search` and from `casebook
/// search --format json` (DESIGN.md, "Search"): the index's response, each hit's snippet also
/// given as `snippet_html` (HTML-escaped text, the matches in `<mark>`). The one place the
/// API's shape is written down; `tests/it/serve.rs` snapshots it whole.
#[derive(Serialize)]
pub(crate) struct SearchJson<'a> {
    query: &'a str,
    total: usize,
    took_ms: u64,
    page: usize,
    per_page: usize,
    warnings: &'a [String],
    hits: Vec<HitJson<'a>>,
    facets: &'a std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    labels: &'a std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    answers: &'a [crate::index::Answer],
    #[serde(skip_serializing_if = "is_zero")]
    partial_total: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    partial_hits: Vec<HitJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correction: Option<&'a crate::index::Correction>,
}

/// A hit with its snippet as HTML.
#[derive(Serialize)]
struct HitJson<'a> {
    #[serde(flatten)]
    hit: &'a crate::index::Hit,
    snippet_html: String,
}

impl<'a> SearchJson<'a> {
    /// The JSON of `response`.
    pub(crate) fn new(response: &'a SearchResponse) -> SearchJson<'a> {
        let hits = |list: &'a [crate::index::Hit]| {
            list.iter()
                .map(|hit| HitJson {
                    hit,
                    snippet_html: snippet_html(&hit.snippet.text, &hit.snippet.highlights),
                })
                .collect()
        };
        SearchJson {
            query: &response.query,
            total: response.total,
            took_ms: response.took_ms,
            page: response.page,
            per_page: response.per_page,
            warnings: &response.warnings,
            hits: hits(&response.hits),
            facets: &response.facets,
            labels: &response.labels,
            answers: &response.answers,
            partial_total: response.partial_total,
            partial_hits: hits(&response.partial_hits),
            suggestion: response.suggestion.as_deref(),
            correction: response.correction.as_ref(),
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
