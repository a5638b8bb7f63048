//! `casebook stats`: the statistics page's figures and tables, from the same typed result, for
//! an audience: exact for an edition's own readers, with audited disclosure control for the
//! public.

use crate::pipeline::findings;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::{StatsArgs, StatsFormat};
use crate::model::stats::{Audience, Published};
use crate::model::words::count;
use crate::model::{Date, Marking};
use crate::pipeline::build::{self, BuildOptions};

use super::{Context, EXIT_CONTENT};

/// Runs `stats`.
pub(super) fn run(args: &StatsArgs, ctx: &Context) -> Result<ExitCode> {
    let audience = args.audience.audience();
    let ceiling = match (audience, args.max_marking.as_deref()) {
        (Audience::Internal, m) => super::build::ceiling(m, ctx)?,
        (_, None | Some("OFFICIAL")) => Marking::Official,
        (a, Some(m)) => bail!(
            "`--max-marking {m}` cannot be used with `--audience {}`: a release for partners or the public counts only OFFICIAL documents",
            a.code()
        ),
    };
    let opts = BuildOptions {
        rev: args.rev.clone().unwrap_or_else(|| "HEAD".to_owned()),
        ..BuildOptions::head(ceiling)
    };
    let (checked, statistics) = build::statistics(&ctx.repo, &ctx.config, &opts, Date::today())?;
    let Some(statistics) = statistics else {
        let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", findings::render_all(&checked, styled));
        eprintln!(
            "{}\nno statistics: fix the errors above",
            findings::summary(&checked)
        );
        return Ok(ExitCode::from(EXIT_CONTENT));
    };
    // An edition's own readers at OFFICIAL are the partners: the same exact release.
    let audience = match audience {
        Audience::Internal => Audience::edition(ceiling),
        other => other,
    };
    let published = statistics.disclose(audience);
    if published.audit.as_ref().is_some_and(|a| !a.passed) {
        bail!(
            "the disclosure audit could not prove every hidden count safe, so nothing was released; report this with the repository's statistics"
        );
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &published)?;
            writeln!(stdout)?;
        }
        StatsFormat::Csv => write!(stdout, "{}", csv(&published))?,
        StatsFormat::Table => write!(stdout, "{}", table(&published, ceiling))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Every figure and table row as one CSV: `table,category,value`.
fn csv(p: &Published) -> String {
    let field = |text: &str| {
        if text.contains([',', '"', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let mut out = String::from("table,category,value\n");
    for f in &p.figures {
        out.push_str(&format!(
            "figures,{},{}\n",
            field(f.label),
            field(&f.value.value)
        ));
    }
    for t in &p.charts {
        for r in &t.rows {
            out.push_str(&format!(
                "{},{},{}\n",
                t.table.id,
                field(&r.category),
                field(&r.count.value)
            ));
        }
        if let Some(total) = &t.total {
            out.push_str(&format!("{},Total,{}\n", t.table.id, field(&total.value)));
        }
    }
    out
}

/// The figures and tables for a terminal.
fn table(p: &Published, ceiling: Marking) -> String {
    let mut out = match p.audience {
        Audience::Public => format!("Statistics for the public, from the {ceiling} edition\n"),
        Audience::Partners => {
            format!("Statistics for partners: the {ceiling} edition, exact counts\n")
        }
        Audience::Internal => format!("Statistics of the {ceiling} edition, exact counts\n"),
    };
    if p.small_numbers_suppressed {
        out.push_str(&format!("{}\n", p.rule));
    }
    if let Some(a) = &p.audit {
        out.push_str(&format!(
            "Audit: {} shown as 1-5, {} further hidden; every hidden count could be any of at least three values.\n",
            count(a.primary as u64, "count", "counts"),
            count(a.secondary as u64, "count", "counts"),
        ));
    }
    out.push('\n');
    for f in &p.figures {
        out.push_str(&format!("{:>8}  {}\n", f.value.value, f.label));
    }
    for t in &p.charts {
        out.push_str(&format!("\n{}\n", t.table.title));
        if let Some(note) = t.table.note {
            out.push_str(&format!("({note})\n"));
        }
        let width = t
            .rows
            .iter()
            .map(|r| r.category.chars().count())
            .chain([t.table.category.chars().count(), 5])
            .max()
            .unwrap_or(10);
        out.push_str(&format!(
            "  {:width$}  {}\n",
            t.table.category, t.table.measure
        ));
        for r in &t.rows {
            out.push_str(&format!("  {:width$}  {}\n", r.category, r.count.value));
        }
        if let Some(total) = &t.total {
            out.push_str(&format!("  {:width$}  {}\n", "Total", total.value));
        }
    }
    out
}
