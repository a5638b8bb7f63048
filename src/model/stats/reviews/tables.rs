//! The case reviews' tables as a list of definitions (what each counts, how its rows are
//! ordered), counted in one pass over the reviews: a new table is one entry.

use std::collections::BTreeSet;

use super::*;

/// Rows no review gives a value for.
const NOT_RECORDED: &str = "Not recorded";

/// The NRM table's rows, in the order of the process.
pub(super) const NRM_STAGES: [&str; 5] = [
    "NRM referrals",
    "Positive reasonable grounds decisions",
    "Positive conclusive grounds decisions",
    "Duty to notify (MS1) reports for adults",
    "Adults who declined a referral",
];

/// How a table's rows are ordered once every review is counted.
#[derive(Clone, Copy)]
enum Rows {
    /// By name.
    ByName,
    /// These rows in this order; a row nothing was counted under is left out.
    Fixed(&'static [&'static str]),
    /// The stages of a process, each shown, when any review gave figures for it.
    Stages(&'static [&'static str]),
    /// The largest first, `NATIONALITIES` by name and the others together, "Not recorded" last.
    Ranked,
    /// By name with this row last; a row nothing was counted under is left out.
    Last(&'static str),
}

/// One table of the case reviews' statistics: what it is, and what one review adds to it. The
/// tables are this list; one loop counts every review into every table.
struct Definition {
    id: &'static str,
    title: &'static str,
    category: &'static str,
    measure: &'static str,
    shape: Shape,
    population: Option<&'static str>,
    note: Option<&'static str>,
    /// The note instead, when no review gave the table a row.
    empty_note: Option<&'static str>,
    rows: Rows,
    /// The rows one review adds to, and by how much.
    count: fn(&CaseReview, &Vocabulary) -> Vec<(String, u64)>,
}

/// Each of `rows` once, counting one.
fn once(rows: impl IntoIterator<Item = String>) -> Vec<(String, u64)> {
    let distinct: BTreeSet<String> = rows.into_iter().collect();
    distinct.into_iter().map(|r| (r, 1)).collect()
}

fn areas(r: &CaseReview, vocab: &Vocabulary) -> BTreeSet<String> {
    r.areas.iter().map(|a| reporting_area(vocab, a)).collect()
}

fn types(r: &CaseReview, vocab: &Vocabulary) -> BTreeSet<String> {
    r.exploitation
        .iter()
        .map(|e| parent_type(vocab, e))
        .collect()
}

fn outcome(r: &CaseReview, vocab: &Vocabulary) -> String {
    vocab.label(VocabName::Outcomes, &r.outcome).to_owned()
}

/// People by nationality, and those whose nationality is not recorded.
fn nationalities(
    known: &std::collections::BTreeMap<String, u32>,
    total: u32,
) -> Vec<(String, u64)> {
    let named: u64 = known.values().map(|n| u64::from(*n)).sum();
    known
        .iter()
        .map(|(code, n)| (crate::model::countries::name(code), u64::from(*n)))
        .chain([(
            NOT_RECORDED.to_owned(),
            u64::from(total).saturating_sub(named),
        )])
        .collect()
}

/// Three counts of one review's people under fixed rows: the two recorded, the rest not.
fn split(
    first: Option<u32>,
    second: Option<u32>,
    total: u32,
    labels: [&str; 2],
) -> Vec<(String, u64)> {
    let (a, b) = (
        u64::from(first.unwrap_or(0)),
        u64::from(second.unwrap_or(0)),
    );
    vec![
        (labels[0].to_owned(), a),
        (labels[1].to_owned(), b),
        (
            NOT_RECORDED.to_owned(),
            u64::from(total).saturating_sub(a + b),
        ),
    ]
}

