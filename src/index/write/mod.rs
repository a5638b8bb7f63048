//! Writing the index: a full build into a fresh directory swapped in atomically, or an
//! incremental update that deletes and adds only the documents whose source blob changed.
//!
//! One writer at a time: an OS lock on `<index>.lock` (released if the process dies) guards
//! both paths, and tantivy's own writer lock guards the index. A build killed at any point
//! leaves the last committed index readable.

use super::writer;
use crate::pipeline::output::sibling;
use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::index::SegmentId;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::document::{IndexDoc, to_tantivy};
use super::schema::{self, Fields};
use super::{Damage, IndexError};

/// What an index was built from, kept in tantivy's commit payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildMeta {
    /// Schema version.
    pub schema: u32,
    /// Commit id the index reflects.
    pub commit: String,
    /// Marking ceiling.
    pub ceiling: String,
    /// Whether drafts are included.
    pub drafts: bool,
    /// Fingerprint of the vocabulary labels the text was built with.
    pub vocabulary: String,
    /// When the index was written (RFC 3339, UTC).
    pub built_at: String,
    /// The labels and power types of the build's vocabulary.
    #[serde(default)]
    pub terms: super::SearchVocab,
    /// What the build left out of this index, by count only.
    #[serde(default)]
    pub left_out: LeftOut,
}

/// The documents of the knowledge base a build leaves out of its index, counted: a search that
/// finds nothing can say so (on the command line, never to a lower edition's readers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// Drafts and documents in review (a build with `--drafts` includes them).
    pub unpublished: usize,
    /// Published documents above the build's marking ceiling.
    pub above_ceiling: usize,
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Documents new to the index.
    pub added: usize,
    /// Documents whose content changed.
    pub updated: usize,
    /// Documents no longer published.
    pub removed: usize,
    /// Documents left as they were.
    pub unchanged: usize,
    /// Why the index was rebuilt from scratch, if it was.
    pub rebuilt: Option<String>,
    /// Segments rewritten so that nothing of a document that left remains on disk.
    pub purged: usize,
    /// Seconds taken.
    pub seconds: f64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "index: {} added, {} updated, {} removed, {} unchanged in {:.2} s",
            self.added, self.updated, self.removed, self.unchanged, self.seconds
        )?;
        if let Some(why) = &self.rebuilt {
            write!(f, " (full rebuild: {why})")?;
        }
        if self.purged > 0 {
            let s = if self.purged == 1 { "" } else { "s" };
            write!(
                f,
                " ({} segment{s} rewritten without what left the edition)",
                self.purged
            )?;
        }
        Ok(())
    }
}

/// Holds the build lock for an index directory until dropped: a build takes it before it
/// writes anything (the site's staging included) and keeps it until the site is published, so
/// two builds of one edition never interleave.
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
    dir: PathBuf,
}

/// Takes the build lock of the index at `dir` (`<dir>.lock`), or fails at once with
/// `IndexError::Busy` when another build holds it.
pub fn lock(dir: &Path) -> Result<BuildLock, IndexError> {
    let path = dir.with_extension("lock");
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| IndexError::io(parent, e))?;
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| IndexError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => {
            sweep(dir)?;
            Ok(BuildLock {
                _file: file,
                dir: dir.to_owned(),
            })
        }
        Err(fs::TryLockError::WouldBlock) => Err(IndexError::Busy(dir.to_owned())),
        Err(fs::TryLockError::Error(e)) => Err(IndexError::io(&path, e)),
    }
}

/// What a build killed part-way through a full rebuild left beside the index (`lock` holds
/// the lock, so no build is using them): the previous index put back if it had been moved
/// aside and not replaced, then the unfinished new one and the old one removed. Without this a
/// leftover `index-….new` stayed until the next full rebuild.
fn sweep(dir: &Path) -> Result<(), IndexError> {
    let (fresh, old) = (sibling(dir, "new"), sibling(dir, "old"));
    if !dir.exists() && old.exists() {
        fs::rename(&old, dir).map_err(|e| IndexError::io(dir, e))?;
    }
    for leftover in [&fresh, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| IndexError::io(leftover, e))?;
        }
    }
    Ok(())
}

