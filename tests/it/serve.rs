//! The server's router, called in process: the search page and API, health, the static site,
//! security headers, bad parameters and hostile paths.

use std::sync::{Arc, RwLock};

use axum::body::{Body, to_bytes};
use axum::http::{HeaderName, Request, StatusCode};
use casebook::model::Marking;
use casebook::pipeline::output::SiteSnapshot;
use casebook::serve::{AppState, AuditLog, Current, Inner, app};
use tower::ServiceExt;

/// The built sample, ready to serve.
fn sample_build() -> Current {
    let (repo, index_dir) = crate::search::sample();
    let site = SiteSnapshot::borrowed(&repo.path().join("public"));
    Current::open(index_dir, site, &[]).expect("open the built sample")
}

pub(crate) fn state(require_header: Option<&'static str>) -> AppState {
    let current = sample_build();
    AppState(Arc::new(Inner {
        require_header: require_header.map(HeaderName::from_static),
        audit: AuditLog::Memory(Arc::default()),
        ..Inner::new(current, "Test edition", Marking::OfficialSensitive)
    }))
}

/// The audit lines a state has written, parsed.
fn audit_lines(state: &AppState) -> Vec<serde_json::Value> {
    let AuditLog::Memory(lines) = &state.0.audit else {
        panic!("the test state keeps its audit lines in memory");
    };
    let lines = lines.lock().expect("audit lines");
    lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("each audit line is one JSON object"))
        .collect()
}

/// Sends `request` through `router`; the status, headers and body text of the answer.
async fn send(
    router: axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = router.oneshot(request).await.expect("response");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = to_bytes(response.into_body(), 4 * 1024 * 1024)
        .await
        .expect("body");
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn get(state: &AppState, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    send(app(state.clone()), request).await
}

fn assert_security_headers(headers: &axum::http::HeaderMap, uri: &str) {
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    for part in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ] {
        assert!(csp.contains(part), "{uri}: CSP lacks {part}: {csp}");
    }
    assert_eq!(
        headers.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..]),
        "{uri}"
    );
    assert_eq!(
        headers.get("referrer-policy").map(|v| v.as_bytes()),
        Some(&b"no-referrer"[..]),
        "{uri}"
    );
}

#[tokio::test]
async fn api_search_answers_the_design_shape() {
    let s = state(None);
    let (status, headers, body) = get(
        &s,
        "/api/search?q=interpreters&area=portsmouth&area=southampton",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_security_headers(&headers, "/api/search");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["total"], 6);
    let ids: Vec<&str> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    assert!(ids[..2].contains(&"CR-2021-002"), "{ids:?}");
    assert_eq!(json["facets"]["area"]["portsmouth"], 2);
    assert!(
        json["hits"][0]["snippet_html"]
            .as_str()
            .unwrap_or_default()
            .contains("<mark>")
    );
}

