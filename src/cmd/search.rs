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
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), ctx)?;
    let dir = build::index_dir(ctx.repo.root(), &ctx.config, ceiling, false);
    let index = KbIndex::open(&dir).with_context(|| {
        let build = match args.max_marking {
            Some(_) => format!("casebook build --max-marking {ceiling}"),
            None => "casebook build".to_owned(),
        };
        // Only a missing index is fixed by building; any other reason (permissions, a damaged
        // file) is named as it is, after this line.
        if dir.join("meta.json").exists() {
            format!("cannot open the {ceiling} index at {}", dir.display())
        } else {
            format!(
                "no usable {ceiling} index at {}: run `{build}` first",
                dir.display()
            )
        }
    })?;
    let response = index.search(&request(args));
    for e in &response.errors {
        eprintln!("error: {e}");
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &crate::api::search_json(&response))?;
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
        out.push_str(&format!("     {}\n", bold(&hit.snippet, terminal)));
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

/// A snippet for a terminal: the matches in bold on a terminal, else between `**`.
fn bold(snippet: &crate::index::Snippet, terminal: bool) -> String {
    let (on, off) = if terminal {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    // A document's text never reaches the terminal as control sequences.
    let clean = |t: &str| -> String { t.chars().filter(|c| !c.is_control()).collect() };
    let text = &snippet.text;
    let mut out = String::with_capacity(text.len() + 8 * snippet.highlights.len());
    let mut at = 0;
    for &(start, end) in &snippet.highlights {
        let (Some(before), Some(word)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(&clean(before));
        out.push_str(on);
        out.push_str(&clean(word));
        out.push_str(off);
        at = end;
    }
    out.push_str(&clean(text.get(at..).unwrap_or_default()));
    out
}
