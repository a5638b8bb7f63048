//! Tests of the statistics: what each figure counts, and disclosure control that holds —
//! checked against a brute-force attacker that is independent of the audit's solver.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;
use crate::model::case_review::{self, CaseReview};
use crate::model::date::Date;
use crate::model::document::{Common, KindData};
use crate::model::enums::{Kind, Marking, Status};
use crate::model::order_record::{self, OrderRecord};
use crate::model::raw::{
    RawAgencyRole, RawCaseReview, RawInvestigation, RawOffence, RawOrderRecord, RawPerpetrators,
    RawProhibition, RawSubject, RawVictims,
};
use crate::model::source::Spans;
use crate::model::validate::Ctx;

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn today() -> Date {
    Date::parse("2026-12-07").expect("date")
}

fn document(id: &str, kind: Kind, status: Status, related: &[&str], data: KindData) -> Document {
    Document {
        path: format!("knowledge/{}/{id}.md", kind.folder()),
        common: Common {
            id: id.to_owned(),
            kind,
            title: format!("{id} title"),
            marking: Marking::Official,
            handling: Vec::new(),
            status,
            owner: "HIOWC".into(),
            last_reviewed: today(),
            review_due: None,
            tags: Vec::new(),
            related: related.iter().map(|r| (*r).to_owned()).collect(),
            fictional: true,
            lint_allow: Vec::new(),
        },
        data,
        body_offset: 0,
        body_line: 1,
    }
}

fn review(victims: u32, review_type: &str) -> CaseReview {
    let raw = RawCaseReview {
        operation: s("Operation Test"),
        review_type: s(review_type),
        lead_agency: s("HIOWC"),
        investigation: Some(RawInvestigation {
            start: s("2023-01"),
            end: s("2023-06"),
        }),
        review_date: s("2024-06-01"),
        areas: Some(vec!["portsmouth".into()]),
        exploitation: Some(vec!["labour".into()]),
        offences: Some(vec![RawOffence {
            code: s("MSA2015-s1"),
            outcome: s("convicted"),
        }]),
        victims: Some(RawVictims {
            total: Some(victims),
            ..RawVictims::default()
        }),
        perpetrators: Some(RawPerpetrators {
            total: Some(1),
            ..RawPerpetrators::default()
        }),
        referral_source: s("ngo"),
        outcome: s("convicted"),
        agencies: Some(vec![RawAgencyRole {
            code: s("HIOWC"),
            role: s("lead"),
        }]),
        themes: Some(vec!["interpreters".into()]),
        ..RawCaseReview::default()
    };
    let (vocab, spans) = (crate::load::built_in_vocabulary(), Spans::default());
    let mut ctx = Ctx::new("x", &spans, &vocab, today());
    let r = case_review::validate(&mut ctx, &raw).expect("valid review");
    assert!(
        ctx.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        ctx.diagnostics
    );
    r
}

fn reviewed(id: &str, status: Status, related: &[&str], victims: u32) -> Document {
    let data = KindData::CaseReview(Box::new(review(victims, "deep-dive")));
    document(id, Kind::CaseReview, status, related, data)
}

fn figures(docs: &[Document]) -> BTreeMap<&'static str, u64> {
    let refs: Vec<&Document> = docs.iter().collect();
    let stats = Statistics::compute(&refs, &crate::load::built_in_vocabulary());
    stats.figures.iter().map(|f| (f.id, f.value)).collect()
}

#[test]
fn a_chain_of_superseded_reviews_counts_only_its_newest() {
    // CR-1 superseded by CR-2, itself superseded by CR-3: one case, counted once, with CR-3's
    // victims.
    let docs = vec![
        reviewed("CR-2024-001", Status::Superseded, &[], 9),
        reviewed("CR-2024-002", Status::Superseded, &["CR-2024-001"], 10),
        reviewed("CR-2024-003", Status::Approved, &["CR-2024-002"], 11),
        reviewed("CR-2024-004", Status::Approved, &[], 4),
    ];
    let f = figures(&docs);
    assert_eq!((f["individual-reviews"], f["victims"]), (2, 15));
    // A superseded review no later review names still counts: its case is not counted
    // elsewhere.
    let alone = vec![reviewed("CR-2024-001", Status::Superseded, &[], 9)];
    assert_eq!(figures(&alone)["individual-reviews"], 1);
}

#[test]
fn thematic_reviews_count_potential_victims_on_their_own_line() {
    let docs = vec![
        document(
            "CR-2024-005",
            Kind::CaseReview,
            Status::Approved,
            &[],
            KindData::CaseReview(Box::new(review(150, "thematic"))),
        ),
        reviewed("CR-2024-006", Status::Approved, &[], 3),
    ];
    let f = figures(&docs);
    assert_eq!(
        (
            f["individual-reviews"],
            f["victims"],
            f["thematic-reviews"],
            f["thematic-potential-victims"]
        ),
        (1, 3, 1, 150)
    );
}

