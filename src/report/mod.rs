//! The partnership's periodic report (`casebook report`): what a quarter, a year or any run of
//! months added and changed, for one audience. It compares the knowledge base as it stood at
//! the period's start with how it stood at its end — the last commit before each edge on the
//! first-parent history, each checked like any build — and never reads commit messages.
//!
//! What it holds: the reviews published in the period with their graded learning, the reviews
//! revised; recommendations made, done, due and overdue; orders made, refused, expiring and
//! breached; the period's figures beside the previous period's; and the partner infographic
//! of the documents dated in the period. For `public`, lists of documents give way to counts
//! and every count passes the disclosure control of the statistics (1–5, audited).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::error::{ReportError, Result};
use crate::load::{Repo, Source};
use crate::model::enums::{Closed, OrderStatus, RecommendationStatus};
use crate::model::stats::{Audience, Figure, Statistics};
use crate::model::{Date, Document, KindData, Marking, Month, VocabName, Vocabulary};
use crate::pipeline::check::{self, Checked};

mod figures;
mod lists;
mod period;
#[cfg(test)]
mod tests;

use figures::*;
pub(crate) use period::Period;

/// A review in a report, with its graded learning.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReviewEntry {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Review date.
    pub date: String,
    /// The learning themes, as labels.
    pub themes: Vec<String>,
    /// The graded points.
    pub points: Vec<PointEntry>,
    /// What changed, for a revised review.
    pub what: Option<String>,
}

/// A learning point in a report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PointEntry {
    /// The grade's code.
    pub grade: &'static str,
    /// The grade in words.
    pub grade_label: &'static str,
    /// The point.
    pub text: String,
    /// What shows it.
    pub evidence: Option<String>,
    /// Its themes, as labels (what a `public` report groups it by).
    pub themes: Vec<String>,
}

/// A recommendation in a report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecEntry {
    /// The review that makes it.
    pub review: String,
    /// `R1`…
    pub id: String,
    /// What should be done.
    pub text: String,
    /// The owning agency, by name.
    pub owner: String,
    /// Due month, `YYYY-MM`.
    pub due: String,
    /// Progress, in words.
    pub status: &'static str,
}

/// An order in a report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OrderEntry {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// The month that puts it in the list (made, decided, expires, breached).
    pub month: String,
    /// For a breach, what was breached and what followed.
    pub detail: Option<String>,
}

/// One of the period's figures beside the previous period's.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Compared {
    /// What is counted.
    pub label: &'static str,
    /// In the period, as released.
    pub now: String,
    /// In the previous period, as released.
    pub before: String,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    /// The period, in words.
    pub period: String,
    /// The period before it, in words.
    pub previous: String,
    /// Who it is for (`internal`, `partners`, `public`).
    pub audience: &'static str,
    /// The same, in words.
    pub audience_words: String,
    /// The edition it draws on.
    pub ceiling: String,
    /// Its protective marking: the edition's.
    pub marking: String,
    /// The site's address: links in a file to send are absolute.
    pub base_url: String,
    /// True for `public`: lists give way to counts, counts pass disclosure control.
    pub public: bool,
    /// The commit of the period's start state (short), if the repository had one.
    pub start_commit: Option<String>,
    /// The commit of its end state (short).
    pub end_commit: Option<String>,
    /// When the report was made.
    pub made: String,
    /// Reviews published in the period.
    pub new_reviews: Vec<ReviewEntry>,
    /// Reviews revised in it.
    pub revised_reviews: Vec<ReviewEntry>,
    /// For `public`: the period's learning by grade, without the reviews.
    pub learning: Vec<PointEntry>,
    /// Recommendations made in the period.
    pub recommendations_made: Vec<RecEntry>,
    /// Recommendations done in it.
    pub recommendations_done: Vec<RecEntry>,
    /// Recommendations falling due in it.
    pub recommendations_due: Vec<RecEntry>,
    /// Recommendations open or in progress after their due month, at its end.
    pub recommendations_overdue: Vec<RecEntry>,
    /// Orders made in the period.
    pub orders_made: Vec<OrderEntry>,
    /// Orders refused in it.
    pub orders_refused: Vec<OrderEntry>,
    /// Orders whose end falls in it.
    pub orders_expiring: Vec<OrderEntry>,
    /// Breaches recorded in it.
    pub breaches: Vec<OrderEntry>,
    /// The period's figures beside the previous period's.
    pub figures: Vec<Compared>,
    /// The disclosure rule, for `public`.
    pub rule: &'static str,
    /// The partner infographic of the documents dated in the period.
    pub infographic: crate::model::stats::infographic::Infographic,
}

