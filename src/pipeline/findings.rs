//! What a check found, as a reader sees it: each diagnostic as `path:line:col: error[E029]:
//! message` with its code frame, the closing count, and the lines on what a build leaves
//! unpublished. The command line and the server's log print these.

use std::collections::HashMap;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::enums::Closed;
use crate::model::words::count;
use crate::model::{Document, Marking, SourceFile, Status};

use super::check::Checked;

/// The closing line: "checked N documents: E errors, W warnings".
pub fn summary(checked: &Checked) -> String {
    let plural = |n: usize, one: &str, many: &str| count(n as u64, one, many);
    format!(
        "checked {}: {}, {}",
        plural(checked.documents_checked, "document", "documents"),
        plural(checked.errors(), "error", "errors"),
        plural(checked.warnings(), "warning", "warnings"),
    )
}

/// What a check or build leaves unpublished, and why, a line each: drafts and documents in
/// review (with what publishes them), withdrawn documents, and, for a build with a `ceiling`,
/// documents above it. Nothing when everything is published.
pub fn left_out(checked: &Checked, ceiling: Option<Marking>, drafts: bool) -> Vec<String> {
    let docs = &checked.corpus.documents;
    let ids = |wanted: &dyn Fn(&Document) -> bool, with: &dyn Fn(&Document) -> String| {
        let found: Vec<String> = docs.iter().filter(|d| wanted(d)).map(with).collect();
        (found.len(), list(&found))
    };
    let mut lines = Vec::new();
    if !drafts {
        let draft = |d: &Document| d.common.status == Status::Draft;
        let review = |d: &Document| d.common.status == Status::InReview;
        let (drafts_n, _) = ids(&draft, &|d| d.common.id.clone());
        let (review_n, _) = ids(&review, &|d| d.common.id.clone());
        if drafts_n + review_n > 0 {
            let (_, named) = ids(&|d| draft(d) || review(d), &|d| {
                format!(
                    "{} ({})",
                    d.common.id,
                    d.common.status.label().to_lowercase()
                )
            });
            let mut what = Vec::new();
            if drafts_n > 0 {
                what.push(count(drafts_n as u64, "draft", "drafts"));
            }
            if review_n > 0 {
                what.push(format!("{review_n} in review"));
            }
            lines.push(format!(
                "{} not published: {named}; set `status: approved` to publish",
                what.join(" and ")
            ));
        }
    }
    let withdrawn = |d: &Document| d.common.status == Status::Withdrawn;
    let (n, named) = ids(&withdrawn, &|d| d.common.id.clone());
    if n > 0 {
        lines.push(format!(
            "{} not published: {named}",
            count(n as u64, "withdrawn document", "withdrawn documents")
        ));
    }
    if let Some(ceiling) = ceiling {
        let above = |d: &Document| {
            d.common.marking > ceiling
                && (d.common.status.is_published()
                    || (drafts && matches!(d.common.status, Status::Draft | Status::InReview)))
        };
        let (n, named) = ids(&above, &|d| {
            format!("{} ({})", d.common.id, d.common.marking)
        });
        if n > 0 {
            lines.push(format!(
                "{} above {ceiling} not in this edition: {named}",
                count(n as u64, "document", "documents")
            ));
        }
    }
    lines
}

/// Names in a line: the first eight, then how many more.
fn list(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

/// The note for a check of `HEAD` when the working tree's knowledge folder differs from it.
pub fn unchecked_changes(changed: &[String]) -> Option<String> {
    (!changed.is_empty()).then(|| {
        format!(
            "note: {} changed since HEAD {} not checked ({}); `casebook check --worktree` checks {}",
            count(changed.len() as u64, "file", "files"),
            if changed.len() == 1 { "was" } else { "were" },
            list(changed),
            if changed.len() == 1 { "it" } else { "them" },
        )
    })
}

/// Every diagnostic rendered with its code frame.
pub fn render_all(checked: &Checked, styled: bool) -> String {
    let all: Vec<&Diagnostic> = checked.diagnostics.iter().collect();
    render_list(&all, checked, styled)
}

/// Some of the diagnostics of a check, rendered with their code frames.
pub fn render_list(list: &[&Diagnostic], checked: &Checked, styled: bool) -> String {
    let sources: HashMap<&str, &SourceFile> = checked
        .sources
        .iter()
        .map(|s| (s.path.as_str(), s))
        .collect();
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in list {
        out.push_str(&render(d, sources.get(d.path.as_str()).copied(), &renderer));
        out.push_str("\n\n");
    }
    out
}

/// One diagnostic: `path:line:col: error[E029]: message`, then the code frame.
pub fn render(d: &Diagnostic, source: Option<&SourceFile>, renderer: &Renderer) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let header = format!(
        "{}:{}:{}: {severity}[{}]: {}",
        d.path, d.line, d.column, d.code, d.message
    );
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let hint = d.hint.as_deref().unwrap_or_default();
    let Some((window, span)) = source.and_then(|s| frame(&s.text, d.line, d.column, d.span_len))
    else {
        return match &d.hint {
            Some(h) => format!("{header}\n  = help: {h}"),
            None => header,
        };
    };
    let annotation = AnnotationKind::Primary.span(span).label(hint);
    let report = [Group::with_level(level).element(
        Snippet::source(window.as_str())
            .line_start(d.line)
            .annotation(annotation),
    )];
    format!("{header}\n{}", renderer.render(&report))
}

