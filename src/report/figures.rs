//! The period's figures beside the previous period's: counted from each period's end and
//! start states, and for `public` passed through the disclosure rule.

use super::*;

/// The counts of one period: from its end state and its start state.
#[derive(Debug, Default)]
pub(super) struct Counts {
    reviews: u64,
    victims: u64,
    points: u64,
    effective: u64,
    recommendations: u64,
    done: u64,
    orders: u64,
    breaches: u64,
}

pub(super) fn counts_of(end: &[&Document], start: &[&Document], p: Period) -> Counts {
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
pub(super) fn compare(
    now: &Counts,
    before: &Counts,
    audience: Audience,
) -> (Vec<Compared>, &'static str) {
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
