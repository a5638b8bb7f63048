//! What each fuzz target asserts of one input. Shared by the fuzz targets (`fuzz/`) and by the
//! regression tests (`tests/it/fuzz_regressions.rs`), which run every kept input through the
//! same function: a panic here is a finding.

use std::collections::BTreeMap;

use casebook::index::{KbIndex, SearchRequest, Sort};
use casebook::load::{Loaded, content_hash};
use casebook::model::{Date, SourceFile};
use casebook::pipeline::check::check_loaded;
use casebook::serve::{AppState, app};

/// Front matter split, parse and validate, as a review and as the vocabulary file: no
/// panic, every finding on a line of the file it names, and the human report renders.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let file = |path: &str| SourceFile {
        path: path.to_owned(),
        text: text.clone(),
        blob: content_hash(text.as_bytes()),
    };
    let today = Date::parse("2026-11-29").expect("a date");
    // Lines end at `\n`, `\r\n` or a lone `\r` (YAML's and CommonMark's line endings); a
    // finding may point just past the last line (at the end of the file).
    let bytes = text.as_bytes();
    let breaks = (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    let lines = breaks + 2;
    for as_vocabulary in [false, true] {
        let loaded = if as_vocabulary {
            Loaded {
                files: Vec::new(),
                vocabulary: Some(file("knowledge/vocabulary.yaml")),
                diagnostics: Vec::new(),
                commit: None,
            }
        } else {
            Loaded {
                files: vec![file("knowledge/reviews/fuzzed.md")],
                vocabulary: None,
                diagnostics: Vec::new(),
                commit: None,
            }
        };
        let checked = check_loaded(loaded, "knowledge", today);
        for d in &checked.diagnostics {
            assert!(
                d.line >= 1 && d.line <= lines,
                "{} at line {} of a {lines}-line file",
                d.code,
                d.line
            );
            assert!(d.column >= 1, "{} at column {}", d.code, d.column);
        }
        let report = casebook::pipeline::findings::render_all(&checked, false);
        assert!(checked.diagnostics.is_empty() || !report.is_empty());
    }
}

/// Markdown to HTML: no panic, tags nest properly, links never nest, only the renderer's own
/// tags and attributes appear, and every link or image address is the web, e-mail, a
/// fragment or a path on the site.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let resolve = |target: &str| {
        target
            .starts_with("CR-")
            .then(|| format!("/reviews/{target}/"))
    };
    let html = casebook::markdown::to_html(&text, &resolve, &casebook::markdown::keep);
    if let Err(why) = valid_html(&html) {
        panic!("{why}\n--- markdown\n{text}\n--- html\n{}", html.as_str());
    }
    // The work budget's bound (checked before any body is parsed) is never below the table
    // cells the body really makes.
    let cells = ["<td>", "<td ", "<th>", "<th "]
        .iter()
        .map(|tag| html.matches(tag).count())
        .sum::<usize>();
    let bound = casebook::markdown::table_cells(&text).cells;
    assert!(
        bound >= cells,
        "the table-cell bound {bound} is below the {cells} cells made\n--- markdown\n{text:?}"
    );
}

const TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "sup",
    "section",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];
const VOID: &[&str] = &["br", "hr", "img", "input"];
const ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "alt",
    "title",
    "id",
    "class",
    "start",
    "type",
    "checked",
    "disabled",
    "role",
    "aria-label",
    "tabindex",
    "scope",
];

/// The checks of [`markdown`] on rendered HTML.
pub fn valid_html(html: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest
            .find('>')
            .ok_or_else(|| "a `<` that opens no tag".to_owned())?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(top) if top == name => {}
                top => return Err(format!("</{name}> closes {top:?}")),
            }
            continue;
        }
        let tag = tag.strip_suffix('/').unwrap_or(tag).trim_end();
        let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        if !TAGS.contains(&name) {
            return Err(format!("a <{name}> tag"));
        }
        if name == "a" && open.contains(&"a") {
            return Err("a link inside a link".to_owned());
        }
        for (attr, value) in attributes(attrs)? {
            if !ATTRIBUTES.contains(&attr) {
                return Err(format!("a {attr}= attribute on <{name}>"));
            }
            // A table's scrolling region is the renderer's own; no style= at all (the site's
            // Content-Security-Policy forbids inline styles).
            let fixed = match attr {
                "role" => Some("region"),
                "tabindex" => Some("0"),
                "scope" => Some("col"),
                _ => None,
            };
            if fixed.is_some_and(|f| f != value)
                || (attr == "aria-label" && !value.starts_with("Table "))
            {
                return Err(format!("{attr}=\"{value}\" on <{name}>"));
            }
            if (attr == "href" || attr == "src") && !safe_address(value) {
                return Err(format!("{attr}=\"{value}\""));
            }
        }
        if !VOID.contains(&name) {
            open.push(name);
        }
    }
    match open.last() {
        Some(tag) => Err(format!("<{tag}> is never closed")),
        None => Ok(()),
    }
}

/// `name="value"` pairs (the renderer quotes every value with `"` and escapes `"` in it).
fn attributes(mut text: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut out = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return Ok(out);
        }
        let name_end = text.find(['=', ' ']).unwrap_or(text.len());
        let name = &text[..name_end];
        text = &text[name_end..];
        let Some(quoted) = text.strip_prefix("=\"") else {
            out.push((name, ""));
            continue;
        };
        let close = quoted
            .find('"')
            .ok_or_else(|| format!("an unclosed {name}= value"))?;
        out.push((name, &quoted[..close]));
        text = &quoted[close + 1..];
    }
}

fn safe_address(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    // `https:/x` and `https:x` are web addresses too (a browser reads them as `https://x`).
    ["http:", "https:", "mailto:", "#"]
        .iter()
        .any(|p| v.starts_with(p))
        || (v.starts_with('/') && !v.starts_with("//") && !v.starts_with("/\\"))
}

/// Query text searched in `index` (first page and a far page, by relevance and by date): no
/// panic, and an answer that says what it did.
pub fn query(index: &KbIndex, data: &[u8]) {
    let q = String::from_utf8_lossy(data).into_owned();
    for (page, sort) in [(1, Sort::Relevance), (7, Sort::Newest)] {
        let response = index.search(&SearchRequest {
            q: q.clone(),
            filters: BTreeMap::new(),
            from: None,
            to: None,
            sort,
            page,
            per_page: 20,
            exact: false,
        });
        assert!(
            response.hits.len() <= 20,
            "{} hits on a page",
            response.hits.len()
        );
    }
}

/// A request line's target (path and query) sent to the router: not a server error, the
/// security headers on the answer, and the build named in `Casebook-Commit`.
pub async fn request(state: &AppState, data: &[u8]) {
    use tower::ServiceExt;
    let text = String::from_utf8_lossy(data);
    let target = if text.starts_with('/') {
        text.into_owned()
    } else {
        format!("/{text}")
    };
    // A target the HTTP library cannot parse never reaches the router.
    let Ok(request) = axum::http::Request::get(target.as_str()).body(axum::body::Body::empty())
    else {
        return;
    };
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("an answer");
    let status = response.status();
    assert!(!status.is_server_error(), "{target}: {status}");
    let headers = response.headers();
    for name in [
        "content-security-policy",
        "x-content-type-options",
        "casebook-commit",
    ] {
        assert!(
            headers.contains_key(name),
            "{target}: {status} without {name}"
        );
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .expect("the whole body");
    assert!(
        !body.is_empty() || status.is_redirection() || status == 304,
        "{target}: empty"
    );
}
