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

/// A run of whole months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    /// First month.
    pub first: Month,
    /// Last month (inclusive).
    pub last: Month,
}

impl Period {
    /// Reads `2026-Q3`, `2026`, `2026-07` or `2026-07..2026-12`.
    pub(crate) fn parse(text: &str) -> std::result::Result<Period, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "`{text}` is not a period: write a quarter (2026-Q3), a year (2026), a month (2026-07) or a run of months (2026-07..2026-12)"
            )
        };
        if let Some((a, b)) = text.split_once("..") {
            let (first, last) = (Month::parse(a.trim()), Month::parse(b.trim()));
            return match (first, last) {
                (Some(f), Some(l)) if f <= l => Ok(Period { first: f, last: l }),
                (Some(_), Some(_)) => Err(format!(
                    "`{text}` ends before it starts: write the earlier month first"
                )),
                _ => Err(bad()),
            };
        }
        if let Some((y, q)) = text.split_once("-Q").or_else(|| text.split_once("-q")) {
            let year: i32 = y.parse().map_err(|_| bad())?;
            let q: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) || !(1990..=2999).contains(&year) {
                return Err(bad());
            }
            let first = Month {
                year,
                month: 3 * q - 2,
            };
            return Ok(Period {
                first,
                last: first.plus_months(2),
            });
        }
        if let Some(m) = Month::parse(text) {
            return Ok(Period { first: m, last: m });
        }
        match text.parse::<i32>() {
            Ok(year) if text.len() == 4 && (1990..=2999).contains(&year) => Ok(Period {
                first: Month { year, month: 1 },
                last: Month { year, month: 12 },
            }),
            _ => Err(bad()),
        }
    }

    /// How many months it holds.
    pub(crate) fn months(&self) -> i64 {
        (self.last.year as i64 - self.first.year as i64) * 12 + self.last.month as i64
            - self.first.month as i64
            + 1
    }

    /// The period of the same length just before it.
    pub(crate) fn previous(&self) -> Period {
        Period {
            first: self.first.plus_months(-self.months()),
            last: self.first.plus_months(-1),
        }
    }

    /// Whether `m` falls in it.
    pub(crate) fn contains(&self, m: Month) -> bool {
        self.first <= m && m <= self.last
    }

    /// Its start and its end as instants (seconds since 1970, UTC): the first moment of its
    /// first month, and the first moment after its last.
    pub(crate) fn edges(&self) -> (i64, i64) {
        let at = |m: Month| {
            chrono::NaiveDate::from_ymd_opt(m.year, m.month, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map_or(0, |t| t.and_utc().timestamp())
        };
        (at(self.first), at(self.last.plus_months(1)))
    }

    /// In words: "July to September 2026", "2026", "March 2026".
    pub(crate) fn words(&self) -> String {
        if self.first.month == 1 && self.last.month == 12 && self.first.year == self.last.year {
            return self.first.year.to_string();
        }
        if self.first == self.last {
            return self.first.long();
        }
        let first = self.first.long();
        let first = if self.first.year == self.last.year {
            first
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        } else {
            first
        };
        format!("{first} to {}", self.last.long())
    }
}

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
    let then_by_id: BTreeMap<&str, &Document> =
        then.iter().map(|d| (d.common.id.as_str(), *d)).collect();
    let public = audience == Audience::Public;

    // Reviews published in the period (in the end state, not the start), and revised ones.
    let mut new_reviews = Vec::new();
    let mut revised_reviews = Vec::new();
    for d in &now {
        let KindData::CaseReview(r) = &d.data else {
            continue;
        };
        let entry = |what: Option<String>| ReviewEntry {
            id: d.common.id.clone(),
            title: d.common.title.clone(),
            url: d.url(),
            date: r.review_date.to_string(),
            themes: r
                .themes
                .iter()
                .map(|t| vocab.label(VocabName::Themes, t).to_owned())
                .collect(),
            points: r.learning.iter().map(|p| point(vocab, p)).collect(),
            what,
        };
        match then_by_id.get(d.common.id.as_str()) {
            None => new_reviews.push(entry(None)),
            Some(old) => {
                if let Some(what) = revised(old, d) {
                    revised_reviews.push(entry(Some(what)));
                }
            }
        }
    }
    new_reviews.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));

    // Recommendations, by review and id.
    let recs = |docs: &[&Document]| -> BTreeMap<(String, String), RecEntry> {
        docs.iter()
            .filter_map(|d| match &d.data {
                KindData::CaseReview(r) => Some((d, r)),
                _ => None,
            })
            .flat_map(|(d, r)| {
                r.recommendations.iter().map(move |x| {
                    (
                        (d.common.id.clone(), x.id.clone()),
                        RecEntry {
                            review: d.common.id.clone(),
                            id: x.id.clone(),
                            text: x.text.clone(),
                            owner: vocab.label(VocabName::Agencies, &x.owner).to_owned(),
                            due: x.due.to_string(),
                            status: x.status.label(),
                        },
                    )
                })
            })
            .collect()
    };
    let recs_now = recs(&now);
    let recs_then = recs(&then);
    let done = RecommendationStatus::Done.label();
    let open = |s: &str| {
        s == RecommendationStatus::Open.label() || s == RecommendationStatus::InProgress.label()
    };
    let recommendations_made: Vec<RecEntry> = recs_now
        .iter()
        .filter(|(k, _)| !recs_then.contains_key(*k))
        .map(|(_, v)| v.clone())
        .collect();
    let recommendations_done: Vec<RecEntry> = recs_now
        .iter()
        .filter(|(k, v)| v.status == done && recs_then.get(*k).is_none_or(|o| o.status != done))
        .map(|(_, v)| v.clone())
        .collect();
    let due_in = |v: &RecEntry| Month::parse(&v.due).is_some_and(|m| period.contains(m));
    let recommendations_due: Vec<RecEntry> =
        recs_now.values().filter(|v| due_in(v)).cloned().collect();
    let recommendations_overdue: Vec<RecEntry> = recs_now
        .values()
        .filter(|v| open(v.status) && Month::parse(&v.due).is_some_and(|m| m <= period.last))
        .cloned()
        .collect();

    // Orders.
    let order_entry = |d: &Document, m: Month, detail: Option<String>| OrderEntry {
        id: d.common.id.clone(),
        title: d.common.title.clone(),
        url: d.url(),
        month: m.long(),
        detail,
    };
    let mut orders_made = Vec::new();
    let mut orders_refused = Vec::new();
    let mut orders_expiring = Vec::new();
    let mut breaches = Vec::new();
    for d in &now {
        let KindData::OrderRecord(o) = &d.data else {
            continue;
        };
        if let Some(m) = o.made.filter(|m| period.contains(*m)) {
            orders_made.push(order_entry(d, m, None));
        }
        if o.order_status == OrderStatus::Refused
            && let Some(m) = o.decided.filter(|m| period.contains(*m))
        {
            orders_refused.push(order_entry(d, m, None));
        }
        if let Some(m) = o.expiry().filter(|m| period.contains(*m)) {
            orders_expiring.push(order_entry(d, m, None));
        }
        for b in o.breaches.iter().filter(|b| period.contains(b.month)) {
            let what = match (&b.prohibition, b.requirement) {
                (Some(p), _) => vocab.label(VocabName::Prohibitions, p).to_owned(),
                (None, Some(r)) => r.label().to_owned(),
                (None, None) => String::new(),
            };
            breaches.push(order_entry(
                d,
                b.month,
                Some(format!("{what}: {}", b.what_followed())),
            ));
        }
    }

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
        new_reviews: if public { Vec::new() } else { new_reviews },
        revised_reviews: if public { Vec::new() } else { revised_reviews },
        recommendations_made: if public {
            Vec::new()
        } else {
            recommendations_made
        },
        recommendations_done: if public {
            Vec::new()
        } else {
            recommendations_done
        },
        recommendations_due: if public {
            Vec::new()
        } else {
            recommendations_due
        },
        recommendations_overdue: if public {
            Vec::new()
        } else {
            recommendations_overdue
        },
        orders_made: if public { Vec::new() } else { orders_made },
        orders_refused: if public { Vec::new() } else { orders_refused },
        orders_expiring: if public { Vec::new() } else { orders_expiring },
        breaches: if public { Vec::new() } else { breaches },
        figures: comparison.0,
        rule: comparison.1,
        infographic,
    })
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