/// An order record on the sample's usual terms, changed by `f`.
fn order(id: &str, f: impl FnOnce(&mut RawOrderRecord)) -> Document {
    let mut raw = RawOrderRecord {
        order_type: s("STPO"),
        basis: s("MSA2015-s15"),
        applicant: s("chief-officer-police"),
        court: s("magistrates"),
        order_status: s("granted"),
        applied: s("2025-01"),
        made: s("2025-03"),
        until_further_order: Some(false),
        duration_years: Some(5),
        expires: s("2030-03"),
        prohibitions: Some(vec![RawProhibition::code("contact-named-persons")]),
        notification_requirement: Some(true),
        exploitation: Some(vec!["labour".into()]),
        areas: Some(vec!["portsmouth".into()]),
        management: Some(crate::model::raw::RawManagement {
            lead_role: s("Order manager"),
            review_frequency: s("quarterly"),
            partners: None,
            last_review: s("2026-09"),
        }),
        ..RawOrderRecord::default()
    };
    f(&mut raw);
    let (vocab, spans) = (crate::load::built_in_vocabulary(), Spans::default());
    let mut ctx = Ctx::new("x", &spans, &vocab, today());
    let o: OrderRecord = order_record::validate(&mut ctx, &raw).expect("valid order");
    assert!(
        ctx.diagnostics.iter().all(|d| !d.is_error()),
        "{id}: {:?}",
        ctx.diagnostics
    );
    document(
        id,
        Kind::OrderRecord,
        Status::Approved,
        &[],
        KindData::OrderRecord(Box::new(o)),
    )
}

fn keyed(key: &str) -> Option<RawSubject> {
    Some(RawSubject {
        key: s(key),
        age_band: None,
        sex: None,
    })
}

fn interim(raw: &mut RawOrderRecord, main: Option<&str>) {
    raw.order_type = s("interim-STPO");
    raw.basis = s("MSA2015-s21");
    raw.order_status = s("interim-granted");
    raw.until_further_order = None;
    raw.duration_years = None;
    raw.made = s("2025-01");
    raw.applied = s("2025-01");
    raw.expires = s("2027-01");
    raw.application = main.map(str::to_owned);
}

#[test]
fn records_applications_orders_made_and_people_are_counted_apart() {
    let docs = vec![
        // An interim order and the full order made on the same application: one application,
        // one order made, one person.
        order("ORD-2025-001", |r| r.subject = keyed("S-A1B2")),
        order("ORD-2025-002", |r| {
            interim(r, Some("ORD-2025-001"));
            r.subject = keyed("S-A1B2");
        }),
        // Made on sentencing: an order made, never applied for; same person as above.
        order("ORD-2025-003", |r| {
            r.basis = s("MSA2015-s14");
            r.applicant = None;
            r.court = s("crown");
            r.applied = None;
            r.subject = keyed("S-A1B2");
        }),
        // Considered and not pursued: a record only.
        order("ORD-2025-004", |r| {
            r.order_status = s("considered-not-pursued");
            r.not_pursued_reason = s("No evidence of risk.");
            r.applied = None;
            r.decided = s("2025-04");
            r.made = None;
            r.until_further_order = None;
            r.duration_years = None;
            r.expires = None;
            r.management = None;
        }),
        // Refused: an application, no order.
        order("ORD-2025-005", |r| {
            r.order_status = s("refused");
            r.decided = s("2025-04");
            r.made = None;
            r.until_further_order = None;
            r.duration_years = None;
            r.expires = None;
            r.management = None;
        }),
        // An interim order on its own (main application not recorded), no key: its own
        // application, an order made, one person.
        order("ORD-2025-006", |r| interim(r, None)),
    ];
    let f = figures(&docs);
    assert_eq!(f["order-records"], 6);
    assert_eq!(f["applications"], 3, "001+002, 005, 006");
    assert_eq!(f["orders-made"], 3, "001+002, 003, 006");
    assert_eq!(
        f["people-subject-to-an-order"], 2,
        "S-A1B2, and 006 without a key"
    );
    let refs: Vec<&Document> = docs.iter().collect();
    let stats = Statistics::compute(&refs, &crate::load::built_in_vocabulary());
    let by_type = stats
        .tables
        .iter()
        .find(|t| t.id == "orders-made-by-type")
        .expect("table");
    assert_eq!(
        by_type.rows,
        vec![("Interim STPO".to_owned(), 1), ("STPO".to_owned(), 2)],
        "the interim made pending 001 counts as 001"
    );
    let by_applicant = stats
        .tables
        .iter()
        .find(|t| t.id == "applications-by-applicant")
        .expect("table");
    assert_eq!(
        by_applicant.rows,
        vec![("Chief officer of police".to_owned(), 3)]
    );
}

