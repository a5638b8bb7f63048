//! Diagnostics: what `check` reports about a document, with a stable code, the file, line and
//! column, the field path in SCHEMA.md terms and, where it helps, a hint.
//!
//! This module only describes findings; it never prints them (rendering lives in `cmd::check`).

use serde::Serialize;

/// How serious a finding is: errors fail `check` (exit 1), warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The content must be fixed before it can be published.
    Error,
    /// Worth attention, but publishing goes ahead.
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $id:literal, $name:literal, $severity:ident;)*) => {
        /// Every diagnostic code Casebook emits. Codes are stable: a code is never reused
        /// for a different meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $(
            #[doc = concat!("`", $id, "` ", $name)]
            $variant,
        )* }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The stable identifier, e.g. `E029`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// The kebab-case name, e.g. `unknown-term`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity this code always has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    ReadError = "E001", "unreadable-file", Error;
    Symlink = "E002", "symlink", Error;
    NotUtf8 = "E003", "not-utf8", Error;
    BinaryFile = "E004", "binary-file", Error;
    FileTooLarge = "E005", "file-too-large", Error;
    NoFrontMatter = "E006", "no-front-matter", Error;
    UnclosedFrontMatter = "E007", "unclosed-front-matter", Error;
    FrontMatterTooLarge = "E008", "front-matter-too-large", Error;
    YamlSyntax = "E009", "yaml-syntax", Error;
    NotAMapping = "E010", "not-a-mapping", Error;
    DuplicateKey = "E011", "duplicate-key", Error;
    YamlTag = "E012", "yaml-tag", Error;
    YamlAlias = "E013", "yaml-anchor-or-alias", Error;
    MultiDocument = "E014", "multiple-yaml-documents", Error;
    WrongType = "E015", "wrong-type", Error;
    UnknownField = "E016", "unknown-field", Error;
    MissingField = "E017", "missing-field", Error;
    StrayFile = "E018", "outside-document-folders", Error;
    ComplexKey = "E019", "non-scalar-key", Error;
    InvalidId = "E020", "invalid-id", Error;
    IdFileMismatch = "E021", "id-file-mismatch", Error;
    KindMismatch = "E022", "kind-folder-mismatch", Error;
    DuplicateId = "E023", "duplicate-id", Error;
    TitleLength = "E024", "title-length", Error;
    InvalidMarking = "E025", "invalid-marking", Error;
    MarkingRefused = "E026", "marking-refused", Error;
    InvalidDate = "E027", "invalid-date", Error;
    FutureDate = "E028", "date-in-future", Error;
    UnknownTerm = "E029", "unknown-term", Error;
    InvalidValue = "E030", "invalid-value", Error;
    EmptyList = "E031", "empty-list", Error;
    UnknownReference = "E032", "unknown-reference", Error;
    CountMismatch = "E033", "count-mismatch", Error;
    DateOrder = "E034", "date-order", Error;
    IdYearMismatch = "E035", "id-year-mismatch", Error;
    LeadAgencyNotListed = "E036", "lead-agency-not-listed", Error;
    DuplicateEntry = "E037", "duplicate-entry", Error;
    SentenceOffence = "E038", "sentence-offence-not-listed", Error;
    InvalidTag = "E039", "invalid-tag", Error;
    BasisMismatch = "E040", "basis-type-mismatch", Error;
    ApplicantRule = "E041", "applicant-rule", Error;
    MadeOrderFields = "E042", "made-order-fields", Error;
    DurationTooShort = "E043", "duration-below-minimum", Error;
    ExpiryMismatch = "E044", "expiry-mismatch", Error;
    ForeignTravel = "E045", "foreign-travel-rule", Error;
    BreachRule = "E046", "breach-rule", Error;
    NotPursuedReason = "E047", "not-pursued-reason-missing", Error;
    ManagementMissing = "E048", "management-missing", Error;
    AgencyIdMismatch = "E049", "agency-id-mismatch", Error;
    LintAllowReason = "E050", "lint-allow-reason-missing", Error;
    CourtRule = "E051", "court-rule", Error;
    OrderEventRule = "E052", "order-event-rule", Error;
    OffenceBeforeCommencement = "E053", "offence-before-commencement", Error;
    StatusDates = "E055", "status-dates-disagree", Error;
    InterimApplication = "E056", "interim-application-rule", Error;
    LearningEvidence = "E057", "learning-evidence-missing", Error;
    LearningTheme = "E058", "learning-theme-not-listed", Error;
    RelatedReview = "E059", "related-review-rule", Error;
    UnresolvedLink = "E060", "unresolved-link", Error;
    PersonalData = "E070", "personal-data", Error;
    VocabularyFile = "E080", "vocabulary-file", Error;
    VocabularyDuplicate = "E081", "vocabulary-duplicate-code", Error;
    VocabularyRedefined = "E082", "vocabulary-redefines-built-in", Error;
    Placeholder = "E090", "placeholder-not-filled", Error;
    OverBudget = "E091", "body-over-budget", Error;
    ReviewOverdue = "W101", "review-overdue", Warning;
    RecommendationOverdue = "W102", "recommendation-overdue", Warning;
    StalePowersNote = "W103", "powers-note-not-verified", Warning;
    MissingSection = "W104", "missing-section", Warning;
    NonReciprocalOrder = "W105", "non-reciprocal-order-link", Warning;
    UnsafeLink = "W106", "unsafe-link-scheme", Warning;
    PossiblePersonalData = "W107", "possible-personal-data", Warning;
    EmptyBody = "W108", "empty-body", Warning;
    LinkShownAsText = "W109", "link-shown-as-text", Warning;
    EarlierForm = "W110", "earlier-form", Warning;
    AgencyOutsideItsYears = "W111", "agency-outside-its-years", Warning;
}