/// The counts of one period: from its end state and its start state.
#[derive(Debug, Default)]
struct Counts {
    reviews: u64,
    victims: u64,
    points: u64,
    effective: u64,
    recommendations: u64,
    done: u64,
    orders: u64,
    breaches: u64,
}

fn counts_of(end: &[&Document], start: &[&Document], p: Period) -> Counts {
    let start_ids: std::collections::BTreeSet<&str> =
        start.iter().map(|d| d.common.id.as_str()).collect();
    let mut c = Counts::default();
    let start_recs: std::collections::BTreeSet<(String, String, bool)> = start
        .iter()
        .filter_map(|d| match &d.data {
            KindData::CaseReview(r) => Some((d, r)),
            _ => None,
        })
        .flat_map(|(d, r)| {
            r.recommendations.iter().map(move |x| {
                (
                    d.common.id.clone(),
                    x.id.clone(),
                    x.status == RecommendationStatus::Done,
                )
            })
        })
        .collect();
    for d in end {
        match &d.data {
            KindData::CaseReview(r) => {
                if !start_ids.contains(d.common.id.as_str()) {
                    c.reviews += 1;
                    c.victims += u64::from(r.victims.total);
                    c.points += r.learning.len() as u64;
                    c.effective += r
                        .learning
                        .iter()
                        .filter(|l| l.grade == crate::model::enums::LearningGrade::Effective)
                        .count() as u64;
                }
                for x in &r.recommendations {
                    let key_open = (d.common.id.clone(), x.id.clone(), false);
                    let key_done = (d.common.id.clone(), x.id.clone(), true);
                    if !start_recs.contains(&key_open) && !start_recs.contains(&key_done) {
                        c.recommendations += 1;
                    }
                    if x.status == RecommendationStatus::Done && !start_recs.contains(&key_done) {
                        c.done += 1;
                    }
                }
            }
            KindData::OrderRecord(o) => {
                c.orders += u64::from(o.made.is_some_and(|m| p.contains(m)));
                c.breaches += o.breaches.iter().filter(|b| p.contains(b.month)).count() as u64;
            }
            KindData::AgencyPowers(_) => {}
        }
    }
    c
}

