//! `casebook new`: a document skeleton with the next free id, in the right folder.

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::scaffold;
use crate::cli::{NewArgs, NewKind};
use crate::load::{self, Source};
use crate::model::document::{id_shape_ok, kind_of_id};
use crate::model::enums::Closed;
use crate::model::{Date, Kind, VocabName, declared_id};

use super::{Context, display_path};

/// Runs `new`.
pub(super) fn run(args: &NewArgs, ctx: &Context) -> Result<ExitCode> {
    let kind = match args.kind {
        NewKind::CaseReview => Kind::CaseReview,
        NewKind::Order => Kind::OrderRecord,
        NewKind::Agency => Kind::AgencyPowers,
    };
    let dir = ctx.config.knowledge_dir.trim_end_matches('/');
    let loaded = ctx.repo.load(&Source::Worktree, dir)?;
    let mut vocab = load::built_in_vocabulary();
    if let Some(v) = &loaded.vocabulary {
        // Its own problems are `check`'s to report; its terms are what the comments list.
        let _ = load::extend_vocabulary(&mut vocab, v);
    }
    // Ids in use: declared in front matter, or given by a file name (for files too broken to
    // read), anywhere in the working tree.
    let mut taken: BTreeSet<String> = loaded
        .files
        .iter()
        .filter_map(|f| declared_id(&f.text))
        .collect();
    taken.extend(
        loaded
            .files
            .iter()
            .map(|f| f.path.as_str())
            .chain(loaded.diagnostics.iter().map(|d| d.path.as_str()))
            .filter_map(id_of_file_name),
    );
    let today = Date::today();
    let title = args
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let (id, text) = match kind {
        Kind::AgencyPowers => {
            let code = match (&args.agency, &args.id) {
                (Some(code), _) => code.trim().to_uppercase(),
                (None, Some(id)) => id.trim().trim_start_matches("AG-").to_uppercase(),
                (None, None) => bail!(
                    "an agency note needs `--agency CODE` (its id is AG-CODE), e.g. `casebook new agency --agency GLAA`"
                ),
            };
            if !vocab.contains(VocabName::Agencies, &code) {
                let hint = vocab
                    .nearest(VocabName::Agencies, &code)
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                bail!(
                    "`{code}` is not an agency code; {hint}a new agency is added to {dir}/vocabulary.yaml first (agencies: - {{code: {code}, label: …}})"
                );
            }
            let id = format!("AG-{code}");
            let text = scaffold::agency_skeleton(&code, title, &vocab, today);
            (id, text)
        }
        _ => {
            let id = match &args.id {
                Some(id) => {
                    let id = id.trim().to_uppercase();
                    if !id_shape_ok(&id, kind) {
                        bail!(
                            "`{id}` is not a {} id; they look like {}{}-001",
                            kind.label().to_lowercase(),
                            kind.id_prefix(),
                            today.year()
                        );
                    }
                    id
                }
                None => next_id(kind, today.year(), &taken),
            };
            let text = scaffold::skeleton(kind, &id, title, &vocab, today);
            (id, text)
        }
    };
    if taken.contains(&id) {
        bail!("`{id}` is already used in {dir}/; choose another id or edit that document");
    }
    let name = match title.map(scaffold::slug).filter(|s| !s.is_empty()) {
        Some(slug) if kind != Kind::AgencyPowers => format!("{id}-{slug}.md"),
        _ => format!("{id}.md"),
    };
    let folder = ctx.repo.root().join(dir).join(kind.folder());
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let path = folder.join(name);
    // `create_new`: never overwrite, even a file created since the ids were read.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            bail!("{} already exists; it was left as it is", path.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    std::io::Write::write_all(&mut file, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", display_path(&path).display());
    eprintln!(
        "fill in every TODO (the comments list the allowed codes); `casebook check --worktree` lists what is left, `casebook preview` shows the page as you write"
    );
    Ok(ExitCode::SUCCESS)
}

/// The next free id of `kind` for `year`: one more than the highest number used that year.
fn next_id(kind: Kind, year: i32, taken: &BTreeSet<String>) -> String {
    let prefix = format!("{}{year}-", kind.id_prefix());
    let highest = taken
        .iter()
        .filter_map(|id| id.strip_prefix(&prefix))
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:03}", highest + 1)
}

/// The id a file name starts with (`CR-2024-007-car-wash.md` → `CR-2024-007`).
fn id_of_file_name(path: &str) -> Option<String> {
    let name = path.rsplit('/').next()?.strip_suffix(".md")?;
    let parts: Vec<&str> = name.split('-').collect();
    (1..=parts.len()).rev().find_map(|n| {
        let candidate = parts[..n].join("-");
        kind_of_id(&candidate).map(|_| candidate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_id_skips_every_number_taken_that_year() {
        let taken: BTreeSet<String> = ["CR-2026-001", "CR-2026-007", "CR-2025-009", "ORD-2026-003"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(next_id(Kind::CaseReview, 2026, &taken), "CR-2026-008");
        assert_eq!(next_id(Kind::OrderRecord, 2026, &taken), "ORD-2026-004");
        assert_eq!(next_id(Kind::CaseReview, 2027, &taken), "CR-2027-001");
        assert_eq!(
            id_of_file_name("knowledge/reviews/CR-2024-007-car-wash.md").as_deref(),
            Some("CR-2024-007")
        );
    }
}
