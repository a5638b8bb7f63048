//! The check pipeline: load → parse → validate (front matter, body, whole corpus). Shared by
//! `casebook check` and, later, by `build` and `serve`, which refuse content with errors.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::error::Result;
use crate::load::{self, Commit, Loaded, Repo, Source};
use crate::markdown;
use crate::model::document::kind_of_id;
use crate::model::lint::Lint;
use crate::model::raw::RawDocument;
use crate::model::source::Lines;
use crate::model::{self, Corpus, Date, Kind, ParsedFile, SourceFile, Vocabulary};
use crate::pipeline::progress::{Progress, Silent};

/// The outcome of checking a knowledge base.
#[derive(Debug)]
pub struct Checked {
    /// The documents that passed, with the vocabularies.
    pub corpus: Corpus,
    /// Every finding, in stable order (path, line, column).
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, for code frames.
    pub sources: Vec<SourceFile>,
    /// How many document files were found.
    pub documents_checked: usize,
    /// The commit read (none for the working tree).
    pub commit: Option<Commit>,
}

impl Checked {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Checks the knowledge base of `repo` read from `source`, with today's date `today`.
pub fn check(repo: &Repo, source: &Source, config: &Config, today: Date) -> Result<Checked> {
    check_with(repo, source, config, today, &Silent)
}

/// `check`, reporting its progress and each file's diagnostics as it goes.
pub(crate) fn check_with(
    repo: &Repo,
    source: &Source,
    config: &Config,
    today: Date,
    progress: &dyn Progress,
) -> Result<Checked> {
    let dir = config.knowledge_dir.trim_end_matches('/');
    progress.start("reading", 0);
    let loaded = repo.load(source, dir);
    progress.finish();
    Ok(check_loaded_with(loaded?, dir, today, progress))
}

/// Checks files already read (the part of `check` that needs no repository).
pub fn check_loaded(loaded: Loaded, dir: &str, today: Date) -> Checked {
    check_loaded_with(loaded, dir, today, &Silent)
}

/// `check_loaded`, reporting its progress.
pub(crate) fn check_loaded_with(
    loaded: Loaded,
    dir: &str,
    today: Date,
    progress: &dyn Progress,
) -> Checked {
    let Loaded {
        files,
        vocabulary,
        mut diagnostics,
        commit,
    } = loaded;
    let documents_checked = files.len()
        + diagnostics
            .iter()
            .filter(|d| d.path.ends_with(".md"))
            .count();
    let mut vocab = load::built_in_vocabulary();
    if let Some(v) = &vocabulary {
        diagnostics.extend(load::extend_vocabulary(&mut vocab, v));
    }
    progress.start("checking", files.len() as u64);
    let stage: Vec<FileResult> = files
        .par_iter()
        .map(|f| {
            let r = check_file(f, dir, &vocab, today);
            progress.checked(f, &r.diagnostics);
            progress.advance(1);
            r
        })
        .collect();
    let mut parsed = Vec::new();
    let mut documents = Vec::new();
    let mut unreadable: Vec<(String, Kind)> = diagnostics
        .iter()
        .filter_map(|d| id_from_file_name(&d.path))
        .collect();
    for (r, file) in stage.into_iter().zip(&files) {
        diagnostics.extend(r.diagnostics);
        if r.parsed.is_none() {
            unreadable.extend(id_from_file_name(&file.path));
        }
        parsed.extend(r.parsed);
        documents.extend(r.document);
    }
    let targets = Targets::new(&parsed, &unreadable);
    let lint = crate::model::lint::shared();
    let by_path: HashMap<&str, &SourceFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    progress.start("checking links and references", parsed.len() as u64);
    let body: Vec<Vec<Diagnostic>> = parsed
        .par_iter()
        .map(|p| {
            progress.advance(1);
            by_path
                .get(p.path.as_str())
                .map_or_else(Vec::new, |f| check_body(f, p, &targets, lint))
        })
        .collect();
    diagnostics.extend(body.into_iter().flatten());
    diagnostics.extend(model::corpus::cross_check(&parsed, &unreadable));
    without_placeholder_fields(&parsed, &mut diagnostics);
    progress.finish();
    diagnostic::sort(&mut diagnostics);
    let failed: std::collections::HashSet<&str> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.path.as_str())
        .collect();
    documents.retain(|d| !failed.contains(&d.path.as_str()));
    documents.sort_by(|a, b| a.common.id.cmp(&b.common.id));
    let mut sources = files;
    sources.extend(vocabulary);
    Checked {
        corpus: Corpus {
            documents,
            vocabulary: vocab,
        },
        diagnostics,
        sources,
        documents_checked,
        commit,
    }
}

