//! The overview pages: statistics, home, what's new with its Atom feed, and the sitemap.

use minijinja::context;
use minijinja::value::Serde;

use crate::model::Kind;

use super::*;
use crate::render::charts;
use crate::render::{PageDoc, RenderError, Site};

/// The partner infographic of the edition (`/statistics/infographic/`): exact counts, as on
/// the statistics page; `casebook report --audience public` makes the public one.
fn infographic_page(
    ctx: &Ctx<'_>,
    published: &crate::model::stats::Published,
    out: &mut Site,
) -> Result<(), RenderError> {
    let words = format!(
        "for readers of the {} edition: exact counts, since every reader can open every record counted",
        ctx.input.ceiling
    );
    let info = crate::model::stats::infographic::infographic(published, &words);
    let marking = ctx.marking_of(ctx.input.docs.iter().map(|p| p.doc));
    out.insert(
        "statistics/infographic/index.html".into(),
        ctx.render(
            "infographic.html",
            marking,
            context! { info => Serde(&info), date => ctx.input.today.to_string(), commit => ctx.input.commit.chars().take(7).collect::<String>() },
        )?,
    );
    out.insert(
        "statistics/infographic/infographic.json".into(),
        serde_json::to_vec_pretty(&info).unwrap_or_default(),
    );
    Ok(())
}

pub(super) fn statistics(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let published = ctx.published_statistics();
    infographic_page(ctx, &published, out)?;
    let mut chart_views = Vec::new();
    for chart in &published.charts {
        let id = chart.table.id;
        chart_views.push(charts::view(chart, &format!("/statistics/{id}.csv")));
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
        charts => Serde(&chart_views),
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
    out.insert("feed.xml".into(), feed(ctx)?);
    Ok(())
}

/// The Atom feed of what's new, from the `feed.xml` template.
fn feed(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
    let updated = ctx
        .input
        .changes
        .first()
        .map_or("1970-01-01T00:00:00Z", |c| c.time.as_str());
    ctx.render_plain(
        "feed.xml",
        context! {
            title => ctx.input.title,
            base => ctx.input.base_url.trim_end_matches('/'),
            updated,
            changes => Serde(&ctx.input.changes),
        },
    )
}

/// The sitemap of every page, from the `sitemap.xml` template.
pub(super) fn sitemap(
    ctx: &Ctx<'_>,
    paths: &std::collections::BTreeSet<String>,
) -> Result<Vec<u8>, RenderError> {
    let base = ctx.input.base_url.trim_end_matches('/');
    let urls: Vec<String> = paths
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|path| format!("{base}/{}", path.trim_end_matches("index.html")))
        .collect();
    ctx.render_plain("sitemap.xml", context! { urls })
}

pub(super) fn home(ctx: &Ctx<'_>) -> Result<Vec<u8>, RenderError> {
    let count = |k: Kind| {
        ctx.input
            .docs
            .iter()
            .filter(|p| p.doc.common.kind == k)
            .count()
    };
    // Exact: every reader of the edition can open every document counted.
    let shown = |n: usize| n.to_string();
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
    let latest: Vec<ListItem> = reviews.iter().take(5).map(|p| list_item(ctx, p)).collect();
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
            let mut item = list_item(ctx, p);
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
