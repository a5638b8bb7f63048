//! Every page of the site, as template contexts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use minijinja::value::{Serde, Value};
use minijinja::{Environment, context};
use serde::Serialize;

use crate::markdown;
use crate::model::enums::Closed;
use crate::model::{Document, Kind, KindData, Marking, VocabName};

use super::charts::{self, Chart};
use super::templates::template_error;
use super::{Link, PageDoc, RenderError, Site, SiteInput};

/// The site URL of a document: `/reviews/CR-2024-007/`.
pub fn url(kind: Kind, id: &str) -> String {
    format!("/{}/{id}/", kind.folder())
}

#[derive(Serialize)]
struct SiteCtx {
    title: String,
    root: &'static str,
    commit_short: String,
    ceiling: String,
}

/// What every page needs, and the published documents by id.
struct Ctx<'a> {
    env: &'a Environment<'static>,
    input: &'a SiteInput<'a>,
    site: SiteCtx,
    by_id: HashMap<&'a str, PageDoc<'a>>,
}

impl<'a> Ctx<'a> {
    fn link(&self, id: &str) -> Option<Link> {
        let d = self.by_id.get(id)?.doc;
        Some(Link {
            id: d.common.id.clone(),
            title: d.common.title.clone(),
            url: url(d.common.kind, &d.common.id),
        })
    }

    fn render(&self, name: &str, marking: Marking, page: Value) -> Result<Vec<u8>, RenderError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(name, &e))?;
        let ctx =
            context! { site => Serde(&self.site), page_marking => marking.to_string(), ..page };
        template
            .render(ctx)
            .map(String::into_bytes)
            .map_err(|e| template_error(name, &e))
    }

    fn label(&self, name: VocabName, code: &str) -> String {
        self.input.vocab.label(name, code).to_owned()
    }

    /// The highest marking among the documents a page shows (OFFICIAL when none).
    fn marking_of<'d>(&self, docs: impl Iterator<Item = &'d Document>) -> Marking {
        docs.map(|d| d.common.marking)
            .max()
            .unwrap_or(Marking::Official)
    }
}

/// Renders every page.
pub(super) fn render_all(
    env: &Environment<'static>,
    input: &SiteInput<'_>,
) -> Result<Site, RenderError> {
    let by_id = input
        .docs
        .iter()
        .map(|p| (p.doc.common.id.as_str(), *p))
        .collect();
    let site = SiteCtx {
        title: input.title.to_owned(),
        root: "/",
        commit_short: input.commit.chars().take(7).collect(),
        ceiling: input.ceiling.to_string(),
    };
    let ctx = Ctx {
        env,
        input,
        site,
        by_id,
    };
    let mut out = Site::new();
    let backlinks = backlinks(&ctx);
    for p in &input.docs {
        let base = format!("{}/{}/", p.doc.common.kind.folder(), p.doc.common.id);
        let page = document_page(&ctx, p, backlinks.get(p.doc.common.id.as_str()))?;
        out.insert(format!("{base}index.html"), page);
        out.insert(format!("{base}history/index.html"), history_page(&ctx, p)?);
    }
    lists(&ctx, &mut out)?;
    browse(&ctx, &mut out)?;
    out.insert("powers/index.html".into(), matrix(&ctx)?);
    register(&ctx, &mut out)?;
    out.insert("recommendations/index.html".into(), tracker(&ctx)?);
    statistics(&ctx, &mut out)?;
    whats_new(&ctx, &mut out)?;
    out.insert("index.html".into(), home(&ctx)?);
    out.insert(
        "404.html".into(),
        ctx.render("404.html", Marking::Official, context! {})?,
    );
    out.insert(
        "search.html".into(),
        ctx.render("search.html", Marking::Official, context! {})?,
    );
    out.insert("sitemap.xml".into(), sitemap(&ctx, &out));
    Ok(out)
}

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
fn backlinks<'a>(ctx: &Ctx<'a>) -> HashMap<&'a str, Vec<Link>> {
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
    if !target.ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = from.path.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let path = parts.join("/");
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