const DEFINITIONS: &[Definition] = &[
    Definition {
        id: "reviews-by-reporting-area",
        title: "Case reviews by reporting area",
        category: "Reporting area",
        measure: "Case reviews",
        shape: Shape::Overlapping,
        population: Some(REVIEWS),
        note: Some(
            "A review covering several areas counts once in each, so the rows add up to more than the number of reviews.",
        ),
        empty_note: None,
        rows: Rows::ByName,
        count: |r, v| once(areas(r, v)),
    },
    Definition {
        id: "reviews-by-exploitation",
        title: "Case reviews by exploitation type",
        category: "Exploitation type",
        measure: "Case reviews",
        shape: Shape::Overlapping,
        population: Some(REVIEWS),
        note: Some("A review of a case with several types of exploitation counts once in each."),
        empty_note: None,
        rows: Rows::ByName,
        count: |r, v| once(types(r, v)),
    },
    Definition {
        id: "reviews-by-year",
        title: "Case reviews by year of review",
        category: "Year of review",
        measure: "Case reviews",
        shape: Shape::Partition,
        population: Some(REVIEWS),
        note: None,
        empty_note: None,
        rows: Rows::ByName,
        count: |r, _| once([r.review_date.year().to_string()]),
    },
    Definition {
        id: "reviews-by-outcome",
        title: "Outcomes of the cases reviewed",
        category: "Outcome",
        measure: "Case reviews",
        shape: Shape::Partition,
        population: Some(REVIEWS),
        note: None,
        empty_note: None,
        rows: Rows::ByName,
        count: |r, v| once([outcome(r, v)]),
    },
    Definition {
        id: "outcomes-by-exploitation",
        title: "Outcomes by exploitation type",
        category: "Exploitation type: outcome",
        measure: "Case reviews",
        shape: Shape::Separate,
        population: None,
        note: Some("A case with several types of exploitation counts under each."),
        empty_note: None,
        rows: Rows::ByName,
        count: |r, v| {
            let o = outcome(r, v);
            once(types(r, v).into_iter().map(|ty| format!("{ty}: {o}")))
        },
    },
    Definition {
        id: "nrm-decisions",
        title: "National Referral Mechanism in the cases reviewed",
        category: "Stage",
        measure: "People",
        shape: Shape::Separate,
        population: None,
        note: Some(
            "Each stage counts people from the reviews that record NRM figures; the stages are steps of one process, not parts of a whole.",
        ),
        empty_note: Some("No review records NRM figures."),
        rows: Rows::Stages(&NRM_STAGES),
        count: |r, _| match &r.nrm {
            Some(n) => [
                n.referrals,
                n.positive_rg,
                n.positive_cg,
                n.dtn_ms1,
                n.declined,
            ]
            .into_iter()
            .zip(NRM_STAGES)
            .map(|(value, stage)| (stage.to_owned(), u64::from(value.unwrap_or(0))))
            .collect(),
            None => Vec::new(),
        },
    },
    Definition {
        id: "s45-defence-outcomes",
        title: "Case outcomes where the s45 defence was a learning theme",
        category: "Outcome of the case",
        measure: "Case reviews",
        shape: Shape::Partition,
        population: None,
        note: Some(
            "The outcome of the case against the exploiters, not of any charge against the victims: in these reviews victims were arrested or charged before the s45 defence (Modern Slavery Act 2015) was considered.",
        ),
        empty_note: None,
        rows: Rows::ByName,
        count: |r, v| {
            if r.themes.iter().any(|th| th == "s45-defence") {
                once([outcome(r, v)])
            } else {
                Vec::new()
            }
        },
    },
    // The profiles of the partner infographic: each victim or perpetrator once (a partition,
    // with "Not recorded" for what a review does not give); roles and organised crime count
    // reviews.
    Definition {
        id: "victims-by-age",
        title: "Victims by age",
        category: "Age",
        measure: "Victims",
        shape: Shape::Partition,
        population: Some("victims"),
        note: Some("Children are victims under 18 when the exploitation happened."),
        empty_note: None,
        rows: Rows::Fixed(&["Adults", "Children", NOT_RECORDED]),
        count: |r, _| {
            let v = &r.victims;
            split(v.adults, v.children, v.total, ["Adults", "Children"])
        },
    },
    Definition {
        id: "victims-by-sex",
        title: "Victims by sex",
        category: "Sex",
        measure: "Victims",
        shape: Shape::Partition,
        population: Some("victims"),
        note: None,
        empty_note: None,
        rows: Rows::Fixed(&["Female", "Male", NOT_RECORDED]),
        count: |r, _| {
            let v = &r.victims;
            split(v.female, v.male, v.total, ["Female", "Male"])
        },
    },
    Definition {
        id: "victims-by-nationality",
        title: "Victims by nationality",
        category: "Nationality",
        measure: "Victims",
        shape: Shape::Partition,
        population: Some("victims"),
        note: Some("The most frequent nationalities by name; the others together."),
        empty_note: None,
        rows: Rows::Ranked,
        count: |r, _| nationalities(&r.victims.nationalities, r.victims.total),
    },
    Definition {
        id: "victims-by-reporting-area",
        title: "Victims by reporting area",
        category: "Reporting area",
        measure: "Victims",
        shape: Shape::Partition,
        population: Some("victims"),
        note: Some(
            "Victims of a case in one reporting area count there; a case across several areas counts once, under several areas.",
        ),
        empty_note: None,
        rows: Rows::Last("Several areas"),
        count: |r, v| {
            let areas = areas(r, v);
            let row = match areas.len() {
                1 => areas.into_iter().next().unwrap_or_default(),
                _ => "Several areas".to_owned(),
            };
            vec![(row, u64::from(r.victims.total))]
        },
    },
    Definition {
        id: "perpetrators-by-nationality",
        title: "Perpetrators by nationality",
        category: "Nationality",
        measure: "Perpetrators",
        shape: Shape::Partition,
        population: Some("perpetrators"),
        note: Some("The most frequent nationalities by name; the others together."),
        empty_note: None,
        rows: Rows::Ranked,
        count: |r, _| nationalities(&r.perpetrators.nationalities, r.perpetrators.total),
    },
    Definition {
        id: "perpetrator-roles",
        title: "Roles the perpetrators played",
        category: "Role",
        measure: "Case reviews",
        shape: Shape::Overlapping,
        population: Some(REVIEWS),
        note: Some(
            "Case reviews in which a perpetrator had the role: a review with several roles counts under each.",
        ),
        empty_note: None,
        rows: Rows::ByName,
        count: |r, _| {
            once(
                r.perpetrators
                    .roles
                    .iter()
                    .map(|role| role.label().to_owned()),
            )
        },
    },
    Definition {
        id: "organised-crime",
        title: "Organised crime groups in the cases reviewed",
        category: "Organised crime group",
        measure: "Case reviews",
        shape: Shape::Partition,
        population: Some(REVIEWS),
        note: None,
        empty_note: None,
        rows: Rows::Fixed(&["Involved", "Not involved", NOT_RECORDED]),
        count: |r, _| {
            let row = match r.perpetrators.ocg {
                Some(true) => "Involved",
                Some(false) => "Not involved",
                None => NOT_RECORDED,
            };
            vec![(row.to_owned(), 1)]
        },
    },
];

