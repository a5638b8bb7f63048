//! The overview pages: statistics, home, what's new with its Atom feed, and the sitemap.

use minijinja::context;
use minijinja::value::{Serde, Value};

use crate::model::{Kind, Marking};

use super::*;
use crate::render::charts;
use crate::render::{PageDoc, RenderError, Site};

pub(super) fn statistics(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let published = ctx.published_statistics();
    let mut figures_html = Vec::new();
    for chart in &published.charts {
        let id = chart.table.id;
        let csv_url = format!("/statistics/{id}.csv");
        figures_html.push(Value::from_safe_string(charts::figure(chart, &csv_url)));
        out.insert(
            format!("statistics/{id}.csv"),
            charts::csv(chart).into_bytes(),
        );
    }
    out.insert(
        "statistics/statistics.json".into(),
        crate::render::escape_json_for_html(&serde_json::to_string(&published).unwrap_or_default())
            .into_bytes(),
    );
    let marking = ctx.marking_of(ctx.input.docs.iter().map(|p| p.doc));
    let figures: Vec<Figure> = published
        .figures
        .iter()
        .map(|f| Figure {
            value: f.value.value.clone(),
            label: f.label.to_owned(),
        })
        .collect();
    let contents: Vec<Figure> = published
        .charts
        .iter()
        .map(|c| Figure {
            value: c.table.id.to_owned(),
            label: c.table.title.to_owned(),
        })
        .collect();
    let page = context! {
        figures => Serde(&figures),
        contents => Serde(&contents),
        charts => figures_html,
        suppressed => published.small_numbers_suppressed,
        rule => published.rule,
    };
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
            "<entry><title>{} {}</title><id>{base}{}#{}</id><link href=\"{base}{}\"/><updated>{}</updated><summary>{}: {}</summary><author><name>Casebook</name></author></entry>\n",
            xml(&c.id),
            xml(&c.title),
            xml(&c.url),
            xml(&c.time),
            xml(&c.url),
            xml(&c.time),
            xml(&c.kind),
            xml(&c.what)
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
    let shown = |n: usize| {
        if suppress && (1..=5).contains(&n) {
            crate::model::stats::SMALL.to_owned()
        } else {
            n.to_string()
        }
    };
    let figures = vec![
        Figure {
            value: shown(count(Kind::CaseReview)),
            label: "case reviews".into(),
        },
        Figure {
            value: shown(count(Kind::OrderRecord)),
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
    reviews.sort_by(|a, b| {
        b.doc
            .date()
            .cmp(&a.doc.date())
            .then(a.doc.common.id.cmp(&b.doc.common.id))
    });
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