/// One finding about one file, located by line and column (both 1-based, column in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning (always the code's severity).
    pub severity: Severity,
    /// Stable code, e.g. `E029`.
    pub code: &'static str,
    /// Kebab-case name of the code, e.g. `unknown-term`.
    pub name: &'static str,
    /// Path of the file relative to the repository root, with `/` separators.
    pub path: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// The field path in SCHEMA.md terms (`victims.adults`, `recommendations[0].id`), when
    /// the finding is about a field.
    pub field: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it: the nearest allowed value, the allowed values, the fix.
    pub hint: Option<String>,
    /// Length in bytes of the text the finding points at (for the code frame's underline).
    #[serde(skip)]
    pub span_len: usize,
}

impl Diagnostic {
    /// A diagnostic at the start of a file, for findings that have no better position.
    pub fn at_file(code: Code, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            code: code.id(),
            name: code.name(),
            path: path.to_owned(),
            line: 1,
            column: 1,
            field: None,
            message: message.into(),
            hint: None,
            span_len: 0,
        }
    }

    /// Moves the diagnostic to a line and column.
    pub fn at(mut self, line: usize, column: usize, span_len: usize) -> Diagnostic {
        self.line = line;
        self.column = column;
        self.span_len = span_len;
        self
    }

    /// Names the field the diagnostic is about.
    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The most characters of user text a message quotes.
pub(crate) const QUOTE_CHARS: usize = 60;

/// User text as a message or hint quotes it, so that a diagnostic stays one line
/// (`path:line:col: error[CODE]: message`, for editors and CI annotations): each run of
/// whitespace or control characters, line breaks included, becomes one space, and text longer
/// than [`QUOTE_CHARS`] characters is cut and ends in `…`.
pub(crate) fn one_line(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' && out.last() == Some(&' ') {
            continue;
        }
        out.push(c);
        if out.len() > QUOTE_CHARS {
            out.truncate(QUOTE_CHARS - 1);
            while out.last() == Some(&' ') {
                out.pop();
            }
            out.push('…');
            break;
        }
    }
    out.into_iter().collect()
}

/// Sorts diagnostics into their stable output order: path, line, column, code.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.code, &b.message))
    });
}

/// The most findings of one code listed for one file; the rest are counted in one last finding.
pub(crate) const LIST_PER_CODE: usize = 50;

/// One file's findings, at most `LIST_PER_CODE` of each code (the first by position), plus, for
/// each code that had more, a finding of that code at the first one left out saying how many
/// were left out. A file with ten thousand broken links costs ten thousand cheap checks but
/// prints fifty-one findings, and its errors still fail the check.
pub(crate) fn cap(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diagnostics.len() <= LIST_PER_CODE {
        return diagnostics;
    }
    diagnostics.sort_by_key(|d| (d.line, d.column));
    let mut seen: std::collections::HashMap<&'static str, (usize, Option<Diagnostic>)> =
        std::collections::HashMap::new();
    let mut kept = Vec::new();
    for d in diagnostics {
        let (count, first_left_out) = seen.entry(d.code).or_default();
        *count += 1;
        if *count <= LIST_PER_CODE {
            kept.push(d);
        } else if first_left_out.is_none() {
            *first_left_out = Some(d);
        }
    }
    for (count, first) in seen.into_values() {
        if let Some(first) = first {
            let more = count - LIST_PER_CODE;
            kept.push(Diagnostic {
                message: format!(
                    "{} in this file not listed (the first {LIST_PER_CODE} are)",
                    crate::model::words::count(
                        more as u64,
                        &format!("more `{}` finding", first.name),
                        &format!("more `{}` findings", first.name)
                    )
                ),
                field: None,
                hint: Some("fix the findings listed, then check again".to_owned()),
                span_len: 0,
                ..first
            });
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn one_line_collapses_whitespace_and_shortens() {
        assert_eq!(one_line("2026-10-01\nand more\n"), "2026-10-01 and more ");
        assert_eq!(one_line("deb\r\n\t  rief"), "deb rief");
        assert_eq!(one_line("A\u{2028}L\u{7}x"), "A L x");
        assert_eq!(one_line("OFFICIAL SENSITIVE"), "OFFICIAL SENSITIVE");
        let exact = "x".repeat(QUOTE_CHARS);
        assert_eq!(one_line(&exact), exact);
        let long = format!("{}\n{}", "a".repeat(QUOTE_CHARS - 3), "b".repeat(40));
        let quoted = one_line(&long);
        assert_eq!(quoted.chars().count(), QUOTE_CHARS);
        assert_eq!(quoted, format!("{} b…", "a".repeat(QUOTE_CHARS - 3)));
        let space_at_cut = format!("{}\n{}", "a".repeat(QUOTE_CHARS - 2), "b".repeat(40));
        assert_eq!(
            one_line(&space_at_cut),
            format!("{}…", "a".repeat(QUOTE_CHARS - 2))
        );
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        for code in Code::ALL {
            assert!(ids.insert(code.id()), "duplicate id {}", code.id());
            assert!(names.insert(code.name()), "duplicate name {}", code.name());
            let prefix = if code.severity() == Severity::Error {
                'E'
            } else {
                'W'
            };
            assert!(
                code.id().starts_with(prefix),
                "{} has the wrong prefix",
                code.id()
            );
        }
    }
}
