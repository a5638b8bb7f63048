//! The orders' figures and tables: records, applications, orders made and the people subject
//! to them, counted apart; records by year, status and area; orders made by type;
//! applications by applicant; breaches and what followed them.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::document::{Document, KindData, NO_DATE};
use crate::model::enums::{Closed, OrderStatus};
use crate::model::order_record::{Breach, OrderRecord};
use crate::model::vocab::{VocabName, Vocabulary};

use super::{Cell, Counter, Figure, Relation, Shape, Statistics, Table, reporting_area};

const RECORDS: &str = "order-records";
const APPLICATIONS: &str = "applications";
const MADE: &str = "orders-made";
const PEOPLE: &str = "people-subject-to-an-order";
const BREACHES: &str = "breaches";

/// One proceeding: an order record and the interim orders made pending it (an interim
/// record whose `application` names it), or an interim record on its own.
struct Proceeding<'a> {
    /// The full order's record when the proceeding has one, else its first record.
    main: &'a OrderRecord,
    records: Vec<&'a OrderRecord>,
}

impl Proceeding<'_> {
    /// An application was made: on application (not on sentencing), and not only considered.
    fn applied(&self) -> bool {
        self.records.iter().any(|r| {
            r.basis.on_application() && r.order_status != OrderStatus::ConsideredNotPursued
        })
    }

    /// The order that was made, the full one before an interim one.
    fn made(&self) -> Option<&OrderRecord> {
        let made = |r: &&&OrderRecord| r.order_status.is_made();
        let full = self
            .records
            .iter()
            .filter(made)
            .find(|r| !r.order_type.is_interim());
        full.or_else(|| self.records.iter().find(made)).copied()
    }
}

/// The proceedings of the published records: an interim order joins the record of its main
/// application when that record is published too.
fn proceedings<'a>(orders: &[(&'a str, &'a OrderRecord)]) -> Vec<Proceeding<'a>> {
    let ids: BTreeSet<&str> = orders.iter().map(|(id, _)| *id).collect();
    let mut groups: BTreeMap<&str, Vec<&OrderRecord>> = BTreeMap::new();
    for (id, o) in orders {
        let key = o
            .application
            .as_deref()
            .filter(|main| o.order_type.is_interim() && ids.contains(main))
            .unwrap_or(id);
        groups.entry(key).or_default().push(o);
    }
    groups
        .into_values()
        .filter_map(|records| {
            let main = records
                .iter()
                .find(|r| !r.order_type.is_interim())
                .or(records.first())
                .copied()?;
            Some(Proceeding { main, records })
        })
        .collect()
}