struct FileResult {
    parsed: Option<ParsedFile>,
    document: Option<model::Document>,
    diagnostics: Vec<Diagnostic>,
}

fn check_file(file: &SourceFile, dir: &str, vocab: &Vocabulary, today: Date) -> FileResult {
    let fail = |diagnostics| FileResult {
        parsed: None,
        document: None,
        diagnostics,
    };
    let folder = file
        .path
        .strip_prefix(dir)
        .and_then(|p| p.strip_prefix('/'))
        .and_then(|p| p.split_once('/'));
    let Some(kind) = folder.and_then(|(f, _)| Kind::from_folder(f)) else {
        let message = format!("`{}` is not in a document folder", file.path);
        let hint =
            format!("documents live in `{dir}/reviews/`, `{dir}/orders/` or `{dir}/agencies/`");
        return fail(vec![
            Diagnostic::at_file(Code::StrayFile, &file.path, message).hint(hint),
        ]);
    };
    match load::parse(file, kind) {
        Ok(parsed) => {
            let (document, mut diagnostics) = model::validate(&parsed, vocab, today);
            if !parsed.placeholders.is_empty() {
                without_placeholder_fields(std::slice::from_ref(&parsed), &mut diagnostics);
                diagnostics.extend(placeholder_findings(&parsed));
            }
            FileResult {
                parsed: Some(parsed),
                document,
                diagnostics: diagnostic::cap(diagnostics),
            }
        }
        Err(diagnostics) => fail(diagnostic::cap(diagnostics)),
    }
}

/// Findings about a field that still holds its `TODO` placeholder are dropped (its absence
/// causes them: a missing field, an empty list, a count that does not add up); the E090s
/// themselves come from `placeholder_findings`.
fn without_placeholder_fields(parsed: &[ParsedFile], diagnostics: &mut Vec<Diagnostic>) {
    let holes: HashMap<&str, &ParsedFile> = parsed
        .iter()
        .filter(|p| !p.placeholders.is_empty())
        .map(|p| (p.path.as_str(), p))
        .collect();
    if holes.is_empty() {
        return;
    }
    // `a` is `b` or contains it, or the other way round: `areas` and `areas[0]`,
    // `victims` and `victims.total`.
    let related = |a: &str, b: &str| {
        let within = |inner: &str, outer: &str| {
            inner == outer
                || inner
                    .strip_prefix(outer)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        within(a, b) || within(b, a)
    };
    diagnostics.retain(|d| {
        if d.code == Code::Placeholder.id() {
            return true;
        }
        let Some(file) = holes.get(d.path.as_str()) else {
            return true;
        };
        let Some(field) = d.field.as_deref() else {
            return true;
        };
        !file.placeholders.iter().any(|(p, _)| related(field, p))
    });
}

/// One E090 per field still holding its placeholder, at the field.
fn placeholder_findings(file: &ParsedFile) -> Vec<Diagnostic> {
    file.placeholders
        .iter()
        .map(|(field, text)| {
            let span = file.spans.locate(field);
            let shown: String = text.chars().take(80).collect();
            Diagnostic::at_file(
                Code::Placeholder,
                &file.path,
                format!("`{field}` still holds its placeholder: {shown}"),
            )
            .at(span.line, span.column, span.len)
            .field(field.clone())
            .hint("replace the TODO text with the value (the comment above the field lists the allowed codes)")
        })
        .collect()
}

/// What body links may point at: document ids and document paths.
struct Targets {
    ids: HashMap<String, String>,
    paths: HashMap<String, String>,
}

/// The id a document's file name gives (`CR-2024-007-car-wash.md` → `CR-2024-007`), for
/// documents whose front matter could not be read.
fn id_from_file_name(path: &str) -> Option<(String, Kind)> {
    let name = path.rsplit('/').next()?.strip_suffix(".md")?;
    let parts: Vec<&str> = name.split('-').collect();
    (1..=parts.len()).rev().find_map(|n| {
        let candidate = parts[..n].join("-");
        kind_of_id(&candidate).map(|k| (candidate, k))
    })
}

impl Targets {
    fn new(parsed: &[ParsedFile], unreadable: &[(String, Kind)]) -> Targets {
        let mut ids: HashMap<String, String> = unreadable
            .iter()
            .map(|(id, _)| (id.clone(), String::new()))
            .collect();
        let mut paths = HashMap::new();
        for p in parsed {
            let id = match &p.raw {
                RawDocument::CaseReview(r) => r.id.clone(),
                RawDocument::OrderRecord(r) => r.id.clone(),
                RawDocument::AgencyPowers(r) => r.id.clone(),
            };
            if let Some(id) = id {
                ids.entry(id.clone()).or_insert_with(|| p.path.clone());
                paths.insert(p.path.clone(), id);
            }
        }
        Targets { ids, paths }
    }
}

/// Required sections of each kind's body.
fn sections(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::CaseReview => &["Summary", "What worked", "What did not work", "Learning"],
        Kind::OrderRecord => &[],
        Kind::AgencyPowers => &[
            "When to involve them",
            "What they can do on a joint visit",
            "What they need from police",
        ],
    }
}

