//! The case reviews' figures and tables: reviews of individual cases (the newest of each
//! chain), their victims, areas, exploitation types, years, outcomes and NRM funnel, and the
//! thematic reviews on their own lines.

use std::collections::BTreeSet;

use crate::model::case_review::CaseReview;
use crate::model::document::{Document, KindData};
use crate::model::enums::{Closed, ReviewType, Status};
use crate::model::vocab::{VocabName, Vocabulary};

use super::{
    Cell, Counter, Figure, Relation, Shape, Statistics, Table, parent_type, reporting_area,
};

mod tables;

use tables::{NATIONALITIES, NRM_STAGES, tables};

/// The figure every review table counts.
const REVIEWS: &str = "individual-reviews";

/// A case review counted in the statistics: reviews of individual cases, each case once.
pub(crate) fn counted_reviews<'a>(docs: &[&'a Document]) -> Vec<(&'a Document, &'a CaseReview)> {
    let reviews: Vec<(&Document, &CaseReview)> = docs
        .iter()
        .filter_map(|d| match &d.data {
            KindData::CaseReview(r) => Some((*d, r.as_ref())),
            _ => None,
        })
        .collect();
    reviews
        .iter()
        .filter(|(_, r)| r.review_type != ReviewType::Thematic)
        .filter(|(d, _)| !has_later_review(d, &reviews))
        .copied()
        .collect()
}

/// A superseded review whose case is counted through a later review: another published review
/// names it in `related`. A chain A → B → C counts only C, whether B is superseded or not.
fn has_later_review(d: &Document, reviews: &[(&Document, &CaseReview)]) -> bool {
    d.common.status == Status::Superseded
        && reviews.iter().any(|(other, _)| {
            other.common.id != d.common.id && other.common.related.contains(&d.common.id)
        })
}

pub(super) fn add(stats: &mut Statistics, docs: &[&Document], vocab: &Vocabulary) {
    let counted = counted_reviews(docs);
    let thematic: Vec<&CaseReview> = docs
        .iter()
        .filter_map(|d| match &d.data {
            KindData::CaseReview(r) if r.review_type == ReviewType::Thematic => Some(r.as_ref()),
            _ => None,
        })
        .collect();
    let figure = |id, one, label, value| Figure {
        id,
        label,
        one,
        value,
    };
    stats.figures.extend([
        figure(
            REVIEWS,
            "review of an individual case",
            "reviews of individual cases",
            counted.len() as u64,
        ),
        figure(
            "victims",
            "victim in the cases reviewed",
            "victims in the cases reviewed",
            counted
                .iter()
                .map(|(_, r)| u64::from(r.victims.total))
                .sum(),
        ),
        figure(
            "perpetrators",
            "perpetrator in the cases reviewed",
            "perpetrators in the cases reviewed",
            counted
                .iter()
                .map(|(_, r)| u64::from(r.perpetrators.total))
                .sum(),
        ),
        figure(
            "thematic-reviews",
            "thematic review",
            "thematic reviews",
            thematic.len() as u64,
        ),
        figure(
            "thematic-potential-victims",
            "potential victim identified by thematic reviews",
            "potential victims identified by thematic reviews",
            thematic.iter().map(|r| u64::from(r.victims.total)).sum(),
        ),
    ]);
    let reviews: Vec<&CaseReview> = counted.iter().map(|(_, r)| *r).collect();
    tables(stats, &reviews, vocab);
}

/// A count's rows, the largest first (then by name), the first `NATIONALITIES` by name and
/// the rest as "Other nationalities", with `last` (not recorded) at the end.
fn ranked(counter: Counter, last: &str) -> Vec<(String, u64)> {
    let unrecorded = counter.0.get(last).copied().unwrap_or(0);
    let mut rows: Vec<(String, u64)> = counter
        .rows()
        .into_iter()
        .filter(|(c, n)| *n > 0 && c != last)
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<(String, u64)> = rows.iter().take(NATIONALITIES).cloned().collect();
    let other: u64 = rows.iter().skip(NATIONALITIES).map(|(_, n)| n).sum();
    if other > 0 {
        out.push(("Other nationalities".to_owned(), other));
    }
    if unrecorded > 0 {
        out.push((last.to_owned(), unrecorded));
    }
    out
}

/// What the cross-tabulation, the NRM funnel and the s45 table tell about the other tables:
/// each review of a type has one outcome (so a type's row is the sum of its outcomes), a
/// cross row is at most its outcome's count, and each review has at least one type; a later
/// NRM stage is at most the earlier one; s45 reviews are some of the reviews, and each of its
/// outcomes at most that outcome's count.
fn cross_relations(pairs: &BTreeSet<(String, String)>, s45: &[String]) -> Vec<Relation> {
    let cross = |ty: &str, o: &str| Cell::Row("outcomes-by-exploitation", format!("{ty}: {o}"));
    let outcome = |o: &str| Cell::Row("reviews-by-outcome", o.to_owned());
    let mut out = Vec::new();
    let types: BTreeSet<&String> = pairs.iter().map(|(t, _)| t).collect();
    let outcomes: BTreeSet<&String> = pairs.iter().map(|(_, o)| o).collect();
    for ty in &types {
        let cells = pairs
            .iter()
            .filter(|(t, _)| t == *ty)
            .map(|(t, o)| cross(t, o))
            .collect();
        out.push(Relation::eq(
            cells,
            vec![Cell::Row("reviews-by-exploitation", (*ty).clone())],
        ));
    }
    for o in &outcomes {
        let cells: Vec<Cell> = pairs
            .iter()
            .filter(|(_, x)| x == *o)
            .map(|(t, x)| cross(t, x))
            .collect();
        for c in &cells {
            out.push(Relation::le(vec![c.clone()], vec![outcome(o)]));
        }
        out.push(Relation::le(vec![outcome(o)], cells));
    }
    let stage = |i: usize| Cell::Row("nrm-decisions", NRM_STAGES[i].to_owned());
    out.push(Relation::le(vec![stage(1)], vec![stage(0)]));
    out.push(Relation::le(vec![stage(2)], vec![stage(1)]));
    out.push(Relation::le(
        vec![Cell::Total("s45-defence-outcomes")],
        vec![Cell::Figure(REVIEWS)],
    ));
    for o in s45 {
        out.push(Relation::le(
            vec![Cell::Row("s45-defence-outcomes", o.clone())],
            vec![outcome(o)],
        ));
    }
    out
}
