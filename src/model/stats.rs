//! The partnership's statistics as one typed result, computed from the documents a build
//! publishes and used by the statistics page, its CSV files, the orders register's charts,
//! `/api/stats` and `casebook stats` alike.
//!
//! What is counted:
//! - **Reviews of individual cases**: every published case review except thematic reviews
//!   (which aggregate many records) and except a superseded review whose successor is
//!   published (its case is counted once, through the successor).
//! - **Victims in reviewed cases**: the victims of those reviews only; the records a thematic
//!   review covers are reported on their own line.
//! - A table whose categories overlap (a review can cover several areas) says so, and has no
//!   total; a table whose categories partition what it counts has one.
//!
//! Small numbers (`disclose`): at OFFICIAL a count from 1 to 5 is shown as `1-5`; where that
//! would leave a single hidden count in a table with a total, the next smallest count is
//! hidden too, so no hidden count can be worked out by subtracting the others from the total.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::case_review::CaseReview;
use super::document::{Document, KindData, NO_DATE};
use super::enums::{Closed, OrderStatus, ReviewType, Status};
use super::order_record::OrderRecord;
use super::vocab::{VocabName, Vocabulary};

/// The statistics of a set of published documents, before any small-number rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistics {
    /// The headline figures.
    pub figures: Vec<Figure>,
    /// Every table, in page order.
    pub tables: Vec<Table>,
}

/// One headline figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Stable id (`individual-reviews`).
    pub id: &'static str,
    /// What it counts, in words.
    pub label: &'static str,
    /// The count.
    pub value: u64,
}

/// One table of counts by category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Stable id, also the CSV file's name (`reviews-by-reporting-area`).
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What the rows are ("Reporting area").
    pub category: &'static str,
    /// What is counted ("Case reviews").
    pub measure: &'static str,
    /// Category label and count, in display order.
    pub rows: Vec<(String, u64)>,
    /// The total, when the categories partition what is counted (each item in exactly one
    /// row); none when they overlap.
    pub total: Option<u64>,
    /// What a reader needs to know to read the table.
    pub note: Option<&'static str>,
    /// Where the table belongs: the statistics page, or the orders register as well.
    pub orders: bool,
}

/// A case review counted in the statistics: reviews of individual cases, each case once.
pub fn counted_reviews<'a>(docs: &[&'a Document]) -> Vec<(&'a Document, &'a CaseReview)> {
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
        .filter(|(d, _)| !has_published_successor(d, &reviews))
        .copied()
        .collect()
}

/// A superseded review whose case is counted through a published successor: a review, not
/// superseded itself, that names it in `related`.
fn has_published_successor(d: &Document, reviews: &[(&Document, &CaseReview)]) -> bool {
    d.common.status == Status::Superseded
        && reviews.iter().any(|(other, _)| {
            other.common.status != Status::Superseded && other.common.related.contains(&d.common.id)
        })
}

impl Statistics {
    /// The statistics of `docs`, the documents a build publishes.
    pub fn compute(docs: &[&Document], vocab: &Vocabulary) -> Statistics {
        let counted = counted_reviews(docs);
        let thematic: Vec<&CaseReview> = docs
            .iter()
            .filter_map(|d| match &d.data {
                KindData::CaseReview(r) if r.review_type == ReviewType::Thematic => {
                    Some(r.as_ref())
                }
                _ => None,
            })
            .collect();
        let orders: Vec<&OrderRecord> = docs
            .iter()
            .filter_map(|d| match &d.data {
                KindData::OrderRecord(o) => Some(o.as_ref()),
                _ => None,
            })
            .collect();
        let breaches: u64 = orders.iter().map(|o| o.breaches.len() as u64).sum();
        let figures = vec![
            Figure {
                id: "individual-reviews",
                label: "reviews of individual cases",
                value: counted.len() as u64,
            },
            Figure {
                id: "victims",
                label: "victims in the cases reviewed",
                value: counted
                    .iter()
                    .map(|(_, r)| u64::from(r.victims.total))
                    .sum(),
            },
            Figure {
                id: "thematic-reviews",
                label: "thematic reviews",
                value: thematic.len() as u64,
            },
            Figure {
                id: "thematic-records",
                label: "records covered by thematic reviews",
                value: thematic.iter().map(|r| u64::from(r.victims.total)).sum(),
            },
            Figure {
                id: "orders",
                label: "order records",
                value: orders.len() as u64,
            },
            Figure {
                id: "orders-made",
                label: "orders made",
                value: orders.iter().filter(|o| o.order_status.is_made()).count() as u64,
            },
            Figure {
                id: "breaches",
                label: "breaches recorded",
                value: breaches,
            },
        ];
        let reviews: Vec<&CaseReview> = counted.iter().map(|(_, r)| *r).collect();
        let mut tables = review_tables(&reviews, vocab);
        tables.extend(order_tables(&orders, vocab));
        Statistics { figures, tables }
    }
}

