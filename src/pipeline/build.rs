//! The build pipeline: check the knowledge base at a revision, then bring the search index of
//! the build's marking ceiling up to date. Refuses content with errors (nothing is written).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::pipeline::check::{self, Checked};
use std::collections::HashMap;

use crate::index::{self, BuildMeta, Published, Report};
use crate::load::History;
use crate::load::{self, Repo, Source};
use crate::model::stats::Statistics;
use crate::model::{Corpus, Date, Document, Marking, Status, Withheld};
use crate::pipeline::output::{self, SiteReport};
use crate::pipeline::progress::{Progress, Silent};
use crate::pipeline::store::Store;
use crate::render::{self, Change, DocHistory, HistoryEntry, Link, PageDoc, SiteInput};

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Build the working tree as it is on disk (`preview`) instead of `rev`.
    pub worktree: bool,
    /// Build what has no errors and leave the rest out, listing every finding on every page
    /// (`preview`); otherwise any error stops the build.
    pub preview: bool,
    /// The index folder, instead of the ceiling's (`preview` keeps its own).
    pub index: Option<PathBuf>,
    /// Revision to build.
    pub rev: String,
    /// Marking ceiling: nothing above it is indexed.
    pub ceiling: Marking,
    /// Include draft and in-review documents.
    pub drafts: bool,
    /// Rebuild from scratch.
    pub full: bool,
    /// Write the site here instead of the configured output folder (`build --output-dir`).
    pub output: Option<PathBuf>,
    /// The site's address for the feed and the sitemap, instead of `base_url`.
    pub base_url: Option<String>,
}

impl BuildOptions {
    /// A build of `HEAD` at `ceiling`, published documents only, written where configured.
    pub fn head(ceiling: Marking) -> BuildOptions {
        BuildOptions {
            worktree: false,
            preview: false,
            index: None,
            rev: "HEAD".to_owned(),
            ceiling,
            drafts: false,
            full: false,
            output: None,
            base_url: None,
        }
    }
}

/// The outcome of a build.
#[derive(Debug)]
pub struct Built {
    /// The check of the revision (diagnostics included).
    pub checked: Checked,
    /// What the index did; none when the content has errors.
    pub index: Option<Report>,
    /// What writing the site did; none when the content has errors.
    pub site: Option<SiteReport>,
    /// True when the repository is a shallow clone (history is incomplete).
    pub shallow: bool,
    /// The statistics of the documents published; none when the content has errors.
    pub statistics: Option<Statistics>,
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

/// The documents a build with `opts` leaves out of its index, counted.
fn left_out(checked: &Checked, opts: &BuildOptions) -> index::LeftOut {
    let mut out = index::LeftOut::default();
    for d in &checked.corpus.documents {
        let status = d.common.status;
        let unpublished = matches!(status, Status::Draft | Status::InReview) && !opts.drafts;
        if d.common.marking > opts.ceiling && (status.is_published() || opts.drafts) {
            out.above_ceiling += 1;
        } else if unpublished && d.common.marking <= opts.ceiling {
            out.unpublished += 1;
        }
    }
    out
}

/// True when a build with this ceiling and drafts setting publishes a document.
pub fn publishable(status: Status, marking: Marking, ceiling: Marking, drafts: bool) -> bool {
    let status_ok =
        status.is_published() || (drafts && matches!(status, Status::Draft | Status::InReview));
    status_ok && marking <= ceiling
}

/// Checks `opts.rev` and updates its index.
pub fn build(repo: &Repo, config: &Config, opts: &BuildOptions, today: Date) -> Result<Built> {
    build_with(repo, config, opts, today, &Silent)
}

/// `build`, reporting its progress.
pub(crate) fn build_with(
    repo: &Repo,
    config: &Config,
    opts: &BuildOptions,
    today: Date,
    progress: &dyn Progress,
) -> Result<Built> {
    let source = if opts.worktree {
        Source::Worktree
    } else {
        Source::Revision(opts.rev.clone())
    };
    let checked = check::check_with(repo, &source, config, today, progress)?;
    if checked.errors() > 0 && !opts.preview {
        return Ok(Built {
            checked,
            index: None,
            site: None,
            shallow: false,
            statistics: None,
        });
    }
    progress.start("counting", 0);
    let docs = published(&checked, opts);
    let statistics = Statistics::compute(
        &docs.iter().map(|(_, d, _)| *d).collect::<Vec<_>>(),
        &checked.corpus.vocabulary,
    );
    progress.start("keying the documents", 0);
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
        terms: index::SearchVocab::new(&checked.corpus.vocabulary),
        left_out: left_out(&checked, opts),
    };
    let dir = match &opts.index {
        Some(d) => d.clone(),
        None => index_dir(repo.root(), config, opts.ceiling, opts.drafts),
    };
    let withheld = Withheld::new(&checked.corpus.documents, opts.ceiling, |d| {
        publishable(d.common.status, d.common.marking, opts.ceiling, opts.drafts)
    });
    let ids: Vec<Published> = {
        use rayon::prelude::*;
        docs.par_iter()
            .map(|(p, doc, body)| Published {
                id: p.id.clone(),
                blob: index::doc_key(doc, body, &p.blob, &withheld),
            })
            .collect()
    };
    progress.finish();
    let make = |i: usize| {
        progress.advance(1);
        let (_, doc, body) = &docs[i];
        index::index_doc(
            doc,
            body,
            &ids[i].blob,
            &checked.corpus.vocabulary,
            &withheld,
        )
    };
    // The index and the site are one unit: under one lock, the site is rendered and staged
    // (where space or permission can run out), then the index committed, then the site
    // published (renames only). A failure before the commit leaves both as they were.
    let held = index::lock(&dir)?;
    let (staged, shallow) = stage_site(
        repo,
        config,
        opts,
        Edition {
            checked: &checked,
            docs: &docs,
            keys: &ids,
            statistics: &statistics,
            withheld: &withheld,
            vocabulary: &meta.vocabulary,
        },
        progress,
        today,
    )?;
    progress.start("indexing", 0);
    let report = index::update_locked(&held, &ids, make, &meta, opts.full).map_err(Error::from);
    progress.finish();
    let report = report?;
    progress.start("publishing the site", 0);
    let site = staged.publish();
    progress.finish();
    let site = site?;
    drop(held);
    Ok(Built {
        checked,
        index: Some(report),
        site: Some(site),
        shallow,
        statistics: Some(statistics),
    })
}

