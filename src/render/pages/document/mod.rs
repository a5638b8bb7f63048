//! The page of each document and its history page: metadata, safe body, references,
//! backlinks, similar documents and git history.

use std::collections::{BTreeSet, HashMap};

use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::markdown;
use crate::model::enums::Closed;
use crate::model::words::count;
use crate::model::{Document, Kind, KindData, Status, VocabName};

use super::*;
use crate::render::{Link, PageDoc, RenderError};

mod agency;
mod labels;
mod order;
mod review;

use agency::*;
use labels::*;
use order::*;
use review::*;

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

/// References as links; a document the edition leaves out is shown by the words that stand
/// for it (`a review at a higher marking`, once per row), never by its id.
fn linked(ctx: &Ctx<'_>, label: &'static str, ids: &[String]) -> Row {
    let mut items: Vec<Item> = Vec::new();
    for id in ids {
        let item = match ctx.link(id) {
            Some(l) => Item {
                text: format!("{} {}", l.id, l.title),
                url: Some(l.url),
            },
            None => Item {
                text: ctx
                    .input
                    .withheld
                    .words_for(id)
                    .unwrap_or_default()
                    .to_owned(),
                url: None,
            },
        };
        if !items.iter().any(|i| i.url.is_none() && i.text == item.text) {
            items.push(item);
        }
    }
    Row {
        label,
        items,
        list: true,
    }
}

fn lines(label: &'static str, items: Vec<String>) -> Row {
    Row {
        label,
        items: items
            .into_iter()
            .map(|t| Item { text: t, url: None })
            .collect(),
        list: true,
    }
}

fn metadata(ctx: &Ctx<'_>, d: &Document) -> Vec<Row> {
    let c = &d.common;
    let mut rows = vec![
        text("Marking", c.marking.label()),
        text("Status", c.status.label()),
    ];
    match &d.data {
        KindData::CaseReview(r) => {
            rows.push(text("Operation", &r.operation));
            rows.push(text("Review type", r.review_type.label()));
            rows.push(text("Review date", r.review_date));
            let end = r
                .investigation
                .end
                .map_or("ongoing".to_owned(), |e| e.long());
            rows.push(text(
                "Investigation",
                format!("{} to {end}", r.investigation.start.long()),
            ));
            rows.push(text(
                "Lead agency",
                ctx.label(VocabName::Agencies, &r.lead_agency),
            ));
            rows.push(terms(ctx, "Areas", VocabName::Areas, "area", &r.areas));
            rows.push(terms(
                ctx,
                "Exploitation",
                VocabName::Exploitation,
                "exploitation",
                &r.exploitation,
            ));
            rows.push(text(
                "Referred by",
                ctx.label(VocabName::ReferralSources, &r.referral_source),
            ));
            rows.push(text("Outcome", ctx.label(VocabName::Outcomes, &r.outcome)));
            rows.push(terms(
                ctx,
                "Learning themes",
                VocabName::Themes,
                "theme",
                &r.themes,
            ));
            rows.push(linked(ctx, "Orders", &r.orders));
        }
        KindData::OrderRecord(o) => {
            rows.push(text("Order", o.order_type.label()));
            rows.push(text("Legal basis", o.basis.label()));
            rows.push(text("Where it stands", o.order_status.label()));
            rows.push(text("Court", o.court.label()));
            rows.push(text(
                "Applicant",
                o.applicant
                    .map_or("None: made by the court on sentencing", |a| a.label()),
            ));
            if let Some(m) = o.applied {
                rows.push(text("Applied", m.long()));
            }
            if let Some(m) = o.made {
                rows.push(text("Made", m.long()));
            }
            if let Some(m) = o.served {
                rows.push(text("Served", m.long()));
            }
            if let Some(d) = o.decided {
                rows.push(text(decided_label(o.order_status), d.long()));
            }
            if o.date().is_none() {
                rows.push(text("Date", "Not recorded"));
            }
            match (o.until_further_order, o.duration_years) {
                (Some(true), _) => rows.push(text("Duration", "Until further order")),
                (_, Some(y)) => rows.push(text("Duration", count(y.into(), "year", "years"))),
                _ if o.order_type.is_interim() && o.made.is_some() => {
                    rows.push(text(
                        "Duration",
                        "Fixed period, until the application is decided",
                    ));
                }
                _ => {}
            }
            if let Some(e) = o.expiry() {
                rows.push(text("Expires", e.long()));
            }
            if let Some(r) = o.renewal_due() {
                rows.push(text("Prepare any renewal from", r.long()));
            }
            if let Some(n) = o.notification_requirement {
                let label = if o.order_status.is_made() {
                    "Notification requirement"
                } else {
                    "Notification requirement sought"
                };
                rows.push(text(label, yes_no(n)));
            }
            if let Some(s) = &o.subject {
                let parts: Vec<&str> = [s.age_band.map(|a| a.label()), s.sex.map(|x| x.label())]
                    .into_iter()
                    .flatten()
                    .collect();
                if !parts.is_empty() {
                    rows.push(text("Subject", parts.join(", ")));
                }
            }
            rows.push(terms(ctx, "Areas", VocabName::Areas, "area", &o.areas));
            rows.push(terms(
                ctx,
                "Exploitation",
                VocabName::Exploitation,
                "exploitation",
                &o.exploitation,
            ));
            let review: Vec<String> = o.case_review.iter().cloned().collect();
            rows.push(linked(ctx, "Case review", &review));
            let main: Vec<String> = o.application.iter().cloned().collect();
            rows.push(linked(ctx, "Main application", &main));
        }
        KindData::AgencyPowers(a) => {
            rows.push(text("Agency", &a.name));
            if let Some(p) = &a.parent_body {
                rows.push(text("Part of", p));
            }
            rows.push(text("Where its powers run", a.jurisdiction.label()));
            rows.push(text("NRM first responder", yes_no(a.first_responder)));
            rows.push(text("Under the duty to notify", yes_no(a.duty_to_notify)));
            rows.push(text(
                "Can apply for an STPO or STRO",
                yes_no(a.order_applicant),
            ));
            rows.push(text("Last verified", a.last_verified));
        }
    }
    rows.push(text("Owner", ctx.label(VocabName::Agencies, &c.owner)));
    rows.push(text("Last reviewed", c.last_reviewed));
    if !c.tags.is_empty() {
        rows.push(lines(
            "Tags",
            c.tags
                .iter()
                .map(|t| ctx.input.withheld.redact(t).replace('-', " "))
                .collect(),
        ));
    }
    rows.retain(|r| !r.items.is_empty());
    rows
}