/// The comparison as released to `audience`: for `public`, each count through the 1–5 rule
/// (the counts are independent, so no count can be worked out from the others).
fn compare(now: &Counts, before: &Counts, audience: Audience) -> (Vec<Compared>, &'static str) {
    let rows: [(&'static str, &'static str, &'static str, u64, u64); 8] = [
        (
            "reviews",
            "reviews-before",
            "Case reviews published",
            now.reviews,
            before.reviews,
        ),
        (
            "victims",
            "victims-before",
            "Victims in the cases they review",
            now.victims,
            before.victims,
        ),
        (
            "points",
            "points-before",
            "Learning points recorded",
            now.points,
            before.points,
        ),
        (
            "effective",
            "effective-before",
            "… graded effective",
            now.effective,
            before.effective,
        ),
        (
            "recs",
            "recs-before",
            "Recommendations made",
            now.recommendations,
            before.recommendations,
        ),
        (
            "done",
            "done-before",
            "Recommendations completed",
            now.done,
            before.done,
        ),
        (
            "orders",
            "orders-before",
            "Orders made",
            now.orders,
            before.orders,
        ),
        (
            "breaches",
            "breaches-before",
            "Breaches of orders recorded",
            now.breaches,
            before.breaches,
        ),
    ];
    let figures: Vec<Figure> = rows
        .iter()
        .flat_map(|(a, b, label, x, y)| {
            [
                Figure {
                    id: a,
                    label,
                    one: label,
                    value: *x,
                },
                Figure {
                    id: b,
                    label,
                    one: label,
                    value: *y,
                },
            ]
        })
        .collect();
    let stats = Statistics {
        figures,
        tables: Vec::new(),
        relations: Vec::new(),
    };
    let published = stats.disclose(audience);
    let value = |id: &str| {
        published
            .figures
            .iter()
            .find(|f| f.id == id)
            .map_or_else(String::new, |f| f.value.value.clone())
    };
    (
        rows.iter()
            .map(|(a, b, label, _, _)| Compared {
                label,
                now: value(a),
                before: value(b),
            })
            .collect(),
        published.rule,
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month { year: y, month: mo }
    }

    #[test]
    fn periods_are_read_as_a_coordinator_writes_them() {
        let q = Period::parse("2026-Q3").expect("quarter");
        assert_eq!((q.first, q.last), (m(2026, 7), m(2026, 9)));
        assert_eq!(q.words(), "July to September 2026");
        assert_eq!(
            q.previous(),
            Period {
                first: m(2026, 4),
                last: m(2026, 6)
            }
        );
        let y = Period::parse("2026").expect("year");
        assert_eq!(
            (y.first, y.last, y.words()),
            (m(2026, 1), m(2026, 12), "2026".to_owned())
        );
        assert_eq!(y.previous().words(), "2025");
        let run = Period::parse("2025-11..2026-02").expect("run");
        assert_eq!(run.months(), 4);
        assert_eq!(run.words(), "November 2025 to February 2026");
        assert_eq!(
            run.previous(),
            Period {
                first: m(2025, 7),
                last: m(2025, 10)
            }
        );
        assert_eq!(
            Period::parse("2026-03").expect("month").words(),
            "March 2026"
        );
        let q1 = Period::parse("2026-Q1").expect("q1");
        assert_eq!(
            q1.previous(),
            Period {
                first: m(2025, 10),
                last: m(2025, 12)
            }
        );
        let (start, end) = q.edges();
        assert_eq!(end - start, 92 * 86_400, "July, August and September");
        for bad in [
            "2026-Q5",
            "Q3",
            "2026-13",
            "2026-09..2026-07",
            "26",
            "last quarter",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
