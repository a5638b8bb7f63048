//! The validation context: turns raw values into typed ones field by field, collecting a
//! diagnostic for every problem and locating it in the file through `Spans`.

use crate::diagnostic::{Code, Diagnostic};

use super::date::{Date, Month};
use super::enums::Closed;
use super::source::{Span, Spans};
use super::vocab::{VocabName, Vocabulary, nearest};

/// Everything validation of one document needs, plus the diagnostics it has found so far.
pub struct Ctx<'a> {
    /// Path of the file.
    pub path: &'a str,
    /// Where the fields are.
    pub spans: &'a Spans,
    /// The vocabularies.
    pub vocab: &'a Vocabulary,
    /// The date checks compare against.
    pub today: Date,
    /// What was found.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    /// A context with no findings yet.
    pub fn new(path: &'a str, spans: &'a Spans, vocab: &'a Vocabulary, today: Date) -> Self {
        Ctx {
            path,
            spans,
            vocab,
            today,
            diagnostics: Vec::new(),
        }
    }

    /// A diagnostic about `field`, placed at its value (or the nearest enclosing one).
    pub fn diag(&self, code: Code, field: &str, message: impl Into<String>) -> Diagnostic {
        let span = self.spans.locate(field);
        self.at(code, span, message).field(field)
    }

    /// A diagnostic at a span.
    pub fn at(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_file(code, self.path, message).at(span.line, span.column, span.len)
    }

    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a diagnostic about `field`.
    pub fn report(&mut self, code: Code, field: &str, message: impl Into<String>) {
        let d = self.diag(code, field, message);
        self.push(d);
    }

    /// Records a diagnostic about `field` with a hint.
    pub fn report_hint(&mut self, code: Code, field: &str, message: String, hint: String) {
        let d = self.diag(code, field, message).hint(hint);
        self.push(d);
    }

    /// Of two fields, the one written later in the file (a rule relating two fields points at
    /// the later one).
    pub fn later<'f>(&self, a: &'f str, b: &'f str) -> &'f str {
        let (sa, sb) = (self.spans.locate(a), self.spans.locate(b));
        if sb.offset >= sa.offset { b } else { a }
    }

    /// Reports a missing required field and passes the value on.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.report(
                Code::MissingField,
                field,
                format!("missing required field `{field}`"),
            );
        }
        value
    }

    /// A required, non-blank string.
    pub fn text(&mut self, field: &str, value: &Option<String>) -> Option<String> {
        let value = self.required(field, value.as_ref())?;
        if value.trim().is_empty() {
            self.report(Code::InvalidValue, field, format!("`{field}` is empty"));
            return None;
        }
        Some(value.clone())
    }

    /// A closed-vocabulary value (no report when absent).
    pub fn closed<E: Closed>(&mut self, field: &str, value: &Option<String>) -> Option<E> {
        let value = value.as_ref()?;
        if let Some(v) = E::from_code(value) {
            return Some(v);
        }
        let allowed = E::CODES.join(", ");
        let hint = match nearest(value, E::CODES.iter().copied()) {
            Some(n) => format!("did you mean `{n}`? allowed: {allowed}"),
            None => format!("allowed: {allowed}"),
        };
        let message = format!("`{field}` is `{value}`, which is not a valid {}", E::WHAT);
        self.report_hint(Code::InvalidValue, field, message, hint);
        None
    }

    /// A required closed-vocabulary value.
    pub fn required_closed<E: Closed>(&mut self, field: &str, value: &Option<String>) -> Option<E> {
        self.required(field, value.as_ref())?;
        self.closed(field, value)
    }

    /// Checks one open-vocabulary code; true when it is known.
    pub fn term(&mut self, name: VocabName, field: &str, code: &str) -> bool {
        if self.vocab.contains(name, code) {
            return true;
        }
        let what = name.singular();
        let message = format!("unknown {what} `{code}`");
        let hint = match self.vocab.nearest(name, code) {
            Some(n) => format!("did you mean `{n}`?"),
            None => {
                let codes: Vec<&str> = self
                    .vocab
                    .terms(name)
                    .iter()
                    .map(|t| t.code.as_str())
                    .collect();
                format!("allowed: {}", codes.join(", "))
            }
        };
        self.report_hint(Code::UnknownTerm, field, message, hint);
        false
    }

    /// An optional open-vocabulary code.
    pub fn opt_term(
        &mut self,
        name: VocabName,
        field: &str,
        code: &Option<String>,
    ) -> Option<String> {
        let code = code.as_ref()?;
        self.term(name, field, code).then(|| code.clone())
    }

    /// A required open-vocabulary code.
    pub fn req_term(
        &mut self,
        name: VocabName,
        field: &str,
        code: &Option<String>,
    ) -> Option<String> {
        self.required(field, code.as_ref())?;
        self.opt_term(name, field, code)
    }

    /// A list of open-vocabulary codes; `min_one` makes it required and non-empty.
    pub fn terms(
        &mut self,
        name: VocabName,
        field: &str,
        list: &Option<Vec<String>>,
        min_one: bool,
    ) -> Vec<String> {
        let Some(list) = list else {
            if min_one {
                self.required::<()>(field, None);
            }
            return Vec::new();
        };
        if min_one && list.is_empty() {
            let message = format!("`{field}` needs at least one {}", name.singular());
            self.report(Code::EmptyList, field, message);
        }
        let mut out = Vec::new();
        for (i, code) in list.iter().enumerate() {
            if self.term(name, &format!("{field}[{i}]"), code) && !out.contains(code) {
                out.push(code.clone());
            }
        }
        out
    }

    /// An optional `YYYY-MM-DD` date.
    pub fn date(&mut self, field: &str, value: &Option<String>) -> Option<Date> {
        let value = value.as_ref()?;
        let date = Date::parse(value);
        if date.is_none() {
            let message = format!("`{field}` is `{value}`, which is not a valid date");
            let hint = "write the date as YYYY-MM-DD, e.g. 2024-03-07".to_owned();
            self.report_hint(Code::InvalidDate, field, message, hint);
        }
        date
    }

    /// A required date that may not be in the future.
    pub fn past_date(&mut self, field: &str, value: &Option<String>) -> Option<Date> {
        self.required(field, value.as_ref())?;
        let date = self.date(field, value)?;
        if date > self.today {
            let message = format!(
                "`{field}` ({date}) is in the future (today is {})",
                self.today
            );
            self.report(Code::FutureDate, field, message);
        }
        Some(date)
    }

    /// An optional `YYYY-MM` month.
    pub fn month(&mut self, field: &str, value: &Option<String>) -> Option<Month> {
        let value = value.as_ref()?;
        let month = Month::parse(value);
        if month.is_none() {
            let message = format!("`{field}` is `{value}`, which is not a valid month");
            let hint =
                "write the month as YYYY-MM, e.g. 2024-03 (events are recorded to the month)";
            self.report_hint(Code::InvalidDate, field, message, hint.to_owned());
        }
        month
    }

    /// Reports a field that must not be given in this situation.
    pub fn forbid<T>(&mut self, code: Code, field: &str, value: &Option<T>, why: &str) {
        if value.is_some() {
            self.report(code, field, format!("`{field}` must not be given {why}"));
        }
    }
}
