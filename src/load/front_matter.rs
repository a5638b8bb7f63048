//! Front matter: finding the YAML block between `---` lines and reading it into its kind's
//! raw struct. The only home of serde_yaml (with `vocab`, which reads vocabulary files).
//!
//! Pure: takes text, returns values or diagnostics; never touches the disk or git.

use crate::diagnostic::{Code, Diagnostic, one_line};
use crate::model::raw::RawDocument;
use crate::model::{Kind, ParsedFile, SourceFile, Span};

use super::yaml_events::{self, Origin, Problem};

/// The largest front matter Casebook reads (serde_yaml is quadratic on deep nesting).
pub const MAX_FRONT_MATTER: usize = 16 * 1024;

/// Where the front matter and body of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML text.
    pub yaml: (usize, usize),
    /// 1-based line of the YAML's first line.
    pub yaml_line: usize,
    /// Byte offset of the body.
    pub body_offset: usize,
    /// 1-based line of the body's first line.
    pub body_line: usize,
    /// The opening `---`.
    pub open: Span,
}

/// Finds the front matter of `text` (a UTF-8 BOM, CRLF line ends and trailing blanks on the
/// fences are accepted).
pub fn split(path: &str, text: &str) -> Result<Split, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = Lines {
        text,
        pos: start,
        line: 0,
    };
    let first = lines.next();
    let open = Span {
        offset: start,
        len: 3,
        line: 1,
        column: 1,
    };
    if first.is_none_or(|l| !is_fence(l, "---")) {
        return Err(no_front_matter(path, text, start));
    }
    let yaml_start = lines.pos;
    let yaml_line = lines.line + 1;
    while let Some(l) = lines.peek() {
        if is_fence(l, "---") || is_fence(l, "...") {
            let yaml_end = lines.pos;
            lines.next();
            if yaml_end - yaml_start > MAX_FRONT_MATTER {
                let message = format!(
                    "front matter is {} bytes; the limit is {MAX_FRONT_MATTER} bytes (16 KiB)",
                    yaml_end - yaml_start
                );
                let hint = "front matter holds fields only: move long text into the body";
                return Err(at(path, open, Code::FrontMatterTooLarge, message).hint(hint));
            }
            return Ok(Split {
                yaml: (yaml_start, yaml_end),
                yaml_line,
                body_offset: lines.pos,
                body_line: lines.line + 1,
                open,
            });
        }
        lines.next();
    }
    let message = "front matter is not closed: no `---` line after the opening one";
    let hint = "end the front matter with a line that is exactly `---`";
    Err(at(path, open, Code::UnclosedFrontMatter, message).hint(hint))
}

fn no_front_matter(path: &str, text: &str, start: usize) -> Diagnostic {
    let rest = &text[start..];
    let trimmed = rest.trim_start_matches(['\n', '\r', ' ', '\t']);
    let skipped = &rest[..rest.len() - trimmed.len()];
    if !skipped.is_empty() && trimmed.lines().next().is_some_and(|l| is_fence(l, "---")) {
        let line = crate::model::source::line_starts(skipped).count();
        let span = Span {
            offset: start + skipped.len(),
            len: 3,
            line,
            column: 1,
        };
        let message = "blank lines before the opening `---`";
        return at(path, span, Code::NoFrontMatter, message)
            .hint("the file must start with the `---` line");
    }
    let span = Span {
        offset: start,
        len: 0,
        line: 1,
        column: 1,
    };
    let message = "no front matter: the file must start with a `---` line";
    let hint = "start the file with `---`, the fields, then another `---` line";
    at(path, span, Code::NoFrontMatter, message).hint(hint)
}

/// `---` or `...` followed only by spaces, tabs and a line end.
fn is_fence(line: &str, fence: &str) -> bool {
    line.strip_prefix(fence).is_some_and(|rest| {
        rest.trim_end_matches(['\r', '\n'])
            .chars()
            .all(|c| c == ' ' || c == '\t')
    })
}

