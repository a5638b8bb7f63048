//! The server-rendered search results page: the same templates as the static site, compiled
//! once per build and used for every request.

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use serde::Serialize;

use crate::model::Marking;

use super::RenderError;
use super::templates::{environment, template_error};

/// One result, its snippet already HTML-escaped with `<mark>` around matches.
#[derive(Debug, Clone)]
pub struct ResultHit {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Page URL.
    pub url: String,
    /// What readers call its kind.
    pub kind: String,
    /// The areas it covers, by name.
    pub areas: Vec<String>,
    /// Document date.
    pub date: String,
    /// Marking.
    pub marking: String,
    /// Status code.
    pub status: String,
    /// What readers call its status.
    pub status_label: String,
    /// For a superseded document, what replaced it.
    pub superseded_by: Vec<super::Link>,
    /// The snippet, cut at its highlighted matches (the template escapes it).
    pub snippet: Vec<super::SnippetPart>,
}

/// An agency holding a power, in the answer box.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerHolder {
    /// The agency's name.
    pub name: String,
    /// The power on the agency's page.
    pub url: String,
    /// Each legal basis: (basis, warrant needed).
    pub bases: Vec<(String, bool)>,
    /// The query names this agency: it leads, and the others follow as "also".
    pub named: bool,
}

/// The answer box of a question naming a power.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerBox {
    /// The power's label.
    pub label: String,
    /// The question it answers.
    pub question: String,
    /// The power's page.
    pub url: String,
    /// Shown because a named power points readers to it.
    pub related: bool,
    /// Whether a warrant can apply to the power at all (not to applying for an order).
    pub warrant: bool,
    /// The agencies that hold it, those the query names first.
    pub holders: Vec<AnswerHolder>,
}

/// One checkbox of the facet sidebar.
#[derive(Debug, Clone, Serialize)]
pub struct FacetTerm {
    /// Code sent back in the query string.
    pub code: String,
    /// What the user reads.
    pub label: String,
    /// Documents the click would return.
    pub count: u64,
    /// Currently ticked.
    pub checked: bool,
}

/// One facet of the sidebar.
#[derive(Debug, Clone, Serialize)]
pub struct FacetGroup {
    /// Query parameter name.
    pub name: String,
    /// Heading.
    pub label: String,
    /// Its terms.
    pub terms: Vec<FacetTerm>,
}

/// Everything the results page shows.
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// Site title.
    pub site_title: String,
    /// The edition's ceiling.
    pub ceiling: Marking,
    /// The query text.
    pub q: String,
    /// Total matches.
    pub total: usize,
    /// Rank of the first hit on this page.
    pub first: usize,
    /// This page's hits.
    pub hits: Vec<ResultHit>,
    /// Documents matching some of the words, when fewer than a page match them all.
    pub partial_hits: Vec<ResultHit>,
    /// How many documents match some of the words.
    pub partial_total: usize,
    /// The filters applied, each with the address that removes it.
    pub selected: Vec<Selected>,
    /// The address of the same search with no filter.
    pub clear_url: String,
    /// The powers the query names, with the agencies that hold them.
    pub answers: Vec<AnswerBox>,
    /// The facet sidebar.
    pub facets: Vec<FacetGroup>,
    /// Active filters as (parameter, value), kept when the query changes.
    pub active: Vec<(String, String)>,
    /// Warnings about the query.
    pub warnings: Vec<String>,
    /// A corrected query, and the URL that runs it.
    pub suggestion: Option<(String, String)>,
    /// The correction applied to the results: the query searched, the words as typed, and
    /// the URL that searches the words exactly as typed.
    pub correction: Option<(String, Vec<String>, String)>,
    /// Previous and next page URLs.
    pub pages: (Option<String>, Option<String>),
    /// The year range asked for.
    pub years: (Option<i32>, Option<i32>),
    /// `relevance` or `newest`.
    pub sort: String,
}

/// A filter in force, shown as a tag that removes it.
#[derive(Debug, Clone, Serialize)]
pub struct Selected {
    /// What it is, in words: "Area: Portsmouth", "From 2020".
    pub label: String,
    /// The search without it.
    pub remove_url: String,
}

/// The compiled templates of a build.
pub struct Templates(Environment<'static>);

#[derive(Serialize)]
struct Active<'a> {
    name: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    short_title: &'a str,
    title_lead: &'a str,
    root: &'static str,
    ceiling: String,
}

/// One hit as the results template reads it.
fn hit_value(h: &ResultHit) -> Value {
    context! {
        id => &h.id, title => &h.title, url => &h.url, kind => &h.kind, date => &h.date,
        marking => &h.marking, status => &h.status, status_label => &h.status_label,
        areas => Serde(&h.areas),
        superseded_by => Serde(&h.superseded_by),
        snippet => Serde(&h.snippet),
    }
}

impl Templates {
    /// Compiles the built-in templates with the repository's overrides.
    pub fn new(overrides: &[(String, String)]) -> Result<Templates, RenderError> {
        environment(overrides).map(Templates)
    }

    /// Renders the results page.
    pub fn search_page(&self, page: &SearchPage) -> Result<String, RenderError> {
        let template = self
            .0
            .get_template("results.html")
            .map_err(|e| template_error("results.html", &e))?;
        let hits: Vec<Value> = page.hits.iter().map(hit_value).collect();
        let partial: Vec<Value> = page.partial_hits.iter().map(hit_value).collect();
        let marking = page
            .hits
            .iter()
            .chain(&page.partial_hits)
            .any(|h| h.marking == "OFFICIAL-SENSITIVE");
        let active: Vec<Active<'_>> = page
            .active
            .iter()
            .map(|(n, v)| Active { name: n, value: v })
            .collect();
        let (short_title, title_lead) = super::short_title(&page.site_title);
        let site = SiteCtx {
            title: &page.site_title,
            short_title,
            title_lead,
            root: "/",
            ceiling: page.ceiling.to_string(),
        };
        let ctx = context! {
            site => Serde(&site),
            page_marking => if marking { "OFFICIAL-SENSITIVE" } else { "OFFICIAL" },
            q => &page.q,
            total => page.total,
            first => page.first,
            last => page.first + page.hits.len().saturating_sub(1),
            hits,
            partial,
            partial_total => page.partial_total,
            selected => Serde(&page.selected),
            clear_url => &page.clear_url,
            answers => Serde(&page.answers),
            facets => Serde(&page.facets),
            active => Serde(&active),
            warnings => Serde(&page.warnings),
            suggestion => page.suggestion.as_ref().map(|(s, _)| s.clone()),
            suggestion_url => page.suggestion.as_ref().map(|(_, u)| u.clone()),
            corrected => page.correction.as_ref().map(|(c, _, _)| c.clone()),
            typed => page.correction.as_ref().map(|(_, t, _)| t.join(", ")),
            exact_url => page.correction.as_ref().map(|(_, _, u)| u.clone()),
            prev_url => page.pages.0.clone(),
            next_url => page.pages.1.clone(),
            from_year => page.years.0.map(|y| y.to_string()).unwrap_or_default(),
            to_year => page.years.1.map(|y| y.to_string()).unwrap_or_default(),
            sort => &page.sort,
        };
        template
            .render(ctx)
            .map_err(|e| template_error("results.html", &e))
    }
}