/// Counts of items by category, in label order.
#[derive(Default)]
struct Counter(BTreeMap<String, u64>);

impl Counter {
    fn add(&mut self, category: impl Into<String>) {
        *self.0.entry(category.into()).or_default() += 1;
    }

    fn add_n(&mut self, category: impl Into<String>, n: u64) {
        *self.0.entry(category.into()).or_default() += n;
    }

    fn rows(self) -> Vec<(String, u64)> {
        self.0.into_iter().collect()
    }
}

/// A reporting area's name, without qualifiers ("Hampshire", not "Hampshire (county-wide)").
fn reporting_area(vocab: &Vocabulary, area: &str) -> String {
    let reporting = vocab
        .get(VocabName::Areas, area)
        .and_then(|t| t.reporting_area.clone())
        .unwrap_or_else(|| area.to_owned());
    let label = vocab.label(VocabName::Areas, &reporting);
    label.split(" (").next().unwrap_or(label).to_owned()
}

/// The top-level exploitation type's label (county lines → criminal exploitation).
fn parent_type(vocab: &Vocabulary, code: &str) -> String {
    let parent = vocab
        .get(VocabName::Exploitation, code)
        .and_then(|t| t.parent.clone())
        .unwrap_or_else(|| code.to_owned());
    vocab.label(VocabName::Exploitation, &parent).to_owned()
}

fn review_tables(reviews: &[&CaseReview], vocab: &Vocabulary) -> Vec<Table> {
    let (mut by_area, mut by_type, mut by_year) =
        (Counter::default(), Counter::default(), Counter::default());
    let (mut outcomes, mut by_type_outcome, mut s45) =
        (Counter::default(), Counter::default(), Counter::default());
    let mut nrm = Counter::default();
    let mut with_nrm = 0;
    for r in reviews {
        let areas: BTreeSet<String> = r.areas.iter().map(|a| reporting_area(vocab, a)).collect();
        areas.into_iter().for_each(|a| by_area.add(a));
        let types: BTreeSet<String> = r
            .exploitation
            .iter()
            .map(|e| parent_type(vocab, e))
            .collect();
        let outcome = vocab.label(VocabName::Outcomes, &r.outcome).to_owned();
        for t in &types {
            by_type_outcome.add(format!("{t}: {outcome}"));
        }
        types.into_iter().for_each(|t| by_type.add(t));
        by_year.add(r.review_date.year().to_string());
        outcomes.add(outcome.clone());
        if r.themes.iter().any(|t| t == "s45-defence") {
            s45.add(outcome);
        }
        if let Some(n) = &r.nrm {
            with_nrm += 1;
            for (label, value) in [
                ("1. NRM referrals", n.referrals),
                ("2. Positive reasonable grounds decisions", n.positive_rg),
                ("3. Positive conclusive grounds decisions", n.positive_cg),
                ("4. Duty to notify (MS1) reports for adults", n.dtn_ms1),
                ("5. Adults who declined a referral", n.declined),
            ] {
                nrm.add_n(label, u64::from(value.unwrap_or(0)));
            }
        }
    }
    let total = reviews.len() as u64;
    let s45_total: u64 = s45.0.values().sum();
    vec![
        Table {
            id: "reviews-by-reporting-area",
            title: "Case reviews by reporting area",
            category: "Reporting area",
            measure: "Case reviews",
            rows: by_area.rows(),
            total: None,
            note: Some(
                "A review covering several areas counts once in each, so the rows add up to more than the number of reviews.",
            ),
            orders: false,
        },
        Table {
            id: "reviews-by-exploitation",
            title: "Case reviews by exploitation type",
            category: "Exploitation type",
            measure: "Case reviews",
            rows: by_type.rows(),
            total: None,
            note: Some(
                "A review of a case with several types of exploitation counts once in each.",
            ),
            orders: false,
        },
        Table {
            id: "reviews-by-year",
            title: "Case reviews by year of review",
            category: "Year of review",
            measure: "Case reviews",
            rows: by_year.rows(),
            total: Some(total),
            note: None,
            orders: false,
        },
        Table {
            id: "reviews-by-outcome",
            title: "Outcomes of the cases reviewed",
            category: "Outcome",
            measure: "Case reviews",
            rows: outcomes.rows(),
            total: Some(total),
            note: None,
            orders: false,
        },
        Table {
            id: "outcomes-by-exploitation",
            title: "Outcomes by exploitation type",
            category: "Exploitation type: outcome",
            measure: "Case reviews",
            rows: by_type_outcome.rows(),
            total: None,
            note: Some("A case with several types of exploitation counts under each."),
            orders: false,
        },
        Table {
            id: "nrm-decisions",
            title: "National Referral Mechanism in the cases reviewed",
            category: "Stage",
            measure: "People",
            rows: nrm
                .rows()
                .into_iter()
                .map(|(l, n)| (l[3..].to_owned(), n))
                .collect(),
            total: None,
            note: Some(if with_nrm == 0 {
                "No review records NRM figures."
            } else {
                "Each stage counts people from the reviews that record NRM figures; the stages are steps of one process, not parts of a whole."
            }),
            orders: false,
        },
        Table {
            id: "s45-defence-outcomes",
            title: "Outcomes where the s45 defence was a theme",
            category: "Outcome",
            measure: "Case reviews",
            rows: s45.rows(),
            total: Some(s45_total),
            note: Some(
                "Reviews whose learning themes include the s45 defence (Modern Slavery Act 2015).",
            ),
            orders: false,
        },
    ]
}