/// One document a build publishes: its id and key, which is all it takes to decide whether
/// the index already holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Document id.
    pub id: String,
    /// Its key (`index::doc_key`): the git blob id of its source, plus how the edition shows
    /// the documents it names when it leaves any of them out.
    pub blob: String,
}

/// Brings the index at `dir` up to date with `published` (every document the build
/// publishes), taking the lock itself. `make(i)` builds the indexed form of `published[i]`; it
/// is only called for documents that are new or changed (or for all of them on a full
/// rebuild). A build holds the lock for longer (until its site is published), so it calls
/// `update_locked`; this is for the tests of the index alone.
#[cfg(test)]
pub(crate) fn update<F>(
    dir: &Path,
    published: &[Published],
    make: F,
    meta: &BuildMeta,
    full: bool,
) -> Result<Report, IndexError>
where
    F: Fn(usize) -> IndexDoc + Sync,
{
    let held = lock(dir)?;
    update_locked(&held, published, make, meta, full)
}

/// `update`, under a build lock already held (for the index at the lock's folder).
pub fn update_locked<F>(
    held: &BuildLock,
    published: &[Published],
    make: F,
    meta: &BuildMeta,
    full: bool,
) -> Result<Report, IndexError>
where
    F: Fn(usize) -> IndexDoc + Sync,
{
    let dir = held.dir.as_path();
    let docs = Docs {
        published,
        make: &make,
    };
    let started = Instant::now();
    let current = if full {
        Err("requested with --full".to_owned())
    } else {
        current(dir, meta)
    };
    let mut report = match current {
        Err(why) => {
            let mut r = rebuild(dir, &docs, meta)?;
            r.rebuilt = Some(why);
            r
        }
        Ok(opened) => incremental(opened, &docs, meta)?,
    };
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Opens an index with Casebook's analyser registered; `None` when it is absent, unreadable,
/// of another schema, or fails its checksums.
pub(super) fn open_checked(dir: &Path) -> Result<(Index, Fields), Damage> {
    if !dir.join("meta.json").exists() {
        return Err(Damage::Missing);
    }
    let index = Index::open_in_dir(dir).map_err(Damage::Open)?;
    schema::register(&index);
    let fields = Fields::from_schema(&index.schema()).ok_or(Damage::OtherSchema)?;
    let corrupt = index.validate_checksum().map_err(Damage::Verify)?;
    if !corrupt.is_empty() {
        return Err(Damage::Checksums(corrupt.len()));
    }
    Ok((index, fields))
}

/// Why the index at `dir` cannot be served as it is (it fails to open, is of another schema,
/// fails its checksums or records no build), or `None` when it can, or when there is none yet
/// (a first build is not a damaged index). A build rebuilds such an index from scratch.
pub fn damaged(dir: &Path) -> Option<Damage> {
    if !dir.join("meta.json").exists() {
        return None;
    }
    match open_checked(dir) {
        Ok((index, _)) => read_meta(&index).is_none().then_some(Damage::NoBuild),
        Err(why) => Some(why),
    }
}

/// Reads the commit payload of an index.
pub(super) fn read_meta(index: &Index) -> Option<BuildMeta> {
    let payload = index.load_metas().ok()?.payload?;
    serde_json::from_str(&payload).ok()
}

/// The index at `dir`, opened and verified once, when a build can update it in place; else why
/// it must be rebuilt.
fn current(dir: &Path, meta: &BuildMeta) -> Result<(Index, Fields), String> {
    let (index, fields) = open_checked(dir).map_err(|why| why.to_string())?;
    let Some(old) = read_meta(&index) else {
        return Err(Damage::NoBuild.to_string());
    };
    if old.schema != meta.schema {
        return Err(format!("schema version {} → {}", old.schema, meta.schema));
    }
    if old.ceiling != meta.ceiling || old.drafts != meta.drafts {
        return Err("built for another ceiling".to_owned());
    }
    if old.vocabulary != meta.vocabulary {
        return Err("the vocabularies changed".to_owned());
    }
    Ok((index, fields))
}

/// The documents of a build, with the function that builds their indexed form.
struct Docs<'a> {
    published: &'a [Published],
    make: &'a (dyn Fn(usize) -> IndexDoc + Sync),
}

