//! What the period added and changed, as lists: the reviews published and revised, the
//! recommendations made, completed, falling due and overdue, and the orders made, refused,
//! ending and breached.

use super::*;

/// The reviews published in the period (in the end state `now`, not the start state `then`),
/// newest first, and the reviews revised in it.
pub(super) fn reviews(
    now: &[&Document],
    then: &[&Document],
    vocab: &Vocabulary,
) -> (Vec<ReviewEntry>, Vec<ReviewEntry>) {
    let then_by_id: BTreeMap<&str, &Document> =
        then.iter().map(|d| (d.common.id.as_str(), *d)).collect();
    let mut new_reviews = Vec::new();
    let mut revised_reviews = Vec::new();
    for d in now {
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
    (new_reviews, revised_reviews)
}

/// The period's recommendations, each list by review and id.
pub(super) struct Recommendations {
    pub(super) made: Vec<RecEntry>,
    pub(super) done: Vec<RecEntry>,
    pub(super) due: Vec<RecEntry>,
    pub(super) overdue: Vec<RecEntry>,
}

/// The recommendations made in the period (in `now`, not in `then`), completed in it, falling
/// due in it, and overdue at its end.
pub(super) fn recommendations(
    now: &[&Document],
    then: &[&Document],
    vocab: &Vocabulary,
    period: Period,
) -> Recommendations {
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
    let recs_now = recs(now);
    let recs_then = recs(then);
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
    Recommendations {
        made: recommendations_made,
        done: recommendations_done,
        due: recommendations_due,
        overdue: recommendations_overdue,
    }
}

/// The period's orders.
pub(super) struct Orders {
    pub(super) made: Vec<OrderEntry>,
    pub(super) refused: Vec<OrderEntry>,
    pub(super) expiring: Vec<OrderEntry>,
    pub(super) breaches: Vec<OrderEntry>,
}

/// The orders made, refused and ending in the period, and the breaches recorded in it.
pub(super) fn orders(now: &[&Document], vocab: &Vocabulary, period: Period) -> Orders {
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
    for d in now {
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
    Orders {
        made: orders_made,
        refused: orders_refused,
        expiring: orders_expiring,
        breaches,
    }
}
