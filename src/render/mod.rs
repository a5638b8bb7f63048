//! The static site: every page rendered in memory with minijinja (the only home of
//! minijinja) from the documents a build publishes. Pure: returns a map of paths to bytes;
//! writing them is the pipeline's job.
//!
//! Must not import `index`: similar-document lists arrive as data.

mod charts;
mod pages;
mod search;
mod templates;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::model::{Date, Document, Marking, Vocabulary};

pub use search::{
    AnswerBox, AnswerHolder, FacetGroup, FacetTerm, ResultHit, SearchPage, Selected, Templates,
};

/// The rendered site: output path (`reviews/CR-2024-007/index.html`) → bytes.
pub type Site = BTreeMap<String, Vec<u8>>;

/// A failure to render.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template does not compile or fails to render.
    #[error("template {name}, line {line}: {message}")]
    Template {
        /// Template name.
        name: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A link to a published document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Site URL.
    pub url: String,
}

/// The git history of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocHistory {
    /// Date of the commit that added it (following renames).
    pub created: String,
    /// Date of the last commit that changed it.
    pub updated: String,
    /// Authors of the commits that changed it.
    pub contributors: Vec<String>,
    /// Number of commits that changed it.
    pub revisions: usize,
    /// True when the repository is a shallow clone (history cut short).
    pub incomplete: bool,
    /// Short id of the last commit that changed it (what to cite).
    pub commit: String,
    /// The commits that changed it, newest first.
    pub commits: Vec<HistoryEntry>,
}

/// One commit on a document's history page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// Short commit id.
    pub commit: String,
    /// Commit date.
    pub date: String,
    /// Author name.
    pub author: String,
    /// First line of the message (empty when it must not be shown).
    pub message: String,
}

/// One entry of "what's new".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Commit date.
    pub date: String,
    /// Commit time (RFC 3339) for the feed.
    pub time: String,
    /// The document changed.
    pub id: String,
    /// Its kind, in words ("Case review").
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its URL.
    pub url: String,
    /// What changed, read from the document ("published", "changed: areas, victims; the text
    /// revised"), never the commit message.
    pub what: String,
}

/// A published document and its markdown body.
#[derive(Debug, Clone, Copy)]
pub struct PageDoc<'a> {
    /// The typed document.
    pub doc: &'a Document,
    /// Its markdown body.
    pub body: &'a str,
    /// What the edition shows of it, as a key: its blob, and which documents it mentions the
    /// edition leaves out (the index's document key).
    pub key: &'a str,
}

/// Where pages go as they are rendered: a build stages them at once, so the rendered site is
/// never held whole.
pub trait Sink {
    /// What a failure to take pages is (rendering failures convert into it).
    type Error: From<RenderError>;
    /// The key each document's pages (by id) and each other page (by path) were rendered
    /// under by the build in place.
    fn known(&self) -> HashMap<String, String>;
    /// True when the files at `paths` of `name` (a document's id, or a page's path), rendered
    /// under `key`, are still in place as the build in place wrote them: they are kept, and
    /// need not be rendered again.
    fn keep(&mut self, name: &str, key: &str, paths: &[String]) -> bool;
    /// Pages rendered, with the key of each document or page among them.
    fn put(&mut self, pages: &Site, keys: &[(String, String)]) -> Result<(), Self::Error>;
}

/// A sink that keeps nothing and collects every page.
impl Sink for Site {
    type Error = RenderError;

    fn known(&self) -> HashMap<String, String> {
        HashMap::new()
    }

    fn keep(&mut self, _: &str, _: &str, _: &[String]) -> bool {
        false
    }

    fn put(&mut self, pages: &Site, _: &[(String, String)]) -> Result<(), RenderError> {
        self.extend(pages.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(())
    }
}

/// Everything the site is rendered from.
pub struct SiteInput<'a> {
    /// Site title.
    pub title: &'a str,
    /// Absolute base URL (feeds, sitemap).
    pub base_url: &'a str,
    /// The build's marking ceiling.
    pub ceiling: Marking,
    /// Commit id the build reads.
    pub commit: &'a str,
    /// Vocabulary labels.
    pub vocab: &'a Vocabulary,
    /// The documents the build publishes (nothing above the ceiling).
    pub docs: Vec<PageDoc<'a>>,
    /// Every document of the knowledge base and whether the build leaves it out: what a page
    /// shows instead of a reference to, or any mention of, a document it does not publish.
    pub withheld: &'a crate::model::Withheld,
    /// Similar documents per id (already limited to published documents).
    pub similar: HashMap<String, Vec<Link>>,
    /// History per id.
    pub history: HashMap<String, DocHistory>,
    /// Recent changes, newest first.
    pub changes: Vec<Change>,
    /// Template overrides from the content repository: name → source.
    pub overrides: Vec<(String, String)>,
    /// The build date (overdue recommendations, the register's due dates).
    pub today: Date,
    /// The statistics of the published documents.
    pub statistics: &'a crate::model::stats::Statistics,
    /// What every page shows whatever the documents, as a key: the vocabulary, the templates,
    /// the documents the edition leaves out, and this build of Casebook.
    pub fingerprint: String,
    /// A preview of the working tree: every page is bannered DRAFT PREVIEW, shows these
    /// findings of the check, and reloads itself when the preview is rebuilt.
    pub preview: Option<Vec<Problem>>,
}

/// A finding of the check, as a preview page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Code, e.g. `E029`.
    pub code: &'static str,
    /// File, relative to the repository.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
    /// The id of the document the file holds, as its front matter or name gives it: a preview
    /// answers that document's address with its problems when its errors leave it out.
    pub doc_id: Option<String>,
}

