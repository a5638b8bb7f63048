use super::*;
use crate::index::kb::KbIndex;
use crate::model::Date;
use crate::model::FacetName;

fn doc(id: &str, blob: &str) -> IndexDoc {
    IndexDoc {
        id: id.to_owned(),
        kind: "case_review".to_owned(),
        title: format!("Review {id}"),
        url: format!("/reviews/{id}/"),
        date: Date::parse("2024-02-15"),
        date_text: "2024-02-15".to_owned(),
        marking: "OFFICIAL".to_owned(),
        status: "approved".to_owned(),
        blob: blob.to_owned(),
        summary: "Interpreters at a car wash.".to_owned(),
        body: "Body text.".to_owned(),
        learning: "Plan interpreters.".to_owned(),
        meta: String::new(),
        powers: String::new(),
        powers_data: String::new(),
        refers: Vec::new(),
        tags: String::new(),
        facets: vec![(FacetName::Kind, "/kind/case_review".to_owned())],
    }
}

fn meta(commit: &str) -> BuildMeta {
    BuildMeta {
        schema: crate::index::SCHEMA_VERSION,
        commit: commit.to_owned(),
        ceiling: "OFFICIAL".to_owned(),
        drafts: false,
        vocabulary: "v".to_owned(),
        built_at: "2026-11-29T00:00:00Z".to_owned(),
        terms: Default::default(),
        left_out: LeftOut::default(),
    }
}

/// Runs `update` with documents built up front.
fn upd(dir: &Path, docs: &[IndexDoc], meta: &BuildMeta) -> Result<Report, IndexError> {
    let published: Vec<Published> = docs
        .iter()
        .map(|d| Published {
            id: d.id.clone(),
            blob: d.blob.clone(),
        })
        .collect();
    update(dir, &published, |i| docs[i].clone(), meta, false)
}

fn manifest(dir: &Path) -> Vec<(String, String)> {
    KbIndex::open(dir).expect("open").manifest()
}

#[test]
fn incremental_updates_touch_only_changed_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let first = upd(
        &dir,
        &[doc("CR-2024-001", "a"), doc("CR-2024-002", "b")],
        &meta("c1"),
    )
    .unwrap();
    assert_eq!(
        (first.added, first.rebuilt.as_deref()),
        (2, Some("no index yet"))
    );
    let docs = [doc("CR-2024-001", "a2"), doc("CR-2024-003", "c")];
    let second = upd(&dir, &docs, &meta("c2")).unwrap();
    assert_eq!(
        (
            second.added,
            second.updated,
            second.removed,
            second.unchanged
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(second.rebuilt, None);
    let expected = vec![
        ("CR-2024-001".to_owned(), "a2".to_owned()),
        ("CR-2024-003".to_owned(), "c".to_owned()),
    ];
    assert_eq!(manifest(&dir), expected);
    let index = KbIndex::open(&dir).unwrap();
    assert_eq!(index.meta().unwrap().commit, "c2");
}

/// The files of `dir` that belong to no segment of its `meta.json`.
fn orphans(dir: &Path) -> Vec<String> {
    let index = Index::open_in_dir(dir).unwrap();
    let live: Vec<String> = index
        .searchable_segment_ids()
        .unwrap()
        .iter()
        .map(|id| id.uuid_string())
        .collect();
    let mut out: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name != "meta.json")
        .filter(|name| !live.iter().any(|id| name.starts_with(id.as_str())))
        .collect();
    out.sort();
    out
}

#[test]
fn a_document_that_leaves_leaves_no_file_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let ids: Vec<String> = (1..=30).map(|n| format!("CR-2024-{n:03}")).collect();
    let docs: Vec<IndexDoc> = ids.iter().map(|id| doc(id, "a")).collect();
    upd(&dir, &docs, &meta("c1")).unwrap();
    // An edit: its earlier version stays until deleted documents pass a tenth.
    let mut edited = docs.clone();
    edited[0].blob = "b".to_owned();
    let report = upd(&dir, &edited, &meta("c2")).unwrap();
    assert_eq!((report.updated, report.purged), (1, 0));
    assert_eq!(KbIndex::open(&dir).unwrap().num_docs(), 30);
    // A document leaves: every segment holding a deleted document is rewritten, and no
    // file of the old segments is left.
    let report = upd(&dir, &edited[1..], &meta("c3")).unwrap();
    assert_eq!((report.removed, report.purged), (1, 1));
    assert_eq!(orphans(&dir), Vec::<String>::new());
    let index = Index::open_in_dir(&dir).unwrap();
    let metas = index.searchable_segment_metas().unwrap();
    assert!(metas.iter().all(|m| !m.has_deletes()), "{metas:?}");
    // Past a tenth: every segment is merged, and no file of the old ones is left either.
    let report = upd(&dir, &edited[1..20], &meta("c4")).unwrap();
    assert_eq!(report.removed, 10);
    assert_eq!(orphans(&dir), Vec::<String>::new());
    assert_eq!(manifest(&dir).len(), 19);
}

#[test]
fn a_killed_build_leaves_the_last_committed_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    upd(&dir, &[doc("CR-2024-001", "a")], &meta("c1")).unwrap();
    {
        // A build that dies before committing: its writer is dropped mid-way.
        let (index, fields) = open_checked(&dir).unwrap();
        let w = writer(&index).unwrap();
        w.delete_all_documents().unwrap();
        w.add_document(to_tantivy(&doc("CR-2024-009", "z"), &fields))
            .unwrap();
        drop(w);
    }
    assert_eq!(
        manifest(&dir),
        vec![("CR-2024-001".to_owned(), "a".to_owned())]
    );
    // The next build needs no clean-up.
    let next = upd(&dir, &[doc("CR-2024-001", "a")], &meta("c2")).unwrap();
    assert_eq!((next.unchanged, next.rebuilt), (1, None));
}

#[test]
fn a_second_writer_fails_fast_with_index_busy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let _held = lock(&dir).unwrap();
    let err = upd(&dir, &[doc("CR-2024-001", "a")], &meta("c1")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("index busy: another casebook build is writing"),
        "{err}"
    );
}

#[test]
fn damaged_indexes_are_rebuilt_from_scratch() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let docs = [doc("CR-2024-001", "a"), doc("CR-2024-002", "b")];
    upd(&dir, &docs, &meta("c1")).unwrap();
    // Bit rot in the middle of a segment file: only the checksum notices.
    let segment = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a store file");
    let mut bytes = fs::read(&segment).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    fs::write(&segment, bytes).unwrap();
    let report = upd(&dir, &docs, &meta("c1")).unwrap();
    assert!(
        report
            .rebuilt
            .as_deref()
            .unwrap_or_default()
            .contains("checksum"),
        "{report:?}"
    );
    assert_eq!(manifest(&dir).len(), 2);
    // A truncated meta.json.
    fs::write(dir.join("meta.json"), "{").unwrap();
    let report = upd(&dir, &docs, &meta("c1")).unwrap();
    assert!(
        report
            .rebuilt
            .as_deref()
            .unwrap_or_default()
            .starts_with("cannot open"),
        "{report:?}"
    );
    assert_eq!(manifest(&dir).len(), 2);
}
