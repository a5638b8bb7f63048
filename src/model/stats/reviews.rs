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

/// The tallies of the reviews counted, one pass.
#[derive(Default)]
struct Tally {
    by_area: Counter,
    by_type: Counter,
    by_year: Counter,
    by_outcome: Counter,
    by_type_outcome: Counter,
    /// (type, outcome) of each cross-tabulated row.
    pairs: BTreeSet<(String, String)>,
    s45: Counter,
    nrm: Counter,
    with_nrm: usize,
}

fn tally(reviews: &[&CaseReview], vocab: &Vocabulary) -> Tally {
    let mut t = Tally::default();
    for r in reviews {
        let areas: BTreeSet<String> = r.areas.iter().map(|a| reporting_area(vocab, a)).collect();
        areas.into_iter().for_each(|a| t.by_area.add(a));
        let types: BTreeSet<String> = r
            .exploitation
            .iter()
            .map(|e| parent_type(vocab, e))
            .collect();
        let outcome = vocab.label(VocabName::Outcomes, &r.outcome).to_owned();
        for ty in &types {
            t.by_type_outcome.add(format!("{ty}: {outcome}"));
            t.pairs.insert((ty.clone(), outcome.clone()));
        }
        types.into_iter().for_each(|ty| t.by_type.add(ty));
        t.by_year.add(r.review_date.year().to_string());
        t.by_outcome.add(outcome.clone());
        if r.themes.iter().any(|th| th == "s45-defence") {
            t.s45.add(outcome);
        }
        if let Some(n) = &r.nrm {
            t.with_nrm += 1;
            for (label, value) in [
                (NRM_STAGES[0], n.referrals),
                (NRM_STAGES[1], n.positive_rg),
                (NRM_STAGES[2], n.positive_cg),
                (NRM_STAGES[3], n.dtn_ms1),
                (NRM_STAGES[4], n.declined),
            ] {
                t.nrm.add_n(label, u64::from(value.unwrap_or(0)));
            }
        }
    }
    t
}

/// The NRM table's rows, in the order of the process.
const NRM_STAGES: [&str; 5] = [
    "NRM referrals",
    "Positive reasonable grounds decisions",
    "Positive conclusive grounds decisions",
    "Duty to notify (MS1) reports for adults",
    "Adults who declined a referral",
];

fn table(
    id: &'static str,
    title: &'static str,
    category: &'static str,
    shape: Shape,
    rows: Vec<(String, u64)>,
    note: Option<&'static str>,
) -> Table {
    Table {
        id,
        title,
        category,
        measure: "Case reviews",
        rows,
        shape,
        population: Some(REVIEWS),
        note,
        orders: false,
    }
}

fn tables(stats: &mut Statistics, reviews: &[&CaseReview], vocab: &Vocabulary) {
    let t = tally(reviews, vocab);
    let pairs = t.pairs.clone();
    let s45_outcomes: Vec<String> = t.s45.0.keys().cloned().collect();
    let nrm_rows: Vec<(String, u64)> = NRM_STAGES
        .iter()
        .map(|s| (s.to_string(), t.nrm.0.get(*s).copied().unwrap_or(0)))
        .filter(|_| t.with_nrm > 0)
        .collect();
    stats.tables.extend([
        table(
            "reviews-by-reporting-area",
            "Case reviews by reporting area",
            "Reporting area",
            Shape::Overlapping,
            t.by_area.rows(),
            Some("A review covering several areas counts once in each, so the rows add up to more than the number of reviews."),
        ),
        table(
            "reviews-by-exploitation",
            "Case reviews by exploitation type",
            "Exploitation type",
            Shape::Overlapping,
            t.by_type.rows(),
            Some("A review of a case with several types of exploitation counts once in each."),
        ),
        table("reviews-by-year", "Case reviews by year of review", "Year of review", Shape::Partition, t.by_year.rows(), None),
        table("reviews-by-outcome", "Outcomes of the cases reviewed", "Outcome", Shape::Partition, t.by_outcome.rows(), None),
        Table {
            population: None,
            ..table(
                "outcomes-by-exploitation",
                "Outcomes by exploitation type",
                "Exploitation type: outcome",
                Shape::Separate,
                t.by_type_outcome.rows(),
                Some("A case with several types of exploitation counts under each."),
            )
        },
        Table {
            measure: "People",
            population: None,
            ..table(
                "nrm-decisions",
                "National Referral Mechanism in the cases reviewed",
                "Stage",
                Shape::Separate,
                nrm_rows,
                Some(if t.with_nrm == 0 {
                    "No review records NRM figures."
                } else {
                    "Each stage counts people from the reviews that record NRM figures; the stages are steps of one process, not parts of a whole."
                }),
            )
        },
        Table {
            population: None,
            ..table(
                "s45-defence-outcomes",
                "Case outcomes where the s45 defence was a learning theme",
                "Outcome of the case",
                Shape::Partition,
                t.s45.rows(),
                Some("The outcome of the case against the exploiters, not of any charge against the victims: in these reviews victims were arrested or charged before the s45 defence (Modern Slavery Act 2015) was considered."),
            )
        },
    ]);
    stats.tables.extend(profiles(reviews, vocab));
    stats
        .relations
        .extend(cross_relations(&pairs, &s45_outcomes));
}

