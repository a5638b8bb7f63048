//! `casebook brief`: a learning theme's seven-minute briefing as a file to send or print. It
//! builds the edition of the ceiling (incrementally, as `casebook build` does) and takes the
//! briefing the site renders, so the file says exactly what the page says.

use crate::pipeline::findings;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use crate::cli::{BriefArgs, DocumentFormat};
use crate::model::{Date, VocabName};
use crate::pipeline::build::{self, BuildOptions};

use super::{Context, EXIT_CONTENT};

/// Runs `brief`.
pub(super) fn run(args: &BriefArgs, ctx: &Context) -> Result<ExitCode> {
    let ceiling = super::build::ceiling(args.max_marking.as_deref(), ctx)?;
    let opts = BuildOptions::head(ceiling);
    let built = build::build(&ctx.repo, &ctx.config, &opts, Date::today())?;
    if built.index.is_none() {
        eprint!("{}", findings::render_all(&built.checked, false));
        eprintln!(
            "{}\nno briefing: fix the errors above and commit",
            findings::summary(&built.checked)
        );
        return Ok(ExitCode::from(EXIT_CONTENT));
    }
    let vocab = &built.checked.corpus.vocabulary;
    if !vocab.contains(VocabName::Themes, &args.theme) {
        let hint = vocab
            .nearest(VocabName::Themes, &args.theme)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        bail!("unknown learning theme `{}`{hint}", args.theme);
    }
    let site = build::output_dir(ctx.repo.root(), &ctx.config, ceiling);
    let folder = site.join("themes").join(&args.theme).join("briefing");
    let page = folder.join("index.html");
    if !page.is_file() {
        bail!(
            "no published case review of the {ceiling} edition has the learning theme `{}`, so there is nothing to brief on",
            args.theme
        );
    }
    match args.format {
        DocumentFormat::Html => {
            let html = std::fs::read_to_string(&page)
                .with_context(|| format!("cannot read {}", page.display()))?;
            let css =
                std::fs::read_to_string(site.join("assets/style.css")).with_context(|| {
                    format!("cannot read the site's style sheet in {}", site.display())
                })?;
            let file = crate::render::standalone(&html, &css, &ctx.config.base_url);
            match &args.out {
                Some(out) => write_file(out, file.as_bytes())?,
                None => std::io::stdout().lock().write_all(file.as_bytes())?,
            }
        }
        DocumentFormat::Pdf => {
            let json = folder.join("briefing.json");
            let data: serde_json::Value = serde_json::from_slice(
                &std::fs::read(&json).with_context(|| format!("cannot read {}", json.display()))?,
            )
            .with_context(|| format!("cannot read {}", json.display()))?;
            let pdf = crate::documents::briefing_pdf(&data, Date::today())?;
            let out = args.out.clone().unwrap_or_else(|| {
                std::path::PathBuf::from(format!("{}-briefing.pdf", args.theme))
            });
            write_file(&out, &pdf)?;
        }
    }
    if let Some(out) = &args.out {
        eprintln!("wrote {}", super::display_path(out).display());
    } else if args.format == DocumentFormat::Pdf {
        eprintln!("wrote {}-briefing.pdf", args.theme);
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `path` whole: to a hidden file beside it, then renamed, so a reader never
/// sees half a file.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let partial = path.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use crate::render::standalone;

    #[test]
    fn a_standalone_page_carries_its_styles_and_absolute_links() {
        let html = "<head>\n<link rel=\"stylesheet\" href=\"&#x2f;assets&#x2f;style.css\">\n<link rel=\"icon\" href=\"&#x2f;assets&#x2f;favicon.svg\">\n<script src=\"&#x2f;assets&#x2f;search.js\" defer></script>\n</head>\n<a href=\"&#x2f;reviews&#x2f;CR-2024-001&#x2f;\">CR</a> <a href=\"/agencies/AG-GLAA/\">GLAA</a> <a href=\"https://example.org/\">x</a>\n";
        let out = standalone(html, "body { color: red; }", "https://kb.example/");
        assert!(
            out.contains("<style>\nbody { color: red; }\n</style>"),
            "{out}"
        );
        assert!(
            !out.contains("<script") && !out.contains("favicon"),
            "{out}"
        );
        assert!(
            out.contains("href=\"https://kb.example&#x2f;reviews&#x2f;CR-2024-001&#x2f;\""),
            "{out}"
        );
        assert!(
            out.contains("href=\"https://kb.example/agencies/AG-GLAA/\""),
            "{out}"
        );
        assert!(out.contains("href=\"https://example.org/\""), "{out}");
    }
}