/// What the `decided` month of an order that was not made records.
fn decided_label(status: crate::model::enums::OrderStatus) -> &'static str {
    use crate::model::enums::OrderStatus;
    match status {
        OrderStatus::Refused => "Refused",
        OrderStatus::Withdrawn => "Withdrawn",
        OrderStatus::ConsideredNotPursued => "Considered",
        _ => "Decided",
    }
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

/// Every document id a document's front matter names (related, orders, its review, its main
/// application): the documents its pages show by title.
pub(in crate::render::pages) fn named_ids(d: &Document) -> Vec<&str> {
    let mut ids: Vec<&str> = d.common.related.iter().map(String::as_str).collect();
    match &d.data {
        KindData::CaseReview(r) => ids.extend(r.orders.iter().map(String::as_str)),
        KindData::OrderRecord(o) => {
            ids.extend(o.case_review.as_deref());
            ids.extend(o.application.as_deref());
        }
        KindData::AgencyPowers(_) => {}
    }
    ids
}

/// Where each link of a document's body points: (the target as written, the published
/// document it resolves to).
pub(in crate::render::pages) type Targets = Vec<(String, Option<String>)>;

/// The links of a document's body and the published documents they resolve to.
pub(in crate::render::pages) fn body_targets(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Targets {
    markdown::outline(p.body)
        .links
        .into_iter()
        .map(|link| {
            let id = resolve_id(ctx, p.doc, &link.target);
            (link.target, id)
        })
        .collect()
}

/// For every published document, the published documents that refer to it (front matter
/// references and body links); `targets` are the body links of `ctx.input.docs`, in order.
pub(in crate::render::pages) fn backlinks<'a>(
    ctx: &Ctx<'a>,
    targets: &[Targets],
) -> HashMap<&'a str, Vec<Link>> {
    let mut out: HashMap<&str, Vec<Link>> = HashMap::new();
    for (p, body) in ctx.input.docs.iter().zip(targets) {
        let mut targets: BTreeSet<String> =
            references(ctx, p.doc).into_iter().map(|l| l.id).collect();
        targets.extend(body.iter().filter_map(|(_, id)| id.clone()));
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

/// A labelled figure or fact in a section of a document page.
#[derive(Serialize)]
struct Fact {
    label: String,
    value: String,
}

fn fact(label: impl Into<String>, value: impl ToString) -> Fact {
    Fact {
        label: label.into(),
        value: value.to_string(),
    }
}

/// A recommendation as its review's page lists it.
#[derive(Serialize)]
struct RecRow {
    id: String,
    text: String,
    owner: String,
    due: String,
    status: String,
    overdue: bool,
}

/// The front matter as JSON, without the references to documents the edition leaves out:
/// they are dropped from `related` and `orders`, and `case_review` and `application` are left
/// out when they name one.
fn front_matter(ctx: &Ctx<'_>, d: &Document) -> serde_json::Value {
    let mut value = serde_json::to_value(d).unwrap_or_default();
    let Some(fields) = value.as_object_mut() else {
        return value;
    };
    let shown = |v: &serde_json::Value| {
        v.as_str()
            .is_some_and(|id| ctx.input.withheld.is_published(id))
    };
    for list in ["related", "orders"] {
        if let Some(serde_json::Value::Array(ids)) = fields.get_mut(list) {
            ids.retain(shown);
        }
    }
    for one in ["case_review", "application"] {
        if fields.get(one).is_some_and(|v| !v.is_null() && !shown(v)) {
            fields.remove(one);
        }
    }
    value
}

/// The document as JSON (front matter, rendered HTML, history), for `/api/documents/{id}`.
pub(super) fn document_json(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Vec<u8> {
    let d = p.doc;
    let resolve = |target: &str| {
        resolve_id(ctx, d, target)
            .and_then(|id| ctx.link(&id))
            .map(|l| l.url)
    };
    let redact: &markdown::Redact<'_> = &|t| ctx.input.withheld.redact(t);
    let value = serde_json::json!({
        "front_matter": front_matter(ctx, d),
        "labels": document_labels(ctx, d),
        "html": markdown::to_html(p.body, &resolve, redact).into_string(),
        "history": ctx.input.history.get(&d.common.id),
        "url": d.url(),
    });
    crate::render::escape_json_for_html(&value.to_string()).into_bytes()
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
    let redact: &markdown::Redact<'_> = &|t| ctx.input.withheld.redact(t);
    let body = markdown::to_html(p.body, &resolve, redact);
    let template = match d.common.kind {
        Kind::CaseReview => "review.html",
        Kind::OrderRecord => "order.html",
        Kind::AgencyPowers => "agency.html",
    };
    let kind_label = d.common.kind.label();
    let (learning, related_reviews) = match &d.data {
        KindData::CaseReview(r) => super::learning::of_review(ctx, d, r),
        _ => (Vec::new(), Vec::new()),
    };
    let recommendations = match &d.data {
        KindData::CaseReview(r) => r
            .recommendations
            .iter()
            .map(|x| RecRow {
                id: x.id.clone(),
                text: x.text.clone(),
                owner: ctx.label(VocabName::Agencies, &x.owner),
                due: x.due.long(),
                status: x.status.label().to_owned(),
                overdue: x.overdue,
            })
            .collect(),
        _ => Vec::new(),
    };
    let superseded_by = if d.common.status == Status::Superseded {
        successors(ctx, d)
    } else {
        Vec::new()
    };
    let (review, order, agency) = match &d.data {
        KindData::CaseReview(r) => (review_facts(ctx, r), None, None),
        KindData::OrderRecord(o) => (Vec::new(), Some(order_ctx(ctx, o)), None),
        KindData::AgencyPowers(a) => (Vec::new(), None, Some(agency_ctx(ctx, a))),
    };
    let figures: Vec<Value> = review
        .into_iter()
        .map(|(heading, facts)| context! { heading, facts => Serde(&facts) })
        .collect();
    let page = context! {
        doc => Serde(&d.common),
        status_label => d.common.status.label(),
        figures,
        order => Serde(&order),
        agency => Serde(&agency),
        kind_label,
        handling => Serde(&d.common.handling),
        metadata => Serde(&metadata(ctx, d)),
        body => crate::render::safe(body),
        recommendations => Serde(&recommendations),
        learning => Serde(&learning),
        related_reviews => Serde(&related_reviews),
        references => Serde(&references(ctx, d)),
        backlinks => Serde(&backlinks.cloned().unwrap_or_default()),
        superseded_by => Serde(&superseded_by),
        similar => Serde(&ctx.input.similar.get(&d.common.id).cloned().unwrap_or_default()),
        history => Serde(&ctx.input.history.get(&d.common.id)),
        history_url => format!("{}history/", d.url()),
    };
    ctx.render(template, d.common.marking, page)
}

/// The published documents of the same kind that name `d` in `related` and are not superseded
/// themselves: what replaced a superseded document (the same rule as the search hits').
pub(in crate::render::pages) fn successors(ctx: &Ctx<'_>, d: &Document) -> Vec<Link> {
    let mut out: Vec<Link> = ctx
        .input
        .docs
        .iter()
        .filter(|p| {
            let c = &p.doc.common;
            c.kind == d.common.kind
                && c.status != Status::Superseded
                && c.related.contains(&d.common.id)
        })
        .filter_map(|p| ctx.link(&p.doc.common.id))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

pub(super) fn history_page(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Result<Vec<u8>, RenderError> {
    let d = p.doc;
    let page = context! {
        doc => Serde(&d.common),
        doc_url => d.url(),
        history => Serde(&ctx.input.history.get(&d.common.id)),
    };
    ctx.render("history.html", d.common.marking, page)
}
