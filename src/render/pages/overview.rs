//! The overview pages: statistics, home, what's new with its Atom feed, and the sitemap.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::model::{Kind, KindData, Marking, VocabName};

use super::*;
use crate::render::charts::{self, Chart};
use crate::render::{PageDoc, RenderError, Site};

pub(super) fn statistics(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
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
            "Reporting area",
            by_area,
        ),
        (
            "reviews-by-exploitation",
            "Case reviews by exploitation type",
            "Exploitation type",
            by_type,
        ),
        (
            "reviews-by-year",
            "Case reviews by year of review",
            "Year of review",
            by_year,
        ),
    ];
    let mut figures_html = Vec::new();
    let mut json_charts = Vec::new();
    for (id, title, category, rows) in specs {
        let chart = Chart {
            title: title.to_owned(),
            id: id.to_owned(),
            category: category.to_owned(),
            measure: "Case reviews".to_owned(),
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
        let rows: Vec<serde_json::Value> = chart
            .rows
            .iter()
            .map(|(category, n)| serde_json::json!({ "category": category, "count": charts::shown(*n, suppress) }))
            .collect();
        json_charts.push(serde_json::json!({ "id": id, "title": title, "rows": rows }));
    }
    let figures_json: Vec<serde_json::Value> = figures
        .iter()
        .map(|f| serde_json::json!({ "label": f.label, "value": f.value }))
        .collect();
    let stats = serde_json::json!({
        "ceiling": ctx.input.ceiling.to_string(),
        "small_numbers_suppressed": suppress,
        "figures": figures_json,
        "charts": json_charts,
    });
    out.insert(
        "statistics/statistics.json".into(),
        stats.to_string().into_bytes(),
    );
    let marking = ctx.marking_of(ctx.input.docs.iter().map(|p| p.doc));
    let page =
        context! { figures => Serde(&figures), charts => figures_html, suppressed => suppress };
    out.insert(
        "statistics/index.html".into(),
        ctx.render("statistics.html", marking, page)?,
    );
    Ok(())
}

pub(super) fn whats_new(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
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

pub(super) fn sitemap(ctx: &Ctx<'_>, site: &Site) -> Vec<u8> {
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

pub(super) fn home(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
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
    let questions = super::powers::questions(&super::powers::power_types(ctx));
    ctx.render(
        "home.html",
        marking,
        context! {
            figures => Serde(&figures),
            latest => Serde(&latest),
            updated => Serde(&updated),
            questions => Serde(&questions),
        },
    )
}