fn order_tables(orders: &[&OrderRecord], vocab: &Vocabulary) -> Vec<Table> {
    let (mut by_year, mut by_type, mut by_status, mut by_applicant, mut by_area) = (
        Counter::default(),
        Counter::default(),
        Counter::default(),
        Counter::default(),
        Counter::default(),
    );
    let (mut breach_kinds, mut breach_actions) = (Counter::default(), Counter::default());
    for o in orders {
        by_year.add(o.date().map_or(NO_DATE.to_owned(), |m| m.year.to_string()));
        by_type.add(o.order_type.label());
        by_status.add(o.order_status.label());
        by_applicant.add(
            o.applicant
                .map_or("None (made on sentencing)", |a| a.label()),
        );
        let areas: BTreeSet<String> = o.areas.iter().map(|a| reporting_area(vocab, a)).collect();
        areas.into_iter().for_each(|a| by_area.add(a));
        for b in &o.breaches {
            let kind = match (&b.prohibition, b.requirement) {
                (Some(p), _) => format!("Prohibition: {}", vocab.label(VocabName::Prohibitions, p)),
                (None, Some(r)) => format!("Requirement: {}", r.label()),
                (None, None) => continue,
            };
            breach_kinds.add(kind);
            breach_actions.add(b.action.label());
        }
    }
    let total = orders.len() as u64;
    let breaches: u64 = breach_kinds.0.values().sum();
    let status_order: Vec<&str> = OrderStatus::CODES
        .iter()
        .filter_map(|c| OrderStatus::label_of(c))
        .collect();
    let mut status_rows = by_status.rows();
    status_rows.sort_by_key(|(l, _)| status_order.iter().position(|s| s == l));
    vec![
        Table {
            id: "orders-by-year",
            title: "Orders by year",
            category: "Year",
            measure: "Orders",
            rows: by_year.rows(),
            total: Some(total),
            note: Some(
                "An order is dated by the month it was made, else decided, else applied for.",
            ),
            orders: true,
        },
        Table {
            id: "orders-by-type",
            title: "Orders by type",
            category: "Order type",
            measure: "Orders",
            rows: by_type.rows(),
            total: Some(total),
            note: None,
            orders: true,
        },
        Table {
            id: "orders-by-status",
            title: "Orders by where they stand",
            category: "Where it stands",
            measure: "Orders",
            rows: status_rows,
            total: Some(total),
            note: None,
            orders: true,
        },
        Table {
            id: "orders-by-applicant",
            title: "Orders by applicant",
            category: "Applicant",
            measure: "Orders",
            rows: by_applicant.rows(),
            total: Some(total),
            note: None,
            orders: true,
        },
        Table {
            id: "orders-by-area",
            title: "Orders by reporting area",
            category: "Reporting area",
            measure: "Orders",
            rows: by_area.rows(),
            total: None,
            note: Some("An order covering several areas counts once in each."),
            orders: true,
        },
        Table {
            id: "breaches-by-kind",
            title: "Breaches by what was breached",
            category: "What was breached",
            measure: "Breaches",
            rows: breach_kinds.rows(),
            total: Some(breaches),
            note: None,
            orders: true,
        },
        Table {
            id: "breaches-by-action",
            title: "What followed a breach",
            category: "What followed",
            measure: "Breaches",
            rows: breach_actions.rows(),
            total: Some(breaches),
            note: None,
            orders: true,
        },
    ]
}