fn document_page(
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

fn history_page(ctx: &Ctx<'_>, p: &PageDoc<'_>) -> Result<Vec<u8>, RenderError> {
    let d = p.doc;
    let page = context! {
        doc => Serde(&d.common),
        doc_url => url(d.common.kind, &d.common.id),
        history => Serde(&ctx.input.history.get(&d.common.id)),
    };
    ctx.render("history.html", d.common.marking, page)
}

#[derive(Serialize)]
struct ListItem {
    id: String,
    title: String,
    url: String,
    date: String,
    marking: String,
    summary: String,
}

/// The date a document is listed under.
fn date_of(d: &Document) -> String {
    match &d.data {
        KindData::CaseReview(r) => r.review_date.to_string(),
        KindData::OrderRecord(o) => o
            .made
            .or(o.applied)
            .map_or(d.common.last_reviewed.to_string(), |m| m.to_string()),
        KindData::AgencyPowers(a) => a.last_verified.to_string(),
    }
}

fn list_item(p: &PageDoc<'_>) -> ListItem {
    let d = p.doc;
    let mut summary = markdown::section_text(p.body, "Summary").unwrap_or_default();
    if summary.chars().count() > 240 {
        summary = summary.chars().take(240).collect::<String>() + "…";
    }
    ListItem {
        id: d.common.id.clone(),
        title: d.common.title.clone(),
        url: url(d.common.kind, &d.common.id),
        date: date_of(d),
        marking: d.common.marking.to_string(),
        summary,
    }
}

fn list_page<'a>(
    ctx: &Ctx<'_>,
    heading: &str,
    intro: &str,
    docs: impl Iterator<Item = &'a PageDoc<'a>>,
) -> Result<Vec<u8>, RenderError> {
    let mut docs: Vec<&PageDoc<'_>> = docs.collect();
    docs.sort_by(|a, b| {
        date_of(b.doc)
            .cmp(&date_of(a.doc))
            .then(a.doc.common.id.cmp(&b.doc.common.id))
    });
    let marking = ctx.marking_of(docs.iter().map(|p| p.doc));
    let items: Vec<ListItem> = docs.iter().map(|p| list_item(p)).collect();
    ctx.render(
        "list.html",
        marking,
        context! { heading, intro, items => Serde(&items) },
    )
}

fn lists(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    for (kind, heading, intro) in [
        (
            Kind::CaseReview,
            "Case reviews",
            "Deep dives, debriefs and audits of past investigations, newest first.",
        ),
        (
            Kind::OrderRecord,
            "Order records",
            "Uses and considered uses of Slavery and Trafficking Prevention and Risk Orders.",
        ),
        (
            Kind::AgencyPowers,
            "Agency powers",
            "What each partner agency can do, on what basis, and how to engage it.",
        ),
    ] {
        let docs = ctx.input.docs.iter().filter(|p| p.doc.common.kind == kind);
        out.insert(
            format!("{}/index.html", kind.folder()),
            list_page(ctx, heading, intro, docs)?,
        );
    }
    Ok(())
}

/// The codes of one browse dimension a document carries (areas roll up to their reporting area).
fn codes_of(ctx: &Ctx<'_>, d: &Document, dim: &str) -> Vec<String> {
    let mut codes: Vec<String> = match (&d.data, dim) {
        (KindData::CaseReview(r), "area") => r.areas.clone(),
        (KindData::OrderRecord(o), "area") => o.areas.clone(),
        (KindData::CaseReview(r), "exploitation") => r.exploitation.clone(),
        (KindData::OrderRecord(o), "exploitation") => o.exploitation.clone(),
        (KindData::CaseReview(r), "agency") => r.agencies.iter().map(|a| a.code.clone()).collect(),
        (KindData::AgencyPowers(a), "agency") => vec![a.agency.clone()],
        (KindData::OrderRecord(o), "agency") => o
            .management
            .iter()
            .flat_map(|m| m.partners.clone())
            .collect(),
        (KindData::CaseReview(r), "theme") => r.themes.clone(),
        (KindData::OrderRecord(o), "prohibition") => o.prohibitions.clone(),
        _ => Vec::new(),
    };
    let parents: Vec<String> = codes
        .iter()
        .filter_map(|c| match dim {
            "area" => ctx
                .input
                .vocab
                .get(VocabName::Areas, c)
                .and_then(|t| t.reporting_area.clone()),
            "exploitation" => ctx
                .input
                .vocab
                .get(VocabName::Exploitation, c)
                .and_then(|t| t.parent.clone()),
            _ => None,
        })
        .collect();
    codes.extend(parents);
    codes.sort();
    codes.dedup();
    codes
}