/// A table of `rows` partitioning the figure `pop`.
fn partition(id: &'static str, pop: &'static str, rows: &[u64]) -> Table {
    Table {
        id,
        title: id,
        category: "C",
        measure: "M",
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("r{i}"), *n))
            .collect(),
        shape: Shape::Partition,
        population: Some(pop),
        note: None,
        orders: false,
    }
}

fn figure(id: &'static str, value: u64) -> Figure {
    Figure {
        id,
        label: id,
        one: id,
        value,
    }
}

fn two_tables(population: u64, a: &[u64], b: &[u64]) -> Statistics {
    Statistics {
        figures: vec![figure("n", population)],
        tables: vec![partition("a", "n", a), partition("b", "n", b)],
        relations: Vec::new(),
    }
}

/// What the release lets a reader know of each cell.
#[derive(Clone, Copy)]
enum Known {
    Exact(u64),
    Small,
    Hidden,
}

fn known(p: &Published, cell: &Cell) -> Known {
    let shown = match cell {
        Cell::Figure(id) => p.figures.iter().find(|f| f.id == *id).map(|f| &f.value),
        Cell::Row(t, c) => p
            .charts
            .iter()
            .find(|x| x.table.id == *t)
            .and_then(|x| x.rows.iter().find(|r| r.category == *c))
            .map(|r| &r.count),
        Cell::Total(t) => p
            .charts
            .iter()
            .find(|x| x.table.id == *t)
            .and_then(|x| x.total.as_ref()),
    };
    match shown.map(|s| s.value.as_str()) {
        Some("1-5") => Known::Small,
        Some("hidden") => Known::Hidden,
        Some(v) => Known::Exact(v.parse().expect("a count")),
        None => Known::Hidden,
    }
}

fn allows(k: Known, v: u64) -> bool {
    match k {
        Known::Exact(n) => v == n,
        Known::Small => (1..=5).contains(&v),
        Known::Hidden => v >= 1,
    }
}

/// Every value of each cell consistent with what `p` publishes of two partitions of one
/// population, found by enumeration up to `limit` (independent of the audit's solver).
fn attack(stats: &Statistics, p: &Published, limit: u64) -> BTreeMap<Cell, BTreeSet<u64>> {
    let mut out: BTreeMap<Cell, BTreeSet<u64>> = BTreeMap::new();
    let n_known = known(p, &Cell::Figure("n"));
    for n in 0..=limit {
        let totals_ok = allows(n_known, n)
            && ["a", "b"]
                .iter()
                .all(|t| allows(known(p, &Cell::Total(t)), n));
        if !totals_ok {
            continue;
        }
        let per_table: Vec<BTreeMap<Cell, BTreeSet<u64>>> =
            stats.tables.iter().map(|t| table_values(t, p, n)).collect();
        if per_table.iter().any(BTreeMap::is_empty) {
            continue;
        }
        for values in per_table {
            for (c, vs) in values {
                out.entry(c).or_default().extend(vs);
            }
        }
        out.entry(Cell::Figure("n")).or_default().insert(n);
        for t in ["a", "b"] {
            out.entry(Cell::Total(t)).or_default().insert(n);
        }
    }
    out
}

