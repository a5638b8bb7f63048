//! The learning, shared: graded learning points on review and theme pages, the other
//! statutory reviews a case connects to, and the seven-minute briefing of each learning theme
//! (`/themes/<theme>/briefing/`, the page and its data, from which `casebook brief` makes a
//! file to send).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::case_review::{CaseReview, LearningPoint, RelatedReview};
use crate::model::enums::{Closed, LearningGrade, RecommendationStatus, ReviewType};
use crate::model::{Document, Kind, KindData, VocabName};

use super::*;
use crate::render::{RenderError, Site};

/// A learning point as pages show it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PointView {
    id: String,
    text: String,
    /// The grade's code (`effective`), for the tag's style.
    grade: &'static str,
    /// The grade as a reader says it ("Did not work").
    grade_label: &'static str,
    evidence: Option<String>,
    themes: Vec<ThemeLink>,
    /// The review it comes from.
    review: Link,
    /// The review's date (`2023-12-06`), for ordering newest first.
    date: String,
}

/// A learning theme linked to its page.
#[derive(Debug, Clone, Serialize)]
struct ThemeLink {
    code: String,
    label: String,
    url: String,
}

/// Another statutory review, as pages show it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct RelatedView {
    kind: &'static str,
    title: String,
    board: String,
    year: u32,
    url: Option<String>,
    /// The case review that names it.
    review: Link,
}

/// The page of a learning theme.
pub(super) fn theme_url(code: &str) -> String {
    format!("/browse/theme/{code}/")
}

/// The briefing of a learning theme.
pub(super) fn briefing_url(code: &str) -> String {
    format!("/themes/{code}/briefing/")
}

fn review_link(d: &Document) -> Link {
    Link {
        id: d.common.id.clone(),
        title: d.common.title.clone(),
        url: Kind::CaseReview.url(&d.common.id),
    }
}

fn point_view(ctx: &Ctx<'_>, d: &Document, r: &CaseReview, p: &LearningPoint) -> PointView {
    PointView {
        id: p.id.clone(),
        text: p.text.clone(),
        grade: p.grade.code(),
        grade_label: p.grade.label(),
        evidence: p.evidence.clone(),
        themes: p
            .themes
            .iter()
            .map(|t| ThemeLink {
                code: t.clone(),
                label: ctx.label(VocabName::Themes, t),
                url: theme_url(t),
            })
            .collect(),
        review: review_link(d),
        date: r.review_date.to_string(),
    }
}

fn related_view(d: &Document, r: &RelatedReview) -> RelatedView {
    RelatedView {
        kind: r.kind.label(),
        title: r.title.clone(),
        board: r.board.clone(),
        year: r.year,
        url: r.url.clone(),
        review: review_link(d),
    }
}

/// A review's learning points in the order written, and the statutory reviews it names.
pub(super) fn of_review(
    ctx: &Ctx<'_>,
    d: &Document,
    r: &CaseReview,
) -> (Vec<PointView>, Vec<RelatedView>) {
    (
        r.learning
            .iter()
            .map(|p| point_view(ctx, d, r, p))
            .collect(),
        r.related_reviews
            .iter()
            .map(|x| related_view(d, x))
            .collect(),
    )
}

