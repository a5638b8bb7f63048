//! `casebook init`: a new content repository with one example document of each kind, ready
//! to check, build and serve.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::scaffold;
use crate::cli::InitArgs;
use crate::load;
use crate::model::Date;

use super::display_path;

/// Runs `init`.
pub(super) fn run(args: &InitArgs) -> Result<ExitCode> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().context("cannot tell the current folder")?,
    };
    if dir.exists() && !dir.is_dir() {
        bail!("{} is a file, not a folder", dir.display());
    }
    if !args.force && !is_empty(&dir)? {
        bail!(
            "{} is not empty; `casebook init` makes a new repository in an empty or new folder (use --force to add to this one: files already there are kept)",
            dir.display()
        );
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut kept = Vec::new();
    for (rel, text) in scaffold::repository(Date::today()) {
        let path = dir.join(rel);
        if path.exists() {
            kept.push(rel);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    for rel in &kept {
        eprintln!("kept the existing {rel}");
    }
    let (commit, branch) =
        load::init_and_commit(&dir, "New knowledge base (casebook init)", &args.branch)?;
    let shown = display_path(&dir);
    eprintln!(
        "created a knowledge base in {} on branch {branch} (commit {}): an example review, order record and agency note in knowledge/",
        shown.display(),
        load::short(&commit)
    );
    if branch != args.branch {
        eprintln!(
            "note: the folder was already a git repository on branch {branch}; a server's hook publishes one branch (deploy/README.md), so push this one or rename it with `git branch -m {branch} {}`",
            args.branch
        );
    }
    eprintln!("next:");
    if shown != Path::new("") && shown != Path::new(".") {
        eprintln!("  cd {}", shown.display());
    }
    eprintln!(
        "  casebook serve                       # the site and search at http://127.0.0.1:8080/"
    );
    eprintln!("  casebook new case-review --title \"…\" # a new review to fill in");
    eprintln!("  casebook hooks install               # check every commit before it is made");
    Ok(ExitCode::SUCCESS)
}

/// True when `dir` does not exist or holds nothing.
fn is_empty(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", dir.display())),
    }
}
