//! `casebook search`: search the built index from the terminal.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::build;
use crate::cli::{OutputFormat, SearchArgs, SortOrder};
use crate::index::{FacetName, KbIndex, SearchRequest, SearchResponse, Sort};

use super::Context;

/// Runs `search`.
pub fn run(args: &SearchArgs, ctx: &Context) -> Result<ExitCode> {
    let ceiling = ctx.config.ceiling();
    let dir = build::index_dir(ctx.repo.root(), &ctx.config, ceiling, false);
    let index = KbIndex::open(&dir).with_context(|| {
        format!(
            "no usable {ceiling} index at {}: run `casebook build` first",
            dir.display()
        )
    })?;
    let response = index.search(&request(args));
    for e in &response.errors {
        eprintln!("error: {e}");
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &response)?;
            writeln!(stdout)?;
        }
        OutputFormat::Human => write!(
            stdout,
            "{}",
            human(&response, std::io::stdout().is_terminal())
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

fn request(args: &SearchArgs) -> SearchRequest {
    let mut filters = BTreeMap::new();
    for (facet, values) in [
        (FacetName::Kind, &args.kind),
        (FacetName::Area, &args.area),
        (FacetName::Exploitation, &args.exploitation),
        (FacetName::Agency, &args.agency),
        (FacetName::Theme, &args.theme),
        (FacetName::Outcome, &args.outcome),
        (FacetName::Power, &args.power),
    ] {
        if !values.is_empty() {
            filters.insert(facet, values.clone());
        }
    }
    SearchRequest {
        q: args.query.clone(),
        filters,
        from: args.from,
        to: args.to,
        sort: match args.sort {
            SortOrder::Relevance => Sort::Relevance,
            SortOrder::Newest => Sort::Newest,
        },
        page: 1,
        per_page: args.limit,
    }
}

/// Results for people: the answer box, then rank, id, kind, date, title, snippet; then
/// warnings and facet counts, in labels.
pub fn human(r: &SearchResponse, terminal: bool) -> String {
    let mut out = String::new();
    for a in &r.answers {
        let what = if a.related { "Also see" } else { "Answer" };
        out.push_str(&format!("{what}: {} ({})\n", a.question, a.url));
        for h in &a.holders {
            let bases: Vec<String> = h
                .powers
                .iter()
                .map(|p| {
                    let warrant = if p.warrant_required {
                        "warrant needed"
                    } else {
                        "no warrant needed"
                    };
                    format!("{} ({warrant})", p.basis)
                })
                .collect();
            out.push_str(&format!("  - {}: {}\n", h.name, bases.join("; ")));
        }
        if a.holders.is_empty() {
            out.push_str("  no agency in this knowledge base records this power\n");
        }
    }
    if !r.answers.is_empty() {
        out.push('\n');
    }
    for (i, hit) in r.hits.iter().enumerate() {
        let status = if hit.status == "approved" {
            String::new()
        } else {
            format!("  [{}]", hit.status_label)
        };
        out.push_str(&format!(
            "{:>3}. {}  {}  {}  {}{status}\n",
            i + 1,
            hit.id,
            hit.kind_label,
            hit.date,
            hit.title
        ));
        for s in &hit.superseded_by {
            out.push_str(&format!("     replaced by {}: {}\n", s.id, s.title));
        }
        out.push_str(&format!("     {}\n", plain(&hit.snippet_html, terminal)));
    }
    let shown = r.hits.len();
    out.push_str(&format!(
        "{} of {} results in {} ms\n",
        shown, r.total, r.took_ms
    ));
    if let Some(s) = &r.suggestion {
        out.push_str(&format!("did you mean: {s}\n"));
    }
    for w in &r.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    for (name, terms) in r.facets.iter().filter(|(_, t)| !t.is_empty()) {
        let labels = r.labels.get(name);
        let list: Vec<String> = terms
            .iter()
            .map(|(t, n)| {
                let label = labels.and_then(|l| l.get(t)).unwrap_or(t);
                if label == t {
                    format!("{t} {n}")
                } else {
                    format!("{label} [{t}] {n}")
                }
            })
            .collect();
        out.push_str(&format!("{name}: {}\n", list.join(", ")));
    }
    out
}

/// Snippet HTML as terminal text: matches in bold on a terminal, else between `**`.
fn plain(html: &str, terminal: bool) -> String {
    let (on, off) = if terminal {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
