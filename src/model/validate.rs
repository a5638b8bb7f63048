//! The validation context: turns raw values into typed ones field by field, collecting a
//! diagnostic for every problem and locating it in the file through `Spans`.

use crate::diagnostic::{Code, Diagnostic, one_line};

use super::date::{Date, Month};
use super::enums::Closed;
use super::source::{Span, Spans};
use super::vocab::{VocabName, Vocabulary, nearest};

/// Every top-level field in the order SCHEMA.md gives them (the fields every kind has, then
/// each kind's own): where a missing field belongs.
const FIELD_ORDER: &[&str] = &[
    "id",
    "kind",
    "title",
    "marking",
    "handling",
    "status",
    "owner",
    "last_reviewed",
    "review_due",
    "tags",
    "related",
    "fictional",
    "lint_allow",
    // case_review
    "operation",
    "review_type",
    "lead_agency",
    "investigation",
    "review_date",
    // order_record
    "order_type",
    "basis",
    "applicant",
    "court",
    "order_status",
    "applied",
    "decided",
    "made",
    "until_further_order",
    "duration_years",
    "expires",
    "prohibitions",
    "foreign_travel",
    "notification_requirement",
    "subject",
    "application",
    "served",
    // shared by reviews and orders
    "areas",
    "exploitation",
    // case_review
    "offences",
    "victims",
    "perpetrators",
    "referral_source",
    "nrm",
    "outcome",
    "sentences",
    "orders",
    "agencies",
    "themes",
    "good_practice",
    "learning",
    "related_reviews",
    "recommendations",
    // order_record
    "case_review",
    "management",
    "breaches",
    "events",
    "not_pursued_reason",
    // agency_powers
    "agency",
    "name",
    "parent_body",
    "jurisdiction",
    "remit",
    "legal_bases",
    "powers",
    "first_responder",
    "duty_to_notify",
    "order_applicant",
    "engagement",
    "limits",
    "last_verified",
];

/// The last part of a field path: `victims.total` → `total`.
fn leaf(field: &str) -> &str {
    field.rsplit(['.', ']']).next().unwrap_or(field)
}

/// An example value for a field, or its allowed codes.
fn example(field: &str, vocab: &Vocabulary) -> Option<String> {
    use super::enums::*;
    fn codes<E: Closed>() -> String {
        match E::CODES {
            [one] => one.to_string(),
            [first, rest @ ..] => format!("{first}  # one of {}, {}", first, rest.join(", ")),
            [] => String::new(),
        }
    }
    let terms = |name: VocabName, list: bool| {
        let codes: Vec<&str> = vocab.terms(name).iter().map(|t| t.code.as_str()).collect();
        let first = codes.first().copied().unwrap_or("…");
        let shown = if list {
            format!("[{first}]")
        } else {
            first.to_owned()
        };
        format!("{shown}  # codes: {}", codes.join(", "))
    };
    Some(match leaf(field) {
        "id" => "CR-2024-007  # the file name starts with the id".to_owned(),
        "kind" => codes::<Kind>(),
        "title" => "\"Operation Example: what the review is about\"".to_owned(),
        "operation" => "\"Operation Example\"  # the partnership's pseudonym".to_owned(),
        "name" => "\"The agency's full name\"".to_owned(),
        "remit" => "\"One paragraph on what the agency does\"".to_owned(),
        "marking" => codes::<Marking>(),
        "status" => codes::<Status>(),
        "owner" | "lead_agency" | "agency" => terms(VocabName::Agencies, false),
        "last_reviewed" | "review_date" | "last_verified" => "2024-03-07".to_owned(),
        "review_type" => codes::<ReviewType>(),
        "investigation" => "{start: 2023-01, end: 2023-09}".to_owned(),
        "start" | "end" | "made" | "expires" | "applied" | "decided" | "month" | "due"
        | "served" | "last_review" | "until" => "2024-03".to_owned(),
        "areas" => terms(VocabName::Areas, true),
        "exploitation" => terms(VocabName::Exploitation, true),
        "themes" => terms(VocabName::Themes, true),
        "prohibitions" => terms(VocabName::Prohibitions, true),
        "referral_source" => terms(VocabName::ReferralSources, false),
        "outcome" => terms(VocabName::Outcomes, false),
        "offences" => "[{code: MSA2015-s1, outcome: convicted}]".to_owned(),
        "victims" => "{total: 3, adults: 3, children: 0}".to_owned(),
        "perpetrators" => "{total: 1}".to_owned(),
        "agencies" => "[{code: HIOWC, role: lead}]".to_owned(),
        "order_type" => codes::<OrderType>(),
        "basis" => codes::<Basis>(),
        "applicant" => codes::<Applicant>(),
        "court" => codes::<Court>(),
        "order_status" => codes::<OrderStatus>(),
        "until_further_order"
        | "notification_requirement"
        | "first_responder"
        | "duty_to_notify"
        | "order_applicant"
        | "warrant_required"
        | "passport_surrender" => "true  # or false".to_owned(),
        "jurisdiction" => codes::<Jurisdiction>(),
        "engagement" => {
            "{route: \"How to reach them\", spoc_role: \"A role, never a name\"}".to_owned()
        }
        "legal_bases" => {
            "[{act: \"Modern Slavery Act 2015\", section: \"s15\", summary: \"What it provides\"}]"
                .to_owned()
        }
        "powers" => {
            "[{type: entry, basis: \"Act and section\", warrant_required: false}]".to_owned()
        }
        "total" => "0".to_owned(),
        "type" => terms(VocabName::PowerTypes, false),
        "review_frequency" => codes::<ReviewFrequency>(),
        "action" => codes::<BreachAction>(),
        "event" => codes::<EventKind>(),
        "scope" => codes::<TravelScope>(),
        _ => return None,
    })
}