/// Why a count is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Suppression {
    /// A count from 1 to 5.
    Primary,
    /// A larger count hidden so that a single hidden count cannot be worked out from a total.
    Secondary,
}

/// A count as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// What readers see: the count, or `1-5` / `hidden` when suppressed.
    pub value: String,
    /// Why it is hidden, if it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
    /// The exact count, for bar lengths (a hidden count is drawn as the largest it may be).
    #[serde(skip)]
    pub count: u64,
}

impl Shown {
    fn exact(n: u64) -> Shown {
        Shown {
            value: n.to_string(),
            suppressed: None,
            count: n,
        }
    }

    fn hidden(n: u64, why: Suppression) -> Shown {
        Shown {
            value: match why {
                Suppression::Primary => SMALL.to_owned(),
                Suppression::Secondary => "hidden".to_owned(),
            },
            suppressed: Some(why),
            count: n,
        }
    }
}

/// How a count of 1 to 5 is shown.
pub const SMALL: &str = "1-5";

/// The rule, as the statistics page states it.
pub const RULE: &str = "Counts from 1 to 5 are shown as 1-5. Where a table has a total and only one of its counts would be hidden, the next smallest count is hidden too (shown as \"hidden\"), so that no hidden count can be worked out by subtracting the others from the total.";

/// A table as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedTable {
    /// The table's fields.
    #[serde(flatten)]
    pub table: TableHead,
    /// Rows: category and count as shown.
    pub rows: Vec<PublishedRow>,
    /// The total as shown, when the table has one.
    pub total: Option<Shown>,
}

/// A table's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableHead {
    /// Stable id.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What the rows are.
    pub category: &'static str,
    /// What is counted.
    pub measure: &'static str,
    /// Reading note.
    pub note: Option<&'static str>,
    /// Shown on the orders register too.
    pub orders: bool,
    /// A document can count in more than one row.
    pub overlapping: bool,
}

/// One row as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedRow {
    /// The category's label.
    pub category: String,
    /// Its count as shown.
    #[serde(flatten)]
    pub count: Shown,
}

/// The statistics as published at a ceiling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    /// True when small numbers are hidden (an OFFICIAL edition).
    pub small_numbers_suppressed: bool,
    /// The rule applied, in words (empty when nothing is suppressed).
    pub rule: &'static str,
    /// Headline figures as shown.
    pub figures: Vec<PublishedFigure>,
    /// Tables as shown.
    pub charts: Vec<PublishedTable>,
}

/// A headline figure as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedFigure {
    /// Stable id.
    pub id: &'static str,
    /// What it counts.
    pub label: &'static str,
    /// Its value as shown.
    #[serde(flatten)]
    pub value: Shown,
}

impl Statistics {
    /// The statistics as published: exact, or with small numbers hidden when `suppress`.
    pub fn disclose(&self, suppress: bool) -> Published {
        let one = |n: u64| {
            if suppress && (1..=5).contains(&n) {
                Shown::hidden(n, Suppression::Primary)
            } else {
                Shown::exact(n)
            }
        };
        let figures = self
            .figures
            .iter()
            .map(|f| PublishedFigure {
                id: f.id,
                label: f.label,
                value: one(f.value),
            })
            .collect();
        let charts = self
            .tables
            .iter()
            .map(|t| {
                let mut cells: Vec<Shown> = t.rows.iter().map(|(_, n)| one(*n)).collect();
                let total = t.total.map(one);
                if suppress && total.as_ref().is_some_and(|t| t.suppressed.is_none()) {
                    secondary(&mut cells);
                }
                PublishedTable {
                    table: TableHead {
                        id: t.id,
                        title: t.title,
                        category: t.category,
                        measure: t.measure,
                        note: t.note,
                        orders: t.orders,
                        overlapping: t.total.is_none(),
                    },
                    rows: t
                        .rows
                        .iter()
                        .zip(cells)
                        .map(|((category, _), count)| PublishedRow {
                            category: category.clone(),
                            count,
                        })
                        .collect(),
                    total,
                }
            })
            .collect();
        Published {
            small_numbers_suppressed: suppress,
            rule: if suppress { RULE } else { "" },
            figures,
            charts,
        }
    }
}