/// The values each row of `t` can take when its rows add up to `n`.
fn table_values(t: &Table, p: &Published, n: u64) -> BTreeMap<Cell, BTreeSet<u64>> {
    let cells: Vec<Cell> = t
        .rows
        .iter()
        .map(|(c, _)| Cell::Row(t.id, c.clone()))
        .collect();
    let ks: Vec<Known> = cells.iter().map(|c| known(p, c)).collect();
    let mut out: BTreeMap<Cell, BTreeSet<u64>> = BTreeMap::new();
    let mut values = vec![0u64; cells.len()];
    fn walk(
        i: usize,
        left: u64,
        ks: &[Known],
        values: &mut Vec<u64>,
        cells: &[Cell],
        out: &mut BTreeMap<Cell, BTreeSet<u64>>,
    ) {
        if i == ks.len() {
            if left == 0 {
                for (c, v) in cells.iter().zip(values.iter()) {
                    out.entry(c.clone()).or_default().insert(*v);
                }
            }
            return;
        }
        for v in 0..=left {
            if allows(ks[i], v) {
                values[i] = v;
                walk(i + 1, left - v, ks, values, cells, out);
            }
        }
    }
    walk(0, n, &ks, &mut values, &cells, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Two tables of one population: after disclosure, the audit passes, its ranges hold the
    /// true values, and an attacker enumerating every consistent table finds at least three
    /// values for every hidden count.
    #[test]
    fn no_published_figure_pins_a_hidden_count(
        a in prop::collection::vec(0u64..9, 1..4),
        split in prop::collection::vec(0u64..9, 1..3),
    ) {
        let population: u64 = a.iter().sum();
        // The second table partitions the same population differently.
        let mut b: Vec<u64> = Vec::new();
        let mut left = population;
        for cut in &split {
            let take = (*cut).min(left);
            b.push(take);
            left -= take;
        }
        b.push(left);
        let stats = two_tables(population, &a, &b);
        let published = stats.disclose(Audience::Public);
        let audit = published.audit.clone().expect("a public release is audited");
        prop_assert!(audit.passed);
        let hidden: BTreeMap<Cell, Suppression> = stats
            .cells()
            .into_iter()
            .filter_map(|c| match known(&published, &c) {
                Known::Small => Some((c, Suppression::Primary)),
                Known::Hidden => Some((c, Suppression::Secondary)),
                Known::Exact(_) => None,
            })
            .collect();
        for (cell, range) in ranges(&stats, &hidden) {
            let truth = stats.value(&cell).expect("value");
            prop_assert!(range.min <= truth && range.max.is_none_or(|m| truth <= m), "{cell:?} {range:?} {truth}");
        }
        let limit = population + 12;
        let found = attack(&stats, &published, limit);
        for cell in hidden.keys() {
            let values = found.get(cell).map_or(0, BTreeSet::len);
            prop_assert!(values >= 3, "{cell:?} can be only {:?} in {a:?} / {b:?}", found.get(cell));
        }
    }
}

#[test]
fn the_brute_force_attacker_finds_what_primary_suppression_alone_gives_away() {
    // 12, 2, 7 under a total of 21: with only the 2 hidden as 1-5 it is 21 - 12 - 7.
    let stats = two_tables(21, &[12, 2, 7], &[21]);
    let hidden = BTreeMap::from([(Cell::Row("a", "r1".into()), Suppression::Primary)]);
    let naive = stats.publish(Audience::Public, &hidden, None);
    let found = attack(&stats, &naive, 40);
    assert_eq!(found[&Cell::Row("a", "r1".into())], BTreeSet::from([2]));
    let audited = stats.disclose(Audience::Public);
    let found = attack(&stats, &audited, 40);
    assert!(found[&Cell::Row("a", "r1".into())].len() >= 3);
    assert!(audited.audit.expect("audit").passed);
}

#[test]
fn counts_that_must_be_equal_are_hidden_together() {
    // Five ones under a total of 5 pin every row at 1, and the population figure repeats the
    // total: the figure and both totals are hidden together.
    let stats = two_tables(5, &[1, 1, 1, 1, 1], &[5]);
    let p = stats.disclose(Audience::Public);
    let shown: Vec<&str> = p.charts[0]
        .rows
        .iter()
        .map(|r| r.count.value.as_str())
        .collect();
    assert_eq!(shown, ["1-5"; 5]);
    assert_eq!(
        p.charts[0].total.as_ref().map(|t| t.value.as_str()),
        Some("hidden")
    );
    assert_eq!(p.figures[0].value.value, "hidden");
    assert!(p.audit.expect("audit").passed);
}

#[test]
fn editions_show_exact_counts_and_only_public_hides() {
    let stats = two_tables(21, &[12, 2, 7], &[21]);
    for audience in [Audience::Internal, Audience::Partners] {
        let p = stats.disclose(audience);
        assert!(!p.small_numbers_suppressed && p.audit.is_none());
        assert_eq!(p.charts[0].rows[1].count.value, "2");
    }
    assert_eq!(
        stats.disclose(Audience::Public).charts[0].rows[1]
            .count
            .value,
        "1-5"
    );
}

#[test]
fn a_figure_of_one_reads_in_the_singular() {
    let stats = Statistics {
        figures: vec![Figure {
            id: "thematic-reviews",
            label: "thematic reviews",
            one: "thematic review",
            value: 1,
        }],
        tables: Vec::new(),
        relations: Vec::new(),
    };
    assert_eq!(
        stats.disclose(Audience::Internal).figures[0].label,
        "thematic review"
    );
    assert_eq!(
        stats.disclose(Audience::Public).figures[0].label,
        "thematic reviews"
    );
}
