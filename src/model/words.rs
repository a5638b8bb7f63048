//! Words on pages: counted nouns (the one pluralisation rule that every page, CSV file and
//! command-line line uses, so nothing ever reads "1 years" or "1 thematic reviews") and the
//! order of names in a list.

use std::cmp::Ordering;

/// `one` when `n` is 1, else `many`.
pub(crate) fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The count and its noun: "1 year", "3 years", "0 errors".
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// The order of names in a list a reader scans: alphabetical by the name shown, whatever its
/// case, a leading "The" ignored (The Salvation Army under S), as in an A to Z.
pub(crate) fn by_name(a: &str, b: &str) -> Ordering {
    let key = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("The ")
            .or_else(|| s.strip_prefix("the "))
            .unwrap_or(s);
        s.to_lowercase()
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_shown_without_a_leading_the() {
        let mut names = vec![
            "Trading Standards",
            "National Crime Agency",
            "The Salvation Army (victim care contract)",
            "Border Force",
            "adult social care",
        ];
        names.sort_by(|a, b| by_name(a, b));
        assert_eq!(
            names,
            [
                "adult social care",
                "Border Force",
                "National Crime Agency",
                "The Salvation Army (victim care contract)",
                "Trading Standards",
            ]
        );
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "year", "years"), "1 year");
        assert_eq!(count(0, "year", "years"), "0 years");
        assert_eq!(
            count(2, "thematic review", "thematic reviews"),
            "2 thematic reviews"
        );
        assert_eq!(plural(1, "person", "people"), "person");
        assert_eq!(plural(5, "person", "people"), "people");
    }
}
