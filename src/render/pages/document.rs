//! The page of each document and its history page: metadata, safe body, references,
//! backlinks, similar documents and git history.

use std::collections::{BTreeSet, HashMap};

use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::markdown;
use crate::model::enums::Closed;
use crate::model::{Document, Kind, KindData, VocabName};

use super::*;
use crate::render::{Link, PageDoc, RenderError};

#[derive(Serialize)]
struct Item {
    text: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct Row {
    label: &'static str,
    items: Vec<Item>,
    /// Shown one item a line (items that contain commas themselves).
    list: bool,
}

fn text(label: &'static str, value: impl ToString) -> Row {
    Row {
        label,
        items: vec![Item {
            text: value.to_string(),
            url: None,
        }],
        list: false,
    }
}

fn terms(
    ctx: &Ctx<'_>,
    label: &'static str,
    name: VocabName,
    browse: &str,
    codes: &[String],
) -> Row {
    let items = codes
        .iter()
        .map(|c| Item {
            text: ctx.label(name, c),
            url: Some(format!("/browse/{browse}/{c}/")),
        })
        .collect();
    Row {
        label,
        items,
        list: false,
    }
}

fn metadata(ctx: &Ctx<'_>, d: &Document) -> Vec<Row> {
    let c = &d.common;
    let mut rows = vec![text("Marking", c.marking), text("Status", c.status)];
    match &d.data {
        KindData::CaseReview(r) => {
            rows.push(text("Operation", &r.operation));
            rows.push(text("Review type", r.review_type));
            rows.push(text("Review date", r.review_date));
            let end = r
                .investigation
                .end
                .map_or("ongoing".to_owned(), |e| e.to_string());
            rows.push(text(
                "Investigation",
                format!("{} to {end}", r.investigation.start),
            ));
            rows.push(terms(ctx, "Areas", VocabName::Areas, "area", &r.areas));
            rows.push(terms(
                ctx,
                "Exploitation",
                VocabName::Exploitation,
                "exploitation",
                &r.exploitation,
            ));
            let offences: Vec<String> = r
                .offences
                .iter()
                .map(|o| {
                    format!(
                        "{} — {}",
                        ctx.label(VocabName::Offences, &o.code),
                        ctx.label(VocabName::Outcomes, &o.outcome)
                    )
                })
                .collect();
            rows.push(Row {
                label: "Offences",
                items: offences
                    .into_iter()
                    .map(|t| Item { text: t, url: None })
                    .collect(),
                list: true,
            });
            rows.push(text("Outcome", ctx.label(VocabName::Outcomes, &r.outcome)));
            rows.push(text("Victims", r.victims.total));
            rows.push(text("Perpetrators", r.perpetrators.total));
            let agencies: Vec<String> = r.agencies.iter().map(|a| a.code.clone()).collect();
            rows.push(terms(
                ctx,
                "Agencies",
                VocabName::Agencies,
                "agency",
                &agencies,
            ));
            rows.push(terms(
                ctx,
                "Learning themes",
                VocabName::Themes,
                "theme",
                &r.themes,
            ));
        }
        KindData::OrderRecord(o) => {
            rows.push(text("Order", format!("{} ({})", o.order_type, o.basis)));
            rows.push(text("Order status", o.order_status));
            rows.push(text("Court", o.court));
            if let Some(a) = o.applicant {
                rows.push(text("Applicant", a));
            }
            if let Some(m) = o.made {
                rows.push(text("Made", m));
            }
            match (o.until_further_order, o.expires) {
                (Some(true), _) => rows.push(text("Duration", "until further order")),
                (_, Some(e)) => rows.push(text("Expires", e)),
                _ => {}
            }
            rows.push(terms(
                ctx,
                "Prohibitions",
                VocabName::Prohibitions,
                "prohibition",
                &o.prohibitions,
            ));
            rows.push(terms(ctx, "Areas", VocabName::Areas, "area", &o.areas));
            rows.push(terms(
                ctx,
                "Exploitation",
                VocabName::Exploitation,
                "exploitation",
                &o.exploitation,
            ));
            rows.push(text("Breaches", o.breaches.len()));
        }
        KindData::AgencyPowers(a) => {
            rows.push(text("Agency", format!("{} ({})", a.name, a.agency)));
            rows.push(text("Jurisdiction", a.jurisdiction));
            rows.push(text("First responder", yes_no(a.first_responder)));
            rows.push(text("Duty to notify", yes_no(a.duty_to_notify)));
            rows.push(text("Can apply for STPO/STRO", yes_no(a.order_applicant)));
            rows.push(text("How to engage", &a.engagement.route));
            rows.push(text("Single point of contact", &a.engagement.spoc_role));
            rows.push(text("Last verified", a.last_verified));
        }
    }
    rows.push(text("Owner", &c.owner));
    rows.push(text("Last reviewed", c.last_reviewed));
    rows.retain(|r| !r.items.is_empty());
    rows
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

/// The documents a document refers to (related, orders, its review), published ones only.
fn references(ctx: &Ctx<'_>, d: &Document) -> Vec<Link> {
    let mut ids: Vec<&str> = d.common.related.iter().map(String::as_str).collect();
    match &d.data {
        KindData::CaseReview(r) => ids.extend(r.orders.iter().map(String::as_str)),
        KindData::OrderRecord(o) => ids.extend(o.case_review.as_deref()),
        KindData::AgencyPowers(_) => {}
    }
    let mut seen = BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(*id))
        .filter_map(|id| ctx.link(id))
        .collect()
}

/// For every published document, the published documents that refer to it (front matter
/// references and body links).
pub(super) fn backlinks<'a>(ctx: &Ctx<'a>) -> HashMap<&'a str, Vec<Link>> {
    let mut out: HashMap<&str, Vec<Link>> = HashMap::new();
    for p in &ctx.input.docs {
        let mut targets: BTreeSet<String> =
            references(ctx, p.doc).into_iter().map(|l| l.id).collect();
        for link in markdown::outline(p.body).links {
            if let Some(id) = resolve_id(ctx, p.doc, &link.target) {
                targets.insert(id);
            }
        }
        targets.remove(&p.doc.common.id);
        let Some(me) = ctx.link(&p.doc.common.id) else {
            continue;
        };
        for t in targets {
            if let Some((key, _)) = ctx.by_id.get_key_value(t.as_str()) {
                out.entry(*key).or_default().push(me.clone());
            }
        }
    }
    out
}