/// Checks `opts.rev` and computes the statistics of what a build at `opts.ceiling` publishes,
/// without writing anything; none when the content has errors.
pub fn statistics(
    repo: &Repo,
    config: &Config,
    opts: &BuildOptions,
    today: Date,
) -> Result<(Checked, Option<Statistics>)> {
    let checked = check::check(repo, &Source::Revision(opts.rev.clone()), config, today)?;
    if checked.errors() > 0 {
        return Ok((checked, None));
    }
    let docs = published(&checked, opts);
    let statistics = Statistics::compute(
        &docs.iter().map(|(_, d, _)| *d).collect::<Vec<_>>(),
        &checked.corpus.vocabulary,
    );
    Ok((checked, Some(statistics)))
}

/// The output folder of a ceiling: `output_dir` for the configured ceiling, else
/// `output_dir-official` / `output_dir-official-sensitive`.
pub fn output_dir(root: &Path, config: &Config, ceiling: Marking) -> PathBuf {
    if ceiling == config.ceiling() {
        root.join(&config.output_dir)
    } else {
        root.join(format!(
            "{}-{}",
            config.output_dir,
            ceiling.to_string().to_lowercase()
        ))
    }
}

/// What a build publishes: the check, each published document with its body, each one's key
/// (in the same order), their statistics, and what the edition leaves out.
#[derive(Clone, Copy)]
struct Edition<'a> {
    checked: &'a Checked,
    docs: &'a [(Published, &'a Document, &'a str)],
    keys: &'a [Published],
    statistics: &'a Statistics,
    withheld: &'a Withheld,
    /// The vocabulary's fingerprint (`vocabulary_fingerprint`).
    vocabulary: &'a str,
}

