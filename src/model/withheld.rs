//! What an edition shows in place of a document it leaves out. A document above the edition's
//! ceiling is "a review at a higher marking" (or "a document at a higher marking"), one at or
//! below it that is not published — a draft, in review, withdrawn — "an unpublished review" (or
//! "an unpublished document"); its id is never shown, in a reference or in running text.
//!
//! Pure: the build says which documents it publishes; render and index ask here how to show
//! what a published document names.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::document::{Document, kind_of_id};
use super::enums::{Kind, Marking};

/// Why an edition leaves a document out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Its marking is above the edition's ceiling (whatever its status).
    AboveCeiling,
    /// It is at or below the ceiling but not published: a draft, in review or withdrawn.
    Unpublished,
}

impl Reason {
    /// The words that stand for the document `id` (only its kind is read from the id).
    pub(crate) fn words(self, id: &str) -> &'static str {
        let review = kind_of_id(id) == Some(Kind::CaseReview);
        match (self, review) {
            (Reason::AboveCeiling, true) => "a review at a higher marking",
            (Reason::AboveCeiling, false) => "a document at a higher marking",
            (Reason::Unpublished, true) => "an unpublished review",
            (Reason::Unpublished, false) => "an unpublished document",
        }
    }

    fn letter(self) -> char {
        match self {
            Reason::AboveCeiling => 'h',
            Reason::Unpublished => 'u',
        }
    }
}

/// Every document of the knowledge base by id, with the reason an edition leaves it out
/// (none for a document it publishes).
#[derive(Debug, Clone, Default)]
pub struct Withheld {
    known: HashMap<String, Option<Reason>>,
    /// True when the edition leaves any document out (otherwise nothing is ever replaced).
    any: bool,
}

/// A document id found in a text: the run of ASCII letters, digits and hyphens that holds it
/// (`CR-2021-002`, `cr-2021-002-flats`), and why the edition leaves it out, if it does.
struct Found<'w> {
    run: Range<usize>,
    id: &'w str,
    reason: Option<Reason>,
}