/// The people subject to a made order: distinct subject keys, and one person for each made
/// proceeding whose records give no key.
fn people(made: &[&Proceeding<'_>]) -> u64 {
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    let mut unkeyed = 0;
    for p in made {
        let mut any = false;
        for key in p.records.iter().filter_map(|r| r.subject_key()) {
            keys.insert(key);
            any = true;
        }
        unkeyed += u64::from(!any);
    }
    keys.len() as u64 + unkeyed
}

pub(super) fn add(stats: &mut Statistics, docs: &[&Document], vocab: &Vocabulary) {
    let orders: Vec<(&str, &OrderRecord)> = docs
        .iter()
        .filter_map(|d| match &d.data {
            KindData::OrderRecord(o) => Some((d.common.id.as_str(), o.as_ref())),
            _ => None,
        })
        .collect();
    let proceedings = proceedings(&orders);
    let applied: Vec<&Proceeding<'_>> = proceedings.iter().filter(|p| p.applied()).collect();
    let made: Vec<&Proceeding<'_>> = proceedings.iter().filter(|p| p.made().is_some()).collect();
    let breaches: u64 = orders.iter().map(|(_, o)| o.breaches.len() as u64).sum();
    let figure = |id, one, label, value| Figure {
        id,
        label,
        one,
        value,
    };
    stats.figures.extend([
        figure(
            RECORDS,
            "order record",
            "order records",
            orders.len() as u64,
        ),
        figure(
            APPLICATIONS,
            "application for an order",
            "applications for an order",
            applied.len() as u64,
        ),
        figure(MADE, "order made", "orders made", made.len() as u64),
        figure(
            PEOPLE,
            "person subject to an order",
            "people subject to an order",
            people(&made),
        ),
        figure(BREACHES, "breach recorded", "breaches recorded", breaches),
    ]);
    let records: Vec<&OrderRecord> = orders.iter().map(|(_, o)| *o).collect();
    tables(stats, &records, &applied, &made, vocab);
    relations(stats);
}

/// What a table counts one of, and the rows one of them adds to.
#[derive(Clone, Copy)]
enum Count {
    /// Order records.
    Record(fn(&OrderRecord, &Vocabulary) -> Vec<String>),
    /// Applications (proceedings applied for).
    Application(fn(&Proceeding<'_>) -> Vec<String>),
    /// Orders made (proceedings with an order made).
    Made(fn(&Proceeding<'_>) -> Vec<String>),
    /// Breaches.
    Breach(fn(&Breach, &Vocabulary) -> Vec<String>),
}

/// One table of the orders' statistics: what it is, and what it counts. The tables are this
/// list; one loop per kind of thing counted fills them.
struct Definition {
    id: &'static str,
    title: &'static str,
    category: &'static str,
    measure: &'static str,
    shape: Shape,
    population: &'static str,
    note: Option<&'static str>,
    count: Count,
    /// Rows in the order a record moves through (applied … ended) rather than by name.
    in_status_order: bool,
}

/// What a breach breached, in words; none when the record names neither.
fn breached(b: &Breach, vocab: &Vocabulary) -> Option<String> {
    match (&b.prohibition, b.requirement) {
        (Some(p), _) => Some(format!(
            "Prohibition: {}",
            vocab.label(VocabName::Prohibitions, p)
        )),
        (None, Some(r)) => Some(format!("Requirement: {}", r.label())),
        (None, None) => None,
    }
}

const DEFINITIONS: &[Definition] = &[
    Definition {
        id: "orders-by-year",
        title: "Order records by year",
        category: "Year",
        measure: "Order records",
        shape: Shape::Partition,
        population: RECORDS,
        note: Some(
            "A record is dated by the month the order was made, else decided, else applied for.",
        ),
        count: Count::Record(|o, _| {
            vec![o.date().map_or(NO_DATE.to_owned(), |m| m.year.to_string())]
        }),
        in_status_order: false,
    },
    Definition {
        id: "orders-by-status",
        title: "Order records by where they stand",
        category: "Where it stands",
        measure: "Order records",
        shape: Shape::Partition,
        population: RECORDS,
        note: Some(
            "Every record, including orders considered and not pursued; an interim order and the full order on the same application are two records.",
        ),
        count: Count::Record(|o, _| vec![o.order_status.label().to_owned()]),
        in_status_order: true,
    },
    Definition {
        id: "orders-by-area",
        title: "Order records by reporting area",
        category: "Reporting area",
        measure: "Order records",
        shape: Shape::Overlapping,
        population: RECORDS,
        note: Some("A record covering several areas counts once in each."),
        count: Count::Record(|o, vocab| {
            let areas: BTreeSet<String> =
                o.areas.iter().map(|a| reporting_area(vocab, a)).collect();
            areas.into_iter().collect()
        }),
        in_status_order: false,
    },
    Definition {
        id: "orders-made-by-type",
        title: "Orders made, by type",
        category: "Order type",
        measure: "Orders made",
        shape: Shape::Partition,
        population: MADE,
        note: Some(
            "An interim order and the full order made on the same application count once, as the full order; an interim order counts on its own while no full order has been made.",
        ),
        count: Count::Made(|p| {
            p.made()
                .map(|o| o.order_type.label().to_owned())
                .into_iter()
                .collect()
        }),
        in_status_order: false,
    },
    Definition {
        id: "applications-by-applicant",
        title: "Applications by applicant",
        category: "Applicant",
        measure: "Applications",
        shape: Shape::Partition,
        population: APPLICATIONS,
        note: Some(
            "Orders made on sentencing (s14) are not applied for, and orders only considered were never applied for; an interim order and its main application are one application.",
        ),
        count: Count::Application(|p| {
            vec![
                p.main
                    .applicant
                    .map_or("Not recorded", |a| a.label())
                    .to_owned(),
            ]
        }),
        in_status_order: false,
    },
    Definition {
        id: "breaches-by-kind",
        title: "Breaches by what was breached",
        category: "What was breached",
        measure: "Breaches",
        shape: Shape::Partition,
        population: BREACHES,
        note: None,
        count: Count::Breach(|b, vocab| breached(b, vocab).into_iter().collect()),
        in_status_order: false,
    },
    Definition {
        id: "breaches-by-action",
        title: "What followed a breach",
        category: "What followed",
        measure: "Breaches",
        shape: Shape::Partition,
        population: BREACHES,
        note: Some("After a charge under s30, how the charge ended, or that it awaits trial."),
        count: Count::Breach(|b, vocab| {
            breached(b, vocab)
                .map(|_| b.what_followed())
                .into_iter()
                .collect()
        }),
        in_status_order: false,
    },
];

/// Every table of `DEFINITIONS`, each counted over what it counts.
fn tables(
    stats: &mut Statistics,
    records: &[&OrderRecord],
    applied: &[&Proceeding<'_>],
    made: &[&Proceeding<'_>],
    vocab: &Vocabulary,
) {
    for d in DEFINITIONS {
        let mut counter = Counter::default();
        let mut add = |rows: Vec<String>| rows.into_iter().for_each(|r| counter.add(r));
        match d.count {
            Count::Record(f) => records.iter().for_each(|o| add(f(o, vocab))),
            Count::Application(f) => applied.iter().for_each(|p| add(f(p))),
            Count::Made(f) => made.iter().for_each(|p| add(f(p))),
            Count::Breach(f) => records
                .iter()
                .flat_map(|o| &o.breaches)
                .for_each(|b| add(f(b, vocab))),
        }
        let mut rows = counter.rows();
        if d.in_status_order {
            let order: Vec<&str> = OrderStatus::CODES
                .iter()
                .filter_map(|c| OrderStatus::label_of(c))
                .collect();
            rows.sort_by_key(|(l, _)| order.iter().position(|s| s == l));
        }
        stats.tables.push(Table {
            id: d.id,
            title: d.title,
            category: d.category,
            measure: d.measure,
            rows,
            shape: d.shape,
            population: Some(d.population),
            note: d.note,
            orders: true,
        });
    }
}

/// What the orders' figures and the records by status tell about each other: nothing only
/// considered was applied for, every order made has a record in a made status, there are no
/// more applications than records and no more people than orders made.
fn relations(stats: &mut Statistics) {
    let status_rows: Vec<String> = stats
        .tables
        .iter()
        .find(|t| t.id == "orders-by-status")
        .map(|t| t.rows.iter().map(|(l, _)| l.clone()).collect())
        .unwrap_or_default();
    let made_rows: Vec<Cell> = status_rows
        .iter()
        .filter(|l| {
            OrderStatus::CODES
                .iter()
                .filter_map(|c| OrderStatus::from_code(c))
                .any(|s| s.is_made() && s.label() == l.as_str())
        })
        .map(|l| Cell::Row("orders-by-status", l.clone()))
        .collect();
    let considered = OrderStatus::ConsideredNotPursued.label();
    if status_rows.iter().any(|l| l == considered) {
        // Nothing only considered was applied for.
        stats.relations.push(Relation::le(
            vec![
                Cell::Figure(APPLICATIONS),
                Cell::Row("orders-by-status", considered.to_owned()),
            ],
            vec![Cell::Figure(RECORDS)],
        ));
    }
    // Every order made has at least one record in a made status.
    stats
        .relations
        .push(Relation::le(vec![Cell::Figure(MADE)], made_rows));
    stats.relations.extend([
        Relation::le(
            vec![Cell::Figure(APPLICATIONS)],
            vec![Cell::Figure(RECORDS)],
        ),
        Relation::le(vec![Cell::Figure(PEOPLE)], vec![Cell::Figure(MADE)]),
    ]);
}