/// Every table of `DEFINITIONS`, counted in one pass over the reviews, and the relations
/// between them.
pub(super) fn tables(stats: &mut Statistics, reviews: &[&CaseReview], vocab: &Vocabulary) {
    let mut counters: Vec<Counter> = DEFINITIONS.iter().map(|_| Counter::default()).collect();
    for r in reviews {
        for (d, counter) in DEFINITIONS.iter().zip(&mut counters) {
            for (row, n) in (d.count)(r, vocab) {
                counter.add_n(row, n);
            }
        }
    }
    for (d, counter) in DEFINITIONS.iter().zip(counters) {
        let in_order = |order: &[&str]| -> Vec<(String, u64)> {
            order
                .iter()
                .map(|l| ((*l).to_owned(), counter.0.get(*l).copied().unwrap_or(0)))
                .collect()
        };
        let rows = match d.rows {
            Rows::Fixed(order) => in_order(order)
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect(),
            Rows::Stages(order) if !counter.0.is_empty() => in_order(order),
            Rows::ByName => counter.rows(),
            Rows::Stages(_) => Vec::new(),
            Rows::Ranked => ranked(counter, NOT_RECORDED),
            Rows::Last(last) => {
                let at_end = counter.0.get(last).copied().unwrap_or(0);
                let mut rows: Vec<(String, u64)> = counter
                    .rows()
                    .into_iter()
                    .filter(|(c, n)| *n > 0 && c != last)
                    .collect();
                if at_end > 0 {
                    rows.push((last.to_owned(), at_end));
                }
                rows
            }
        };
        let note = match d.empty_note {
            Some(empty) if rows.is_empty() => Some(empty),
            _ => d.note,
        };
        stats.tables.push(Table {
            id: d.id,
            title: d.title,
            category: d.category,
            measure: d.measure,
            rows,
            shape: d.shape,
            population: d.population,
            note,
            orders: false,
        });
    }
    let mut pairs = BTreeSet::new();
    let mut s45 = BTreeSet::new();
    for r in reviews {
        let o = outcome(r, vocab);
        for ty in types(r, vocab) {
            pairs.insert((ty, o.clone()));
        }
        if r.themes.iter().any(|th| th == "s45-defence") {
            s45.insert(o);
        }
    }
    let s45: Vec<String> = s45.into_iter().collect();
    stats.relations.extend(cross_relations(&pairs, &s45));
}

/// Nationalities shown by name in a profile; the rest are one row.
pub(super) const NATIONALITIES: usize = 8;
