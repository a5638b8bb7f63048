//! The templates: built into the binary from the project's `templates/` folder, each
//! overridable by a file of the same name in the content repository's `templates/`.
//! Templates are `*.html`, so minijinja escapes every value; rendered markdown is the only
//! value marked safe.

use minijinja::Environment;

use super::RenderError;

/// The built-in templates, by name.
pub(super) const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    ("review.html", include_str!("../../templates/review.html")),
    ("order.html", include_str!("../../templates/order.html")),
    ("agency.html", include_str!("../../templates/agency.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("browse.html", include_str!("../../templates/browse.html")),
    ("matrix.html", include_str!("../../templates/matrix.html")),
    ("power.html", include_str!("../../templates/power.html")),
    (
        "register.html",
        include_str!("../../templates/register.html"),
    ),
    (
        "register-due.html",
        include_str!("../../templates/register-due.html"),
    ),
    ("tracker.html", include_str!("../../templates/tracker.html")),
    (
        "statistics.html",
        include_str!("../../templates/statistics.html"),
    ),
    (
        "whats-new.html",
        include_str!("../../templates/whats-new.html"),
    ),
    ("history.html", include_str!("../../templates/history.html")),
    ("results.html", include_str!("../../templates/results.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "left-out.html",
        include_str!("../../templates/left-out.html"),
    ),
    (
        "learning-point.html",
        include_str!("../../templates/learning-point.html"),
    ),
    (
        "briefing.html",
        include_str!("../../templates/briefing.html"),
    ),
    (
        "infographic.html",
        include_str!("../../templates/infographic.html"),
    ),
    (
        "infographic-body.html",
        include_str!("../../templates/infographic-body.html"),
    ),
    ("report.html", include_str!("../../templates/report.html")),
    ("report.md", include_str!("../../templates/report.md")),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("chart.html", include_str!("../../templates/chart.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];

/// A search snippet with its matches marked: `snippet_html` of the search API. Not
/// overridable (the API's format is fixed).
pub(super) const SNIPPET: &str = include_str!("snippet.html");

/// The stylesheet.
pub(super) const STYLE: &str = include_str!("../../templates/assets/style.css");

/// The site's icon.
pub(super) const FAVICON: &str = include_str!("../../templates/assets/favicon.svg");

/// The script of a preview's pages: reloads the page when the preview is rebuilt.
pub(super) const PREVIEW_SCRIPT: &str = include_str!("../../templates/assets/preview.js");

/// The optional script of the results page (results as you type).
pub(super) const SEARCH_SCRIPT: &str = include_str!("../../templates/assets/search.js");

/// An environment with the built-in templates, replaced by `overrides` where names match.
/// An override with another name is refused, as is one that does not compile.
pub(super) fn environment(
    overrides: &[(String, String)],
) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env.add_filter("count", |n: u64, one: &str, many: &str| {
        crate::model::words::count(n, one, many)
    });
    // Text placed in a markdown file as text: markdown's punctuation escaped, lines joined.
    env.add_filter("md", |text: &str| {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                    out.push('\\');
                    out.push(c);
                }
                '\n' | '\r' => out.push(' '),
                _ => out.push(c),
            }
        }
        out
    });
    for (name, source) in BUILT_IN {
        let text = overrides
            .iter()
            .find(|(n, _)| n == name)
            .map_or((*source).to_owned(), |(_, t)| t.clone());
        env.add_template_owned(*name, text)
            .map_err(|e| template_error(name, &e))?;
    }
    if let Some((name, _)) = overrides
        .iter()
        .find(|(n, _)| !BUILT_IN.iter().any(|(b, _)| b == n))
    {
        let known: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        return Err(RenderError::Template {
            name: name.clone(),
            line: 0,
            message: format!(
                "there is no built-in template of that name to override (templates: {})",
                known.join(", ")
            ),
        });
    }
    Ok(env)
}

/// A template error with the template's name and line.
pub(super) fn template_error(name: &str, e: &minijinja::Error) -> RenderError {
    RenderError::Template {
        name: e.name().unwrap_or(name).to_owned(),
        line: e.line().unwrap_or(0),
        message: e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned),
    }
}