/// Renders the site of the published documents and stages it beside the one in place.
fn stage_site(
    repo: &Repo,
    config: &Config,
    opts: &BuildOptions,
    edition: Edition<'_>,
    progress: &dyn Progress,
    today: Date,
) -> Result<(output::Staged, bool)> {
    let Edition {
        checked,
        docs,
        keys,
        statistics,
        withheld,
        vocabulary,
    } = edition;
    // A working tree has no commit of its own: its history is HEAD's (none in a repository
    // with no commits yet), its templates those on disk.
    let commit = match &checked.commit {
        Some(c) => Some(c.clone()),
        None => repo.resolve("HEAD").ok(),
    };
    let knowledge = config.knowledge_dir.trim_end_matches('/');
    let paths: Vec<String> = checked.sources.iter().map(|s| s.path.clone()).collect();
    let store = Store::open(repo, config);
    if opts.full {
        store.clear();
    }
    progress.start("reading the history", 0);
    let history = match &commit {
        Some(c) => store.history(repo, c, knowledge, &paths, 50),
        None => Ok(History::default()),
    };
    progress.finish();
    let history = history?;
    progress.start("finding similar documents", 0);
    let edition = format!(
        "{}{}{}",
        opts.ceiling.to_string().to_lowercase(),
        if opts.drafts { "-drafts" } else { "" },
        if opts.preview { "-preview" } else { "" }
    );
    let similar = similar_links(docs, &checked.corpus.vocabulary, &store, &edition);
    progress.finish();
    progress.start("what's new", 0);
    let published_paths: HashMap<&str, &Document> =
        docs.iter().map(|(_, d, _)| (d.path.as_str(), *d)).collect();
    let input = SiteInput {
        title: &config.title,
        base_url: opts.base_url.as_deref().unwrap_or(&config.base_url),
        ceiling: opts.ceiling,
        commit: if opts.worktree {
            "working tree"
        } else {
            commit.as_ref().map_or("", |c| c.id.as_str())
        },
        vocab: &checked.corpus.vocabulary,
        docs: docs
            .iter()
            .zip(keys)
            .map(|((_, doc, body), key)| PageDoc {
                doc,
                body,
                key: &key.blob,
            })
            .collect(),
        withheld,
        similar,
        history: doc_histories(&history, &published_paths),
        changes: changes(
            repo,
            &history,
            &published_paths,
            &checked.corpus.vocabulary,
            opts,
            today,
            (&store, &edition, vocabulary),
        ),
        overrides: match (&commit, opts.worktree) {
            (_, true) => repo.read_worktree_templates("templates")?,
            (Some(c), false) => repo.read_templates(c, "templates")?,
            (None, false) => Vec::new(),
        },
        today,
        statistics,
        preview: opts.preview.then(|| problems(checked)),
        fingerprint: String::new(),
    };
    let input = SiteInput {
        fingerprint: fingerprint(vocabulary, &input.overrides),
        ..input
    };
    progress.finish();
    let mut stager = match &opts.output {
        Some(dir) => output::Stager::for_own_site(dir)?,
        None => output::Stager::for_site(&output_dir(repo.root(), config, opts.ceiling))?,
    };
    if opts.full {
        stager.render_all();
    }
    progress.start("rendering and staging pages", 0);
    let rendered = render::render_site(&input, &mut stager);
    progress.finish();
    rendered?;
    let staged = stager.finish();
    Ok((staged?, history.shallow))
}

/// Each published document's five most similar (`model::similar`), as links: the lists of the
/// last build of this edition kept where the documents changed since cannot alter them.
fn similar_links(
    docs: &[(Published, &Document, &str)],
    vocab: &crate::model::Vocabulary,
    store: &Store,
    edition: &str,
) -> HashMap<String, Vec<Link>> {
    let list: Vec<&Document> = docs.iter().map(|(_, d, _)| *d).collect();
    let name = format!("similar-{edition}.json");
    let kept = store.read::<crate::model::similar::Kept>(&name);
    let (found, next, _) = crate::model::similar::similar_since(&list, vocab, 5, kept.as_ref());
    if kept.as_ref() != Some(&next) {
        store.write(&name, &next);
    }
    found
        .into_iter()
        .zip(&list)
        .map(|(found, doc)| {
            let links = found
                .into_iter()
                .map(|i| {
                    let d = list[i];
                    Link {
                        id: d.common.id.clone(),
                        title: d.common.title.clone(),
                        url: d.url(),
                    }
                })
                .collect();
            (doc.common.id.clone(), links)
        })
        .collect()
}

/// The check's findings as a preview lists them, errors first.
fn problems(checked: &Checked) -> Vec<render::Problem> {
    let ids: HashMap<&str, Option<String>> = checked
        .sources
        .iter()
        .map(|s| (s.path.as_str(), declared_id(&s.path, &s.text)))
        .collect();
    let mut out: Vec<render::Problem> = checked
        .diagnostics
        .iter()
        .map(|d| render::Problem {
            severity: if d.is_error() { "error" } else { "warning" },
            code: d.code,
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
            doc_id: ids.get(d.path.as_str()).cloned().flatten(),
        })
        .collect();
    out.sort_by_key(|p| p.severity != "error");
    out
}