fn rebuild(dir: &Path, docs: &Docs<'_>, meta: &BuildMeta) -> Result<Report, IndexError> {
    let fresh = sibling(dir, "new");
    let old = sibling(dir, "old");
    fs::create_dir_all(&fresh).map_err(|e| IndexError::io(&fresh, e))?;
    let (schema, fields) = Fields::build();
    let index = Index::create_in_dir(&fresh, schema).map_err(IndexError::tantivy)?;
    schema::register(&index);
    let writer = writer(&index)?;
    let built: Vec<TantivyDocument> = (0..docs.published.len())
        .into_par_iter()
        .map(|i| to_tantivy(&(docs.make)(i), &fields))
        .collect();
    for d in built {
        writer.add_document(d).map_err(IndexError::tantivy)?;
    }
    commit(writer, meta, false)?;
    if dir.exists() {
        fs::rename(dir, &old).map_err(|e| IndexError::io(dir, e))?;
    }
    fs::rename(&fresh, dir).map_err(|e| IndexError::io(dir, e))?;
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| IndexError::io(&old, e))?;
    }
    Ok(Report {
        added: docs.published.len(),
        ..Report::default()
    })
}

fn incremental(
    (index, fields): (Index, Fields),
    docs: &Docs<'_>,
    meta: &BuildMeta,
) -> Result<Report, IndexError> {
    let present = indexed_blobs(&index)?;
    let wanted: HashSet<&str> = docs.published.iter().map(|d| d.id.as_str()).collect();
    let mut report = Report::default();
    let writer = writer(&index)?;
    for (i, d) in docs.published.iter().enumerate() {
        match present.get(&d.id) {
            Some(blob) if *blob == d.blob => {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
            None => report.added += 1,
        }
        writer.delete_term(Term::from_field_text(fields.id, &d.id));
        writer
            .add_document(to_tantivy(&(docs.make)(i), &fields))
            .map_err(IndexError::tantivy)?;
    }
    for id in present
        .keys()
        .filter(|id| !wanted.contains(String::as_str(id)))
    {
        writer.delete_term(Term::from_field_text(fields.id, id));
        report.removed += 1;
    }
    commit(writer, meta, report.updated + report.removed > 0)?;
    report.purged = super::purge::purge(&index)?;
    Ok(report)
}

/// Every indexed document's id and source blob, read from the fast-field columns (no stored
/// document is decompressed).
pub(super) fn indexed_blobs(index: &Index) -> Result<HashMap<String, String>, IndexError> {
    column_by_id(index, "blob")
}

/// Every indexed document's id and the value of the fast string column `name`.
pub(super) fn column_by_id(
    index: &Index,
    name: &'static str,
) -> Result<HashMap<String, String>, IndexError> {
    let mut out = HashMap::new();
    super::terms::each_column(index, name, |id, value, alive| {
        if alive {
            out.insert(id.to_owned(), value.to_owned());
        }
    })?;
    Ok(out)
}

/// Commits with the build's metadata as payload, then lets merges finish.
///
/// With `compact`, when deleted documents (changed or removed ones, kept until their segment
/// is merged) have grown past a tenth of the index, every segment is merged into one, which
/// purges them: term statistics, and so rankings, then equal a full rebuild's again. Merging
/// on every change would rewrite the whole index for a one-document commit.
fn commit(mut writer: IndexWriter, meta: &BuildMeta, compact: bool) -> Result<(), IndexError> {
    // A BuildMeta is strings, numbers and booleans: it always serialises.
    let payload = serde_json::to_string(meta).unwrap_or_default();
    let mut prepared = writer.prepare_commit().map_err(IndexError::tantivy)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(IndexError::tantivy)?;
    if compact {
        // Ids only: a segment's files are kept while any `SegmentMeta` of it is alive.
        let (segments, deleted, total) = {
            let metas = writer
                .index()
                .searchable_segment_metas()
                .map_err(IndexError::tantivy)?;
            let deleted: u64 = metas.iter().map(|m| u64::from(m.num_deleted_docs())).sum();
            let total: u64 = metas.iter().map(|m| u64::from(m.max_doc())).sum();
            let ids: Vec<SegmentId> = metas.iter().map(|m| m.id()).collect();
            (ids, deleted, total)
        };
        if !segments.is_empty() && deleted * 10 > total {
            super::purge::merge_away(&mut writer, &segments)?;
        }
    }
    writer.wait_merging_threads().map_err(IndexError::tantivy)
}

#[cfg(test)]
mod tests;
