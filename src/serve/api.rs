//! The handlers: `/search` (HTML), `/api/search` (JSON) and `/healthz`.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::index::{FacetName, SearchRequest, SearchResponse};
use crate::render::{FacetGroup, FacetTerm, ResultHit, SearchPage};

use super::AppState;
use super::params::{self, Parsed};

/// A 400 with a plain message (never echoing the raw query).
fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, format!("bad request: {message}\n")).into_response()
}

async fn run(state: &AppState, request: SearchRequest) -> Result<SearchResponse, Response> {
    let current = state.current();
    tokio::task::spawn_blocking(move || current.index.search(&request))
        .await
        .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response())
}

/// `GET /api/search`: the JSON of DESIGN.md.
pub(super) async fn search_json(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Parsed { request, .. } = match params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return bad_request(m),
    };
    match run(&state, request).await {
        Ok(response) => Json(response).into_response(),
        Err(e) => e,
    }
}

/// `GET /search`: the results page with its facet sidebar, no JavaScript needed.
pub(super) async fn search_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Parsed { request, active } = match params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return bad_request(m),
    };
    let response = match run(&state, request.clone()).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let page = page(&state, &request, active, response);
    match state.current().templates.search_page(&page) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            eprintln!("error: rendering the results page: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
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
    let current = state.current();
    let facets = [
        (FacetName::Kind, "kind", "Kind"),
        (FacetName::Area, "area", "Area"),
        (FacetName::Exploitation, "exploitation", "Exploitation type"),
        (FacetName::Agency, "agency", "Agency"),
        (FacetName::Theme, "theme", "Learning theme"),
        (FacetName::Outcome, "outcome", "Outcome"),
    ]
    .iter()
    .map(|(f, name, label)| FacetGroup {
        name: (*name).to_owned(),
        label: (*label).to_owned(),
        terms: r
            .facets
            .get(*name)
            .into_iter()
            .flatten()
            .map(|(code, count)| FacetTerm {
                code: code.clone(),
                label: current
                    .labels
                    .get(&((*name).to_owned(), code.clone()))
                    .cloned()
                    .unwrap_or_else(|| code.clone()),
                count: *count,
                checked: req.filters.get(f).is_some_and(|v| v.contains(code)),
            })
            .collect(),
    })
    .filter(|g| !g.terms.is_empty())
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
        hits: r
            .hits
            .into_iter()
            .map(|h| ResultHit {
                id: h.id,
                title: h.title,
                url: h.url,
                kind: h.kind,
                date: h.date,
                marking: h.marking,
                snippet_html: h.snippet_html,
            })
            .collect(),
        facets,
        suggestion: r.suggestion.map(|s| {
            let url = link(&s, &active, None);
            (s, url)
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
    commit: String,
    documents: u64,
    built_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// `GET /healthz`: the build being served and the last rebuild's failure, if any.
pub(super) async fn healthz(State(state): State<AppState>) -> Response {
    let current = state.current();
    let error = state
        .0
        .last_error
        .read()
        .map(|e| e.clone())
        .unwrap_or_default();
    Json(Health {
        status: if error.is_some() { "degraded" } else { "ok" },
        commit: current.commit.clone(),
        documents: current.index.num_docs(),
        built_at: current.built_at.clone(),
        error,
    })
    .into_response()
}

/// A JSON file of the current site, or a plain 404.
fn site_json(state: &AppState, rel: &str, missing: &'static str) -> Response {
    match std::fs::read(state.0.site_dir.join(rel)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, missing).into_response(),
    }
}

/// `GET /api/stats`: the figures of the statistics page (small numbers suppressed at
/// `OFFICIAL`).
pub(super) async fn stats(State(state): State<AppState>) -> Response {
    site_json(
        &state,
        "statistics/statistics.json",
        "no statistics in this build\n",
    )
}

/// `GET /api/documents/{id}`: front matter, rendered HTML and history of a published
/// document; 404 for anything else (including documents above the ceiling).
pub(super) async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(kind) = crate::model::document::kind_of_id(&id) else {
        return (StatusCode::NOT_FOUND, "no such document\n").into_response();
    };
    site_json(
        &state,
        &format!("{}/{id}/document.json", kind.folder()),
        "no such document\n",
    )
}