/// The whole shape of `/api/search` (every key, a hit's, an answer box's), on a question that
/// fills each part: a change to the API's JSON shows here. `took_ms` varies from run to run,
/// and the scores are the ranking's business (`tests/it/search.rs`), not the shape's.
#[tokio::test]
async fn api_search_json_snapshot() {
    let s = state(None);
    let (status, _, body) = get(&s, "/api/search?q=who+can+close+premises&per_page=2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut json: serde_json::Value = serde_json::from_str(&body).expect("json");
    json["took_ms"] = serde_json::Value::from(0);
    for hit in json["hits"].as_array_mut().expect("hits") {
        hit["score"] = serde_json::Value::from(1.0);
    }
    insta::assert_json_snapshot!("api_search", json);
}

#[tokio::test]
async fn the_search_page_works_without_javascript() {
    let s = state(None);
    let (status, headers, body) = get(&s, "/search?q=interpreters&area=portsmouth").await;
    assert_eq!(status, StatusCode::OK);
    assert_security_headers(&headers, "/search");
    assert!(body.contains("2 results"), "{body}");
    assert!(
        body.contains(r#"name="area" value="portsmouth" checked"#),
        "{body}"
    );
    assert!(body.contains("<mark>interpreter"), "{body}");
    assert_eq!(
        body.matches("<script").count(),
        1,
        "one script, the optional file"
    );
    assert!(
        body.contains(r#"<script src="&#x2f;assets/search.js" defer></script>"#),
        "{body}"
    );
    // A reflected query is shown as text (RELIABILITY.md A34).
    let (_, _, reflected) = get(&s, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!reflected.contains("<script>alert"), "{reflected}");
    assert!(
        reflected.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{reflected}"
    );
    // What the filter form sends with JavaScript off, year boxes left blank.
    let (status, _, applied) = get(
        &s,
        "/search?q=interpreters&area=portsmouth&from=&to=&sort=relevance",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    assert!(applied.contains("2 results"), "{applied}");
    // Paging keeps the years and the order.
    let (_, _, newest) = get(&s, "/search?q=the&from=2019&sort=newest").await;
    assert!(
        newest.contains("from=2019&amp;sort=newest&amp;page=2"),
        "{newest}"
    );
    // A misspelling is searched as the right word, with a link to the words as typed.
    let (_, _, corrected) = get(&s, "/search?q=intrepreters").await;
    assert!(
        corrected.contains("Showing results for <strong>interpreters</strong>"),
        "{corrected}"
    );
    assert!(
        corrected.contains("q=intrepreters&amp;exact=1"),
        "{corrected}"
    );
    // As typed, nothing matches and the correction is offered.
    let (_, _, suggested) = get(&s, "/search?q=intrepreters&exact=1").await;
    assert!(suggested.contains("Did you mean"), "{suggested}");
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_plain_message() {
    let s = state(None);
    let long = format!("/api/search?q={}", "x".repeat(300));
    let deep = format!("/search?q={}", "(".repeat(800));
    for uri in [
        "/api/search?page=-1",
        "/api/search?limit=10000000",
        "/api/search?q=a&q=b",
        "/search?sort=best",
        &long,
        &deep,
    ] {
        let (status, headers, body) = get(&s, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.starts_with("bad request: "), "{uri}: {body}");
        assert!(body.len() < 200, "{uri}: the query is not echoed");
        assert_security_headers(&headers, uri);
    }
}

#[tokio::test]
async fn the_static_site_and_its_404() {
    let s = state(None);
    let (status, headers, body) = get(&s, "/reviews/CR-2020-003/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Operation Kestrel Lane"));
    assert_security_headers(&headers, "page");
    for uri in [
        "/no-such-page",
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/.git/config",
        "/..%5c..%5cwin.ini",
        "//etc/passwd",
        "/index.html%00.txt",
        "/%ff",
    ] {
        let (status, headers, body) = get(&s, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!body.contains("root:"), "{uri}");
        assert_security_headers(&headers, uri);
    }
    let (_, _, not_found) = get(&s, "/no-such-page").await;
    assert!(not_found.contains("Page not found"));
}

#[tokio::test]
async fn healthz_reports_the_served_build() {
    let s = state(None);
    let (status, _, body) = get(&s, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["status"], "ok");
    assert_eq!(json["documents"], 38);
    assert_eq!(json["commit"].as_str().map(str::len), Some(40));
    s.failed("the commit has content errors".to_owned());
    let (_, _, body) = get(&s, "/healthz").await;
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        (json["status"].as_str(), json["error"].as_str()),
        (Some("degraded"), Some("the commit has content errors"))
    );
}

#[tokio::test]
async fn require_header_refuses_anonymous_requests() {
    let s = state(Some("x-remote-user"));
    let (status, headers, _) = get(&s, "/search?q=interpreters").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_security_headers(&headers, "403");
    let request = Request::builder()
        .uri("/api/search?q=interpreters")
        .header("x-remote-user", "analyst.one")
        .body(Body::empty())
        .expect("request");
    let response = app(s.clone()).oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
}

async fn get_as(state: &AppState, uri: &str, user: &str) -> (StatusCode, String) {
    let request = Request::get(uri)
        .header("x-remote-user", user)
        .body(Body::empty())
        .expect("request");
    let (status, _, body) = send(app(state.clone()), request).await;
    (status, body)
}

/// A repeated search is answered from the build's answer cache, yet each request is audited on
/// its own, with the caller who asked, and gets the same body as the first.
#[tokio::test]
async fn a_search_answered_from_the_cache_is_still_audited() {
    let s = state(Some("x-remote-user"));
    let uri = "/api/search?q=interpreter&area=portsmouth";
    let (status, first) = get_as(&s, uri, "analyst.one").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        s.current()
            .expect("a build")
            .answers
            .lock()
            .expect("cache")
            .len(),
        1,
        "the first answer is kept for this build"
    );
    let (_, second) = get_as(&s, uri, "analyst.two").await;
    let (_, page) = get_as(&s, "/search?q=interpreter&area=portsmouth", "analyst.three").await;
    assert_eq!(first, second, "a cached answer is the same answer");
    assert!(page.contains("<main"), "{page}");
    assert_eq!(
        s.current()
            .expect("a build")
            .answers
            .lock()
            .expect("cache")
            .len(),
        1,
        "the results page used the same cached answer"
    );
    let lines = audit_lines(&s);
    let users: Vec<&str> = lines.iter().filter_map(|l| l["user"].as_str()).collect();
    assert_eq!(users, ["analyst.one", "analyst.two", "analyst.three"]);
    assert_eq!(lines[0]["ids"], lines[1]["ids"]);
    assert_eq!(lines[0]["ids"], lines[2]["ids"]);
    assert!(!lines[0]["ids"].as_array().expect("ids").is_empty());
}

/// RELIABILITY.md D5 and D6: one structured line per search and per document view, naming who,
/// when, what and which documents, with hostile values escaped and cut.
#[tokio::test]
async fn searches_and_document_views_are_audited() {
    let s = state(Some("x-remote-user"));
    let (status, body) = get_as(
        &s,
        "/api/search?q=interpreters%0Aforged%1B%5B31m&area=portsmouth",
        "analyst.one",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    let returned: Vec<&str> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    let long_user = format!("analyst.{}", "x".repeat(500));
    get_as(&s, "/search?q=kestrel", &long_user).await;
    get_as(&s, "/reviews/CR-2020-003/", "analyst.two").await;
    get_as(&s, "/api/documents/ORD-2020-001", "analyst.two").await;
    // Not document views: a missing page, an asset, a list; not searches: a bad request.
    get_as(&s, "/reviews/CR-2099-001/", "analyst.two").await;
    get_as(&s, "/assets/style.css", "analyst.two").await;
    get_as(&s, "/reviews/", "analyst.two").await;
    get_as(&s, "/api/search?page=0", "analyst.two").await;

    let lines = audit_lines(&s);
    assert_eq!(lines.len(), 4, "{lines:#?}");
    let raw = match &s.0.audit {
        AuditLog::Memory(l) => l.lock().expect("lines").clone(),
        AuditLog::Stderr => unreachable!(),
    };
    for line in &raw {
        assert!(
            !line.contains(['\n', '\r', '\u{1b}']),
            "a line stays one line with no terminal escapes: {line:?}"
        );
        assert!(line.len() < 2048, "{line}");
    }
    let search = &lines[0];
    assert_eq!(search["event"], "search");
    assert_eq!(search["user"], "analyst.one");
    assert_eq!(search["route"], "/api/search");
    assert_eq!(search["query"], "interpreters\nforged\u{1b}[31m");
    assert_eq!(search["filters"], serde_json::json!(["area:portsmouth"]));
    assert_eq!(search["total"], json["total"]);
    let logged: Vec<&str> = search["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(|i| i.as_str())
        .collect();
    assert_eq!(
        logged[..returned.len()],
        returned[..],
        "the hits first, in order"
    );
    assert_eq!(
        logged
            .iter()
            .map(|i| (*i).to_owned())
            .collect::<std::collections::BTreeSet<_>>(),
        ids_in_json(&json),
        "then everything else the answer shows"
    );
    assert_eq!(
        search["markings"].as_array().map(Vec::len),
        Some(logged.len())
    );
    assert_eq!(search["commit"].as_str().map(str::len), Some(40));
    let time = search["time"].as_str().unwrap_or_default();
    assert!(
        time.len() == 24 && time.ends_with('Z') && time.as_bytes()[10] == b'T',
        "UTC time: {time}"
    );
    assert_eq!(lines[1]["route"], "/search");
    let user = lines[1]["user"].as_str().unwrap_or_default();
    assert!(user.ends_with('…') && user.chars().count() == 201, "{user}");
    assert_eq!(
        (&lines[2]["event"], &lines[2]["ids"], &lines[2]["markings"]),
        (
            &serde_json::json!("view"),
            &serde_json::json!(["CR-2020-003"]),
            &serde_json::json!(["OFFICIAL"])
        )
    );
    assert_eq!(lines[3]["ids"], serde_json::json!(["ORD-2020-001"]));
    assert!(
        raw.iter().all(|l| !l.contains("Kestrel Lane")),
        "no document text is logged"
    );
}

/// Every answer names the build it came from, the same one `/healthz` reports.
#[tokio::test]
async fn responses_name_the_commit_they_were_answered_from() {
    let s = state(None);
    let (_, _, health) = get(&s, "/healthz").await;
    let health: serde_json::Value = serde_json::from_str(&health).expect("json");
    for uri in [
        "/",
        "/api/search?q=interpreters",
        "/search?q=interpreters",
        "/api/documents/CR-2020-003",
        "/api/stats",
        "/no-such-page",
    ] {
        let (_, headers, _) = get(&s, uri).await;
        assert_eq!(
            headers
                .get(casebook::serve::COMMIT_HEADER)
                .and_then(|v| v.to_str().ok()),
            health["commit"].as_str(),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn documents_and_statistics_as_json() {
    let s = state(None);
    let (status, headers, body) = get(&s, "/api/documents/CR-2020-003").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["front_matter"]["id"], "CR-2020-003");
    assert_eq!(json["front_matter"]["operation"], "Operation Kestrel Lane");
    assert!(
        json["html"]
            .as_str()
            .unwrap_or_default()
            .contains("<h2 id=\"summary\">")
    );
    assert_eq!(json["history"]["revisions"], 1);
    for missing in [
        "/api/documents/CR-2099-001",
        "/api/documents/..%2f..%2fetc%2fpasswd",
        "/api/documents/CR-2025-004",
        "/api/documents/x",
    ] {
        let (status, _, body) = get(&s, missing).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(body, "no such document\n");
    }
    let (status, _, body) = get(&s, "/api/stats").await;
    assert_eq!(status, StatusCode::OK);
    let stats: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(stats["figures"][0]["label"], "reviews of individual cases");
    assert_eq!(stats["figures"][0]["value"], "9");
    assert!(stats["charts"].as_array().map_or(0, Vec::len) >= 10);
}

/// An OFFICIAL edition's server returns nothing of an OFFICIAL-SENSITIVE document, through any
/// route: search hits, counts, suggestions, the document API, its page, statistics.
#[tokio::test]
async fn an_official_server_leaks_nothing_above_its_ceiling() {
    let repo = crate::search::sample_repo();
    let path = "knowledge/reviews/CR-2021-002-short-let-flats.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        text.replace("Operation Harbour Light", "Operation Zephyrquill"),
    );
    repo.commit("sentinel");
    let run = repo.run(&["build", "--max-marking", "OFFICIAL"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let site = SiteSnapshot::borrowed(&repo.path().join("public-official"));
    let current =
        Current::open(&repo.path().join(".casebook/index-official"), site, &[]).expect("open");
    let s = AppState(Arc::new(Inner::new(
        current,
        "Partner edition",
        Marking::Official,
    )));
    // Searches for the sentinel (or a near miss) find nothing and suggest nothing; the only
    // place the word appears is the user's own query, echoed back.
    for q in [
        "zephyrquill",
        "zephyrquil",
        "zephyrqu*",
        "title:zephyrquill",
    ] {
        let (_, _, body) = get(&s, &format!("/api/search?q={q}")).await;
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(json["total"], 0, "{q}: {body}");
        assert!(json.get("suggestion").is_none(), "{q}: {body}");
        let (_, _, page) = get(&s, &format!("/search?q={q}")).await;
        assert!(
            page.contains("0 results") && !page.contains("Did you mean"),
            "{q}: {page}"
        );
    }
    for uri in [
        "/api/search?q=id:CR-2021-002",
        "/api/search?q=marking:OFFICIAL-SENSITIVE",
        "/api/search?q=*",
        "/api/search?q=&area=portsmouth",
        "/search?q=interpreters",
        "/api/documents/CR-2021-002",
        "/reviews/CR-2021-002/",
        "/reviews/CR-2021-002/document.json",
        "/api/stats",
        "/healthz",
        "/",
    ] {
        let (_, _, body) = get(&s, uri).await;
        let lower = body
            .to_lowercase()
            .replace("id:cr-2021-002", "")
            .replace("marking:official-sensitive", "");
        assert!(!lower.contains("zephyrquill"), "{uri}: {body}");
        assert!(
            !lower.contains("cr-2021-002"),
            "{uri} names the sensitive review: {body}"
        );
        assert!(
            !lower.contains("official-sensitive\""),
            "{uri} shows a sensitive marking: {body}"
        );
    }
    let (status, _, _) = get(&s, "/api/documents/CR-2021-002").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&s, "/reviews/CR-2021-002/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The front matter `/api/documents/{id}` gives for a document.
async fn front_matter(state: &AppState, id: &str) -> serde_json::Value {
    let (status, _, body) = get(state, &format!("/api/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    json["front_matter"].clone()
}

/// The server of an OFFICIAL edition whose documents name sensitive and unpublished ones
/// (`site::references_across_the_ceiling`) names none of them through any route: the document
/// API of every document it publishes, searches for the ids and for the text around them,
/// suggestions, facets and the answer box of a power a sensitive agency note records.
#[tokio::test]
async fn an_official_server_names_no_document_it_leaves_out() {
    use crate::site::{ABOVE, UNPUBLISHED};
    let repo = crate::site::references_across_the_ceiling();
    let run = repo.run(&["build", "--max-marking", "OFFICIAL"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let public = repo.path().join("public-official");
    let current = Current::open(
        &repo.path().join(".casebook/index-official"),
        SiteSnapshot::borrowed(&public),
        &[],
    )
    .expect("open");
    let s = AppState(Arc::new(Inner::new(
        current,
        "Partner edition",
        Marking::Official,
    )));
    let assert_clean = |what: &str, text: &str| {
        let lower = text.to_lowercase();
        for id in ABOVE.iter().chain(&UNPUBLISHED) {
            let id = id.to_lowercase();
            assert!(
                !lower.contains(&id) && !lower.contains(&id.replace('-', " ")),
                "{what} names {id}: {text}"
            );
        }
    };
    let mut ids = Vec::new();
    for folder in ["reviews", "orders", "agencies"] {
        for entry in std::fs::read_dir(public.join(folder)).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                ids.extend(path.file_name().map(|n| n.to_string_lossy().into_owned()));
            }
        }
    }
    assert_eq!(ids.len(), 33, "{ids:?}");
    for id in &ids {
        let uri = format!("/api/documents/{id}");
        let (status, _, body) = get(&s, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_clean(&uri, &body);
    }
    // References to documents left out are dropped from the front matter, not replaced.
    let order = front_matter(&s, "ORD-2020-004").await;
    assert!(order.get("case_review").is_none(), "{order}");
    let interim = front_matter(&s, "ORD-2021-003").await;
    assert!(interim.get("application").is_none(), "{interim}");
    assert_eq!(interim["related"], serde_json::json!([]));
    let review = front_matter(&s, "CR-2021-007").await;
    assert_eq!(review["orders"], serde_json::json!(["ORD-2021-003"]));
    assert_eq!(review["related"], serde_json::json!(["AG-LA-CSC"]));
    let glasshouses = front_matter(&s, "CR-2023-002").await;
    assert_eq!(glasshouses["related"], serde_json::json!(["AG-GLAA"]));
    assert_eq!(glasshouses["orders"], serde_json::json!(["ORD-2022-006"]));
    // Searches: the query itself is the only place its words may come back.
    let queries = ABOVE.iter().chain(&UNPUBLISHED).copied().chain([
        "*",
        "compare",
        "machine translation",
        "read with",
        "glasshouse",
        "pay records",
    ]);
    for q in queries {
        let encoded = q.replace(' ', "+");
        let uri = format!("/api/search?q={encoded}&per_page=100");
        let (status, _, body) = get(&s, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        let echoed = json
            .to_string()
            .to_lowercase()
            .replace(&q.to_lowercase(), "");
        assert_clean(&uri, &echoed);
        let uri = format!("/search?q={encoded}");
        let (_, _, page) = get(&s, &uri).await;
        assert_clean(&uri, &page.to_lowercase().replace(&q.to_lowercase(), ""));
    }
    // The answer box lists the agencies of the edition only; the sensitive edition's lists
    // the note left out here, so this can fail.
    let holders = |json: &serde_json::Value| -> Vec<String> {
        json["answers"][0]["holders"]
            .as_array()
            .map(|h| {
                h.iter()
                    .filter_map(|x| x["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let question = "/api/search?q=who+can+demand+pay+records";
    let (_, _, body) = get(&s, question).await;
    let official = holders(&serde_json::from_str(&body).expect("json"));
    assert!(!official.is_empty(), "{body}");
    assert!(
        !official.contains(&"AG-HMRC-NMW".to_owned()),
        "{official:?}"
    );
    let (_, _, body) = get(&state(None), question).await;
    let sensitive = holders(&serde_json::from_str(&body).expect("json"));
    assert!(
        sensitive.contains(&"AG-HMRC-NMW".to_owned()),
        "{sensitive:?}"
    );
}

#[tokio::test]
async fn excess_load_is_refused_at_once_with_503() {
    let busy = state(None);
    let inner = &busy.0;
    let full = AppState(Arc::new(Inner {
        served: RwLock::new(busy.served()),
        title: inner.title.clone(),
        ceiling: inner.ceiling,
        require_header: None,
        max_concurrent: 0,
        audit: AuditLog::Memory(Arc::default()),
        search_slots: Arc::new(tokio::sync::Semaphore::new(1)),
        reload: None,
        rebuilding: std::sync::Mutex::new(None),
        stop: tokio::sync::Notify::new(),
    }));
    let (status, headers, body) = get(&full, "/api/search?q=interpreters").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "busy: try again shortly\n");
    assert_security_headers(&headers, "503");
    assert_names_the_build(&headers, &full, "503");
}

/// Issue 14: every answer names the build being served in `Casebook-Commit`, also those no
/// handler gave.
fn assert_names_the_build(headers: &axum::http::HeaderMap, s: &AppState, what: &str) {
    assert_eq!(
        headers
            .get(casebook::serve::COMMIT_HEADER)
            .and_then(|v| v.to_str().ok()),
        s.current().map(|c| c.commit.clone()).as_deref(),
        "{what}"
    );
}

/// Issue 14: a served snapshot deleted under the server turns `/healthz` degraded, saying so,
/// rather than reporting `ok` while every page is a 404.
#[tokio::test]
async fn health_is_degraded_when_the_served_site_has_gone() {
    let (repo, index_dir) = crate::search::sample();
    let copy = tempfile::tempdir().expect("tmp");
    let site_dir = copy.path().join("site");
    crate::support::copy_dir(&repo.path().join("public"), &site_dir);
    let current = Current::open(index_dir, SiteSnapshot::borrowed(&site_dir), &[])
        .expect("open the built sample");
    let s = AppState(Arc::new(Inner::new(
        current,
        "Test edition",
        Marking::OfficialSensitive,
    )));
    let (status, _, body) = get(&s, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let health: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(health["status"], "ok", "{health}");
    assert!(health.get("rebuilding").is_none(), "{health}");

    std::fs::remove_dir_all(&site_dir).expect("remove the snapshot");
    let (_, _, body) = get(&s, "/healthz").await;
    let health: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(health["status"], "degraded", "{health}");
    assert!(
        health["error"]
            .as_str()
            .is_some_and(|e| e.contains("served site is missing")),
        "{health}"
    );
    assert!(
        !body.contains(&site_dir.display().to_string()),
        "no server folder named: {body}"
    );
}

/// A handler with a fault.
async fn faulty() -> &'static str {
    std::panic::panic_any("a handler fault")
}

/// RELIABILITY.md D3 and B11: 405, 413 and a handler's panic are answered with the security
/// headers, and a panic is a plain 500 after which the server carries on.
#[tokio::test]
async fn wrong_methods_large_bodies_and_panics_are_answered_safely() {
    let s = state(None);
    let post = Request::post("/api/search?q=x")
        .body(Body::empty())
        .expect("request");
    let (status, headers, _) = send(app(s.clone()), post).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_security_headers(&headers, "405");
    assert_names_the_build(&headers, &s, "405");

    let big = Request::post("/api/search")
        .header("content-length", "20000")
        .body(Body::from(vec![b'x'; 20_000]))
        .expect("request");
    let (status, headers, _) = send(app(s.clone()), big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_security_headers(&headers, "413");
    assert_names_the_build(&headers, &s, "413");
    let (status, headers, _) = get(&s, "/api/search?q=x&bogus=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_names_the_build(&headers, &s, "400");

    let routes = axum::Router::new()
        .route("/boom", axum::routing::get(faulty))
        .route("/fine", axum::routing::get(|| async { "fine" }));
    let router = casebook::serve::harden(routes, s.clone());
    let boom = Request::get("/boom").body(Body::empty()).expect("request");
    let (status, headers, body) = send(router.clone(), boom).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body, "internal error\n", "no message, path or crate name");
    assert_security_headers(&headers, "500");
    assert_names_the_build(&headers, &s, "500");
    let fine = Request::get("/fine").body(Body::empty()).expect("request");
    let (status, _, body) = send(router, fine).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "fine"));
}

/// Paths a file system would refuse or that name hidden files are the 404 page, never a 5xx;
/// an id with multi-byte characters is a 404, not a fault.
#[tokio::test]
async fn odd_paths_and_ids_are_404() {
    let s = state(None);
    let long_segment = format!("/{}", "a".repeat(300));
    let long_path = format!("/{}", "abc/".repeat(300));
    for uri in [
        long_segment.as_str(),
        long_path.as_str(),
        "/.well-known/security.txt",
        "/reviews/.hidden",
        "/reviews/%2Ehidden",
        "/reviews/CR-%C3%A9%E2%82%AC/",
        "/api/documents/CR-%C3%A9%E2%82%AC",
        "/api/documents/ORD-%E2%82%AC%E2%82%AC-001",
    ] {
        let (status, headers, body) = get(&s, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        assert_security_headers(&headers, uri);
    }
    let (_, _, body) = get(&s, &long_segment).await;
    assert!(body.contains("Page not found"), "the site's 404 page");
}

/// A document page reached through any spelling of its path is audited once per view; a HEAD
/// request (no content) is not a view.
#[tokio::test]
async fn every_spelling_of_a_document_path_is_audited() {
    let s = state(Some("x-remote-user"));
    for uri in [
        "/reviews/CR%2D2020%2D003/",
        "/reviews//CR-2020-003/",
        "/reviews/./CR-2020-003/",
        "/./reviews/CR-2020-003/index.html",
    ] {
        let (status, body) = get_as(&s, uri, "analyst.one").await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    }
    let ranged = Request::get("/reviews/CR-2020-003/")
        .header("x-remote-user", "analyst.one")
        .header("range", "bytes=0-99")
        .body(Body::empty())
        .expect("request");
    let response = app(s.clone()).oneshot(ranged).await.expect("response");
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    let head = Request::head("/reviews/CR-2020-003/")
        .header("x-remote-user", "analyst.one")
        .body(Body::empty())
        .expect("request");
    let response = app(s.clone()).oneshot(head).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let lines = audit_lines(&s);
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(
        lines
            .iter()
            .all(|l| l["event"] == "view" && l["ids"] == serde_json::json!(["CR-2020-003"])),
        "{lines:#?}"
    );
}

/// The identity header must be there exactly once (a proxy that appends rather than replaces
/// would otherwise let a client's own value through); health probes need none.
#[tokio::test]
async fn the_identity_header_must_be_given_exactly_once() {
    let s = state(Some("x-remote-user"));
    let twice = Request::get("/api/search?q=interpreters")
        .header("x-remote-user", "forged.by.client")
        .header("x-remote-user", "analyst.one")
        .body(Body::empty())
        .expect("request");
    let response = app(s.clone()).oneshot(twice).await.expect("response");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, _, _) = get(&s, "/healthz").await;
    assert_eq!(status, StatusCode::OK, "health probes carry no identity");
    let (status, _, _) = get(&s, "/").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(audit_lines(&s).is_empty());
}

/// Issue 9: a question naming a power shows the answer box before the results, with every
/// agency that holds it linked to that power on its page; the JSON API carries the same
/// answer, and labels beside codes.
#[tokio::test]
async fn a_power_question_is_answered_above_the_results() {
    let s = state(None);
    let (status, _, body) = get(&s, "/search?q=who+can+close+a+premises%3F").await;
    assert_eq!(status, StatusCode::OK);
    let answer = body.find(r#"<section class="answer""#).expect("answer box");
    let results = body.find(r#"id="results-heading""#).expect("results");
    assert!(answer < results, "the answer comes first");
    let boxed = &body[answer..results];
    for (agency, anchor) in [
        (
            "Hampshire and Isle of Wight Constabulary",
            "AG-HIOWC&#x2f;#power-closure",
        ),
        (
            "Home Office Immigration Enforcement",
            "AG-HOIE&#x2f;#power-closure",
        ),
        (
            "Hampshire and Isle of Wight Fire and Rescue Service",
            "AG-HIWFRS&#x2f;#power-prohibition-notice",
        ),
    ] {
        assert!(boxed.contains(agency), "{agency}: {boxed}");
        assert!(boxed.contains(anchor), "{anchor}: {boxed}");
    }
    assert!(boxed.contains("no warrant needed"), "{boxed}");
    assert!(boxed.contains("Who can close premises?"), "{boxed}");
    let (_, _, json) = get(&s, "/api/search?q=who+can+close+a+premises").await;
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(json["answers"][0]["power_type"], "closure");
    assert_eq!(json["answers"][0]["holders"][0]["id"], "AG-HIOWC");
    assert_eq!(json["hits"][0]["kind_label"], "Agency powers");
    let (_, _, plain) = get(&s, "/search?q=interpreters").await;
    assert!(
        !plain.contains(r#"<section class="answer""#),
        "no answer box for analysts"
    );
}

/// Issue 9: the document API gives the label of every code the document uses.
#[tokio::test]
async fn the_document_api_gives_labels_beside_codes() {
    let s = state(None);
    let (status, _, body) = get(&s, "/api/documents/ORD-2022-003").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    let status = json["front_matter"]["order_status"].as_str().expect("code");
    assert_eq!(status, "considered-not-pursued");
    assert_eq!(
        json["labels"]["order_status"][status],
        "Considered, not pursued"
    );
    let (_, _, body) = get(&s, "/api/documents/AG-GLAA").await;
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        json["labels"]["jurisdiction"]["united-kingdom"],
        "United Kingdom"
    );
    assert_eq!(
        json["labels"]["power_types"]["order-applicant"],
        "STPO/STRO applicant"
    );
    assert_eq!(
        json["labels"]["agencies"]["GLAA"],
        "Gangmasters and Labour Abuse Authority"
    );
}

/// Issue 11: JSON never carries a raw `<`, `>` or `&` (a client pasting it into a page cannot
/// be tricked), and campaign tracking parameters are ignored, not refused.
#[tokio::test]
async fn json_escapes_markup_and_tracking_parameters_are_ignored() {
    let s = state(None);
    let (status, _, body) = get(&s, "/api/search?q=%3Cscript%3E%26interpreters").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains(['<', '>', '&']), "{body}");
    assert!(body.contains("\\u003cscript\\u003e"), "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("still JSON");
    assert_eq!(json["query"], "<script>&interpreters");
    for uri in ["/api/documents/CR-2020-003", "/api/stats"] {
        let (status, _, body) = get(&s, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!body.contains(['<', '>', '&']), "{uri}: raw markup in JSON");
        serde_json::from_str::<serde_json::Value>(&body).expect("JSON");
    }
    let (status, _, body) = get(
        &s,
        "/search?q=interpreters&utm_source=newsletter&utm_campaign=q4",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Issue 14: a server that found its index damaged at start listens while it rebuilds: until
/// its first build is swapped in, `/healthz` answers 503 `degraded` with the rebuild and why,
/// and every other request 503 with a retry time (never a page of no build, never a 5xx that
/// claims a fault); the security headers are on every answer.
#[tokio::test]
async fn a_server_without_a_build_yet_says_degraded_and_answers_503_until_it_has_one() {
    let starting = AppState(Arc::new(Inner::starting(
        "commit 1a2b3c4".to_owned(),
        "starting: the search index was damaged and is being rebuilt from git".to_owned(),
        "Test edition",
        Marking::OfficialSensitive,
    )));
    let (status, headers, body) = get(&starting, "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_security_headers(&headers, "/healthz");
    let health: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["commit"], serde_json::Value::Null, "{health}");
    assert_eq!(health["documents"], 0, "{health}");
    assert_eq!(
        health["rebuilding"]["version"], "commit 1a2b3c4",
        "{health}"
    );
    assert!(
        health["error"]
            .as_str()
            .is_some_and(|e| e.contains("being rebuilt from git")),
        "{health}"
    );
    for uri in [
        "/",
        "/search?q=interpreters",
        "/api/search?q=interpreters",
        "/api/stats",
        "/api/documents/CR-2021-001",
        "/reviews/CR-2021-001/",
    ] {
        let (status, headers, body) = get(&starting, uri).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}: {body}");
        assert_eq!(
            headers.get("retry-after").map(|v| v.as_bytes()),
            Some(&b"5"[..]),
            "{uri}"
        );
        assert!(body.starts_with("Casebook is starting"), "{uri}: {body}");
        assert!(
            headers.get(casebook::serve::COMMIT_HEADER).is_none(),
            "{uri}: no build answered"
        );
        assert_security_headers(&headers, uri);
    }
    // The first build lands: served whole, health back to ok.
    let current = sample_build();
    let commit = current.commit.clone();
    starting.swap(current);
    *starting.0.rebuilding.lock().expect("lock") = None;
    let (status, _, body) = get(&starting, "/healthz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let health: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["commit"], commit.as_str(), "{health}");
    let (status, headers, _) = get(&starting, "/api/search?q=interpreters").await;
    assert_eq!(status, StatusCode::OK);
    assert_names_the_build(&headers, &starting, "search after the first build");
}

/// The document ids a results page links to inside its main content.
fn ids_on_page(html: &str) -> std::collections::BTreeSet<String> {
    let page = scraper::Html::parse_document(html);
    let links = scraper::Selector::parse("main a[href]").expect("selector");
    let id = regex::Regex::new(r"^/(?:reviews|orders|agencies)/((?:CR|ORD|AG)-[A-Z0-9-]+)/")
        .expect("regex");
    page.select(&links)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| id.captures(href).map(|c| c[1].to_owned()))
        .collect()
}

/// The document ids a JSON answer shows: hits, partial matches, replacements and the answer
/// box's agency notes.
fn ids_in_json(json: &serde_json::Value) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for list in ["hits", "partial_hits"] {
        for h in json[list].as_array().into_iter().flatten() {
            out.extend(h["id"].as_str().map(str::to_owned));
            for r in h["superseded_by"].as_array().into_iter().flatten() {
                out.extend(r["id"].as_str().map(str::to_owned));
            }
        }
    }
    for a in json["answers"].as_array().into_iter().flatten() {
        for h in a["holders"].as_array().into_iter().flatten() {
            out.extend(h["id"].as_str().map(str::to_owned));
        }
    }
    out
}

/// DESIGN principle 7: every document a response shows — full and partial matches, the
/// reviews replacing a superseded one, the agencies of the answer box — is named in its audit
/// line with its marking, on the page and in the API alike.
#[tokio::test]
async fn every_document_a_search_shows_is_in_its_audit_line() {
    let s = state(Some("x-remote-user"));
    let queries = [
        "q=sexual+exploitation+brothel+Basingstoke",
        "q=closure&kind=agency_powers",
        "q=who+can+close+a+premises",
        "q=kestrel+lane",
        "q=interpreters+labour",
        "q=shoplifting+zzqx+children",
        "q=GLAA+powers+of+entry",
    ];
    let mut expected: Vec<std::collections::BTreeSet<String>> = Vec::new();
    for q in queries {
        let (status, body) = get_as(&s, &format!("/api/search?{q}"), "analyst").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        expected.push(ids_in_json(&json));
        let (status, page) = get_as(&s, &format!("/search?{q}"), "analyst").await;
        assert_eq!(status, StatusCode::OK);
        expected.push(ids_on_page(&page));
    }
    let lines = audit_lines(&s);
    assert_eq!(lines.len(), expected.len());
    let mut shown_beyond_hits = 0;
    for (line, shown) in lines.iter().zip(&expected) {
        let ids: Vec<String> = line["ids"]
            .as_array()
            .expect("ids")
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect();
        let logged: std::collections::BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(logged.len(), ids.len(), "each document once: {line}");
        assert_eq!(&logged, shown, "{}: {line}", line["query"]);
        let markings = line["markings"].as_array().expect("markings");
        assert_eq!(markings.len(), ids.len());
        assert!(
            markings
                .iter()
                .all(|m| m == "OFFICIAL" || m == "OFFICIAL-SENSITIVE"),
            "{line}"
        );
        shown_beyond_hits += usize::from(line["total"].as_u64() < Some(ids.len() as u64));
    }
    assert!(
        shown_beyond_hits >= 4,
        "the queries show partial matches and answers"
    );
}