/// Nationalities shown by name in a profile; the rest are one row.
const NATIONALITIES: usize = 8;

/// The profiles of the partner infographic: the victims by age, sex, nationality and
/// reporting area, and the perpetrators by nationality, role and organised crime. Each person
/// once (a partition of the victims or perpetrators counted, with "Not recorded" for what a
/// review does not give); roles and organised crime count reviews.
fn profiles(reviews: &[&CaseReview], vocab: &Vocabulary) -> Vec<Table> {
    const NOT_RECORDED: &str = "Not recorded";
    let mut age = [0u64; 3];
    let mut sex = [0u64; 3];
    let mut nationality = Counter::default();
    let mut area = Counter::default();
    let mut several = 0u64;
    let mut perpetrator_nationality = Counter::default();
    let mut roles = Counter::default();
    let mut ocg = [0u64; 3];
    for r in reviews {
        let v = &r.victims;
        let total = u64::from(v.total);
        let (adults, children) = (
            u64::from(v.adults.unwrap_or(0)),
            u64::from(v.children.unwrap_or(0)),
        );
        age[0] += adults;
        age[1] += children;
        age[2] += total.saturating_sub(adults + children);
        let (female, male) = (
            u64::from(v.female.unwrap_or(0)),
            u64::from(v.male.unwrap_or(0)),
        );
        sex[0] += female;
        sex[1] += male;
        sex[2] += total.saturating_sub(female + male);
        let known: u64 = v.nationalities.values().map(|n| u64::from(*n)).sum();
        for (code, n) in &v.nationalities {
            nationality.add_n(crate::model::countries::name(code), u64::from(*n));
        }
        nationality.add_n(NOT_RECORDED, total.saturating_sub(known));
        let areas: BTreeSet<String> = r.areas.iter().map(|a| reporting_area(vocab, a)).collect();
        match areas.len() {
            1 => area.add_n(areas.into_iter().next().unwrap_or_default(), total),
            _ => several += total,
        }
        let p = &r.perpetrators;
        let known: u64 = p.nationalities.values().map(|n| u64::from(*n)).sum();
        for (code, n) in &p.nationalities {
            perpetrator_nationality.add_n(crate::model::countries::name(code), u64::from(*n));
        }
        perpetrator_nationality.add_n(NOT_RECORDED, u64::from(p.total).saturating_sub(known));
        let distinct: BTreeSet<&str> = p.roles.iter().map(|role| role.label()).collect();
        distinct.into_iter().for_each(|role| roles.add(role));
        ocg[match p.ocg {
            Some(true) => 0,
            Some(false) => 1,
            None => 2,
        }] += 1;
    }
    let fixed = |labels: [&str; 3], counts: [u64; 3]| -> Vec<(String, u64)> {
        labels
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(l, n)| ((*l).to_owned(), n))
            .collect()
    };
    let mut area_rows: Vec<(String, u64)> =
        area.rows().into_iter().filter(|(_, n)| *n > 0).collect();
    if several > 0 {
        area_rows.push(("Several areas".to_owned(), several));
    }
    let people = |id, title, category, measure, rows, population, note| Table {
        id,
        title,
        category,
        measure,
        rows,
        shape: Shape::Partition,
        population: Some(population),
        note,
        orders: false,
    };
    vec![
        people(
            "victims-by-age",
            "Victims by age",
            "Age",
            "Victims",
            fixed(["Adults", "Children", NOT_RECORDED], age),
            "victims",
            Some("Children are victims under 18 when the exploitation happened."),
        ),
        people(
            "victims-by-sex",
            "Victims by sex",
            "Sex",
            "Victims",
            fixed(["Female", "Male", NOT_RECORDED], sex),
            "victims",
            None,
        ),
        people(
            "victims-by-nationality",
            "Victims by nationality",
            "Nationality",
            "Victims",
            ranked(nationality, NOT_RECORDED),
            "victims",
            Some("The most frequent nationalities by name; the others together."),
        ),
        people(
            "victims-by-reporting-area",
            "Victims by reporting area",
            "Reporting area",
            "Victims",
            area_rows,
            "victims",
            Some(
                "Victims of a case in one reporting area count there; a case across several areas counts once, under several areas.",
            ),
        ),
        people(
            "perpetrators-by-nationality",
            "Perpetrators by nationality",
            "Nationality",
            "Perpetrators",
            ranked(perpetrator_nationality, NOT_RECORDED),
            "perpetrators",
            Some("The most frequent nationalities by name; the others together."),
        ),
        table(
            "perpetrator-roles",
            "Roles the perpetrators played",
            "Role",
            Shape::Overlapping,
            roles.rows(),
            Some(
                "Case reviews in which a perpetrator had the role: a review with several roles counts under each.",
            ),
        ),
        table(
            "organised-crime",
            "Organised crime groups in the cases reviewed",
            "Organised crime group",
            Shape::Partition,
            fixed(["Involved", "Not involved", NOT_RECORDED], ocg),
            None,
        ),
    ]
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