/// The documents a report of `ceiling` reads: published, at or below it.
fn shown(checked: &Checked, ceiling: Marking) -> Vec<&Document> {
    checked
        .corpus
        .documents
        .iter()
        .filter(|d| d.common.status.is_published() && d.common.marking <= ceiling)
        .collect()
}

/// The state of the knowledge base at `edge` (the last first-parent commit before it), checked.
fn state_at(
    repo: &Repo,
    config: &Config,
    edge: i64,
    today: Date,
) -> Result<Option<(String, Checked)>> {
    let Some(id) = repo.commit_before(edge)? else {
        return Ok(None);
    };
    let checked = check::check(repo, &Source::Revision(id.clone()), config, today)?;
    Ok(Some((id, checked)))
}

/// Makes the report of `period` for `audience`, from the repository's history up to `HEAD`.
pub(crate) fn report(
    repo: &Repo,
    config: &Config,
    period: Period,
    audience: Audience,
    today: Date,
) -> Result<Report> {
    let ceiling = match audience {
        Audience::Internal => config.ceiling(),
        Audience::Partners | Audience::Public => Marking::Official,
    };
    let (start, end) = period.edges();
    if start > today_edge(today) {
        return Err(ReportError::NotStarted(period.words()).into());
    }
    let before = state_at(repo, config, start, today)?;
    let after = state_at(repo, config, end, today)?;
    let Some((end_id, end_state)) = after else {
        return Err(ReportError::NothingBefore(period.words()).into());
    };
    let vocab = &end_state.corpus.vocabulary;
    let now = shown(&end_state, ceiling);
    let then: Vec<&Document> = before
        .as_ref()
        .map(|(_, c)| shown(c, ceiling))
        .unwrap_or_default();
    let public = audience == Audience::Public;

    let (new_reviews, revised_reviews) = lists::reviews(&now, &then, vocab);

    let recs = lists::recommendations(&now, &then, vocab, period);

    let orders = lists::orders(&now, vocab, period);

    // The period's figures beside the previous period's, as released to the audience.
    let previous = period.previous();
    let before_previous = state_at(repo, config, previous.edges().0, today)?;
    let then_previous: Vec<&Document> = before_previous
        .as_ref()
        .map(|(_, c)| shown(c, ceiling))
        .unwrap_or_default();
    let counts = |state_end: &[&Document], state_start: &[&Document], p: Period| {
        counts_of(state_end, state_start, p)
    };
    let this = counts(&now, &then, period);
    let last = counts(&then, &then_previous, previous);
    let comparison = compare(&this, &last, audience);

    // The infographic of the documents dated in the period.
    let dated: Vec<&Document> = now
        .iter()
        .copied()
        .filter(|d| match &d.data {
            KindData::CaseReview(r) => period.contains(r.review_date.month()),
            KindData::OrderRecord(o) => o.date().is_some_and(|m| period.contains(m)),
            KindData::AgencyPowers(_) => false,
        })
        .collect();
    let published = Statistics::compute(&dated, vocab).disclose(audience);
    // A release whose audit could not prove every hidden count safe is never made.
    if published.audit.as_ref().is_some_and(|a| !a.passed) {
        return Err(ReportError::AuditFailed.into());
    }
    let audience_words = match audience {
        Audience::Internal => format!(
            "for the partnership's own readers ({} edition): exact counts",
            ceiling
        ),
        Audience::Partners => "for partner agencies (OFFICIAL edition): exact counts".to_owned(),
        Audience::Public => {
            "for the public (OFFICIAL edition), with small numbers hidden".to_owned()
        }
    };
    let infographic = crate::model::stats::infographic::infographic(
        &published,
        &format!(
            "of the documents dated in {}, {audience_words}",
            period.words()
        ),
    );
    // The public report keeps each lesson but not its evidence: the evidence tells what happened
    // in one case (who was convicted, what a visit found), which a public reader could match to
    // a press report; the partners' and internal editions give it beside the review's id.
    let mut learning: Vec<PointEntry> = new_reviews
        .iter()
        .flat_map(|r| r.points.iter().cloned())
        .map(|p| PointEntry {
            evidence: None,
            ..p
        })
        .collect();
    learning.sort_by_key(|p| {
        crate::model::enums::LearningGrade::from_code(p.grade).map_or(9, |g| g.rank())
    });
    let short = |id: &str| id.chars().take(7).collect::<String>();
    Ok(Report {
        period: period.words(),
        previous: previous.words(),
        audience: audience.code(),
        audience_words,
        ceiling: ceiling.to_string(),
        marking: ceiling.to_string(),
        base_url: config.base_url.trim_end_matches('/').to_owned(),
        public,
        start_commit: before.as_ref().map(|(id, _)| short(id)),
        end_commit: Some(short(&end_id)),
        made: today.to_string(),
        learning: if public { learning } else { Vec::new() },
        new_reviews: unless(public, new_reviews),
        revised_reviews: unless(public, revised_reviews),
        recommendations_made: unless(public, recs.made),
        recommendations_done: unless(public, recs.done),
        recommendations_due: unless(public, recs.due),
        recommendations_overdue: unless(public, recs.overdue),
        orders_made: unless(public, orders.made),
        orders_refused: unless(public, orders.refused),
        orders_expiring: unless(public, orders.expiring),
        breaches: unless(public, orders.breaches),
        figures: comparison.0,
        rule: comparison.1,
        infographic,
    })
}