/// The published case reviews with learning theme `code`, newest first.
fn reviews_with<'a>(ctx: &Ctx<'a>, code: &str) -> Vec<(&'a Document, &'a CaseReview)> {
    let mut out: Vec<(&Document, &CaseReview)> = ctx
        .input
        .docs
        .iter()
        .filter_map(|p| match &p.doc.data {
            KindData::CaseReview(r) if r.themes.iter().any(|t| t == code) => {
                Some((p.doc, r.as_ref()))
            }
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| {
        b.1.review_date
            .cmp(&a.1.review_date)
            .then(a.0.common.id.cmp(&b.0.common.id))
    });
    out
}

/// The learning points of theme `code` across the published reviews: what works first
/// (effective, promising, untested, did not work), newest first within a grade.
pub(super) fn theme_points(ctx: &Ctx<'_>, code: &str) -> Vec<PointView> {
    let mut points: Vec<(LearningGrade, PointView)> = Vec::new();
    for (d, r) in reviews_with(ctx, code) {
        for p in r
            .learning
            .iter()
            .filter(|p| p.themes.iter().any(|t| t == code))
        {
            points.push((p.grade, point_view(ctx, d, r, p)));
        }
    }
    // Stable: within a grade the reviews stay newest first.
    points.sort_by_key(|(g, _)| g.rank());
    points.into_iter().map(|(_, p)| p).collect()
}

/// The statutory reviews named by the published reviews of theme `code`.
pub(super) fn theme_related(ctx: &Ctx<'_>, code: &str) -> Vec<RelatedView> {
    reviews_with(ctx, code)
        .into_iter()
        .flat_map(|(d, r)| r.related_reviews.iter().map(move |x| related_view(d, x)))
        .collect()
}

/// A count by a label, as the briefing's small tables show it.
#[derive(Debug, Clone, Serialize)]
struct Count {
    label: String,
    count: u64,
}

/// The briefing's second part: how much of the knowledge base the theme touches.
#[derive(Debug, Clone, Serialize)]
struct Reach {
    /// Published case reviews with the theme.
    reviews: usize,
    /// Thematic reviews among them.
    thematic: usize,
    /// Victims in the reviews of individual cases with the theme (each case once).
    victims: u64,
    /// Reviews by reporting area (a review in several areas counts in each).
    by_area: Vec<Count>,
    /// Reviews by year of review.
    by_year: Vec<Count>,
}

/// An open recommendation, as the briefing's sixth part lists it.
#[derive(Debug, Clone, Serialize)]
struct Action {
    id: String,
    text: String,
    owner: String,
    due: String,
    /// The due month as `YYYY-MM`, for ordering.
    #[serde(skip)]
    due_month: String,
    status: &'static str,
    overdue: bool,
    review: Link,
}

/// What did not work, in a review's own words (its "What did not work" section).
#[derive(Debug, Clone, Serialize)]
struct Note {
    text: String,
    review: Link,
}

/// The seven-minute briefing of one learning theme: the seven parts, each statement with the
/// review it comes from. The page renders it; its JSON (`briefing.json` beside the page) is
/// what `casebook brief` typesets.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Briefing {
    /// The theme's code.
    theme: String,
    /// Its label.
    label: String,
    /// Part 1, Background: the partnership's summary of the theme, if written.
    summary: Option<String>,
    /// Part 2, Why it matters.
    reach: Reach,
    /// Part 3, What we found: every point of the theme, newest first.
    found: Vec<PointView>,
    /// Part 4, What works: the `effective` and `promising` points.
    works: Vec<PointView>,
    /// Part 5, What did not: the points graded "did not work", and the reviews' own words.
    did_not_work: Vec<PointView>,
    notes: Vec<Note>,
    /// Part 6, What to do: the open recommendations of the theme's reviews, overdue first, then
    /// the soonest due; the rest are counted.
    actions: Vec<Action>,
    more_actions: usize,
    /// Part 7, Questions for reflection, and further reading.
    questions: Vec<String>,
    reviews: Vec<Link>,
    related: Vec<RelatedView>,
    agencies: Vec<Link>,
    /// The edition's ceiling, the highest marking of what the briefing shows, the commit and
    /// date it was made from, and the site's address (links in a file to send are absolute).
    ceiling: String,
    marking: String,
    commit: String,
    date: String,
    base_url: String,
}

/// Notes shown from a review's "What did not work" section, per review and in all.
const NOTES_PER_REVIEW: usize = 1;
const NOTES: usize = 4;

/// Open recommendations a briefing lists (the rest are counted): a briefing fits two pages.
const ACTIONS: usize = 5;

