//! `casebook report`: the partnership's periodic report for a quarter, a year or any run of
//! months, as one HTML file or as markdown.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{ReportArgs, ReportFormat};
use crate::model::Date;
use crate::model::stats::Audience;
use crate::report::{self, Period};

use super::Context;

/// Runs `report`.
pub(super) fn run(args: &ReportArgs, ctx: &Context) -> Result<ExitCode> {
    let period = Period::parse(&args.period).map_err(anyhow::Error::msg)?;
    let audience = args.audience.audience();
    let today = Date::today();
    let made = report::report(&ctx.repo, &ctx.config, period, audience, today)?;
    let head = ctx.repo.resolve("HEAD")?;
    let overrides = ctx.repo.read_templates(&head, "templates")?;
    let text = match args.format {
        ReportFormat::Pdf => {
            let pdf = crate::documents::report_pdf(&made, today)?;
            let out = args.out.clone().unwrap_or_else(|| {
                std::path::PathBuf::from(format!(
                    "report-{}.pdf",
                    args.period.trim().replace("..", "-to-")
                ))
            });
            super::brief::write_file(&out, &pdf)?;
            eprintln!("wrote {}", super::display_path(&out).display());
            return Ok(ExitCode::SUCCESS);
        }
        ReportFormat::Html => {
            let marking = match audience {
                Audience::Internal => ctx.config.ceiling(),
                Audience::Partners | Audience::Public => crate::model::Marking::Official,
            };
            let page = made
                .page(&overrides, &ctx.config.title, marking)
                .context("the report cannot be rendered")?;
            crate::render::standalone(&page, crate::render::style_sheet(), &ctx.config.base_url)
        }
        ReportFormat::Md => made
            .markdown(&overrides)
            .context("the report cannot be rendered")?,
    };
    match &args.out {
        Some(out) => {
            super::brief::write_file(out, text.as_bytes())?;
            eprintln!("wrote {}", super::display_path(out).display());
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
