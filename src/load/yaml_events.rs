//! A first, structural pass over YAML text with saphyr's event parser: it finds where every
//! value is (so later diagnostics can point at it) and refuses what front matter must never
//! contain — syntax errors, a root that is not a mapping, duplicate keys, tags, anchors and
//! aliases, and more than one document — before serde_yaml reads any value.
//!
//! The walk keeps its own stack (no recursion), so nesting depth cannot overflow it.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

use crate::diagnostic::Code;
use crate::model::{Span, Spans};

/// Where a YAML text sits in its file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Origin {
    /// Byte offset of the YAML's first byte in the file.
    pub offset: usize,
    /// 1-based file line of the YAML's first line.
    pub line: usize,
}

/// A structural problem, located in the file.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    /// Which rule.
    pub code: Code,
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

enum Frame {
    Map {
        path: String,
        keys: HashMap<String, Span>,
        key: Option<String>,
    },
    Seq {
        path: String,
        index: usize,
    },
}

/// Converts saphyr's character positions into file spans.
struct Locator {
    origin: Origin,
    byte_of_char: Vec<usize>,
}

impl Locator {
    fn new(text: &str, origin: Origin) -> Locator {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of_char.push(text.len());
        Locator {
            origin,
            byte_of_char,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let last = self.byte_of_char.len() - 1;
        self.byte_of_char[char_index.min(last)]
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span {
            offset: self.origin.offset + start,
            len: end - start,
            line: self.origin.line + s.start.line().saturating_sub(1),
            column: s.start.col() + 1,
        }
    }
}

/// Walks `text` and returns the value spans, or every structural problem found.
pub(super) fn walk(text: &str, origin: Origin, start: Span) -> Result<Spans, Vec<Problem>> {
    let locator = Locator::new(text, origin);
    let mut w = Walker {
        spans: Spans::new(start),
        problems: Vec::new(),
        stack: Vec::new(),
        documents: 0,
        root_seen: false,
    };
    for item in Parser::new_from_str(text) {
        if w.problems.iter().any(|p| p.code == Code::MultiDocument) {
            break;
        }
        match item {
            Ok((event, span)) => w.event(event, locator.span(span)),
            Err(e) => {
                let m = e.marker();
                let pos = saphyr_parser::Span::empty(*m);
                let message = format!("YAML syntax error: {}", e.info());
                w.problem(
                    Code::YamlSyntax,
                    locator.span(pos),
                    message,
                    syntax_hint(e.info()),
                );
                break;
            }
        }
    }
    if !w.root_seen && w.problems.is_empty() {
        let message = "front matter is empty: it must be a mapping of fields (`key: value` lines)";
        w.problem(Code::NotAMapping, start, message.to_owned(), None);
    }
    if w.problems.is_empty() {
        Ok(w.spans)
    } else {
        Err(w.problems)
    }
}

struct Walker {
    spans: Spans,
    problems: Vec<Problem>,
    stack: Vec<Frame>,
    documents: usize,
    root_seen: bool,
}

impl Walker {
    fn problem(&mut self, code: Code, span: Span, message: String, hint: Option<String>) {
        self.problems.push(Problem {
            code,
            span,
            message,
            hint,
        });
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    let message = "front matter holds more than one YAML document".to_owned();
                    let hint = "front matter ends at the first `---` line after the opening one; remove the extra document separator".to_owned();
                    self.problem(Code::MultiDocument, span, message, Some(hint));
                }
            }
            Event::Alias(_) => {
                self.anchor(span);
                self.node(span, Some("*"), false);
            }
            Event::Scalar(value, _, anchor, tag) => {
                self.properties(span, anchor, tag.is_some());
                self.node(span, Some(value.as_ref()), false);
            }
            Event::SequenceStart(anchor, tag) => {
                self.properties(span, anchor, tag.is_some());
                if let Some(path) = self.node(span, None, true) {
                    self.stack.push(Frame::Seq { path, index: 0 });
                }
            }
            Event::MappingStart(anchor, tag) => {
                self.properties(span, anchor, tag.is_some());
                if let Some(path) = self.node(span, None, false) {
                    let keys = HashMap::new();
                    self.stack.push(Frame::Map {
                        path,
                        keys,
                        key: None,
                    });
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }

    /// Reports the first anchor or alias only: one is enough to refuse the file, and an
    /// alias bomb would otherwise produce hundreds of lines.
    fn anchor(&mut self, span: Span) {
        if self.problems.iter().any(|p| p.code == Code::YamlAlias) {
            return;
        }
        let message = "YAML anchors and aliases (`&name`, `*name`) are not allowed in front matter"
            .to_owned();
        let hint = "write each value out in full".to_owned();
        self.problem(Code::YamlAlias, span, message, Some(hint));
    }

    fn properties(&mut self, span: Span, anchor: usize, tagged: bool) {
        if anchor != 0 {
            self.anchor(span);
        }
        if tagged {
            let message = "YAML tags (`!…`) are not allowed in front matter".to_owned();
            let hint = "remove the tag and write a plain value".to_owned();
            self.problem(Code::YamlTag, span, message, Some(hint));
        }
    }

    /// Handles a new node; returns the path of a collection that starts here.
    fn node(&mut self, span: Span, scalar: Option<&str>, seq: bool) -> Option<String> {
        let Some(frame) = self.stack.last_mut() else {
            return self.root(span, scalar, seq);
        };
        let path = match frame {
            Frame::Map { path, key, .. } => {
                let Some(k) = key.take() else {
                    return self.key(span, scalar);
                };
                join(path, &k)
            }
            Frame::Seq { path, index } => format!("{path}[{index}]"),
        };
        self.spans.insert_value(path.clone(), span);
        if scalar.is_some() {
            self.value_done();
            None
        } else {
            Some(path)
        }
    }

    fn root(&mut self, span: Span, scalar: Option<&str>, seq: bool) -> Option<String> {
        self.root_seen = true;
        if scalar.is_none() && !seq {
            return Some(String::new());
        }
        let what = match scalar {
            Some(v) if v.is_empty() || v == "~" || v == "null" => "empty".to_owned(),
            Some(_) => "a single value".to_owned(),
            None => "a list".to_owned(),
        };
        let message =
            format!("front matter is {what}: it must be a mapping of fields (`key: value` lines)");
        self.problem(Code::NotAMapping, span, message, None);
        // Walk the rest without recording paths.
        (!seq).then_some(String::new()).or(Some(String::from("[]")))
    }

    fn key(&mut self, span: Span, scalar: Option<&str>) -> Option<String> {
        let Some(Frame::Map { path, keys, key }) = self.stack.last_mut() else {
            return None;
        };
        let Some(name) = scalar else {
            *key = Some("?".to_owned());
            let message =
                "a front-matter key must be a plain word, not a list or mapping".to_owned();
            let hint = "write `key: value` with a word as the key".to_owned();
            self.problem(Code::ComplexKey, span, message, Some(hint));
            // Walk the complex key's contents without recording paths.
            return Some("?".to_owned());
        };
        let full = join(path, name);
        if let Some(first) = keys.get(name) {
            let message = format!(
                "duplicate key `{full}` (first given at line {})",
                first.line
            );
            let hint =
                "give each field once; a repeated key never silently replaces the first".to_owned();
            let problem = Problem {
                code: Code::DuplicateKey,
                span,
                message,
                hint: Some(hint),
            };
            self.problems.push(problem);
        } else {
            keys.insert(name.to_owned(), span);
        }
        *key = Some(name.to_owned());
        self.spans.insert_key(full, span);
        None
    }

    /// A value finished: a sequence moves to its next index.
    fn value_done(&mut self) {
        if let Some(Frame::Seq { index, .. }) = self.stack.last_mut() {
            *index += 1;
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// What to do about a syntax error a newcomer meets.
fn syntax_hint(info: &str) -> Option<String> {
    let hint = if info.contains("mapping values are not allowed") {
        "a value that contains `: ` must be quoted: `title: \"Operation X: the review\"`"
    } else if info.contains("did not find expected ',' or ']'")
        || info.contains("did not find expected ',' or '}'")
        || info.contains("illegal placement of ':'")
    {
        "a list in [brackets] or a mapping in {braces} must be closed on its line, with items separated by commas"
    } else if info.contains("found character that cannot start any token") {
        "indent with spaces, never tabs, and quote values that start with `@`, `` ` `` or `%`"
    } else {
        return None;
    };
    Some(hint.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Spans, Vec<Problem>> {
        walk(text, Origin { offset: 4, line: 2 }, Span::default())
    }

    #[test]
    fn records_paths_of_flow_and_block_values() {
        let text = "title: Hello\nareas: [havant, portsmouth]\nvictims: {total: 3, adults: 2}\nrecommendations:\n  - id: R1\n    text: x\n";
        let spans = run(text).unwrap();
        let areas = spans.value("areas[1]").unwrap();
        assert_eq!((areas.line, areas.column), (3, 17));
        assert_eq!(&text[areas.offset - 4..][..areas.len], "portsmouth");
        assert_eq!(spans.value("victims.adults").unwrap().line, 4);
        assert_eq!(spans.value("recommendations[0].text").unwrap().line, 7);
        assert_eq!(spans.key("title").unwrap().column, 1);
    }

    #[test]
    fn refuses_structural_hazards() {
        let codes =
            |t: &str| -> Vec<Code> { run(t).unwrap_err().into_iter().map(|p| p.code).collect() };
        assert_eq!(codes("a: 1\na: 2\n"), vec![Code::DuplicateKey]);
        assert_eq!(codes("a: !!binary aGVsbG8=\n"), vec![Code::YamlTag]);
        assert_eq!(codes("a: &x 1\nb: *x\nc: *x\n"), vec![Code::YamlAlias]);
        assert_eq!(codes("a: &x 1\n<<: *x\n"), vec![Code::YamlAlias]);
        assert_eq!(codes("? [a]\n: 1\nb: 2\n"), vec![Code::ComplexKey]);
        assert_eq!(codes("- a\n- b\n"), vec![Code::NotAMapping]);
        assert_eq!(codes(""), vec![Code::NotAMapping]);
        assert_eq!(codes("a: [1\n"), vec![Code::YamlSyntax]);
        assert_eq!(codes("a: 1\n--- \nb: 2\n"), vec![Code::MultiDocument]);
    }
}