/// The id a document file stands for, read without parsing it (its front matter may be what
/// is broken): the `id:` line of the front matter when it has the shape of an id, else the
/// start of the file name (`CR-2026-014-nail-bar.md` → `CR-2026-014`).
fn declared_id(path: &str, text: &str) -> Option<String> {
    use crate::model::document::kind_of_id;
    let front = text.strip_prefix("---").map(|rest| {
        let end = rest.find("\n---").unwrap_or(rest.len());
        &rest[..end]
    });
    let from_front = front.into_iter().flat_map(str::lines).find_map(|line| {
        let value = line.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
        kind_of_id(value).map(|_| value.to_owned())
    });
    from_front.or_else(|| {
        let stem = path.rsplit('/').next()?.strip_suffix(".md")?;
        // The longest run of the name's first hyphen-separated parts that is an id.
        let parts: Vec<&str> = stem.split('-').collect();
        (1..=parts.len())
            .rev()
            .map(|n| parts[..n].join("-"))
            .find(|candidate| kind_of_id(candidate).is_some())
    })
}

fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
}

fn doc_histories(
    history: &History,
    published: &HashMap<&str, &Document>,
) -> HashMap<String, DocHistory> {
    // Whether each commit's message may show, decided once per commit (the first commit of a
    // large knowledge base touches every document).
    let shown: HashMap<&str, bool> = history
        .paths_by_commit
        .keys()
        .map(|c| (c.as_str(), only_published(history, c, published)))
        .collect();
    published
        .iter()
        .filter_map(|(path, doc)| {
            let h = history.files.get(*path)?;
            Some((
                doc.common.id.clone(),
                DocHistory {
                    created: h.created().map(|c| date(c.time)).unwrap_or_default(),
                    updated: h.updated().map(|c| date(c.time)).unwrap_or_default(),
                    contributors: h.contributors(),
                    revisions: h.commits.len(),
                    incomplete: history.shallow,
                    commit: h
                        .updated()
                        .map(|c| c.id.chars().take(7).collect())
                        .unwrap_or_default(),
                    commits: h
                        .commits
                        .iter()
                        .map(|c| HistoryEntry {
                            commit: c.id.chars().take(7).collect(),
                            date: date(c.time),
                            author: c.author.clone(),
                            message: if shown.get(c.id.as_str()).copied().unwrap_or(true) {
                                c.summary.clone()
                            } else {
                                String::new()
                            },
                        })
                        .collect(),
                },
            ))
        })
        .collect()
}

/// True when a commit changed only documents this build publishes (its message may show).
fn only_published(history: &History, commit: &str, published: &HashMap<&str, &Document>) -> bool {
    history
        .paths_by_commit
        .get(commit)
        .is_none_or(|paths| paths.iter().all(|p| published.contains_key(p.as_str())))
}

/// "What's new": one entry per change a recent commit made to a document this build
/// publishes, described from the document itself — published, or which fields and whether the
/// text changed — never from the commit message. A version that was not publishable (a draft,
/// above the ceiling, or with errors: a commit that failed its checks) gives no entry; the
/// next publishable version is compared with the last publishable one before it.
fn changes(
    repo: &Repo,
    history: &History,
    published: &HashMap<&str, &Document>,
    vocab: &crate::model::Vocabulary,
    opts: &BuildOptions,
    today: Date,
    (store, edition, vocabulary): (&Store, &str, &str),
) -> Vec<Change> {
    // What each (commit, path) entry said, kept by the last build of this edition: a version
    // of a document at a commit never changes, so only the vocabulary and the date (which
    // decide whether a version passed its checks) key them.
    #[derive(Default, serde::Serialize, serde::Deserialize, PartialEq)]
    struct Said {
        vocabulary: String,
        today: String,
        /// "commit path" → (title, what), or none when the entry gives nothing.
        entries: std::collections::BTreeMap<String, Option<(String, String)>>,
    }
    let name = format!("whats-new-{edition}.json");
    let day = today.to_string();
    let kept = store
        .read::<Said>(&name)
        .filter(|s| s.vocabulary == vocabulary && s.today == day)
        .unwrap_or_default();
    let mut said = Said {
        vocabulary: vocabulary.to_owned(),
        today: day,
        entries: std::collections::BTreeMap::new(),
    };
    // A version of a document: its text, and whether this build would have published it.
    let version = |commit: &str, path: &str, kind: crate::model::Kind| {
        let text = repo.read_file_at(commit, path)?;
        let file = crate::model::SourceFile {
            path: path.to_owned(),
            blob: String::new(),
            text,
        };
        let publishable_doc = load::parse(&file, kind).ok().and_then(|parsed| {
            let (doc, _) = crate::model::validate(&parsed, vocab, today);
            doc.filter(|d| {
                publishable(d.common.status, d.common.marking, opts.ceiling, opts.drafts)
            })
        });
        Some((file.text, publishable_doc))
    };
    let mut out = Vec::new();
    for (commit, paths) in &history.recent {
        let time = chrono::DateTime::from_timestamp(commit.time, 0).map_or_else(String::new, |t| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        });
        for path in paths {
            let Some(doc) = published.get(path.as_str()) else {
                continue;
            };
            let Some(file) = history.files.get(path.as_str()) else {
                continue;
            };
            let Some(at) = file.commits.iter().position(|c| c.id == commit.id) else {
                continue;
            };
            let kind = doc.common.kind;
            let key = format!("{} {}", commit.id, file.paths[at]);
            let entry = match kept.entries.get(&key) {
                Some(entry) => entry.clone(),
                None => {
                    let versions = (at..file.commits.len())
                        .map(|j| version(&file.commits[j].id, &file.paths[j], kind));
                    said_of(path, versions)
                }
            };
            said.entries.insert(key, entry.clone());
            let Some((title, what)) = entry else {
                continue;
            };
            out.push(Change {
                date: date(commit.time),
                time: time.clone(),
                id: doc.common.id.clone(),
                kind: crate::model::enums::Closed::label(kind).to_owned(),
                title,
                url: kind.url(&doc.common.id),
                what,
            });
        }
    }
    if said != kept {
        store.write(&name, &said);
    }
    out
}