/// `list`, unless the report is public: a public report lists no document.
fn unless<T>(public: bool, list: Vec<T>) -> Vec<T> {
    if public { Vec::new() } else { list }
}

/// The first moment after `today`.
fn today_edge(today: Date) -> i64 {
    chrono::NaiveDate::from_ymd_opt(today.year(), today.month().month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(i64::MAX, |t| t.and_utc().timestamp())
}

fn point(vocab: &Vocabulary, p: &crate::model::case_review::LearningPoint) -> PointEntry {
    PointEntry {
        grade: p.grade.code(),
        grade_label: p.grade.label(),
        text: p.text.clone(),
        evidence: p.evidence.clone(),
        themes: p
            .themes
            .iter()
            .map(|t| vocab.label(VocabName::Themes, t).to_owned())
            .collect(),
    }
}

/// What changed between two published versions of a review, from the document: its status,
/// its learning, its recommendations, the rest of its fields; none when nothing did.
fn revised(old: &Document, new: &Document) -> Option<String> {
    let (KindData::CaseReview(a), KindData::CaseReview(b)) = (&old.data, &new.data) else {
        return None;
    };
    let mut parts = Vec::new();
    if old.common.status != new.common.status {
        parts.push(format!("now {}", new.common.status.label().to_lowercase()));
    }
    if serde_json::to_value(&a.learning).ok() != serde_json::to_value(&b.learning).ok() {
        parts.push("its learning".to_owned());
    }
    if serde_json::to_value(&a.recommendations).ok()
        != serde_json::to_value(&b.recommendations).ok()
    {
        parts.push("its recommendations".to_owned());
    }
    let rest = |r: &crate::model::case_review::CaseReview| {
        let mut v = serde_json::to_value(r).unwrap_or_default();
        if let Some(m) = v.as_object_mut() {
            m.remove("learning");
            m.remove("recommendations");
        }
        v
    };
    if rest(a) != rest(b) || old.common.title != new.common.title {
        parts.push("its details".to_owned());
    }
    (!parts.is_empty()).then(|| format!("revised: {}", parts.join(", ")))
}

impl Report {
    /// The report as a page with the site's frame (marking banners top and bottom), marked
    /// `marking`.
    pub(crate) fn page(
        &self,
        overrides: &[(String, String)],
        title: &str,
        marking: Marking,
    ) -> std::result::Result<String, crate::render::RenderError> {
        let (short_title, title_lead) = crate::render::short_title(title);
        let site = minijinja::context! {
            title, short_title, title_lead, root => "/", ceiling => self.ceiling.clone(),
        };
        crate::render::render_template(
            "report.html",
            overrides,
            minijinja::context! {
                site, page_marking => marking.to_string(),
                r => minijinja::value::Serde(self),
                info => minijinja::value::Serde(&self.infographic),
            },
        )
    }

    /// The report as markdown.
    pub(crate) fn markdown(
        &self,
        overrides: &[(String, String)],
    ) -> std::result::Result<String, crate::render::RenderError> {
        crate::render::render_template(
            "report.md",
            overrides,
            minijinja::context! { r => minijinja::value::Serde(self) },
        )
    }
}
