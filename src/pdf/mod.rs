//! PDF documents typeset in process by Typst: a layout of ours (a Typst source file) fills
//! itself from a JSON value. The only home of typst.
//!
//! The data is untrusted — it is the documents' own text — so it never becomes Typst source:
//! the layout reads it with `json("data.json")` and places its strings as text, which Typst
//! does not interpret (`= Heading`, `#import` or `]` in a title print as they are). The
//! compilation sees nothing else: no file system, no packages, no network, no clock (the
//! date is the caller's), and only the fonts compiled into the binary. Two renders of the same
//! layout, data and date give the same bytes.
//!
//! What a layout must not do with the data, since Typst would then read it as source or as a
//! name: pass it to `eval`, or build a file path from it (each path named is interned for the
//! life of the process, at most 65,535 of them, and reading it is refused anyway).
//!
//! Cost. Typst bounds what a layout can do: a `while` loop stops after 10,000 iterations,
//! function calls nest at most 80 deep, show rules 64 and layout 72, and a document is laid
//! out at most five times while its references settle. It sets no bound on time or memory:
//! a `for` over `range(n)` or a string repeated `n` times costs what `n` asks, and a
//! compilation cannot be cancelled. That is acceptable because the layouts are ours and the
//! data (the only input that varies) is bounded by the documents' size, so a render costs
//! about as much as the text it sets (4 to 8 ms for the example's one page, in a release
//! build). A caller that serves requests runs renders on a blocking thread. Each render runs
//! on a thread of its own with a 16 MiB stack (deep layouts recurse), and a panic inside
//! Typst comes back as `PdfError::Crashed`. Typst
//! memoises across compilations; the caches are trimmed after each render so a long-running
//! server does not grow.

mod world;

#[cfg(test)]
mod tests;

use std::fmt;

use chrono::NaiveDate;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::Smart;
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use world::Sandbox;

/// A small layout showing what a document layout does: the marking on every page, a title,
/// a numbered list, a table and a link, all read from `data.json`.
pub const EXAMPLE_TEMPLATE: &str = include_str!("example.typ");

/// The stack of the thread a render runs on.
const STACK_BYTES: usize = 16 << 20;

/// Memoised results unused for this many renders are dropped.
const CACHE_RENDERS: usize = 10;

/// A render that did not produce a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The data could not be written as JSON for the layout.
    #[error("the data cannot be given to the layout: {0}")]
    Data(#[from] serde_json::Error),
    /// The layout does not compile with this data: a mistake in the layout, or data of a shape
    /// it does not expect.
    #[error("the layout failed:\n{}", Problems(.0))]
    Layout(Vec<Problem>),
    /// The laid-out document cannot be written as PDF, such as when it misses what PDF/UA
    /// requires (a title, alternative text for an image).
    #[error("the PDF cannot be written:\n{}", Problems(.0))]
    Export(Vec<Problem>),
    /// Typst stopped on a fault of its own, not of the layout or the data.
    #[error("the typesetter failed: {0}")]
    Crashed(String),
}

/// One error Typst reported, located in the layout where it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line and column in the layout, when the error points into it.
    pub position: Option<(usize, usize)>,
    /// The layout's line at `position`, to show with the message.
    pub source_line: Option<String>,
    /// Typst's message (`unknown variable: titel`).
    pub message: String,
    /// Typst's suggestions for fixing it.
    pub hints: Vec<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: ", world::MAIN_NAME)?,
            None => write!(f, "{}: ", world::MAIN_NAME)?,
        }
        f.write_str(&self.message)?;
        if let (Some((line, _)), Some(text)) = (self.position, &self.source_line) {
            write!(f, "\n{line:>5} | {text}")?;
        }
        for hint in &self.hints {
            write!(f, "\n      = hint: {hint}")?;
        }
        Ok(())
    }
}

/// A list of problems, one after another.
struct Problems<'a>(&'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// Typesets `data` with the Typst layout `template` into a tagged PDF/UA-1 document, with no
/// date: `datetime.today()` in the layout is an error and the PDF carries no creation date.
///
/// The layout reads the data with `json("data.json")`, sets the title with
/// `set document(title: ...)` (PDF/UA requires one) and may change the defaults: Noto Sans,
/// British English (the PDF's language). Text in a script the embedded fonts lack (Chinese,
/// Arabic, emoji) is drawn as boxes; such a document is still written, tagged, but does not
/// claim PDF/UA-1, which forbids them.
pub fn render(template: &str, data: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    render_inner(template, data, None)
}