#[derive(Serialize)]
struct Term {
    label: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Group {
    label: &'static str,
    terms: Vec<Term>,
}

fn browse(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let dims = [
        ("area", "Areas", VocabName::Areas),
        (
            "exploitation",
            "Exploitation types",
            VocabName::Exploitation,
        ),
        ("agency", "Agencies", VocabName::Agencies),
        ("theme", "Learning themes", VocabName::Themes),
        ("prohibition", "Order prohibitions", VocabName::Prohibitions),
    ];
    let mut groups = Vec::new();
    for (dim, label, vocab) in dims {
        let mut by_code: BTreeMap<String, Vec<&PageDoc<'_>>> = BTreeMap::new();
        for p in &ctx.input.docs {
            for code in codes_of(ctx, p.doc, dim) {
                by_code.entry(code).or_default().push(p);
            }
        }
        let mut terms = Vec::new();
        for (code, docs) in &by_code {
            let name = ctx.label(vocab, code);
            let heading = format!("{label}: {name}");
            let page = list_page(ctx, &heading, "", docs.iter().copied())?;
            out.insert(format!("browse/{dim}/{code}/index.html"), page);
            terms.push(Term {
                label: name,
                url: format!("/browse/{dim}/{code}/"),
                count: docs.len(),
            });
        }
        groups.push(Group { label, terms });
    }
    let marking = ctx.marking_of(ctx.input.docs.iter().map(|p| p.doc));
    out.insert(
        "browse/index.html".into(),
        ctx.render(
            "browse.html",
            marking,
            context! { groups => Serde(&groups) },
        )?,
    );
    Ok(())
}

#[derive(Serialize)]
struct MatrixRow {
    agency: String,
    name: String,
    url: String,
    cells: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct Code {
    code: String,
    label: String,
}

fn matrix(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
    let power_types: Vec<Code> = ctx
        .input
        .vocab
        .terms(VocabName::PowerTypes)
        .iter()
        .map(|t| Code {
            code: t.code.clone(),
            label: t.label.clone(),
        })
        .collect();
    let mut notes: Vec<&PageDoc<'_>> = ctx
        .input
        .docs
        .iter()
        .filter(|p| p.doc.common.kind == Kind::AgencyPowers)
        .collect();
    notes.sort_by(|a, b| a.doc.common.id.cmp(&b.doc.common.id));
    let rows: Vec<MatrixRow> = notes
        .iter()
        .filter_map(|p| match &p.doc.data {
            KindData::AgencyPowers(a) => Some(MatrixRow {
                agency: a.agency.clone(),
                name: a.name.clone(),
                url: url(Kind::AgencyPowers, &p.doc.common.id),
                cells: power_types
                    .iter()
                    .map(|t| {
                        a.powers
                            .iter()
                            .filter(|w| w.power_type == t.code)
                            .map(|w| w.basis.clone())
                            .collect()
                    })
                    .collect(),
            }),
            _ => None,
        })
        .collect();
    let marking = ctx.marking_of(notes.iter().map(|p| p.doc));
    ctx.render(
        "matrix.html",
        marking,
        context! { power_types => Serde(&power_types), rows => Serde(&rows) },
    )
}

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

/// A chart's id, title and rows.
type ChartSpec = (&'static str, &'static str, Vec<(String, usize)>);

#[derive(Serialize)]
struct SortLink {
    label: &'static str,
    url: &'static str,
    current: bool,
}

fn register(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
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
            order_type: o.order_type.to_string(),
            status: o.order_status.to_string(),
            applicant: o
                .applicant
                .map_or("court on sentencing".to_owned(), |a| a.to_string()),
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
            count(&|r| vec![r.date.chars().take(4).collect()]),
        ),
        (
            "orders-by-type",
            "Orders by type",
            count(&|r| vec![r.order_type.clone()]),
        ),
        (
            "orders-by-applicant",
            "Orders by applicant",
            count(&|r| vec![r.applicant.clone()]),
        ),
        (
            "orders-by-status",
            "Orders by status",
            count(&|r| vec![r.status.clone()]),
        ),
        (
            "orders-by-area",
            "Orders by area",
            count(&|r| r.areas.split(", ").map(str::to_owned).collect()),
        ),
    ];
    specs
        .into_iter()
        .map(|(id, title, rows)| {
            let chart = Chart {
                title: title.to_owned(),
                id: id.to_owned(),
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

#[derive(Serialize)]
struct Figure {
    value: String,
    label: String,
}

fn tracker(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
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
                    status: rec.status.code().to_owned(),
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
                .filter(|r| r.status == "done")
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

fn statistics(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let suppress = ctx.input.ceiling == Marking::Official;
    let reviews: Vec<&crate::model::case_review::CaseReview> = ctx
        .input
        .docs
        .iter()
        .filter_map(|p| match &p.doc.data {
            KindData::CaseReview(r) => Some(r.as_ref()),
            _ => None,
        })
        .collect();
    let orders = ctx
        .input
        .docs
        .iter()
        .filter(|p| p.doc.common.kind == Kind::OrderRecord)
        .count();
    let victims: usize = reviews.iter().map(|r| r.victims.total as usize).sum();
    let figures = vec![
        Figure {
            value: charts::shown(reviews.len(), suppress),
            label: "case reviews".into(),
        },
        Figure {
            value: charts::shown(victims, suppress),
            label: "victims in reviewed cases".into(),
        },
        Figure {
            value: charts::shown(orders, suppress),
            label: "order records".into(),
        },
    ];
    let mut by_area: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_year: BTreeMap<String, usize> = BTreeMap::new();
    for r in &reviews {
        let mut areas: BTreeSet<String> = BTreeSet::new();
        for a in &r.areas {
            let term = ctx.input.vocab.get(VocabName::Areas, a);
            let reporting = term
                .and_then(|t| t.reporting_area.clone())
                .unwrap_or_else(|| a.clone());
            // A reporting area is named without qualifiers: "Hampshire", not "Hampshire (county-wide)".
            let label = ctx.label(VocabName::Areas, &reporting);
            areas.insert(label.split(" (").next().unwrap_or(&label).to_owned());
        }
        areas
            .into_iter()
            .for_each(|a| *by_area.entry(a).or_default() += 1);
        let mut types: BTreeSet<String> = BTreeSet::new();
        for e in &r.exploitation {
            let parent = ctx
                .input
                .vocab
                .get(VocabName::Exploitation, e)
                .and_then(|t| t.parent.clone())
                .unwrap_or_else(|| e.clone());
            types.insert(ctx.label(VocabName::Exploitation, &parent));
        }
        types
            .into_iter()
            .for_each(|t| *by_type.entry(t).or_default() += 1);
        *by_year.entry(r.review_date.year().to_string()).or_default() += 1;
    }
    let specs = [
        (
            "reviews-by-reporting-area",
            "Case reviews by reporting area",
            by_area,
        ),
        (
            "reviews-by-exploitation",
            "Case reviews by exploitation type",
            by_type,
        ),
        ("reviews-by-year", "Case reviews by year of review", by_year),
    ];
    let mut figures_html = Vec::new();
    for (id, title, rows) in specs {
        let chart = Chart {
            title: title.to_owned(),
            id: id.to_owned(),
            rows: rows.into_iter().collect(),
        };
        let csv_url = format!("/statistics/{id}.csv");
        figures_html.push(Value::from_safe_string(charts::figure(
            &chart, suppress, &csv_url,
        )));
        out.insert(
            format!("statistics/{id}.csv"),
            charts::csv(&chart, suppress).into_bytes(),
        );
    }
    let marking = ctx.marking_of(ctx.input.docs.iter().map(|p| p.doc));
    let page =
        context! { figures => Serde(&figures), charts => figures_html, suppressed => suppress };
    out.insert(
        "statistics/index.html".into(),
        ctx.render("statistics.html", marking, page)?,
    );
    Ok(())
}

fn whats_new(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let entries = &ctx.input.changes;
    let marking = ctx.marking_of(
        entries
            .iter()
            .filter_map(|e| ctx.by_id.get(e.id.as_str()).map(|p| p.doc)),
    );
    out.insert(
        "whats-new/index.html".into(),
        ctx.render(
            "whats-new.html",
            marking,
            context! { entries => Serde(entries) },
        )?,
    );
    out.insert("feed.xml".into(), feed(ctx).into_bytes());
    Ok(())
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn feed(ctx: &Ctx<'_>) -> String {
    let base = ctx.input.base_url.trim_end_matches('/');
    let updated = ctx
        .input
        .changes
        .first()
        .map_or("1970-01-01T00:00:00Z".to_owned(), |c| c.time.clone());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{base}/</id>\n<link href=\"{base}/feed.xml\" rel=\"self\"/>\n<updated>{updated}</updated>\n",
        xml(ctx.input.title)
    );
    for c in &ctx.input.changes {
        out.push_str(&format!(
            "<entry><title>{} {}</title><id>{base}{}#{}</id><link href=\"{base}{}\"/><updated>{}</updated><summary>{}</summary><author><name>Casebook</name></author></entry>\n",
            xml(&c.id),
            xml(&c.title),
            xml(&c.url),
            xml(&c.time),
            xml(&c.url),
            xml(&c.time),
            xml(&c.message)
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn sitemap(ctx: &Ctx<'_>, site: &Site) -> Vec<u8> {
    let base = ctx.input.base_url.trim_end_matches('/');
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in site.keys().filter(|p| p.ends_with("index.html")) {
        let url = format!("{base}/{}", path.trim_end_matches("index.html"));
        out.push_str(&format!("<url><loc>{}</loc></url>\n", xml(&url)));
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

fn home(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
    let count = |k: Kind| {
        ctx.input
            .docs
            .iter()
            .filter(|p| p.doc.common.kind == k)
            .count()
    };
    let suppress = ctx.input.ceiling == Marking::Official;
    let figures = vec![
        Figure {
            value: charts::shown(count(Kind::CaseReview), suppress),
            label: "case reviews".into(),
        },
        Figure {
            value: charts::shown(count(Kind::OrderRecord), suppress),
            label: "order records".into(),
        },
        Figure {
            value: count(Kind::AgencyPowers).to_string(),
            label: "agency powers notes".into(),
        },
    ];
    let mut reviews: Vec<&PageDoc<'_>> = ctx
        .input
        .docs
        .iter()
        .filter(|p| p.doc.common.kind == Kind::CaseReview)
        .collect();
    reviews.sort_by_key(|p| std::cmp::Reverse(date_of(p.doc)));
    let latest: Vec<ListItem> = reviews.iter().take(5).map(|p| list_item(p)).collect();
    let mut all: Vec<&PageDoc<'_>> = ctx.input.docs.iter().collect();
    all.sort_by(|a, b| {
        b.doc
            .common
            .last_reviewed
            .cmp(&a.doc.common.last_reviewed)
            .then(a.doc.common.id.cmp(&b.doc.common.id))
    });
    let updated: Vec<ListItem> = all
        .iter()
        .take(5)
        .map(|p| {
            let mut item = list_item(p);
            item.date = p.doc.common.last_reviewed.to_string();
            item
        })
        .collect();
    let marking = ctx.marking_of(
        reviews
            .iter()
            .take(5)
            .chain(all.iter().take(5))
            .map(|p| p.doc),
    );
    ctx.render("home.html", marking, context! { figures => Serde(&figures), latest => Serde(&latest), updated => Serde(&updated) })
}
