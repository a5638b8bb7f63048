//! Vocabulary files: the built-in data file compiled into the binary, and a content
//! repository's optional `knowledge/vocabulary.yaml`, which may add terms but never remove or
//! relabel built-in ones.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, one_line};
use crate::model::vocab::Term;
use crate::model::{SourceFile, Span, Spans, VocabName, Vocabulary};

use super::front_matter::{from_yaml, problems_to_diagnostics};
use super::yaml_events::{self, Origin};

const BUILT_IN: &str = include_str!("vocabulary.yaml");

/// The built-in vocabularies (read once for the process: a server checks every rebuild, a
/// hook every commit, and reading the file costs more than checking a small commit).
pub fn built_in() -> Vocabulary {
    static BUILT: std::sync::LazyLock<Vocabulary> = std::sync::LazyLock::new(|| {
        let lists: BTreeMap<VocabName, Vec<Term>> =
            from_yaml(BUILT_IN).expect("the built-in vocabulary file is valid (tested)");
        let mut vocab = Vocabulary::default();
        for (name, terms) in lists {
            for term in terms {
                vocab.add(name, term);
            }
        }
        vocab
    });
    BUILT.clone()
}

/// Adds the terms of a repository's vocabulary file; every problem is a diagnostic on it.
pub fn extend(vocab: &mut Vocabulary, file: &SourceFile) -> Vec<Diagnostic> {
    let start = Span {
        offset: 0,
        len: 0,
        line: 1,
        column: 1,
    };
    // A file of comments only adds nothing: a partnership may keep one to show the form.
    let blank = |l: &str| l.trim().is_empty() || l.trim_start().starts_with('#');
    if file.text.lines().all(blank) {
        return Vec::new();
    }
    let origin = Origin { offset: 0, line: 1 };
    let spans = match yaml_events::walk(&file.text, origin, start) {
        Ok(spans) => spans,
        Err(problems) => return problems_to_diagnostics(&file.path, problems),
    };
    let lists: BTreeMap<VocabName, Vec<Term>> = match from_yaml(&file.text) {
        Ok(lists) => lists,
        Err(e) => {
            let message = format!("{}", e)
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned();
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let hint = "the file maps vocabulary names (areas, agencies, themes, …) to lists of {code, label} terms";
            let d =
                Diagnostic::at_file(Code::VocabularyFile, &file.path, message).at(line, column, 0);
            return vec![d.hint(hint)];
        }
    };
    let built_in = built_in();
    let mut diags = Vec::new();
    let mut see_also = Vec::new();
    for (name, terms) in lists {
        let key = serde_name(name);
        for (i, term) in terms.into_iter().enumerate() {
            let field = format!("{key}[{i}].code");
            // A built-in theme's briefing words are the partnership's to write: its summary and
            // questions may be given here, its label kept.
            if name == VocabName::Themes
                && let Some(b) = built_in.get(name, &term.code)
            {
                match theme_words(b, &term, &spans, &file.path, &format!("{key}[{i}]")) {
                    Ok(()) => vocab.annotate(name, &term.code, term.summary, term.questions),
                    Err(d) => diags.push(d),
                }
                continue;
            }
            if let Some(d) = check_term(vocab, &built_in, name, &term, &spans, &file.path, &field) {
                diags.push(d);
            } else {
                for (j, code) in term.see_also.iter().enumerate() {
                    see_also.push((format!("{key}[{i}].see_also[{j}]"), code.clone()));
                }
                vocab.add(name, term);
            }
        }
    }
    // Every power type a term points readers to exists (it may be defined after the term).
    for (field, code) in see_also {
        if !vocab.contains(VocabName::PowerTypes, &code) {
            let span = spans.locate(&field);
            let hint = vocab
                .nearest(VocabName::PowerTypes, &code)
                .map_or(String::new(), |n| format!("did you mean `{n}`?"));
            let d = Diagnostic::at_file(
                Code::VocabularyFile,
                &file.path,
                format!(
                    "`see_also` names power type `{}`, which is not defined",
                    one_line(&code)
                ),
            )
            .at(span.line, span.column, span.len)
            .field(&field);
            diags.push(if hint.is_empty() { d } else { d.hint(hint) });
        }
    }
    diags
}

