//! `casebook search`: search the built index from the terminal.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{OutputFormat, SearchArgs, SortOrder};
use crate::index::{FacetName, Hit, KbIndex, SearchRequest, SearchResponse, Sort};
use crate::model::Marking;
use crate::model::words::count;
use crate::pipeline::build;

use super::Context;

/// Runs `search`.
pub(super) fn run(args: &SearchArgs, ctx: &Context) -> Result<ExitCode> {
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), ctx)?;
    let dir = build::index_dir(ctx.repo.root(), &ctx.config, ceiling, args.drafts);
    let index = KbIndex::open(&dir).with_context(|| {
        let mut build = match args.max_marking {
            Some(_) => format!("casebook build --max-marking {ceiling}"),
            None => "casebook build".to_owned(),
        };
        if args.drafts {
            build.push_str(" --drafts");
        }
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
    let request = request(args);
    let response = index.search(&request);
    for e in &response.errors {
        eprintln!("error: {e}");
    }
    let left_out = if response.total == 0 && response.partial_hits.is_empty() {
        left_out(args, ctx, &index, &request, ceiling)
    } else {
        Vec::new()
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &crate::serve::SearchJson::new(&response))?;
            writeln!(stdout)?;
        }
        OutputFormat::Human => {
            write!(
                stdout,
                "{}",
                human(&response, std::io::stdout().is_terminal())
            )?;
            for line in &left_out {
                writeln!(stdout, "note: {line}")?;
            }
        }
    }
    if args.format == OutputFormat::Json {
        for line in &left_out {
            eprintln!("note: {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// When a search finds nothing: what this index leaves out that might match, by count only —
/// drafts and documents in review (searched in the drafts index when one is built), and
/// documents above the ceiling searched (when a higher index is built). For the command line
/// only: a lower edition's readers are never told what lies above it.
fn left_out(
    args: &SearchArgs,
    ctx: &Context,
    index: &KbIndex,
    request: &SearchRequest,
    ceiling: Marking,
) -> Vec<String> {
    let root = ctx.repo.root();
    let matches = |dir: std::path::PathBuf| -> Option<usize> {
        let other = KbIndex::open(&dir).ok()?;
        let r = other.search(request);
        Some(r.total + r.partial_total)
    };
    let mut out = Vec::new();
    let unpublished = index.meta().map_or(0, |m| m.left_out.unpublished);
    if !args.drafts && unpublished > 0 {
        let drafts = build::index_dir(root, &ctx.config, ceiling, true);
        out.push(match matches(drafts) {
            Some(0) => format!(
                "{} not in this index, and none of them matches either",
                count(unpublished as u64, "draft or document in review is", "drafts or documents in review are")
            ),
            Some(n) => format!(
                "{} in review match{}: `casebook search --drafts` shows {}",
                count(n as u64, "draft or document", "drafts or documents"),
                if n == 1 { "es" } else { "" },
                if n == 1 { "it" } else { "them" }
            ),
            None => format!(
                "{} not in this index: `casebook build --drafts`, then `casebook search --drafts`, searches them too",
                count(unpublished as u64, "draft or document in review is", "drafts or documents in review are")
            ),
        });
    }
    let configured = ctx.config.ceiling();
    if ceiling < configured
        && let Some(n) =
            matches(build::index_dir(root, &ctx.config, configured, args.drafts)).filter(|n| *n > 0)
    {
        out.push(format!(
            "{} above {ceiling} match: search without `--max-marking` to see {}",
            count(n as u64, "document", "documents"),
            if n == 1 { "it" } else { "them" }
        ));
    }
    out
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
        (FacetName::Grade, &args.grade),
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
        exact: args.exact,
    }
}

/// Results for people: the answer box, then rank, id, kind, date, title, snippet; then
/// warnings and facet counts, in labels.
pub(super) fn human(r: &SearchResponse, terminal: bool) -> String {
    let mut out = String::new();
    for a in &r.answers {
        let what = if a.related { "Also see" } else { "Answer" };
        out.push_str(&format!("{what}: {} ({})\n", a.question, a.url));
        let lead = a.holders.iter().filter(|h| h.named).count();
        for (i, h) in a.holders.iter().enumerate() {
            if lead > 0 && i == lead {
                out.push_str("  also:\n");
            }
            let bases: Vec<String> = h
                .powers
                .iter()
                .map(|p| match (a.warrant, p.warrant_required) {
                    (false, _) => p.basis.clone(),
                    (true, true) => format!("{} (warrant needed)", p.basis),
                    (true, false) => format!("{} (no warrant needed)", p.basis),
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
    if let Some(c) = &r.correction {
        let typed: Vec<&str> = c.words.iter().map(|w| w.typed.as_str()).collect();
        out.push_str(&format!(
            "Showing results for \"{}\" (you typed {}; `--exact` searches the words as typed)\n\n",
            c.query,
            typed.join(", ")
        ));
    }
    for (i, hit) in r.hits.iter().enumerate() {
        out.push_str(&hit_lines(i + 1, hit, terminal));
    }
    if r.total == 0 && !r.answers.is_empty() {
        out.push_str(&format!(
            "No document matches every word; the answer above comes from the powers recorded in the agency notes ({} ms)\n",
            r.took_ms
        ));
    } else {
        out.push_str(&format!(
            "{} of {} in {} ms\n",
            r.hits.len(),
            count(r.total as u64, "result", "results"),
            r.took_ms
        ));
    }
    if !r.partial_hits.is_empty() {
        out.push_str(&format!(
            "\n{} some of the words:\n",
            count(
                r.partial_total as u64,
                "document matches",
                "documents match"
            )
        ));
        for (i, hit) in r.partial_hits.iter().enumerate() {
            out.push_str(&hit_lines(i + 1, hit, terminal));
        }
    }
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

/// One result: rank, id, kind, date, title, replacements, snippet.
fn hit_lines(rank: usize, hit: &Hit, terminal: bool) -> String {
    let status = if hit.status == "approved" {
        String::new()
    } else {
        format!("  [{}]", hit.status_label)
    };
    let mut out = format!(
        "{rank:>3}. {}  {}  {}  {}{status}\n",
        hit.id, hit.kind_label, hit.date, hit.title
    );
    for s in &hit.superseded_by {
        out.push_str(&format!("     replaced by {}: {}\n", s.id, s.title));
    }
    out.push_str(&format!("     {}\n", bold(&hit.snippet, terminal)));
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