/// The published document a body link points at (by id or relative `.md` path).
fn resolve_id(ctx: &Ctx<'_>, from: &Document, target: &str) -> Option<String> {
    let target = target.split('#').next()?;
    if ctx.by_id.contains_key(target) {
        return Some(target.to_owned());
    }
    let path = crate::markdown::resolve_relative(&from.path, target)?;
    ctx.input
        .docs
        .iter()
        .find(|p| p.doc.path == path)
        .map(|p| p.doc.common.id.clone())
}

#[derive(Serialize)]
struct RecRow {
    id: String,
    text: String,
    owner: String,
    due: String,
    status: String,
    overdue: bool,
}

/// The document as JSON (front matter, rendered HTML, history), for `/api/documents/{id}`.
pub(super) fn document_json(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Vec<u8> {
    let d = p.doc;
    let resolve = |target: &str| {
        resolve_id(ctx, d, target)
            .and_then(|id| ctx.link(&id))
            .map(|l| l.url)
    };
    let value = serde_json::json!({
        "front_matter": d,
        "html": markdown::to_html(p.body, &resolve),
        "history": ctx.input.history.get(&d.common.id),
        "url": url(d.common.kind, &d.common.id),
    });
    value.to_string().into_bytes()
}

pub(super) fn document_page(
    ctx: &Ctx<'_>,
    p: &PageDoc<'_>,
    backlinks: Option<&Vec<Link>>,
) -> Result<Vec<u8>, RenderError> {
    let d = p.doc;
    let resolve = |target: &str| {
        resolve_id(ctx, d, target)
            .and_then(|id| ctx.link(&id))
            .map(|l| l.url)
    };
    let body = markdown::to_html(p.body, &resolve);
    let (template, kind_label) = match d.common.kind {
        Kind::CaseReview => ("review.html", "Case review"),
        Kind::OrderRecord => ("order.html", "Order record"),
        Kind::AgencyPowers => ("agency.html", "Agency powers"),
    };
    let (recommendations, good_practice) = match &d.data {
        KindData::CaseReview(r) => (
            r.recommendations
                .iter()
                .map(|x| RecRow {
                    id: x.id.clone(),
                    text: x.text.clone(),
                    owner: x.owner.clone(),
                    due: x.due.to_string(),
                    status: x.status.code().to_owned(),
                    overdue: x.overdue,
                })
                .collect(),
            r.good_practice.clone(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let superseded_by: Vec<Link> = backlinks
        .map(|b| {
            b.iter()
                .filter(|l| {
                    ctx.by_id
                        .get(l.id.as_str())
                        .is_some_and(|x| x.doc.common.kind == d.common.kind)
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let page = context! {
        doc => Serde(&d.common),
        kind_label,
        handling => Serde(&d.common.handling),
        metadata => Serde(&metadata(ctx, d)),
        body => Value::from_safe_string(body),
        recommendations => Serde(&recommendations),
        good_practice => Serde(&good_practice),
        references => Serde(&references(ctx, d)),
        backlinks => Serde(&backlinks.cloned().unwrap_or_default()),
        superseded_by => Serde(&superseded_by),
        similar => Serde(&ctx.input.similar.get(&d.common.id).cloned().unwrap_or_default()),
        history => Serde(&ctx.input.history.get(&d.common.id)),
        history_url => format!("{}history/", url(d.common.kind, &d.common.id)),
    };
    ctx.render(template, d.common.marking, page)
}

pub(super) fn history_page(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Result<Vec<u8>, RenderError> {
    let d = p.doc;
    let page = context! {
        doc => Serde(&d.common),
        doc_url => url(d.common.kind, &d.common.id),
        history => Serde(&ctx.input.history.get(&d.common.id)),
    };
    ctx.render("history.html", d.common.marking, page)
}
