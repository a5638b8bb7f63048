//! The cross-cutting tables: the agency powers matrix, the orders register (with its
//! pre-rendered orderings and charts) and the recommendations tracker.

use std::collections::BTreeMap;

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use crate::model::enums::{Closed, RecommendationStatus};
use crate::model::{Document, Kind, KindData, Month, VocabName};

use super::*;
use crate::render::charts;
use crate::render::{RenderError, Site};

#[derive(Serialize, Clone)]
struct OrderRow {
    id: String,
    url: String,
    order_type: String,
    status: String,
    applicant: String,
    /// The month it was made, decided or applied for, as shown.
    date: String,
    areas: String,
    expires: String,
    renewal_due: String,
    travel_ends: String,
    /// Prohibitions that end at another time than the order, with their end.
    own_periods: Vec<String>,
    last_review: String,
    next_review: String,
    review_overdue: bool,
    breaches: usize,
    reason: String,
    /// Sort keys and the due-soon view.
    #[serde(skip)]
    keys: OrderKeys,
}

#[derive(Clone, Default)]
struct OrderKeys {
    date: Option<Month>,
    /// The dates of a current order falling within the next six months, and overdue
    /// reviews: (what, month, overdue).
    due: Vec<(&'static str, Month, bool)>,
}

/// A register ordering: label, URL, output path, comparison.
type SortSpec = (
    &'static str,
    &'static str,
    &'static str,
    fn(&OrderRow, &OrderRow) -> std::cmp::Ordering,
);

#[derive(Serialize)]
struct SortLink {
    label: &'static str,
    url: &'static str,
    current: bool,
}

#[derive(Serialize)]
struct DueRow {
    id: String,
    url: String,
    order_type: String,
    what: &'static str,
    month: String,
    overdue: bool,
}

fn order_row(
    ctx: &Ctx<'_>,
    d: &Document,
    o: &crate::model::order_record::OrderRecord,
    today: Month,
) -> OrderRow {
    let month = |m: Option<Month>| m.map(|m| m.to_string()).unwrap_or_default();
    let next = o.next_review(today);
    let current = o.order_status.is_current();
    OrderRow {
        id: d.common.id.clone(),
        url: Kind::OrderRecord.url(&d.common.id),
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
        expires: if o.order_status.is_made() {
            o.end().shown()
        } else {
            String::new()
        },
        renewal_due: month(o.renewal_due()),
        travel_ends: month(o.foreign_travel_ends().filter(|_| current)),
        own_periods: own_periods(ctx, o),
        last_review: match (current, o.management.as_ref().map(|m| m.last_review)) {
            (true, Some(Some(m))) => m.to_string(),
            (true, Some(None)) => "not recorded".to_owned(),
            _ => String::new(),
        },
        next_review: month(next.map(|n| n.month)),
        review_overdue: next.is_some_and(|n| n.overdue),
        breaches: o.breaches.len(),
        reason: o.not_pursued_reason.clone().unwrap_or_default(),
        keys: OrderKeys {
            date: o.date(),
            due: due_dates(o, today),
        },
    }
}

/// The prohibitions of a made order whose end is not the order's, each with its end.
fn own_periods(ctx: &Ctx<'_>, o: &crate::model::order_record::OrderRecord) -> Vec<String> {
    if !o.order_status.is_made() {
        return Vec::new();
    }
    o.periods
        .iter()
        .map(|p| {
            let label = ctx.label(VocabName::Prohibitions, &p.code);
            format!("{label}: {}", o.prohibition_end(&p.code).shown())
        })
        .collect()
}

/// The dates of a current order that fall before the end of the sixth month from now: those
/// from this month on, and a management review already overdue.
fn due_dates(
    o: &crate::model::order_record::OrderRecord,
    today: Month,
) -> Vec<(&'static str, Month, bool)> {
    if !o.order_status.is_current() {
        return Vec::new();
    }
    let soon = today.plus_months(6);
    let next = o.next_review(today);
    let mut due: Vec<(&'static str, Month, bool)> = [
        ("Expires", o.expiry()),
        ("Renewal preparation starts", o.renewal_due()),
        ("Foreign travel prohibition ends", o.foreign_travel_ends()),
    ]
    .into_iter()
    .filter_map(|(what, m)| Some((what, m?, false)))
    .filter(|(_, m, _)| *m >= today && *m <= soon)
    .collect();
    for p in &o.periods {
        if let Some(m) = o
            .prohibition_end(&p.code)
            .month()
            .filter(|m| *m >= today && *m <= soon)
        {
            due.push(("A prohibition ends", m, false));
        }
    }
    if let Some(n) = next.filter(|n| n.month <= soon) {
        due.push(("Management review", n.month, n.overdue));
    }
    due
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
    let today = ctx.input.today.month();
    let rows: Vec<OrderRow> = orders
        .iter()
        .map(|(d, o)| order_row(ctx, d, o, today))
        .collect();
    let marking = ctx.marking_of(orders.iter().map(|(d, _)| *d));
    let published = ctx.published_statistics();
    let charts: Vec<(charts::ChartView<'_>, &str, String)> = published
        .charts
        .iter()
        .filter(|c| c.table.orders)
        .map(|c| {
            let id = c.table.id;
            (
                charts::view(c, &format!("/register/{id}.csv")),
                id,
                charts::csv(c),
            )
        })
        .collect();
    let sorts: [SortSpec; 4] = [
        ("date", "/register/", "register/index.html", |a, b| {
            b.keys.date.cmp(&a.keys.date).then(a.id.cmp(&b.id))
        }),
        (
            "type",
            "/register/by-type/",
            "register/by-type/index.html",
            |a, b| a.order_type.cmp(&b.order_type).then(a.id.cmp(&b.id)),
        ),
        (
            "status",
            "/register/by-status/",
            "register/by-status/index.html",
            |a, b| a.status.cmp(&b.status).then(a.id.cmp(&b.id)),
        ),
        (
            "area",
            "/register/by-area/",
            "register/by-area/index.html",
            |a, b| a.areas.cmp(&b.areas).then(a.id.cmp(&b.id)),
        ),
    ];
    let links = |current: &str| -> Vec<SortLink> {
        sorts
            .iter()
            .map(|(l, u, _, _)| (*l, *u))
            .chain([("due in the next 6 months", "/register/due/")])
            .map(|(label, url)| SortLink {
                label,
                url,
                current: label == current,
            })
            .collect()
    };
    let chart_values: Vec<&charts::ChartView<'_>> =
        charts.iter().map(|(view, _, _)| view).collect();
    for (label, _, path, cmp) in sorts {
        let mut sorted = rows.clone();
        sorted.sort_by(cmp);
        let page = context! {
            orders => Serde(&sorted),
            sorts => Serde(&links(label)),
            current_sort => label,
            charts => Serde(&chart_values),
        };
        if let Some(page) = ctx.render_at(path, "register.html", marking, page)? {
            out.insert(path.to_owned(), page);
        }
    }
    let mut due: Vec<DueRow> = rows
        .iter()
        .flat_map(|r| {
            r.keys.due.iter().map(|(what, m, overdue)| DueRow {
                id: r.id.clone(),
                url: r.url.clone(),
                order_type: r.order_type.clone(),
                what,
                month: m.to_string(),
                overdue: *overdue,
            })
        })
        .collect();
    due.sort_by(|a, b| {
        (b.overdue.cmp(&a.overdue))
            .then(a.month.cmp(&b.month))
            .then(a.id.cmp(&b.id))
    });
    let due_marking = ctx.marking_of(
        orders
            .iter()
            .filter(|(d, _)| due.iter().any(|r| r.id == d.common.id))
            .map(|(d, _)| *d),
    );
    let page = context! {
        due => Serde(&due),
        sorts => Serde(&links("due in the next 6 months")),
        today => today.long(),
        until => today.plus_months(6).long(),
    };
    out.insert(
        "register/due/index.html".to_owned(),
        ctx.render("register-due.html", due_marking, page)?,
    );
    for (_, name, csv) in charts {
        out.insert(format!("register/{name}.csv"), csv.into_bytes());
    }
    Ok(())
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
                    url: Kind::CaseReview.url(&p.doc.common.id),
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
    let mut owners: Vec<OwnerGroup> = by_owner
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
    owners.sort_by(|a, b| crate::model::words::by_name(&a.name, &b.name));
    let marking = ctx.marking_of(shown_docs.into_iter());
    ctx.render(
        "tracker.html",
        marking,
        context! { owners => Serde(&owners), figures => Serde(&figures) },
    )
}
