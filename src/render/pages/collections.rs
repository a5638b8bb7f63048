//! Lists of documents: one per kind, and browse pages per area, exploitation type, agency,
//! theme and prohibition.

use std::collections::BTreeMap;

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use crate::model::{Document, FacetName, Kind, VocabName};

use super::*;
use crate::render::{PageDoc, RenderError, Site};

pub(super) fn lists(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    for (kind, intro) in [
        (
            Kind::CaseReview,
            "Deep dives, debriefs and audits of past investigations, newest first.",
        ),
        (
            Kind::OrderRecord,
            "Uses and considered uses of Slavery and Trafficking Prevention and Risk Orders.",
        ),
        (
            Kind::AgencyPowers,
            "What each partner agency can do, on what basis, and how to engage it, A to Z.",
        ),
    ] {
        let heading = kind.plural();
        let docs = ctx.input.docs.iter().filter(|p| p.doc.common.kind == kind);
        // Agencies are looked up by name; reviews and orders are read newest first.
        let order = if kind == Kind::AgencyPowers {
            ListOrder::ByName
        } else {
            ListOrder::Newest
        };
        let path = format!("{}/index.html", kind.folder());
        if let Some(page) = list_page(ctx, &path, heading, intro, docs, order)? {
            out.insert(path, page);
        }
    }
    Ok(())
}

/// The codes of one browse dimension a document carries (the model's `Document::codes`), and
/// the terms they roll up to (an area's reporting area, an exploitation type's parent), so a
/// reporting area's page lists the documents of every area in it.
fn codes_of(ctx: &Ctx<'_>, d: &Document, facet: FacetName) -> Vec<String> {
    let mut codes = d.codes(facet);
    let parents: Vec<String> = facet
        .vocabulary()
        .map(|v| {
            codes
                .iter()
                .filter_map(|c| ctx.input.vocab.parent(v, c).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
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

/// The browse page of one code: its path, its bytes, and its entry on the browse index.
fn browse_page(
    ctx: &Ctx<'_>,
    facet: FacetName,
    vocab: VocabName,
    label: &str,
    code: &str,
    docs: &[&PageDoc<'_>],
) -> Result<(String, Option<Vec<u8>>, Term), RenderError> {
    let dim = facet.key();
    let name = ctx.label(vocab, code);
    let heading = format!("{label}: {name}");
    let path = format!("browse/{dim}/{code}/index.html");
    let page = if dim == "theme" {
        // A theme's page opens with its graded learning and its briefing.
        let summary = ctx
            .input
            .vocab
            .get(VocabName::Themes, code)
            .and_then(|t| t.summary.clone());
        let extra = minijinja::context! {
            summary,
            theme => code,
            label => &name,
            briefing_url => super::learning::briefing_url(code),
            points => Serde(&super::learning::theme_points(ctx, code)),
            related => Serde(&super::learning::theme_related(ctx, code)),
        };
        list_page_as(
            ctx,
            &path,
            "theme.html",
            (&heading, ""),
            docs.iter().copied(),
            ListOrder::Newest,
            extra,
        )?
    } else {
        list_page(
            ctx,
            &path,
            &heading,
            "",
            docs.iter().copied(),
            ListOrder::Newest,
        )?
    };
    Ok((
        path,
        page,
        Term {
            label: name,
            url: format!("/browse/{dim}/{code}/"),
            count: docs.len(),
        },
    ))
}

pub(super) fn browse(ctx: &Ctx<'_>, out: &mut Site) -> Result<(), RenderError> {
    let dims = [
        (FacetName::Area, "Areas"),
        (FacetName::Exploitation, "Exploitation types"),
        (FacetName::Agency, "Agencies"),
        (FacetName::Theme, "Learning themes"),
        (FacetName::Prohibition, "Order prohibitions"),
    ];
    let mut groups = Vec::new();
    for (facet, label) in dims {
        let Some(vocab) = facet.vocabulary() else {
            continue;
        };
        let mut by_code: BTreeMap<String, Vec<&PageDoc<'_>>> = BTreeMap::new();
        for p in &ctx.input.docs {
            for code in codes_of(ctx, p.doc, facet) {
                by_code.entry(code).or_default().push(p);
            }
        }
        let pages: Vec<(String, Option<Vec<u8>>, Term)> = {
            use rayon::prelude::*;
            let by_code: Vec<(&String, &Vec<&PageDoc<'_>>)> = by_code.iter().collect();
            by_code
                .par_iter()
                .map(|(code, docs)| browse_page(ctx, facet, vocab, label, code, docs))
                .collect::<Result<_, RenderError>>()?
        };
        let mut terms = Vec::new();
        for (path, page, term) in pages {
            if let Some(page) = page {
                out.insert(path, page);
            }
            terms.push(term);
        }
        terms.sort_by(|a, b| crate::model::words::by_name(&a.label, &b.label));
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