/// Lines with their line ends, tracking byte offset and line number.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn peek(&self) -> Option<&'a str> {
        let rest = &self.text[self.pos..];
        if rest.is_empty() {
            return None;
        }
        Some(rest.find('\n').map_or(rest, |i| &rest[..=i]))
    }

    fn next(&mut self) -> Option<&'a str> {
        let l = self.peek()?;
        self.pos += l.len();
        // A `\r` alone also ends a line (as YAML and CommonMark count them).
        self.line += (crate::model::source::line_starts(l).count() - 1).max(1);
        Some(l)
    }
}

fn at(path: &str, span: Span, code: Code, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at_file(code, path, message).at(span.line, span.column, span.len)
}

/// Splits and parses one file found in `folder_kind`'s folder.
pub fn parse(file: &SourceFile, folder_kind: Kind) -> Result<ParsedFile, Vec<Diagnostic>> {
    let split = split(&file.path, &file.text).map_err(|d| vec![d])?;
    let yaml = &file.text[split.yaml.0..split.yaml.1];
    let origin = Origin {
        offset: split.yaml.0,
        line: split.yaml_line,
    };
    let spans = yaml_events::walk(yaml, origin, split.open)
        .map_err(|problems| problems_to_diagnostics(&file.path, problems))?;
    // A document in the wrong folder gets one clear error (the folder) rather than one per
    // field: its fields are read as the kind it says it is when they fit that kind, else as
    // its folder's kind.
    let declared = from_yaml::<DeclaredKind>(yaml)
        .ok()
        .and_then(|d| d.kind)
        .and_then(|k| <Kind as crate::model::enums::Closed>::from_code(&k));
    // Placeholders left by `casebook new` are read as absent, so a skeleton gets one finding
    // per unfilled field rather than a type error for the first.
    let mut placeholders = Vec::new();
    let filled: Option<serde_yaml::Value> = yaml
        .contains("TODO")
        .then(|| from_yaml::<serde_yaml::Value>(yaml).ok())
        .flatten()
        .map(|mut value| {
            strip_placeholders(&mut value, "", &mut placeholders);
            value
        });
    let read = |kind: Kind| -> Result<RawDocument, serde_yaml::Error> {
        fn typed<T: serde::de::DeserializeOwned>(
            yaml: &str,
            value: Option<&serde_yaml::Value>,
        ) -> Result<T, serde_yaml::Error> {
            match value {
                Some(v) => serde_yaml::from_value(v.clone()),
                None => from_yaml(yaml),
            }
        }
        let value = filled.as_ref();
        Ok(match kind {
            Kind::CaseReview => RawDocument::CaseReview(Box::new(typed(yaml, value)?)),
            Kind::OrderRecord => RawDocument::OrderRecord(Box::new(typed(yaml, value)?)),
            Kind::AgencyPowers => RawDocument::AgencyPowers(Box::new(typed(yaml, value)?)),
        })
    };
    let raw = match declared.filter(|k| *k != folder_kind) {
        Some(kind) => read(kind).or_else(|e| read(folder_kind).map_err(|_| e)),
        None => read(folder_kind),
    };
    let raw = raw.map_err(|e| vec![serde_error(&file.path, &file.text, origin, &spans, e)])?;
    Ok(ParsedFile {
        path: file.path.clone(),
        folder_kind,
        raw,
        spans,
        body_offset: split.body_offset,
        body_line: split.body_line,
        placeholders,
    })
}