/// Rendered markdown as a template value inserted unescaped: the one value marked safe.
/// Everything else reaching a template (titles, labels, snippets, chart labels, feed entries)
/// is escaped by minijinja, which escapes every `.html` and `.xml` template.
pub(crate) fn safe(html: crate::markdown::Html) -> minijinja::Value {
    minijinja::Value::from_safe_string(html.into_string())
}

/// A piece of a snippet: text, highlighted or not. Templates escape it; the index never
/// builds markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnippetPart {
    /// The text of this piece.
    pub text: String,
    /// A match of the query, shown in `<mark>`.
    pub mark: bool,
}

/// A snippet cut into pieces at its highlighted byte ranges. Ranges out of order,
/// overlapping or not on character boundaries are skipped.
pub fn snippet_parts(text: &str, highlights: &[(usize, usize)]) -> Vec<SnippetPart> {
    let mut parts = Vec::with_capacity(highlights.len() * 2 + 1);
    let mut at = 0;
    let mut push = |text: &str, mark: bool| {
        if !text.is_empty() {
            parts.push(SnippetPart {
                text: text.to_owned(),
                mark,
            });
        }
    };
    for &(start, end) in highlights {
        let (Some(before), Some(word)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        push(before, false);
        push(word, true);
        at = end;
    }
    push(text.get(at..).unwrap_or_default(), false);
    parts
}

/// A snippet as HTML (the `snippet_html` of the search API): the `snippet.html` template
/// escapes the text and puts each highlighted range in `<mark>`.
pub fn snippet_html(text: &str, highlights: &[(usize, usize)]) -> String {
    static ENV: std::sync::OnceLock<minijinja::Environment<'static>> = std::sync::OnceLock::new();
    let env = ENV.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        // The template is built in and known to compile (a test renders it).
        let _ = env.add_template("snippet.html", templates::SNIPPET);
        env
    });
    env.get_template("snippet.html")
        .and_then(|t| t.render(minijinja::context! { parts => minijinja::value::Serde(snippet_parts(text, highlights)) }))
        .unwrap_or_default()
}

/// The header's short service name and what the full title has before it: the part of the
/// title after its last " — " (`Investigation Learning` of "Modern Slavery Partnership —
/// Investigation Learning"), or the whole title when it has none. The header shows the short
/// name; a screen reader hears the whole title, the short name being its end (WCAG 2.5.3).
pub fn short_title(title: &str) -> (&str, &str) {
    match title.rsplit_once(" — ") {
        Some((lead, short)) if !short.trim().is_empty() => {
            (short.trim(), &title[..lead.len() + " —".len()])
        }
        _ => (title, ""),
    }
}

/// The template `name` (the built-in one, or the override of that name) rendered with `ctx`:
/// for what is made outside the site build (the periodic report).
pub fn render_template(
    name: &str,
    overrides: &[(String, String)],
    ctx: minijinja::Value,
) -> Result<String, RenderError> {
    let env = templates::environment(overrides)?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| templates::template_error(name, &e))
}

/// The site's built-in style sheet (what a page made into one file carries inside it).
pub fn style_sheet() -> &'static str {
    templates::STYLE
}

/// A page as one file to send: its style sheet inside it, its scripts left out, and its
/// links absolute (the site's `base_url`), since it will be read away from the site.
pub fn standalone(html: &str, css: &str, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    let mut out = String::with_capacity(html.len() + css.len());
    for line in html.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("<link rel=\"stylesheet\"") {
            out.push_str("<style>\n");
            out.push_str(css);
            out.push_str("\n</style>\n");
            continue;
        }
        if trimmed.starts_with("<script")
            || trimmed.starts_with("<link rel=\"alternate\"")
            || trimmed.starts_with("<link rel=\"icon\"")
        {
            continue;
        }
        // Site paths (written `&#x2f;…` by the templates, `/…` in rendered markdown).
        let line = line
            .replace("href=\"&#x2f;", &format!("href=\"{base}&#x2f;"))
            .replace("href=\"/", &format!("href=\"{base}/"));
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// JSON text with `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026` (they only occur
/// inside strings, where the escape means the same character).
pub fn escape_json_for_html(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Renders every page of the site into `sink` (see `Sink`).
pub fn render_site<S: Sink>(input: &SiteInput<'_>, sink: &mut S) -> Result<(), S::Error> {
    let env = templates::environment(&input.overrides)?;
    pages::render_all(&env, input, sink)?;
    let mut assets = Site::new();
    if input.preview.is_some() {
        assets.insert(
            "assets/preview.js".to_owned(),
            templates::PREVIEW_SCRIPT.as_bytes().to_vec(),
        );
    }
    for (path, text) in [
        ("assets/style.css", templates::STYLE),
        ("assets/favicon.svg", templates::FAVICON),
        ("assets/search.js", templates::SEARCH_SCRIPT),
    ] {
        assets.insert(path.to_owned(), text.as_bytes().to_vec());
    }
    sink.put(&assets, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_and_marked_from_ranges() {
        let text = "a <b> & the s.45 defence";
        let html = snippet_html(text, &[(12, 16), (17, 24)]);
        assert_eq!(
            html,
            "a &lt;b&gt; &amp; the <mark>s.45</mark> <mark>defence</mark>"
        );
        // Ranges that make no sense are ignored rather than trusted.
        assert_eq!(snippet_html("abc", &[(2, 1), (0, 9)]), "abc");
        assert_eq!(snippet_html("é", &[(0, 1)]), "é");
    }
}