/// Everything validation of one document needs, plus the diagnostics it has found so far.
pub(crate) struct Ctx<'a> {
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
    pub(crate) fn new(path: &'a str, spans: &'a Spans, vocab: &'a Vocabulary, today: Date) -> Self {
        Ctx {
            path,
            spans,
            vocab,
            today,
            diagnostics: Vec::new(),
        }
    }

    /// A diagnostic about `field`, placed at its value (or the nearest enclosing one).
    pub(crate) fn diag(&self, code: Code, field: &str, message: impl Into<String>) -> Diagnostic {
        let span = self.spans.locate(field);
        self.at(code, span, message).field(field)
    }

    /// A diagnostic at a span.
    pub(crate) fn at(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_file(code, self.path, message).at(span.line, span.column, span.len)
    }

    /// Records a diagnostic.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a diagnostic about `field`.
    pub(crate) fn report(&mut self, code: Code, field: &str, message: impl Into<String>) {
        let d = self.diag(code, field, message);
        self.push(d);
    }

    /// Records a diagnostic about `field` with a hint.
    pub(crate) fn report_hint(&mut self, code: Code, field: &str, message: String, hint: String) {
        let d = self.diag(code, field, message).hint(hint);
        self.push(d);
    }

    /// Of two fields, the one written later in the file (a rule relating two fields points at
    /// the later one).
    pub(crate) fn later<'f>(&self, a: &'f str, b: &'f str) -> &'f str {
        let (sa, sb) = (self.spans.locate(a), self.spans.locate(b));
        if sb.offset >= sa.offset { b } else { a }
    }

    /// Reports a missing required field and passes the value on.
    pub(crate) fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            let d = self.missing(field);
            self.push(d);
        }
        value
    }

    /// A missing field, pointed at where it belongs: before the next field of the schema's
    /// order that the file has (inside its parent for a nested field), with an example or the
    /// allowed codes.
    fn missing(&self, field: &str) -> Diagnostic {
        let message = format!("missing required field `{field}`");
        let example = example(field, self.vocab);
        let (span, place) = self.insertion_point(field);
        let hint = match (example, place) {
            (Some(e), Some(p)) => format!("add `{}: {e}` {p}", leaf(field)),
            (Some(e), None) => format!("add `{}: {e}`", leaf(field)),
            (None, Some(p)) => format!("add `{}:` {p}", leaf(field)),
            (None, None) => format!("add `{}:`", leaf(field)),
        };
        self.at(Code::MissingField, span, message)
            .field(field)
            .hint(hint)
    }

    /// Where a missing field goes, and that place in words.
    fn insertion_point(&self, field: &str) -> (Span, Option<String>) {
        if field.contains(['.', '[']) {
            // Inside its parent: point at the parent's key.
            let span = self.spans.locate(field);
            let parent = field.rsplit_once(['.']).map_or(field, |(p, _)| p);
            return (span, Some(format!("inside `{parent}`")));
        }
        let order = FIELD_ORDER;
        let Some(at) = order.iter().position(|f| *f == field) else {
            return (self.spans.start(), None);
        };
        if let Some((next, key)) = order[at + 1..]
            .iter()
            .find_map(|f| self.spans.key(f).map(|k| (*f, k)))
        {
            let span = Span {
                column: 1,
                len: 0,
                offset: key.offset.saturating_sub(key.column.saturating_sub(1)),
                ..key
            };
            return (span, Some(format!("before `{next}`")));
        }
        if let Some((previous, key)) = order[..at]
            .iter()
            .rev()
            .find_map(|f| self.spans.key(f).map(|k| (*f, k)))
        {
            return (key, Some(format!("after `{previous}`")));
        }
        (self.spans.start(), None)
    }

    /// A required, non-blank string.
    pub(crate) fn text(&mut self, field: &str, value: &Option<String>) -> Option<String> {
        let value = self.required(field, value.as_ref())?;
        if value.trim().is_empty() {
            self.report(Code::InvalidValue, field, format!("`{field}` is empty"));
            return None;
        }
        Some(value.clone())
    }

    /// A closed-vocabulary value (no report when absent).
    pub(crate) fn closed<E: Closed>(&mut self, field: &str, value: &Option<String>) -> Option<E> {
        let value = value.as_ref()?;
        if let Some(v) = E::from_code(value) {
            return Some(v);
        }
        let allowed = E::CODES.join(", ");
        let hint = match nearest(value, E::CODES.iter().copied()) {
            Some(n) => format!("did you mean `{n}`? allowed: {allowed}"),
            None => format!("allowed: {allowed}"),
        };
        let message = format!(
            "`{field}` is `{}`, which is not a valid {}",
            one_line(value),
            E::WHAT
        );
        self.report_hint(Code::InvalidValue, field, message, hint);
        None
    }

    /// A required closed-vocabulary value.
    pub(crate) fn required_closed<E: Closed>(
        &mut self,
        field: &str,
        value: &Option<String>,
    ) -> Option<E> {
        self.required(field, value.as_ref())?;
        self.closed(field, value)
    }

    /// Checks one open-vocabulary code; true when it is known.
    pub(crate) fn term(&mut self, name: VocabName, field: &str, code: &str) -> bool {
        if self.vocab.contains(name, code) {
            return true;
        }
        let what = name.singular();
        let message = format!("unknown {what} `{}`", one_line(code));
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
    pub(crate) fn opt_term(
        &mut self,
        name: VocabName,
        field: &str,
        code: &Option<String>,
    ) -> Option<String> {
        let code = code.as_ref()?;
        self.term(name, field, code).then(|| code.clone())
    }

    /// A required open-vocabulary code.
    pub(crate) fn req_term(
        &mut self,
        name: VocabName,
        field: &str,
        code: &Option<String>,
    ) -> Option<String> {
        self.required(field, code.as_ref())?;
        self.opt_term(name, field, code)
    }

    /// A list of open-vocabulary codes; `min_one` makes it required and non-empty.
    pub(crate) fn terms(
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
    pub(crate) fn date(&mut self, field: &str, value: &Option<String>) -> Option<Date> {
        let value = value.as_ref()?;
        let date = Date::parse(value);
        if date.is_none() {
            let quoted = one_line(value);
            let message = match Date::why_not(value) {
                Some(why) => format!("`{field}` is `{quoted}`, which is not a date: {why}"),
                None => format!("`{field}` is `{quoted}`, which is not a valid date"),
            };
            let hint = "write the date as YYYY-MM-DD, e.g. 2024-03-07".to_owned();
            self.report_hint(Code::InvalidDate, field, message, hint);
        }
        date
    }

    /// A required date that may not be in the future.
    pub(crate) fn past_date(&mut self, field: &str, value: &Option<String>) -> Option<Date> {
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

    /// An optional `YYYY-MM` month that may not be in the future (this month is allowed).
    pub(crate) fn past_month(&mut self, field: &str, value: &Option<String>) -> Option<Month> {
        let month = self.month(field, value)?;
        let now = self.today.month();
        if month > now {
            let message = format!("`{field}` ({month}) is in the future (this month is {now})");
            let hint =
                "record what has happened: only `expires` and a foreign travel `until` look ahead";
            self.report_hint(Code::FutureDate, field, message, hint.to_owned());
        }
        Some(month)
    }

    /// An optional `YYYY-MM` month.
    pub(crate) fn month(&mut self, field: &str, value: &Option<String>) -> Option<Month> {
        let value = value.as_ref()?;
        let month = Month::parse(value);
        if month.is_none() {
            let why = value
                .split_once('-')
                .and_then(|(_, m)| m.parse::<u32>().ok())
                .filter(|m| !(1..=12).contains(m) && value.len() == 7)
                .map(|m| format!(": there is no month {m}"))
                .unwrap_or_default();
            let message = format!(
                "`{field}` is `{}`, which is not a valid month{why}",
                one_line(value)
            );
            let hint =
                "write the month as YYYY-MM, e.g. 2024-03 (events are recorded to the month)";
            self.report_hint(Code::InvalidDate, field, message, hint.to_owned());
        }
        month
    }
}
