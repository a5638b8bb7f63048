//! `casebook history`: the commits that changed one document, following renames.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::cli::{HistoryArgs, OutputFormat};
use crate::load::{Source, short};
use crate::model::words::count;

use super::Context;

/// One commit of a document's history.
#[derive(Debug, Serialize)]
struct Change {
    commit: String,
    short: String,
    /// Commit time in UTC, RFC 3339.
    date: String,
    author: String,
    message: String,
    /// The document's path in that commit.
    path: String,
}

/// A document's history.
#[derive(Debug, Serialize)]
struct DocumentHistory {
    id: String,
    path: String,
    /// The revision read.
    revision: String,
    commits: Vec<Change>,
    contributors: Vec<String>,
    /// True in a shallow clone, where older commits are missing.
    shallow: bool,
}

/// Runs `history`.
pub(super) fn run(args: &HistoryArgs, ctx: &Context) -> Result<ExitCode> {
    let rev = args.rev.clone().unwrap_or_else(|| "HEAD".to_owned());
    let dir = ctx.config.knowledge_dir.trim_end_matches('/');
    let loaded = ctx.repo.load(&Source::Revision(rev.clone()), dir)?;
    let commit = loaded
        .commit
        .clone()
        .ok_or_else(|| anyhow::anyhow!("`{rev}` is not a commit"))?;
    let ids: Vec<(String, &str)> = loaded
        .files
        .iter()
        .filter_map(|f| crate::model::declared_id(&f.text).map(|id| (id, f.path.as_str())))
        .collect();
    let Some((id, path)) = ids.iter().find(|(id, _)| id.eq_ignore_ascii_case(&args.id)) else {
        let nearest = ids
            .iter()
            .map(|(id, _)| (strsim::levenshtein(id, &args.id.to_uppercase()), id))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, id)| format!("; did you mean `{id}`?"))
            .unwrap_or_default();
        bail!(
            "no document `{}` in {dir}/ at {} ({}){nearest}",
            args.id,
            rev,
            short(&commit.id)
        );
    };
    let history = ctx.repo.history(&commit, dir, &[(*path).to_owned()], 0)?;
    let file = history.files.get(*path).cloned().unwrap_or_default();
    let commits: Vec<Change> = file
        .commits
        .iter()
        .zip(&file.paths)
        .map(|(c, p)| Change {
            commit: c.id.clone(),
            short: short(&c.id).to_owned(),
            date: chrono::DateTime::from_timestamp(c.time, 0)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            author: c.author.clone(),
            message: c.summary.clone(),
            path: p.clone(),
        })
        .collect();
    let out = DocumentHistory {
        id: id.clone(),
        path: (*path).to_owned(),
        revision: commit.id.clone(),
        contributors: file.contributors(),
        commits,
        shallow: history.shallow,
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &out)?;
            writeln!(stdout)?;
        }
        OutputFormat::Human => write!(stdout, "{}", human(&out))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The history as lines: the newest commit first, renames marked.
fn human(h: &DocumentHistory) -> String {
    let mut out = format!("{}  {}\n", h.id, h.path);
    let width = h.commits.iter().map(|c| c.author.chars().count()).max();
    let width = width.unwrap_or(0).min(30);
    for (i, c) in h.commits.iter().enumerate() {
        let day = c.date.get(..10).unwrap_or(&c.date);
        let author: String = c.author.chars().take(width).collect();
        let message: String = c
            .message
            .chars()
            .filter(|ch| !ch.is_control())
            .take(100)
            .collect();
        out.push_str(&format!(
            "{day}  {}  {author:<width$}  {message}\n",
            c.short
        ));
        let older = h.commits.get(i + 1).map(|o| o.path.as_str());
        if let Some(older) = older
            && older != c.path
        {
            out.push_str(&format!("            renamed from {older}\n"));
        }
    }
    let n = h.commits.len();
    out.push_str(&format!(
        "{}, {}",
        count(n as u64, "commit", "commits"),
        count(h.contributors.len() as u64, "contributor", "contributors"),
    ));
    if let Some(first) = h.commits.last() {
        out.push_str(&format!(
            "; created {} by {}",
            first.date.get(..10).unwrap_or(&first.date),
            first.author
        ));
    }
    out.push('\n');
    if h.shallow {
        out.push_str("warning: this is a shallow clone: older commits are missing\n");
    }
    out
}
