//! The build pipeline: check the knowledge base at a revision, then bring the search index of
//! the build's marking ceiling up to date. Refuses content with errors (nothing is written).

use std::path::{Path, PathBuf};

use crate::check::{self, Checked};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::index::{self, BuildMeta, Published, Report};
use crate::load::{self, Repo, Source};
use crate::model::{Corpus, Date, Document, Marking, Status};

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Revision to build.
    pub rev: String,
    /// Marking ceiling: nothing above it is indexed.
    pub ceiling: Marking,
    /// Include draft and in-review documents.
    pub drafts: bool,
    /// Rebuild from scratch.
    pub full: bool,
}

/// The outcome of a build.
#[derive(Debug)]
pub struct Built {
    /// The check of the revision (diagnostics included).
    pub checked: Checked,
    /// What the index did; none when the content has errors.
    pub index: Option<Report>,
}

/// The index folder of a ceiling: one per ceiling (and drafts setting), so a document above a
/// ceiling never enters that ceiling's index.
pub fn index_dir(root: &Path, config: &Config, ceiling: Marking, drafts: bool) -> PathBuf {
    let mut name = format!("index-{}", ceiling.to_string().to_lowercase());
    if drafts {
        name.push_str("-drafts");
    }
    root.join(&config.state_dir).join(name)
}

/// True when a build with this ceiling and drafts setting publishes a document.
pub fn publishable(status: Status, marking: Marking, ceiling: Marking, drafts: bool) -> bool {
    let status_ok =
        status.is_published() || (drafts && matches!(status, Status::Draft | Status::InReview));
    status_ok && marking <= ceiling
}

/// Checks `opts.rev` and updates its index.
pub fn build(repo: &Repo, config: &Config, opts: &BuildOptions, today: Date) -> Result<Built> {
    let checked = check::check(repo, &Source::Revision(opts.rev.clone()), config, today)?;
    if checked.errors() > 0 {
        return Ok(Built {
            checked,
            index: None,
        });
    }
    let docs = published(&checked, opts);
    let meta = BuildMeta {
        schema: index::SCHEMA_VERSION,
        commit: checked
            .commit
            .as_ref()
            .map(|c| c.id.clone())
            .unwrap_or_default(),
        ceiling: opts.ceiling.to_string(),
        drafts: opts.drafts,
        vocabulary: vocabulary_fingerprint(&checked.corpus),
        built_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let dir = index_dir(repo.root(), config, opts.ceiling, opts.drafts);
    let ids: Vec<Published> = docs.iter().map(|(p, _, _)| p.clone()).collect();
    let make = |i: usize| {
        let (p, doc, body) = &docs[i];
        index::index_doc(doc, body, &p.blob, &checked.corpus.vocabulary)
    };
    let report = index::update(&dir, &ids, make, &meta, opts.full)
        .map_err(|e| Error::Repository(e.to_string()))?;
    Ok(Built {
        checked,
        index: Some(report),
    })
}

/// Every document this build publishes, with its markdown body.
fn published<'c>(
    checked: &'c Checked,
    opts: &BuildOptions,
) -> Vec<(Published, &'c Document, &'c str)> {
    let sources: std::collections::HashMap<&str, _> = checked
        .sources
        .iter()
        .map(|s| (s.path.as_str(), s))
        .collect();
    checked
        .corpus
        .documents
        .iter()
        .filter(|d| publishable(d.common.status, d.common.marking, opts.ceiling, opts.drafts))
        .filter_map(|d| {
            let source = sources.get(d.path.as_str())?;
            let body = &source.text[d.body_offset.min(source.text.len())..];
            let id = Published {
                id: d.common.id.clone(),
                blob: source.blob.clone(),
            };
            Some((id, d, body))
        })
        .collect()
}

/// A content hash of every vocabulary label (the indexed text includes labels).
fn vocabulary_fingerprint(corpus: &Corpus) -> String {
    let mut text = String::new();
    for name in crate::model::VocabName::ALL {
        for t in corpus.vocabulary.terms(name) {
            text.push_str(&format!(
                "{name:?}\t{}\t{}\t{:?}\t{:?}\n",
                t.code, t.label, t.parent, t.reporting_area
            ));
        }
    }
    load::content_hash(text.as_bytes())
}