/// A repository's entry for a built-in theme: the same label, and only a summary and
/// questions added.
fn theme_words(
    built_in: &Term,
    term: &Term,
    spans: &Spans,
    path: &str,
    at: &str,
) -> Result<(), Diagnostic> {
    let quoted = one_line(&term.code);
    let field = if term.label != built_in.label {
        Some((
            Code::VocabularyRedefined,
            format!("{at}.label"),
            format!(
                "theme `{quoted}` is built in as \"{}\"; vocabulary.yaml may give it a summary and questions, not a new label",
                built_in.label
            ),
        ))
    } else if term.summary.is_none() && term.questions.is_empty() {
        Some((
            Code::VocabularyRedefined,
            format!("{at}.code"),
            format!(
                "theme `{quoted}` is built in; this entry adds nothing (give it a `summary` or `questions`, or remove it)"
            ),
        ))
    } else {
        questions_rule(term).map(|m| (Code::VocabularyFile, format!("{at}.questions"), m))
    };
    match field {
        None => Ok(()),
        Some((code, field, message)) => {
            let span = spans.locate(&field);
            Err(Diagnostic::at_file(code, path, message)
                .at(span.line, span.column, span.len)
                .field(&field))
        }
    }
}

/// What is wrong with a theme's reflection questions, if anything: two to five, none blank.
fn questions_rule(term: &Term) -> Option<String> {
    let n = term.questions.len();
    if n > 0 && !(2..=5).contains(&n) {
        return Some(format!(
            "theme `{}` has {n} reflection question{}; a briefing asks two to five",
            one_line(&term.code),
            if n == 1 { "" } else { "s" }
        ));
    }
    term.questions
        .iter()
        .any(|q| q.trim().is_empty())
        .then(|| format!("theme `{}` has a blank question", one_line(&term.code)))
}

fn check_term(
    vocab: &Vocabulary,
    built_in: &Vocabulary,
    name: VocabName,
    term: &Term,
    spans: &Spans,
    path: &str,
    field: &str,
) -> Option<Diagnostic> {
    let span = spans.locate(field);
    let at = |code: Code, message: String| {
        Diagnostic::at_file(code, path, message)
            .at(span.line, span.column, span.len)
            .field(field)
    };
    let what = name.singular();
    let quoted = one_line(&term.code);
    if built_in
        .get(name, &term.code)
        .is_some_and(|t| t.added_later)
    {
        let message = format!(
            "{what} `{quoted}` is now built in; this entry is not needed, and the built-in term is used"
        );
        return Some(at(Code::EarlierForm, message).hint("remove this entry"));
    }
    if built_in.contains(name, &term.code) {
        let message = format!(
            "{what} `{quoted}` is built in; vocabulary.yaml may add terms, not redefine them"
        );
        return Some(at(Code::VocabularyRedefined, message).hint("remove this entry"));
    }
    if vocab.contains(name, &term.code) {
        let message = format!("{what} `{quoted}` is defined twice");
        return Some(at(Code::VocabularyDuplicate, message));
    }
    let code_ok = match name {
        VocabName::Agencies => term
            .code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
        VocabName::Offences => !term.code.is_empty() && !term.code.contains(char::is_whitespace),
        _ => crate::model::document::is_kebab(&term.code),
    };
    let power_fields =
        term.question.is_some() || !term.see_also.is_empty() || term.warrant.is_some();
    if power_fields && name != VocabName::PowerTypes {
        return Some(at(
            Code::VocabularyFile,
            format!(
                "{what} `{quoted}` has `question`, `see_also` or `warrant`, which only power types take"
            ),
        ));
    }
    if (term.summary.is_some() || !term.questions.is_empty()) && name != VocabName::Themes {
        return Some(at(
            Code::VocabularyFile,
            format!("{what} `{quoted}` has `summary` or `questions`, which only themes take"),
        ));
    }
    if let Some(message) = questions_rule(term) {
        return Some(at(Code::VocabularyFile, message));
    }
    let takes_words = matches!(
        name,
        VocabName::PowerTypes | VocabName::Areas | VocabName::Synonyms
    );
    if !term.words.is_empty() && !takes_words {
        return Some(at(
            Code::VocabularyFile,
            format!(
                "{what} `{quoted}` has `words`, which only power types, areas and synonym groups take"
            ),
        ));
    }
    if !code_ok || term.code.is_empty() {
        let style = if name == VocabName::Agencies {
            "upper case, e.g. `LA-NEW`"
        } else {
            "kebab-case, e.g. `new-area`"
        };
        return Some(at(
            Code::VocabularyFile,
            format!("{what} code `{quoted}` must be {style}"),
        ));
    }
    None
}

