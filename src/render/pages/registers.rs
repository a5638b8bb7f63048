//! The cross-cutting tables: the agency powers matrix, the orders register (with its
//! pre-rendered orderings and charts) and the recommendations tracker.

use std::collections::BTreeMap;

use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::model::enums::{Closed, RecommendationStatus};
use crate::model::{Document, Kind, KindData, Marking, VocabName};

use super::*;
use crate::render::charts::{self, Chart};
use crate::render::{RenderError, Site};

#[derive(Serialize, Clone)]
struct OrderRow {
    id: String,
    url: String,
    order_type: String,
    status: String,
    applicant: String,
    date: String,
    areas: String,
    breaches: usize,
    reason: String,
}

/// A register ordering: label, URL, output path, sort key.
type SortSpec = (
    &'static str,
    &'static str,
    &'static str,
    fn(&OrderRow) -> String,
);

/// A chart's id, title, category heading and rows.
type ChartSpec = (
    &'static str,
    &'static str,
    &'static str,
    Vec<(String, usize)>,
);

#[derive(Serialize)]
struct SortLink {
    label: &'static str,
    url: &'static str,
    current: bool,
}

pub(super) fn register(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let orders: Vec<(&Document, &crate::model::order_record::OrderRecord)> = ctx
        .input
        .docs
        .iter()
        .filter_map(|p| match &p.doc.data {
            KindData::OrderRecord(o) => Some((p.doc, o.as_ref())),
            _ => None,
        })
        .collect();
    let rows: Vec<OrderRow> = orders
        .iter()
        .map(|(d, o)| OrderRow {
            id: d.common.id.clone(),
            url: url(Kind::OrderRecord, &d.common.id),
            order_type: o.order_type.label().to_owned(),
            status: o.order_status.label().to_owned(),
            applicant: o
                .applicant
                .map_or("None (made on sentencing)", |a| a.label())
                .to_owned(),
            date: date_of(d),
            areas: o
                .areas
                .iter()
                .map(|a| ctx.label(VocabName::Areas, a))
                .collect::<Vec<_>>()
                .join(", "),
            breaches: o.breaches.len(),
            reason: o.not_pursued_reason.clone().unwrap_or_default(),
        })
        .collect();
    let marking = ctx.marking_of(orders.iter().map(|(d, _)| *d));
    let suppress = ctx.input.ceiling == Marking::Official;
    let charts = register_charts(&rows, suppress);
    let sorts: [SortSpec; 4] = [
        ("date", "/register/", "register/index.html", |r| {
            r.date.clone()
        }),
        (
            "type",
            "/register/by-type/",
            "register/by-type/index.html",
            |r| r.order_type.clone(),
        ),
        (
            "status",
            "/register/by-status/",
            "register/by-status/index.html",
            |r| r.status.clone(),
        ),
        (
            "area",
            "/register/by-area/",
            "register/by-area/index.html",
            |r| r.areas.clone(),
        ),
    ];
    for (label, _, path, key) in sorts {
        let mut sorted = rows.clone();
        sorted.sort_by(|a, b| key(a).cmp(&key(b)).then(a.id.cmp(&b.id)));
        if label == "date" {
            sorted.reverse();
        }
        let links: Vec<SortLink> = sorts
            .iter()
            .map(|(l, u, _, _)| SortLink {
                label: l,
                url: u,
                current: *l == label,
            })
            .collect();
        let charts: Vec<Value> = charts
            .iter()
            .map(|(html, _, _)| Value::from_safe_string(html.clone()))
            .collect();
        let page = context! { orders => Serde(&sorted), sorts => Serde(&links), current_sort => label, charts };
        out.insert(path.to_owned(), ctx.render("register.html", marking, page)?);
    }
    for (_, name, csv) in charts {
        out.insert(format!("register/{name}.csv"), csv.into_bytes());
    }
    Ok(())
}

/// Charts of the register: (figure HTML, CSV file stem, CSV text).
fn register_charts(rows: &[OrderRow], suppress: bool) -> Vec<(String, String, String)> {
    let count = |f: &dyn Fn(&OrderRow) -> Vec<String>| -> Vec<(String, usize)> {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for r in rows {
            for k in f(r) {
                *m.entry(k).or_default() += 1;
            }
        }
        m.into_iter().collect()
    };
    let specs: Vec<ChartSpec> = vec![
        (
            "orders-by-year",
            "Orders by year",
            "Year",
            count(&|r| vec![r.date.chars().take(4).collect()]),
        ),
        (
            "orders-by-type",
            "Orders by type",
            "Order type",
            count(&|r| vec![r.order_type.clone()]),
        ),
        (
            "orders-by-applicant",
            "Orders by applicant",
            "Applicant",
            count(&|r| vec![r.applicant.clone()]),
        ),
        (
            "orders-by-status",
            "Orders by status",
            "Where it stands",
            count(&|r| vec![r.status.clone()]),
        ),
        (
            "orders-by-area",
            "Orders by area",
            "Area",
            count(&|r| r.areas.split(", ").map(str::to_owned).collect()),
        ),
    ];
    specs
        .into_iter()
        .map(|(id, title, category, rows)| {
            let chart = Chart {
                title: title.to_owned(),
                id: id.to_owned(),
                category: category.to_owned(),
                measure: "Orders".to_owned(),
                rows,
            };
            (
                charts::figure(&chart, suppress, &format!("/register/{id}.csv")),
                id.to_owned(),
                charts::csv(&chart, suppress),
            )
        })
        .collect()
}

#[derive(Serialize)]
struct TrackerRow {
    review: String,
    url: String,
    id: String,
    text: String,
    due: String,
    status: String,
    overdue: bool,
}

#[derive(Serialize)]
struct OwnerGroup {
    code: String,
    name: String,
    items: Vec<TrackerRow>,
}

pub(super) fn tracker(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
    let mut by_owner: BTreeMap<String, Vec<TrackerRow>> = BTreeMap::new();
    let mut shown_docs = Vec::new();
    for p in &ctx.input.docs {
        let KindData::CaseReview(r) = &p.doc.data else {
            continue;
        };
        if !r.recommendations.is_empty() {
            shown_docs.push(p.doc);
        }
        for rec in &r.recommendations {
            by_owner
                .entry(rec.owner.clone())
                .or_default()
                .push(TrackerRow {
                    review: p.doc.common.id.clone(),
                    url: url(Kind::CaseReview, &p.doc.common.id),
                    id: rec.id.clone(),
                    text: rec.text.clone(),
                    due: rec.due.to_string(),
                    status: rec.status.label().to_owned(),
                    overdue: rec.overdue,
                });
        }
    }
    let all: Vec<&TrackerRow> = by_owner.values().flatten().collect();
    let figures = vec![
        Figure {
            value: all.len().to_string(),
            label: "recommendations".into(),
        },
        Figure {
            value: all.iter().filter(|r| r.overdue).count().to_string(),
            label: "overdue".into(),
        },
        Figure {
            value: all
                .iter()
                .filter(|r| r.status == RecommendationStatus::Done.label())
                .count()
                .to_string(),
            label: "done".into(),
        },
    ];
    let owners: Vec<OwnerGroup> = by_owner
        .into_iter()
        .map(|(code, mut items)| {
            items.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.due.cmp(&b.due)));
            OwnerGroup {
                name: ctx.label(VocabName::Agencies, &code),
                code,
                items,
            }
        })
        .collect();
    let marking = ctx.marking_of(shown_docs.into_iter());
    ctx.render(
        "tracker.html",
        marking,
        context! { owners => Serde(&owners), figures => Serde(&figures) },
    )
}