/// Removes every placeholder string from `value` (a mapping entry, or a sequence item),
/// recording its field path (`operation`, `areas[0]`, `offences[0].code`) and text.
fn strip_placeholders(
    value: &mut serde_yaml::Value,
    path: &str,
    found: &mut Vec<(String, String)>,
) {
    use serde_yaml::Value;
    let placeholder = |v: &Value| {
        v.as_str()
            .filter(|s| crate::model::is_placeholder(s))
            .map(str::to_owned)
    };
    match value {
        Value::Mapping(map) => {
            let keys: Vec<Value> = map.keys().cloned().collect();
            for key in keys {
                let name = key.as_str().unwrap_or_default();
                let field = if path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{path}.{name}")
                };
                if let Some(text) = map.get(&key).and_then(placeholder) {
                    map.remove(&key);
                    found.push((field, text));
                } else if let Some(v) = map.get_mut(&key) {
                    strip_placeholders(v, &field, found);
                }
            }
        }
        Value::Sequence(items) => {
            let mut i = 0;
            let mut index = 0;
            while i < items.len() {
                let field = format!("{path}[{index}]");
                if let Some(text) = placeholder(&items[i]) {
                    items.remove(i);
                    found.push((field, text));
                } else {
                    strip_placeholders(&mut items[i], &field, found);
                    i += 1;
                }
                index += 1;
            }
        }
        _ => {}
    }
}

/// The top-level fields of a document's front matter, each value written out canonically,
/// so two versions can be compared field by field; none when the front matter cannot be read.
pub fn fields(path: &str, text: &str) -> Option<std::collections::BTreeMap<String, String>> {
    let split = split(path, text).ok()?;
    let yaml = &text[split.yaml.0..split.yaml.1];
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
    let map = value.as_mapping()?;
    Some(
        map.iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), serde_yaml::to_string(v).ok()?)))
            .collect(),
    )
}

/// Only the `kind` of a front matter, whatever else it holds.
#[derive(serde::Deserialize)]
struct DeclaredKind {
    #[serde(default)]
    kind: Option<String>,
}

/// Converts structural problems into diagnostics.
pub(super) fn problems_to_diagnostics(path: &str, mut problems: Vec<Problem>) -> Vec<Diagnostic> {
    // One finding per fault: the parser may report the same error at the same place twice.
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert((p.code.id(), p.span.offset, p.message.clone())));
    problems
        .into_iter()
        .map(|p| {
            let d = at(path, p.span, p.code, p.message);
            match p.hint {
                Some(h) => d.hint(h),
                None => d,
            }
        })
        .collect()
}

/// Deserialises YAML text (already walked, so structurally sound) into `T`.
///
/// serde_yaml reads the text with libyaml, which refuses a few documents YAML 1.2 allows and
/// the structural pass accepted (a blank line indented with a tab, an empty key). Those are read
/// from the structural parser's own events instead, so a document the first pass accepts is
/// never a syntax error in the second.
pub(crate) fn from_yaml<T: serde::de::DeserializeOwned>(
    yaml: &str,
) -> Result<T, serde_yaml::Error> {
    match serde_yaml::from_str(yaml) {
        Err(e) if is_syntax_error(&e) => match events_value(yaml) {
            Some(value) => serde_yaml::from_value(value),
            None => Err(e),
        },
        read => read,
    }
}