/// As [`render`], for a document dated `today`: `datetime.today()` in the layout gives it, and
/// it is the PDF's creation date.
pub fn render_dated(
    template: &str,
    data: &serde_json::Value,
    today: NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    render_inner(template, data, Some(today))
}

fn render_inner(
    template: &str,
    data: &serde_json::Value,
    today: Option<NaiveDate>,
) -> Result<Vec<u8>, PdfError> {
    let world = Sandbox::new(template, serde_json::to_vec(data)?, today);
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("pdf-render".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || typeset(&world))
            .map_err(|e| PdfError::Crashed(format!("no thread to render on: {e}")))?
            .join()
            .map_err(|panic| PdfError::Crashed(panic_message(panic.as_ref())))
    });
    typst::comemo::evict(CACHE_RENDERS);
    outcome?
}

/// Compiles and exports on the current thread.
fn typeset(world: &Sandbox) -> Result<Vec<u8>, PdfError> {
    let compiled = typst::compile::<PagedDocument>(world);
    for warning in &compiled.warnings {
        tracing::debug!(target: "pdf", "{}", problem(world, warning));
    }
    let document = compiled
        .output
        .map_err(|errors| PdfError::Layout(problems(world, &errors)))?;
    let options = pdf_options(world, &document)?;
    typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(problems(world, &errors)))
}

/// Tagged PDF, identified by a hash of its title (stable from one render to the next), dated
/// only when the caller gave a date, and PDF/UA-1 when the fonts have every character.
fn pdf_options(world: &Sandbox, document: &PagedDocument) -> Result<PdfOptions, PdfError> {
    let standards = if has_missing_glyphs(document) {
        // PDF/UA forbids a character drawn as the font's blank box; the data decides that
        // (a name in a script the fonts lack), so the document is still written, tagged.
        tracing::warn!(
            target: "pdf",
            "characters not in the embedded fonts are shown as boxes; the PDF is tagged but not PDF/UA-1"
        );
        PdfStandards::default()
    } else {
        PdfStandards::new(&[PdfStandard::Ua_1])
            .map_err(|e| PdfError::Crashed(format!("PDF/UA-1 is not available: {}", e.message())))?
    };
    Ok(PdfOptions {
        ident: Smart::Auto,
        creator: Smart::Custom(Some("Casebook".to_owned())),
        timestamp: world.today().map(Timestamp::new_utc),
        standards,
        tagged: true,
        ..PdfOptions::default()
    })
}

/// Whether any text is set with glyph 0, the box a font draws for a character it lacks.
fn has_missing_glyphs(document: &PagedDocument) -> bool {
    fn in_frame(frame: &Frame) -> bool {
        frame.items().any(|(_, item)| match item {
            FrameItem::Group(group) => in_frame(&group.frame),
            FrameItem::Text(text) => text.glyphs.iter().any(|glyph| glyph.id == 0),
            _ => false,
        })
    }
    document.pages().iter().any(|page| in_frame(&page.frame))
}

fn problems(world: &Sandbox, diagnostics: &[SourceDiagnostic]) -> Vec<Problem> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| problem(world, d))
        .collect()
}

fn problem(world: &Sandbox, diagnostic: &SourceDiagnostic) -> Problem {
    let source = world.main_source();
    let position = (diagnostic.span.id() == Some(source.id()))
        .then(|| world.range(diagnostic.span))
        .flatten()
        .and_then(|range| source.lines().byte_to_line_column(range.start));
    let source_line = position.and_then(|(line, _)| {
        let range = source.lines().line_to_range(line)?;
        Some(source.text()[range].trim_end().to_owned())
    });
    Problem {
        position: position.map(|(line, column)| (line + 1, column + 1)),
        source_line,
        message: diagnostic.message.to_string(),
        hints: diagnostic.hints.iter().map(|h| h.v.to_string()).collect(),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
