//! The orders' figures and tables: records, applications, orders made and the people subject
//! to them, counted apart; records by year, status and area; orders made by type;
//! applications by applicant; breaches and what followed them.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::document::{Document, KindData, NO_DATE};
use crate::model::enums::{Closed, OrderStatus};
use crate::model::order_record::OrderRecord;
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
    record_tables(stats, &records, vocab);
    proceeding_tables(stats, &applied, &made);
    breach_tables(stats, &records, vocab);
}

fn orders_table(
    id: &'static str,
    title: &'static str,
    category: &'static str,
    measure: &'static str,
    rows: Vec<(String, u64)>,
    population: &'static str,
    note: Option<&'static str>,
) -> Table {
    Table {
        id,
        title,
        category,
        measure,
        rows,
        shape: Shape::Partition,
        population: Some(population),
        note,
        orders: true,
    }
}

fn record_tables(stats: &mut Statistics, records: &[&OrderRecord], vocab: &Vocabulary) {
    let (mut by_year, mut by_status, mut by_area) =
        (Counter::default(), Counter::default(), Counter::default());
    for o in records {
        by_year.add(o.date().map_or(NO_DATE.to_owned(), |m| m.year.to_string()));
        by_status.add(o.order_status.label());
        let areas: BTreeSet<String> = o.areas.iter().map(|a| reporting_area(vocab, a)).collect();
        areas.into_iter().for_each(|a| by_area.add(a));
    }
    let order: Vec<&str> = OrderStatus::CODES
        .iter()
        .filter_map(|c| OrderStatus::label_of(c))
        .collect();
    let mut status_rows = by_status.rows();
    status_rows.sort_by_key(|(l, _)| order.iter().position(|s| s == l));
    let made_rows: Vec<Cell> = status_rows
        .iter()
        .filter(|(l, _)| {
            OrderStatus::CODES
                .iter()
                .filter_map(|c| OrderStatus::from_code(c))
                .any(|s| s.is_made() && s.label() == l)
        })
        .map(|(l, _)| Cell::Row("orders-by-status", l.clone()))
        .collect();
    let considered = OrderStatus::ConsideredNotPursued.label();
    if status_rows.iter().any(|(l, _)| l == considered) {
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
    stats.tables.extend([
        orders_table(
            "orders-by-year",
            "Order records by year",
            "Year",
            "Order records",
            by_year.rows(),
            RECORDS,
            Some("A record is dated by the month the order was made, else decided, else applied for."),
        ),
        orders_table(
            "orders-by-status",
            "Order records by where they stand",
            "Where it stands",
            "Order records",
            status_rows,
            RECORDS,
            Some("Every record, including orders considered and not pursued; an interim order and the full order on the same application are two records."),
        ),
        Table {
            shape: Shape::Overlapping,
            ..orders_table(
                "orders-by-area",
                "Order records by reporting area",
                "Reporting area",
                "Order records",
                by_area.rows(),
                RECORDS,
                Some("A record covering several areas counts once in each."),
            )
        },
    ]);
}

fn proceeding_tables(
    stats: &mut Statistics,
    applied: &[&Proceeding<'_>],
    made: &[&Proceeding<'_>],
) {
    let mut by_type = Counter::default();
    for p in made {
        if let Some(o) = p.made() {
            by_type.add(o.order_type.label());
        }
    }
    let mut by_applicant = Counter::default();
    for p in applied {
        by_applicant.add(p.main.applicant.map_or("Not recorded", |a| a.label()));
    }
    stats.tables.extend([
        orders_table(
            "orders-made-by-type",
            "Orders made, by type",
            "Order type",
            "Orders made",
            by_type.rows(),
            MADE,
            Some("An interim order and the full order made on the same application count once, as the full order; an interim order counts on its own while no full order has been made."),
        ),
        orders_table(
            "applications-by-applicant",
            "Applications by applicant",
            "Applicant",
            "Applications",
            by_applicant.rows(),
            APPLICATIONS,
            Some("Orders made on sentencing (s14) are not applied for, and orders only considered were never applied for; an interim order and its main application are one application."),
        ),
    ]);
}

fn breach_tables(stats: &mut Statistics, records: &[&OrderRecord], vocab: &Vocabulary) {
    let (mut kinds, mut followed) = (Counter::default(), Counter::default());
    for o in records {
        for b in &o.breaches {
            let kind = match (&b.prohibition, b.requirement) {
                (Some(p), _) => format!("Prohibition: {}", vocab.label(VocabName::Prohibitions, p)),
                (None, Some(r)) => format!("Requirement: {}", r.label()),
                (None, None) => continue,
            };
            kinds.add(kind);
            followed.add(b.what_followed());
        }
    }
    stats.tables.extend([
        orders_table(
            "breaches-by-kind",
            "Breaches by what was breached",
            "What was breached",
            "Breaches",
            kinds.rows(),
            BREACHES,
            None,
        ),
        orders_table(
            "breaches-by-action",
            "What followed a breach",
            "What followed",
            "Breaches",
            followed.rows(),
            BREACHES,
            Some("After a charge under s30, how the charge ended, or that it awaits trial."),
        ),
    ]);
}