/// What a "What's new" entry says of a version of a document at `path`: its title and what
/// changed, from `versions` (that version, then the ones before it, newest first, each with
/// its text and, when this build would have published it, the document); none when that
/// version was not publishable or nothing shown changed.
fn said_of(
    path: &str,
    mut versions: impl Iterator<Item = Option<(String, Option<Document>)>>,
) -> Option<(String, String)> {
    let Some(Some((text, Some(now)))) = versions.next() else {
        return None;
    };
    // The last publishable version before this one.
    let before = versions.find_map(|v| match v {
        Some((t, Some(d))) => Some((t, d)),
        _ => None,
    });
    let what = match &before {
        None => "published".to_owned(),
        Some((old_text, old)) => describe(path, old_text, old, &text, &now),
    };
    (!what.is_empty()).then(|| (now.common.title.clone(), what))
}

/// What changed between two publishable versions of a document: the status and an order's
/// status in words, then the other fields by name, then "the text".
fn describe(path: &str, old_text: &str, old: &Document, new_text: &str, new: &Document) -> String {
    use crate::model::enums::Closed;
    let mut parts = Vec::new();
    if old.common.status != new.common.status {
        parts.push(format!("now {}", new.common.status.label().to_lowercase()));
    }
    let order_status = |d: &Document| match &d.data {
        crate::model::KindData::OrderRecord(o) => Some(o.order_status),
        _ => None,
    };
    if let (Some(a), Some(b)) = (order_status(old), order_status(new))
        && a != b
    {
        parts.push(format!(
            "order {} (was {})",
            b.label().to_lowercase(),
            a.label().to_lowercase()
        ));
    }
    let (Some(a), Some(b)) = (
        load::front_matter_fields(path, old_text),
        load::front_matter_fields(path, new_text),
    ) else {
        return parts.join("; ");
    };
    let skip = ["status", "order_status", "last_reviewed"];
    let fields: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| !skip.contains(&k.as_str()) && a.get(*k) != b.get(*k))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|k| k.replace('_', " "))
        .collect();
    if !fields.is_empty() {
        parts.push(format!("changed: {}", fields.join(", ")));
    }
    let body = |t: &str, d: &Document| t.get(d.body_offset..).unwrap_or_default().trim().to_owned();
    if body(old_text, old) != body(new_text, new) {
        parts.push("the text revised".to_owned());
    }
    if parts.is_empty() && a != b {
        parts.push("reviewed".to_owned());
    }
    parts.join("; ")
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

/// What every page shows whatever the documents, as a key (`SiteInput::fingerprint`): this
/// build of Casebook (its version and executable), the vocabulary and the templates.
fn fingerprint(vocabulary: &str, overrides: &[(String, String)]) -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    let mut text = format!("{} {exe}\n{vocabulary}\n", env!("CARGO_PKG_VERSION"));
    for (name, source) in overrides {
        text.push_str(&format!("{name}\n{source}\n"));
    }
    load::content_hash(text.as_bytes())
}

/// A content hash of every vocabulary term (the indexed text includes labels and power words).
fn vocabulary_fingerprint(corpus: &Corpus) -> String {
    let mut text = String::new();
    for name in crate::model::VocabName::ALL {
        for t in corpus.vocabulary.terms(name) {
            text.push_str(&format!("{name:?}\t{t:?}\n"));
        }
    }
    load::content_hash(text.as_bytes())
}