impl Withheld {
    /// The documents `docs` as an edition with this `ceiling` shows them; `published` says
    /// which ones it publishes.
    pub fn new<'d>(
        docs: impl IntoIterator<Item = &'d Document>,
        ceiling: Marking,
        published: impl Fn(&Document) -> bool,
    ) -> Withheld {
        let known: HashMap<String, Option<Reason>> = docs
            .into_iter()
            .map(|d| {
                let reason = if published(d) {
                    None
                } else if d.common.marking > ceiling {
                    Some(Reason::AboveCeiling)
                } else {
                    Some(Reason::Unpublished)
                };
                (d.common.id.clone(), reason)
            })
            .collect();
        let any = known.values().any(Option::is_some);
        Withheld { known, any }
    }

    /// True when the edition leaves out any document of the knowledge base.
    pub fn leaves_out_any(&self) -> bool {
        self.any
    }

    /// True when the edition publishes the document `id`.
    pub fn is_published(&self, id: &str) -> bool {
        matches!(self.known.get(id), Some(None))
    }

    /// The words shown for a reference to `id`: none when the edition publishes it. An id the
    /// knowledge base does not hold (only a preview builds with such errors) is unpublished.
    pub fn words_for(&self, id: &str) -> Option<&'static str> {
        match self.known.get(id) {
            Some(None) => None,
            Some(Some(reason)) => Some(reason.words(id)),
            None => Some(Reason::Unpublished.words(id)),
        }
    }

    /// `text` with every run of letters, digits and hyphens that names a document the edition
    /// leaves out (`CR-2021-002`, a slug or file name that starts with it, any case) replaced
    /// by the words that stand for it.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !self.any {
            return Cow::Borrowed(text);
        }
        let mut out = String::new();
        let mut done = 0;
        for found in self.find(text) {
            let Some(reason) = found.reason else { continue };
            if found.run.start < done {
                continue;
            }
            out.push_str(&text[done..found.run.start]);
            out.push_str(reason.words(found.id));
            done = found.run.end;
        }
        if done == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[done..]);
        Cow::Owned(out)
    }

    /// How the edition shows the documents `texts` name: one letter per document named, in id
    /// order (`p` published, `h` above the ceiling, `u` unpublished), or nothing when it shows
    /// them all. What is indexed of a document changes with this, so the index keeps it.
    pub fn verdicts<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> String {
        if !self.any {
            return String::new();
        }
        let mut named: BTreeMap<&str, Option<Reason>> = BTreeMap::new();
        for text in texts {
            named.extend(self.find(text).into_iter().map(|f| (f.id, f.reason)));
        }
        if named.values().all(Option::is_none) {
            return String::new();
        }
        named
            .values()
            .map(|r| r.map_or('p', Reason::letter))
            .collect()
    }

    /// Every id of a known document in `text`: at each hyphen, the letters before it must be a
    /// whole id prefix (`CR`, `ORD`, `AG`, any case), and the longest known id from there that
    /// ends at a hyphen or the run's end is taken.
    fn find(&self, text: &str) -> Vec<Found<'_>> {
        let bytes = text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(at) = text[from..].find('-').map(|i| i + from) {
            from = at + 1;
            let mut start = at;
            while start > 0 && at - start < 4 && bytes[start - 1].is_ascii_alphabetic() {
                start -= 1;
            }
            let whole = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
            let prefix = &text[start..at];
            if !whole
                || !["CR", "ORD", "AG"]
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(prefix))
            {
                continue;
            }
            let mut run_start = start;
            while run_start > 0 && word(bytes[run_start - 1]) {
                run_start -= 1;
            }
            let mut run_end = at;
            while run_end < bytes.len() && word(bytes[run_end]) {
                run_end += 1;
            }
            let longest = (at + 1..=run_end)
                .rev()
                .filter(|&end| end == run_end || bytes[end] == b'-')
                .find_map(|end| {
                    self.known
                        .get_key_value(&text[start..end].to_ascii_uppercase())
                });
            if let Some((id, reason)) = longest {
                out.push(Found {
                    run: run_start..run_end,
                    id,
                    reason: *reason,
                });
                from = start + id.len();
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn withheld(entries: &[(&str, Option<Reason>)]) -> Withheld {
        let known: HashMap<String, Option<Reason>> = entries
            .iter()
            .map(|(id, r)| ((*id).to_owned(), *r))
            .collect();
        let any = known.values().any(Option::is_some);
        Withheld { known, any }
    }

    fn sample() -> Withheld {
        withheld(&[
            ("CR-2021-002", Some(Reason::AboveCeiling)),
            ("ORD-2021-002", Some(Reason::AboveCeiling)),
            ("CR-2025-004", Some(Reason::Unpublished)),
            ("CR-2021-007", None),
            ("AG-LA", Some(Reason::Unpublished)),
            ("AG-LA-ASC", None),
        ])
    }

    #[test]
    fn ids_of_documents_left_out_are_replaced_by_what_stands_for_them() {
        let w = sample();
        assert_eq!(
            w.redact("See CR-2021-002, (ORD-2021-002) and CR-2021-007."),
            "See a review at a higher marking, (a document at a higher marking) and CR-2021-007."
        );
        assert_eq!(
            w.redact("the draft CR-2025-004: cr-2021-002"),
            "the draft an unpublished review: a review at a higher marking"
        );
        // A slug, an anchor or a file name holding the id goes whole.
        assert_eq!(
            w.redact("#about-cr-2021-002 reviews/CR-2021-002-short-let-flats.md"),
            "#a review at a higher marking reviews/a review at a higher marking.md"
        );
        // The longest known id wins: AG-LA-ASC is published, AG-LA is not.
        assert_eq!(
            w.redact("AG-LA-ASC and AG-LA"),
            "AG-LA-ASC and an unpublished document"
        );
        // Not an id: other numbers, a longer token, another prefix.
        for kept in [
            "CR-2021-0021",
            "XCR-2021-002",
            "SCR-2021-002",
            "CR-2021",
            "é-CR",
        ] {
            assert_eq!(w.redact(kept), kept);
            assert!(matches!(w.redact(kept), Cow::Borrowed(_)));
        }
        assert_eq!(w.redact("éCR-2021-002é"), "éa review at a higher markingé");
    }

    #[test]
    fn verdicts_follow_what_is_shown_and_never_the_ids() {
        let w = sample();
        assert_eq!(w.verdicts(["CR-2021-007 only"]), "");
        assert_eq!(w.verdicts(["CR-2021-007", "and CR-2021-002"]), "hp");
        assert_eq!(w.verdicts(["CR-2025-004, CR-2021-002"]), "hu");
        assert_eq!(Withheld::default().verdicts(["CR-2021-002"]), "");
        assert_eq!(Withheld::default().redact("CR-2021-002"), "CR-2021-002");
    }

    #[test]
    fn references_say_why_without_the_id() {
        let w = sample();
        assert_eq!(w.words_for("CR-2021-007"), None);
        assert!(w.is_published("CR-2021-007") && !w.is_published("CR-2021-002"));
        assert_eq!(
            w.words_for("CR-2021-002"),
            Some("a review at a higher marking")
        );
        assert_eq!(
            w.words_for("ORD-2021-002"),
            Some("a document at a higher marking")
        );
        assert_eq!(w.words_for("CR-2025-004"), Some("an unpublished review"));
        assert_eq!(w.words_for("ORD-2030-001"), Some("an unpublished document"));
    }
}