/// The briefing of theme `code` from the published documents.
fn briefing(ctx: &Ctx<'_>, code: &str) -> Briefing {
    let term = ctx.input.vocab.get(VocabName::Themes, code);
    let reviews = reviews_with(ctx, code);
    let docs: Vec<&Document> = reviews.iter().map(|(d, _)| *d).collect();
    let counted = crate::model::stats::counted_reviews(&docs);
    let mut by_area: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_year: BTreeMap<i32, u64> = BTreeMap::new();
    for (_, r) in &reviews {
        let mut areas: Vec<String> = r
            .areas
            .iter()
            .map(|a| crate::model::stats::reporting_area_label(ctx.input.vocab, a))
            .collect();
        areas.sort();
        areas.dedup();
        for a in areas {
            *by_area.entry(a).or_default() += 1;
        }
        *by_year.entry(r.review_date.year()).or_default() += 1;
    }
    let mut found: Vec<PointView> = Vec::new();
    for (d, r) in &reviews {
        for p in r
            .learning
            .iter()
            .filter(|p| p.themes.iter().any(|t| t == code))
        {
            found.push(point_view(ctx, d, r, p));
        }
    }
    let works: Vec<PointView> = theme_points(ctx, code)
        .into_iter()
        .filter(|p| {
            LearningGrade::from_code(p.grade)
                .is_some_and(|g| matches!(g, LearningGrade::Effective | LearningGrade::Promising))
        })
        .collect();
    let did_not_work: Vec<PointView> = found
        .iter()
        .filter(|p| p.grade == LearningGrade::Ineffective.code())
        .cloned()
        .collect();
    // A review's own words on what did not work, when none of its points on the theme is
    // graded so already.
    let notes = reviews
        .iter()
        .filter(|(d, _)| !did_not_work.iter().any(|p| p.review.id == d.common.id))
        .flat_map(|(d, _)| {
            let body = ctx
                .input
                .docs
                .iter()
                .find(|p| p.doc.common.id == d.common.id)
                .map_or("", |p| p.body);
            crate::markdown::section_items(body, "What did not work")
                .into_iter()
                .take(NOTES_PER_REVIEW)
                .map(|text| Note {
                    text,
                    review: review_link(d),
                })
                .collect::<Vec<_>>()
        })
        .take(NOTES)
        .collect();
    let mut actions: Vec<Action> = reviews
        .iter()
        .flat_map(|(d, r)| {
            r.recommendations
                .iter()
                .filter(|x| {
                    matches!(
                        x.status,
                        RecommendationStatus::Open | RecommendationStatus::InProgress
                    )
                })
                .map(|x| Action {
                    id: x.id.clone(),
                    text: x.text.clone(),
                    owner: ctx.label(VocabName::Agencies, &x.owner),
                    due: x.due.long(),
                    due_month: x.due.to_string(),
                    status: x.status.label(),
                    overdue: x.overdue,
                    review: review_link(d),
                })
        })
        .collect();
    actions.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(a.due_month.cmp(&b.due_month))
    });
    let more_actions = actions.len().saturating_sub(ACTIONS);
    actions.truncate(ACTIONS);
    // Agency notes of the agencies that led these investigations or own the actions listed.
    let owners: Vec<&str> = reviews
        .iter()
        .flat_map(|(_, r)| {
            r.recommendations
                .iter()
                .filter(|x| actions.iter().any(|a| a.id == x.id && a.text == x.text))
                .map(|x| x.owner.as_str())
        })
        .collect();
    let mut agencies: Vec<Link> = reviews
        .iter()
        .map(|(_, r)| r.lead_agency.as_str())
        .chain(owners)
        .filter_map(|code| {
            ctx.input.docs.iter().find_map(|p| match &p.doc.data {
                KindData::AgencyPowers(a) if a.agency == code => Some(Link {
                    id: p.doc.common.id.clone(),
                    title: a.name.clone(),
                    url: Kind::AgencyPowers.url(&p.doc.common.id),
                }),
                _ => None,
            })
        })
        .collect();
    agencies.sort_by(|a, b| crate::model::words::by_name(&a.title, &b.title));
    agencies.dedup_by(|a, b| a.id == b.id);
    let shown = docs.iter().copied();
    Briefing {
        theme: code.to_owned(),
        label: ctx.label(VocabName::Themes, code),
        summary: term.and_then(|t| t.summary.clone()),
        reach: Reach {
            reviews: reviews.len(),
            thematic: reviews
                .iter()
                .filter(|(_, r)| r.review_type == ReviewType::Thematic)
                .count(),
            victims: counted
                .iter()
                .map(|(_, r)| u64::from(r.victims.total))
                .sum(),
            by_area: by_area
                .into_iter()
                .map(|(label, count)| Count { label, count })
                .collect(),
            by_year: by_year
                .into_iter()
                .map(|(y, count)| Count {
                    label: y.to_string(),
                    count,
                })
                .collect(),
        },
        found,
        works,
        did_not_work,
        notes,
        actions,
        more_actions,
        questions: term.map(|t| t.questions.clone()).unwrap_or_default(),
        reviews: reviews.iter().map(|(d, _)| review_link(d)).collect(),
        related: theme_related(ctx, code),
        agencies,
        ceiling: ctx.input.ceiling.to_string(),
        marking: ctx.marking_of(shown).to_string(),
        commit: ctx.input.commit.chars().take(7).collect(),
        date: ctx.input.today.to_string(),
        base_url: ctx.input.base_url.trim_end_matches('/').to_owned(),
    }
}

/// Every theme's briefing, as a page and its JSON, for the themes the published reviews use.
pub(super) fn briefings(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let mut codes: Vec<&str> = ctx
        .input
        .docs
        .iter()
        .filter_map(|p| match &p.doc.data {
            KindData::CaseReview(r) => Some(r.themes.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let pages: Vec<Vec<(String, Vec<u8>)>> = {
        use rayon::prelude::*;
        codes
            .par_iter()
            .map(|code| {
                let b = briefing(ctx, code);
                let marking =
                    crate::model::Marking::from_code(&b.marking).unwrap_or(ctx.input.ceiling);
                let base = format!("themes/{code}/briefing/");
                let path = format!("{base}index.html");
                let page = ctx.render_at(
                    &path,
                    "briefing.html",
                    marking,
                    minijinja::context! { b => minijinja::value::Serde(&b), theme_url => theme_url(code) },
                )?;
                let json = (
                    format!("{base}briefing.json"),
                    serde_json::to_vec_pretty(&b).unwrap_or_default(),
                );
                Ok(page.map(|page| (path, page)).into_iter().chain([json]).collect())
            })
            .collect::<Result<_, RenderError>>()?
    };
    out.extend(pages.into_iter().flatten());
    Ok(())
}