/// Where exactly one count of a table with a shown total is hidden, hides the smallest other
/// non-zero count too.
fn secondary(cells: &mut [Shown]) {
    if cells.iter().filter(|c| c.suppressed.is_some()).count() != 1 {
        return;
    }
    let next = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.suppressed.is_none() && c.count > 0)
        .min_by_key(|(i, c)| (c.count, *i))
        .map(|(i, _)| i);
    if let Some(i) = next {
        cells[i] = Shown::hidden(cells[i].count, Suppression::Secondary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[u64], total: bool) -> Statistics {
        Statistics {
            figures: Vec::new(),
            tables: vec![Table {
                id: "t",
                title: "T",
                category: "C",
                measure: "M",
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (format!("r{i}"), *n))
                    .collect(),
                total: total.then(|| rows.iter().sum()),
                note: None,
                orders: false,
            }],
        }
    }

    fn shown(s: &Statistics) -> Vec<String> {
        let p = s.disclose(true);
        let mut out: Vec<String> = p.charts[0]
            .rows
            .iter()
            .map(|r| r.count.value.clone())
            .collect();
        if let Some(t) = &p.charts[0].total {
            out.push(format!("total {}", t.value));
        }
        out
    }

    /// A hidden count can be recovered from a shown total when it is the only one hidden.
    fn recoverable(s: &Statistics) -> bool {
        let p = s.disclose(true);
        let t = &p.charts[0];
        let Some(total) = t.total.as_ref().filter(|t| t.suppressed.is_none()) else {
            return false;
        };
        let hidden = t
            .rows
            .iter()
            .filter(|r| r.count.suppressed.is_some())
            .count();
        let shown: u64 = t
            .rows
            .iter()
            .filter(|r| r.count.suppressed.is_none())
            .map(|r| r.count.count)
            .sum();
        hidden == 1 && total.count >= shown
    }

    #[test]
    fn small_counts_are_hidden_only_at_official() {
        let s = table(&[12, 3, 0], false);
        assert_eq!(shown(&s), vec!["12", "1-5", "0"]);
        let exact: Vec<String> = s.disclose(false).charts[0]
            .rows
            .iter()
            .map(|r| r.count.value.clone())
            .collect();
        assert_eq!(exact, vec!["12", "3", "0"]);
    }

    #[test]
    fn a_single_hidden_count_under_a_total_hides_the_next_smallest() {
        let s = table(&[12, 3, 9, 0], true);
        assert_eq!(shown(&s), vec!["12", "1-5", "hidden", "0", "total 24"]);
        assert!(!recoverable(&s));
        // Two small counts already protect each other; nothing more is hidden.
        let s = table(&[12, 3, 2], true);
        assert_eq!(shown(&s), vec!["12", "1-5", "1-5", "total 17"]);
        // A small total hides itself, and so needs nothing else.
        let s = table(&[3, 0], true);
        assert_eq!(shown(&s), vec!["1-5", "0", "total 1-5"]);
        // Overlapping categories have no total to subtract from.
        let s = table(&[12, 3], false);
        assert_eq!(shown(&s), vec!["12", "1-5"]);
    }

    #[test]
    fn no_table_leaves_a_single_recoverable_count() {
        // Every table of up to four rows with counts 0..=8: none can be undone by subtraction.
        let values = 0..=8u64;
        for a in values.clone() {
            for b in values.clone() {
                for c in values.clone() {
                    for d in values.clone() {
                        let s = table(&[a, b, c, d], true);
                        assert!(!recoverable(&s), "{a} {b} {c} {d}: {:?}", shown(&s));
                    }
                }
            }
        }
    }
}
