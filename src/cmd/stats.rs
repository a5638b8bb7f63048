//! `casebook stats`: the statistics page's figures and tables, from the same typed result, with
//! the same small-number rule at the same ceiling.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::build::{self, BuildOptions};
use crate::cli::{StatsArgs, StatsFormat};
use crate::model::stats::Published;
use crate::model::{Date, Marking};

use super::{Context, EXIT_CONTENT, check};

/// Runs `stats`.
pub fn run(args: &StatsArgs, ctx: &Context) -> Result<ExitCode> {
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), ctx)?;
    let opts = BuildOptions {
        rev: args.rev.clone().unwrap_or_else(|| "HEAD".to_owned()),
        ..BuildOptions::head(ceiling)
    };
    let (checked, statistics) = build::statistics(&ctx.repo, &ctx.config, &opts, Date::today())?;
    let Some(statistics) = statistics else {
        let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", check::render_all(&checked, styled));
        eprintln!(
            "{}\nno statistics: fix the errors above",
            check::summary(&checked)
        );
        return Ok(ExitCode::from(EXIT_CONTENT));
    };
    let published = statistics.disclose(ceiling == Marking::Official);
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
    let mut out = format!("Statistics of the {ceiling} edition\n");
    if p.small_numbers_suppressed {
        out.push_str(&format!("{}\n", p.rule));
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
