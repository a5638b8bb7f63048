//! What the loader hands to validation: the file as read, its front matter as written, and
//! where every field sits in the file (so diagnostics can point at it).

use std::collections::HashMap;

use super::enums::Kind;
use super::raw::RawDocument;

/// A file read from the committed tree or the working tree.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// The file's text (already checked to be UTF-8 and within the size cap).
    pub text: String,
    /// The git blob id of the content (a content hash, also for working-tree files).
    pub blob: String,
}

/// A position in a file: byte offset and length, and the 1-based line and character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset from the start of the file.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Where each front-matter value sits, keyed by field path (`victims.adults`, `areas[1]`,
/// `recommendations[0].id`); for mappings and sequences the span is their first token.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    values: HashMap<String, Span>,
    keys: HashMap<String, Span>,
    start: Span,
}

impl Spans {
    /// An empty map whose fallback position is `start` (the opening `---`).
    pub fn new(start: Span) -> Spans {
        Spans {
            start,
            ..Spans::default()
        }
    }

    /// Records where the value at `path` is.
    pub fn insert_value(&mut self, path: String, span: Span) {
        self.values.entry(path).or_insert(span);
    }

    /// Records where the key of `path` is.
    pub fn insert_key(&mut self, path: String, span: Span) {
        self.keys.entry(path).or_insert(span);
    }

    /// The value at exactly `path`, if it was written.
    pub fn value(&self, path: &str) -> Option<Span> {
        self.values.get(path).copied()
    }

    /// The key of exactly `path`, if it was written.
    pub fn key(&self, path: &str) -> Option<Span> {
        self.keys.get(path).copied()
    }

    /// The best position for a finding about `path`: the value itself, else the nearest
    /// enclosing value that was written, else the start of the front matter.
    pub fn locate(&self, path: &str) -> Span {
        let mut current = path;
        loop {
            if let Some(span) = self.value(current) {
                return span;
            }
            match parent(current) {
                Some(p) => current = p,
                None => return self.start,
            }
        }
    }

    /// The opening `---` of the front matter.
    pub fn start(&self) -> Span {
        self.start
    }
}

/// `a.b[2].c` → `a.b[2]` → `a.b` → `a` → none.
fn parent(path: &str) -> Option<&str> {
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// A file whose front matter was read into its kind's raw struct.
#[derive(Debug)]
pub struct ParsedFile {
    /// Path relative to the repository root.
    pub path: String,
    /// The kind its folder says it is.
    pub folder_kind: Kind,
    /// The front matter as written.
    pub raw: RawDocument,
    /// Where each field is.
    pub spans: Spans,
    /// Byte offset of the markdown body in the file.
    pub body_offset: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// Fields still holding a `TODO` placeholder (as `casebook new` writes them), by field
    /// path, with the placeholder's text. They were read as absent.
    pub placeholders: Vec<(String, String)>,
}

/// The `id:` of a document's front matter, read as a line (one scalar needs no YAML parser):
/// what `history` and `new` use to find documents without checking them.
pub fn declared_id(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    lines
        .take_while(|l| !matches!(l.trim_end(), "---" | "..."))
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| {
            v.split(" #")
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches(['"', '\''])
                .to_owned()
        })
        .filter(|v| !v.is_empty())
}

/// True for a value `casebook new` left for the writer to fill: text starting with `TODO`.
pub fn is_placeholder(text: &str) -> bool {
    text.trim_start().starts_with("TODO")
}

/// Where each line of `text` starts (the first at 0). A line ends at `\n`, `\r\n` or a `\r`
/// alone: the line endings of YAML and of CommonMark, so a line number means the same line in
/// front matter, in the body and in an editor.
pub(crate) fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    std::iter::once(0).chain(
        bytes
            .iter()
            .enumerate()
            .filter(move |&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .map(|(i, _)| i + 1),
    )
}

/// Line and column lookups in one file that cost what they must: the line by binary search over
/// the line starts, the column counted from the previous lookup when it was earlier on the same
/// line (findings arrive mostly in order), so many findings on one long line stay linear.
pub(crate) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// The last lookup: its byte offset and column.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'t> Lines<'t> {
    /// The line starts of `text`, found once.
    pub(crate) fn new(text: &'t str) -> Lines<'t> {
        let starts = line_starts(text).collect();
        Lines {
            text,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let (last, last_column) = self.last.get();
        let column = if last >= start && last <= offset {
            last_column + self.text[last..offset].chars().count()
        } else {
            self.text[start..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        (line, column)
    }
}

/// The 1-based line and character column of byte `offset` in `text`, for a single lookup
/// (`Lines` for many in one file).
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    Lines::new(text).position(offset)
}

#[cfg(test)]
mod tests {

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let starts: Vec<usize> = line_starts("a\nb\r\nc\rd\r\r\n").collect();
        assert_eq!(starts, [0, 2, 5, 7, 9, 11]);
        assert_eq!(line_starts("").collect::<Vec<_>>(), [0]);
    }

    use super::*;

    #[test]
    fn the_id_is_read_from_the_front_matter_line() {
        assert_eq!(
            declared_id("---\nid: CR-2024-007\nkind: x\n---\n").as_deref(),
            Some("CR-2024-007")
        );
        assert_eq!(
            declared_id("---\nkind: x\nid: \"AG-LA\"  # note\n---\n").as_deref(),
            Some("AG-LA")
        );
        assert_eq!(declared_id("no front matter\nid: X\n"), None);
        assert_eq!(declared_id("---\nkind: x\n---\nid: X\n"), None);
    }

    #[test]
    fn locate_falls_back_to_enclosing_values() {
        let at = |line| Span {
            offset: 0,
            len: 1,
            line,
            column: 1,
        };
        let mut spans = Spans::new(at(1));
        spans.insert_value("victims".into(), at(5));
        spans.insert_value("recommendations[0]".into(), at(9));
        assert_eq!(spans.locate("victims.adults").line, 5);
        assert_eq!(spans.locate("recommendations[0].id").line, 9);
        assert_eq!(spans.locate("operation").line, 1);
    }

    /// The line index gives what counting from the start of the file gives, at every offset,
    /// looked up in order, out of order and inside multi-byte characters.
    #[test]
    fn line_lookups_agree_with_counting() {
        let text = "ab\nçé€\n\nx🙂y\r\nlast";
        let naive = |offset: usize| {
            let mut offset = offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (line, column)
        };
        let lines = Lines::new(text);
        let forward: Vec<usize> = (0..=text.len() + 2).collect();
        let backward: Vec<usize> = forward.iter().rev().copied().collect();
        let jumping: Vec<usize> = forward.iter().map(|i| (i * 7) % (text.len() + 1)).collect();
        for order in [forward, backward, jumping] {
            for offset in order {
                assert_eq!(lines.position(offset), naive(offset), "offset {offset}");
            }
        }
    }
}