fn check_body(
    file: &SourceFile,
    parsed: &ParsedFile,
    targets: &Targets,
    lint: &Lint,
) -> Vec<Diagnostic> {
    let body = &file.text[parsed.body_offset..];
    let mut out = Vec::new();
    let lines = Lines::new(&file.text);
    let body_pos = |offset: usize| lines.position(parsed.body_offset + offset);
    // A body over the work budget is not parsed at all (parsing it is the cost): it is refused
    // here, so no build renders it, and only its text is linted.
    let tables = markdown::table_cells(body);
    if let Some(at) = tables.over_budget_at {
        let (line, column) = body_pos(at);
        let cells = tables.cells;
        out.push(
            Diagnostic::at_file(
                Code::OverBudget,
                &file.path,
                format!(
                    "the body's tables could make {} cells, over the budget of {} a document may render",
                    thousands(cells),
                    thousands(markdown::MAX_TABLE_CELLS)
                ),
            )
            .at(line, column, 1)
            .hint("this table takes the count over: every line after its `|---|` row, up to a blank line, is a row as wide as its header; end it with a blank line, or split it"),
        );
        out.extend(personal_data(file, parsed, lint, &lines));
        return diagnostic::cap(out);
    }
    let outline = markdown::outline(body);
    // A section's prompt from `casebook new`, not yet replaced by the writer's text.
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if model::is_placeholder(trimmed) {
            let (l, c) = body_pos(at + line.len() - trimmed.len());
            let shown: String = trimmed.trim_end().chars().take(80).collect();
            out.push(
                Diagnostic::at_file(
                    Code::Placeholder,
                    &file.path,
                    format!("the body still holds a placeholder: {shown}"),
                )
                .at(l, c, trimmed.trim_end().len())
                .hint("replace the TODO line with your text"),
            );
        }
        at += line.len();
    }
    for section in sections(parsed.folder_kind) {
        let present = outline
            .headings
            .iter()
            .any(|h| h.level == 2 && h.text.trim().eq_ignore_ascii_case(section));
        if !present {
            let (line, column) = body_pos(0);
            let message = format!("missing section `## {section}`");
            let hint = format!(
                "{} bodies have the sections: {}",
                parsed.folder_kind,
                sections(parsed.folder_kind).join(", ")
            );
            out.push(
                Diagnostic::at_file(Code::MissingSection, &file.path, message)
                    .at(line, column, 0)
                    .hint(hint),
            );
        }
    }
    for link in &outline.links {
        if let Some(d) = check_link(&file.path, link, targets) {
            let (line, column) = body_pos(link.range.0);
            out.push(d.at(line, column, link.range.1 - link.range.0));
        }
    }
    out.extend(personal_data(file, parsed, lint, &lines));
    diagnostic::cap(out)
}