/// Longest stretch of a line a code frame shows, in characters.
const FRAME_CHARS: usize = 240;

/// The code frame of a finding: its line, or for a long line a stretch of it around the finding
/// marked `…` where cut, and the byte range to underline in that text. Costs the bytes before
/// the line plus the frame, never a copy of a long line per finding. `None` when the line is
/// not in the text.
fn frame(
    text: &str,
    line: usize,
    column: usize,
    span_len: usize,
) -> Option<(String, Range<usize>)> {
    let line_start = crate::model::source::line_starts(text).nth(line.max(1) - 1)?;
    if line_start > text.len() || (line > 1 && line_start == text.len()) {
        return None;
    }
    let line_text = &text[line_start..line_end(text, line_start)];
    let start = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    let mut end = (start + span_len).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    if line_text.chars().nth(FRAME_CHARS).is_none() {
        return Some((line_text.to_owned(), start..end));
    }
    // A window of FRAME_CHARS characters starting a third of the way before the finding.
    let back = line_text[..start]
        .char_indices()
        .rev()
        .nth(FRAME_CHARS / 3 - 1)
        .map_or(0, |(i, _)| i);
    let to = line_text[back..]
        .char_indices()
        .nth(FRAME_CHARS)
        .map_or(line_text.len(), |(i, _)| back + i);
    let mut window = String::new();
    if back > 0 {
        window.push('…');
    }
    let shift = window.len();
    window.push_str(&line_text[back..to]);
    if to < line_text.len() {
        window.push('…');
    }
    let span = (start - back + shift)..(end.min(to).max(start) - back + shift);
    Some((window, span))
}

/// The byte offset where the line containing `offset` ends.
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Loaded;
    use crate::model::Date;
    use crate::pipeline::check::check_loaded;

    /// Mutates the valid base fixture at random (YAML and markdown punctuation, line ends,
    /// multi-byte characters) and runs the whole check and its rendering: no input may panic,
    /// and every diagnostic must point at a real position.
    #[test]
    fn random_mutations_never_panic() {
        let base = [
            (
                "knowledge/reviews/CR-2024-001-base.md",
                include_str!("../../tests/fixtures/base/knowledge/reviews/CR-2024-001-base.md"),
            ),
            (
                "knowledge/orders/ORD-2024-001.md",
                include_str!("../../tests/fixtures/base/knowledge/orders/ORD-2024-001.md"),
            ),
            (
                "knowledge/agencies/AG-GLAA.md",
                include_str!("../../tests/fixtures/base/knowledge/agencies/AG-GLAA.md"),
            ),
        ];
        let alphabet: Vec<char> = "-:[]{},&*!|>'\"#\n\r\t ?%@`~é—£0x".chars().collect();
        let mut seed: u64 = 0x5eed_cafe;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        for _ in 0..150 {
            let files: Vec<SourceFile> = base
                .iter()
                .map(|(path, text)| {
                    let mut chars: Vec<char> = text.chars().collect();
                    for _ in 0..next(6) {
                        let at = next(chars.len());
                        let c = alphabet[next(alphabet.len())];
                        match next(3) {
                            0 => chars.insert(at, c),
                            1 => chars[at] = c,
                            _ => drop(chars.remove(at)),
                        }
                    }
                    SourceFile {
                        path: (*path).to_owned(),
                        text: chars.into_iter().collect(),
                        blob: String::new(),
                    }
                })
                .collect();
            let loaded = Loaded {
                files,
                ..Loaded::default()
            };
            let checked = check_loaded(loaded, "knowledge", Date::parse("2026-11-29").unwrap());
            for d in &checked.diagnostics {
                assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            }
            render_all(&checked, false);
        }
    }
}