/// A libyaml syntax error, as opposed to a value that does not fit its field.
fn is_syntax_error(e: &serde_yaml::Error) -> bool {
    let text = e.to_string();
    ![
        "unknown field",
        "invalid type",
        "invalid value",
        "missing field",
        "duplicate field",
        "unknown variant",
        "invalid length",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// The YAML value of `yaml` built from saphyr's events (the structural pass's parser), plain
/// scalars resolved by the YAML 1.2 core schema as serde_yaml resolves them. None when the text
/// does not parse or holds an alias (which the structural pass refuses anyway).
fn events_value(yaml: &str) -> Option<serde_yaml::Value> {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    use serde_yaml::{Mapping, Value};
    enum Open {
        Seq(Vec<Value>),
        Map(Mapping, Option<Value>),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    for item in Parser::new_from_str(yaml) {
        let (event, _) = item.ok()?;
        let done = match event {
            Event::Scalar(text, ScalarStyle::Plain, _, None) => Some(plain_scalar(&text)),
            Event::Scalar(text, _, _, _) => Some(Value::String(text.into_owned())),
            Event::SequenceStart(..) => {
                stack.push(Open::Seq(Vec::new()));
                None
            }
            Event::MappingStart(..) => {
                stack.push(Open::Map(Mapping::new(), None));
                None
            }
            Event::SequenceEnd => match stack.pop()? {
                Open::Seq(items) => Some(Value::Sequence(items)),
                Open::Map(..) => return None,
            },
            Event::MappingEnd => match stack.pop()? {
                Open::Map(map, None) => Some(Value::Mapping(map)),
                _ => return None,
            },
            Event::Alias(_) => return None,
            _ => None,
        };
        if let Some(value) = done {
            match stack.last_mut() {
                None => {
                    root.get_or_insert(value);
                }
                Some(Open::Seq(items)) => items.push(value),
                Some(Open::Map(map, key)) => match key.take() {
                    None => *key = Some(value),
                    Some(k) => {
                        map.insert(k, value);
                    }
                },
            }
        }
    }
    Some(root.unwrap_or(Value::Null))
}

/// A plain scalar's value under the YAML 1.2 core schema.
fn plain_scalar(text: &str) -> serde_yaml::Value {
    use serde_yaml::Value;
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Number(f64::INFINITY.into());
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Number(f64::NEG_INFINITY.into()),
        ".nan" | ".NaN" | ".NAN" => return Value::Number(f64::NAN.into()),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    if let Ok(u) = text.parse::<u64>() {
        return Value::Number(u.into());
    }
    let radix = |prefix: &str, radix: u32| {
        text.strip_prefix(prefix)
            .and_then(|digits| u64::from_str_radix(digits, radix).ok())
    };
    if let Some(u) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Value::Number(u.into());
    }
    let numeric = text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    match text.parse::<f64>() {
        Ok(f) if numeric => Value::Number(f.into()),
        _ => Value::String(text.to_owned()),
    }
}

/// The syntax findings on a YAML text as the front matter of `path`: the structural pass, then
/// reading its value (what `parse` does before the schema). Empty when the text is YAML
/// front matter can hold.
pub fn yaml_syntax(path: &str, yaml: &str) -> Vec<Diagnostic> {
    let origin = Origin { offset: 4, line: 2 };
    let start = Span {
        offset: 0,
        len: 3,
        line: 1,
        column: 1,
    };
    match yaml_events::walk(yaml, origin, start) {
        Err(problems) => problems_to_diagnostics(path, problems),
        Ok(spans) => {
            let text = format!("---\n{yaml}");
            match from_yaml::<serde_yaml::Value>(yaml) {
                Ok(_) => Vec::new(),
                Err(e) => vec![serde_error(path, &text, origin, &spans, e)],
            }
        }
    }
}

/// Turns a serde_yaml error into a diagnostic on the file's own line and column.
fn serde_error(
    path: &str,
    text: &str,
    origin: Origin,
    spans: &crate::model::Spans,
    e: serde_yaml::Error,
) -> Diagnostic {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full.clone(),
    };
    let (field, detail) = match message.split_once(": ") {
        Some((f, d)) if !f.contains(' ') => (Some(f.to_owned()), d.to_owned()),
        _ => (None, message.clone()),
    };
    let code = if detail.starts_with("unknown field") {
        Code::UnknownField
    } else if detail.starts_with("invalid type") || detail.starts_with("invalid value") {
        Code::WrongType
    } else {
        Code::YamlSyntax
    };
    let mut span = match e.location() {
        Some(loc) => {
            let line = origin.line + loc.line().max(1) - 1;
            let column = loc.column().max(1);
            Span {
                offset: offset_of(text, line, column),
                len: 0,
                line,
                column,
            }
        }
        None => spans.start(),
    };
    let unknown = detail
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    if let Some(name) = unknown {
        let path = field
            .as_ref()
            .map_or(name.to_owned(), |f| format!("{f}.{name}"));
        span = spans.key(&path).unwrap_or(span);
    } else if let Some(f) = &field {
        span = spans.value(f).or(spans.key(f)).unwrap_or(span);
    }
    if span.len == 0 {
        span.len = text[span.offset.min(text.len())..]
            .find(['\n', '\r', ',', '}', ']'])
            .unwrap_or(0);
    }
    let d = at(
        path,
        span,
        code,
        wrong_message(code, field.as_deref(), &detail),
    );
    let d = match field {
        Some(f) => d.field(f),
        None => d,
    };
    match unknown_field_hint(&detail) {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// Byte offset of a 1-based line and character column (always a character boundary).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = crate::model::source::line_starts(text)
        .nth(line - 1)
        .unwrap_or(text.len());
    let rest = &text[start.min(text.len())..];
    let within = rest
        .char_indices()
        .nth(column - 1)
        .map_or(rest.len(), |(i, _)| i);
    (start + within).min(text.len())
}

fn wrong_message(code: Code, field: Option<&str>, detail: &str) -> String {
    let detail = quote_name(detail);
    match (code, field) {
        (Code::UnknownField, Some(parent)) => format!("{detail} in `{parent}`"),
        (Code::WrongType, Some(f)) => format!("`{f}`: {detail}"),
        _ => detail,
    }
    .replace(", expected one of", "; expected one of")
    .split("; expected one of")
    .next()
    .unwrap_or_default()
    .to_owned()
}

/// serde's message with the name it quotes before any list of what was expected (from the
/// first backtick to the last: a key may hold backticks or line breaks) on one line.
fn quote_name(detail: &str) -> String {
    let (head, tail) = detail.split_at(detail.find(", expected").unwrap_or(detail.len()));
    match (head.find('`'), head.rfind('`')) {
        (Some(open), Some(close)) if open < close => format!(
            "{}`{}`{}{tail}",
            &head[..open],
            one_line(&head[open + 1..close]),
            &head[close + 1..]
        ),
        _ => detail.to_owned(),
    }
}

/// "did you mean `title`?" for an unknown field, from the list serde gives.
fn unknown_field_hint(detail: &str) -> Option<String> {
    let rest = detail.strip_prefix("unknown field `")?;
    let (name, tail) = rest.split_once('`')?;
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    let hint = match crate::model::vocab::nearest(name, expected.iter().copied()) {
        Some(n) => {
            format!("did you mean `{n}`? unknown keys are refused because they are usually typos")
        }
        None => format!("allowed fields: {}", expected.join(", ")),
    };
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_key_is_on_one_line_and_the_expected_list_is_cut() {
        let detail = "unknown field `un\nknown`, expected one of `id`, `kind`";
        assert_eq!(
            wrong_message(Code::UnknownField, None, detail),
            "unknown field `un known`"
        );
        assert_eq!(
            wrong_message(Code::UnknownField, None, "unknown field `a`b\r\nc`"),
            "unknown field `a`b c`"
        );
        assert_eq!(
            wrong_message(
                Code::WrongType,
                Some("victims.total"),
                "invalid type: string"
            ),
            "`victims.total`: invalid type: string"
        );
    }

    #[test]
    fn split_accepts_bom_crlf_and_trailing_blanks() {
        let lf = split("x.md", "---\na: 1\n---  \nbody\n").unwrap();
        let crlf = split("x.md", "\u{feff}--- \r\na: 1\r\n...\r\nbody\r\n").unwrap();
        assert_eq!((lf.yaml_line, lf.body_line), (2, 4));
        assert_eq!((crlf.yaml_line, crlf.body_line), (2, 4));
    }

    #[test]
    fn split_refuses_what_is_not_front_matter() {
        let code = |t: &str| split("x.md", t).unwrap_err().code;
        assert_eq!(code("# title\n"), "E006");
        assert_eq!(code("\n\n---\na: 1\n---\n"), "E006");
        assert_eq!(code("---\na: 1\n----\n--- x\n"), "E007");
        assert_eq!(code(""), "E006");
        let big = format!("---\na: \"{}\"\n---\n", "x".repeat(MAX_FRONT_MATTER));
        assert_eq!(code(&big), "E008");
    }

    #[test]
    fn blank_lines_before_fence_point_at_the_fence() {
        let d = split("x.md", "\n\n---\na: 1\n---\n").unwrap_err();
        assert_eq!(d.line, 3);
    }
}