fn serde_name(name: VocabName) -> String {
    serde_json::to_value(name)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "knowledge/vocabulary.yaml".into(),
            text: text.into(),
            blob: String::new(),
        }
    }

    #[test]
    fn built_in_vocabulary_parses_and_is_complete() {
        let v = built_in();
        assert_eq!(v.terms(VocabName::Areas).len(), 17);
        assert_eq!(v.terms(VocabName::Agencies).len(), 31);
        assert_eq!(v.terms(VocabName::Themes).len(), 28);
        assert_eq!(
            v.get(VocabName::Areas, "havant")
                .unwrap()
                .reporting_area
                .as_deref(),
            Some("hampshire")
        );
        assert_eq!(
            v.get(VocabName::Exploitation, "county-lines")
                .unwrap()
                .parent
                .as_deref(),
            Some("criminal")
        );
    }

    #[test]
    fn offences_for_conduct_before_31_july_2015_are_built_in() {
        use crate::model::case_review::EARLIER_OFFENCES;
        let v = built_in();
        for code in EARLIER_OFFENCES {
            assert!(v.contains(VocabName::Offences, code), "{code}");
        }
        for (code, label) in [
            ("NIAA2002-s145", "Traffic in prostitution (NIAA 2002 s145)"),
            (
                "SOA2003-s58A",
                "Trafficking within the UK for sexual exploitation (SOA 2003 s58A)",
            ),
            (
                "SOA2003-s62",
                "Committing an offence with intent to commit a sexual offence (SOA 2003 s62)",
            ),
        ] {
            assert_eq!(v.label(VocabName::Offences, code), label);
        }
    }

    #[test]
    fn the_drugs_offence_covers_production_and_supply() {
        let label = built_in()
            .label(VocabName::Offences, "MDA1971-s4")
            .to_owned();
        assert_eq!(
            label,
            "Producing or supplying controlled drugs (MDA 1971 s4)"
        );
    }

    #[test]
    fn repository_terms_are_added_and_checked() {
        let mut v = built_in();
        let text = "themes:\n  - {code: language-barriers, label: Language barriers}\n  - {code: language-barriers, label: Again}\nareas:\n  - {code: portsmouth, label: Pompey}\n";
        let diags = extend(&mut v, &file(text));
        let mut codes: Vec<_> = diags.iter().map(|d| (d.code, d.line)).collect();
        codes.sort_by_key(|c| c.1);
        assert_eq!(codes, vec![("E081", 3), ("E082", 5)]);
        assert!(v.contains(VocabName::Themes, "language-barriers"));
        assert_eq!(v.label(VocabName::Areas, "portsmouth"), "Portsmouth");
    }

    #[test]
    fn power_types_take_questions_words_and_existing_see_also() {
        let v = built_in();
        let closure = v.get(VocabName::PowerTypes, "closure").unwrap();
        assert_eq!(closure.question.as_deref(), Some("Who can close premises?"));
        assert!(closure.words.iter().any(|w| w == "close"));
        for t in v.terms(VocabName::PowerTypes) {
            assert!(t.question.is_some(), "{} has a question", t.code);
            for s in &t.see_also {
                assert!(v.contains(VocabName::PowerTypes, s), "{s}");
            }
        }
        let mut v = built_in();
        let text = "power_types:\n  - {code: dispersal, label: Dispersal, words: [disperse], see_also: [closur]}\nthemes:\n  - {code: x-y, label: X, words: [x]}\n";
        let diags = extend(&mut v, &file(text));
        let mut found: Vec<_> = diags.iter().map(|d| (d.code, d.line)).collect();
        found.sort_by_key(|f| f.1);
        assert_eq!(found, vec![("E080", 2), ("E080", 4)], "{diags:?}");
        assert!(diags.iter().any(|d| d.message.contains("`closur`")));
        assert!(v.contains(VocabName::PowerTypes, "dispersal"));
        assert!(!v.contains(VocabName::Themes, "x-y"));
    }

    #[test]
    fn areas_and_synonym_groups_take_words_and_nothing_else_of_a_power() {
        let mut v = built_in();
        let text = "synonyms:\n  - {code: valeting, label: valeting, words: [car wash]}\n  - {code: odd, label: odd, question: Why?}\nareas:\n  - {code: purbeck, label: Purbeck, words: [Swanage, Wareham]}\n";
        let diags = extend(&mut v, &file(text));
        let found: Vec<_> = diags.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(found, vec![("E080", 3)], "{diags:?}");
        let group = v.get(VocabName::Synonyms, "valeting").unwrap();
        assert_eq!(group.words, vec!["car wash"]);
        let area = v.get(VocabName::Areas, "purbeck").unwrap();
        assert_eq!(area.words, vec!["Swanage", "Wareham"]);
    }

    #[test]
    fn malformed_file_is_one_error() {
        let mut v = built_in();
        let diags = extend(&mut v, &file("colours:\n  - {code: red, label: Red}\n"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "E080");
    }

    #[test]
    fn a_file_of_comments_only_adds_nothing_and_is_no_error() {
        let mut vocab = built_in();
        let before = vocab.terms(VocabName::Agencies).len();
        let file = SourceFile {
            path: "knowledge/vocabulary.yaml".into(),
            text: "# Local terms go here.\n#\n# agencies:\n#   - {code: X, label: Y}\n\n".into(),
            blob: String::new(),
        };
        assert_eq!(extend(&mut vocab, &file), vec![]);
        assert_eq!(vocab.terms(VocabName::Agencies).len(), before);
    }
}
