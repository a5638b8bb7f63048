//! Purging what left an edition from its index folder. Deleting a document only marks it in
//! its segment, whose files (stored text, term dictionaries) keep it until the segment is
//! merged; when a document leaves the edition, the same build merges those segments away and
//! deletes their files.

use std::collections::HashMap;

use tantivy::index::SegmentId;
use tantivy::merge_policy::NoMergePolicy;
use tantivy::{Index, IndexWriter};

use super::writer;
use super::{Damage, IndexError};

/// The key the index keeps for a document's indexed form: the git blob id of its source, and
/// when the edition leaves out a document it names, `+` and the verdicts of
/// `Withheld::verdicts` (which carry no id). What is indexed of a document depends on both,
/// so a change in either re-indexes it.
pub(super) fn key(blob: &str, verdicts: &str) -> String {
    if verdicts.is_empty() {
        blob.to_owned()
    } else {
        format!("{blob}+{verdicts}")
    }
}

/// True when two keys are of the same source but the edition shows what it names
/// differently: a document it names has left it, or come back.
fn shown_differently(a: &str, b: &str) -> bool {
    let source = |key: &str| key.split('+').next().unwrap_or_default().to_owned();
    a != b && source(a) == source(b)
}

/// One stored version of a document: the live one, or a deleted one, which stays in its
/// segment's files (text, terms) until that segment is merged.
struct Version {
    id: String,
    key: String,
    alive: bool,
}

/// Rewrites every segment that holds a deleted document, and deletes the old files, when
/// one of those is a version of a document that left the index (re-marked above the ceiling,
/// withdrawn, deleted), or of one indexed again only because a document it names left (its
/// old text names it): nothing of either may stay on disk, even where no search reaches it.
/// Such builds are rare, so their cost (the segments holding deleted documents) is too; a
/// build killed before this finishes leaves the stale versions for the next one to find.
/// Ordinary edits leave their earlier versions to the 10 % rule of `commit`. Returns the
/// number of segments rewritten.
pub(super) fn purge(index: &Index) -> Result<usize, IndexError> {
    let versions = versions(index)?;
    let live: HashMap<&str, &str> = versions
        .iter()
        .filter(|v| v.alive)
        .map(|v| (v.id.as_str(), v.key.as_str()))
        .collect();
    let stale = versions
        .iter()
        .filter(|v| !v.alive)
        .any(|v| match live.get(v.id.as_str()) {
            None => true,
            Some(key) => shown_differently(key, &v.key),
        });
    if !stale {
        return Ok(0);
    }
    // Ids only: a segment's files are kept while any `SegmentMeta` of it is alive.
    let segments: Vec<SegmentId> = index
        .searchable_segment_metas()
        .map_err(IndexError::tantivy)?
        .iter()
        .filter(|m| m.has_deletes())
        .map(|m| m.id())
        .collect();
    if segments.is_empty() {
        return Ok(0);
    }
    let mut writer = writer(index)?;
    // Only this merge, so no merge the policy starts can hold one of these segments.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    merge_away(&mut writer, &segments)?;
    writer.wait_merging_threads().map_err(IndexError::tantivy)?;
    Ok(segments.len())
}

/// Every stored version of every document: ids and keys read from the fast-field columns of
/// every document of every segment, deleted ones included.
fn versions(index: &Index) -> Result<Vec<Version>, IndexError> {
    let mut out = Vec::new();
    super::terms::each_column(index, "blob", |id, key, alive| {
        out.push(Version {
            id: id.to_owned(),
            key: key.to_owned(),
            alive,
        });
    })?;
    Ok(out)
}

/// Merges `segments` into one and deletes their files at once: a merged-away segment's
/// files would otherwise stay until a later commit collects them.
pub(super) fn merge_away(
    writer: &mut IndexWriter,
    segments: &[SegmentId],
) -> Result<(), IndexError> {
    writer.merge(segments).wait().map_err(IndexError::tantivy)?;
    let collected = writer
        .garbage_collect_files()
        .wait()
        .map_err(IndexError::tantivy)?;
    match collected.failed_to_delete_files.first() {
        Some(kept) => Err(IndexError::Corrupt(Damage::Undeleted(kept.clone()))),
        None => Ok(()),
    }
}