fn check_link(path: &str, link: &markdown::Link, targets: &Targets) -> Option<Diagnostic> {
    let cleaned: String = link
        .target
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let what = if link.image { "image" } else { "link" };
    if let Some(scheme) = markdown::link_scheme(&cleaned) {
        if markdown::is_safe_scheme(&scheme) {
            return None;
        }
        let message = format!("{what} with a `{scheme}:` target will be shown as plain text");
        let hint = "only http, https and mailto links, and links to documents, are kept";
        return Some(Diagnostic::at_file(Code::UnsafeLink, path, message).hint(hint));
    }
    if link.email {
        return None;
    }
    if cleaned.is_empty() {
        let message = format!("{what} with an empty target will be shown as plain text");
        let hint = "give the link a document id or a full https:// address, or remove it";
        return Some(Diagnostic::at_file(Code::LinkShownAsText, path, message).hint(hint));
    }
    if cleaned.starts_with('#') || (!link.image && markdown::is_site_path(&cleaned)) {
        return None;
    }
    let target = cleaned.split('#').next().unwrap_or_default();
    if targets.ids.contains_key(target)
        || markdown::resolve_relative(path, target).is_some_and(|p| targets.paths.contains_key(&p))
    {
        return None;
    }
    // Only what names a document must resolve (E060); any other target without a scheme
    // (`train.jpg`, `//host/x`, an image by path) is shown as text, which a warning says.
    let names_a_document = kind_of_id(target).is_some()
        || ["CR-", "ORD-", "AG-"].iter().any(|p| target.starts_with(p))
        || target.ends_with(".md");
    if !names_a_document {
        let message = if link.image {
            format!("image `{target}` is not loaded; its text is shown instead")
        } else {
            format!(
                "{what} target `{target}` is neither a document nor a full address and will be shown as plain text"
            )
        };
        let hint = "link to documents by id, e.g. `[GLAA powers](AG-GLAA)`, to pages of the site by path (`/powers/`), or use a full https:// address";
        return Some(Diagnostic::at_file(Code::LinkShownAsText, path, message).hint(hint));
    }
    let message = format!("{what} target `{target}` is not a document in the knowledge base");
    let hint = if kind_of_id(target).is_some() {
        match crate::model::vocab::nearest_within(target, targets.ids.keys().map(String::as_str), 1)
        {
            Some(n) => format!("did you mean `{n}`?"),
            None => "check the id, or add the document it refers to".to_owned(),
        }
    } else {
        "check the path: it names no document in the knowledge base".to_owned()
    };
    Some(Diagnostic::at_file(Code::UnresolvedLink, path, message).hint(hint))
}

fn personal_data(
    file: &SourceFile,
    parsed: &ParsedFile,
    lint: &Lint,
    lines: &Lines,
) -> Vec<Diagnostic> {
    let allowed: Vec<&str> = match &parsed.raw {
        RawDocument::CaseReview(r) => &r.lint_allow,
        RawDocument::OrderRecord(r) => &r.lint_allow,
        RawDocument::AgencyPowers(r) => &r.lint_allow,
    }
    .iter()
    .flatten()
    .filter(|a| a.reason.as_ref().is_some_and(|r| !r.trim().is_empty()))
    .filter_map(|a| a.text.as_deref())
    .collect();
    lint.scan(&file.text, &allowed)
        .into_iter()
        .map(|f| {
            let (line, column) = lines.position(f.start);
            let (code, what) = if f.kind.is_warning() {
                (Code::PossiblePersonalData, "possible")
            } else {
                (Code::PersonalData, "personal data:")
            };
            let found = diagnostic::one_line(&file.text[f.start..f.end]);
            let message = format!("{what} {} `{found}`", f.kind.label());
            let hint = format!(
                "{}; if it is not personal data, add it to `lint_allow` with a reason",
                f.kind.hint()
            );
            Diagnostic::at_file(code, &file.path, message)
                .at(line, column, f.end - f.start)
                .hint(hint)
        })
        .collect()
}

/// `n` with its thousands separated by commas (`95,000,000`), as people read large counts.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(94_897_152), "94,897,152");
    }

    #[test]
    fn ids_come_from_file_names() {
        let id = |p: &str| id_from_file_name(p).map(|(id, _)| id);
        assert_eq!(
            id("knowledge/reviews/CR-2024-007-car-wash.md").as_deref(),
            Some("CR-2024-007")
        );
        assert_eq!(
            id("knowledge/agencies/AG-HMRC-NMW.md").as_deref(),
            Some("AG-HMRC-NMW")
        );
        assert_eq!(
            id("knowledge/orders/ORD-2020-001.md").as_deref(),
            Some("ORD-2020-001")
        );
        assert_eq!(id("knowledge/reviews/notes.md"), None);
    }

    #[test]
    fn schemes_are_read_case_insensitively() {
        let scheme = markdown::link_scheme;
        assert_eq!(scheme("JaVaScRiPt:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(
            scheme("java\tscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("https://example.org").as_deref(), Some("https"));
        assert_eq!(scheme("AG-GLAA"), None);
        assert_eq!(scheme("../x.md"), None);
    }
}
